"""The searcher command: parse, index → search round trip, exit statuses, help for every command."""

from __future__ import annotations

import json

import pytest

from searcher.cli import main
from searcher.search import SearchService
from tests.conftest import PAGE


def test_parse_json_prints_the_records(runner):
    result = runner.invoke(main, ["parse", str(PAGE), "--json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert [r["unit"] for r in records] == ["", "区发改局", "石梁镇", "石室乡", "区农业农村局", "区卫健局", "华墅乡"]
    fagai = records[1]
    assert set(fagai) >= {
        "id",
        "unit",
        "position",
        "person",
        "title",
        "series",
        "paragraphs",
        "source",
        "printed_paragraphs",
        "repair",
    }
    assert fagai["paragraphs"][0].startswith("全力打造") and fagai["printed_paragraphs"][0].startswith("二是")


def test_index_then_search_round_trip(runner, tmp_path):
    index_dir = tmp_path / "index"
    result = runner.invoke(main, ["index", str(PAGE), "--index-dir", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "1 files, 7 articles indexed, 5 restored to reading order, 0 skipped" in result.output
    assert SearchService(index_dir).article_count() == 7
    result = runner.invoke(main, ["search", "乡村振兴", "--index-dir", str(index_dir), "--unit", "华墅乡", "--json"])
    data = json.loads(result.output)
    assert data["total"] == 1 and data["hits"][0]["unit"] == "华墅乡"
    text = runner.invoke(main, ["search", "乡村振兴", "--index-dir", str(index_dir)]).output
    assert text.startswith("4 articles\n1. ")


def test_the_cli_json_equals_the_api(runner, client, index_dir):
    cli = json.loads(runner.invoke(main, ["search", "共同富裕", "--index-dir", str(index_dir), "--json"]).output)
    api = client.get("/api/search?q=共同富裕").get_json()
    for data in (cli, api):
        data.pop("took_ms")
    assert cli == api


def test_index_reports_a_bad_file_and_exits_non_zero(runner, tmp_path):
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"title": "好", "body": "正文"}\nnot json\n', "utf-8")
    result = runner.invoke(main, ["index", str(bad), str(PAGE), "--index-dir", str(tmp_path / "i")])
    assert result.exit_code == 1
    assert f"skipped {bad}:2: not valid JSON" in result.output
    assert "2 files, 8 articles indexed" in result.output


def test_search_without_an_index_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["search", "x", "--index-dir", str(tmp_path)])
    assert result.exit_code == 1 and "no index in" in result.output


def test_a_bad_query_is_a_clear_error(runner, index_dir):
    result = runner.invoke(main, ["search", "--index-dir", str(index_dir), "--", "-共同富裕"])
    assert result.exit_code == 1 and "at least one term" in result.output


def test_the_index_dir_comes_from_the_environment(runner, index_dir):
    result = runner.invoke(main, ["search", "医共体"], env={"SEARCHER_INDEX_DIR": str(index_dir)})
    assert result.output.startswith("1 articles")


@pytest.mark.parametrize("command", [[], ["parse"], ["index"], ["search"], ["serve"]])
def test_every_command_has_help(runner, command):
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Usage: " in result.output and len(result.output.splitlines()) > 4


def test_problems_repeat_on_every_run_until_the_file_is_fixed(runner, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "page.txt").write_text(PAGE.read_text("utf-8"), "utf-8")
    bad = folder / "daily.jsonl"
    bad.write_text('{"title": "好", "body": "正文", "date": "2024/3/9"}\n{broken\n', "utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    index_dir = tmp_path / "index"
    for _ in range(2):  # the second run reads nothing again, and still says what is wrong
        result = runner.invoke(main, ["index", str(folder), "--index-dir", str(index_dir)])
        assert result.exit_code == 1
        assert f"skipped {bad}:1: date '2024/3/9' is not a real date written YYYY-MM-DD" in result.output
        assert f"skipped {bad}:2: not valid JSON" in result.output
        assert f"skipped {folder / 'scan.pdf'}: not a readable PDF" in result.output
    assert "2 files and" in result.output and "unchanged" in result.output
    bad.write_text('{"title": "好", "body": "正文", "date": "2024-03-09"}\n', "utf-8")
    (folder / "scan.pdf").unlink()
    result = runner.invoke(main, ["index", str(folder), "--index-dir", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "skipped" not in result.output.replace("0 skipped", "")
    with SearchService(index_dir) as svc:
        assert svc.search("正文").hits[0].date == "2024-03-09"


def test_indexing_a_missing_path_never_creates_an_index(runner, tmp_path):
    index_dir = tmp_path / "index"
    result = runner.invoke(main, ["index", str(tmp_path / "no-such-folder"), "--index-dir", str(index_dir)])
    assert result.exit_code == 1
    assert "no such file or folder" in result.output and "no index was created" in result.output
    assert not index_dir.exists()


def test_index_prints_the_readers_notices_with_file_and_line(runner, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("南溪镇党委书记 陈立新：\n\n去年以来，全镇新建茶园八百亩。\n", "utf-8")
    result = runner.invoke(main, ["index", str(page), "--index-dir", str(tmp_path / "index")])
    assert result.exit_code == 0, result.output
    assert f"notice {page}:1: no headline printed: shown as “南溪镇 陈立新”" in result.output
    assert "1 notices" in result.output


def test_parse_explain_shows_each_lines_role_and_the_doubts(runner):
    from tests.test_pages import PAGES

    result = runner.invoke(main, ["parse", "--explain", str(PAGES / "site-furniture.txt")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.split()[:5] == ["7", "p1", "#1", "headline", "市区新增三处口袋公园"] for line in lines)
    assert any(line.split()[:5] == ["10", "p1", "#1", "credit", "责任编辑：李小雨"] for line in lines)
    assert any(line.split()[:5] == ["11", "?", "p1", "-", "furniture"] for line in lines)
    assert "^ read as page furniture" in result.output
    # Where the date and the paper came from.
    assert "   date 2021-08-12 from line 3" in lines and "   paper 青溪日报 from line 2" in lines


def test_serve_rebuilds_an_outdated_index_of_the_bundled_page_only(tmp_path):
    import click

    from searcher import config
    from searcher.build import build
    from searcher.cli import ensure_index
    from searcher.index import META, live_path

    own = tmp_path / "own"
    own.mkdir()
    (own / "page.txt").write_text(PAGE.read_text("utf-8"), "utf-8")
    for index_dir, source in ((tmp_path / "bundled-index", config.bundled_articles()), (tmp_path / "own-index", own)):
        build([source], index_dir)
        meta = live_path(index_dir) / META  # as if an older searcher had built it
        meta.write_text(meta.read_text("utf-8").replace('"analyzer": "', '"analyzer": "0/old-'), "utf-8")
    ensure_index(tmp_path / "bundled-index")  # made from the bundled page only: rebuilt from it
    with SearchService(tmp_path / "bundled-index") as svc:
        assert svc.article_count() == 7
    with pytest.raises(click.ClickException, match="--rebuild"):
        ensure_index(tmp_path / "own-index")  # someone's own articles: left alone, with the command that rebuilds it
