"""A real session in headless Chromium against `searcher serve`: type, press Enter, filter, open, see the marks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from searcher.build import build
from tests.conftest import PAGE, serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Chromium is not installed: `make test` installs Debian's chromium package when run as root",
)
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("browser-index")
    build([PAGE], index_dir)
    with serving(index_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def test_a_user_searches_filters_and_opens_an_article(server, browser, tmp_path):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "/")
    page.fill("#q", "共同富裕")
    page.press("#q", "Enter")
    page.wait_for_selector("#summary")
    assert "找到 6 篇" in page.inner_text("#summary")
    page.screenshot(path=str(tmp_path / "results.png"), full_page=True)

    page.click("nav.facets >> text=石梁镇")
    page.wait_for_selector("a.facet.selected")
    assert "石梁镇" in page.url or "%E7%9F%B3%E6%A2%81%E9%95%87" in page.url
    assert page.locator("li.hit").count() == 1 and "找到 1 篇（石梁镇）" in page.inner_text("#summary")

    page.click("li.hit h3 a")
    page.wait_for_selector("article.article")
    assert page.locator("article mark").first.inner_text() == "共同富裕"
    assert "找准定位 谋出特色" in page.inner_text("article h1")
    assert errors == []


def test_suggestions_fill_the_datalist(server, browser):
    page = browser.new_page()
    page.goto(server + "/")
    page.type("#q", "乡村")
    page.wait_for_selector("#suggestions option", state="attached")
    assert "乡村振兴" in [o.get_attribute("value") for o in page.locator("#suggestions option").all()]
