"""Comparisons say "new" or "dropped" only between versions of one instrument.

Read from the texts: the ASP15 report's Annex I is the draft successor of ICC-ASP/14/Res.3 and
repeats most of its paragraphs word for word; the flyer promotes the 66 recommendations of the
2007 report and drops nothing; the ASP15 draft and its Annex II list are two texts, the list
restating seven of the draft's paragraphs; the 2007 report (with its proposed language) and the
2009 resolution are not versions of each other, though the graph holds links between them."""

from __future__ import annotations

import json
import re

from coopgraph.lineage.engine import Lineage
from tests.conftest import BASE, cli

REPORT = "asp15-bureau-report-cooperation"


def test_a_resolution_against_a_report_is_compared_with_the_draft_it_annexes():
    done = cli("changes", "ICC-ASP/14/Res.3", REPORT)
    assert done.returncode == 0, done.stderr
    assert "annexes a draft resolution (ASP15 Bureau report on cooperation, annex I): compared with that draft" in done.stdout
    counts = done.stdout.strip().splitlines()[-1]
    assert "25 carried over" in counts and "11 amended" in counts
    assert "38 dropped" not in done.stdout
    direct = cli("changes", "ICC-ASP/14/Res.3", f"{REPORT} annex I")
    assert direct.stdout.strip().splitlines()[-1] == counts  # the same comparison as with the draft itself


def test_texts_that_are_not_versions_list_their_relations_and_drop_nothing():
    for earlier, later in (("ICC-ASP/6/21", "flyer-66-recommendations"), (f"{REPORT} annex I", f"{REPORT} annex II"),
                           ("ICC-ASP/6/21", "ICC-ASP/8/Res.2")):
        done = cli("changes", earlier, later, "--format", "json")
        assert done.returncode == 0, done.stderr
        rows = json.loads(done.stdout)
        statuses = {row["status"] for row in rows}
        assert rows and all(row["mode"] == "relations" for row in rows), (earlier, later)
        assert not statuses & {"new", "dropped", "not in the earlier text", "not in the later text"}, (earlier, later, statuses)
        assert "not versions of one instrument" in rows[0]["note"]
    flyer = json.loads(cli("changes", "ICC-ASP/6/21", "flyer-66-recommendations", "--format", "json").stdout)
    assert {row["status"] for row in flyer} == {"cites"}  # the flyer names the 66 recommendations of the report
    annexes = json.loads(cli("changes", f"{REPORT} annex I", f"{REPORT} annex II", "--format", "json").stdout)
    assert [row["status"] for row in annexes] == ["restates"] * 7  # Annex II items (a)-(g)


def test_every_link_the_graph_holds_between_two_texts_is_shown(graph):
    """ICC-ASP/6/21 and ICC-ASP/8/Res.2: the comparison lists exactly the links the graph holds."""
    from rdflib.namespace import PROV

    from coopgraph.terms import CG
    lineage = Lineage(graph)
    rows = lineage.changes(f"{BASE}doc/ICC-ASP/6/21", f"{BASE}doc/ICC-ASP/8/Res.2")
    shown = {(r["later"], r["earlier"]) for r in rows}
    held = set()
    for later, node in graph.subject_objects(CG.qualifiedDerivation):
        earlier = graph.value(node, PROV.entity)
        if str(later).startswith(f"{BASE}doc/ICC-ASP/8/Res.2/") and str(earlier).startswith(f"{BASE}doc/ICC-ASP/6/21"):
            held.add((str(later), str(earlier)))
    assert held and shown == held


def test_the_compare_page_compares_only_versions(server):
    import httpx

    with httpx.Client(base_url=server.url, timeout=30) as http:
        check_compare_page(http)


def check_compare_page(http) -> None:
    page = http.get("/compare", params={"a": "ICC-ASP/14/Res.3", "b": REPORT})
    assert page.status_code == 200 and 'id="compare-note"' in page.text and "compared with that draft" in page.text
    assert "status-dropped" not in page.text or page.text.count("status-dropped") == 2  # the draft drops two paragraphs
    flyer = http.get("/compare", params={"a": "ICC-ASP/6/21", "b": "flyer-66-recommendations"})
    rows = re.findall(r'<tr class="status-([\w-]+)">', flyer.text)
    assert rows and set(rows) == {"cites"} and "not versions of one instrument" in flyer.text


def test_the_compare_page_shows_what_it_compares(server):
    """Both drop-downs showed ICC-ASP/6/21 for ?a=ICC-ASP/8/Res.2; "(inferred)" was printed twice; a
    reversed pair was taken without a word."""
    import httpx

    with httpx.Client(base_url=server.url, timeout=30) as http:
        page = http.get("/compare", params={"a": "ICC-ASP/8/Res.2", "b": "ICC-ASP/14/Res.3"}).text
        selected = re.findall(r'<option value="([^"]+)" selected>', page)
        assert selected == [f"{BASE}doc/ICC-ASP/8/Res.2", f"{BASE}doc/ICC-ASP/14/Res.3"], selected
        assert "(inferred) <small>(inferred" not in page and "same subject (inferred)" in page
        assert 'id="swapped"' not in page
        reversed_page = http.get("/compare", params={"a": "ICC-ASP/14/Res.3", "b": "ICC-ASP/8/Res.2"}).text
        assert 'id="swapped"' in reversed_page
        assert re.findall(r'<option value="([^"]+)" selected>', reversed_page) == selected
