"""rdflib's in-memory store: the built N-Triples file, parsed into each process that needs it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import Graph

from coopgraph.store.base import Rows, Store


class MemoryStore(Store):
    kind = "memory"

    def __init__(self, base: str, graph_file: Path):
        self.base = base
        self.graph_file = graph_file
        self._graph: Graph | None = None

    def load(self, graph_file: Path) -> int:
        self.graph_file = graph_file
        self._graph = None
        return len(self.graph())

    def is_loaded(self) -> bool:
        return self.graph_file.is_file()

    def graph(self) -> Graph:
        if self._graph is None:
            from coopgraph.graphfile import read_graph_file

            self._graph = read_graph_file(self.graph_file, self.base, max_bytes=1 << 40)
        return self._graph

    def run(self, query: str, bindings: dict[str, Any], max_rows: int) -> Rows:
        from rdflib.plugins.sparql import prepareQuery

        result = self.graph().query(prepareQuery(query, initNs=dict(self.graph().namespaces())), initBindings=bindings)
        return rows_of(result, max_rows)

    def describe(self) -> str:
        return f"memory ({self.graph_file})"


def rows_of(result: Any, max_rows: int) -> Rows:
    """An rdflib query result as Rows, cut at max_rows."""
    if result.type == "ASK":
        return Rows("ASK", [], [], boolean=bool(result.askAnswer))
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        out = Graph()
        truncated = False
        for index, triple in enumerate(result.graph):
            if index >= max_rows:
                truncated = True
                break
            out.add(triple)
        return Rows("GRAPH", [], [], graph=out, truncated=truncated)
    variables = [str(v) for v in result.vars]
    rows = []
    truncated = False
    for row in result:
        if len(rows) >= max_rows:
            truncated = True
            break
        rows.append(tuple(row))
    return Rows("SELECT", variables, rows, truncated=truncated)
