"""What survives what: SIGKILL during a build, damaged files, a full disk, readers during commits and swaps."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searcher.build import build
from searcher.index import IndexDamagedError, live_path, open_index
from searcher.search import SearchService
from searcher.web import create_app
from tests.conftest import PAGE, app_for, write_jsonl

CLI = str(Path(sys.executable).with_name("searcher"))


def _records(n: int, tag: str = "") -> list[dict]:
    paragraphs = [p for p in PAGE.read_text("utf-8").splitlines() if len(p) > 40]
    return [
        {
            "id": f"k-{i}",
            "title": f"第{i}篇{tag}",
            "body": "\n".join(paragraphs[j % len(paragraphs)] for j in range(i, i + 3)),
        }
        for i in range(n)
    ]


def _ids(index_dir: Path) -> list[str]:
    with open_index(index_dir).searcher() as s:
        return sorted(d["id"] for d in s.all_stored_fields())


def _index(*args: str) -> subprocess.Popen:
    return subprocess.Popen([CLI, "index", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_sigkill_at_any_moment_leaves_a_usable_index(tmp_path):
    """14 builds killed at random moments; after each the index opens, searches and accepts the next run."""
    index_dir = tmp_path / "index"
    first = write_jsonl(tmp_path / "first.jsonl", _records(40))
    build([first], index_dir)
    second = write_jsonl(tmp_path / "second.jsonl", [dict(r, id="s" + r["id"]) for r in _records(150, "乙")])
    started = time.monotonic()
    assert _index(str(first), str(second), "--index-dir", str(tmp_path / "timing"), "--procs", "1").wait() == 0
    duration = time.monotonic() - started
    rng = random.Random(20)
    for trial in range(14):  # 14, not 20: keeps `make test` under five minutes on two cores
        write_jsonl(second, [dict(r, id="s" + r["id"]) for r in _records(150, f"乙{trial}")])
        args = [str(first), str(second), "--index-dir", str(index_dir), "--procs", str(1 + trial % 2)]
        process = _index(*args, *(["--rebuild"] if trial % 3 == 0 else []))
        time.sleep(rng.uniform(0.2, duration))
        process.send_signal(signal.SIGKILL)
        process.wait()
        ids = _ids(index_dir)  # opens: the previous state, or the finished run
        assert len(ids) == len(set(ids)) and {f"k-{i}" for i in range(40)} <= set(ids), trial
        assert SearchService(index_dir).search("第1篇").total >= 1
    assert _index(str(first), str(second), "--index-dir", str(index_dir)).wait() == 0
    ids = _ids(index_dir)
    assert ids == sorted([f"k-{i}" for i in range(40)] + [f"sk-{i}" for i in range(150)])
    assert SearchService(index_dir).search("乙13", group=False).total == 150  # bodies repeat: reprints


def _damage(index_dir: Path, how: str) -> None:
    live = live_path(index_dir)
    segment_files = [p for p in live.glob("MAIN_*") if p.suffix in (".pst", ".trm", ".col", ".seg")]
    target = (
        max(segment_files, key=lambda p: p.stat().st_size)
        if how.endswith("segment")
        else next(live.glob("_MAIN_*.toc"))
    )
    size = target.stat().st_size
    if how.startswith("zero"):
        target.write_bytes(b"\0" * size)
    else:
        with target.open("r+b") as f:
            f.truncate(size // 2)


@pytest.mark.parametrize("how", ["zero segment", "truncate segment", "zero toc", "truncate toc"])
# Whoosh leaves the file of a segment it failed to open to the garbage collector, which warns about it.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_damaged_index_is_503_until_rebuilt(tmp_path, how):
    index_dir = tmp_path / "index"
    build([PAGE], index_dir)
    _damage(index_dir, how)
    with pytest.raises(IndexDamagedError, match="--rebuild"):
        open_index(index_dir)
    with app_for(index_dir) as app:
        client = app.test_client()
        assert client.get("/?q=共同富裕").status_code == 503
        assert client.get("/healthz").status_code == 503
    assert subprocess.run([CLI, "index", str(PAGE), "--index-dir", str(index_dir)], capture_output=True).returncode == 1
    done = subprocess.run([CLI, "index", str(PAGE), "--index-dir", str(index_dir), "--rebuild"], capture_output=True)
    assert done.returncode == 0, done.stderr
    with app_for(index_dir) as app:
        assert app.test_client().get("/api/search?q=共同富裕").get_json()["total"] == 6


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs to fill needs root")
def test_a_full_disk_is_a_clear_error_and_the_old_index_survives(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1500k", "tmpfs", str(disk)], check=True)
    try:
        index_dir = disk / "index"
        build([PAGE], index_dir)
        page = PAGE.read_text("utf-8")
        # Enough to fill the disk: 300 items (the index is far smaller since exact matching left postings).
        records = [
            {"id": f"b-{i}", "title": f"第{i}篇", "body": page[i * 10 % 2000 : i * 10 % 2000 + 3000]}
            for i in range(300)
        ]
        big = write_jsonl(tmp_path / "big.jsonl", records)
        for rebuild in ([], ["--rebuild"]):
            done = subprocess.run(
                [CLI, "index", str(big), "--index-dir", str(index_dir), *rebuild], capture_output=True, text=True
            )
            assert done.returncode == 1 and "No space left on device" in done.stderr, done.stderr
            assert "the previous index is unchanged" in done.stderr
            assert SearchService(index_dir).search("共同富裕").total == 6  # still served
            lock = open_index(index_dir).storage.lock("MAIN_WRITELOCK")
            assert lock.acquire(blocking=False)  # the write lock was released
            lock.release()
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        done = subprocess.run([CLI, "index", str(big), "--index-dir", str(index_dir)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert SearchService(index_dir).search("第299篇").total == 1
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


READER = """
import sys, time
from pathlib import Path
from searcher.search import SearchService
svc, errors, searches, end = SearchService(Path(sys.argv[1])), 0, 0, time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    try:
        svc.search("共同富裕"); svc.search("第3篇"); searches += 2
    except Exception as e:
        errors += 1; print(repr(e), file=sys.stderr)
