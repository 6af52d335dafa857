"""The FastAPI application: what every request passes through (HEAD as GET, security headers,
CORS, the request log, the errors), and the routers, one per concern (coopgraph.web.routes):
the SPARQL protocol, linked data, the API and the pages.
"""

from __future__ import annotations

import time
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from coopgraph.errors import CoopgraphError, ReferenceNotFound
from coopgraph.sparql.fairness import OverBudget
from coopgraph.sparql.pool import settle_heap
from coopgraph.store import StoreError
from coopgraph.web.errors import status_of
from coopgraph.web.front import SparqlFront, over_budget_response, store_unreachable_response
from coopgraph.web.head import HeadAsGet
from coopgraph.web.negotiation import wants_html
from coopgraph.web.routes import api, linked_data, pages, sparql_protocol
from coopgraph.web.security import add_security
from coopgraph.web.service import LOG, Service
from coopgraph.web.settings import ServeSettings
from coopgraph.web.templating import HERE, swagger_assets, templates_for


class CoopgraphApp(FastAPI):
    """FastAPI, with the front door of /sparql (coopgraph.web.front) before all of it."""

    front: SparqlFront | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.front is None or not await self.front.answer(scope, receive, send):
            await super().__call__(scope, receive, send)


def create_app(settings: ServeSettings, start_pool: bool = True) -> FastAPI:
    service = Service(settings, start_pool)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        import anyio.to_thread

        # Threads for sync routes (pages; waiting queries hold none: FairTurns.take_async)
        anyio.to_thread.current_default_thread_limiter().total_tokens = 96
        settle_heap()
        yield
        if service.pool is not None:
            service.pool.close()

    app = CoopgraphApp(
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
    templates = templates_for(service)
    app.state.templates = templates
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
                # one leading slash: '//evil.example/' would otherwise go to '//evil.example', another host
                target = quote("/" + path.strip("/"), safe="/:@!$&'()*+,;=-._~") + (f"?{raw}" if raw else "")
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
    app.front = SparqlFront(service)

    @app.exception_handler(StoreError)
    async def store_unreachable(request: Request, exc: StoreError) -> Response:
        return store_unreachable_response(service, exc)

    @app.exception_handler(OverBudget)
    async def over_budget(request: Request, exc: OverBudget) -> Response:
        return over_budget_response(exc)

    @app.exception_handler(CoopgraphError)
    async def coopgraph_error(request: Request, exc: CoopgraphError) -> Response:
        status = status_of(exc)
        body: dict[str, Any] = {"error": str(exc).split("\nnearest matches:")[0]}
        if isinstance(exc, ReferenceNotFound):
            body["suggestions"] = [{"label": label, "iri": iri, "href": service.href(iri)} for label, iri in exc.suggestions]
        if wants_html(request):
            return templates.TemplateResponse(request, "error.html", {"status": status, **body}, status_code=status)
        return JSONResponse(body, status_code=status)

    for router in (pages.router, sparql_protocol.router, api.router, linked_data.router):
        app.include_router(router)
    return app


def app_from_environment() -> FastAPI:
    """The app as each of several server processes builds it, from COOPGRAPH_* variables."""
    from coopgraph.config import Settings
    from coopgraph.web.connections import configure

    settings = ServeSettings.from_env(Settings.from_env())
    configure(settings.header_timeout, settings.max_connections, settings.query_timeout)
    return create_app(settings)
