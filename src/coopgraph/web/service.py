"""What every request reads, in one object: the graph (read-only after start-up), the lineage
engine, the named queries, the answer cache, the full-text index and the pool of query workers.
Routes receive it through a FastAPI dependency (`ServiceDep`); only the workers run SPARQL."""

from __future__ import annotations

import contextlib
import gc
import logging
import re
import threading
import time
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from rdflib import Graph, URIRef

from coopgraph import text_index
from coopgraph.errors import CoopgraphError
from coopgraph.graph.iris import Iris
from coopgraph.graph.serialize import context
from coopgraph.lineage.engine import Lineage
from coopgraph.sparql.answers import AnswerCache
from coopgraph.sparql.fairness import QueryBudgets, client_group
from coopgraph.sparql.named import named_queries
from coopgraph.sparql.pool import QueryLimits, QueryPool, StoreSource, settle_heap
from coopgraph.terms import DCTERMS, RDFS, SKOS
from coopgraph.text_index import TextIndex
from coopgraph.web.errors import status_of
from coopgraph.web.settings import ServeSettings

LOG = logging.getLogger("coopgraph.web")


def client_of(request: Request) -> str:
    """The client, for budgets and turns: the network of its address (coopgraph.sparql.fairness)."""
    return client_group(request.client.host) if request.client else "-"


class Service:
    """What the routes share; built once at start-up."""

    def __init__(self, settings: ServeSettings, start_pool: bool = True):
        self.settings = settings
        self.base = settings.project.base
        self.iris = Iris(self.base)
        self.store = settings.project.open_store()
        if not self.store.is_loaded():
            raise CoopgraphError(f"no built graph in {self.store.describe()}: run `coopgraph build` first "
                                 "(or `coopgraph serve`, which builds when the graph is missing)")
        self.graph: Graph = self.store.graph()
        self.lineage = Lineage(self.graph, self.store.select_strings)
        self.answers = AnswerCache()
        self.budgets = QueryBudgets(settings.client_budget)
        self.rebuild_lock = threading.Lock()
        self.rebuild_checked = time.monotonic()
        self.queries = named_queries(settings.project.queries_dir)
        self.context = context(self.base)
        self.validate_lock = threading.Lock()
        self.report: Any = None
        limits = QueryLimits(settings.query_timeout, settings.max_rows, settings.max_query_bytes, settings.query_memory)
        source = StoreSource(settings.project.store_spec, settings.project.graph_file, settings.project.store_dir)
        self.pool = QueryPool(source, self.base, limits, status_of, size=settings.query_workers) if start_pool else None
        self._text_index: tuple[str | None, TextIndex] | None = None
        self._triples: int | None = None
        self.read_lock = threading.Lock()

    def text_index(self) -> TextIndex:
        """The full-text index of the graph served now (made on first use if the build made none)."""
        version = self.store.version()
        with self.read_lock:
            if self._text_index is None or self._text_index[0] != version:
                self._text_index = (version, text_index.for_store(self.store, self.settings.project.output_dir))
            return self._text_index[1]

    @property
    def triples(self) -> int:
        with self.read_lock:
            if self._triples is None:
                self._triples = len(self.graph)
            return self._triples

    # -- IRIs and paths ------------------------------------------------------------------------
    def rebuild_check_due(self) -> bool:
        return time.monotonic() - self.rebuild_checked >= 1.0

    def follow_rebuild(self) -> None:
        """At most once a second: when a build made a new graph current, serve that one."""
        now = time.monotonic()
        if now - self.rebuild_checked < 1.0:
            return
        with self.rebuild_lock:
            self.rebuild_checked = now
            if self.store.refresh():
                self.graph = self.store.graph()
                self.lineage = Lineage(self.graph, self.store.select_strings)
                self.report = None
                self._text_index = self._triples = None
                gc.unfreeze()  # what the old graph held may now be collected (one full pass, once a build)
                settle_heap()
                LOG.info("serving the rebuilt graph (%s)", self.store.version())

    def local(self, iri: object) -> str:
        """The path under which this server serves a graph IRI (others stay as they are)."""
        text = str(iri)
        return "/" + self.iris.relative(text) if text.startswith(self.base) else text

    def href(self, iri: object) -> str | None:
        """Where a link to an IRI may point: this server's path for its own IRIs, the IRI itself
        when it is http(s), and nowhere for any other scheme (javascript:, data:, file: ...)."""
        text = str(iri)
        if text.startswith(self.base):
            return self.local(text)
        return text if re.match(r"(?i)https?://", text) else None

    def iri_of(self, path: str) -> URIRef:
        return URIRef(self.base + path.lstrip("/"))

    @contextlib.contextmanager
    def matching(self, client: str) -> Iterator[None]:
        """Work a client asks for outside SPARQL that costs CPU by what it is given (reading a
        reference, finding the nearest names): refused when the client's query time is spent
        (OverBudget: 429), and charged to it as a query's time is."""
        self.budgets.admit(client)
        started = time.monotonic()
        try:
            yield
        finally:
            self.budgets.charge(client, time.monotonic() - started)

    def resolve(self, reference: str, client: str) -> Any:
        """The node a reference a client sent names (coopgraph.resolve), read on the client's budget:
        an unknown reference is matched against every name in the graph."""
        from coopgraph.resolve import resolve

        with self.matching(client):
            return resolve(self.graph, self.base, reference)

    def corpus_document(self, reference: str, client: str) -> URIRef:
        """The corpus document a reference names; ParameterError when it names a unit or an outside text."""
        from coopgraph.errors import ParameterError
        from coopgraph.terms import CG, RDF

        iri = self.resolve(reference, client).iri
        if (iri, RDF.type, CG.CorpusDocument) not in self.graph:
            raise ParameterError(f"{reference!r} is not a document of the corpus")
        return iri

    def label(self, node: object) -> str:
        for predicate in (RDFS.label, SKOS.prefLabel, DCTERMS.title):
            value = self.graph.value(node, predicate)  # type: ignore[arg-type]
            if value is not None:
                return str(value)
        return self.local(node)


async def get_service(request: Request) -> Service:
    """The service of the app answering this request (FastAPI dependency; async, so that FastAPI
    calls it on the event loop, not on a thread as it would a plain function)."""
    return request.app.state.service  # type: ignore[no-any-return]


ServiceDep = Annotated[Service, Depends(get_service)]


async def get_settings(service: ServiceDep) -> ServeSettings:
    """The serve settings of the app answering this request (FastAPI dependency, through the service's)."""
    return service.settings


SettingsDep = Annotated[ServeSettings, Depends(get_settings)]

__all__ = ["LOG", "Service", "ServiceDep", "SettingsDep", "get_service", "get_settings"]
