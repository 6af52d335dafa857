"""The front door of /sparql: a SPARQL client's GET, answered before the rest of the app.

Most requests a SPARQL endpoint gets are one shape: GET /sparql?query=… (perhaps with format=)
from a program, not a browser. Passing each through FastAPI's and our layers (errors, HEAD, CORS,
security headers, the log, routing, dependency solving) cost more than many of the queries
themselves: the Oxigraph server answers a small query in half a millisecond in all. So that one
shape is answered here, first thing (coopgraph.web.app.CoopgraphApp), by the same function the
route calls (`answer_response`), with the same headers (security, and `Vary: Origin` as the CORS
layer adds it) and the same log line; tests/test_front.py holds the two to the same bytes.
Everything else goes on to the app unchanged: HEAD, POST, a request with an Origin (CORS), a
browser, a request for the service description, any other parameter, and the first request
after a rebuild check falls due.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.responses import PlainTextResponse, Response

from coopgraph.sparql.fairness import OverBudget, client_group
from coopgraph.sparql.formats import Wanted
from coopgraph.store import StoreError
from coopgraph.web.negotiation import accepts_html
from coopgraph.web.query_string import query_pairs
from coopgraph.web.routes.sparql_protocol import AnswerResponse, answer_response
from coopgraph.web.security import SECURITY_HEADERS, secured
from coopgraph.web.service import LOG, Service

FRONT_PARAMETERS = frozenset({"query", "format"})


def over_budget_response(exc: OverBudget) -> Response:
    return PlainTextResponse(str(exc), status_code=429, headers={"Retry-After": str(exc.retry_after)})


def store_unreachable_response(service: Service, exc: StoreError) -> Response:
    """The store (a SPARQL server) does not answer: 503, and the next request tries again."""
    LOG.warning("the store (%s) does not answer: %s", service.store.describe(), exc)  # the detail for the operator
    return PlainTextResponse("the store is not answering; try again shortly",  # not the server's address or its words
                             status_code=503, headers={"Retry-After": "5"})


class SparqlFront:
    """The app's first step (coopgraph.web.app.CoopgraphApp): a SPARQL client's GET is answered
    here; for everything else `answer` says no, and the app answers."""

    def __init__(self, service: Service):
        self.service = service

    async def answer(self, scope: dict[str, Any], receive: Any, send: Any) -> bool:
        """Answer the request if it is the one shape answered here; whether it was."""
        if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] != "GET":
            return False
        started = time.perf_counter()
        request = self._plain_query(scope)
        if request is None:
            return False
        text, formats, accept, if_none_match = request
        client = client_group(scope["client"][0]) if scope.get("client") else "-"  # its network: nothing it says of itself
        try:  # Vary names Origin, as the CORS layer adds it to what passes through the app
            response = await answer_response(self.service, text, None, Wanted(formats, accept), client, if_none_match,
                                             vary="Accept, Origin")
        except OverBudget as exc:
            response = over_budget_response(exc)
        except StoreError as exc:
            response = store_unreachable_response(self.service, exc)
        if isinstance(response, AnswerResponse):
            response.raw_headers.extend(SECURITY_HEADERS)
        else:  # 304, 429, 503
            response.headers["Vary"] = ", ".join([*response.headers.getlist("Vary"), "Origin"])
            send = secured(send)
        await response(scope, receive, send)
        LOG.info("GET /sparql %d %.1f ms", response.status_code, (time.perf_counter() - started) * 1000)
        return True

    def _plain_query(self, scope: dict[str, Any]) -> tuple[str, tuple[str, ...], str | None, str] | None:
        """(query, formats, Accept, If-None-Match) when the request is the one shape answered
        here; None when the app must answer it."""
        if self.service.pool is None or self.service.rebuild_check_due():
            return None
        pairs = query_pairs(scope["query_string"])
        if any(name not in FRONT_PARAMETERS for name, _ in pairs):
            return None
        queries = [value for name, value in pairs if name == "query"]
        if len(queries) != 1 or not queries[0].strip():
            return None
        accept = if_none_match = None
        for name, value in scope["headers"]:  # the first of each, as Starlette's Headers.get reads them
            if name == b"origin":
                return None  # a cross-origin request: the CORS layer answers it
            if name == b"accept" and accept is None:
                accept = value.decode("latin-1")
            elif name == b"if-none-match" and if_none_match is None:
                if_none_match = value.decode("latin-1")
        formats = tuple(value for name, value in pairs if name == "format" and value)
        if not formats and accepts_html(accept or ""):
            return None  # a browser: the query page
        return queries[0], formats, accept, if_none_match or ""
