"""Debian's headless Chromium under Selenium, as the browser tests drive it."""

from __future__ import annotations

import os
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def chromium(profile: Path, width: int = 1300, height: int = 1700, *flags: str) -> webdriver.Chrome:
    """A headless Chromium of this window size; extra `flags` (a proxy, say) go on its command line."""
    for program in (CHROMIUM, DRIVER):
        assert Path(program).exists(), f"{program} is missing: install Debian's chromium and chromium-driver (.ci/run does)"
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium look for drivers online
    options = Options()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--window-size={width},{height}", *flags):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    resize(driver, width, height)
    return driver


def resize(driver: webdriver.Chrome, width: int, height: int) -> None:
    """The window's size; a phone's is emulated, since headless Chromium keeps a window at least 500 px wide."""
    if width < 500:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
    else:
        driver.set_window_size(width, height)
