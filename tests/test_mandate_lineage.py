"""Mandates traced clause by clause: one addressee asked to do one thing, never chained through
another addressee's clause; the force of each clause; reports on a mandate as the texts state or
show them; deliveries with their recipients; proposals taken up by an adopted resolution.

The expected answers come from reading the texts (tests/data/mandate-lifecycles.toml and the
paragraphs quoted below), not from the tool's output."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from coopgraph.lineage.engine import Lineage
from coopgraph.lineage.mandates import mandate_chain
from coopgraph.lineage.memo import build_memo, memo_markdown
from coopgraph.lineage.timeline import mandate_timeline, recommendation_fate
from coopgraph.terms import CG, RDF
from tests.conftest import BASE, ROOT, cli

RES9, RES14 = "ICC-ASP/8/Res.2", "ICC-ASP/14/Res.3"
REPORT = "asp15-bureau-report-cooperation"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def lineage(graph: Graph) -> Lineage:
    return Lineage(graph)


def mandate(path: str) -> URIRef:
    return URIRef(f"{BASE}doc/{path}")


def test_no_chain_joins_mandates_of_different_addressees(graph: Graph):
    """Over every chain of the graph, both ways: each mandate reached asks an addressee that the
    starting mandate asks, and every link on the way is held to one that both its clauses ask."""
    mandates = list(graph.subjects(RDF.type, CG.Mandate))
    assert len(mandates) > 60
    steps = 0
    for start in mandates:
        asked = set(graph.objects(start, CG.mandatedActor))
        for direction in ("up", "down"):
            for step in mandate_chain(graph, start, direction):
                steps += 1
                assert step.actors and step.actors <= asked, (start, step.mandate)
                assert step.actors <= set(graph.objects(step.mandate, CG.mandatedActor)), (start, step.mandate)
    assert steps > 40  # the chains are there to check
    for link in graph.subjects(RDF.type, CG.MandateLink):
        earlier = graph.value(link, CG["entity"]) or next(graph.objects(link, URIRef("http://www.w3.org/ns/prov#entity")))
        later = graph.value(predicate=CG.qualifiedMandateLink, object=link)
        for actor in graph.objects(link, CG.commonAddressee):
            assert (earlier, CG.mandatedActor, actor) in graph and (later, CG.mandatedActor, actor) in graph


def test_the_courts_report_mandate_is_not_chained_through_the_bureaus(graph: Graph, lineage: Lineage):
    """ICC-ASP/14/Res.3 para 28 asks the Court to report. ICC-ASP/8/Res.2 para 17 asks the Bureau to
    work and to report, and the Court to report; ICC-ASP/6/21 annex I clause 4 asks only the Bureau.
    The Court's chain goes back to the Court's clause of 2009 and stops there."""
    court = mandate(f"{RES14}/para/28/mandate/1")
    up = [(str(s.mandate), s.depth) for s in mandate_chain(graph, court, "up")]
    assert up == [(str(mandate(f"{RES9}/para/17/mandate/3")), 1)]
    memo = memo_markdown(build_memo(lineage, str(mandate(f"{RES14}/para/28"))))
    chain_part = memo.split("## Mandate chain")[1].split("## Text links")[0]
    assert "ICC-ASP/6/21" not in chain_part and "ICC-ASP/8/Res.2, para. 17" in chain_part
    history = cli("query", "--name", "mandate-history", "-p", f"mandate={court}", "--format", "csv")
    assert history.returncode == 0, history.stderr
    versions = [row["version"] for row in csv.DictReader(io.StringIO(history.stdout))]
    assert versions == [str(mandate(f"{RES9}/para/17/mandate/3"))]  # once, and never the Bureau's clause


def test_a_paragraph_memo_opens_with_its_clauses_and_gives_a_chain_per_clause(lineage: Lineage):
    """ICC-ASP/8/Res.2 para 17 holds three clauses: encourages the Bureau, requests the Bureau
    (ninth session), requests the Court (to the Bureau before the Review Conference, to the
    Assembly at the tenth session)."""
    memo = build_memo(lineage, str(mandate(f"{RES9}/para/17")))
    assert [(c.addressee, c.verb, c.force) for c in memo.clauses] == [
        ("Bureau", "encourages", "exhortation"), ("Bureau", "requests", "request"),
        ("International Criminal Court", "requests", "request")]
    assert memo.clauses[2].deadlines == ["Review Conference (before), to the Bureau", "tenth session (at), to the Assembly"]
    assert set(memo.chains) == {c.mandate for c in memo.clauses}
    assert [c.label for c in memo.chains[memo.clauses[2].mandate] if c.direction == "goes to"][0] == f"{RES14}, para. 28"
    text = memo_markdown(memo)
    assert text.index("## Mandate clauses") < text.index("## Text links")


def test_every_clause_carries_its_normative_force(graph: Graph):
    clauses = set(graph.subjects(RDF.type, CG.Mandate)) | set(graph.subjects(CG.leadingVerb, None))
    assert len(clauses) > 150
    for clause in clauses:
        forces = list(graph.objects(clause, CG.normativeForce))
        assert len(forces) == 1, clause
        assert (forces[0], SKOS.inScheme, URIRef(f"{BASE}force/")) in graph
    force = {str(m).removeprefix(f"{BASE}doc/"): str(graph.value(graph.value(m, CG.normativeForce), SKOS.prefLabel))
             for m in graph.subjects(RDF.type, CG.Mandate)}
    # "Encourages States Parties to continue to express diplomatic and political support" is an
    # exhortation; "Requests the Bureau to appoint a new facilitator" a request; "Decides to revisit" a decision
    assert force[f"{RES9}/para/14/mandate/1"] == "exhortation"
    assert force[f"{RES9}/para/16/mandate/1"] == "request"
    assert force["ICC-ASP/6/21/annex/I/clause/5/mandate/1"] == "decision"
    assert force[f"{RES14}/para/13/mandate/1"] == "request"  # "calls on"
    assert force[f"{RES14}/para/5/mandate/1"] == "exhortation"  # "Urges"


def test_mandates_by_actor_keeps_requests_and_exhortations_apart():
    done = cli("query", "--name", "mandates-by-actor", "-p", f"actor={BASE}actor/states-parties", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = {row["unit"].removeprefix(f"{BASE}doc/"): row for row in csv.DictReader(io.StringIO(done.stdout))}
    assert rows[f"{RES9}/para/14"]["force"] == "exhortation" and rows[f"{RES14}/para/13"]["force"] == "request"
    assert {row["status"] for row in rows.values()} == {"issued", "proposed"}
    assert all(row["force"] for row in rows.values())


def test_due_at_session_lists_each_delivery_once_with_its_recipient():
    """ICC-ASP/8/Res.2 para 17: "to submit an updated report on cooperation to the Bureau in advance
    of the Review Conference and to the Assembly at its tenth session"."""
    def rows(session: str) -> list[dict]:
        done = cli("query", "--name", "due-at-session", "-p", f"session={BASE}session/{session}", "--format", "csv")
        assert done.returncode == 0, done.stderr
        return list(csv.DictReader(io.StringIO(done.stdout)))

    tenth = rows("ASP/10")
    assert [(r["mandate"].removeprefix(f"{BASE}doc/"), r["recipient"], r["dueText"], r["relation"]) for r in tenth] == [
        (f"{RES9}/para/17/mandate/3", "to the Assembly", "tenth session", "at")]
    review = rows("RC/2010")
    assert [(r["recipient"], r["dueText"], r["relation"]) for r in review] == [("to the Bureau", "Review Conference", "before")]
    for session in ("ASP/15", "ASP/16"):
        found = rows(session)
        keys = [(r["mandate"], r["dueText"]) for r in found]
        assert found and len(keys) == len(set(keys)), session


