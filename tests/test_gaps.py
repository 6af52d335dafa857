"""The gap of the corpus, said wherever lineage is shown, and said right.

The sessions whose texts are in the corpus are read here from corpus/manifest.toml, not from the
tool: a hop between two texts crosses the sessions strictly between them that have no text there.
Every lineage, memo, timeline and comparison of every unit must name exactly those, and never a
session whose text is in the corpus."""

from __future__ import annotations

import re
import tomllib

import pytest
from rdflib import Graph

from coopgraph.lineage import render
from coopgraph.lineage.engine import Lineage
from coopgraph.lineage.memo import build_memo, memo_html, memo_markdown
from coopgraph.lineage.timeline import mandate_timeline
from coopgraph.lineage.units import text_units
from coopgraph.terms import CG, RDF
from tests.conftest import BASE, ROOT


def corpus_sessions() -> set[int]:
    manifest = tomllib.loads((ROOT / "corpus" / "manifest.toml").read_text(encoding="utf-8"))
    found = set()
    for document in manifest["document"]:
        if document.get("session"):
            found.add(int(document["session"]))
        found.update(int(a["session"]) for a in document.get("annex", []) if a.get("session"))
    return found


SESSIONS = corpus_sessions()


def expected(first: int | None, last: int | None) -> tuple[int, ...]:
    if first is None or last is None:
        return ()
    low, high = sorted((first, last))
    return tuple(n for n in range(low + 1, high) if n not in SESSIONS)


def named(text: str) -> set[int]:
    """The session numbers a gap sentence names ('sessions 7 and 9-13 lie between ...')."""
    numbers: set[int] = set()
    for low, high in re.findall(r"(\d+)(?:-(\d+))?", text.split(" lie")[0]):
        numbers.update(range(int(low), int(high or low) + 1))
    return numbers


@pytest.fixture(scope="module")
def lineage(graph: Graph) -> Lineage:
    return Lineage(graph)


def test_the_corpus_sessions_are_read_from_the_corpus(lineage: Lineage):
    assert lineage.corpus_sessions() == SESSIONS
    assert 8 in SESSIONS and not {9, 10, 11, 12, 13} & SESSIONS


def test_every_lineage_and_memo_names_the_gap_of_each_hop(graph: Graph, lineage: Lineage):
    hops = crossing = 0
    for unit in text_units(graph):
        trace = lineage.trace(str(unit.iri), "both")
        nodes = {trace.root.iri: trace.root} | {s.node.iri: s.node for s in trace.steps}
        text = render.trace_text(trace)
        body = render.trace_data(trace)
        for step, shown in zip(trace.steps, body["steps"], strict=True):
            parent = step.edge.later if step.direction == "up" else step.edge.earlier
            want = expected(nodes[parent].session, step.node.session)
            hops += 1
            assert step.missing == want, (unit.iri, step.node.iri)
            if want:
                crossing += 1
                assert named(step.gap or "") == set(want) and shown["gap"] == step.gap
                assert f"({step.gap})" in text
            else:
                assert step.gap is None and shown["gap"] is None
        if trace.steps and any(s.missing for s in trace.steps):
            memo = build_memo(lineage, str(unit.iri))
            markdown, html = memo_markdown(memo), memo_html(memo)
            assert memo.caveat and "Caveat" in markdown and 'id="caveat"' in html
            assert named(memo.caveat.split("cross ")[1].split(",")[0]) == set().union(*(s.missing for s in trace.steps),
                                                                                     *(c.missing for cs in memo.chains.values() for c in cs))
            for link in memo.links:
                if link.gap:
                    assert f"- Gap: {link.gap}" in markdown
    assert hops > 300 and crossing > 20


def test_every_timeline_names_the_gap_of_each_hop(graph: Graph, lineage: Lineage):
    crossing = 0
    for mandate in graph.subjects(RDF.type, CG.Mandate):
        timeline = mandate_timeline(lineage, str(mandate))
        text = render.timeline_text(timeline)
        for event in timeline.events:
            assert not set(event.missing) & SESSIONS, (mandate, event)
            if event.steps and event.what not in {"due", "due before"}:
                if event.steps == 1 or event.mandate is None:
                    origin = lineage.node(str(graph.value(mandate, CG.issuedBy))).session
                    if event.mandate is None:
                        # the hop is to the text that shows the event (a 2009 preamble recalling session 7)
                        assert event.missing == expected(origin, lineage.node(event.unit).session), (mandate, event)
                if event.missing:
                    crossing += 1
                    assert named(event.gap or "") == set(event.missing) and f"({event.gap})" in text
    assert crossing > 5


def test_every_comparison_names_the_gap_and_no_session_the_corpus_holds(lineage: Lineage, graph: Graph):
    documents = sorted({str(u.document) for u in text_units(graph)})
    for earlier in documents:
        for later in documents:
            if earlier == later:
                continue
            want = expected(lineage.node(earlier).session, lineage.node(later).session)
            gap = lineage.gap(earlier, later)
            assert (named(gap or "") == set(want)) if want else gap is None, (earlier, later, gap)
            if gap:
                assert not named(gap) & SESSIONS


def test_a_hop_from_2007_to_2015_does_not_call_session_8_missing(lineage: Lineage):
    """ICC-ASP/14/Res.3 para 24 goes back to the 2007 report: session 8's resolution is in the corpus."""
    trace = lineage.trace(f"{BASE}doc/ICC-ASP/14/Res.3/para/24", "up")
    gaps = {s.gap for s in trace.steps if s.node.session == 6 and s.depth == 1}
    assert gaps == {"sessions 7 and 9-13 lie between; their texts are not in the corpus"}


def test_the_unit_page_and_lineage_graph_name_the_gap(server):
    import httpx

    with httpx.Client(base_url=server.url, timeout=30) as http:
        page = http.get("/doc/ICC-ASP/14/Res.3/para/24", headers={"Accept": "text/html"}).text
        assert "sessions 7 and 9-13 lie between" in page and 'class="edge edge-' in page and " gap\"" in page
        api = http.get("/lineage", params={"ref": "ICC-ASP/14/Res.3, para. 24"}).json()
        assert {s["gap"] for s in api["steps"]} >= {"sessions 7 and 9-13 lie between; their texts are not in the corpus"}
        memo = http.get("/memo", params={"ref": "ICC-ASP/14/Res.3, para. 24"}, headers={"Accept": "text/html"}).text
        assert "Caveat" in memo
