"""A real session in headless Chromium against `searcher serve`: type, press Enter, filter, open, see the marks."""

from __future__ import annotations

import csv
import io
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

    page.click(".facets a.facet >> text=石梁镇")
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


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shot(page, name: str, tmp_path) -> None:
    """Save a screenshot; with SEARCHER_SCREENSHOTS=1 into docs/ (what the README shows), else beside the test."""
    import os

    folder = Path(__file__).resolve().parent.parent / "docs" if os.environ.get("SEARCHER_SCREENSHOTS") else tmp_path
    page.screenshot(path=str(folder / name), full_page=False)


@pytest.mark.parametrize("width", [320, 390, 430])
def test_a_phone_shows_the_page_without_sideways_scrolling(server, browser, width, tmp_path):
    page = browser.new_page(viewport={"width": width, "height": 844})
    for path in ("/", "/?q=共同富裕", "/?unit=石梁镇", "/article/kecheng-yibashou-gongtongfuyu-01-af5f1d614c"):
        page.goto(server + path)
        assert _no_sideways_scroll(page), (width, path)
    page.goto(server + "/?q=共同富裕")
    box, button = page.locator("#q").bounding_box(), page.locator(".searchbox button").bounding_box()
    assert abs(box["y"] - button["y"]) < 8 and button["height"] < 60  # one line; 搜索 doesn't wrap to 搜/索
    assert button["height"] >= 44 and button["x"] + button["width"] <= width
    # The filters are folded away below the count, so the first result is on the first screen.
    assert not page.locator("a.facet").first.is_visible()
    assert page.locator("li.hit").first.bounding_box()["y"] < 844
    if width == 390:
        _shot(page, "screenshot-phone.png", tmp_path)
    page.click(".facets summary")
    assert page.locator("a.facet").first.is_visible()


