"""Linked data as a JSON-LD tool reads it: pyld, offline, on every document IRI. The framed tree
must state exactly the triples the Turtle of the same IRI states."""

from __future__ import annotations

import httpx
import pytest
from pyld import jsonld
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from coopgraph.terms import CG
from tests.conftest import BASE

CONTEXT_IRI = f"{BASE}context.jsonld"


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def documents(graph) -> list[str]:
    return sorted(str(d) for d in graph.subjects(RDF.type, CG.CorpusDocument))


def offline_loader(http: httpx.Client):
    """pyld's document loader for a client with no internet: the published context from the server."""
    def load(url: str, options: dict | None = None) -> dict:
        if url != CONTEXT_IRI:
            raise jsonld.JsonLdError(f"offline: {url} is not fetched", "loading document failed")
        return {"contextUrl": None, "documentUrl": url, "document": http.get("/context.jsonld").json()}
    return load


def triples_of(nquads: str) -> set[tuple[object, ...]]:
    """pyld's N-Quads of the default graph (no graph names: read as N-Triples, which fails on any)."""
    return {(s, p, canonical(o)) for s, p, o in Graph().parse(data=nquads, format="nt")}


def canonical(term: object) -> object:
    """A literal by its value (RDF 1.1: a simple literal is an xsd:string)."""
    if not isinstance(term, Literal):
        return term
    datatype = None if str(term.datatype) == "http://www.w3.org/2001/XMLSchema#string" else term.datatype
    return (str(term), datatype, term.language)


def test_every_document_in_jsonld_states_the_triples_of_its_turtle(http, documents):
    loader = offline_loader(http)
    for document in documents:
        path = "/" + document.removeprefix(BASE)
        turtle = Graph().parse(data=http.get(path, headers={"Accept": "text/turtle"}).text, format="turtle")
        turtle_triples = {(s, p, canonical(o)) for s, p, o in turtle}
        response = http.get(path, headers={"Accept": "application/ld+json"})
        assert response.status_code == 200, path
        assert 'rel="http://www.w3.org/ns/json-ld#context"' in response.headers["link"]
        data = response.json()
        assert data["@context"] == CONTEXT_IRI
        tree = data["@graph"][0]
        assert tree["@id"] == document.removeprefix(BASE) and "hasPart" in tree, path
        by_reference = jsonld.to_rdf(data, {"format": "application/n-quads", "documentLoader": loader})
        assert triples_of(by_reference) == turtle_triples, path
        inline = http.get(path, params={"context": "inline"}, headers={"Accept": "application/ld+json"}).json()
        assert isinstance(inline["@context"], dict)
        assert triples_of(jsonld.to_rdf(inline, {"format": "application/n-quads"})) == turtle_triples, path
    assert len(documents) >= 8  # the shipped corpus: resolutions, reports, the annexes read as documents


def test_a_documents_tree_holds_every_statement_of_its_parts(http):
    data = http.get("/doc/ICC-ASP/14/Res.3", headers={"Accept": "application/ld+json"}).json()
    tree = data["@graph"][0]
    assert tree["@type"] and tree["dct:title"]
    para = next(p for p in tree["hasPart"] if p["@id"] == "doc/ICC-ASP/14/Res.3/para/27")
    assert "Bureau" in str(para["cg:text"]) and para["@type"]
    assert "eli:is_part_of" not in para, "the parent's hasPart says it; the child need not repeat it"


def test_an_iris_jsonld_is_the_same_bytes_in_every_server_process(built_dir):
    """rdflib writes a set's values (a node's types, the objects of one property) in the order of
    its hashed sets, which changes with each process: an IRI's JSON-LD, and so its ETag, changed at
    each restart, and a CONSTRUCT's JSON-LD answer with it. Two servers, with different hash seeds,
    now give the same bytes and the same ETag."""
    from tests.conftest import RunningServer

    construct = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> CONSTRUCT { ?d a ?t ; eli:has_part ?p } "
                 "WHERE { ?d a ?t . ?p eli:is_part_of ?d } LIMIT 200")
    bodies = []
    for seed in ("1", "2"):
        server = RunningServer(built_dir, env={"PYTHONHASHSEED": seed})
        try:
            with httpx.Client(base_url=server.url, timeout=60, headers={"Accept": "application/ld+json"}) as http:
                got = []
                for path in ("/doc/ICC-ASP/14/Res.3", "/doc/ICC-ASP/14/Res.3/para/27", "/doc/ICC-ASP/6/Res.2"):
                    answer = http.get(path)
                    assert answer.status_code == 200, path
                    got.append((path, answer.content, answer.headers.get("etag")))
                answer = http.get("/sparql", params={"query": construct})
                assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/ld+json")
                got.append(("construct", answer.content, None))
                bodies.append(got)
        finally:
            server.stop()
    first, second = bodies
    for (path, body, etag), (_, other, other_etag) in zip(first, second):
        assert body == other, f"{path}: the JSON-LD differs between two server processes"
        assert etag == other_etag, path
    assert any(b'"@type": [' in body for _, body, _ in first), "no set of types: the test would prove nothing"
