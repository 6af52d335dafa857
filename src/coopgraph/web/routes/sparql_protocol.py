"""The SPARQL 1.1 Protocol endpoint (/sparql) and the named queries (/queries): answers kept per
version of the graph, queries run in the worker pool, never on the event loop."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import (
    JSONResponse,
    PlainTextResponse,
    Response,
)

from coopgraph.errors import QueryError
from coopgraph.resolve import resolve_parameter
from coopgraph.sparql.answers import AnswerCache
from coopgraph.sparql.formats import GRAPH_FORMATS, Wanted, choose
from coopgraph.sparql.named import bind
from coopgraph.sparql.pool import PIECE, Answer, Busy, QueryTimeout, WorkerLost
from coopgraph.web import descriptions
from coopgraph.web.errors import status_of
from coopgraph.web.negotiation import RDF_MEDIA, public, wants_html
from coopgraph.web.query_editor import editor_settings
from coopgraph.web.reader import PageReader
from coopgraph.web.security import read_body
from coopgraph.web.service import Service, ServiceDep, client_of
from coopgraph.web.templating import ROWS_PER_PAGE, render, results_table

router = APIRouter()


# -- SPARQL ------------------------------------------------------------------------------------
async def answer_of(service: Service, text: str, bindings: dict[str, Any] | None, wanted: Wanted, client: str,
                    if_none_match: str = "") -> Answer | Response:
    """The pool's answer, or the one kept for this build of the graph; 304 when the client has it.
    On the event loop: every step here is quick, and the query itself runs in a worker process.
    `client` is the client's address: nothing it says of itself."""
    assert service.pool is not None
    version = service.store.version()
    key = AnswerCache.key(version, text, bindings, wanted) if version else None
    if key is not None:
        etag = f'"{key}"'
        if if_none_match and etag in {t.strip() for t in if_none_match.split(",")}:
            return Response(status_code=304, headers={"ETag": etag, "Cache-Control": "no-cache"})
        kept = service.answers.get(key)
        if kept is not None:
            return kept
    try:  # the client's budget is asked before its turn, and again when the turn came after a wait
        answer = await service.pool.run_async(text, bindings, wanted, client=client,
                                              admit=lambda: service.budgets.admit(client), version=version)
    except (QueryTimeout, WorkerLost):  # it cost the whole time (or a worker): charged as the time limit
        service.budgets.charge(client, service.settings.query_timeout)
        raise
    service.budgets.charge(client, answer.seconds)
    if key is not None and answer.version == version:
        answer.etag = key
        service.answers.put(key, answer)
    return answer


async def answer_or_refusal(service: Service, text: str, bindings: dict[str, Any] | None, wanted: Wanted, client: str,
                            if_none_match: str = "") -> Answer | Response:
    """The answer, or what to send instead: 304, or 503 when no worker could answer in time."""
    try:
        return await answer_of(service, text, bindings, wanted, client, if_none_match)
    except (QueryTimeout, Busy, WorkerLost) as exc:
        return PlainTextResponse(str(exc), status_code=503, headers={"Retry-After": "5"})


async def answer_response(service: Service, text: str, bindings: dict[str, Any] | None, wanted: Wanted, client: str,
                          if_none_match: str = "", vary: str = "Accept") -> Response:
    """An answer as the endpoint sends it to a client that is not a browser, with its headers."""
    answer = await answer_or_refusal(service, text, bindings, wanted, client, if_none_match)
    if isinstance(answer, Response):
        return answer
    return AnswerResponse(answer, answer_headers(answer, text, bindings, wanted, vary))