def test_a_desktop_browses_a_unit_and_exports(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.goto(server + "/")
    page.click("ul.units >> text=石梁镇")
    page.wait_for_selector("#summary")
    assert "共 1 篇（石梁镇）" in page.inner_text("#summary") and _no_sideways_scroll(page)
    assert page.locator("a.facet").first.is_visible()  # the sidebar is always open on a wide screen
    page.goto(server + "/?q=共同富裕")
    _shot(page, "screenshot.png", tmp_path)
    with page.expect_download() as download:
        page.click("text=CSV")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    api = page.request.get(server + "/api/search?q=共同富裕&per_page=50").json()
    assert [row["链接"].rsplit("/", 1)[1] for row in rows] == [hit["id"] for hit in api["hits"]]


def test_a_shared_paragraph_link_opens_highlighted_and_prints_clean(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/article/kecheng-yibashou-gongtongfuyu-01-af5f1d614c?q=共同富裕#p2")
    background = page.evaluate("getComputedStyle(document.getElementById('p2')).backgroundColor")
    other = page.evaluate("getComputedStyle(document.getElementById('p1')).backgroundColor")
    assert background not in (other, "rgba(0, 0, 0, 0)")
    _shot(page, "article.png", tmp_path)
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).display") == "none"
    assert page.evaluate("getComputedStyle(document.querySelector('article mark')).backgroundColor") in (
        "rgba(0, 0, 0, 0)",
        "transparent",
    )
    assert page.locator("article h1").is_visible() and page.locator("article .byline").is_visible()


def test_paging_keeps_every_parameter(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server + "/?q=共同富裕&per_page=2&sort=date")
    page.click("a[rel=next]")
    page.wait_for_selector("#summary")
    assert "per_page=2" in page.url and "sort=date" in page.url and "page=2" in page.url
    assert page.locator("li.hit").count() == 2 and "第 2 / 3 页" in page.inner_text("nav.pager")


@pytest.fixture(scope="module")
def report_server(tmp_path_factory):
    """An archive with dates over several years and a PDF page: what the report-writing tools work on."""
    from tests.conftest import write_jsonl
    from tests.test_pdf import _pdf, _two_columns_page
    from tests.test_reprints import ARTICLES as REPRINTED

    folder = tmp_path_factory.mktemp("report-articles")
    records = [
        {"id": f"r-{n}", "title": f"石湖镇共富工坊简讯{n}", "body": "共同富裕。竹编工坊带动增收。", "unit": "石湖镇",
         "date": f"{2021 + n % 4}-{1 + n % 12:02d}-10"}
        for n in range(30)
    ]  # fmt: skip
    write_jsonl(folder / "news.jsonl", records)
    write_jsonl(folder / "projects.jsonl", REPRINTED)  # one story printed three times, and two others like it
    (folder / "0608-03.pdf").write_bytes(_pdf(_two_columns_page))
    index_dir = tmp_path_factory.mktemp("report-index")
    build([folder], index_dir)
    with serving(index_dir) as url:
        yield url


@pytest.mark.parametrize("width", [360, 1280])
def test_a_staff_member_narrows_by_year_opens_related_and_the_printed_page(report_server, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(report_server + "/?q=共同富裕")
    assert page.locator("figure.timeline svg rect").count() == 4  # 2021–2024, four years: one bar a year
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the chart fits the phone
    assert page.locator("a.feed").get_attribute("type") == "application/atom+xml"
    page.locator("figure.timeline svg a").nth(2).click()  # the 2023 bar
    page.wait_for_selector("#summary")
    # 2023's seven briefs, and the PDF interview (its headline's 共富 is 共同富裕's abbreviation).
    assert "from=2023-01-01" in page.url and "找到 8 篇" in page.inner_text("#summary")
    page.click("li.hit h3 a")
    page.wait_for_selector("section.related")
    assert page.locator("section.related li").count() == 5
    page.goto(report_server + "/?q=竹林深处")
    page.click("li.hit h3 a")
    page.click("text=版面（第 1 页，标出本文位置）")
    page.wait_for_selector("svg.printed-page")
    assert page.locator("svg.printed-page rect.outline").count() == 11
    assert page.evaluate("document.querySelector('svg.printed-page image').getBBox().width") > 0
    assert errors == []


@pytest.mark.parametrize("width", [360, 1280])
def test_a_staff_member_reads_each_story_once_and_ticks_articles_across_pages_for_a_digest(
    report_server, browser, width
):
    import docx

    page = browser.new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(report_server + "/?q=重点项目推进会&per_page=2")
    assert "找到 3 篇" in page.inner_text("#summary") and "同一稿件的 2 处转载已合并" in page.inner_text("#summary")
    reprints = page.locator("details.reprints")
    assert reprints.count() == 1 and not reprints.locator("li").first.is_visible()
    reprints.locator("summary").click()
    assert reprints.locator("li").count() == 2 and reprints.locator("li").first.is_visible()
    assert "另有 2 处刊发" in reprints.locator("summary").inner_text()
    # Tick one article here and one on the next page: both go into the digest, in the order ticked.
    boxes = page.locator("label.pick input")
    boxes.nth(1).check()
    first = page.locator("li.hit h3").nth(1).inner_text()
    assert page.inner_text("#picked .picked-count") == "1"
    page.click("a[rel=next]")
    page.wait_for_selector("#summary")
    page.locator("label.pick input").first.check()
    second = page.locator("li.hit h3").first.inner_text()
    assert page.inner_text("#picked .picked-count") == "2"
    for control in ("label.pick", "#picked button[type=submit]"):
        assert page.locator(control).first.bounding_box()["height"] >= 44, control  # a finger's tap target
    with page.expect_download() as download:
        page.click("#picked button[type=submit]")
    document = docx.Document(download.value.path())
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [first, second]
    page.go_back()
    page.wait_for_selector("#summary")
    assert page.locator("label.pick input").nth(1).is_checked()  # the choice is kept in this browser
    page.click("#picked .picked-clear")
    assert page.inner_text("#picked .picked-count") == "0" and not page.locator("label.pick input").nth(1).is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= width and errors == []


def test_every_control_is_a_fingers_width_on_a_phone(report_server, browser):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    small: list[str] = []

    def check(selectors: tuple[str, ...]) -> None:
        for selector in selectors:
            controls = page.locator(selector)
            assert controls.count(), selector  # the control is there to be measured
            for i in range(controls.count()):
                box = controls.nth(i).bounding_box()
                if box and box["height"] < 44:
                    small.append(f"{selector} #{i}: {box['height']:.0f} px")

    page.goto(report_server + "/?q=重点项目推进会")
    page.locator("details.facets > summary").click()
    check((".tools a", "li.hit h3 a", "a.facet", "label.pick", "details.reprints > summary", "#picked button"))
    page.click("li.hit h3 a")
    page.wait_for_selector("article.article")
    check(("a.copy", "a.anchor", "section.related li a"))
    assert small == []


def test_a_printed_result_list_uses_the_page_and_says_what_was_searched(report_server, browser):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(report_server + "/?q=重点项目推进会&unit=区发改局")
    page.emulate_media(media="print")
    results = page.locator("section.results").bounding_box()
    assert results["width"] > 900  # the filter column, hidden in print, leaves no blank strip
    assert page.locator(".print-only").is_visible() and not page.locator(".facets").is_visible()
    assert page.inner_text(".print-only").startswith("检索：重点项目推进会；单位：区发改局；")
