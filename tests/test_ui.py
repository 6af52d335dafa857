"""Every kind of page a reader opens, in Debian's headless Chromium at a desktop width (1280 px)
and a phone's (390 px): each shows what it is for, and nothing is wider than the window. The
data-model page and the API docs load with the internet out of reach.

Set COOPGRAPH_SCREENSHOTS=DIR to keep the screenshots (docs/screenshots/ holds the committed ones).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import quote, unquote_plus

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import BASE, serving
from tests.support.browser import chromium, resize

# (name, path, the element that shows the page did its job)
PAGES = [
    ("home", "/", "#documents li"),
    ("search", "/search?q=arrest+strategy", "ol.hits li mark"),
    ("document", "/doc/ICC-ASP/14/Res.3", "h1"),
    ("comparison", "/compare?a=ICC-ASP%2F14%2FRes.3&b=asp15-bureau-report-cooperation+annex+I", "#comparison td.diff ins"),
    ("unit", "/doc/asp15-bureau-report-cooperation/annex/I/para/4", "#diff ins"),
    ("mandate", "/doc/ICC-ASP/14/Res.3/para/27/mandate/1", "#mandate-chart svg"),
    ("recommendation", "/doc/ICC-ASP/6/21/rec/17", "#text"),
    ("named-query", f"/queries/mandates-by-actor?actor={quote(BASE + 'actor/bureau', safe='')}", "table.results td"),
    ("sparql", "/sparql", ".yasqe .CodeMirror"),
    ("api-docs", "/docs", "#swagger-ui"),
    ("ontology", "/ontology", "#data-model-diagram"),
    ("memo", "/memo?ref=ICC-ASP%2F14%2FRes.3%2C+para.+28", "#made"),
    ("actor", "/actor/bureau", "#mandate-chart svg"),
    ("timeline-of-a-paragraph", "/doc/ICC-ASP/8/Res.2/para/17", ".clause-chain"),
]
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(scope="module")
def reader(built_dir):
    yield from serving(built_dir)


@pytest.fixture(scope="module", params=list(WIDTHS))
def window(request, tmp_path_factory):
    width = WIDTHS[request.param]
    # every request that is not to this server goes to a proxy that is not there
    driver = chromium(tmp_path_factory.mktemp("profile"), width, 900, "--proxy-server=http://127.0.0.1:9")
    yield request.param, width, driver
    driver.quit()


@pytest.mark.parametrize(("name", "path", "shows"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_does_its_job_and_fits_the_window(reader, window, name, path, shows, tmp_path):
    label, width, browser = window
    browser.get(reader.url + path)
    WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, shows)))
    assert browser.find_element(By.CSS_SELECTOR, shows).is_displayed() or name == "home"
    assert browser.execute_script("return !!document.querySelector('meta[name=viewport]')"), f"{name} has no mobile viewport"
    page_width = browser.execute_script("return document.documentElement.scrollWidth")
    window_width = browser.execute_script("return window.innerWidth")
    assert page_width <= window_width, f"{name} at {width} px is {page_width} px wide: it scrolls sideways"
    assert window_width == width  # a phone's width is the phone's, not the 500 px a headless window keeps at least
    loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(url.startswith(reader.url) or url.startswith("data:") for url in loaded), loaded  # nothing leaves the machine
    resize(browser, width, max(900, min(1800, browser.execute_script("return document.body.scrollHeight"))))
    shot = tmp_path / f"{name}-{label}.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 5_000
    if keep := os.environ.get("COOPGRAPH_SCREENSHOTS"):
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(keep) / shot.name)
    resize(browser, width, 900)


def test_on_a_phone_a_results_table_reads_as_cards(reader, window):
    """At 390 px a row of many columns is a card, each value under its column's name; at 1280 px,
    a table. (Before, a phone scrolled the table sideways inside itself.)"""
    label, width, browser = window
    browser.get(reader.url + dict((n, p) for n, p, _ in PAGES)["named-query"])
    cell = WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "table.results td")))
    display = browser.execute_script("return getComputedStyle(arguments[0]).display", cell)
    caption = browser.execute_script("return getComputedStyle(arguments[0], '::before').content", cell)
    table = browser.find_element(By.CSS_SELECTOR, "table.results")
    if label == "phone":
        assert display == "block" and caption == '"unit"'
        assert browser.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth", table)
    else:
        assert display == "table-cell" and caption in {"none", "normal"}


def test_the_lineage_drawing_opens_at_the_unit_asked_about(reader, window):
    """On a phone the drawing is wider than the screen; it opened at its left edge, far from the
    unit the page is about (here in the last column). Now that unit's box is in view, centred."""
    label, width, browser = window
    browser.get(reader.url + "/doc/asp15-bureau-report-cooperation/annex/I/para/32")
    wrap = WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".svg-wrap")))
    WebDriverWait(browser, 10).until(lambda _: browser.execute_script("return document.readyState") == "complete")
    frame, box = browser.execute_script(
        "const f = arguments[0].getBoundingClientRect(), b = arguments[0].querySelector('.node.root rect')"
        ".getBoundingClientRect(); return [[f.left, f.right], [b.left, b.right]]", wrap)
    middle = (box[0] + box[1]) / 2
    assert frame[0] < middle < frame[1], f"at {width} px the unit's box is out of view: {box} in {frame}"
    if label == "phone":
        assert browser.execute_script("return arguments[0].scrollLeft", wrap) > 0
        assert abs(middle - (frame[0] + frame[1]) / 2) < 20, (frame, box)


