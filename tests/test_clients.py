"""SPARQL clients against a running server: SPARQLWrapper's whole matrix (every query form, every
return format it offers, GET, POST form and POST direct), and the plain protocol details that
clients and caches rely on (HEAD, Vary, TSV escaping, format= by query form, q-values)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import httpx
import pytest
from rdflib import Graph

from tests.conftest import BASE, serving
from tests.support.sparqlwrapper_matrix import ask, matrix

SELECT = f"SELECT ?unit ?text WHERE {{ ?unit <{BASE}ontology#text> ?text }} ORDER BY ?unit LIMIT 3"
ASK = f"ASK {{ <{BASE}doc/ICC-ASP/14/Res.3/para/28> ?p ?o }}"
CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER (?s = <{BASE}doc/ICC-ASP/14/Res.3/para/28>) }}"
DESCRIBE = f"DESCRIBE <{BASE}doc/ICC-ASP/14/Res.3/para/28>"


@pytest.fixture(scope="module")
def endpoint(built_dir: Path):
    yield from serving(built_dir, max_rows="50")


MATRIX = matrix()


def test_the_matrix_is_the_whole_of_what_sparqlwrapper_offers():
    assert len(MATRIX) == 66


@pytest.mark.parametrize("form,fmt,method", MATRIX, ids=[f"{f}-{r}-{m}" for f, r, m in MATRIX])
def test_sparqlwrapper(endpoint, form: str, fmt: str, method: str):
    query = {"SELECT": SELECT, "ASK": ASK, "CONSTRUCT": CONSTRUCT, "DESCRIBE": DESCRIBE}[form]
    result, converted = ask(endpoint.url + "/sparql", query, fmt, method)
    assert result.response.status == 200
    if form == "SELECT":
        if isinstance(converted, dict):
            assert len(converted["results"]["bindings"]) == 3
        elif isinstance(converted, bytes):  # CSV and TSV: the raw body
            assert converted.decode().count("\n") >= 4
        else:  # XML: a DOM
            assert len(converted.getElementsByTagName("result")) == 3
    elif form == "ASK":
        if isinstance(converted, dict):
            assert converted["boolean"] is True
        elif isinstance(converted, bytes):
            assert b"true" in converted
        else:
            assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
    else:
        graph = converted if isinstance(converted, Graph) else None
        if graph is None:  # Turtle, N3 and JSON-LD come back as text for the caller to parse
            text = converted.decode() if isinstance(converted, bytes) else str(converted)
            graph = Graph().parse(data=text, format="json-ld" if fmt == "json-ld" else "turtle")
        assert len(graph) > 5


@pytest.fixture(scope="module")
def http(endpoint):
    with httpx.Client(base_url=endpoint.url, timeout=30) as client:
        yield client


def test_head_answers_every_get_route_without_a_body(http):
    for path in ("/", "/sparql", "/doc/ICC-ASP/14/Res.3/para/28", "/queries", "/void"):
        got, head = http.get(path), http.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"], path
    answer = http.head("/sparql", params={"query": SELECT})
    assert answer.status_code == 200 and answer.content == b"" and "Accept" in answer.headers["vary"]


def test_answers_vary_by_accept(http):
    for query in (SELECT, CONSTRUCT):
        assert "Accept" in http.get("/sparql", params={"query": query}).headers["vary"]


def test_tsv_escapes_tabs_and_newlines_in_literals(http):
    text = "SELECT ?t WHERE { VALUES ?t { \"one\\ttwo\\nthree\" \"plain\"@en \"4\"^^<http://www.w3.org/2001/XMLSchema#integer> } }"
    body = http.get("/sparql", params={"query": text}, headers={"Accept": "text/tab-separated-values"}).text
    lines = body.rstrip("\n").split("\n")
    assert lines == ["?t", '"one\\ttwo\\nthree"', '"plain"@en', '"4"^^<http://www.w3.org/2001/XMLSchema#integer>']
    rows = list(csv.reader(io.StringIO(http.get("/sparql", params={"query": text, "format": "csv"}).text)))
    assert rows[1] == ["one\ttwo\nthree"]  # CSV quotes instead


@pytest.mark.parametrize("query,fmt,media", [
    (CONSTRUCT, "xml", "application/rdf+xml"),  # SPARQLWrapper's default for a graph: RDF/XML, not results XML
    (SELECT, "xml", "application/sparql-results+xml"),
    (CONSTRUCT, "json", "application/ld+json"),
    (CONSTRUCT, "n3", "text/n3"),
    (CONSTRUCT, "nquads", "application/n-quads"),
    (CONSTRUCT, "text/plain", "text/plain"),
])
def test_format_follows_the_query_form(http, query: str, fmt: str, media: str):
    answer = http.get("/sparql", params={"query": query, "format": fmt})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(media)


def test_an_unknown_or_mismatched_format_is_a_400_naming_the_allowed_ones(http):
    unknown = http.get("/sparql", params={"query": SELECT, "format": "yaml"})
    assert unknown.status_code == 400 and "unknown format 'yaml'" in unknown.text and "tsv" in unknown.text
    mismatched = http.get("/sparql", params={"query": CONSTRUCT, "format": "csv"})
    assert mismatched.status_code == 400 and "turtle" in mismatched.text and "SELECT and ASK" in mismatched.text


def test_q_values_and_defaults(http):
    prefer_xml = http.get("/sparql", params={"query": SELECT},
                          headers={"Accept": "application/sparql-results+json;q=0.5, application/sparql-results+xml"})
    assert prefer_xml.headers["content-type"].startswith("application/sparql-results+xml")
    for accept in ("*/*", None):
        headers = {"Accept": accept} if accept else {}
        assert http.get("/sparql", params={"query": SELECT}, headers=headers).headers["content-type"].startswith(
            "application/sparql-results+json")
        assert http.get("/sparql", params={"query": CONSTRUCT}, headers=headers).headers["content-type"].startswith("text/turtle")
    refused = http.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert refused.status_code == 406 and "application/sparql-results+json" in refused.text
    no_json = http.get("/sparql", params={"query": SELECT},
                       headers={"Accept": "application/sparql-results+json;q=0, */*;q=0.1"})
    assert not no_json.headers["content-type"].startswith("application/sparql-results+json")


def test_the_service_description_lists_every_format_and_the_named_graph(http):
    description = Graph().parse(data=http.get("/sparql", headers={"Accept": "text/turtle"}).text, format="turtle")
    formats = {str(o).rsplit("/", 1)[-1] for o in description.objects(None, None) if str(o).startswith("http://www.w3.org/ns/formats/")}
    assert formats >= {"SPARQL_Results_JSON", "SPARQL_Results_TSV", "RDF_XML", "N-Quads", "N3", "JSON-LD"}
    names = {str(o) for o in description.objects(None, None)}
    assert f"{BASE}graph/corpus" in names
    assert json.loads(http.get("/sparql", params={"query": ASK}).text)["boolean"] is True
