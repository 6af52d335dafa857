"""Lineage on the real corpus, checked against alignments read by hand (tests/data/)."""

from __future__ import annotations

import json
import tomllib
import warnings
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import PROV

from coopgraph.lineage.engine import Lineage
from coopgraph.lineage.texts import marked_diff, word_diff
from coopgraph.lineage.timeline import mandate_timeline, recommendation_fate
from coopgraph.terms import CG
from tests.conftest import BASE, cli, iri

DATA = Path(__file__).parent / "data"
RES14 = "ICC-ASP/14/Res.3"
DRAFT = "asp15-bureau-report-cooperation/annex/I"
MANDATES = "asp15-bureau-report-cooperation/annex/II"


@pytest.fixture(scope="module")
def lineage(graph) -> Lineage:
    return Lineage(graph)


@pytest.fixture(scope="module")
def checked() -> dict:
    return tomllib.loads((DATA / "alignment-14-res3-to-asp15-draft.toml").read_text(encoding="utf-8"))


def short(node: object) -> str:
    return str(node).removeprefix(BASE + "doc/")


def test_the_2015_resolution_and_the_2016_draft_align_as_checked_by_hand(lineage, checked):
    rows = lineage.changes(BASE + "doc/" + RES14, BASE + "doc/" + DRAFT)
    found = {(short(r["earlier"]), short(r["later"]), r["status"]) for r in rows if r["earlier"] and r["later"]}
    expected = {(f"{RES14}/{p['earlier']}", f"{DRAFT}/{p['later']}", p["status"]) for p in checked["pair"]}
    assert found == expected


def test_new_and_dropped_paragraphs_are_reported_as_such(lineage, checked):
    rows = lineage.changes(BASE + "doc/" + RES14, BASE + "doc/" + DRAFT)
    new = {short(r["later"]) for r in rows if str(r["status"]).startswith("new")}
    dropped = {short(r["earlier"]) for r in rows if r["status"] == "dropped"}
    assert new == {f"{DRAFT}/{n['later']}" for n in checked["new"]}
    assert dropped == {f"{RES14}/{d['earlier']}" for d in checked["dropped"]}
    placeholder = [r for r in rows if r["status"] == "new (placeholder)"]
    assert [short(r["later"]) for r in placeholder] == [f"{DRAFT}/para/29"]


@pytest.mark.parametrize("item, draft_para, res14_para", [
    ("a", 4, 4), ("b", 10, 10), ("c", 11, 11), ("d", 22, 20), ("e", 27, 24), ("f", 31, 27), ("g", 32, 28),
])
def test_each_annex_ii_mandate_traces_through_the_draft_to_the_2015_resolution(lineage, item, draft_para, res14_para):
    trace = lineage.trace(BASE + f"doc/{MANDATES}/item/{item}", "up")
    steps = {(short(s.node.iri), s.edge.type) for s in trace.steps}
    assert (f"{DRAFT}/para/{draft_para}", "restates") in steps
    assert any(node == f"{RES14}/para/{res14_para}" and kind in {"repeats", "amends"} for node, kind in steps)


def test_mandates_trace_further_back_where_the_texts_support_it(lineage):
    report = {short(s.node.iri): s.edge.type for s in lineage.trace(BASE + f"doc/{MANDATES}/item/g", "up").steps}
    assert report["ICC-ASP/8/Res.2/para/17"] == "amends"  # "requests the Court to submit an updated report on cooperation"
    review = {short(s.node.iri): s for s in lineage.trace(BASE + f"doc/{MANDATES}/item/e", "up").steps}
    assert review["ICC-ASP/6/21"].edge.type == "citesUnit"  # "the 66 recommendations"
    assert "66 recommendations" in review["ICC-ASP/6/21"].edge.evidence[0]


def test_the_asp15_report_paragraph_1_reports_on_paragraph_27_of_the_2015_resolution(graph, lineage):
    edges = lineage.edges(BASE + "doc/asp15-bureau-report-cooperation/para/1", "up", frozenset({"reportsOn"}))
    assert [short(e.earlier) for e in edges] == [f"{RES14}/para/27"]
    assert "paragraph 27 of resolution ICC-ASP/14/Res.3" in edges[0].evidence[0]
    assert (iri("doc/asp15-bureau-report-cooperation/para/1"), CG.reportsOn, iri(f"doc/{RES14}/para/27")) in graph


