"""One story printed three times is one result with its other printings beside it; a template's twin with new
facts, and another story on the same topic, stay results of their own."""

from __future__ import annotations

import csv
import io
import json

import pytest

from searcher.build import build
from searcher.reprints import is_reprint
from searcher.search import SearchService
from tests.conftest import app_for, write_jsonl

MIDDLE = (
    "会议指出，今年以来全区共安排省市县重点项目86个，总投资320亿元，截至十月底已完成年度投资计划的78%，"
    "其中石梁镇工业园区扩建、东湖街道老旧小区改造等12个项目提前完工。\n"
    "会议要求，各部门要对照年度目标倒排工期，加快用地、资金等要素保障，对进度滞后的项目实行挂图作战，"
    "确保全年任务圆满完成。\n"
    "会议还就明年重点项目谋划工作作了部署，要求聚焦先进制造业、现代服务业和民生补短板三个方向，"
    "提前做好项目储备和前期工作。"
)
COUNTY = "本报讯（记者 林晓 通讯员 周航）昨天，区发改局召开全区重点项目推进会。\n" + MIDDLE
CITY = "本报5月7日讯（记者 王敏）区发改局6日召开全区重点项目推进会。\n" + MIDDLE
# The government site drops the last paragraph.
SITE = "区发改局召开全区重点项目推进会。\n" + MIDDLE.rsplit("\n", 1)[0]
# A year later the same meeting, the same template, new figures and new projects: another story.
NEXT_YEAR = (
    COUNTY.replace("86个", "91个")
    .replace("320亿元", "355亿元")
    .replace("78%", "81%")
    .replace("石梁镇工业园区扩建、东湖街道老旧小区改造等12个", "区人民医院迁建、城东污水处理厂提标等9个")
)
OTHER = (
    "本报讯 石梁镇召开重点项目攻坚动员会，全镇22个重点项目负责人参加。会议通报了工业园区扩建项目的征迁进度，"
    "要求各村配合做好政策处理，确保项目按时交地。镇主要负责人表示，要把重点项目推进会的要求落到实处。"
)
ARTICLES = [
    {"id": "county", "title": "全区重点项目推进会召开", "unit": "区发改局", "date": "2024-05-07", "body": COUNTY},
    {"id": "city", "title": "抓项目 促投资 赶进度", "unit": "区发改局", "date": "2024-05-08", "body": CITY},
    {"id": "site", "title": "区发改局召开重点项目推进会", "unit": "区发改局", "date": "2024-05-09", "body": SITE},
    {"id": "next", "title": "全区重点项目推进会召开", "unit": "区发改局", "date": "2025-05-06", "body": NEXT_YEAR},
    {"id": "town", "title": "石梁镇动员攻坚重点项目", "unit": "石梁镇", "date": "2024-05-10", "body": OTHER},
]


@pytest.fixture
def archive(tmp_path):
    source = write_jsonl(tmp_path / "archive.jsonl", ARTICLES)
    report = build([source], tmp_path / "index")
    return source, tmp_path / "index", report


def test_a_story_printed_three_times_is_one_result_with_its_reprints(archive):
    _, index_dir, report = archive
    assert report.stories == 1
    with SearchService(index_dir) as service:
        result = service.search("重点项目推进会")
        ids = [hit.id for hit in result.hits]
        assert result.total == 3 and result.printings == 5  # the story, next year's meeting, the town's meeting
        assert sorted(ids) == sorted(["next", "town", ids[0]]) and ids[0] in {"county", "city", "site"}
        story = next(hit for hit in result.hits if hit.id in {"county", "city", "site"})
        assert sorted(r.id for r in story.reprints) == sorted({"county", "city", "site"} - {story.id})
        assert all(not hit.reprints for hit in result.hits if hit is not story)
        # Counts are of printings: three printings of 区发改局 in May 2024, and the others.
        assert result.facets["unit"] == {"区发改局": 4, "石梁镇": 1}
        assert result.months == {"2024-05": 4, "2025-05": 1}
        every = service.search("重点项目推进会", group=False)
        assert every.total == 5 and all(not hit.reprints for hit in every.hits)


def test_the_page_the_api_and_the_export_show_the_reprints(archive):
    _, index_dir, _ = archive
    with app_for(index_dir) as app:
        _check_page_api_and_export(app.test_client())


def _check_page_api_and_export(client) -> None:
    page = client.get("/", query_string={"q": "重点项目推进会"}).get_data(as_text=True)
    assert "另有 2 处刊发" in page and "同一稿件的 2 处转载已合并" in page and "group=0" in page
    api = client.get("/api/search", query_string={"q": "重点项目推进会"}).get_json()
    assert (api["total"], api["printings"], api["group"]) == (3, 5, True)
    story = next(hit for hit in api["hits"] if hit["reprints"])
    assert {r["id"] for r in story["reprints"]} | {story["id"]} == {"county", "city", "site"}
    assert set(story["reprints"][0]) == {"id", "title", "date", "url", "unit"}
    assert story["reprints"][0]["url"] == f"/article/{story['reprints'][0]['id']}"
    every = client.get("/api/search", query_string={"q": "重点项目推进会", "group": "0"}).get_json()
    assert (every["total"], every["group"]) == (5, False)
    listed = client.get("/", query_string={"q": "重点项目推进会", "group": "0"}).get_data(as_text=True)
    assert "逐篇列出" in listed and "另有" not in listed
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv?q=重点项目推进会").get_data(as_text=True))))
    assert len(rows) == 3
    merged = next(row for row in rows if row["另见刊发"])
    assert merged["另见刊发"].count("；") == 1 and "/article/" in merged["另见刊发"]
    every_row = list(
        csv.DictReader(io.StringIO(client.get("/export.csv?q=重点项目推进会&group=0").get_data(as_text=True)))
    )
    assert len(every_row) == 5 and not any(row["另见刊发"] for row in every_row)


def test_an_update_that_rewrites_a_printing_takes_it_out_of_the_story(archive):
    source, index_dir, _ = archive
    changed = [dict(a, body=a["body"].replace("86个", "88个").replace("78%", "79%")) if a["id"] == "site" else a
               for a in ARTICLES]  # fmt: skip
    write_jsonl(source, changed)
    report = build([source], index_dir)
    assert report.stories == 1
    with SearchService(index_dir) as service:
        story = next(hit for hit in service.search("重点项目推进会").hits if hit.reprints)
        assert {story.id, *(r.id for r in story.reprints)} == {"county", "city"}
    saved = json.loads((index_dir / "current" / "reprints.json").read_text("utf-8"))
    assert saved == {"stories": [["county", "city"]]}


@pytest.mark.parametrize(
    ("other", "other_date", "expected"),
    [
        (CITY, "2024-05-08", True),  # another dateline and reporter
        (SITE, "2024-05-09", True),  # the last paragraph cut
        (CITY, "2024-07-01", False),  # the same text two months on: a repeat, not a reprint of the day's story
        (NEXT_YEAR, "2024-05-08", False),  # new figures and projects in the same template
        (COUNTY.replace("86个", "88个"), "2024-05-07", False),  # even one figure changed past the lead
        (OTHER, "2024-05-08", False),  # the same topic, another text
    ],
)
def test_what_counts_as_a_reprint(other, other_date, expected):
    assert is_reprint(COUNTY, other, "2024-05-07", other_date) is expected


def test_related_articles_leave_out_the_articles_own_reprints(archive):
    _, index_dir, _ = archive
    with SearchService(index_dir) as service:
        related = [row.id for row in service.related("county")]
    assert related and not {"county", "city", "site"} & set(related)
    assert "next" in related  # next year's meeting is another story on the topic
