"""SELECT answers in SPARQL JSON come from Oxigraph's own writer: the same results as the
project's writer gives, cut at the row limit with the note, and read again row by row when an
answer is too large to hold."""

from __future__ import annotations

import json

import pytest
from rdflib import URIRef

from coopgraph.sparql import oxigraph_answers as native
from coopgraph.sparql.formats import Wanted, truncation_note
from coopgraph.sparql.pool import QueryLimits, _answer
from tests.conftest import BASE, ROOT

EVERYTHING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
OWN = {f"{BASE}graph/corpus"}


@pytest.fixture(scope="module")
def store(built_dir):
    from coopgraph.store import open_store

    return open_store("oxigraph", BASE, built_dir / "coopgraph.nt", built_dir / "store")


def ours(store, text: str, bindings=None, max_rows: int = 1_000_000) -> dict:
    """The answer as the project's own writer gives it, from the same solutions."""
    result = store.execute(text, bindings or {})
    variables = [v.value for v in result.variables]
    solutions, more = native.limited(result, max_rows)
    note = truncation_note(max_rows, "rows") if more else None
    return json.loads(native.solutions_json(variables, solutions, note))


def test_oxigraph_writes_what_ours_writes_for_every_named_query(store):
    from coopgraph.sparql.named import named_queries

    kinds = set()
    for query in named_queries(ROOT / "queries").values():
        bindings = {name: URIRef(value) for name, value in query.examples.items()}
        body, note = native.json_natively(store.execute(query.text, bindings), 10_000)
        assert note is None
        assert json.loads(body) == ours(store, query.text, bindings), query.name
        kinds |= {(term["type"], "xml:lang" in term, "datatype" in term)
                  for row in json.loads(body)["results"]["bindings"] for term in row.values()}
    # IRIs, plain strings, language-tagged and typed literals: every kind of term was compared
    assert {("uri", False, False), ("literal", False, False), ("literal", False, True)} <= kinds, kinds


@pytest.mark.parametrize("max_rows", [1, 25, 999])
def test_an_answer_past_the_row_limit_is_cut_with_the_note(store, max_rows):
    body, note = native.json_natively(store.execute(EVERYTHING, {}), max_rows)
    document = json.loads(body)
    assert note == f"truncated: more than {max_rows} rows; only the first {max_rows} are returned"
    assert document["truncated"] == note and document["head"]["link"] == ["urn:coopgraph:truncated"]
    assert document["results"]["bindings"] == ours(store, EVERYTHING)["results"]["bindings"][:max_rows]


def test_an_answer_of_exactly_the_row_limit_is_whole(store):
    text = f"SELECT ?unit WHERE {{ ?unit <{BASE}ontology#text> ?t }} ORDER BY ?unit LIMIT 30"
    whole, note = native.json_natively(store.execute(text, {}), 30)
    assert note is None and len(json.loads(whole)["results"]["bindings"]) == 30
    cut, note = native.json_natively(store.execute(text, {}), 29)
    assert note is not None and len(json.loads(cut)["results"]["bindings"]) == 29


def test_an_answer_past_what_the_writer_may_hold_is_read_again_row_by_row(store, monkeypatch):
    assert native.json_natively(store.execute(EVERYTHING, {}), 10, cap=4096) is None
    monkeypatch.setattr(native, "NATIVE_JSON_CAP", 4096)
    limits = QueryLimits(max_rows=40)
    answer = _answer(store, EVERYTHING, {}, Wanted((), "application/sparql-results+json"), limits, OWN)
    assert answer.status == 200 and answer.truncated
    document = json.loads(answer.body)
    assert document["results"]["bindings"] == ours(store, EVERYTHING)["results"]["bindings"][:40]
    assert len(answer.body) > 4096  # the rows written the slow way: more than the writer was allowed


def test_a_query_gets_the_well_known_prefixes_it_does_not_declare(store):
    """Oxigraph reads each default prefix again for every query, so the ones a query declares are
    not sent; the others still are, and a query's own declaration always wins."""
    json_ = Wanted((), "application/sparql-results+json")

    def rows(text: str) -> int:
        answer = _answer(store, text, {}, json_, QueryLimits(), OWN)
        assert answer.status == 200, answer.body
        return len(json.loads(answer.body)["results"]["bindings"])

    documents = "SELECT ?d WHERE { ?d a cg:CorpusDocument ; rdfs:label ?l }"
    assert rows(documents) > 0  # both prefixes by default
    assert rows("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + documents) == rows(documents)  # cg: by default
    assert rows("PREFIX cg: <http://example.org/not-coopgraph#>\n" + documents) == 0  # its own cg: wins
