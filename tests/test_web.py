"""The web service over real HTTP: a `coopgraph serve` process on 127.0.0.1, standard SPARQL
clients, every content type, the error cases, and concurrent use."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from html import unescape as html_unescape

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from coopgraph.terms import CG
from tests.conftest import BASE

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RECS = "PREFIX cg: <https://w3id.org/coopgraph/ontology#> SELECT ?r WHERE { ?r a cg:Recommendation } ORDER BY ?r"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def triples(built_dir) -> int:
    return sum(1 for line in (built_dir / "coopgraph.nt").read_text(encoding="utf-8").splitlines() if line.strip())


def values(graph: Graph) -> set[tuple[object, ...]]:
    """Triples compared by value: xsd:decimal "1.0" and "1" are the same number, and a simple literal is
    an xsd:string (RDF 1.1), in every format."""
    def value(o: object) -> object:
        if not isinstance(o, Literal):
            return o
        datatype = None if str(o.datatype) == "http://www.w3.org/2001/XMLSchema#string" else o.datatype
        return (o.toPython(), datatype, o.language)
    return {(s, p, value(o)) for s, p, o in graph}


def parse_jsonld(text: str) -> Graph:
    """JSON-LD with our published context inlined (the client side never fetches it)."""
    data = json.loads(text)
    if isinstance(data, dict) and data.get("@context") == f"{BASE}context.jsonld":
        data["@context"] = httpx.get(f"{pytest.server_url}/context.jsonld").json()["@context"]  # type: ignore[attr-defined]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data=json.dumps(data), format="json-ld")


@pytest.fixture(scope="module", autouse=True)
def remember_url(server):
    pytest.server_url = server.url  # type: ignore[attr-defined]


# -- the SPARQL protocol ----------------------------------------------------------------------------

def test_query_by_get_post_form_and_post_body_agree(http, triples):
    by_get = http.get("/sparql", params={"query": COUNT}, headers={"Accept": "application/sparql-results+json"})
    by_form = http.post("/sparql", data={"query": COUNT}, headers={"Accept": "application/sparql-results+json"})
    by_body = http.post("/sparql", content=COUNT, headers={"Content-Type": "application/sparql-query",
                                                           "Accept": "application/sparql-results+json"})
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == triples


@pytest.mark.parametrize("accept, check", [
    ("application/sparql-results+xml", lambda t: '<sparql xmlns="http://www.w3.org/2005/sparql-results#">' in t and "<uri>" in t),
    ("text/csv", lambda t: t.splitlines()[0] == "r" and t.splitlines()[1].endswith("/rec/1")),
    ("text/tab-separated-values", lambda t: t.splitlines()[0] == "?r" and t.splitlines()[1].startswith("<https://")),
])
def test_select_results_by_content_negotiation(http, accept, check):
    response = http.get("/sparql", params={"query": RECS + " LIMIT 3"}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    assert check(response.text)


def test_the_format_parameter_overrides_accept(http):
    response = http.get("/sparql", params={"query": RECS + " LIMIT 2", "format": "csv"}, headers={"Accept": "application/xml"})
    assert response.headers["content-type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(response.text)))[0] == ["r"]


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt")])
def test_construct_as_turtle_and_ntriples(http, accept, fmt):
    query = ("PREFIX cg: <https://w3id.org/coopgraph/ontology#> CONSTRUCT { ?m cg:issuedBy ?u } "
             "WHERE { ?m cg:issuedBy ?u } ")
    response = http.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.text, format=fmt)
    assert len(graph) == 50  # the server's result-size limit: 67 mandates, truncated to 50
    assert response.headers["x-coopgraph-truncated"] == "true"


def test_describe_as_jsonld(http):
    query = f"DESCRIBE <{BASE}doc/ICC-ASP/14/Res.3/para/27>"
    response = http.get("/sparql", params={"query": query}, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    graph = parse_jsonld(response.text)
    assert (URIRef(f"{BASE}doc/ICC-ASP/14/Res.3/para/27"), RDF.type, CG.OperativeParagraph) in graph


def test_get_without_a_query_returns_the_service_description(http):
    response = http.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    assert (None, RDF.type, URIRef(SD + "Service")) in graph
    assert (None, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in graph


def test_sparqlwrapper_works_unchanged(server):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(RECS + " LIMIT 5")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]  # type: ignore[index, call-overload]
    assert [row["r"]["value"].rsplit("/", 1)[-1] for row in rows] == ["1", "10", "11", "12", "13"]
    client.setQuery("ASK { ?s a <https://w3id.org/coopgraph/ontology#Mandate> }")
    assert client.query().convert()["boolean"] is True  # type: ignore[index, call-overload]
    client.setMethod("POST")
    client.setQuery(COUNT)
    assert int(client.query().convert()["results"]["bindings"][0]["n"]["value"]) > 10_000  # type: ignore[index, call-overload]


def test_rdflib_sparqlstore_works_unchanged(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server.url + "/sparql", returnFormat="json")
    graph = Graph(store=store)
    rows = list(graph.query(RECS + " LIMIT 3"))
    assert [str(row[0]).rsplit("/", 1)[-1] for row in rows] == ["1", "10", "11"]
    label = graph.value(URIRef(f"{BASE}doc/ICC-ASP/14/Res.3"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    assert str(label) == "ICC-ASP/14/Res.3"


# -- read-only and safe -----------------------------------------------------------------------------

@pytest.mark.parametrize("request_kwargs", [
    {"method": "GET", "params": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"method": "POST", "data": {"update": "DELETE WHERE { ?s ?p ?o }"}},
    {"method": "POST", "content": "CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}},
    {"method": "POST", "content": "LOAD <http://example.org/x>", "headers": {"Content-Type": "application/sparql-query"}},
])
def test_updates_are_refused_and_nothing_changes(http, triples, request_kwargs):
    method = request_kwargs.pop("method")
    response = http.request(method, "/sparql", **request_kwargs)
    assert response.status_code == 403
    assert "read-only" in response.text
    count = http.get("/sparql", params={"query": COUNT, "format": "json"}).json()
    assert int(count["results"]["bindings"][0]["n"]["value"]) == triples


def test_service_and_outside_graphs_are_refused(http):
    service = http.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert service.status_code == 403 and "SERVICE" in service.text
    outside = http.get("/sparql", params={"query": "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"})
    assert outside.status_code == 403 and "loads nothing from outside" in outside.text
    named = http.get("/sparql", params={"query": COUNT, "named-graph-uri": "http://example.org/g"})
    assert named.status_code == 400 and "not served here" in named.text
    own = http.get("/sparql", params={"query": COUNT, "default-graph-uri": f"{BASE}graph/corpus", "format": "json"})
    assert own.status_code == 200


def test_a_syntax_error_gives_400_with_the_position(http):
    response = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert "line 1, column" in response.text and "syntax error" in response.text


def test_a_slow_query_is_stopped_at_the_time_limit_and_the_server_goes_on(http):
    started = time.perf_counter()
    response = http.get("/sparql", params={"query": SLOW})
    elapsed = time.perf_counter() - started
    assert response.status_code == 503 and "2 s limit" in response.text
    assert elapsed < 2 * 1.5 + 1  # the limit, plus the time to answer
    after = http.get("/sparql", params={"query": COUNT, "format": "json"})
    assert after.status_code == 200


def test_an_oversized_result_is_truncated_and_says_so(http):
    response = http.get("/sparql", params={"query": RECS}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert response.headers["x-coopgraph-truncated"] == "true"
    body = response.json()
    assert len(body["results"]["bindings"]) == 50
    assert body["truncated"].startswith("truncated: more than 50 rows")
    xml = http.get("/sparql", params={"query": RECS}, headers={"Accept": "application/sparql-results+xml"})
    assert "urn:coopgraph:truncated" in xml.text


def test_an_unknown_format_and_unacceptable_type(http):
    assert http.get("/sparql", params={"query": COUNT, "format": "yaml"}).status_code == 400
    assert http.get("/sparql", params={"query": COUNT}, headers={"Accept": "image/png"}).status_code == 406
    assert http.post("/sparql", content=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"}).status_code == 400
    assert http.post("/sparql", content="x", headers={"Content-Type": "text/plain"}).status_code == 415


def test_concurrent_queries_all_get_their_own_right_answer(http, triples):
    """rdflib's parser is not thread-safe; the server's queries run in worker processes."""
    queries = {
        COUNT: str(triples),
        "PREFIX cg: <https://w3id.org/coopgraph/ontology#> SELECT (COUNT(?r) AS ?n) WHERE { ?r a cg:Recommendation }": "66",
        "PREFIX cg: <https://w3id.org/coopgraph/ontology#> SELECT (COUNT(?m) AS ?n) WHERE { ?m a cg:Mandate }": "69",  # 67, and the two stated in other words (ICC-ASP/8/Res.2 para 16, ICC-ASP/6/21 annex I clause 5)
        "PREFIX cg: <https://w3id.org/coopgraph/ontology#> SELECT (COUNT(?d) AS ?n) WHERE { ?d a cg:Derivation }": None,
    }

    def ask(query: str) -> tuple[str, str]:
        response = http.get("/sparql", params={"query": query, "format": "json"})
        assert response.status_code == 200, response.text
        return query, response.json()["results"]["bindings"][0]["n"]["value"]

    work = list(queries) * 8
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(ask, work))
    by_query: dict[str, set[str]] = {}
    for query, value in answers:
        by_query.setdefault(query, set()).add(value)
    for query, expected in queries.items():
        assert len(by_query[query]) == 1  # every answer to one query is the same
        if expected is not None:
            assert by_query[query] == {expected}
    pages = [f"/doc/ICC-ASP/14/Res.3/para/{n}" for n in range(1, 29)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda p: http.get(p, headers={"Accept": "application/ld+json"}).status_code, pages))
    assert statuses == [200] * 28


# -- named queries ----------------------------------------------------------------------------------

def test_named_queries_are_listed_with_their_parameters(http):
    items = {q["name"]: q for q in http.get("/queries").json()}
    assert "mandates-by-actor" in items and items["mandates-by-actor"]["title"]
    assert all("parameters" in q for q in items.values())


def test_a_named_query_binds_its_parameter_as_an_rdf_term(http):
    items = {q["name"]: q for q in http.get("/queries").json()}
    name, query = next((n, q) for n, q in items.items() if any(p["type"] == "iri" for p in q["parameters"]))
    param = next(p["name"] for p in query["parameters"] if p["type"] == "iri")
    bad = http.get(f"/queries/{name}", params={param: "not an iri> } DROP ALL {"})
    assert bad.status_code == 400 and f"parameter {param!r}" in bad.json()["error"]  # read as a reference: it names nothing
    bad_iri = http.get(f"/queries/{name}", params={param: "https://x.example/a> } DROP ALL {"})
    assert bad_iri.status_code == 400 and "must be an IRI" in bad_iri.json()["error"]
    unknown = http.get(f"/queries/{name}", params={"nonsense": "1"})
    assert unknown.status_code == 400
    assert http.get("/queries/no-such-query").status_code == 404


# -- linked data ------------------------------------------------------------------------------------

def test_a_unit_dereferences_in_every_format(http):
    path = "/doc/ICC-ASP/14/Res.3/para/24"
    iri = URIRef(BASE + path[1:])
    page = http.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "66 recommendations" in page.text and f'href="{path}?format=jsonld"' in page.text
    turtle = Graph().parse(data=http.get(path, headers={"Accept": "text/turtle"}).text, format="turtle")
    assert (iri, RDF.type, CG.OperativeParagraph) in turtle
    nt = Graph().parse(data=http.get(path, headers={"Accept": "application/n-triples"}).text, format="nt")
    assert values(nt) == values(turtle)
    jsonld = http.get(path, headers={"Accept": "application/ld+json"})
    assert jsonld.json()["@context"] == f"{BASE}context.jsonld"
    assert values(parse_jsonld(jsonld.text)) == values(turtle)


def test_a_document_jsonld_is_one_nested_tree(http):
    response = http.get("/doc/ICC-ASP/8/Res.2", headers={"Accept": "application/ld+json"})
    tree = response.json()["@graph"][0]
    assert tree["@id"] == "doc/ICC-ASP/8/Res.2"
    assert tree["dct:title"] and tree["@type"], "the document's own statements are in the tree"
    parts = [part["@id"] for part in tree["hasPart"]]
    assert parts[:3] == ["doc/ICC-ASP/8/Res.2/preamble/1", "doc/ICC-ASP/8/Res.2/preamble/2", "doc/ICC-ASP/8/Res.2/preamble/3"]
    para16 = next(part for part in tree["hasPart"] if part["@id"] == "doc/ICC-ASP/8/Res.2/para/16")
    assert [item["@id"].rsplit("/", 1)[-1] for item in para16["hasPart"]] == list("abcdefghijk")
    graph = parse_jsonld(response.text)
    assert (URIRef(f"{BASE}doc/ICC-ASP/8/Res.2/para/16/item/a"), URIRef("http://data.europa.eu/eli/ontology#is_part_of"),
            URIRef(f"{BASE}doc/ICC-ASP/8/Res.2/para/16")) in graph


def test_an_unknown_iri_is_404_with_suggestions(http):
    response = http.get("/doc/ICC-ASP/14/Res.3/para/99", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert any(s["href"] == "/doc/ICC-ASP/14/Res.3/para/9" for s in response.json()["suggestions"])
    page = http.get("/doc/ICC-ASP/14/Res.3/para/99", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "Did you mean" in page.text


def test_dumps_void_and_context(http, triples):
    nt = http.get("/dump/coopgraph.nt")
    assert nt.status_code == 200 and len([line for line in nt.text.splitlines() if line.strip()]) == triples
    turtle = http.get("/dump/coopgraph.ttl")
    assert turtle.headers["content-type"].startswith("text/turtle")
    expected = values(Graph().parse(data=nt.text, format="nt"))
    assert values(Graph().parse(data=turtle.text, format="turtle")) == expected
    assert values(parse_jsonld(http.get("/dump/coopgraph.jsonld").text)) == expected
    assert http.get("/dump/other.txt").status_code == 404
    void = Graph().parse(data=http.get("/void", headers={"Accept": "text/turtle"}).text, format="turtle")
    size = void.value(URIRef(f"{BASE}void#coopgraph"), URIRef("http://rdfs.org/ns/void#triples"))
    assert int(size) == triples
    assert http.get("/context.jsonld").json()["@context"]["hasPart"]["@reverse"] == "eli:is_part_of"


# -- the API ------------------------------------------------------------------------------------------

def test_resolve_lineage_changes_timeline_and_validate(http):
    resolved = http.get("/resolve", params={"ref": "ICC-ASP/14/Res.3, para. 27"}).json()
    assert resolved["iri"] == f"{BASE}doc/ICC-ASP/14/Res.3/para/27"
    trace = http.get("/lineage", params={"ref": "asp15-bureau-report-cooperation annex II (g)"}).json()
    assert [s["node"]["label"] for s in trace["steps"]][:2] == [
        "ASP15 Bureau report on cooperation, annex I, para. 32", "ICC-ASP/14/Res.3, para. 28"]
    as_jsonld = http.get("/lineage", params={"ref": "ICC-ASP/14/Res.3, para. 28", "direction": "down", "format": "jsonld"})
    assert as_jsonld.headers["content-type"].startswith("application/ld+json")
    graph = parse_jsonld(as_jsonld.text)
    assert (URIRef(f"{BASE}doc/asp15-bureau-report-cooperation/annex/I/para/32"), CG.amends,
            URIRef(f"{BASE}doc/ICC-ASP/14/Res.3/para/28")) in graph
    rows = http.get("/changes", params={"from": "ICC-ASP/14/Res.3", "to": "asp15-bureau-report-cooperation annex I"}).json()
    assert sum(r["status"] == "dropped" for r in rows) == 2
    timeline = http.get("/timeline", params={"ref": "ICC-ASP/14/Res.3 para 4"}).json()
    assert timeline[0]["status"] == "proposed for renewal"  # the ASP15 draft carries it; a draft renews nothing
    report = http.get("/validate").json()
    assert report["conforms"] is True and report["violations"] == 0


@pytest.mark.parametrize("path, params, status", [
    ("/lineage", {"ref": "ICC-ASP/14/Res.3 para 27", "depth": "0"}, 422),  # out of its declared range
    ("/lineage", {"ref": "ICC-ASP/14/Res.3 para 27", "direction": "sideways"}, 422),
    ("/lineage", {"ref": "ICC-ASP/14/Res.3 para 27", "types": "copies"}, 422),
    ("/lineage", {}, 422),
    ("/search", {"q": "a"}, 422),
    ("/changes", {"from": "ICC-ASP/14/Res.3", "to": "ICC-ASP/14/Res.3 para 4"}, 400),  # names a unit, not a document
])
def test_bad_parameters_are_refused(http, path, params, status):
    answer = http.get(path, params=params)
    assert answer.status_code == status, answer.text


def test_an_unknown_reference_in_the_api_is_404_with_nearest_matches(http):
    response = http.get("/lineage", params={"ref": "ICC-ASP/14/Res.3 para 99"})
    assert response.status_code == 404
    assert "ICC-ASP/14/Res.3, para. 9" in [s["label"] for s in response.json()["suggestions"]]


def test_search_finds_paragraphs(http):
    body = http.get("/search", params={"q": "arrest strategies"}, headers={"Accept": "application/json"}).json()
    hrefs = {r["href"] for r in body["results"]}
    assert "/doc/ICC-ASP/14/Res.3/para/4" in hrefs and "/doc/asp15-bureau-report-cooperation/annex/I/para/4" in hrefs
    page = http.get("/search", params={"q": "arrest"}, headers={"Accept": "text/html"})
    assert "<mark>arrest</mark>" in page.text.lower()


def test_search_counts_every_hit_and_pages_through_them_by_relevance(http):
    everything = http.get("/search", params={"q": "court", "limit": 500}, headers={"Accept": "application/json"}).json()
    first = http.get("/search", params={"q": "court", "limit": 3}, headers={"Accept": "application/json"}).json()
    second = http.get("/search", params={"q": "court", "limit": 3, "offset": 3}, headers={"Accept": "application/json"}).json()
    assert first["total"] == everything["total"] > 6 and len(everything["results"]) == min(500, everything["total"])
    assert [r["href"] for r in first["results"] + second["results"]] == [r["href"] for r in everything["results"]][:6]
    assert all(r["label"] and "court" in r["text"].lower() for r in everything["results"])


@pytest.mark.parametrize(("typed", "same_as"), [
    ("arrest strategy", "Arrest strategies"),  # stems: the issue's own example found 0 as a substring
    ("witness relocation agreement", "Witness relocation agreements"),
])
def test_search_matches_stems(http, typed, same_as):
    def found(q: str) -> list[str]:
        return [r["href"] for r in http.get("/search", params={"q": q}, headers={"Accept": "application/json"}).json()["results"]]
    assert found(typed) and sorted(found(typed)) == sorted(found(same_as))
    assert "/doc/ICC-ASP/14/Res.3/para/4" in found("arrest strategy")


def test_search_takes_phrases_and_prefixes_and_never_a_syntax_error(http):
    def get(q: str) -> dict:
        response = http.get("/search", params={"q": q}, headers={"Accept": "application/json"})
        assert response.status_code == 200, (q, response.text)
        return response.json()
    phrase, words = get('"arrest warrants"'), get("arrest warrants")
    assert 0 < phrase["total"] < words["total"]
    assert all("arrest warrant" in r["text"].lower() for r in phrase["results"])
    assert get("relocat")["total"] == 0 and get("relocat*")["total"] == get("relocation")["total"] > 0  # a prefix, not a stem
    for hostile in ('"unclosed', "NEAR(", "a OR", "**", "AND AND", "col:word", "^x", "((("):
        get(hostile)


def test_a_reference_typed_into_search_goes_to_its_unit(http):
    page = http.get("/search", params={"q": "ICC-ASP/14/Res.3, para. 27"}, headers={"Accept": "text/html"})
    assert page.status_code == 303 and page.headers["location"] == "/doc/ICC-ASP/14/Res.3/para/27"
    body = http.get("/search", params={"q": "ICC-ASP/14/Res3 OP 27"}, headers={"Accept": "application/json"}).json()
    assert body["resolved"]["href"] == "/doc/ICC-ASP/14/Res.3/para/27"


def test_the_openapi_schema_documents_the_api(http):
    schema = http.get("/openapi.json").json()
    for path in ("/sparql", "/resolve", "/lineage", "/changes", "/timeline", "/validate", "/queries"):
        assert path in schema["paths"], path
    assert "ICC-ASP/14/Res.3, para. 27" in json.dumps(schema["paths"]["/resolve"])  # with an example


def test_every_page_links_to_the_jsonld_of_what_it_shows(http):
    for path, params in (("/", {}), ("/search", {"q": "arrest"}), ("/doc/ICC-ASP/14/Res.3", {}),
                         ("/doc/ICC-ASP/14/Res.3/para/4/mandate/1", {}), ("/sparql", {})):
        page = http.get(path, params=params, headers={"Accept": "text/html"})
        assert page.status_code == 200, path
        link = re.search(r'<link rel="alternate" type="application/ld\+json" href="([^"]+)"', page.text)
        assert link, path
        target = http.get(html_unescape(link.group(1)), headers={"Accept": "application/ld+json"})
        assert target.status_code == 200, (path, link.group(1), target.text)
        if target.headers["content-type"].startswith("application/ld+json"):
            assert json.loads(target.text), path


def test_a_mandate_page_shows_its_timeline(http):
    page = http.get("/doc/ICC-ASP/14/Res.3/para/24/mandate/1", headers={"Accept": "text/html"})
    assert page.status_code == 200
    # the review of the 66 recommendations: proposed for renewal by the ASP15 draft; reported on by the
    # report's section A (paras 5-6), inferred, and never by a paragraph that only recites it
    assert 'id="status">proposed for renewal<' in page.text and "ASP15 Bureau report on cooperation, para. 5" in page.text


def test_pages_keep_stated_inferred_confidence_and_similarity_apart(http):
    page = http.get("/doc/asp15-bureau-report-cooperation/annex/II/item/g", headers={"Accept": "text/html"}).text
    assert 'id="confidence-note"' in page and "<th>similarity</th>" in page and "<th>stated or inferred</th>" in page
    assert "(chain " in page  # ICC-ASP/8/Res.2 para 17 is three links up
    mandate = http.get("/doc/asp15-bureau-report-cooperation/annex/II/item/g/mandate/1", headers={"Accept": "text/html"}).text
    assert "issued earlier" in mandate and "(chain of 3 links)" in mandate and 'id="confidence-note"' in mandate
    draft = http.get("/doc/asp15-bureau-report-cooperation/annex/I/para/2", headers={"Accept": "text/html"}).text
    assert "footnote 1: As at <del>21 August 2015</del> <ins>5 September 2016</ins>" in draft


def test_resolve_and_validate_as_jsonld(http):
    node = http.get("/resolve", params={"ref": "ICC-ASP/14/Res.3 para 27", "format": "jsonld"})
    graph = parse_jsonld(node.text)
    assert (URIRef(f"{BASE}doc/ICC-ASP/14/Res.3/para/27"), RDF.type, CG.OperativeParagraph) in graph
    report = http.get("/validate", params={"format": "jsonld"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        shacl = Graph().parse(data=report.text, format="json-ld")
    assert (None, RDF.type, URIRef("http://www.w3.org/ns/shacl#ValidationReport")) in shacl


def test_unit_and_mandate_pages_link_to_their_memo(http):
    for path in ("/doc/ICC-ASP/14/Res.3/para/4", "/doc/ICC-ASP/14/Res.3/para/4/mandate/1"):
        page = http.get(path, headers={"Accept": "text/html"})
        link = re.search(r'<a href="(/memo\?ref=[^"]+)" id="memo-link">', page.text)
        assert link, path
        memo = http.get(html_unescape(link.group(1)), headers={"Accept": "text/html"})
        assert memo.status_code == 200 and "Legal status of the text: adopted resolution" in memo.text
    markdown = http.get("/memo", params={"ref": "ICC-ASP/14/Res.3 para 4", "format": "md"})
    assert markdown.headers["content-type"].startswith("text/markdown") and markdown.text.startswith("# Memo:")


def test_a_named_query_page_asks_for_its_parameters_first(http):
    form = http.get("/queries/mandates-by-actor", headers={"Accept": "text/html"})
    assert form.status_code == 200 and 'id="query-form"' in form.text
    assert '<select name="actor"' in form.text and f'value="{BASE}actor/bureau"' in form.text
    assert "<table" not in form.text, "no results before the actor is chosen"
    page = http.get("/queries/mandates-by-actor", params={"actor": f"{BASE}actor/bureau"}, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "<table" in page.text and re.search(r"Rows 1–\d+ of \d+", page.text)


def test_an_iri_parameter_takes_a_reference(http):
    answer = http.get("/queries/reports-on", params={"unit": "ICC-ASP/14/Res.3, para. 27", "format": "json"})
    assert answer.status_code == 200, answer.text
    reports = [row["report"]["value"] for row in answer.json()["results"]["bindings"]]
    assert f"{BASE}doc/asp15-bureau-report-cooperation/para/1" in reports
    unknown = http.get("/queries/reports-on", params={"unit": "ICC-ASP/99/Res.1, para. 1", "format": "json"})
    assert unknown.status_code == 400 and "unit" in unknown.json()["error"]


def test_an_unknown_prefix_is_named_in_plain_words(http):
    """"expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' …" became "unknown prefix `foo:`"."""
    answer = http.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s foo:bar ?o }"})
    assert answer.status_code == 400
    assert "unknown prefix `foo:` at line 2" in answer.text and "cg:" in answer.text and "['%']" not in answer.text


def test_a_timed_out_query_is_shown_in_the_page_with_the_query_kept(http):
    """A timed-out query gave a plain-text page and the query was lost."""
    answer = http.get("/sparql", params={"query": SLOW}, headers={"Accept": "text/html"})
    assert answer.status_code == 503 and answer.headers["content-type"].startswith("text/html")
    assert 'class="error"' in answer.text and "limit" in answer.text
    assert "?a ?b ?c" in html_unescape(answer.text)  # the query stays in the box


def test_the_sparql_page_lists_the_prefixes_examples_and_downloads(http):
    page = http.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a cg:Mandate } LIMIT 3"}, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert 'id="prefixes"' in page.text and "<code>cg:</code>" in page.text
    assert 'id="row-count"' in page.text and "3 rows" in page.text and "format=csv" in page.text
    assert "open in the box" in page.text
