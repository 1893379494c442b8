"""Saved e-paper HTML and Word files: read into the same page model, searchable through the page, API and CLI.

The samples are built here, in the test (our own words, invented people): a Founder 数字报 page in GB2312, a
government site's article page, and a .docx made with python-docx.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from searcher.build import build
from searcher.reading import read_file, read_structure
from tests.conftest import app_for

CLI = str(Path(sys.executable).with_name("searcher"))

FOUNDER = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>青溪日报数字报-高新区产值增长两成</title>
<link rel="canonical" href="https://epaper.example.org/html/2022-03/09/content_1234.htm">
</head><body>
<div class="nav">当前位置：<a href="/">首页</a> &gt; 第A01版：要闻</div>
<ul class="menu"><li>上一版</li><li>下一版</li></ul>
<!--enpproperty <articleid>1234</articleid><date>2022-03-09</date>/enpproperty-->
<founder-introtitle>聚焦产业提质增效</founder-introtitle>
<founder-title>高新区产值增长两成</founder-title>
<founder-subtitle>——新引进项目十二个</founder-subtitle>
<founder-author>本报记者 陈思远</founder-author>
<founder-content><p>本报讯 今年以来，青溪高新区产值稳步增长。</p><p>园区将继续完善配套设施。</p></founder-content>
<div class="foot">青溪日报社版权所有</div>
<script>var hidden = "脚本里的字";</script>
</body></html>"""

GOVERNMENT = """<html><head><meta charset="utf-8"><title>主攻三农战场 - 青溪区人民政府</title>
<meta name="PubDate" content="2023-05-06 09:30"></head><body>
<div class="header"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/hdjl">互动交流</a></div>
<div class="crumb">您现在的位置：首页 &gt; 部门动态</div>
<div class="main"><div class="article"><h1>一把手访谈｜主攻“三农”战场</h1>
<div class="info">发布时间：2023-05-06 来源：区农业农村局 浏览次数：321</div>
<div class="content">
<p>区农业农村局党委书记、局长 吴立群：</p>
<p>主攻“三农”战场 实现村强民富</p>
<p>今年，我们将围绕现代农业、未来乡村、农民增收三大主战场持续发力。</p>
<p>一是高质量发展现代农业，做优做精柑橘、蔬菜等主导产业，全年新建高标准农田一万亩。</p>
<p>二是高标准建设未来乡村，打造一批特色鲜明的示范村，带动周边村庄共同发展。</p>
</div></div></div>
<div class="footer"><p>主办单位：青溪区人民政府办公室</p><p>浙ICP备00000000号</p></div>
</body></html>"""

GOVERNMENT_LINES = [
    "首页 政务公开 互动交流",
    "您现在的位置：首页 > 部门动态",
    "一把手访谈｜主攻“三农”战场",
    "发布时间：2023-05-06 来源：区农业农村局 浏览次数：321",
    "区农业农村局党委书记、局长 吴立群：",
    "主攻“三农”战场 实现村强民富",
    "今年，我们将围绕现代农业、未来乡村、农民增收三大主战场持续发力。",
    "一是高质量发展现代农业，做优做精柑橘、蔬菜等主导产业，全年新建高标准农田一万亩。",
    "二是高标准建设未来乡村，打造一批特色鲜明的示范村，带动周边村庄共同发展。",
    "主办单位：青溪区人民政府办公室",
    "浙ICP备00000000号",
]


def make_docx() -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "青溪日报 第A02版"
    document.add_paragraph("“一把手”谈发展(五)")
    document.add_paragraph("编者按：本期请两位乡镇负责人谈发展思路。")
    document.add_paragraph("南溪镇党委书记 陈立新：")
    document.add_paragraph("做强特色产业")
    document.add_paragraph("今年以来，南溪镇新建标准化茶园八百亩。\n茶农人均增收三千元。")
    document.add_paragraph("北岭乡乡长 林晓梅：")
    document.add_paragraph("守住绿水青山")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "民宿集群两个"
    table.rows[0].cells[1].text = "接待游客十二万人次"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def read_saved(path: Path, data: bytes):
    """Save ``data`` as ``path`` and read it as searcher reads a file of that kind."""
    path.write_bytes(data)
    return read_structure(path, path.read_bytes())


