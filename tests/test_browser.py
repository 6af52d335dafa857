"""The browser UI in Debian's headless Chromium: search, open a paragraph, see its lineage and diff.

Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian's chromium and chromium-driver), which
.ci/run installs. Set COOPGRAPH_SCREENSHOT=PATH to keep the screenshot (docs/ui-unit-page.png).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture()
def browser(tmp_path: Path):
    for program in (CHROMIUM, DRIVER):
        assert Path(program).exists(), f"{program} is missing: install Debian's chromium and chromium-driver (.ci/run does)"
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium look for drivers online
    options = Options()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1300,1700"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
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
