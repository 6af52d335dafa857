"""Every kind of page a reader opens, in Debian's headless Chromium at a desktop width (1280 px)
and a phone's (390 px): each shows what it is for, and nothing is wider than the window. The
data-model page and the API docs load with the internet out of reach.

Set COOPGRAPH_SCREENSHOTS=DIR to keep the screenshots (docs/screenshots/ holds the committed ones).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import BASE, serving
from tests.support.browser import chromium

# (name, path, the element that shows the page did its job)
PAGES = [
    ("home", "/", "#documents li"),
    ("search", "/search?q=arrest+strategy", "ol.hits li mark"),
    ("document", "/doc/ICC-ASP/14/Res.3", "h1"),
    ("comparison", "/compare?a=ICC-ASP%2F14%2FRes.3&b=asp15-bureau-report-cooperation+annex+I", "#comparison td.diff ins"),
    ("unit", "/doc/asp15-bureau-report-cooperation/annex/I/para/4", "#diff ins"),
    ("mandate", "/doc/ICC-ASP/14/Res.3/para/27/mandate/1", "h1"),
    ("recommendation", "/doc/ICC-ASP/6/21/rec/17", "#text"),
    ("named-query", f"/queries/mandates-by-actor?actor={quote(BASE + 'actor/bureau', safe='')}", "table.results td"),
    ("sparql", "/sparql", "#query"),
    ("api-docs", "/docs", "#swagger-ui"),
    ("ontology", "/ontology", "h1"),
    ("memo", "/memo?ref=ICC-ASP%2F14%2FRes.3%2C+para.+28", "#made"),
    ("actor", "/actor/bureau", "h1"),
    ("timeline-of-a-paragraph", "/doc/ICC-ASP/8/Res.2/para/17", ".clause-chain"),
]
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(scope="module")
def reader(built_dir):
    yield from serving(built_dir)


@pytest.fixture(scope="module", params=list(WIDTHS))
def window(request, tmp_path_factory):
    width = WIDTHS[request.param]
    driver = chromium(tmp_path_factory.mktemp("profile"), width, 900)
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
    browser.set_window_size(width, max(900, min(1800, browser.execute_script("return document.body.scrollHeight"))))
    shot = tmp_path / f"{name}-{label}.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 5_000
    if keep := os.environ.get("COOPGRAPH_SCREENSHOTS"):
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(keep) / shot.name)
    browser.set_window_size(width, 900)


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
        assert browser.execute_script("return document.getElementById('data-model-diagram').naturalWidth") > 0
        assert "cg:" in browser.find_element(By.ID, "prefixes").find_element(By.XPATH, "following-sibling::table").text
        browser.find_element(By.ID, "terms-link").click()
        WebDriverWait(browser, 60).until(expected_conditions.presence_of_element_located((By.ID, "classes")))
        assert "Mandate" in browser.page_source
        loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert all(url.startswith(reader.url) or url.startswith("data:") for url in loaded), loaded
    finally:
        browser.quit()
