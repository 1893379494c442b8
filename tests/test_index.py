"""Building the index: re-indexing replaces, bad files are reported, outdated indexes are refused, rebuilds swap."""

from __future__ import annotations

import json

import pytest

from searcher.build import build
from searcher.index import CURRENT, META, IndexMissingError, IndexOutdatedError, live_path, open_index
from searcher.search import SearchService
from tests.conftest import PAGE, write_jsonl


def _ids(index_dir):
    with open_index(index_dir).searcher() as s:
        return sorted(d["id"] for d in s.all_stored_fields())


def test_reindexing_a_file_replaces_its_articles(tmp_path):
    data = write_jsonl(
        tmp_path / "a.jsonl",
        [{"id": "a-1", "title": "旧标题", "body": "旧"}, {"id": "a-2", "title": "二", "body": "二"}],
    )
    index_dir = tmp_path / "index"
    build([data, PAGE], index_dir)
    write_jsonl(data, [{"id": "a-1", "title": "新标题", "body": "新"}])
    report = build([data], index_dir)
    assert report.articles == 1
    ids = _ids(index_dir)
    assert ids.count("a-1") == 1 and "a-2" not in ids and len(ids) == 8
    svc = SearchService(index_dir)
    assert [h.title for h in svc.search("标题").hits] == ["新标题"]
    build([PAGE], index_dir)
    assert _ids(index_dir) == ids


def test_a_bad_file_is_reported_and_the_others_are_indexed(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\xff\xfe" * 100)
    report = build([bad, PAGE, tmp_path / "gone.jsonl"], tmp_path / "index")
    assert report.articles == 7 and report.files == 1 and report.restored == 5
    assert sorted(str(p) for p in report.problems) == sorted(
        [
            f"{bad}: not text: no character encoding fits (binary file?)",
            f"{tmp_path / 'gone.jsonl'}: no such file or folder",
        ]
    )


def test_duplicate_ids_across_files_are_kept_once_and_reported(tmp_path):
    one = write_jsonl(tmp_path / "one.jsonl", [{"id": "same", "title": "一", "body": "甲"}])
    two = write_jsonl(tmp_path / "two.jsonl", [{"id": "same", "title": "二", "body": "乙"}])
    report = build([one, two], tmp_path / "index")
    assert _ids(tmp_path / "index") == ["same"]
    assert [p.reason for p in report.problems] == [f"duplicate id 'same' (kept the one in {one})"]


def test_an_index_built_by_another_analyzer_is_refused_until_rebuilt(tmp_path):
    index_dir = tmp_path / "index"
    build([PAGE], index_dir)
    meta = live_path(index_dir) / META
    meta.write_text(json.dumps({"analyzer": "1/old", "schema": 1}), "utf-8")
    with pytest.raises(IndexOutdatedError, match=r"rebuild it with `searcher index PATH\.\.\. --rebuild") as refused:
        open_index(index_dir)
    assert "built by analyzer 1/old (schema 1); this searcher uses analyzer" in str(refused.value)  # says what differs
    with pytest.raises(IndexOutdatedError):
        build([PAGE], index_dir)
    build([PAGE], index_dir, rebuild=True)
    assert len(_ids(index_dir)) == 7


def test_no_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexMissingError, match="build one with `searcher index"):
        open_index(tmp_path)


def test_a_rebuild_switches_atomically_and_an_open_service_follows(tmp_path):
    index_dir = tmp_path / "index"
    build([PAGE], index_dir)
    first = live_path(index_dir)
    svc = SearchService(index_dir)
    assert svc.search("新加的文章").total == 0
    data = write_jsonl(tmp_path / "more.jsonl", [{"id": "m-1", "title": "新加的文章", "body": "正文"}])
    build([PAGE, data], index_dir, rebuild=True)
    assert (index_dir / CURRENT).is_symlink() and live_path(index_dir) != first
    assert svc.search("新加的文章").total == 1  # the same service, no restart
    build([PAGE], index_dir, rebuild=True)
    assert len(list(index_dir.glob("gen-*"))) == 2  # the live generation and the one before it


def test_cached_results_are_dropped_when_the_index_changes(tmp_path):
    index_dir = tmp_path / "index"
    data = write_jsonl(tmp_path / "a.jsonl", [{"id": "c-1", "title": "缓存", "body": "正文"}])
    build([data], index_dir)
    svc = SearchService(index_dir)
    assert svc.search("缓存").total == 1 and svc.search("缓存").cached
    records = [{"id": "c-1", "title": "缓存", "body": "正文"}, {"id": "c-2", "title": "缓存二", "body": "正文"}]
    write_jsonl(data, records)
    build([data], index_dir)  # an update in place, no new generation
    again = svc.search("缓存")
    assert (again.total, again.cached) == (2, False)
