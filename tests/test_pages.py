"""The pages a reader uses, on a server with the default limits: named-query forms and their
pages of results, the comparison of two texts, the citation box."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.conftest import BASE, serving

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def reader(built_dir):
    yield from serving(built_dir)


@pytest.fixture(scope="module")
def http(reader):
    with httpx.Client(base_url=reader.url, timeout=30, headers=HTML) as client:
        yield client


def test_named_query_results_come_in_pages(http):
    first = http.get("/queries/recommendations-by-cluster", headers=HTML)
    second = http.get("/queries/recommendations-by-cluster", params={"page": 1}, headers=HTML)
    assert "Rows 1–50 of 66" in first.text and 'rel="next"' in first.text
    assert "Rows 51–66 of 66" in second.text and 'rel="prev"' in second.text
    assert first.text.count("<tr>") == 51 and second.text.count("<tr>") == 17  # the header row, then the rows




def test_two_texts_compared_side_by_side(http):
    page = http.get("/compare", params={"a": "ICC-ASP/14/Res.3", "b": "asp15-bureau-report-cooperation annex I"})
    assert page.status_code == 200 and 'id="comparison"' in page.text
    rows = re.findall(r'<tr class="status-([\w-]+)">', page.text)
    assert {"carried-over", "amended"} <= set(rows), rows
    assert "<del>" in page.text and "<ins>" in page.text, "amended units show their diff"
    assert re.search(r"renumbered \d+ -&gt; \d+", page.text), "a carried paragraph that changed its number says so"
    across_a_gap = http.get("/compare", params={"a": "ICC-ASP/8/Res.2", "b": "ICC-ASP/14/Res.3"})
    assert 'id="gap"' in across_a_gap.text and "status-new" not in across_a_gap.text, "across sessions 9-13 nothing is called new"
    bad = http.get("/compare", params={"a": "ICC-ASP/14/Res.3, para. 2", "b": "ICC-ASP/14/Res.3"})
    assert bad.status_code == 422 and "not a document" in bad.text


def test_every_unit_page_says_how_to_cite_it(http):
    page = http.get("/doc/ICC-ASP/14/Res.3/para/27")
    cite = re.search(r'<p id="cite-text">([^<]+)</p>', page.text)
    assert cite and cite.group(1).startswith("ICC-ASP/14/Res.3, para. 27 (Resolution on cooperation")
    assert "26 November 2015" in cite.group(1) and f"<code>{BASE}doc/ICC-ASP/14/Res.3/para/27</code>" in page.text
    assert "accessed" in page.text


def test_the_home_page_lists_the_texts_oldest_first_with_their_years(http):
    page = http.get("/")
    years = re.findall(r'<span class="year">(\d{4})</span>', page.text)
    assert years and years == sorted(years) and "2015" in years  # a year only where the text dates itself
    assert page.text.index("ICC-ASP/6/21") < page.text.index("ICC-ASP/8/Res.2") < page.text.index("ICC-ASP/14/Res.3")


def test_dumps_void_and_the_start_up_line_come_from_the_store_served(tmp_path):
    from tests.conftest import cli

    assert cli("--out", str(tmp_path), "build", "--no-validate").returncode == 0
    other = tmp_path / "other.nt"
    other.write_text(f"<{BASE}doc/x> <http://www.w3.org/2000/01/rdf-schema#label> \"x\" .\n"
                     f"<{BASE}doc/x> <{BASE}ontology#text> \"1\"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n", encoding="utf-8")
    assert cli("--out", str(tmp_path), "load", str(other)).returncode == 0
    running = next(serving(tmp_path))
    try:
        dump = httpx.get(running.url + "/dump/coopgraph.nt", timeout=30).text
        assert sorted(line for line in dump.splitlines() if line) == sorted(other.read_text().splitlines())
        void = httpx.get(running.url + "/void", headers={"Accept": "application/n-triples"}, timeout=30).text
        assert '"2"^^<http://www.w3.org/2001/XMLSchema#integer>' in void
        assert "serving oxigraph" in running.log.read_text() and "coopgraph.nt on" not in running.log.read_text()
    finally:
        running.stop()


def test_a_recommendation_page_shows_what_became_of_it(http):
    page = http.get("/doc/ICC-ASP/6/21/rec/17")
    assert 'id="fate"' in page.text and re.search(r'<strong id="status">[^<]+</strong>', page.text)
    assert "sessions 9 to 13" in page.text


def test_the_lineage_graph_names_each_box_once(http):
    page = http.get("/doc/asp15-bureau-report-cooperation/annex/I/para/4").text
    boxes = re.findall(r'<g class="node[^"]*"[^>]*><title>[^<]*</title><rect[^>]*/>((?:<text[^>]*>[^<]*</text>)+)</g>', page)
    assert boxes
    for box in boxes:
        lines = re.findall(r">([^<]*)</text>", box)
        assert len(lines) == len(set(lines)), f"a box repeats its name: {lines}"


def test_the_lineage_graph_gives_a_long_document_name_whole(http):
    """Boxes cut names at 34 characters: "ASP15 Bureau report on cooperatio…" lost its "annex II"."""
    page = http.get("/doc/ICC-ASP/14/Res.3/para/27").text
    boxes = re.findall(r'<g class="node[^"]*"[^>]*><title>([^<]*)</title><rect[^>]*/>((?:<text[^>]*>[^<]*</text>)+)</g>', page)
    named = {" ".join(re.findall(r">([^<]*)</text>", texts)) for _, texts in boxes}
    assert any("ASP15 Bureau report on cooperation, annex II" in words for words in named), named
    assert not any("…" in words for words in named), named


def test_a_unit_links_to_its_lines_in_the_source_and_the_source_shows_them(http):
    page = http.get("/doc/ICC-ASP/14/Res.3/para/27").text
    link = re.search(r'<a href="([^"]+)" id="source-link">source, lines (\d+)–(\d+)</a>', page)
    assert link, "the unit page links to its source lines"
    source = http.get(link.group(1).replace("&amp;", "&"))
    assert source.status_code == 200
    marked = re.findall(r'<li id="L(\d+)" class="marked">.*?<span>([^<]*)</span>', source.text)
    assert [int(n) for n, _ in marked] == list(range(int(link.group(2)), int(link.group(3)) + 1))
    assert "Requests the Bureau" in " ".join(text for _, text in marked)
    assert 'href="/doc/ICC-ASP/14/Res.3/para/27"' in source.text, "the line where the unit starts links back to it"


def test_a_document_page_states_its_title_and_adoption_up_front(http):
    page = http.get("/doc/ICC-ASP/14/Res.3").text
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page.split('id="facts"', 1)[1].split("</dl>", 1)[0]))
    assert facts["title"] == "Resolution on cooperation" and facts["date"] == "26 November 2015"
    assert facts["adopted"] == "12th plenary meeting" and facts["adoption"] == "by consensus"
    assert page.index('id="facts"') < page.index("All statements")
