"""Where the graph lives once built: one small interface, three backends.

    memory            rdflib's own in-memory store, read from the built N-Triples file
    oxigraph:PATH     a persistent Oxigraph store on disk (the default: build/store)
    sparql:URL        any SPARQL 1.1 server (query and update at URL), such as Virtuoso

Every backend keeps the corpus in its own named graph, `{base}graph/corpus`, and replaces it
whole on load: an interrupted load leaves the previous graph in place.
"""

from __future__ import annotations

from pathlib import Path

from coopgraph.errors import CoopgraphError
from coopgraph.store.base import Store, corpus_graph


class StoreError(CoopgraphError):
    """The store cannot be opened, loaded or queried."""


def parse_spec(spec: str, default_dir: Path) -> tuple[str, str | None]:
    """'memory' | 'oxigraph[:PATH]' | 'sparql:URL' -> (kind, location)."""
    kind, _, location = spec.partition(":")
    if kind == "memory" and not location:
        return "memory", None
    if kind == "oxigraph":
        return "oxigraph", location or str(default_dir)
    if kind == "sparql" and location.startswith(("http://", "https://")):
        return "sparql", location
    raise StoreError(f"unknown store {spec!r}: use memory, oxigraph:PATH or sparql:http://HOST:PORT/sparql")


def server_of(spec: str) -> str | None:
    """The URL of the SPARQL server a store spec names, if it names one: what query workers must be
    let reach, and why they cannot run without network."""
    kind, _, location = spec.partition(":")
    return location if kind == "sparql" else None


def open_store(spec: str, base: str, graph_file: Path, default_dir: Path) -> Store:
    kind, location = parse_spec(spec, default_dir)
    if kind == "memory":
        from coopgraph.store.memory import MemoryStore

        return MemoryStore(base, graph_file)
    if kind == "oxigraph":
        from coopgraph.store.oxigraph import OxigraphStore

        return OxigraphStore(base, Path(location))  # type: ignore[arg-type]
    from coopgraph.store.sparql import SparqlStore

    return SparqlStore(base, location)  # type: ignore[arg-type]


__all__ = ["Store", "StoreError", "corpus_graph", "open_store", "parse_spec"]