def test_a_quoted_mandate_is_found_in_the_resolution_it_quotes(lineage):
    edges = lineage.edges(BASE + "doc/asp15-bureau-report-cooperation/para/18", "up", frozenset({"reportsOn"}))
    quoted = [e for e in edges if short(e.earlier) == f"{RES14}/para/4"]
    assert quoted and any(ev.startswith("quotes:") for ev in quoted[0].evidence)


def test_the_word_diff_is_data_in_the_graph(graph):
    later = iri(f"doc/{DRAFT}/para/32")
    (node,) = [d for d in graph.objects(later, CG.qualifiedDerivation)
               if graph.value(d, CG.derivationType) == CG.amends]
    assert graph.value(node, PROV.entity) == iri(f"doc/{RES14}/para/28")
    assert set(graph.objects(node, CG.deletedWords)) == {Literal("fifteenth")}
    assert set(graph.objects(node, CG.insertedWords)) == {Literal("sixteenth")}
    assert "[-fifteenth-] {+sixteenth+}" in str(graph.value(node, CG.diff))
    assert (later, PROV.wasRevisionOf, iri(f"doc/{RES14}/para/28")) in graph


def test_verbatim_repeats_are_quotations_in_prov(graph):
    assert (iri(f"doc/{DRAFT}/para/31"), CG.repeats, iri(f"doc/{RES14}/para/27")) in graph
    assert (iri(f"doc/{DRAFT}/para/31"), PROV.wasQuotedFrom, iri(f"doc/{RES14}/para/27")) in graph


def test_word_diff_reports_whole_word_changes():
    changes = word_diff("report thereon to the fifteenth session of the Assembly",
                        "and report thereon to the sixteenth session of the Assembly")
    assert [(c.deleted, c.inserted) for c in changes] == [("", "and"), ("fifteenth", "sixteenth")]
    assert marked_diff("to the fifteenth session", "to the sixteenth session") == "to the [-fifteenth-] {+sixteenth+} session"


def test_builds_on_edges_are_inferred_weaker_and_each_checked_by_hand(graph):
    edges = {(short(s), short(o)) for s, o in graph.subject_objects(CG.buildsOn)}
    # Read by hand: the Agreement on Privileges and Immunities (rec 1 -> 2015 para 15); a national
    # focal point for coordination and mainstreaming (rec 7 -> 2015 para 9); Justice Rapid
    # Response (rec 31 -> 2009 para 12).
    assert edges == {(f"{RES14}/para/15", "ICC-ASP/6/21/rec/1"), (f"{RES14}/para/9", "ICC-ASP/6/21/rec/7"),
                     ("ICC-ASP/8/Res.2/para/12", "ICC-ASP/6/21/rec/31")}
    for node in graph.subjects(CG.derivationType, CG.buildsOn):
        assert graph.value(node, CG.isInferred) == Literal(True)
        assert float(graph.value(node, CG.confidence)) < 0.75


def test_every_derivation_keeps_its_evidence(graph):
    derivations = list(graph.subjects(CG.derivationType, None))
    assert len(derivations) > 100
    for node in derivations:
        assert graph.value(node, CG.evidenceText), node
        assert graph.value(node, CG.method), node


def test_first_appearance_of_a_mandate_text(lineage):
    first, path = lineage.first_appearance(BASE + f"doc/{MANDATES}/item/g")
    assert short(first.iri) == "ICC-ASP/8/Res.2/para/17"
    assert [e.type for e in path] == ["restates", "amends", "amends"]


def test_paths_carry_their_evidence(lineage):
    paths = lineage.paths(BASE + f"doc/{MANDATES}/item/f", BASE + f"doc/{RES14}/para/27")
    assert [[e.type for e in p] for p in paths] == [["restates", "repeats"]]


def test_a_mandate_renewed_and_reported_on(lineage):
    timeline = mandate_timeline(lineage, BASE + f"doc/{RES14}/para/4/mandate/1")
    assert timeline.status == "renewed"
    whats = {(e.what, short(e.unit)) for e in timeline.events}
    assert ("renewed", f"{DRAFT}/para/4") in whats
    assert ("restated", f"{MANDATES}/item/a") in whats
    assert ("reported on", "asp15-bureau-report-cooperation/para/18") in whats
    assert ("due", "session/ASP/15") in {(e.what, e.unit.removeprefix(BASE)) for e in timeline.events}


