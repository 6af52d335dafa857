"""The FastAPI application: SPARQL endpoint, named queries, linked data, lineage API and browser UI.

One `Service` holds what every request reads: the graph (read-only after start-up), the lineage
engine, the named queries and the pool of query workers. Only the workers run SPARQL.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import threading
import time
from contextlib import asynccontextmanager
from html import escape
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import iterate_in_threadpool, run_in_threadpool
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from rdflib import Graph, URIRef

from coopgraph import text_index
from coopgraph.errors import CoopgraphError, QueryError, ReferenceNotFound
from coopgraph.graph.serialize import context
from coopgraph.lineage import render
from coopgraph.lineage.calibration import chain
from coopgraph.lineage.engine import EDGE_TYPES, Lineage
from coopgraph.lineage.timeline import mandate_timeline, recommendation_fate
from coopgraph.query import bind, named_queries
from coopgraph.resolve import nearest, resolve
from coopgraph.store import StoreError
from coopgraph.terms import CG, DCTERMS, PREFIXES, RDF, RDFS, SKOS
from coopgraph.text_index import TextIndex
from coopgraph.web import linked_data
from coopgraph.web.answers import AnswerCache
from coopgraph.web.fairness import OverBudget, QueryBudgets
from coopgraph.web.formats import FORMAT_PARAM, GRAPH_FORMATS, Wanted, choose
from coopgraph.web.head import HeadAsGet
from coopgraph.web.security import add_security, read_body
from coopgraph.web.settings import ServeSettings
from coopgraph.web.sparql import Answer, Busy, QueryLimits, QueryPool, QueryTimeout, StoreSource, WorkerLost
from coopgraph.web.svg import lineage_svg

HERE = Path(__file__).parent
LOG = logging.getLogger("coopgraph.web")
RDF_MEDIA = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld"}
DEREF_OFFER = ["text/html", "application/ld+json", "text/turtle", "application/n-triples"]
IRI_SPACES = ("doc", "session", "actor", "verb", "topic", "source", "graph")


class Service:
    """What the routes share; built once at start-up."""

    def __init__(self, settings: ServeSettings, start_pool: bool = True):
        self.settings = settings
        self.base = settings.project.base
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
        self.pool = QueryPool(source, self.base, limits, size=settings.query_workers) if start_pool else None
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
                LOG.info("serving the rebuilt graph (%s)", self.store.version())

    def local(self, iri: object) -> str:
        """The path under which this server serves a graph IRI (others stay as they are)."""
        text = str(iri)
        return "/" + text[len(self.base):] if text.startswith(self.base) else text

    def href(self, iri: object) -> str | None:
        """Where a link to an IRI may point: this server's path for its own IRIs, the IRI itself
        when it is http(s), and nowhere for any other scheme (javascript:, data:, file: ...)."""
        text = str(iri)
        if text.startswith(self.base):
            return self.local(text)
        return text if re.match(r"(?i)https?://", text) else None

    def iri_of(self, path: str) -> URIRef:
        return URIRef(self.base + path.lstrip("/"))

    def label(self, node: object) -> str:
        for predicate in (RDFS.label, SKOS.prefLabel, DCTERMS.title):
            value = self.graph.value(node, predicate)  # type: ignore[arg-type]
            if value is not None:
                return str(value)
        return self.local(node)


def create_app(settings: ServeSettings, start_pool: bool = True) -> FastAPI:
    service = Service(settings, start_pool)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        import anyio.to_thread

        # Threads for sync routes: waiting queries hold at most 48 (FairTurns), pages get the rest
        anyio.to_thread.current_default_thread_limiter().total_tokens = 96
        yield
        if service.pool is not None:
            service.pool.close()

    app = FastAPI(
        title="coopgraph",
        version="0.1.0",
        description="The Assembly of States Parties' texts on cooperation as a paragraph-level knowledge graph: "
                    "a read-only SPARQL 1.1 endpoint, linked data for every IRI, and the lineage of every "
                    "paragraph and mandate.",
        lifespan=lifespan,
        docs_url=None,  # served below from packaged files: no CDN, and no inline script
        redoc_url=None,
        redirect_slashes=False,  # Starlette's redirect names the Host header's server: ours is below
    )
    app.state.service = service
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["local"] = lambda iri: service.href(iri) or ""
    templates.env.filters["marked"] = marked_html
    app.mount("/static/swagger", StaticFiles(directory=str(swagger_assets())), name="swagger")  # before /static
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    class RequestLog:
        """Each request logged with its status and time; a trailing slash redirected; a rebuild
        followed. Plain ASGI: the `@app.middleware` wrapper costs a quarter of a millisecond a request."""

        def __init__(self, inner: Any):
            self.inner = inner

        async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await self.inner(scope, receive, send)
                return
            started = time.perf_counter()
            path, method = scope["path"], scope["method"]
            if len(path) > 1 and path.endswith("/") and method in {"GET", "HEAD"}:
                # '/queries/' to '/queries' by a relative redirect: never to a server the Host header names
                raw = scope.get("query_string", b"").decode("latin-1")
                target = quote(path.rstrip("/"), safe="/:@!$&'()*+,;=-._~") + (f"?{raw}" if raw else "")
                await RedirectResponse(target, status_code=308)(scope, receive, send)
                return
            if service.rebuild_check_due():  # at most once a second, and then off the event loop (it may reopen the store)
                await run_in_threadpool(service.follow_rebuild)
            status = [0]

            async def send_and_note(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    status[0] = message["status"]
                await send(message)

            await self.inner(scope, receive, send_and_note)
            LOG.info("%s %s %d %.1f ms", method, path, status[0], (time.perf_counter() - started) * 1000)

    app.add_middleware(RequestLog)
    add_security(app)
    app.add_middleware(HeadAsGet)  # outermost: HEAD is GET for every layer below it

    @app.exception_handler(StoreError)
    async def store_unreachable(request: Request, exc: StoreError) -> Response:
        """The store (a SPARQL server) does not answer: 503, and the next request tries again."""
        LOG.warning("the store does not answer: %s", exc)
        return PlainTextResponse(f"the store ({service.store.describe()}) is not answering: {exc}; try again shortly",
                                 status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(OverBudget)
    async def over_budget(request: Request, exc: OverBudget) -> Response:
        return PlainTextResponse(str(exc), status_code=429, headers={"Retry-After": str(exc.retry_after)})

    @app.exception_handler(CoopgraphError)
    async def coopgraph_error(request: Request, exc: CoopgraphError) -> Response:
        status = 404 if isinstance(exc, ReferenceNotFound) else 400
        body: dict[str, Any] = {"error": str(exc).split("\nnearest matches:")[0]}
        if isinstance(exc, ReferenceNotFound):
            body["suggestions"] = [{"label": label, "iri": iri, "href": service.href(iri)} for label, iri in exc.suggestions]
        if wants_html(request):
            return templates.TemplateResponse(request, "error.html", {"status": status, **body}, status_code=status)
        return JSONResponse(body, status_code=status)

    def html(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, values, status_code=status)

    # -- home, search --------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        graph = service.graph
        documents = []
        for d in sorted(graph.subjects(RDF.type, CG.CorpusDocument), key=lambda d: document_order(graph, d)):
            date = document_date(graph, d)
            session = graph.value(d, CG.session)
            documents.append({"label": service.label(d), "href": service.local(d), "year": str(date)[:4] if date else None,
                              "title": str(graph.value(d, DCTERMS.title) or ""),
                              "session": service.label(session) if session is not None else None})
        return html(request, "home.html", documents=documents, triples=service.triples, queries=service.queries,
                    jsonld="/dump/coopgraph.jsonld")

    @app.get("/search", summary="Full-text search of every unit's text (stems, \"phrases\", prefix*), most relevant first",
             description="Words must all occur; \"quoted phrases\" occur as written; a trailing * searches a prefix. "
                         "Words match their stems (strategy, strategies). A reference such as "
                         "'ICC-ASP/14/Res.3, para. 27' goes to its unit: a browser is redirected there, and JSON "
                         "names it as `resolved`. The index is SQLite FTS5, one per version of the graph.",
             responses={200: {"content": {"application/json": {"example": {"query": "arrest strategy", "total": 7, "resolved": None, "results": [{"iri": "https://w3id.org/coopgraph/doc/ICC-ASP/14/Res.3/para/4", "label": "ICC-ASP/14/Res.3, para. 4", "href": "/doc/ICC-ASP/14/Res.3/para/4", "snippet": "Takes note of the report on arrest strategies ..."}]}}}}})
    def search(request: Request, q: Annotated[str, Query(min_length=2, max_length=200, description="words, \"phrases\", prefix*, or a reference")],
               limit: Annotated[int, Query(ge=1, le=500)] = 100,
               offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
        resolved = as_reference(q)
        if resolved is not None and wants_html(request):
            return RedirectResponse(service.href(resolved.iri) or "/", status_code=303)
        found = service.text_index().search(q, limit, offset)
        hits = [{"iri": h.iri, "href": service.href(URIRef(h.iri)), "label": h.label, "snippet": h.snippet_text(),
                 "snippet_html": str(h.snippet_html()), "text": h.text} for h in found.hits]
        if wants_html(request):
            return html(request, "search.html", q=q, hits=hits, total=found.total, offset=offset, limit=limit,
                        jsonld=f"/sparql?format=jsonld&query={quote(search_construct(q))}")
        reference = None if resolved is None else {"iri": str(resolved.iri), "label": resolved.label,
                                                   "href": service.href(resolved.iri)}
        return JSONResponse({"query": q, "total": found.total, "offset": offset, "resolved": reference, "results": hits})

    def as_reference(q: str) -> Any:
        """The unit a search text names, when it reads as a reference (a symbol, or a label)."""
        from coopgraph.resolve import LOOSE_SYMBOL, SYMBOL

        if not (SYMBOL.search(q) or LOOSE_SYMBOL.search(q) or re.search(r",\s*(?:para|annex|rec|footnote)", q, re.I)):
            return None
        try:
            return resolve(service.graph, service.base, q)
        except CoopgraphError:
            return None

    # -- SPARQL ------------------------------------------------------------------------------------
    async def answer_of(request: Request, text: str, bindings: dict[str, Any] | None, wanted: Wanted) -> Answer | Response:
        """The pool's answer, or the one kept for this build of the graph; 304 when the client has it.
        On the event loop: every step here is quick, and the query itself runs in a worker process."""
        assert service.pool is not None
        version = service.store.version()
        key = AnswerCache.key(version, text, bindings, wanted) if version else None
        if key is not None:
            etag = f'"{key}"'
            if etag in {t.strip() for t in request.headers.get("if-none-match", "").split(",")}:
                return Response(status_code=304, headers={"ETag": etag, "Cache-Control": "no-cache"})
            kept = service.answers.get(key)
            if kept is not None:
                return kept
        client = request.client.host if request.client else "-"  # its address: nothing it says of itself
        service.budgets.admit(client)
        try:
            answer = await service.pool.run_async(text, bindings, wanted, client=client,
                                                  admit=lambda: service.budgets.admit(client))
        except (QueryTimeout, WorkerLost):  # it cost the whole time (or a worker): charged as the time limit
            service.budgets.charge(client, service.settings.query_timeout)
            raise
        service.budgets.charge(client, answer.seconds)
        if key is not None and answer.version == version:
            service.answers.put(key, answer)
        return answer

    def answer_headers(answer: Answer, text: str, bindings: dict[str, Any] | None, wanted: Wanted) -> dict[str, str]:
        headers = {"X-Query-Seconds": f"{answer.seconds:.3f}", "Vary": "Accept"}
        if answer.status == 503:
            headers["Retry-After"] = "5"
        if answer.version and answer.status == 200:
            headers["ETag"] = f'"{AnswerCache.key(answer.version, text, bindings, wanted)}"'
            headers["Cache-Control"] = "no-cache"  # keep it, but ask again: a rebuild changes the answer
        if answer.truncated:
            headers["X-Coopgraph-Truncated"] = "true"
            headers["Warning"] = f'199 coopgraph "{answer.truncated}"'
        return headers

    async def sparql_response(request: Request, text: str | None, formats: list[str], default_graphs: list[str],
                              named_graphs: list[str]) -> Response:
        own = f"{service.base}graph/corpus"
        for graph in default_graphs + named_graphs:
            if graph != own:
                return PlainTextResponse(f"default-graph-uri/named-graph-uri <{graph}> is not served here; "
                                         f"the only graph is <{own}>", status_code=400)
        formats = [f for f in formats if f]
        wanted = Wanted(tuple(formats), request.headers.get("accept"))
        browser = wants_html(request) and not formats
        if text is None or not text.strip():
            if browser:
                return await run_in_threadpool(html, request, "sparql.html", query=None, queries=service.queries,
                                               result=None, jsonld="/void")
            media = (next((GRAPH_FORMATS.get(f.lower(), f.lower()) for f in formats if GRAPH_FORMATS.get(f.lower(), f.lower()) in RDF_MEDIA), None)
                     if formats else choose(wanted.accept, list(RDF_MEDIA)))
            if media is None:
                return PlainTextResponse(f"the service description is given as {', '.join(RDF_MEDIA)}", status_code=400 if formats else 406,
                                         headers={"Vary": "Accept"})
            isolation = service.pool.isolation() if service.pool is not None else "unknown (no query workers)"
            description = linked_data.service_description(service.base, public(request), isolation)
            body = await run_in_threadpool(description.serialize, format=RDF_MEDIA[media])
            return Response(body, media_type=media, headers={"Vary": "Accept"})
        if service.pool is None:
            return PlainTextResponse("the query service is not running", status_code=503)
        if browser:
            wanted = Wanted((), "application/sparql-results+json, text/turtle;q=0.9")
        try:
            answer = await answer_of(request, text, None, wanted)
        except (QueryTimeout, Busy, WorkerLost) as exc:
            return PlainTextResponse(str(exc), status_code=503, headers={"Retry-After": "5"})
        if isinstance(answer, Response):
            return answer
        if browser:
            return await run_in_threadpool(answer_page, request, text, answer)
        return Response(answer.body, status_code=answer.status, media_type=answer.media_type,
                        headers=answer_headers(answer, text, None, wanted))

    def answer_page(request: Request, text: str, answer: Answer) -> Response:
        """An answer as the SPARQL page shows it to a browser: a table, or the error, or the raw text."""
        table = results_table(answer.body, answer.media_type) if answer.status == 200 else None
        error = None if answer.status == 200 else answer.body.decode("utf-8", "replace")
        return html(request, "sparql.html", status=answer.status, query=text, queries=service.queries,
                    result=table, error=error, truncated=answer.truncated,
                    raw=answer.body.decode("utf-8", "replace") if answer.status == 200 and table is None else None)

    @app.get("/sparql", summary="SPARQL 1.1 query (GET), or the service description without a query",
             responses={200: {"content": {"application/sparql-results+json": {}, "application/sparql-results+xml": {},
                                          "text/csv": {}, "text/tab-separated-values": {}, "text/turtle": {},
                                          "application/n-triples": {}, "application/ld+json": {}}}})
    async def sparql_get(request: Request,
                   query: Annotated[str | None, Query(max_length=262_144, examples=["SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"])] = None,
                   format: Annotated[str | None, Query(description="json, xml, csv, tsv, turtle, nt, jsonld or a media type")] = None,
                   default_graph_uri: Annotated[list[str] | None, Query(alias="default-graph-uri")] = None,
                   named_graph_uri: Annotated[list[str] | None, Query(alias="named-graph-uri")] = None) -> Response:
        params = request.query_params
        if "update" in params:
            return PlainTextResponse("SPARQL Update is never sent by GET (SPARQL 1.1 Protocol, 2.2), and this "
                                     "endpoint is read-only", status_code=400)
        if len(params.getlist("query")) > 1:
            return PlainTextResponse("the request has more than one 'query' parameter; send exactly one",
                                     status_code=400)
        return await sparql_response(request, query, params.getlist("format"), default_graph_uri or [], named_graph_uri or [])

    @app.post("/sparql", summary="SPARQL 1.1 query by POST (form or application/sparql-query)",
              openapi_extra={"requestBody": {"content": {
                  "application/sparql-query": {"schema": {"type": "string"}},
                  "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                      "query": {"type": "string"}, "format": {"type": "string"}}}}}}})
    async def sparql_post(request: Request) -> Response:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        raw = await read_body(request, settings.max_query_bytes * 4)
        if isinstance(raw, Response):
            return raw
        return await sparql_post_body(request, media, raw)

    async def sparql_post_body(request: Request, media: str, raw: bytes) -> Response:
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return PlainTextResponse(f"the request body is not UTF-8 (byte {exc.start})", status_code=400)
        params = request.query_params
        if media == "application/sparql-query":
            return await sparql_response(request, body, params.getlist("format"), params.getlist("default-graph-uri"),
                                         params.getlist("named-graph-uri"))
        if media == "application/x-www-form-urlencoded":
            from urllib.parse import parse_qs

            form = parse_qs(body, keep_blank_values=True)
            if "update" in form:
                return PlainTextResponse("SPARQL Update is not accepted: this endpoint is read-only", status_code=403)
            if len(form.get("query", [])) + len(params.getlist("query")) > 1:
                return PlainTextResponse("the request has more than one 'query' parameter; send exactly one",
                                         status_code=400)
            text = (form.get("query") or [None])[0]
            if text is None:
                return PlainTextResponse("the form has no 'query' field", status_code=400)
            formats = form.get("format", []) + params.getlist("format")
            return await sparql_response(request, text, formats, form.get("default-graph-uri", []),
                                         form.get("named-graph-uri", []))
        if media == "application/sparql-update":
            return PlainTextResponse("SPARQL Update is not accepted: this endpoint is read-only", status_code=403)
        return PlainTextResponse(f"unsupported content type {media!r}: send application/sparql-query or a form",
                                 status_code=415)

    # -- named queries ---------------------------------------------------------------------------
    @app.get("/queries", summary="The named queries, with their parameters")
    def list_queries(request: Request) -> Response:
        items = [{"name": q.name, "title": q.title, "description": q.description, "href": f"/queries/{q.name}",
                  "parameters": [{"name": n, "type": k, "description": d} for n, (k, d) in q.params.items()]}
                 for q in service.queries.values()]
        return JSONResponse(items)

    @app.get("/queries/{name}", summary="Run a named query; parameters are bound as RDF terms",
             description="Each parameter is a query parameter of its own name. An IRI parameter also takes a "
                         "reference ('ICC-ASP/14/Res.3, para. 27'), resolved first. A browser without every "
                         "parameter gets a form with a field for each, and results in pages of 50 rows (`page`).")
    async def run_named(request: Request, name: str, format: str | None = None) -> Response:
        named = service.queries.get(name)
        if named is None:
            return JSONResponse({"error": f"no named query {name!r}", "queries": sorted(service.queries)}, status_code=404)
        values = {k: v for k, v in request.query_params.items() if k not in {"format", "page"} and v.strip()}
        browser = wants_html(request) and not format
        if browser and set(named.params) - set(values):
            return await run_in_threadpool(query_form, request, named, values, None)
        try:
            bindings = bind(named, await run_in_threadpool(as_iris, named, values))
        except QueryError as exc:
            if browser:
                return await run_in_threadpool(query_form, request, named, values, str(exc))
            return JSONResponse({"error": str(exc)}, status_code=422)
        if service.pool is None:
            return PlainTextResponse("the query service is not running", status_code=503)
        wanted = Wanted(tuple(request.query_params.getlist("format")), request.headers.get("accept"))
        if browser:
            wanted = Wanted((), "application/sparql-results+json")
        try:
            answer = await answer_of(request, named.text, bindings, wanted)
        except (QueryTimeout, Busy, WorkerLost) as exc:
            return PlainTextResponse(str(exc), status_code=503, headers={"Retry-After": "5"})
        if isinstance(answer, Response):
            return answer
        if browser and answer.status == 200:
            return await run_in_threadpool(named_page, request, named, values, answer)
        return Response(answer.body, status_code=answer.status, media_type=answer.media_type,
                        headers=answer_headers(answer, named.text, bindings, wanted))

    def as_iris(named: Any, values: dict[str, str]) -> dict[str, str]:
        """Each IRI parameter given as a reference ('ICC-ASP/14/Res.3, para. 27') read as the IRI it names."""
        out = dict(values)
        for key, value in values.items():
            if named.params.get(key, ("",))[0] == "iri" and not value.startswith(("http://", "https://")):
                try:
                    out[key] = str(resolve(service.graph, service.base, value).iri)
                except CoopgraphError as exc:
                    raise QueryError(f"parameter {key!r}: {str(exc).splitlines()[0]}") from None
        return out

    def parameter_choices(named: Any) -> dict[str, list[tuple[str, str]]]:
        """For an IRI parameter whose example names an actor, a session, a topic or a corpus document,
        every node of that kind (label, IRI): the form offers a select box; others take a reference."""
        choices: dict[str, list[tuple[str, str]]] = {}
        for key, example in named.examples.items():
            if named.params[key][0] != "iri" or not example.startswith(service.base):
                continue
            space = example[len(service.base):].split("/", 1)[0]
            if space in {"actor", "session", "topic"}:
                nodes = {s for s in service.graph.subjects() if isinstance(s, URIRef) and str(s).startswith(f"{service.base}{space}/")}
            elif (URIRef(example), RDF.type, CG.CorpusDocument) in service.graph:
                nodes = set(service.graph.subjects(RDF.type, CG.CorpusDocument))
            else:
                continue
            choices[key] = sorted(((service.label(n), str(n)) for n in nodes), key=lambda c: natural_key(c[0]))
        return choices

    def query_form(request: Request, named: Any, values: dict[str, str], error: str | None) -> Response:
        return html(request, "query.html", status=422 if error else 200, named=named, values=values, error=error,
                    choices=parameter_choices(named), result=None, page=0, pages=0, total=0)

    def named_page(request: Request, named: Any, values: dict[str, str], answer: Answer) -> Response:
        table = results_table(answer.body, answer.media_type) or {"vars": [], "rows": []}
        try:
            page = max(0, int(request.query_params.get("page", "0")))
        except ValueError:
            page = 0
        total = len(table["rows"])
        pages = max(1, -(-total // ROWS_PER_PAGE))
        page = min(page, pages - 1)
        shown = {"vars": table["vars"], "rows": table["rows"][page * ROWS_PER_PAGE:(page + 1) * ROWS_PER_PAGE]}
        return html(request, "query.html", named=named, values=values, error=None, choices=parameter_choices(named),
                    result=shown, page=page, pages=pages, total=total, first=page * ROWS_PER_PAGE + 1,
                    truncated=answer.truncated, query_string=urlencode(values))

    # -- API: resolve, lineage, changes, timeline, validate ----------------------------------------
    @app.get("/resolve", summary="Resolve a reference such as 'ICC-ASP/14/Res.3, para. 27'",
             responses={200: {"content": {"application/json": {"example": {"iri": "https://w3id.org/coopgraph/doc/ICC-ASP/14/Res.3/para/27", "label": "ICC-ASP/14/Res.3, para. 27", "text": "Requests the Bureau ..."}}}},
                        404: {"description": "unknown reference, with the nearest matches"}})
    def resolve_route(request: Request,
                      ref: Annotated[str, Query(min_length=1, max_length=500, examples=["ICC-ASP/14/Res.3, para. 27"])],
                      format: Annotated[str, Query(pattern="^(json|jsonld)$")] = "json") -> Response:
        found = resolve(service.graph, service.base, ref)
        if format == "jsonld" or "application/ld+json" in request.headers.get("accept", ""):
            return JSONResponse(linked_data.jsonld_node(service.graph, found.iri, service.base), media_type="application/ld+json")
        return JSONResponse({"iri": str(found.iri), "label": found.label, "text": found.text, "href": service.href(found.iri)})

    @app.get("/lineage", summary="Where a unit came from (up) and where it went (down), with evidence")
    def lineage_route(request: Request,
                      ref: Annotated[str, Query(min_length=1, max_length=500, examples=["ICC-ASP/14/Res.3, para. 28"])],
                      direction: Annotated[str, Query(pattern="^(up|down|both)$")] = "up",
                      depth: Annotated[int | None, Query(ge=1, le=100)] = None,
                      types: Annotated[str | None, Query(description="comma-separated edge types")] = None,
                      format: Annotated[str, Query(pattern="^(json|jsonld)$")] = "json") -> Response:
        chosen = frozenset(t.strip() for t in types.split(",") if t.strip()) if types else None
        if chosen and chosen - set(EDGE_TYPES):
            return JSONResponse({"error": f"unknown edge type(s) {', '.join(sorted(chosen - set(EDGE_TYPES)))}",
                                 "types": list(EDGE_TYPES)}, status_code=422)
        found = resolve(service.graph, service.base, ref)
        trace = service.lineage.trace(str(found.iri), direction, depth, chosen)
        if format == "jsonld" or "application/ld+json" in request.headers.get("accept", ""):
            body = json.loads(render.trace_jsonld(service.lineage, trace, service.context["@context"]))
            body["@context"] = f"{service.base}context.jsonld"
            return JSONResponse(body, media_type="application/ld+json")
        return Response(render.trace_json(trace), media_type="application/json")

    @app.get("/changes", summary="New, carried over, amended and dropped units between two documents")
    def changes_route(from_: Annotated[str, Query(alias="from", min_length=1, max_length=500, examples=["ICC-ASP/14/Res.3"])],
                      to: Annotated[str, Query(min_length=1, max_length=500, examples=["asp15-bureau-report-cooperation annex I"])]) -> Response:
        earlier = resolve(service.graph, service.base, from_).iri
        later = resolve(service.graph, service.base, to).iri
        for reference, iri in ((from_, earlier), (to, later)):
            if (iri, RDF.type, CG.CorpusDocument) not in service.graph:
                return JSONResponse({"error": f"{reference!r} is not a document of the corpus"}, status_code=422)
        rows = service.lineage.changes(str(earlier), str(later))
        return Response(render.changes_json(rows), media_type="application/json")

    @app.get("/compare", include_in_schema=False)
    def compare_page(request: Request, a: str | None = None, b: str | None = None) -> Response:
        """Two texts side by side: the later one's units, each new, carried over, amended, restated or
        renumbered against the earlier one, with its diff; the earlier units it drops; the gap between."""
        documents = sorted(((service.label(d), str(d)) for d in service.graph.subjects(RDF.type, CG.CorpusDocument)),
                           key=lambda d: document_order(service.graph, URIRef(d[1])))
        context: dict[str, Any] = {"documents": documents, "a": a or "", "b": b or "", "rows": None, "error": None}
        if a and b:
            try:
                earlier = resolve(service.graph, service.base, a).iri
                later = resolve(service.graph, service.base, b).iri
                for reference, iri in ((a, earlier), (b, later)):
                    if (iri, RDF.type, CG.CorpusDocument) not in service.graph:
                        raise QueryError(f"{reference!r} is not a document of the corpus")
            except CoopgraphError as exc:
                context["error"] = str(exc).splitlines()[0]
                return html(request, "compare.html", status=422, **context)
            rows = service.lineage.changes(str(earlier), str(later))
            context.update(earlier=service.label(earlier), later=service.label(later), gap=rows[0]["gap"] if rows else None,
                           rows=[compare_row(row) for row in rows], counts=count_statuses(rows))
        return html(request, "compare.html", **context)

    def compare_row(row: dict[str, Any]) -> dict[str, Any]:
        edge = row.get("edge")
        return {"status": row["status"], "renumbered": row.get("renumbered"),
                "later": {"href": service.href(row["later"]), "label": service.label(URIRef(str(row["later"])))} if row["later"] else None,
                "earlier": {"href": service.href(row["earlier"]), "label": service.label(URIRef(str(row["earlier"])))} if row["earlier"] else None,
                "diff": getattr(edge, "diff", None), "confidence": getattr(edge, "confidence", None),
                "similarity": getattr(edge, "similarity", None), "inferred": getattr(edge, "inferred", None)}

    @app.get("/timeline", summary="A mandate's timeline, or what became of a recommendation")
    def timeline_route(ref: Annotated[str, Query(min_length=1, max_length=500, examples=["ICC-ASP/6/21 rec 17"])]) -> Response:
        iri = resolve(service.graph, service.base, ref).iri
        timelines = timelines_of(service, iri)
        if timelines is None:
            return JSONResponse({"error": f"{ref!r} is neither a recommendation nor a mandate, and issues no mandate"},
                                status_code=422)
        return Response("[" + ",".join(render.timeline_json(t) for t in timelines) + "]", media_type="application/json")

    @app.get("/memo", summary="A printable memo of a unit's or mandate's whole chain (Markdown or HTML)")
    def memo_route(request: Request,
                   ref: Annotated[str, Query(min_length=1, max_length=500, examples=["ICC-ASP/14/Res.3 para 4"])],
                   format: Annotated[str, Query(pattern="^(md|html)$")] = "html") -> Response:
        from coopgraph.lineage.memo import build_memo, memo_html, memo_markdown

        found = resolve(service.graph, service.base, ref)
        document = build_memo(service.lineage, str(found.iri))
        if format == "md":
            return PlainTextResponse(memo_markdown(document), media_type="text/markdown; charset=utf-8")
        return html(request, "memo.html", label=document.title, body=Markup(memo_html(document)),
                    markdown=f"/memo?ref={quote(str(found.iri))}&format=md")

    @app.get("/validate", summary="The SHACL validation report of the served graph")
    def validate_route(request: Request, format: Annotated[str, Query(pattern="^(json|jsonld)$")] = "json") -> Response:
        from coopgraph.validate import load_shapes, to_json, validate_graph

        with service.validate_lock:
            if service.report is None:
                service.report = validate_graph(service.graph, load_shapes(settings.project.shapes_dir, service.base))
            report = service.report
        if format == "jsonld" or "application/ld+json" in request.headers.get("accept", ""):
            body = report.graph.serialize(format="json-ld", context={"sh": "http://www.w3.org/ns/shacl#"}, auto_compact=True)
            return Response(body, media_type="application/ld+json")
        return Response(to_json(report), media_type="application/json")

    # -- dumps, context, VoID ----------------------------------------------------------------------
    @app.get("/context.jsonld", summary="The published JSON-LD @context")
    def context_route() -> Response:
        return JSONResponse(service.context, media_type="application/ld+json")

    @app.get("/dump/{name}", summary="The whole graph: coopgraph.ttl, coopgraph.nt or coopgraph.jsonld")
    def dump(name: str) -> Response:
        """Streamed from the store being served (never from files of another build): what the
        VoID counts is what the dump holds."""
        formats = {"coopgraph.ttl": ("ttl", "text/turtle"), "coopgraph.nt": ("nt", "application/n-triples"),
                   "coopgraph.jsonld": ("jsonld", "application/ld+json")}
        if name not in formats:
            return JSONResponse({"error": f"no dump {name!r}; there are coopgraph.ttl, coopgraph.nt, coopgraph.jsonld"},
                                status_code=404)
        fmt, media = formats[name]
        return StreamingResponse(iterate_in_threadpool(service.store.dump(fmt)), media_type=media,
                                 headers={"Content-Disposition": f'inline; filename="{name}"'})

    @app.get("/void", summary="VoID description of the dataset")
    def void(request: Request) -> Response:
        media = choose(request.headers.get("accept"), list(RDF_MEDIA)) or "text/turtle"
        graph = linked_data.void_description(service.graph, service.base, public(request))
        return Response(graph.serialize(format=RDF_MEDIA[media]), media_type=media)

    # -- linked data: every IRI under its own path ----------------------------------------------
    def dereference(request: Request, path: str, format: str | None) -> Response:
        iri = service.iri_of(path)
        if not linked_data.exists(service.graph, iri):
            suggestions = nearest(service.graph, path.replace("doc/", "", 1).replace("/", " "))
            raise ReferenceNotFound(str(iri), "no such node in the graph", suggestions)
        offered = {"html": "text/html", **{k: v for k, v in FORMAT_PARAM.items() if v in DEREF_OFFER}}
        media = offered.get(format or "") if format else choose(request.headers.get("accept"), DEREF_OFFER)
        if media is None:
            return PlainTextResponse(f"cannot give <{iri}> as {format or request.headers.get('accept')}; "
                                     f"offered: {', '.join(DEREF_OFFER)}", status_code=406)
        headers = {"Vary": "Accept", "Link": f'<{service.local(iri)}?format=jsonld>; rel="alternate"; type="application/ld+json"'}
        if media == "application/ld+json":
            inline = request.query_params.get("context") == "inline"
            if (iri, RDF.type, CG.CorpusDocument) in service.graph:
                body = linked_data.document_tree(service.graph, iri, service.base, inline)
            else:
                body = linked_data.jsonld_node(service.graph, iri, service.base, inline)
            headers["Link"] += f', <{public(request)}context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'
            return JSONResponse(body, media_type=media, headers=headers)
        if media != "text/html":
            return Response(linked_data.rdf_bytes(linked_data.description(service.graph, iri), RDF_MEDIA[media]),
                            media_type=media, headers=headers)
        return page(request, iri, headers)

    def page(request: Request, iri: URIRef, headers: dict[str, str]) -> HTMLResponse:
        graph = service.graph
        types = {service.label(t) if (t, RDFS.label, None) in graph else str(t).rsplit("#", 1)[-1]
                 for t in graph.objects(iri, RDF.type)}
        if (iri, RDF.type, CG.Mandate) in graph:
            timeline = mandate_timeline(service.lineage, str(iri))
            return html(request, "timeline.html", iri=iri, label=service.label(iri), timeline=timeline,
                        jsonld=f"{service.local(iri)}?format=jsonld",
                        action=graph.value(iri, CG.action), issued_by=graph.value(iri, CG.issuedBy), headers=headers,
                        issued=(iri, CG.mandateStatus, CG.IssuedMandate) in graph)
        if (iri, RDF.type, CG.SourceFile) in graph:
            return source_page(request, iri, headers)
        parts = sorted(((graph.value(c, CG.firstLine) or 0, c) for c in graph.subjects(URIRef("http://data.europa.eu/eli/ontology#is_part_of"), iri)),
                       key=lambda x: (int(x[0]), str(x[1])))
        children = [{"href": service.href(c), "label": service.label(c), "number": graph.value(c, CG.number),
                     "text": str(graph.value(c, CG.text) or graph.value(c, CG.heading) or "")} for _, c in parts]
        footnotes = [{"href": service.href(f), "number": graph.value(f, CG.number), "text": str(graph.value(f, CG.text) or "")}
                     for f in sorted(graph.objects(iri, CG.footnote), key=str)]
        cites = [{"href": service.href(graph.value(c, CG.citedNode)), "label": service.label(graph.value(c, CG.citedNode)),
                  "words": str(graph.value(c, CG.citedText))} for c in sorted(graph.objects(iri, CG.citation), key=str)]
        cited_by = [{"href": service.href(s), "label": service.label(s)} for s in sorted(set(graph.subjects(CG.cites, iri)), key=str)]
        mandates = [{"href": service.href(m), "label": service.label(m), "action": str(graph.value(m, CG.action) or "")}
                    for m in sorted(graph.objects(iri, CG.mandate), key=str)]
        trace = service.lineage.trace(str(iri), "both")
        predecessors = [e for e in service.lineage.edges(str(iri), "up", frozenset({"repeats", "amends", "restates"}))]
        diffs = [{"href": service.href(e.earlier), "label": service.label(URIRef(e.earlier)), "type": e.type,
                  "confidence": e.confidence, "similarity": e.similarity, "diff": e.diff, "footnotes": e.footnotes,
                  "verbatim": e.type == "repeats" and not e.diff} for e in predecessors]
        chained: dict[str, float] = {str(iri): 1.0}
        steps = []
        for s in trace.steps:
            parent = s.edge.later if s.direction == "up" else s.edge.earlier
            chained[s.node.iri] = chain([chained.get(parent, 1.0), s.edge.confidence])
            steps.append({"href": service.href(s.node.iri), "label": s.node.label, "type": s.edge.type, "direction": s.direction,
                          "depth": s.depth, "confidence": s.edge.confidence, "chain": chained[s.node.iri],
                          "similarity": s.edge.similarity, "inferred": s.edge.inferred, "shape": s.edge.shape_words,
                          "evidence": s.edge.words or ""})
        properties = [(str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1], o) for p, o in sorted(graph.predicate_objects(iri), key=lambda x: (str(x[0]), str(x[1])))
                      if p not in {CG.text, RDFS.label}]
        props = [{"name": name, "value": str(o), "href": service.href(o) if isinstance(o, URIRef) else None,
                  "label": service.label(o) if isinstance(o, URIRef) else str(o)} for name, o in properties]
        svg = Markup(lineage_svg(trace, lambda iri: service.href(iri) or "#")) if trace.steps else None
        return html(request, "node.html", iri=iri, label=service.label(iri), types=sorted(types),
                    citation=citation_form(graph, iri, service.label(iri)), accessed=datetime.date.today().strftime("%-d %B %Y"),
                    fate=recommendation_fate(service.lineage, str(iri)) if (iri, RDF.type, CG.Recommendation) in graph else None,
                    source=source_link(graph, iri), facts=document_facts(graph, iri, service.label),
                    text=graph.value(iri, CG.text), heading=graph.value(iri, CG.heading), children=children,
                    footnotes=footnotes, cites=cites, cited_by=cited_by, mandates=mandates, diffs=diffs, steps=steps,
                    svg=svg, props=props, is_document=(iri, RDF.type, CG.CorpusDocument) in graph,
                    jsonld=f"{service.local(iri)}?format=jsonld", headers=headers)

    def source_page(request: Request, iri: URIRef, headers: dict[str, str]) -> HTMLResponse:
        """A source file as the corpus holds it, line by line (the pinpoints' line numbers), with the
        lines `?lines=10-15` asks for marked: where a unit's words stand in the source."""
        name = str(iri).rsplit("/", 1)[-1]
        path = settings.project.corpus_dir / name
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() and "/" not in name else []
        wanted = re.fullmatch(r"(\d+)(?:-(\d+))?", request.query_params.get("lines", ""))
        first, last = (int(wanted.group(1)), int(wanted.group(2) or wanted.group(1))) if wanted else (0, -1)
        units = sorted(((int(graph_line), s) for s in service.graph.subjects(CG.sourceFile, iri)
                        for graph_line in [service.graph.value(s, CG.firstLine) or 0]), key=lambda x: x[0])
        starts = {line: [{"href": service.href(s), "label": service.label(s)} for n, s in units if n == line] for line, _ in units}
        return html(request, "source.html", iri=iri, label=service.label(iri), lines=lines, first=first, last=last,
                    starts=starts, jsonld=f"{service.local(iri)}?format=jsonld", headers=headers)

    for space in IRI_SPACES:
        def route(request: Request, path: str, format: str | None = None, _space: str = space) -> Response:
            return dereference(request, f"{_space}/{path}", format)
        app.add_api_route(f"/{space}/{{path:path}}", route, methods=["GET"], summary=f"Dereference an IRI under /{space}/",
                          name=f"dereference_{space}")

    @app.get("/ontology", summary="The data model: a page for browsers, the ontology as Turtle for tools")
    def ontology(request: Request) -> Response:
        ontology_file = settings.project.ontology_dir / "coopgraph.ttl"
        if request.query_params.get("format") in {"turtle", "ttl"} or not wants_html(request):
            return FileResponse(ontology_file, media_type="text/turtle", headers={"Vary": "Accept"})
        return html(request, "data_model.html", prefixes=sorted((p, str(ns)) for p, ns in PREFIXES.items()),
                    queries=service.queries, jsonld=None)

    @app.get("/ontology/terms", summary="Every class and property of the ontology, documented by pyLODE")
    def ontology_terms() -> Response:
        from coopgraph.web.data_model import reference_html

        return HTMLResponse(reference_html(settings.project.ontology_dir / "coopgraph.ttl"))

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """The API's Swagger UI, from files this package ships (no CDN), started by a script file."""
        return HTMLResponse(DOCS_PAGE)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return RedirectResponse("/static/favicon.svg")

    return app


# -- helpers -----------------------------------------------------------------------------------------

def app_from_environment() -> FastAPI:
    """The app as each of several server processes builds it, from COOPGRAPH_* variables."""
    from coopgraph.config import Settings
    from coopgraph.web.connections import configure

    settings = ServeSettings.from_env(Settings.from_env())
    configure(settings.header_timeout, settings.max_connections)
    return create_app(settings)


ROWS_PER_PAGE = 50


def citation_form(graph: Graph, iri: URIRef, label: str) -> str | None:
    """A unit or document as it is usually cited: its pinpoint label, then the text's title, the
    session and the date the text gives ("ICC-ASP/14/Res.3, para. 27 (Resolution on cooperation,
    Assembly of States Parties, fourteenth session, 26 November 2015)"). None outside the corpus."""
    if not str(iri).split("/coopgraph/", 1)[-1].startswith("doc/"):
        return None
    document = iri
    for parent in graph.transitive_objects(iri, URIRef("http://data.europa.eu/eli/ontology#is_part_of")):
        if (parent, RDF.type, CG.CorpusDocument) in graph:
            document = parent
    if (document, RDF.type, CG.CorpusDocument) not in graph:
        return None
    details = [str(t) for t in (graph.value(document, DCTERMS.title),) if t is not None and str(t) not in label]
    session = graph.value(document, CG.session)
    if session is not None and graph.value(session, RDFS.label) is not None:
        details.append(str(graph.value(session, RDFS.label)))
    date = graph.value(document, DCTERMS.date)
    if date is not None:
        details.append(datetime.date.fromisoformat(str(date)).strftime("%-d %B %Y"))
    return f"{label} ({', '.join(details)})" if details else label


def document_facts(graph: Graph, iri: URIRef, label: Any) -> list[tuple[str, str]]:
    """A text's own facts, as its first lines state them: what it is, when and how it was adopted."""
    if (iri, RDF.type, CG.CorpusDocument) not in graph:
        return []
    facts = []
    for name, predicate in (("title", DCTERMS.title), ("symbol", DCTERMS.identifier), ("session", CG.session),
                            ("date", DCTERMS.date), ("adopted", CG.adoptedAtMeeting), ("adoption", CG.adoptionMethod),
                            ("legal status", CG.legalStatus)):
        value = graph.value(iri, predicate)
        if value is None:
            continue
        if isinstance(value, URIRef):
            text = str(graph.value(value, SKOS.prefLabel) or label(value))
        elif predicate == DCTERMS.date:
            text = datetime.date.fromisoformat(str(value)).strftime("%-d %B %Y")
        else:
            text = str(value)
        facts.append((name, text))
    return facts


def source_link(graph: Graph, iri: URIRef) -> dict[str, str] | None:
    """Where a unit's words stand in its source file: the file's page with those lines marked."""
    source, first, last = graph.value(iri, CG.sourceFile), graph.value(iri, CG.firstLine), graph.value(iri, CG.lastLine)
    if source is None or first is None:
        return None
    span = f"{first}-{last}" if last is not None and str(last) != str(first) else str(first)
    path = "/" + str(source).split("/coopgraph/", 1)[-1]
    return {"href": f"{path}?lines={span}#L{first}", "lines": span.replace("-", "–")}


def count_statuses(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[str(row["status"])] = counts.get(str(row["status"]), 0) + 1
    return list(counts.items())


def document_date(graph: Graph, document: URIRef) -> str | None:
    """The date a text gives for itself, or that its parent text gives (an annex); None when none does."""
    for node in (document, *graph.transitive_objects(document, URIRef("http://data.europa.eu/eli/ontology#is_part_of"))):
        date = graph.value(node, DCTERMS.date) or graph.value(node, URIRef("http://data.europa.eu/eli/ontology#date_document"))
        if date is not None:
            return str(date)
    return None


def document_order(graph: Graph, document: URIRef) -> tuple[object, ...]:
    """Texts in the order they were written: by session, then date, then name read naturally
    (ICC-ASP/6 before ICC-ASP/14); a text of no session (the flyer) last."""
    session = graph.value(document, CG.session)
    number = graph.value(session, CG.sessionNumber) if session is not None else None
    return (int(number) if number is not None else 999, document_date(graph, document) or "", natural_key(str(document)))


def natural_key(text: str) -> tuple[object, ...]:
    """Text with its numbers read as numbers: ICC-ASP/6 before ICC-ASP/14, para. 2 before para. 10."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text))


def search_construct(q: str) -> str:
    """The search as a CONSTRUCT (each word as a substring, case aside), so a results page links
    to its JSON-LD. SPARQL has no stemming: it finds what holds the words as typed."""
    words = re.findall(r"\w+", q.lower())
    filters = " ".join(f'FILTER(CONTAINS(LCASE(STR(?text)), {json.dumps(w)}))' for w in words)
    return (f"PREFIX cg: <{CG}> PREFIX rdfs: <{RDFS}> CONSTRUCT {{ ?unit rdfs:label ?label ; cg:text ?text }} "
            f"WHERE {{ ?unit cg:text ?text ; rdfs:label ?label . {filters} }}")


def wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and choose(accept, ["text/html", "application/json", "application/ld+json"]) == "text/html"


def public(request: Request) -> str:
    """The server's public address, from its settings: never from the request's Host header."""
    return request.app.state.service.settings.public_url


def swagger_assets() -> Path:
    """Swagger UI's files, as the fastapi-offline package ships them."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>coopgraph API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css"><link rel="icon" href="/static/favicon.svg"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script><script src="/static/docs.js"></script></body></html>
"""


def marked_html(diff: str | None) -> Markup:
    """A marked diff ([-deleted-] {+inserted+}) as HTML with <del> and <ins>."""
    if not diff:
        return Markup("")
    out = escape(diff)
    out = re.sub(r"\[-(.*?)-\]", r'<del>\1</del>', out)
    out = re.sub(r"\{\+(.*?)\+\}", r'<ins>\1</ins>', out)
    return Markup(out)


def results_table(body: bytes, media: str) -> dict[str, Any] | None:
    if not media.startswith("application/sparql-results+json"):
        return None
    data = json.loads(body)
    if "boolean" in data:
        return {"vars": ["answer"], "rows": [[{"value": str(data["boolean"]).lower(), "href": None}]]}
    variables = data["head"]["vars"]
    rows = []
    for binding in data["results"]["bindings"]:
        row = []
        for v in variables:
            term = binding.get(v)
            if term is None:
                row.append({"value": "", "href": None})
            elif term["type"] == "uri":  # a link only for http(s): never javascript: or data:
                safe = re.match(r"(?i)https?://", term["value"])
                row.append({"value": term["value"], "href": term["value"] if safe else None})
            else:
                row.append({"value": term["value"], "href": None})
        rows.append(row)
    return {"vars": variables, "rows": rows}


def timelines_of(service: Service, iri: URIRef) -> list[Any] | None:
    graph = service.graph
    if (iri, RDF.type, CG.Recommendation) in graph:
        return [recommendation_fate(service.lineage, str(iri))]
    if (iri, RDF.type, CG.Mandate) in graph:
        return [mandate_timeline(service.lineage, str(iri))]
    mandates = sorted(str(m) for m in graph.objects(iri, CG.mandate))
    return [mandate_timeline(service.lineage, m) for m in mandates] or None

