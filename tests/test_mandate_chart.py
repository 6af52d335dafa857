"""The mandate timeline chart on a mandate's page and an actor's: sessions across on a true axis
(one column per session, the sessions with no text in the corpus shaded and named), each event a
mark in its own session's column, and a draft's or report's events never drawn as an adopted act.

Expected from the texts: ICC-ASP/14/Res.3 para. 28 asks the Court to report (ASP14). ICC-ASP/8/Res.2
para. 17 asked the Court for an updated report (ASP8; the link is inferred from wording). The ASP15
Bureau report's draft (annex I, para. 32) and its list (annex II, item (g)) propose it again, and its
draft's preamble (para. 4) says the report was submitted: all ASP15, none of them adopted law."""

from __future__ import annotations

import re

import httpx
from lxml import html
from rdflib import Graph

from coopgraph.terms import CG
from tests.conftest import iri

COLUMN_W = 46  # web/mandate_chart.py: a column's width


def find(node, tag: str, cls: str | None = None) -> list:
    """The descendants of a tag (with a class among theirs)."""
    test = f"[contains(concat(' ', @class, ' '), ' {cls} ')]" if cls else ""
    return node.xpath(f".//{tag}{test}")


def chart(server, path: str):
    page = httpx.get(server.url + path, headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200
    svg = html.fromstring(page.text).xpath("//section[@id='mandate-chart']//svg[@class='mandate-chart']")
    assert svg, f"{path} draws no chart"
    return svg[0]


def columns(svg) -> dict[int, float]:
    return {int(t.text[3:]): float(t.get("x")) for t in find(svg, "text", "session")}


def marks(svg) -> list[tuple[int, str, float, bool]]:
    """(session, kind, x, dashed) of every mark."""
    found = []
    for group in find(svg, "g", "mark"):
        shape = group[1]  # after its <title>: a circle, a square (rect) or a diamond (path)
        if shape.tag == "circle":
            x = float(shape.get("cx"))
        elif shape.tag == "rect":
            x = float(shape.get("x")) + float(shape.get("width")) / 2
        else:
            x = float(re.match(r"M([\d.]+)", shape.get("d")).group(1))
        kind = next(c for c in group.get("class").split() if c.startswith("mark-")).removeprefix("mark-")
        found.append((int(group.get("data-session")), kind, x, shape.get("stroke-dasharray") is not None))
    return found


def test_a_mandate_page_charts_its_chain_on_a_true_session_axis(server):
    svg = chart(server, "/doc/ICC-ASP/14/Res.3/para/28/mandate/1")
    axis = columns(svg)
    assert sorted(axis) == list(range(8, 16))  # every session from the first to the last, none skipped
    assert {int(r.get("data-session")) for r in find(svg, "rect", "gap")} == {9, 10, 11, 12, 13}
    found = marks(svg)
    assert {session for session, *_ in found} == {8, 14, 15}
    for session, _, x, _ in found:
        assert abs(x - axis[session]) <= COLUMN_W / 2, f"a mark of ASP{session} is drawn outside its column"
    assert [kind for session, kind, _, _ in found if session == 14] == ["adopted"]
    assert {kind for session, kind, _, _ in found if session == 15} == {"proposed", "reported", "due"}  # the draft is not law
    assert all(dashed for session, _, _, dashed in found if session == 8)  # inferred from wording, and drawn so
    assert len(find(svg, "text", "row-label")) == 4  # para 17 (ASP8), para 28, annex I para 32, annex II item (g)


def test_an_actor_page_charts_every_mandate_given_to_it(server, graph: Graph):
    bureau = iri("actor/bureau")
    expected = {m for m in graph.subjects(CG.mandatedActor, bureau) if graph.value(m, CG.issuedAt) is not None}
    proposed = {str(m) for m in expected if (m, CG.mandateStatus, CG.ProposedMandate) in graph}
    svg = chart(server, "/actor/bureau")
    labels = find(svg, "text", "row-label")
    assert len(labels) == len(expected) > 10
    links = [a.get("href") for a in find(svg, "a") if find(a, "text", "row-label")]
    assert len(set(links)) == len(expected)
    axis = columns(svg)
    assert {int(r.get("data-session")) for r in find(svg, "rect", "gap")} == {s for s in axis if s in {7, 9, 10, 11, 12, 13}}
    drawn = marks(svg)
    for index, link in enumerate(links):
        kinds = {kind for (session, kind, _, _), group in zip(drawn, find(svg, "g", "mark")) if group.get("data-row") == str(index)}
        assert kinds, f"row {index} has no mark"
        mandate = next(m for m in expected if str(m).endswith(link))
        if str(mandate) in proposed:
            assert "adopted" not in kinds, f"{link}: a proposal drawn as an adopted act"
        else:
            assert "adopted" in kinds