def visible_text(article, page) -> list[str]:
    return [
        article.kicker,
        article.headline,
        article.subtitle,
        article.byline_line,
        article.series,
        *article.credits,
        *article.captions,
        *article.paragraphs,
        *page.furniture,
    ]


def test_a_founder_epaper_page_in_gb2312_uses_its_own_markup(tmp_path):
    page = read_saved(tmp_path / "content_1234.htm", FOUNDER.encode("gb18030"))
    (story,) = page.articles
    assert (story.kind, story.kicker, story.headline, story.subtitle, story.credits) == (
        "story",
        "聚焦产业提质增效",
        "高新区产值增长两成",
        "——新引进项目十二个",
        ("本报记者 陈思远",),
    )
    assert story.paragraphs == ("本报讯 今年以来，青溪高新区产值稳步增长。", "园区将继续完善配套设施。")
    assert (story.date, story.url) == ("2022-03-09", "https://epaper.example.org/html/2022-03/09/content_1234.htm")
    assert page.furniture == [
        "青溪日报数字报-高新区产值增长两成",
        "当前位置：首页 > 第A01版：要闻",
        "上一版",
        "下一版",
        "青溪日报社版权所有",
    ]
    assert not any("脚本里的字" in text for text in visible_text(story, page))


def test_a_government_page_is_extracted_and_loses_no_visible_line(tmp_path):
    page = read_saved(tmp_path / "t20230506_1.html", GOVERNMENT.encode("utf-8"))
    header, interview = page.articles
    assert (header.kind, header.headline) == ("header", "一把手访谈｜主攻“三农”战场")
    assert (interview.unit, interview.position, interview.person, interview.headline) == (
        "区农业农村局",
        "党委书记、局长",
        "吴立群",
        "主攻“三农”战场 实现村强民富",
    )
    assert len(interview.paragraphs) == 3 and interview.date == "2023-05-06"
    kept = visible_text(header, page) + visible_text(interview, page)
    assert [line for line in GOVERNMENT_LINES if line not in kept] == []


def test_a_word_file_is_read_with_its_tables_and_running_header(tmp_path):
    page = read_saved(tmp_path / "2021-09-01-访谈.docx", make_docx())
    note, first, second = page.articles
    assert (note.kind, note.series, note.headline) == ("note", "“一把手”谈发展(五)", "编者按")
    assert [(a.unit, a.position, a.person, a.headline) for a in (first, second)] == [
        ("南溪镇", "党委书记", "陈立新", "做强特色产业"),
        ("北岭乡", "乡长", "林晓梅", "守住绿水青山"),
    ]
    assert first.paragraphs == ("今年以来，南溪镇新建标准化茶园八百亩。", "茶农人均增收三千元。")
    assert second.paragraphs == ("民宿集群两个", "接待游客十二万人次")
    assert page.furniture == ["青溪日报 第A02版"] and {a.date for a in page.articles} == {"2021-09-01"}


def test_a_broken_word_or_html_file_is_named_with_the_reason(tmp_path):
    import zipfile

    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with zipfile.ZipFile(tmp_path / "foreign.docx", "w") as archive:
        archive.writestr("hello.txt", "a zip, but not a Word document")
    with zipfile.ZipFile(tmp_path / "damaged.docx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<unclosed")
    for name in ("broken.docx", "foreign.docx", "damaged.docx"):
        articles, problems, _ = read_file(tmp_path / name)
        assert articles == [] and problems[0].reason.startswith("not a readable Word .docx file ("), name
    (tmp_path / "empty.html").write_text("", "utf-8")
    articles, problems, _ = read_file(tmp_path / "empty.html")
    assert articles == [] and "not a readable HTML page" in problems[0].reason


@pytest.fixture(scope="module")
def mixed_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "content_1234.htm").write_bytes(FOUNDER.encode("gb18030"))
    (folder / "gov.html").write_text(GOVERNMENT, "utf-8")
    (folder / "2021-09-01-访谈.docx").write_bytes(make_docx())
    index_dir = folder.parent / (folder.name + "-index")
    report = build([folder], index_dir)
    assert report.problems == [] and report.articles == 6
    return index_dir