print(searches, errors)
"""


def test_readers_see_no_errors_during_commits_and_swaps(tmp_path):
    index_dir = tmp_path / "index"
    data = write_jsonl(tmp_path / "a.jsonl", _records(60))
    build([data, PAGE], index_dir)
    readers = [
        subprocess.Popen([sys.executable, "-c", READER, str(index_dir), "12"], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    svc = SearchService(index_dir)
    for round_ in range(6):
        write_jsonl(data, _records(60 + round_ * 5, f"轮{round_}"))
        build([data, PAGE], index_dir, rebuild=round_ % 2 == 1)
        assert svc.search(f"轮{round_}", group=False).total == 60 + round_ * 5  # visible on the next request
    for reader in readers:
        searches, errors = map(int, reader.communicate(timeout=60)[0].split())
        assert errors == 0 and searches > 10


# Whoosh leaves the files it failed to read to the garbage collector, which warns about them.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_damage_inside_a_file_is_503_not_500(tmp_path):
    """Zeros in the middle of the stored fields of an index already open: found by a search, answered 503, not 500.

    (The stored fields: every search with results reads them; a page's postings are mostly inline in its term table,
    and damage inside the suffix arrays misleads matching rather than failing it: the manifest catches their edges.)"""
    index_dir = tmp_path / "index"
    build([PAGE], index_dir)
    client = create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()
    assert client.get("/healthz").status_code == 200  # the index is open and was whole
    stored = max(live_path(index_dir).glob("*_stored.col"), key=lambda p: p.stat().st_size)
    data = bytearray(stored.read_bytes())
    third = len(data) // 3
    data[third:-third] = bytes(len(data) - 2 * third)
    stored.write_bytes(bytes(data))
    statuses = {client.get("/api/search", query_string={"q": q}).status_code for q in ("共同富裕", "乡村振兴", "发展")}
    assert statuses <= {200, 503} and 503 in statuses