def test_the_facilitators_term_is_recorded(graph: Graph):
    """ICC-ASP/8/Res.2 para 16: "to appoint a new facilitator ... for a period of two years"."""
    assert graph.value(mandate(f"{RES9}/para/16/mandate/1"), CG["term"]) == Literal("for a period of two years")


def test_the_report_submitted_under_para_28_is_a_stated_report(lineage: Lineage):
    """The ASP15 draft's preamble: "Welcoming the report of the Court on cooperation, submitted
    pursuant to paragraph 28 of resolution ICC-ASP/14/Res.3"."""
    timeline = mandate_timeline(lineage, str(mandate(f"{RES14}/para/28/mandate/1")))
    reported = [(e.unit.removeprefix(f"{BASE}doc/"), e.basis) for e in timeline.events if e.what == "reported on"]
    assert reported == [(f"{REPORT}/annex/I/preamble/4", "stated")]


def test_a_recital_is_not_a_report_and_a_section_on_the_subject_is(lineage: Lineage):
    """The ASP15 report's para 18 only recites ICC-ASP/14/Res.3 para 4 (arrest strategies); its
    section A (paras 5-6) reports on the review of the 66 recommendations (para 24)."""
    para4 = mandate_timeline(lineage, str(mandate(f"{RES14}/para/4/mandate/1")))
    assert not [e for e in para4.events if e.what == "reported on"]
    para24 = mandate_timeline(lineage, str(mandate(f"{RES14}/para/24/mandate/1")))
    assert [(e.unit.removeprefix(f"{BASE}doc/"), e.basis) for e in para24.events if e.what == "reported on"] == [
        (f"{REPORT}/para/5", "inferred"), (f"{REPORT}/para/6", "inferred")]


