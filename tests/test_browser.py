"""The browser UI in Debian's headless Chromium: search, open a paragraph, see its lineage and diff.

Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian's chromium and chromium-driver), which
.ci/run installs. Set COOPGRAPH_SCREENSHOT=PATH to keep the screenshot (docs/ui-unit-page.png).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.browser import chromium


@pytest.fixture()
def browser(tmp_path: Path):
    driver = chromium(tmp_path / "profile")
    yield driver
    driver.quit()


def test_search_open_a_paragraph_and_see_its_lineage_and_diff(server, browser, tmp_path):
    wait = WebDriverWait(browser, 30)
    browser.get(server.url + "/")
    assert "Where did this mandate come from" in browser.find_element(By.TAG_NAME, "h1").text
    box = browser.find_element(By.ID, "q")
    box.send_keys("arrest")
    browser.find_element(By.ID, "search-button").click()
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "ol.hits")))
    assert "units with “arrest”" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_elements(By.CSS_SELECTOR, "ol.hits mark")
    browser.find_element(By.LINK_TEXT, "ASP15 Bureau report on cooperation, annex I, para. 4").click()
    wait.until(expected_conditions.presence_of_element_located((By.ID, "lineage")))
    assert browser.find_element(By.TAG_NAME, "h1").text == "ASP15 Bureau report on cooperation, annex I, para. 4"
    graph = browser.find_element(By.CSS_SELECTOR, "svg.lineage")
    assert graph.size["width"] > 300 and graph.size["height"] > 50
    labels = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "svg.lineage .edge-label")]
    assert "amends" in labels and "restates" in labels
    assert [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#diff del")] == ["fifteenth"]
    assert [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#diff ins")] == ["and", "sixteenth"]
    shot = tmp_path / "ui-unit-page.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    if keep := os.environ.get("COOPGRAPH_SCREENSHOT"):
        shutil.copyfile(shot, keep)
