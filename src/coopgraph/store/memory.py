"""rdflib's in-memory store: the built N-Triples file, parsed into each process that needs it.

Queries see the dataset every store serves: the corpus as the default graph and as the one named
graph, so `GRAPH ?g { ... }` answers here as on Oxigraph and a SPARQL server.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph

from coopgraph.store.base import Rows, Store, check_load_source, take, with_prefixes


class MemoryStore(Store):
    kind = "memory"
    parsed_like_rdflib = True
    held_in_memory = True

    def __init__(self, base: str, graph_file: Path):
        self.base = base
        self.graph_file = graph_file
        self._graph: Graph | None = None
        self._stamp: str | None = None

    def _file_stamp(self) -> str | None:
        try:
            found = self.graph_file.stat()
        except OSError:
            return None
        return f"{found.st_mtime_ns:x}-{found.st_size:x}"

    def version(self) -> str | None:
        self.graph()
        return self._stamp

    def refresh(self) -> bool:
        if self._graph is None or self._file_stamp() in {None, self._stamp}:
            return False
        self._graph = None
        return True

    def load(self, graph_file: Path) -> int:
        check_load_source(graph_file)
        self.graph_file = graph_file
        self._graph = None
        return len(self.graph())

    def is_loaded(self) -> bool:
        return self.graph_file.is_file()

    def graph(self) -> Graph:
        if self._graph is None:
            from coopgraph.graphfile import read_graph_file

            self._stamp = self._file_stamp()
            self._graph = _in_stored_form(read_graph_file(self.graph_file, self.base, max_bytes=1 << 40,
                                                          identifier=self.corpus))
        return self._graph

    @classmethod
    def holding(cls, graph: Graph, base: str) -> MemoryStore:
        """A store over a graph built in this process (nothing built on disk yet), read into the
        corpus graph's name so that queries see the same dataset as on a loaded store."""
        store = cls(base, Path(""))
        store._graph = Graph(identifier=store.corpus)
        store._graph += graph
        _in_stored_form(store._graph)
        return store

    def run(self, query: str, bindings: dict[str, Any], max_rows: int) -> Rows:
        import rdflib.plugins.sparql as rdflib_sparql
        from rdflib.plugins.sparql import prepareQuery

        rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # FROM names the corpus graph: never fetch it from the web
        graph = self.graph()
        with dataset_warnings_quiet():
            # a Dataset over the same triples: a plain Graph refuses `GRAPH` patterns with a bare Exception
            dataset = Dataset(store=graph.store, default_union=True)
            result = dataset.query(prepareQuery(with_prefixes(query)), initBindings=bindings)
            return rows_of(result, max_rows)

    def describe(self) -> str:
        return f"memory ({self.graph_file})"


@contextmanager
def dataset_warnings_quiet() -> Iterator[None]:
    """rdflib's SPARQL engine calls its own deprecated Dataset methods for `GRAPH` patterns;
    the warning is about rdflib, not about the query."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Dataset\.\w+ is deprecated", category=DeprecationWarning)
        yield


def rows_of(result: Any, max_rows: int) -> Rows:
    """An rdflib query result as Rows, cut at max_rows."""
    if result.type == "ASK":
        return Rows("ASK", [], [], boolean=bool(result.askAnswer))
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        triples, truncated = take(result.graph, max_rows)
        out = Graph()
        for triple in triples:
            out.add(triple)
        return Rows("GRAPH", [], [], graph=out, truncated=truncated)
    rows, truncated = take((tuple(row) for row in result), max_rows)
    return Rows("SELECT", [str(v) for v in result.vars], rows, truncated=truncated)


def _in_stored_form(graph: Graph) -> Graph:
    """Decimals rewritten in the form the other stores answer them (coopgraph.terms.stored_form)."""
    from rdflib import Literal

    from coopgraph.terms import XSD, stored_form

    changed = [(s, p, o) for s, p, o in graph
               if isinstance(o, Literal) and o.datatype == XSD.decimal and str(stored_form(o)) != str(o)]
    for s, p, o in changed:
        graph.remove((s, p, o))
        graph.add((s, p, stored_form(o)))
    return graph