def test_every_stated_event_rests_on_stated_evidence(graph: Graph, lineage: Lineage):
    """A timeline says "stated" only where the graph's evidence is not inferred: the mandate's own
    clause, a printed deadline, or a link or report a text states."""
    stated = 0
    for start in graph.subjects(RDF.type, CG.Mandate):
        for event in mandate_timeline(lineage, str(start)).events:
            if event.basis != "stated" or event.steps == 0:
                continue
            stated += 1
            if event.what == "reported on":
                nodes = [n for n in graph.objects(start, CG.qualifiedReport)
                         if str(graph.value(n, URIRef("http://www.w3.org/ns/prov#entity"))) == event.unit]
                assert nodes and all(graph.value(n, CG.isInferred) == Literal(False) for n in nodes), (start, event)
            else:
                links = [link for later in [URIRef(event.mandate or "")] for link in graph.objects(later, CG.qualifiedMandateLink)]
                links += [link for link in graph.objects(start, CG.qualifiedMandateLink)]
                assert any(graph.value(link, CG.isInferred) == Literal(False) for link in links), (start, event)
    assert stated >= 1


def test_events_within_a_session_follow_the_dates_of_their_texts(lineage: Lineage):
    """Within a session, a text of an earlier date comes first; a text without a date by its kind."""
    for path in (f"{RES14}/para/28/mandate/1", f"{RES14}/para/4/mandate/1", f"{REPORT}/annex/II/item/g/mandate/1"):
        events = [e for e in mandate_timeline(lineage, str(mandate(path))).events if e.what not in {"due", "due before"}]
        for a, b in zip(events, events[1:], strict=False):
            if a.session == b.session and a.date and b.date:
                assert a.date <= b.date, (path, a, b)


def test_recommendations_not_followed_up_agrees_with_lineage(graph: Graph, lineage: Lineage):
    """All 66: listed by the named query exactly when lineage finds no later unit that takes the
    recommendation up by itself."""
    query = (ROOT / "queries" / "recommendations-not-followed-up.rq").read_text(encoding="utf-8")
    listed = {str(row[0]) for row in graph.query(query)}
    recommendations = sorted(graph.subjects(RDF.type, CG.Recommendation), key=lambda r: int(str(graph.value(r, CG.number))))
    assert len(recommendations) == 66
    for recommendation in recommendations:
        fate = recommendation_fate(lineage, str(recommendation))
        assert (str(recommendation) in listed) == (fate.status != "taken up"), (recommendation, fate.status)
        for event in fate.events[1:]:
            if event.what == "taken up":
                assert event.basis == "inferred" and event.evidence, recommendation


def test_lifecycle_figures_match_the_hand_reading(graph: Graph, lineage: Lineage):
    """Every mandate chain the tool draws is one the hand reading draws (precision 1.0)."""
    from tests.support.evaluation import mandate_link_scores
    hand = tomllib.loads((DATA / "mandate-lifecycles.toml").read_text(encoding="utf-8"))["mandate"]
    scores = mandate_link_scores(graph, BASE, hand)
    assert scores and all(s.false_positives == [] for s in scores.values()), {k: v.false_positives for k, v in scores.items()}


ADOPTED = """ Resolution ICC-ASP/15/Res.21

Adopted at the 11th plenary meeting, on 24 November 2016, by consensus

ICC-ASP/15/Res.21
Resolution on cooperation

The Assembly of States Parties,

Recalling the provisions of the Rome Statute and its previous resolutions on cooperation,

Welcoming the report of the Bureau on cooperation,

1. Emphasizes that cooperation between States Parties and the Court remains essential to the fulfilment of the Court's mandate;

2. Requests the Bureau to continue consideration of the recommendations of the draft Action Plan on Arrest Strategies with a view to its adoption, and to report thereon to the sixteenth session of the Assembly;

3. Requests the Bureau, through its Working Groups, to continue its review of the implementation of the 66 recommendations, in close cooperation with the Court and civil society, and to report thereon to the seventeenth session of the Assembly;

4. Requests the Bureau to maintain a facilitation of the Assembly of States Parties for cooperation to consult with States Parties, the Court, other interested States, relevant organizations and non-governmental organizations in order to further strengthen cooperation with the Court;

5. Requests the Court to submit an updated report on cooperation to the Assembly at its sixteenth session and annually thereafter.
"""


