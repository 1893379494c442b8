"""How staff work with the page: browse a unit with no keyword, narrow by date, keep context, export to Excel."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from searcher.build import build
from tests.conftest import PAGE, app_for, write_jsonl

CLI = str(Path(sys.executable).with_name("searcher"))

RECORDS = [
    {"id": "a-1", "title": "石梁镇推进未来乡村建设", "body": "共同富裕。", "unit": "石梁镇", "date": "2023-05-02"},
    {"id": "a-2", "title": "石梁镇举办农民丰收节", "body": "乡村振兴。", "unit": "石梁镇", "date": "2024-09-23"},
    {"id": "a-3", "title": "区发改局部署重大项目", "body": "共同富裕。", "unit": "区发改局", "date": "2024-03-09"},
    {"id": "a-4", "title": "=HYPERLINK(\"http://evil.example\",\"点我\")", "body": "共同富裕。", "unit": "@石室乡",
     "date": "2022-01-15"},
    *[{"id": f"b-{n}", "title": f"华墅乡工作简讯{n}", "body": "共同富裕。", "unit": "华墅乡",
       "date": f"2021-02-{n:02d}"} for n in range(1, 26)],
]  # fmt: skip


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dated")
    data = write_jsonl(folder / "dated.jsonl", RECORDS)
    index_dir = folder / "index"
    assert build([data, PAGE], index_dir).problems == []
    with app_for(index_dir) as app:
        yield index_dir, app.test_client()


def test_a_units_articles_are_listed_newest_first_with_no_keyword(dated):
    _, client = dated
    page = client.get("/", query_string={"unit": "石梁镇"}).get_data(as_text=True)
    assert "共 <strong>3</strong> 篇（石梁镇）" in page  # two dated ones and the bundled interview
    assert page.index("石梁镇举办农民丰收节") < page.index("石梁镇推进未来乡村建设")
    data = client.get("/api/search", query_string={"unit": "石梁镇"}).get_json()
    assert [h["id"] for h in data["hits"]][:2] == ["a-2", "a-1"] and data["sort"] == "date"
    assert client.get("/api/search").status_code == 400  # neither a keyword nor a filter


def test_the_start_page_links_browse_and_shows_the_archive(dated):
    _, client = dated
    page = client.get("/").get_data(as_text=True)
    assert 'href="/?unit=%E7%9F%B3%E6%A2%81%E9%95%87"' in page  # ?unit=石梁镇, not a keyword search
    assert "共收录 <strong>36</strong> 篇文章，日期从 <time>2021-02-01</time> 到 <time>2024-09-23</time>" in page
    assert page.index("石梁镇举办农民丰收节") < page.index("区发改局部署重大项目")  # newest first


def test_a_date_range_narrows_and_years_are_a_facet(dated):
    _, client = dated
    data = client.get(
        "/api/search", query_string={"q": "共同富裕", "from": "2023-01-01", "to": "2024-12-31"}
    ).get_json()
    assert sorted(h["id"] for h in data["hits"]) == ["a-1", "a-3"]
    everything = client.get("/api/search", query_string={"q": "共同富裕", "per_page": 50}).get_json()
    assert everything["facets"]["year"] == {"2024": 1, "2023": 1, "2022": 1, "2021": 25}
    bad = client.get("/", query_string={"q": "共同富裕", "from": "2024/3/9"})
    assert bad.status_code == 400 and "日期 2024/3/9 无效：请写成 YYYY-MM-DD" in bad.get_data(as_text=True)
    assert "must be" not in bad.get_data(as_text=True)  # the page speaks Chinese only
    assert "must be a real date" in client.get("/api/search?q=x&to=2024-02-30").get_json()["error"]


def test_every_link_keeps_the_other_parameters(dated):
    _, client = dated
    args = {"q": "共同富裕", "per_page": "5", "sort": "date", "from": "2020-01-01"}
    page = client.get("/", query_string=args).get_data(as_text=True)
    next_page = page.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    for part in ("per_page=5", "sort=date", "from=2020-01-01", "page=2"):
        assert part in next_page
    assert client.get(next_page).status_code == 200
    article_link = page.split('class="hit">\n  <h3><a href="')[1].split('"')[0].replace("&amp;", "&")
    article = client.get(article_link).get_data(as_text=True)
    back = article.split('class="back"><a href="')[1].split('"')[0].replace("&amp;", "&")
    assert all(part in back for part in ("per_page=5", "sort=date", "from=2020-01-01"))


def test_a_page_past_the_last_says_so_and_links_to_the_last(dated):
    _, client = dated
    page = client.get("/", query_string={"q": "共同富裕", "page": "9"}).get_data(as_text=True)
    # 共同富裕: 28 dated records and the bundled page's 6 articles, 10 a page.
    assert "第 9 页超出范围：共 4 页。" in page and "page=4" in page.split("转到最后一页")[0][-200:]
    assert "第 9 / 4 页" not in page and "共 4 页</span>" in page  # the pager does not count past the end


def test_a_search_that_finds_nothing_says_it_once_with_no_empty_filter_column(dated):
    _, client = dated
    page = client.get("/", query_string={"q": "量子纠缠"}).get_data(as_text=True)
    shown = page.split('<p class="print-only">')[0]  # what the screen shows (a printout also says what was searched)
    assert shown.count("量子纠缠") == 3  # the tab title, the search box, and one sentence saying no article has it
    assert "没有文章包含：<q>量子纠缠</q>" in page and 'class="facets"' not in page and 'class="layout single"' in page


def test_the_tab_names_the_series_and_the_printout_says_what_was_searched(dated):
    _, client = dated
    page = client.get("/", query_string={"series": "“一把手”谈共同富裕(一)"}).get_data(as_text=True)
    assert "<title>“一把手”谈共同富裕(一) - 文章检索</title>" in page
    searched = {"q": "共同富裕", "unit": "石梁镇", "from": "2023-01-01"}
    page = client.get("/", query_string=searched).get_data(as_text=True)
    assert '<p class="print-only">检索：共同富裕；单位：石梁镇；日期：2023-01-01 至 …；找到 1 篇。</p>' in page


def test_errors_speak_chinese_on_the_page_and_first_in_the_api(dated):
    _, client = dated
    page = client.post("/").get_data(as_text=True)
    assert "不支持这种请求方式。" in page and "Method Not Allowed" not in page
    api = client.post("/api/search").get_json()
    assert api["status"] == 405 and api["error"].startswith("不支持这种请求方式。 ")


def test_a_selected_unit_stays_visible_with_a_cross_at_count_zero(dated):
    _, client = dated
    page = client.get("/", query_string={"q": "乡村振兴", "unit": "@石室乡"}).get_data(as_text=True)
    assert '<span class="chip">@石室乡 <a href="' in page and "✕" in page
    assert 'class="facet selected"' in page and '@石室乡 <span class="count">0</span>' in page


def test_exports_match_the_api_and_never_carry_a_formula(dated):
    _, client = dated
    api = client.get("/api/search", query_string={"q": "共同富裕", "sort": "date", "per_page": 50}).get_json()
    response = client.get("/export.csv", query_string={"q": "共同富裕", "sort": "date"})
    data = response.get_data()
    assert data.startswith("\ufeff".encode()) and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["标题", "单位", "职务", "姓名", "日期", "来源", "链接", "另见刊发"]
    assert [r[6].rsplit("/", 1)[1] for r in rows[1:]] == [h["id"] for h in api["hits"]]
    # The source line's paper, or the series when no paper is named (the bundled page's interviews).
    assert any(r[5] == "“一把手”谈共同富裕(一)" for r in rows[1:])
    hostile = next(r for r in rows if "HYPERLINK" in r[0])
    assert hostile[0].startswith("'=") and hostile[1] == "'@石室乡" and hostile[6].startswith("http://localhost/")
    excel = client.get("/export.xlsx", query_string={"q": "共同富裕", "unit": "华墅乡"})
    assert "filename*=UTF-8''" + quote("检索结果-共同富裕-华墅乡-") in excel.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(excel.get_data())).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type == "s" for cell in cells if cell.value)
    hostile_book = load_workbook(io.BytesIO(client.get("/export.xlsx", query_string={"q": "共同富裕"}).get_data()))
    hostile_cells = [cell for row in hostile_book.active.iter_rows() for cell in row]
    assert any(cell.value == '=HYPERLINK("http://evil.example","点我")' for cell in hostile_cells)  # shown as text
    # Ready to read: the header stays in view, titles fit, links open.
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold and sheet.column_dimensions["A"].width >= 40
    assert all(row[6].hyperlink.target == row[6].value for row in sheet.iter_rows(min_row=2))


def test_the_cli_browses_filters_by_date_and_exports(dated):
    index_dir, _ = dated
    done = subprocess.run(
        [CLI, "search", "--unit", "石梁镇", "--from", "2024-01-01", "--json", "--index-dir", str(index_dir)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert [h["id"] for h in json.loads(done.stdout)["hits"]] == ["a-2"]
    done = subprocess.run([CLI, "search", "共同富裕", "--csv", "--index-dir", str(index_dir)], capture_output=True)
    assert done.stdout.startswith("\ufeff标题,单位".encode()) and done.stdout.count(b"\r\n") == 35
    bad = subprocess.run([CLI, "search", "x", "--to", "2024-2-3", "--index-dir", str(index_dir)], capture_output=True)
    assert bad.returncode == 1 and "YYYY-MM-DD" in bad.stderr.decode()


def test_the_404_page_speaks_chinese(dated):
    _, client = dated
    page = client.get("/no/such/page").get_data(as_text=True)
    assert "页面不存在。" in page and "Not Found" not in page
    assert "没有这篇文章。" in client.get("/article/nope").get_data(as_text=True)


def test_any_name_of_a_unit_filters_and_finds_it(dated):
    _, client = dated
    by_alias = client.get("/api/search", query_string={"unit": "区发展和改革局"}).get_json()
    by_print = client.get("/api/search", query_string={"unit": "区发改局"}).get_json()
    assert by_alias["units"] == ["区发改局"] and by_alias["total"] == by_print["total"] == 2
    found = client.get("/api/search", query_string={"q": "区发展和改革局"}).get_json()
    assert {h["unit"] for h in found["hits"]} == {"区发改局"} and found["total"] == 2
    assert found["expanded"][0]["also"][0] == "区发改局"
    facets = client.get("/api/search", query_string={"q": "共同富裕"}).get_json()["facets"]
    # 部门: 区发改局 ×2, 区农业农村局, 区卫健局; 乡镇街道: 华墅乡 ×26, 石梁镇 ×2, and @石室乡 (not in the table:
    # typed by its ending)
    assert facets["unit_type"] == {"部门": 4, "乡镇街道": 29}
    start = client.get("/").get_data(as_text=True)
    assert start.index(">部门</h3>") < start.index(">区发改局</a>") < start.index(">乡镇街道</h3>")
    article = client.get("/article/a-3").get_data(as_text=True)
    assert "（柯城区发展和改革局）" in article


def test_units_that_differ_only_by_spaces_are_one(tmp_path):
    from searcher.search import SearchService

    data = write_jsonl(
        tmp_path / "spaces.jsonl",
        [
            {"id": "s-1", "title": "甲", "body": "正文", "unit": "石梁镇 "},
            {"id": "s-2", "title": "乙", "body": "正文", "unit": "石梁镇"},
        ],
    )
    build([data], tmp_path / "index")
    with SearchService(tmp_path / "index") as svc:
        assert svc.search("正文").facets["unit"] == {"石梁镇": 2}
        assert svc.search("正文", units=[" 石梁镇"]).total == 2


def _months(records: list[dict], keyword: str, units: tuple[str, ...] = ()) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in sorted(records, key=lambda r: r["date"]):
        if keyword in r["title"] + r["body"] and (not units or r["unit"] in units):
            counts[r["date"][:7]] = counts.get(r["date"][:7], 0) + 1
    return counts


def test_mentions_over_time_count_every_match_by_month_with_the_filters_applied(dated):
    _, client = dated
    data = client.get("/api/search", query_string={"q": "共同富裕", "per_page": 1}).get_json()
    assert data["by_month"] == _months(RECORDS, "共同富裕") and data["undated"] == 6  # the bundled page's pieces
    narrowed = client.get("/api/search", query_string={"q": "共同富裕", "unit": "华墅乡"}).get_json()
    assert narrowed["by_month"] == {"2021-02": 25} and narrowed["undated"] == 1  # the bundled 华墅乡 interview
    assert sum(data["by_month"].values()) + data["undated"] == data["total"]


def test_the_results_page_draws_mentions_over_time_and_each_bar_narrows_to_its_period(dated):
    _, client = dated
    page = client.get("/", query_string={"q": "共同富裕"}).get_data(as_text=True)
    # 2021-02 to 2024-03 is more than three years: one bar a year, with a table for screen readers and print.
    assert '<figure class="timeline">' in page and "各年刊发篇数" in page and "另有 6 篇无日期" in page
    assert [*re.findall(r"<td><a href=\"[^\"]*\">(\d{4})</a></td><td>(\d+)</td>", page)] == [
        ("2021", "25"), ("2022", "1"), ("2023", "1"), ("2024", "1")
    ]  # fmt: skip
    year = re.search(r'<a href="([^"]*)"><title>2023：1 篇</title>', page).group(1).replace("&amp;", "&")
    narrowed = client.get(year).get_data(as_text=True)
    assert "找到 <strong>1</strong> 篇" in narrowed and "石梁镇推进未来乡村建设" in narrowed
    assert '<figure class="timeline">' not in narrowed  # one month: no chart
    monthly = client.get("/", query_string={"q": "共同富裕", "from": "2023-01-01"}).get_data(as_text=True)
    assert "各月刊发篇数" in monthly and "2023-05" in monthly and "2023-06" in monthly  # empty months drawn too


def test_a_unit_or_a_topic_can_be_subscribed_to_as_an_atom_feed(dated):
    from xml.etree import ElementTree

    _, client = dated
    page = client.get("/", query_string={"q": "共同富裕", "unit": "石梁镇"}).get_data(as_text=True)
    feed_link = re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">', page)
    assert feed_link and 'class="feed"' in page
    response = client.get(feed_link.group(1).replace("&amp;", "&"))
    assert response.mimetype == "application/atom+xml"
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring(response.data)  # well-formed XML
    assert feed.tag == f"{atom}feed" and feed.findtext(f"{atom}title") == "文章检索：共同富裕、石梁镇"
    assert feed.find(f"{atom}link[@rel='self']").get("href").startswith("http://localhost/feed.atom?")
    entries = feed.findall(f"{atom}entry")
    # Newest first; each with an absolute link as its id, a date, its unit and the matched text marked.
    assert [e.findtext(f"{atom}title") for e in entries] == ["石梁镇推进未来乡村建设", "找准定位 谋出特色"]
    first = entries[0]
    assert first.findtext(f"{atom}id") == first.find(f"{atom}link").get("href") == "http://localhost/article/a-1"
    assert first.findtext(f"{atom}updated") == "2023-05-02T00:00:00+08:00"
    assert first.find(f"{atom}category").get("term") == "石梁镇"
    assert "<mark>共同富裕</mark>" in first.findtext(f"{atom}summary")
    for entry in entries:  # every entry has what RFC 4287 requires
        assert all(entry.findtext(f"{atom}{tag}") for tag in ("id", "title", "updated"))
    by_unit = ElementTree.fromstring(client.get("/feed.atom", query_string={"unit": "华墅乡"}).data)
    assert len(by_unit.findall(f"{atom}entry")) == 26  # a unit's newest articles, no keyword needed
    assert client.get("/feed.atom").status_code == 400


def test_a_word_digest_of_the_results_or_of_chosen_articles_has_source_lines_and_bold_matches(dated, tmp_path):
    import docx

    _, client = dated
    response = client.get("/export.docx", query_string={"q": "共同富裕", "unit": "石梁镇"})
    assert "attachment" in response.headers["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.data))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "文章摘编" and texts[1].startswith("检索：关键词“共同富裕”，单位 石梁镇，共 2 篇")
    first = texts.index("石梁镇推进未来乡村建设")
    assert texts[first + 1] == "石梁镇 · 2023-05-02 · http://localhost/article/a-1"  # the source line
    body = document.paragraphs[first + 2]
    assert body.text == "共同富裕。" and [(r.text, r.bold) for r in body.runs] == [("共同富裕", True), ("。", None)]
    chosen = client.get("/export.docx", query_string={"ids": "a-3,a-1,nope", "q": "共同富裕"})
    headings = [p.text for p in docx.Document(io.BytesIO(chosen.data)).paragraphs if p.style.name == "Heading 1"]
    assert headings == ["区发改局部署重大项目", "石梁镇推进未来乡村建设"]  # in the order ticked; a wrong id left out
    index_dir, _ = dated
    out = tmp_path / "摘编.docx"
    done = subprocess.run(
        [CLI, "search", "共同富裕", "--unit", "华墅乡", "--docx", str(out), "--index-dir", str(index_dir)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "26 articles written" in done.stdout
    assert sum(p.style.name == "Heading 1" for p in docx.Document(str(out)).paragraphs) == 26


def test_the_word_digest_and_the_feed_survive_characters_xml_forbids(tmp_path):
    """Scraped text carries control characters (a vertical tab, an escape) that python-docx refuses and XML forbids."""
    from xml.etree import ElementTree

    import docx

    from tests.conftest import app_for

    records = [{"id": "x-1", "title": "控制\x1b字符", "body": "共同富裕\x0b示范区\x01建设。", "unit": "石梁镇",
                "date": "2024-01-05"}]  # fmt: skip
    index_dir = tmp_path / "index"
    assert build([write_jsonl(tmp_path / "x.jsonl", records)], index_dir).problems == []
    with app_for(index_dir) as app:
        client = app.test_client()
        document = docx.Document(io.BytesIO(client.get("/export.docx", query_string={"q": "示范区"}).data))
        assert "控制 字符" in [p.text for p in document.paragraphs]
        feed = ElementTree.fromstring(client.get("/feed.atom", query_string={"q": "示范区"}).data)
        (entry,) = feed.findall("{http://www.w3.org/2005/Atom}entry")
        assert entry.findtext("{http://www.w3.org/2005/Atom}title") == "控制 字符"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("石梁镇", "乡镇街道"),
        ("文武坝镇", "乡镇街道"),
        ("东湖街道", "乡镇街道"),
        ("区统计局", "部门"),
        ("青溪中学", "其他"),
    ],
)
def test_a_unit_the_table_lacks_is_typed_by_its_ending(name, kind):
    from searcher.units import unit_type

    assert unit_type(name) == kind


def test_a_unit_no_article_has_is_said_with_the_nearest_names(dated):
    _, client = dated
    data = client.get("/api/search", query_string={"q": "共同富裕", "unit": "区发改委"}).get_json()
    assert data["total"] == 0 and data["unknown_units"][0]["unit"] == "区发改委"
    assert data["unknown_units"][0]["did_you_mean"][0] == "区发改局"
    page = client.get("/", query_string={"q": "共同富裕", "unit": "区发改委"}).get_data(as_text=True)
    assert "没有单位叫“区发改委”。您是不是要找：" in page
    link = re.search(r'您是不是要找：<a href="([^"]+)">区发改局</a>', page).group(1).replace("&amp;", "&")
    assert "找到 <strong>2</strong> 篇（区发改局）" in client.get(link).get_data(as_text=True)
    known = client.get("/api/search", query_string={"q": "不存在的词", "unit": "石梁镇"}).get_json()
    assert known["unknown_units"] == []  # a known unit with no match is not "unknown"


def test_an_article_lists_related_articles_never_itself(dated):
    _, client = dated
    data = client.get("/api/related/b-1").get_json()
    related = data["related"]
    assert 1 <= len(related) <= 5 and "b-1" not in [r["id"] for r in related]
    # Its telling words are 华墅乡, 工作, 共同富裕: the nearest articles are 华墅乡's — the other briefs and the
    # bundled page's 华墅乡 interview (whose body says 华墅乡 and 共同富裕 more than once).
    assert {r["unit"] for r in related} == {"华墅乡"}
    assert sum(r["title"].startswith("华墅乡工作简讯") for r in related) >= 3
    assert all(r["url"] == f"/article/{r['id']}" for r in related)
    page = client.get("/article/b-1").get_data(as_text=True)
    assert "相关文章" in page and related[0]["title"] in page
    assert client.get("/api/related/nope").status_code == 404