def test_the_data_model_and_the_api_docs_load_without_internet(reader, tmp_path):
    # every request that is not to this server goes to a proxy that is not there
    browser = chromium(tmp_path / "profile", 1280, 900, "--proxy-server=http://127.0.0.1:9")
    try:
        browser.get(reader.url + "/docs")
        title = WebDriverWait(browser, 30).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "#swagger-ui .info .title")))
        assert "coopgraph" in title.text
        browser.get(reader.url + "/ontology")
        WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.ID, "data-model-diagram")))
        assert browser.execute_script("return document.getElementById('data-model-diagram').getBoundingClientRect().width") > 900
        assert "cg:" in browser.find_element(By.ID, "prefixes").find_element(By.XPATH, "following-sibling::table").text
        browser.find_element(By.ID, "terms-link").click()
        WebDriverWait(browser, 60).until(expected_conditions.presence_of_element_located((By.ID, "classes")))
        assert "Mandate" in browser.page_source
        loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert all(url.startswith(reader.url) or url.startswith("data:") for url in loaded), loaded
    finally:
        browser.quit()


def test_the_query_editor_runs_a_named_query_and_shows_errors_where_the_query_is(reader, window):
    """YASGUI, bundled: a named query chosen from the examples runs and its rows show as a table;
    the query is in the address bar; an unknown prefix is refused in plain words under the editor."""
    label, width, browser = window
    browser.get(reader.url + "/sparql")
    WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".yasqe .CodeMirror")))
    options = browser.find_elements(By.CSS_SELECTOR, "#example-select option")
    chosen = next(o for o in options if o.text == "Cited documents the corpus does not hold")
    chosen.click()
    assert "cg:ExternalDocument" in browser.execute_script("return window.coopgraphEditor.getTab().getYasqe().getValue()")
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    rows = WebDriverWait(browser, 30).until(
        expected_conditions.presence_of_all_elements_located((By.CSS_SELECTOR, ".yasr table.dataTable tbody tr")))
    assert len(rows) >= 10 and "ICC-ASP/13/Res.3" in browser.find_element(By.CSS_SELECTOR, ".yasr table.dataTable").text
    assert "query=" in browser.current_url and "ExternalDocument" in unquote_plus(browser.current_url)
    browser.execute_script("window.coopgraphEditor.getTab().getYasqe().setValue('SELECT * WHERE { ?s foo:bar ?o }')")
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    error = WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".yasr .errorResult")))
    WebDriverWait(browser, 10).until(lambda _: "unknown prefix `foo:`" in error.text)
    assert "predefined prefixes: cg:" in error.text
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width
    loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(url.startswith(reader.url) for url in loaded), loaded  # the editor asks no one else (prefix.cc, LOV)


def label_geometry(browser, selector: str) -> dict:
    return browser.execute_script("""
      const svg = document.querySelector(arguments[0]);
      const texts = [...svg.querySelectorAll("text")].map(t => { const r = t.getBBox();
        return {words: t.textContent, box: [r.x, r.y, r.x + r.width, r.y + r.height], inNode: !!t.closest("g.node")}; });
      const nodes = [...svg.querySelectorAll("g.node rect")].map(r => { const b = r.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; });
      const lines = [...svg.querySelectorAll("line")].map(l => [l.x1.baseVal.value, l.y1.baseVal.value, l.x2.baseVal.value, l.y2.baseVal.value]);
      return {view: [svg.viewBox.baseVal.width, svg.viewBox.baseVal.height], shown: svg.getBoundingClientRect().width, texts, nodes, lines};""",
                                   selector)


def overlaps(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def crosses(line: list[float], box: list[float]) -> bool:
    points = [(line[0] + (line[2] - line[0]) * k / 50, line[1] + (line[3] - line[1]) * k / 50) for k in range(51)]
    return any(box[0] - 1 <= x <= box[2] + 1 and box[1] - 1 <= y <= box[3] + 1 for x, y in points)


def test_the_data_model_diagram_is_readable_whole_on_a_desktop_and_a_phone(reader, window):
    """No label is clipped by the drawing's edge, overlaps another, sits half in a box or under an
    edge; on a phone the drawing keeps its size (scrolling in its box) instead of shrinking."""
    label, width, browser = window
    browser.get(reader.url + "/ontology")
    WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.ID, "data-model-diagram")))
    geometry = label_geometry(browser, "#data-model-diagram")
    view_w, view_h = geometry["view"]
    texts = geometry["texts"]
    assert len(texts) > 30
    for text in texts:
        box = text["box"]
        assert box[0] >= 0 and box[1] >= 0 and box[2] <= view_w and box[3] <= view_h, f"{text['words']!r} is cut by the edge"
        for node in geometry["nodes"]:
            inside = node[0] <= box[0] and box[2] <= node[2] and node[1] <= box[1] and box[3] <= node[3]
            assert inside == text["inNode"] or not overlaps(box, node), f"{text['words']!r} lies across a box"
        if not text["inNode"]:
            assert not any(crosses(line, box) for line in geometry["lines"]), f"an edge runs through {text['words']!r}"
    for index, first in enumerate(texts):
        for second in texts[index + 1:]:
            assert not overlaps(first["box"], second["box"]), f"{first['words']!r} overlaps {second['words']!r}"
    assert geometry["shown"] == view_w  # drawn at its own size at 1280 and 390 px: never shrunk to be unreadable
