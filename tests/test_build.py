"""Incremental builds: unchanged files are skipped, changed records replaced, vanished ones deleted; parallel builds."""

from __future__ import annotations

import pytest

from searcher.build import build
from searcher.index import open_index
from searcher.search import SearchService
from tests.conftest import PAGE, write_jsonl


def _records(n: int, changed: int | None = None) -> list[dict]:
    return [
        {"id": f"r-{i}", "title": f"第{i}篇 {'改过的' if i == changed else ''}标题", "body": f"正文{i}。共同富裕。"}
        for i in range(n)
    ]


def _ids(index_dir):
    with open_index(index_dir).searcher() as s:
        return sorted(d["id"] for d in s.all_stored_fields())


def test_an_unchanged_corpus_is_not_read_again(tmp_path):
    data = write_jsonl(tmp_path / "a.jsonl", _records(50))
    build([data, PAGE], tmp_path / "index")
    report = build([data, PAGE], tmp_path / "index")
    assert (report.files, report.unchanged_files, report.articles) == (0, 2, 0)
    assert len(_ids(tmp_path / "index")) == 57


def test_only_changed_records_are_rewritten_and_removed_ones_deleted(tmp_path):
    data = write_jsonl(tmp_path / "a.jsonl", _records(50))
    build([data], tmp_path / "index")
    write_jsonl(data, _records(49, changed=7))
    report = build([data], tmp_path / "index")
    assert (report.articles, report.unchanged_articles, report.deleted) == (1, 48, 1)
    assert _ids(tmp_path / "index") == sorted(f"r-{i}" for i in range(49))
    assert [h.id for h in SearchService(tmp_path / "index").search("改过的").hits] == ["r-7"]


def test_articles_of_a_file_gone_from_the_folder_are_deleted(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", _records(3))
    (folder / "page.txt").write_text(PAGE.read_text("utf-8"), "utf-8")
    build([folder], tmp_path / "index")
    (folder / "page.txt").unlink()
    report = build([folder], tmp_path / "index")
    assert report.deleted == 7 and _ids(tmp_path / "index") == ["r-0", "r-1", "r-2"]


def test_a_missing_file_named_on_the_command_line_deletes_nothing(tmp_path):
    data = write_jsonl(tmp_path / "a.jsonl", _records(3))
    build([data], tmp_path / "index")
    data.unlink()
    report = build([data], tmp_path / "index")
    assert [p.reason for p in report.problems] == ["no such file or folder"]
    assert len(_ids(tmp_path / "index")) == 3


@pytest.mark.parametrize("procs", [1, 2])
def test_a_parallel_build_holds_the_same_articles(tmp_path, procs):
    data = write_jsonl(tmp_path / "a.jsonl", _records(300))
    seen: list[tuple[str, int, int]] = []
    report = build([data, PAGE], tmp_path / "index", procs=procs, progress=lambda *event: seen.append(event))
    assert report.articles == 307 and report.rebuilt
    with SearchService(tmp_path / "index") as svc:
        assert svc.search("共同富裕").total == 306 and svc.search("第12篇").total == 1
    assert len(_ids(tmp_path / "index")) == 307
    # Progress follows the work: every file read, every article analyzed, then the writing.
    stages = [stage for stage, _, _ in seen]
    assert stages.index("writing") > max(i for i, stage in enumerate(stages) if stage == "indexing")
    assert ("reading", 2, 2) in seen and ("indexing", 307, 307) in seen
    if procs > 1:
        assert seen[-1] == ("writing", 307, 307)


def test_a_rebuild_that_reads_nothing_keeps_the_live_index(tmp_path):
    build([PAGE], tmp_path / "index")
    report = build([tmp_path / "typo.jsonl"], tmp_path / "index", rebuild=True)
    assert [p.reason for p in report.problems] == [
        "no such file or folder",
        "nothing could be read: the index was not rebuilt",
    ]
    assert len(_ids(tmp_path / "index")) == 7 and len(list((tmp_path / "index").glob("gen-*"))) == 1


@pytest.mark.corpus
def test_ctrl_c_ends_a_parallel_build_with_one_line_and_no_trace(tmp_path):
    """Ctrl-C reaches the whole process group, as in a terminal: one line, status 130, no worker tracebacks."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from tests.conftest import xwlb_lines

    corpus = tmp_path / "xwlb.jsonl"
    corpus.write_text("".join(xwlb_lines(3000)), "utf-8")
    index_dir = tmp_path / "index"
    cli = str(Path(sys.executable).with_name("searcher"))
    process = subprocess.Popen(
        [cli, "index", str(corpus), "--index-dir", str(index_dir), "--procs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not list(index_dir.glob("gen-*/*.toc")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
    time.sleep(1.5)  # the workers are analyzing by now
    assert process.poll() is None, "the build finished before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "interrupted: nothing was written" in err
    assert list(index_dir.glob("gen-*")) == [] and not (index_dir / "current").exists()
