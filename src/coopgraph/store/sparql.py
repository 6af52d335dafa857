"""Any SPARQL 1.1 server, over the protocol: queries and updates at one URL (Virtuoso's /sparql).

A load inserts the triples into a staging graph in chunks, then MOVEs it onto the corpus graph
in one update, so an interrupted load leaves the previous corpus graph in place.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from rdflib import BNode, Graph, Literal, URIRef

from coopgraph.errors import QueryError
from coopgraph.graph.iris import Iris
from coopgraph.store.base import Rows, Store, check_load_source, take, values_inside_where, with_prefixes

CHUNK_LINES = 1_000  # Virtuoso's SPARQL compiler runs out of memory on much larger INSERT DATA


def _term(data: dict[str, str]) -> Any:
    kind = data["type"]
    if kind == "uri":
        return URIRef(data["value"])
    if kind == "bnode":
        return BNode(data["value"])
    if "xml:lang" in data:
        return Literal(data["value"], lang=data["xml:lang"])
    if "datatype" in data:
        return Literal(data["value"], datatype=URIRef(data["datatype"]))
    return Literal(data["value"])


def _reporting_store(url: str) -> Any:
    """rdflib's SPARQLStore, saying when the server cannot be reached (rdflib reports it as a
    ValueError about the query) as a StoreError, which the server answers with 503."""
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    from coopgraph.store import StoreError

    class ReportingSPARQLStore(SPARQLStore):
        def response_mime_types(self) -> str:
            # Graphs as N-Triples: Virtuoso's Turtle writes "1"^^xsd:decimal as a bare 1, an xsd:integer
            return "application/sparql-results+json, application/n-triples;q=0.9"

        def _query(self, *args: Any, **kwargs: Any) -> Any:
            try:
                return super()._query(*args, **kwargs)
            except ValueError as exc:
                reason = exc.__cause__ or exc.__context__  # rdflib raises it while handling the network error
                if isinstance(reason, OSError):
                    raise StoreError(f"the SPARQL server at {url} cannot be reached: {reason}") from None
                raise

    return ReportingSPARQLStore(url, returnFormat="json", context_aware=True)


class SparqlStore(Store):
    kind = "sparql"
    queries_reach_network = True

    def __init__(self, base: str, url: str, timeout: float = 600.0):
        self.base = base
        self.url = url
        self.client = httpx.Client(timeout=timeout)

    @property
    def staging(self) -> URIRef:
        return Iris(self.base).graph("corpus-loading")

    def _fail(self, what: str, exc: Exception | httpx.Response) -> None:
        from coopgraph.store import StoreError

        detail = f"{exc.status_code} {exc.text[:300]}" if isinstance(exc, httpx.Response) else str(exc)
        raise StoreError(f"the SPARQL server at {self.url} {what}: {detail}")

    def writable_by_queries(self) -> bool:
        """Asked of the server itself: a no-op update (clearing a graph that does not exist) is
        accepted only from a user who may write."""
        from coopgraph.store import StoreError

        try:
            self.update("CLEAR SILENT GRAPH <urn:coopgraph:write-probe>")
        except StoreError:
            return False
        return True

    def update(self, text: str) -> None:
        try:
            response = self.client.post(self.url, data={"update": text})
        except httpx.HTTPError as exc:
            self._fail("cannot be reached", exc)
        if response.status_code >= 400:
            self._fail("refused an update", response)

    def select(self, text: str, default_graph: bool = True) -> dict[str, Any]:
        params = {"default-graph-uri": str(self.corpus)} if default_graph else {}
        try:
            response = self.client.post(self.url, params=params, data={"query": text},
                                        headers={"Accept": "application/sparql-results+json"})
        except httpx.HTTPError as exc:
            self._fail("cannot be reached", exc)
        if response.status_code >= 400:
            self._fail("refused a query", response)
        return json.loads(response.text)  # type: ignore[no-any-return]

    def load(self, graph_file: Path) -> int:
        check_load_source(graph_file)
        self.update(f"DROP SILENT GRAPH <{self.staging}>")
        count = 0
        chunk: list[str] = []
        with graph_file.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    chunk.append(line.rstrip("\n"))
                if len(chunk) >= CHUNK_LINES:
                    self.update(f"INSERT DATA {{ GRAPH <{self.staging}> {{\n" + "\n".join(chunk) + "\n} }")
                    count += len(chunk)
                    chunk = []
        if chunk:
            self.update(f"INSERT DATA {{ GRAPH <{self.staging}> {{\n" + "\n".join(chunk) + "\n} }")
            count += len(chunk)
        if count == 0:
            from coopgraph.store import StoreError

            raise StoreError(f"cannot load {graph_file}: it holds no triples; the store keeps the graph it has")
        self.update(f"MOVE SILENT GRAPH <{self.staging}> TO GRAPH <{self.corpus}>")
        return count

    def is_loaded(self) -> bool:
        answer = self.select(f"ASK {{ GRAPH <{self.corpus}> {{ ?s ?p ?o }} }}", default_graph=False)
        return bool(answer.get("boolean"))

    def graph(self) -> Graph:
        return Graph(store=_reporting_store(self.url), identifier=self.corpus)

    def run(self, query: str, bindings: dict[str, Any], max_rows: int) -> Rows:
        # the dataset: the corpus, as default and as the one named graph (not the server's own graphs)
        params = {"default-graph-uri": str(self.corpus), "named-graph-uri": str(self.corpus)}
        try:
            response = self.client.post(self.url, params=params, data={"query": with_prefixes(values_inside_where(query, bindings))},
                                        headers={"Accept": "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"})
        except httpx.HTTPError as exc:
            self._fail("cannot be reached", exc)
        if response.status_code in {502, 503, 504}:
            self._fail("is not available", response)  # the server's trouble, not the query's (Virtuoso answers 500 to bad queries)
        if response.status_code >= 400:
            raise QueryError(f"the SPARQL server refused the query ({response.status_code}): {response.text[:300]}")
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media in {"application/n-triples", "text/turtle", "text/plain"}:
            parsed = Graph().parse(data=response.text, format="turtle" if media == "text/turtle" else "nt")
            triples, truncated = take(parsed, max_rows)
            out = Graph()
            for triple in triples:
                out.add(triple)
            return Rows("GRAPH", [], [], graph=out, truncated=truncated)
        data = json.loads(response.text)
        if "boolean" in data:
            return Rows("ASK", [], [], boolean=bool(data["boolean"]))
        variables = data["head"]["vars"]
        bindings_list = data["results"]["bindings"]
        rows = [tuple(_term(b[v]) if v in b else None for v in variables) for b in bindings_list[:max_rows]]
        return Rows("SELECT", variables, rows, truncated=len(bindings_list) > max_rows)

    def describe(self) -> str:
        return f"sparql ({self.url})"

    def close(self) -> None:
        self.client.close()