def test_a_mandate_of_a_dropped_paragraph_is_dropped(graph, lineage):
    mandates = list(graph.objects(iri(f"doc/{RES14}/para/6"), CG.mandate))
    assert mandates
    timeline = mandate_timeline(lineage, str(mandates[0]))
    assert timeline.status == "dropped" and "asp15" in timeline.explanation.lower()


def test_what_became_of_recommendations_17_and_7(lineage):
    seventeen = recommendation_fate(lineage, BASE + "doc/ICC-ASP/6/21/rec/17")
    assert seventeen.status == "reviewed as a set"
    assert f"{RES14}/para/24" in {short(e.unit) for e in seventeen.events}
    seven = recommendation_fate(lineage, BASE + "doc/ICC-ASP/6/21/rec/7")
    assert seven.status == "taken up"
    assert ("taken up", f"{RES14}/para/9") in {(e.what, short(e.unit)) for e in seven.events}
    assert ("repeats", f"{DRAFT}/para/8") in {(e.what, short(e.unit)) for e in seven.events}


# -- the command line -------------------------------------------------------------------------------

def test_lineage_text_is_a_memo_with_years_types_confidence_and_diff():
    result = cli("lineage", "asp15-bureau-report-cooperation annex II (g)")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "ICC-ASP/14/Res.3, para. 28 (2015, ASP14) — amends (confidence 0.97" in out
    assert "[-fifteenth-] {+sixteenth+}" in out
    assert "ICC-ASP/8/Res.2, para. 17 (2009, ASP8)" in out


def test_lineage_formats_are_machine_readable():
    as_json = json.loads(cli("lineage", f"{RES14} para 27", "--direction", "down", "--format", "json").stdout)
    assert {short(s["node"]["iri"]) for s in as_json["steps"]} >= {f"{DRAFT}/para/31", "asp15-bureau-report-cooperation/para/1"}
    jsonld = cli("lineage", f"{RES14} para 27", "--direction", "down", "--format", "jsonld").stdout
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        parsed = Graph().parse(data=jsonld, format="json-ld")
    assert (iri(f"doc/{DRAFT}/para/31"), CG.repeats, iri(f"doc/{RES14}/para/27")) in parsed
    dot = cli("lineage", f"{RES14} para 27", "--direction", "down", "--format", "dot").stdout
    assert dot.startswith("digraph lineage {") and "repeats 1.00" in dot
    mermaid = cli("lineage", f"{RES14} para 27", "--direction", "down", "--depth", "1", "--format", "mermaid").stdout
    assert mermaid.startswith("flowchart BT") and "restates" not in mermaid  # depth 1 stops before annex II


def test_lineage_of_an_unknown_reference_exits_2_with_nearest_matches():
    result = cli("lineage", f"{RES14} para 99")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "unknown reference" in result.stderr and "nearest matches" in result.stderr
    assert f"{RES14}, para. 9" in result.stderr


def test_lineage_refuses_an_unknown_edge_type():
    result = cli("lineage", f"{RES14} para 27", "--types", "copies")
    assert result.returncode == 2 and "unknown edge type(s) copies" in result.stderr


def test_changes_prints_the_table_between_two_documents():
    result = cli("changes", RES14, "asp15-bureau-report-cooperation annex I")
    assert result.returncode == 0, result.stderr
    assert "11 amended, 25 carried over, 5 new, 1 new (placeholder), 2 dropped" in result.stdout
    bad = cli("changes", RES14, f"{RES14} para 4")
    assert bad.returncode == 2 and "not a document of the corpus" in bad.stderr


def test_timeline_of_a_recommendation():
    result = cli("timeline", "ICC-ASP/6/21 rec 7")
    assert result.returncode == 0, result.stderr
    assert "status: taken up" in result.stdout and "ICC-ASP/14/Res.3, para. 9" in result.stdout


def test_a_node_without_derivations_traces_to_nothing(graph):
    """A node no derivation touches (an actor) walks to an empty trace, both ways, and again."""
    fresh = Lineage(graph)
    for _ in range(2):
        trace = fresh.trace("https://w3id.org/coopgraph/actor/bureau", "both")
        assert trace.steps == [] and trace.root.label
    cited = [fresh.trace("https://w3id.org/coopgraph/doc/ICC-ASP/14/Res.3", "both").steps for _ in range(2)]
    assert cited[0] and [s.node.iri for s in cited[0]] == [s.node.iri for s in cited[1]]