class AnswerResponse(Response):
    """A worker's answer with its headers, written as Starlette's Response writes them (the
    charset added to a text type, the length counted), without its general steps: the one
    response most requests get."""

    def __init__(self, answer: Answer, headers: dict[str, str]):
        self.status_code, self.body, self.background = answer.status, answer.body, None
        self.spool = answer.spool
        media = answer.media_type
        if media.startswith("text/") and "charset=" not in media.lower():
            media += "; charset=utf-8"
        self.raw_headers = [(b"content-length", str(answer.length).encode()), (b"content-type", media.encode("latin-1")),
                            *((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items())]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """A large answer is sent from its file piece by piece, each read off the event loop: the
        server holds one piece of it at a time, however slowly the client reads."""
        if self.spool is None:
            await super().__call__(scope, receive, send)
            return
        spool = self.spool
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            while piece := await run_in_threadpool(spool.read, PIECE):
                await send({"type": "http.response.body", "body": piece, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            spool.close()


def answer_headers(answer: Answer, text: str, bindings: dict[str, Any] | None, wanted: Wanted,
                   vary: str = "Accept") -> dict[str, str]:
    headers = {"X-Query-Seconds": f"{answer.seconds:.3f}", "Vary": vary}
    if answer.status == 503:
        headers["Retry-After"] = "5"
    if answer.version and answer.status == 200:
        headers["ETag"] = f'"{answer.etag or AnswerCache.key(answer.version, text, bindings, wanted)}"'
        headers["Cache-Control"] = "no-cache"  # keep it, but ask again: a rebuild changes the answer
    if answer.truncated:
        headers["X-Coopgraph-Truncated"] = "true"
        headers["Warning"] = f'199 coopgraph "{answer.truncated}"'
    return headers


async def sparql_response(service: Service, request: Request, text: str | None, formats: list[str], default_graphs: list[str],
                          named_graphs: list[str]) -> Response:
    own = str(service.iris.corpus_graph)
    for graph in default_graphs + named_graphs:
        if graph != own:
            return PlainTextResponse(f"default-graph-uri/named-graph-uri <{graph}> is not served here; "
                                     f"the only graph is <{own}>", status_code=400)
    formats = [f for f in formats if f]
    wanted = Wanted(tuple(formats), request.headers.get("accept"))
    browser = wants_html(request) and not formats
    if text is None or not text.strip():
        if browser:
            return await run_in_threadpool(sparql_page, service, request, query=None, result=None, jsonld="/void")
        media = (next((GRAPH_FORMATS.get(f.lower(), f.lower()) for f in formats if GRAPH_FORMATS.get(f.lower(), f.lower()) in RDF_MEDIA), None)
                 if formats else choose(wanted.accept, list(RDF_MEDIA)))
        if media is None:
            return PlainTextResponse(f"the service description is given as {', '.join(RDF_MEDIA)}", status_code=400 if formats else 406,
                                     headers={"Vary": "Accept"})
        isolation = service.pool.isolation() if service.pool is not None else "unknown (no query workers)"
        description = descriptions.service_description(service.base, public(request), isolation)
        body = await run_in_threadpool(description.serialize, format=RDF_MEDIA[media])
        return Response(body, media_type=media, headers={"Vary": "Accept"})
    if service.pool is None:
        return PlainTextResponse("the query service is not running", status_code=503)
    if not browser:
        return await answer_response(service, text, None, wanted, client_of(request), request.headers.get("if-none-match", ""))
    wanted = Wanted((), "application/sparql-results+json, text/turtle;q=0.9")
    answer = await answer_or_refusal(service, text, None, wanted, client_of(request), request.headers.get("if-none-match", ""))
    if isinstance(answer, Response):  # a refusal (time limit, busy, over budget): shown in the page, the query kept
        words = bytes(answer.body).decode("utf-8", "replace")
        page = await run_in_threadpool(sparql_page, service, request, status=answer.status_code, query=text,
                                       result=None, error=words)
        for name in ("retry-after",):
            if name in answer.headers:
                page.headers[name] = answer.headers[name]
        return page
    return await run_in_threadpool(answer_page, service, request, text, answer)


def sparql_page(service: Service, request: Request, status: int = 200, **values: Any) -> Response:
    """The SPARQL page: the editor with its settings, the named queries, and what `values` add."""
    return render(request, "sparql.html", status=status, queries=service.queries, editor=editor_settings(service), **values)


def answer_page(service: Service, request: Request, text: str, answer: Answer) -> Response:
    """An answer as the SPARQL page shows it to a browser: a table, or the error, or the raw text."""
    body = answer.content()
    table = results_table(body, answer.media_type) if answer.status == 200 else None
    error = None if answer.status == 200 else body.decode("utf-8", "replace")
    return sparql_page(service, request, status=answer.status, query=text, result=table, error=error, truncated=answer.truncated,
                raw=body.decode("utf-8", "replace") if answer.status == 200 and table is None else None)


SPARQL_GET_PARAMETERS = [
    {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
     "examples": {"count": {"value": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}}},
    {"name": "format", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "json, xml, csv, tsv, turtle, nt, jsonld or a media type"},
    {"name": "default-graph-uri", "in": "query", "required": False, "schema": {"type": "array", "items": {"type": "string"}}},
    {"name": "named-graph-uri", "in": "query", "required": False, "schema": {"type": "array", "items": {"type": "string"}}},
]


@router.get("/sparql", summary="SPARQL 1.1 query (GET), or the service description without a query",
            openapi_extra={"parameters": SPARQL_GET_PARAMETERS},
            responses={200: {"content": {"application/sparql-results+json": {}, "application/sparql-results+xml": {},
                                         "text/csv": {}, "text/tab-separated-values": {}, "text/turtle": {},
                                         "application/n-triples": {}, "application/ld+json": {}}}})
async def sparql_get(service: ServiceDep, request: Request) -> Response:
    """The parameters are read here, not declared: FastAPI's per-parameter validation costs a
    tenth of a millisecond on every query (they are documented through `openapi_extra`)."""
    params = request.query_params
    if "update" in params:
        return PlainTextResponse("SPARQL Update is never sent by GET (SPARQL 1.1 Protocol, 2.2), and this "
                                 "endpoint is read-only", status_code=400)
    queries = params.getlist("query")
    if len(queries) > 1:
        return PlainTextResponse("the request has more than one 'query' parameter; send exactly one",
                                 status_code=400)
    return await sparql_response(service, request, queries[0] if queries else None, params.getlist("format"),
                                 params.getlist("default-graph-uri"), params.getlist("named-graph-uri"))


@router.post("/sparql", summary="SPARQL 1.1 query by POST (form or application/sparql-query)",
          openapi_extra={"requestBody": {"content": {
              "application/sparql-query": {"schema": {"type": "string"}},
              "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                  "query": {"type": "string"}, "format": {"type": "string"}}}}}}})
async def sparql_post(service: ServiceDep, request: Request) -> Response:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await read_body(request, service.settings.max_query_bytes * 4)
    if isinstance(raw, Response):
        return raw
    return await sparql_post_body(service, request, media, raw)


async def sparql_post_body(service: Service, request: Request, media: str, raw: bytes) -> Response:
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return PlainTextResponse(f"the request body is not UTF-8 (byte {exc.start})", status_code=400)
    params = request.query_params
    if media == "application/sparql-query":
        return await sparql_response(service, request, body, params.getlist("format"), params.getlist("default-graph-uri"),
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
        return await sparql_response(service, request, text, formats, form.get("default-graph-uri", []),
                                     form.get("named-graph-uri", []))
    if media == "application/sparql-update":
        return PlainTextResponse("SPARQL Update is not accepted: this endpoint is read-only", status_code=403)
    return PlainTextResponse(f"unsupported content type {media!r}: send application/sparql-query or a form",
                             status_code=415)

# -- named queries ---------------------------------------------------------------------------
@router.get("/queries", summary="The named queries, with their parameters")
def list_queries(service: ServiceDep, request: Request) -> Response:
    items = [{"name": q.name, "title": q.title, "description": q.description, "href": f"/queries/{q.name}",
              "parameters": [{"name": n, "type": k, "description": d} for n, (k, d) in q.params.items()]}
             for q in service.queries.values()]
    return JSONResponse(items)


@router.get("/queries/{name}", summary="Run a named query; parameters are bound as RDF terms",
         description="Each parameter is a query parameter of its own name. An IRI parameter also takes a "
                     "reference ('ICC-ASP/14/Res.3, para. 27'), resolved first. A browser without every "
                     "parameter gets a form with a field for each, and results in pages of 50 rows (`page`).")
async def run_named(service: ServiceDep, request: Request, name: str, format: str | None = None) -> Response:
    named = service.queries.get(name)
    if named is None:
        return JSONResponse({"error": f"no named query {name!r}", "queries": sorted(service.queries)}, status_code=404)
    values = {k: v for k, v in request.query_params.items() if k not in {"format", "page"} and v.strip()}
    browser = wants_html(request) and not format
    if browser and set(named.params) - set(values):
        return await run_in_threadpool(query_form, service, request, named, values, None)
    try:
        bindings = bind(named, await run_in_threadpool(as_iris, service, named, values, client_of(request)))
    except QueryError as exc:
        if browser:
            return await run_in_threadpool(query_form, service, request, named, values, str(exc))
        return JSONResponse({"error": str(exc)}, status_code=status_of(exc))
    if service.pool is None:
        return PlainTextResponse("the query service is not running", status_code=503)
    wanted = Wanted(tuple(request.query_params.getlist("format")), request.headers.get("accept"))
    if not browser:
        return await answer_response(service, named.text, bindings, wanted, client_of(request),
                                     request.headers.get("if-none-match", ""))
    wanted = Wanted((), "application/sparql-results+json")
    answer = await answer_or_refusal(service, named.text, bindings, wanted, client_of(request),
                                     request.headers.get("if-none-match", ""))
    if isinstance(answer, Response):
        return answer
    if answer.status == 200:
        return await run_in_threadpool(named_page, service, request, named, values, answer)
    return AnswerResponse(answer, answer_headers(answer, named.text, bindings, wanted))


def as_iris(service: Service, named: Any, values: dict[str, str], client: str) -> dict[str, str]:
    """Each IRI parameter given as a reference ('ICC-ASP/14/Res.3, para. 27') read as the IRI it
    names, on the client's budget (an unknown reference is matched against every name)."""
    out = dict(values)
    with service.matching(client):
        for key, value in values.items():
            if named.params.get(key, ("",))[0] == "iri":
                out[key] = str(resolve_parameter(service.graph, service.base, key, named.examples.get(key, ""), value))
    return out


def parameter_choices(service: Service, named: Any) -> dict[str, list[tuple[str, str]]]:
    """For an IRI parameter whose example names an actor, a session, a topic or a corpus document,
    every node of that kind (label, IRI): the form offers a select box; others take a reference."""
    read = PageReader(service)
    choices = {key: read.nodes_like(example) for key, example in named.examples.items() if named.params[key][0] == "iri"}
    return {key: nodes for key, nodes in choices.items() if nodes is not None}


def query_form(service: Service, request: Request, named: Any, values: dict[str, str], error: str | None) -> Response:
    return render(request, "query.html", status=400 if error else 200, named=named, values=values, error=error,
                choices=parameter_choices(service, named), result=None, page=0, pages=0, total=0)


def named_page(service: Service, request: Request, named: Any, values: dict[str, str], answer: Answer) -> Response:
    table = results_table(answer.content(), answer.media_type) or {"vars": [], "rows": []}
    try:
        page = max(0, int(request.query_params.get("page", "0")))
    except ValueError:
        page = 0
    total = len(table["rows"])
    pages = max(1, -(-total // ROWS_PER_PAGE))
    page = min(page, pages - 1)
    shown = {"vars": table["vars"], "rows": table["rows"][page * ROWS_PER_PAGE:(page + 1) * ROWS_PER_PAGE]}
    return render(request, "query.html", named=named, values=values, error=None, choices=parameter_choices(service, named),
                result=shown, page=page, pages=pages, total=total, first=page * ROWS_PER_PAGE + 1,
                truncated=answer.truncated, query_string=urlencode(values))

