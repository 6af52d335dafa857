"""Lineage and mandate statuses against what was written down by reading the texts (tests/data/).

The figures of docs/lineage-alignment.md, held to the targets: stated links and status words
exactly right, recall of strong 2009 -> 2015 links of at least 0.8, no draft or proposal issued
or renewed; and the defects found by reading, each pinned.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF

from coopgraph.lineage.calibration import calibrated, chain
from coopgraph.lineage.engine import Lineage
from coopgraph.lineage.timeline import STATUS_WORDS, mandate_timeline
from coopgraph.terms import CG
from coopgraph.validate import load_shapes, validate_graph
from tests.conftest import BASE, ROOT, cli, iri
from tests.support.evaluation import PAIRS, score_all, score_lifecycles

DATA = ROOT / "tests" / "data"
RES9, RES14 = "ICC-ASP/8/Res.2", "ICC-ASP/14/Res.3"
DRAFT, MANDATES = "asp15-bureau-report-cooperation/annex/I", "asp15-bureau-report-cooperation/annex/II"


@pytest.fixture(scope="module")
def lineage(graph: Graph) -> Lineage:
    return Lineage(graph)


@pytest.fixture(scope="module")
def scores(graph: Graph) -> dict:
    return {s.spec.name: s for s in score_all(graph, BASE, DATA)}


@pytest.fixture(scope="module")
def lifecycles(graph: Graph, lineage: Lineage) -> list:
    return score_lifecycles(graph, lineage, BASE, DATA)


def test_the_hand_data_covers_every_operative_paragraph_of_the_2015_resolution(graph: Graph):
    checked = tomllib.loads((DATA / "alignment-8-res2-to-14-res3.toml").read_text(encoding="utf-8"))
    covered = {e["later"] for e in checked["link"]} | {e["later"] for e in checked["none"]}
    operative = {str(u).removeprefix(f"{BASE}doc/{RES14}/") for u in graph.subjects(CG.text, None)
                 if str(u).startswith(f"{BASE}doc/{RES14}/para/") and str(u).count("/") == str(iri(f"doc/{RES14}/para/1")).count("/")}
    assert len(operative) == 28 and operative <= covered
    assert not ({e["later"] for e in checked["none"]} & {e["later"] for e in checked["link"]})


def test_every_mandate_of_the_corpus_has_a_hand_checked_lifecycle(graph: Graph, lifecycles: list):
    mandates = set(graph.subjects(RDF.type, CG.Mandate))
    assert {URIRef(c.mandate) for c in lifecycles if c.mandate} == mandates and len(mandates) == 69


def test_stated_links_are_exactly_right_in_every_checked_pair(scores: dict):
    for name, score in scores.items():
        if score.expected_stated or score.found_stated:
            assert score.stated_precision() == 1.0, (name, set(score.found_stated) - score.expected_stated)
            assert score.stated_recall() == 1.0, (name, score.expected_stated - set(score.found_stated))


def test_2009_to_2015_recall_of_strong_links_meets_the_target(scores: dict):
    score = scores["2009 -> 2015"]
    assert score.recall("strong") >= 0.8, sorted(score.missed_strong)
    # ICC-ASP/14/Res.3 para 17 comes from ICC-ASP/8/Res.2 para 15; para 28 from the last clause of para 17
    assert ("ICC-ASP/8/Res.2/para/15", f"{RES14}/para/17") in score.correct
    assert ("ICC-ASP/8/Res.2/para/17", f"{RES14}/para/28") in score.correct
    assert score.precision() >= 0.9, sorted(score.wrong)


def test_held_out_pairs(scores: dict):
    for name in ("2015 -> draft", "draft -> Annex II"):
        assert scores[name].precision() == 1.0 and scores[name].recall() == 1.0, name
    early = scores["2007 -> 2009"]  # recall there is low (docs/lineage-alignment.md)
    # one link is wrong, found when the pair was read again: 2007 "Takes note of the report of the Bureau"
    # and 2009 "Noting the report of the Court" note two different reports; no rule tuned on the tuning
    # pair would drop it without dropping right links there, so it stays, with a lower confidence
    wrong = set(early.found) - set(early.expected)
    assert wrong == {("ICC-ASP/6/21/annex/I/clause/1", "ICC-ASP/8/Res.2/preamble/3")} and early.precision() == 0.75
    assert early.found[next(iter(wrong))].confidence < 0.86  # what its kind claimed before, for every link
    assert {p.role for p in PAIRS} == {"tuning", "held out"} and sum(p.role == "tuning" for p in PAIRS) == 1


def test_every_mandate_status_agrees_with_the_hand_reading(lifecycles: list):
    wrong = [(c.unit, c.addressee, c.expected, c.found) for c in lifecycles if c.found != c.expected]
    assert not wrong


def test_every_status_word_in_a_timeline_is_one_the_texts_support(lifecycles: list):
    hand = tomllib.loads((DATA / "mandate-lifecycles.toml").read_text(encoding="utf-8"))["mandate"]
    claims = 0
    for check, entry in zip(lifecycles, hand, strict=True):
        allowed = set(entry.get("next", []) + entry.get("back", []) + entry.get("reported", []))
        for word, unit in check.status_words:
            if word in STATUS_WORDS:
                claims += 1
                assert unit in allowed, (check.unit, check.addressee, word, unit)
    assert claims > 80


def test_no_draft_or_proposal_is_issued_renewed_or_modified(graph: Graph, lifecycles: list):
    for check in lifecycles:
        if graph.value(URIRef(check.mandate), CG.mandateStatus) == CG.ProposedMandate:
            assert check.found in {"proposed", "taken up by an adopted resolution"}, check


def test_the_bureau_mandate_of_2009_para_17_is_not_renewed_by_a_paragraph_addressed_to_the_court(lineage: Lineage):
    bureau = mandate_timeline(lineage, BASE + f"doc/{RES9}/para/17/mandate/2")
    assert bureau.status == "unknown across a gap"
    assert not any(e.unit.startswith(BASE + f"doc/{RES14}") for e in bureau.events)
    court = mandate_timeline(lineage, BASE + f"doc/{RES9}/para/17/mandate/3")
    assert ("renewed", BASE + f"doc/{RES14}/para/28") in {(e.what, e.unit) for e in court.events}


def test_the_2007_omnibus_clauses_are_continued_as_the_2009_preamble_states(lineage: Lineage):
    for clause in (3, 4):
        timeline = mandate_timeline(lineage, BASE + f"doc/ICC-ASP/6/21/annex/I/clause/{clause}/mandate/1")
        assert timeline.status == "taken up by an adopted resolution"
        recalled = [e for e in timeline.events if e.what == "continued (recalled)"]
        # the preamble states what the seventh session asked; that it is this clause is read from the subject
        assert [(e.session, e.unit, e.basis) for e in recalled] == [(7, BASE + f"doc/{RES9}/preamble/2", "inferred")]
        assert "seventh session" in recalled[0].evidence
    decides = mandate_timeline(lineage, BASE + "doc/ICC-ASP/6/21/annex/I/clause/5/mandate/1")
    assert decides.status == "proposed"  # "Decides to revisit ...": no adopted text of the corpus states it


def test_a_subject_shared_without_the_same_request_renews_nothing(lineage: Lineage):
    """2015 para 22 takes up diplomatic and political support, the subject of 2009 para 14, but asks
    States Parties something else: shown as an inferred note, not as a renewal."""
    timeline = mandate_timeline(lineage, BASE + f"doc/{RES9}/para/14/mandate/1")
    assert timeline.status == "unknown across a gap"
    notes = [(e.what, e.unit, e.basis) for e in timeline.events if e.steps]
    assert notes == [("takes up the subject", BASE + f"doc/{RES14}/para/22", "inferred")]


def test_maintain_states_that_the_facilitation_continues(lineage: Lineage):
    timeline = mandate_timeline(lineage, BASE + f"doc/{RES9}/para/16/mandate/1")
    assert timeline.status == "renewed"
    renewal = next(e for e in timeline.events if e.what == "renewed")
    assert renewal.unit == BASE + f"doc/{RES14}/para/27" and "maintain" in renewal.evidence


def test_an_annex_ii_mandate_looks_back_with_the_chain_confidence(lineage: Lineage, graph: Graph):
    timeline = mandate_timeline(lineage, BASE + f"doc/{MANDATES}/item/g/mandate/1")
    back = {e.unit.removeprefix(BASE + "doc/"): e for e in timeline.events if e.what in {"issued earlier", "proposed earlier"}}
    assert set(back) == {f"{DRAFT}/para/32", f"{RES14}/para/28", f"{RES9}/para/17"}
    assert back[f"{DRAFT}/para/32"].what == "proposed earlier" and back[f"{RES14}/para/28"].what == "issued earlier"
    # three links up: the chain's confidence is the product of the three
    assert back[f"{RES9}/para/17"].steps == 3
    assert back[f"{RES9}/para/17"].confidence == chain([calibrated("restated"), calibrated("amended"), calibrated("clause")])
    out = cli("timeline", "asp15-bureau-report-cooperation annex II (g)").stdout
    assert "chain of 3 links" in out and "issued earlier" in out


def test_confidence_is_calibrated_apart_from_similarity(graph: Graph):
    seen = set()
    from coopgraph.lineage.confidence import MODEL_KINDS, EvidenceReader, subject_confidence
    from coopgraph.lineage.units import text_units
    reader = EvidenceReader(graph, text_units(graph))
    for node in graph.subjects(CG.evidenceKind, None):
        if (node, RDF.type, CG.Derivation) not in graph:
            continue  # a mandate link keeps its paragraph link's confidence
        kind = str(graph.value(node, CG.evidenceKind))
        later = graph.value(predicate=CG.qualifiedDerivation, object=node)
        expected = (subject_confidence(reader.evidence(graph.value(node, PROV.entity), later)) if kind in MODEL_KINDS
                    else calibrated(kind))
        assert float(graph.value(node, CG.confidence)) == expected, kind
        seen.add(kind)
    assert {"verbatim", "amended", "clause", "shared subject", "citation by symbol"} <= seen
    # the 2009 -> 2015 clause edge changed most of its words but is as sure as its kind
    node = next(n for later, n in graph.subject_objects(CG.qualifiedDerivation)
                if later == iri(f"doc/{RES14}/para/28") and graph.value(n, PROV.entity) == iri(f"doc/{RES9}/para/17"))
    assert float(graph.value(node, CG.similarity)) < 0.5 and float(graph.value(node, CG.confidence)) == calibrated("clause")


def test_stated_and_inferred_edges(graph: Graph):
    for node in graph.subjects(CG.derivationType, None):
        kind = graph.value(node, CG.derivationType)
        stated = graph.value(node, CG.isInferred) == Literal(False)
        if kind in {CG.repeats, CG.amends, CG.restates, CG.buildsOn}:
            assert not stated, node  # read from wording: no text says where its words come from
        if stated:
            assert str(graph.value(node, CG.citingWords) or "").strip(), node


def test_splits_and_merges_are_typed(graph: Graph):
    merged = {(later, graph.value(n, PROV.entity)) for later, n in graph.subject_objects(CG.qualifiedDerivation)
              if (n, None, CG.MergeDerivation) in graph}
    # 2015 para 21 merges 2009 paras 4 and 5 (cooperation with the United Nations); para 22 merges
    # para 14 and 16 (a) (diplomatic and political support)
    assert {(iri(f"doc/{RES14}/para/21"), iri(f"doc/{RES9}/para/4")), (iri(f"doc/{RES14}/para/21"), iri(f"doc/{RES9}/para/5")),
            (iri(f"doc/{RES14}/para/22"), iri(f"doc/{RES9}/para/14"))} <= merged
    result = cli("changes", RES9, RES14)
    assert "(merges 2)" in result.stdout


def test_footnotes_are_compared_between_versions(graph: Graph):
    node = next(n for later, n in graph.subject_objects(CG.qualifiedDerivation) if later == iri(f"doc/{DRAFT}/para/2"))
    assert [str(t) for t in graph.objects(node, CG.footnoteDiff)] == ["footnote 1: As at [-21 August 2015-] {+5 September 2016+} ."]
    result = cli("changes", RES14, "asp15-bureau-report-cooperation annex I")
    assert "footnote 1: As at [-21 August 2015-] {+5 September 2016+}" in result.stdout
    # the draft's para 10 lost its footnote to a source defect: the change says so, it does not guess
    assert "footnote 3 removed: ICC-ASP/13/29. (a source defect" in result.stdout  # as printed: marker 3


@pytest.mark.parametrize("mutation,message", [
    ("stated-without-words", "must keep its citing words"),
    ("text-edge-stated", "must be marked cg:isInferred true"),
])
def test_shacl_holds_the_stated_and_inferred_rules(graph: Graph, mutation: str, message: str):
    damaged = Graph()
    damaged += graph
    if mutation == "stated-without-words":
        node = next(n for n in graph.subjects(CG.citingWords, None))
        damaged.remove((node, CG.citingWords, None))
    else:
        node = next(n for n in graph.subjects(CG.derivationType, CG.amends))
        damaged.set((node, CG.isInferred, Literal(False)))
    report = validate_graph(damaged, load_shapes(ROOT / "shapes", BASE))
    assert not report.conforms and any(message in f.message for f in report.findings if f.severity == "Violation")


def test_the_calibration_table_is_the_count_of_the_hand_checked_links(graph: Graph, scores: dict):
    from coopgraph.lineage.calibration import table
    from tests.support.evaluation import calibration_counts
    assert calibration_counts(list(scores.values())) == table()


def test_hand_data_paths_name_real_units(graph: Graph):
    subjects = set(graph.subjects())
    for path in Path(DATA).glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.startswith("unit = "):
                assert iri("doc/" + line.split('"')[1]) in subjects, (path.name, line)


def test_a_recommendation_timeline_shows_the_chain_confidence(lineage: Lineage):
    from coopgraph.lineage.timeline import recommendation_fate
    fate = recommendation_fate(lineage, BASE + "doc/ICC-ASP/6/21/rec/7")
    taken = {e.unit.removeprefix(BASE + "doc/"): e for e in fate.events}
    assert taken[f"{RES14}/para/9"].confidence == calibrated("recommendation taken up")
    # two links away: 2015 para 9 takes it up, the ASP15 draft para 8 repeats that paragraph
    assert taken[f"{DRAFT}/para/8"].steps == 2
    assert taken[f"{DRAFT}/para/8"].confidence == chain([calibrated("recommendation taken up"), calibrated("verbatim")])


def test_no_kind_claims_more_than_its_held_out_precision_allows(scores: dict):
    """On the held-out pairs, the mean confidence of each kind stays within the sampling error
    above its measured precision (the upper end of the 95% Wilson interval)."""
    from tests.support.evaluation import judged_edges, per_kind
    judged = judged_edges(list(scores.values()) if isinstance(scores, dict) else scores)
    assert len(judged) > 40
    for kind, (checked, right, claimed, upper) in per_kind(judged).items():
        assert claimed <= upper + 1e-9, (kind, checked, right, claimed, upper)


def test_the_subject_model_is_fitted_on_the_tuning_pair_and_explains_each_link(graph: Graph, lineage: Lineage):
    from coopgraph.lineage.confidence import subject_model
    model = subject_model()
    assert model is not None and model["fitted_on"] == next(p.name for p in PAIRS if p.role == "tuning")
    nodes = list(graph.subjects(RDF.type, CG.Derivation))
    assert nodes and all(graph.value(n, CG.confidenceBasis) for n in nodes)
    subject = [n for n in nodes if str(graph.value(n, CG.evidenceKind)) == "shared subject"]
    assert subject and all("from this link's own evidence" in str(graph.value(n, CG.confidenceBasis)) for n in subject)
    # two links of the same kind no longer share one number: the evidence of each decides
    assert len({str(graph.value(n, CG.confidence)) for n in subject}) > 3
    from coopgraph.lineage.memo import build_memo, memo_markdown
    memo = memo_markdown(build_memo(lineage, BASE + f"doc/{RES14}/para/24"))
    assert memo.count("- Why this confidence: ") >= 3