def test_html_and_docx_articles_are_found_by_the_page_the_api_and_the_cli(mixed_index):
    with app_for(mixed_index) as app:
        client = app.test_client()
        api = client.get("/api/search", query_string={"q": "茶园"}).get_json()
        assert [hit["unit"] for hit in api["hits"]] == ["南溪镇"]
        page = client.get("/", query_string={"q": "新引进项目"}).get_data(as_text=True)
        assert "高新区产值增长两成" in page
        story = client.get(client.get("/api/search?q=配套设施").get_json()["hits"][0]["url"]).get_data(as_text=True)
        assert "聚焦产业提质增效" in story and "2022-03-09" in story
    done = subprocess.run(
        [CLI, "search", "吴立群", "--json", "--index-dir", str(mixed_index)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert [hit["title"] for hit in json.loads(done.stdout)["hits"]] == ["主攻“三农”战场 实现村强民富"]


def test_the_printed_page_shows_the_page_furniture_and_says_when_nothing_was_reordered(mixed_index):
    with app_for(mixed_index) as app:
        client = app.test_client()
        url = client.get("/api/search?q=配套设施").get_json()["hits"][0]["url"]
        printed = client.get(url + "/printed").get_data(as_text=True)
    assert "当前位置：首页 &gt; 第A01版：要闻" in printed and "青溪日报社版权所有" in printed
    assert "本报记者 陈思远" in printed and "本文正文与原版印刷顺序一致" in printed


NEWS_SITE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>访谈｜竹林深处的共富经_青溪新闻网</title>
<meta property="og:site_name" content="青溪新闻网">
<meta property="article:published_time" content="2023-06-09T08:00:00+08:00"></head><body>
<header><nav><a href="/">首页</a> <a href="/sz">时政</a> <a href="/sh">社会</a> <a href="/jj">经济</a>
<a href="/wh">文化</a> <a href="/login">用户登录</a></nav></header>
<main><article>
<h1>竹林深处的共富经</h1>
<p class="sub">——访青溪县石湖镇党委书记 郑海波</p>
<p>记者：石湖镇的竹林给村民带来了什么？</p>
<p>郑海波：过去竹子只能卖原料，现在建起竹编工坊，一根竹子做成工艺品能卖到两百多元。</p>
<p>记者：下一步有什么打算？</p>
<p>郑海波：我们准备把竹编和民宿、研学结合起来，让游客住下来、学起来，带动更多村民在家门口就业。</p>
<p>责任编辑：吴敏</p>
</article></main>
<footer><p>青溪新闻网版权所有</p><p>浙ICP备87654321号</p><p>联系电话：0570-7654321</p></footer>
</body></html>"""


def test_a_plain_news_site_page_reads_through_trafilatura_with_its_speaker_site_and_date(tmp_path):
    """No e-paper markup: trafilatura finds the article (this failed on a fresh install when lxml.html.clean
    moved out of lxml; `make test` now fails the day that path breaks)."""
    page = read_saved(tmp_path / "zhulin.html", NEWS_SITE.encode("utf-8"))
    (interview,) = page.articles
    assert (interview.headline, interview.unit, interview.position, interview.person, interview.speaker_source) == (
        "竹林深处的共富经",
        "青溪县石湖镇",
        "党委书记",
        "郑海波",
        "subtitle",
    )
    assert (interview.date, interview.paper) == ("2023-06-09", "青溪新闻网")  # og:site_name
    assert interview.paragraphs[0] == "记者：石湖镇的竹林给村民带来了什么？" and len(interview.paragraphs) == 4
    assert interview.credits == ("责任编辑：吴敏",)
    kept = visible_text(interview, page)
    for line in ("首页 时政 社会 经济", "文化 用户登录", "浙ICP备87654321号", "联系电话：0570-7654321"):
        assert line in kept and line not in interview.paragraphs


def test_a_government_page_names_its_site_from_the_title(tmp_path):
    page = read_saved(tmp_path / "t20230506_1.html", GOVERNMENT.encode("utf-8"))
    # The site, from "主攻三农战场 - 青溪区人民政府", not the headline half of the title.
    assert {(a.paper, a.date) for a in page.articles} == {("青溪区人民政府", "2023-05-06")}
    assert page.articles[-1].speaker_source == "byline"
