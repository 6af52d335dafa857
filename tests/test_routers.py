"""Each router on its own: a FastAPI app with one router of coopgraph.web.routes and the service
given through the dependency (`get_service`), as a test or another app would mount it. What a
router answers does not depend on the others being there."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI

from coopgraph.config import Settings
from coopgraph.web.routes import api, linked_data, pages, sparql_protocol
from coopgraph.web.service import Service, get_service
from coopgraph.web.settings import ServeSettings
from coopgraph.web.templating import templates_for
from tests.conftest import BASE, ROOT

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def service(built_dir):
    settings = ServeSettings.from_env(Settings(base=BASE, root=ROOT, out_dir=built_dir))
    running = Service(settings, start_pool=False)  # no query workers: the SPARQL router says so
    yield running


class Alone:
    """An app holding one router, asked in process (httpx's ASGI transport)."""

    def __init__(self, router, service: Service):
        self.app = FastAPI()
        self.app.state.templates = templates_for(service)
        self.app.include_router(router)
        self.app.dependency_overrides[get_service] = lambda: service

    def get(self, path: str, **options) -> httpx.Response:
        async def ask() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://test") as client:
                return await client.get(path, **options)
        return asyncio.run(ask())


def alone(router, service: Service) -> Alone:
    return Alone(router, service)


def test_the_linked_data_router_dereferences_iris(service):
    client = alone(linked_data.router, service)
    unit = client.get("/doc/ICC-ASP/14/Res.3/para/27", headers={"Accept": "text/turtle"})
    assert unit.status_code == 200 and "Requests the Bureau" in unit.text
    assert client.get("/ontology", headers={"Accept": "text/turtle"}).text.startswith("@prefix")
    assert client.get("/").status_code == 404, "the home page is another router's"


def test_the_api_router_resolves_and_traces(service):
    client = alone(api.router, service)
    assert client.get("/resolve", params={"ref": "ICC-ASP/14/Res3 OP 27"}).json()["iri"] == f"{BASE}doc/ICC-ASP/14/Res.3/para/27"
    steps = client.get("/lineage", params={"ref": "ICC-ASP/14/Res.3, para. 28", "direction": "down"}).json()["steps"]
    assert steps and client.get("/sparql").status_code == 404


def test_the_pages_router_serves_home_search_and_comparison(service):
    client = alone(pages.router, service)
    assert "ICC-ASP/14/Res.3" in client.get("/", headers=HTML).text
    assert client.get("/search", params={"q": "arrest strategy"}).json()["total"] > 0
    compare = client.get("/compare", params={"a": "ICC-ASP/14/Res.3", "b": "asp15-bureau-report-cooperation annex I"},
                         headers=HTML)
    assert compare.status_code == 200 and 'id="comparison"' in compare.text


def test_the_sparql_router_without_workers_says_the_service_is_not_running(service):
    client = alone(sparql_protocol.router, service)
    answer = client.get("/sparql", params={"query": "ASK {}"})
    assert answer.status_code == 503 and "not running" in answer.text
    assert [q["name"] for q in client.get("/queries").json()][:2] == ["cited-documents-without-text", "documents"]


def test_the_settings_reach_a_route_through_the_service_given(service):
    client = alone(linked_data.router, service)
    terms = client.get("/ontology/terms")
    assert terms.status_code == 200 and 'id="classes"' in terms.text