def test_an_adopted_resolution_updates_the_proposals_it_takes_up(corpus_copy: Path, tmp_path: Path):
    """A resolution written for this test (not a corpus text): it adopts Annex II items (a), (f) and
    (g) of the ASP15 report word for word, item (e) reworded, and leaves (b), (c) and (d) aside.
    It names the seventeenth session, so that session is in the graph too."""
    source = tmp_path / "res-15-21.txt"
    source.write_text(ADOPTED, encoding="utf-8")
    done = cli("add", str(source), root=corpus_copy)
    assert done.returncode == 0, done.stderr
    expected = {"a": ("para. 2", None), "e": ("para. 3", "{+and civil society+}"), "f": ("para. 4", None), "g": ("para. 5", None)}
    for item in "abcdefg":
        shown = cli("timeline", f"{REPORT} annex II item {item}", root=corpus_copy)
        assert shown.returncode == 0, shown.stderr
        status = next(line for line in shown.stdout.splitlines() if line.startswith("status: "))
        if item in expected:
            paragraph, change = expected[item]
            assert status.startswith(f"status: taken up by an adopted resolution (ICC-ASP/15/Res.21, {paragraph} states it"), status
            assert ("in the same words" in status) == (change is None) and (change is None or change in status), status
        else:
            assert status.startswith("status: proposed ("), status


def test_a_footnote_that_contradicts_its_text_is_a_source_defect(graph: Graph, lineage: Lineage):
    """ASP15 report para 4: "pursuant to the mandates outlined in the resolution on cooperation
    (ICC-ASP/14/Res.3),¹" with footnote 1 "ICC-ASP/13/Res.3, adopted at the 12th plenary meeting, on
    17 December 2014"; footnotes 2 and 3 are "Ibid.". The graph keeps what each says, and flags it."""
    note = mandate(f"{REPORT}/footnote/1")
    assert "names ICC-ASP/13/Res.3 where the text it annotates names ICC-ASP/14/Res.3" in str(graph.value(note, CG.sourceDefect))
    for ibid in ("footnote/2", "footnote/3"):
        assert graph.value(mandate(f"{REPORT}/{ibid}"), CG.sourceDefect) is not None
    assert graph.value(mandate(f"{REPORT}/footnote/4"), CG.sourceDefect) is None  # names its symbol itself
    edges = [e for e in lineage.edges(str(mandate(f"{REPORT}/para/4/item/a")), "up") if "ICC-ASP/13/Res.3" in e.earlier]
    assert edges and all("a source defect" in " ".join(e.evidence) for e in edges)  # the "Ibid." link, flagged


def test_lineage_gives_one_chain_per_clause_apart_from_the_text_links(server):
    """`lineage` (CLI and /lineage) and the unit page, for ICC-ASP/8/Res.2 para 17: three clauses,
    each with its own chain; the Court's goes on to ICC-ASP/14/Res.3 para 28, the Bureau's report
    clause back to ICC-ASP/6/21 annex I clause 4, and neither through the other's."""
    import json

    import httpx

    text = cli("lineage", f"{RES9}, para. 17", "--direction", "both")
    assert text.returncode == 0, text.stderr
    chains, links = text.stdout.split("Text links (paragraph to paragraph):")
    assert chains.count("mandate: ") == 3 and "for court" in chains and "for bureau" in chains
    done = cli("lineage", f"{RES9}, para. 17", "--direction", "both", "--format", "json")
    body = json.loads(done.stdout)
    by_addressee = {(c["verb"], c["addressee"]): c for c in body["mandateChains"]}
    court = by_addressee[("requests", "International Criminal Court")]
    assert [s["unit"].removeprefix(f"{BASE}doc/") for s in court["down"]][0] == f"{RES14}/para/28"
    assert not court["up"]  # the Bureau's clause 4 of 2007 is not the Court's
    bureau = by_addressee[("requests", "Bureau")]
    assert [s["unit"].removeprefix(f"{BASE}doc/") for s in bureau["up"]] == ["ICC-ASP/6/21/annex/I/clause/4"]
    with httpx.Client(base_url=server.url, timeout=30) as http:
        api = http.get("/lineage", params={"ref": f"{RES9}, para. 17", "direction": "both"}).json()
        assert api["mandateChains"] == body["mandateChains"]
        page = http.get(f"/doc/{RES9}/para/17", headers={"Accept": "text/html"}).text
        assert page.count('class="clause-chain"') == 3 and "exhortation" in page and "request" in page
