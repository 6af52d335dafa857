"""The store interface every backend implements."""

from __future__ import annotations

import functools
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from coopgraph.graph.iris import Iris


def corpus_graph(base: str) -> URIRef:
    """The named graph that holds the corpus in every store."""
    return Iris(base).corpus_graph


@dataclass
class Rows:
    """A SELECT or ASK answer in rdflib terms, cut at a row limit."""

    kind: str  # SELECT | ASK | GRAPH
    variables: list[str]
    rows: list[tuple[Any, ...]]
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False


class Store(ABC):
    """Load the corpus graph, read it through rdflib, and answer SPARQL in query workers."""

    kind: str
    base: str

    # What callers ask of a store, stated by each kind of store (callers never test which kind it is):
    queries_reach_network = False  # its queries go over the network (a SPARQL server): a worker cannot be cut off
    parsed_like_rdflib = False  # its engine is rdflib's: the check parses as rdflib does, not lexically
    answers_natively = False  # its engine writes answers from its own terms (Oxigraph): no rdflib terms built
    held_in_memory = False  # the whole graph lives in the process (each query worker holds its own copy)

    def writable_by_queries(self) -> bool:
        """Whether the account that answers queries may also change the graph (a SPARQL server's
        user with update rights): then a query the check misses could. A local store is opened
        read-only for queries, so never."""
        return False

    @property
    def corpus(self) -> URIRef:
        return corpus_graph(self.base)

    @abstractmethod
    def load(self, graph_file: Path) -> int:
        """Replace the corpus graph with the triples of an N-Triples file, all or nothing; the count."""

    @abstractmethod
    def is_loaded(self) -> bool:
        """Whether the store holds a corpus graph."""

    @abstractmethod
    def graph(self) -> Graph:
        """The corpus graph as an rdflib Graph (read-only use: lineage, validation, pages)."""

    @abstractmethod
    def run(self, query: str, bindings: dict[str, Any], max_rows: int) -> Rows:
        """Answer one checked, read-only query (in a query worker process)."""

    def select_strings(self, query: str) -> list[tuple[str | None, ...]]:
        """A SELECT's rows as plain strings: what lineage reads, without building rdflib terms."""
        return [tuple(None if v is None else str(v) for v in row) for row in self.graph().query(query)]  # type: ignore[union-attr]

    def version(self) -> str | None:
        """Which build of the graph this store object reads (cache keys and ETags), or None when it
        cannot know: a remote server may change under it."""
        return None

    def dump(self, fmt: str) -> Iterator[bytes]:
        """The whole corpus graph as "nt", "ttl" or "jsonld" (expanded), in pieces: what the server
        streams as /dump/coopgraph.*, so a dump is always of the graph served. This general way
        reads the graph whole; a store that can read it in batches does (Oxigraph)."""
        from coopgraph.graph.serialize import to_jsonld, to_ntriples, to_turtle

        ntriples = to_ntriples(self.graph())
        yield {"nt": ntriples, "ttl": to_turtle(ntriples), "jsonld": to_jsonld(ntriples)}[fmt]

    def refresh(self) -> bool:
        """Follow a rebuild: read the newest graph from now on if it changed; whether it did."""
        return False

    def describe(self) -> str:
        return self.kind

    def close(self) -> None:
        """Release files or connections."""


def check_load_source(graph_file: Path) -> None:
    """Refuse, before opening it, what cannot be a graph to load: a missing or empty file, and a
    FIFO, device or directory (opening a FIFO would wait forever for a writer)."""
    import stat

    from coopgraph.store import StoreError

    try:
        mode = graph_file.stat().st_mode
    except OSError as exc:
        raise StoreError(f"cannot load {graph_file}: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise StoreError(f"cannot load {graph_file}: not a regular file (a FIFO, device or directory); "
                         "save the triples to a file first")
    if graph_file.stat().st_size == 0:
        raise StoreError(f"cannot load {graph_file}: the file is empty; the store keeps the graph it has")


def take(items: Any, limit: int) -> tuple[list[Any], bool]:
    """At most `limit` items, and whether there were more (the result-size limit)."""
    taken: list[Any] = []
    for item in items:
        if len(taken) >= limit:
            return taken, True
        taken.append(item)
    return taken, False


def values_clause(bindings: dict[str, Any]) -> str:
    """Parameters as a trailing VALUES clause: RDF terms in N-Triples syntax, never raw text."""
    if not bindings:
        return ""
    names = sorted(bindings)
    return "\nVALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(bindings[n].n3() for n in names) + ") }"


def values_inside_where(query: str, bindings: dict[str, Any]) -> str:
    """Parameters as a VALUES block opening the query's WHERE group, as rdflib's initBindings
    binds them: Virtuoso does not bind a trailing VALUES clause to variables the query does not
    project, and Oxigraph joins a trailing clause only after the whole pattern. A trailing clause
    when there is no WHERE keyword to find; comments are skipped when looking."""
    import re

    if not bindings:
        return query
    names = sorted(bindings)
    block = " VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(bindings[n].n3() for n in names) + ") } "
    for match in re.finditer(r"#[^\n]*|\bWHERE\s*\{", query, flags=re.IGNORECASE):
        if not match.group(0).startswith("#"):
            return query[:match.end()] + block + query[match.end():]
    return query + values_clause(bindings)


def with_prefixes(query: str) -> str:
    """The query with PREFIX lines for the well-known prefixes it uses but does not declare, as
    rdflib and public endpoints predefine them (rdf, rdfs, xsd, skos, dct, prov, eli, cg, ...)."""
    from coopgraph.terms import PREFIXES

    declared = {m.lower() for m in _DECLARED.findall(query)}
    used = set(_prefix_use().findall(query))
    missing = [p for p in PREFIXES if p in used and p not in declared]
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in missing) + query


_DECLARED = re.compile(r"PREFIX\s+([\w-]*):", flags=re.IGNORECASE)


@functools.cache
def _prefix_use() -> re.Pattern[str]:
    """One pattern for every well-known prefix used as `name:` (not inside a longer name or an IRI)."""
    from coopgraph.terms import PREFIXES

    names = "|".join(re.escape(p) for p in sorted(PREFIXES, key=len, reverse=True))
    return re.compile(rf"(?<![\w:<-])({names}):")
