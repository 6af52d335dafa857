"""The front door of /sparql (coopgraph.web.front): a SPARQL client's GET is answered before the
app's layers, and answered exactly as the app's route answers it; every other request still
reaches the app."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import quote_plus, unquote

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgraph.config import Settings
from coopgraph.web.app import create_app
from coopgraph.web.settings import ServeSettings
from tests.conftest import BASE, ROOT

OWN_GRAPH = f"{BASE}graph/corpus"
SELECT = "SELECT ?u ?t WHERE { ?u cg:text ?t } ORDER BY ?u LIMIT 3"
CONSTRUCT = "CONSTRUCT { ?u cg:text ?t } WHERE { ?u cg:text ?t } ORDER BY ?u LIMIT 3"
CASES = [  # (query, format values, Accept)
    (SELECT, (), "application/sparql-results+json"),
    (SELECT, ("csv",), None),
    (SELECT, (), "text/tab-separated-values"),
    (SELECT, (), "application/sparql-results+xml;q=0.5, text/csv;q=0.9"),
    ("ASK { ?s ?p ?o }", (), "*/*"),
    (CONSTRUCT, (), "text/turtle"),
    (CONSTRUCT, ("xml",), None),
    (SELECT, (), "text/turtle"),  # nothing acceptable: 406
    (SELECT, ("turtle",), None),  # a graph format for a SELECT: 400
    ("SELECT * WHERE { ?s ?p }", (), None),  # a syntax error: 400
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", (), None),  # 403
]


@pytest.fixture(scope="module")
def app(built_dir: Path):
    application = create_app(ServeSettings.from_env(Settings(base=BASE, root=ROOT, out_dir=built_dir), query_workers=1))
    yield application
    application.state.service.pool.close()


def ask(app, method: str, params: list[tuple[str, str]], headers: dict[str, str], raw_query: str = "") -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 4000)),
                                     base_url="http://coopgraph.test") as http:
            if raw_query:
                return await http.request(method, f"/sparql?{raw_query}", headers=headers)
            return await http.request(method, "/sparql", params=params, headers=headers)

    return asyncio.run(go())


def comparable(response: httpx.Response) -> tuple[int, bytes, list[tuple[str, str]]]:
    headers = sorted((k, v) for k, v in response.headers.multi_items() if k != "x-query-seconds")
    return response.status_code, response.content, headers


@pytest.mark.parametrize("query, formats, accept", CASES)
def test_the_front_answers_as_the_route_does(app, query, formats, accept):
    """The same request answered by the front (query and format only) and by the app's route
    (a default-graph-uri naming the one graph sends it there): the same status, body and headers."""
    params = [("query", query), *(("format", f) for f in formats)]
    headers = {"Accept": accept} if accept else {}
    by_front = ask(app, "GET", params, headers)
    by_route = ask(app, "GET", [*params, ("default-graph-uri", OWN_GRAPH)], headers)
    assert by_front.headers["content-security-policy"] and by_front.headers["x-content-type-options"] == "nosniff"
    assert comparable(by_front) == comparable(by_route)


def test_a_client_that_has_the_answer_gets_304_from_either(app):
    etag = ask(app, "GET", [("query", SELECT)], {}).headers["etag"]
    by_front = ask(app, "GET", [("query", SELECT)], {"If-None-Match": etag})
    by_route = ask(app, "GET", [("query", SELECT), ("default-graph-uri", OWN_GRAPH)], {"If-None-Match": etag})
    assert by_front.status_code == 304 and comparable(by_front) == comparable(by_route)


class Unreachable:
    """Stands in for the app's layers: a request that reaches them is counted and refused."""

    def __init__(self) -> None:
        self.reached = 0

    async def __call__(self, scope, receive, send) -> None:
        self.reached += 1
        await send({"type": "http.response.start", "status": 599, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def test_only_a_plain_sparql_get_skips_the_app(app):
    stack, layers = app.middleware_stack, Unreachable()
    app.middleware_stack = layers
    try:
        plain = ask(app, "GET", [("query", SELECT), ("format", "json")], {})
        assert plain.status_code == 200 and layers.reached == 0
        others = [
            ask(app, "HEAD", [("query", SELECT)], {}),
            ask(app, "POST", [("query", SELECT)], {}),
            ask(app, "GET", [("query", SELECT)], {"Origin": "https://example.org"}),  # CORS
            ask(app, "GET", [("query", SELECT)], {"Accept": "text/html,*/*;q=0.8"}),  # a browser: the page
            ask(app, "GET", [], {}),  # the service description
            ask(app, "GET", [("query", SELECT), ("query", "ASK {}")], {}),
            ask(app, "GET", [("query", SELECT), ("update", "DROP ALL")], {}),
            ask(app, "GET", [("query", SELECT), ("named-graph-uri", OWN_GRAPH)], {}),
        ]
        assert [r.status_code for r in others] == [599] * len(others) and layers.reached == len(others)
    finally:
        app.middleware_stack = stack


ESCAPED = st.lists(st.sampled_from(["%", "%2", "%20", "%C3%A9", "%e9", "%zz", "%E2%82", "%25", "%5C", "\\", "\\x41", "+", "&", "=",
                                    "query", "format", "a", "0", "F", " ", "é", "\n", ";"]), max_size=30).map("".join)


@settings(max_examples=2000, deadline=None)
@given(ESCAPED)
def test_the_front_reads_a_query_string_as_starlette_does(text):
    """The front decodes percent escapes in C (coopgraph.web.query_string); what it reads must be
    what Starlette's QueryParams read: stray '%', escapes of a backslash, text that is not ASCII."""
    from starlette.datastructures import QueryParams

    from coopgraph.web.query_string import percent_decoded, query_pairs

    assert percent_decoded(text) == unquote(text)
    raw = text.encode("utf-8")
    assert query_pairs(raw) == QueryParams(raw).multi_items()


def test_a_query_with_escapes_and_plus_signs_is_answered_as_sent(app):
    """A query string as clients write it: spaces as '+', a literal '+' escaped, UTF-8 escaped."""
    query = 'SELECT ?n WHERE { BIND("a+b é" AS ?n) }'
    raw = "query=" + quote_plus(query) + "&format=json"
    response = ask(app, "GET", [], {}, raw_query=raw)
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "a+b é"


def test_start_up_leaves_what_it_built_out_of_the_collectors_full_passes(built_dir: Path):
    """The server's start-up objects are frozen (coopgraph.sparql.pool.settle_heap): the collector's
    full passes, each a walk over all of them, would otherwise cost every request its share."""
    import gc

    application = create_app(ServeSettings.from_env(Settings(base=BASE, root=ROOT, out_dir=built_dir)), start_pool=False)

    async def frozen_while_serving() -> int:
        async with application.router.lifespan_context(application):
            return gc.get_freeze_count()

    gc.unfreeze()
    try:
        assert asyncio.run(frozen_while_serving()) > 10_000
    finally:
        gc.unfreeze()
