"""A service that stays open while the index changes under it, as an office runs searcher: gunicorn all day,
`searcher index` from cron each morning.

After each change — an update that changes articles, one that deletes a vanished file's articles, a rebuild, a
build killed with SIGKILL — one long-lived in-process service and one real server (2 workers) must show what a new
process shows: the same total, unit and year counts, the same export, and every article exactly once.
"""

from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

from searcher.build import build
from searcher.search import SearchService
from tests.conftest import serving, write_jsonl

CLI = str(Path(sys.executable).with_name("searcher"))
UNITS = ("石梁镇", "区发改局", "区卫健局")


def _records(prefix: str, n: int, edition: str = "", changed: range = range(0)) -> list[dict]:
    """``n`` articles, each with its own marker word; those in ``changed`` carry the edition in their body."""
    return [
        {
            "id": f"{prefix}-{i}",
            "title": f"第{i}篇",
            "body": f"共同富裕的做法。标记{prefix}{i}号" + (f"。{edition}" if i in changed else ""),
            "unit": UNITS[i % 3],
            "date": f"{2023 + i % 3}-0{1 + i % 9}-15",
        }
        for i in range(n)
    ]


class Corpus:
    """The folder being indexed and what a correct index of it holds."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir()
        self.files: dict[str, list[dict]] = {}

    def write(self, name: str, records: list[dict]) -> None:
        self.files[name] = records
        write_jsonl(self.folder / name, records)

    def remove(self, name: str) -> None:
        del self.files[name]
        (self.folder / name).unlink()

    def expected(self) -> dict:
        records = [r for rs in self.files.values() for r in rs]
        return {
            "total": len(records),
            "unit": dict(Counter(r["unit"] for r in records)),
            "year": dict(Counter(r["date"][:4] for r in records)),
            "ids": sorted(r["id"] for r in records),
            "bodies": {r["id"]: r["body"] for r in records},
        }


def _state_of_service(service: SearchService) -> dict:
    result = service.search("共同富裕", per_page=5)
    rows = service.export("共同富裕")
    return {
        "total": result.total,
        "unit": result.facets["unit"],
        "year": result.facets["year"],
        "ids": sorted(row.id for row, _ in rows),
    }


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def _state_of_server(url: str) -> dict:
    query = urllib.parse.urlencode({"q": "共同富裕", "per_page": 5})
    answer = json.loads(_get(f"{url}/api/search?{query}"))
    table = list(csv.reader(io.StringIO(_get(f"{url}/export.csv?{query}").decode("utf-8-sig"))))[1:]
    return {
        "total": answer["total"],
        "unit": answer["facets"]["unit"],
        "year": answer["facets"]["year"],
        "ids": sorted(urllib.parse.unquote(row[6].rsplit("/", 1)[-1]) for row in table),
    }


def _found_once(corpus: Corpus, search) -> None:
    """Every article's own marker finds it and only it, in its current version."""
    expected = corpus.expected()
    for article_id, body in expected["bodies"].items():
        prefix, number = article_id.split("-")
        found = search(f"标记{prefix}{number}号")
        assert found == [article_id], (article_id, found)
        edition = body.rsplit("。", 1)[-1]
        if edition.startswith("版本"):
            assert search(f"标记{prefix}{number}号。{edition}") == [article_id]


def _check(corpus: Corpus, service: SearchService, url: str) -> None:
    expected = corpus.expected()
    wanted = {k: expected[k] for k in ("total", "unit", "year", "ids")}
    assert _state_of_service(service) == wanted
    with SearchService(service.index_dir) as fresh:
        assert _state_of_service(fresh) == wanted
    for _ in range(4):  # the two workers answer in turn, as they please: ask each several times
        assert _state_of_server(url) == wanted
    _found_once(corpus, lambda text: [hit.id for hit in service.search(text, literal=True).hits])

    def over_http(text: str) -> list[str]:
        query = urllib.parse.urlencode({"q": text, "literal": "1"})
        return [hit["id"] for hit in json.loads(_get(f"{url}/api/search?{query}"))["hits"]]

    _found_once(corpus, over_http)


def test_a_running_service_and_server_follow_every_kind_of_change(tmp_path):
    corpus = Corpus(tmp_path / "articles")
    corpus.write("a.jsonl", _records("a", 60))
    corpus.write("b.jsonl", _records("b", 12))
    index_dir = tmp_path / "index"
    build([corpus.folder], index_dir)
    with SearchService(index_dir) as service, serving(index_dir) as url:
        _check(corpus, service, url)

        # An update that changes articles: each is deleted from its segment and added to a new one.
        corpus.write("a.jsonl", _records("a", 60, "版本二", changed=range(0, 60, 4)))
        report = build([corpus.folder], index_dir)
        assert (report.articles, report.unchanged_articles) == (15, 45)  # b.jsonl is an unchanged file, not read again
        _check(corpus, service, url)

        # Again, touching articles that were already changed once (deletions in the new segment too).
        corpus.write("a.jsonl", _records("a", 60, "版本三", changed=range(0, 60, 8)))
        build([corpus.folder], index_dir)
        _check(corpus, service, url)

        # A file gone from the folder: its articles are deleted, nothing is added.
        corpus.remove("b.jsonl")
        report = build([corpus.folder], index_dir)
        assert report.deleted == 12
        _check(corpus, service, url)

        # A rebuild switches the live folder.
        corpus.write("b.jsonl", _records("b", 9))
        build([corpus.folder], index_dir, rebuild=True)
        _check(corpus, service, url)

        # An update killed with SIGKILL: the index is the one before it or after it, never a mix; then the update
        # runs whole.
        before = _state_of_service(service)
        corpus.write("a.jsonl", _records("a", 60, "版本四", changed=range(60)))
        process = subprocess.Popen([CLI, "index", str(corpus.folder), "--index-dir", str(index_dir)])
        time.sleep(1.0)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert _state_of_service(service) == before  # the same articles, whichever version
        assert service.search("版本四").total in (0, 60)
        with SearchService(index_dir) as fresh:
            assert service.search("版本四").total == fresh.search("版本四").total
        build([corpus.folder], index_dir)
        _check(corpus, service, url)
        assert service.search("版本四").total == 60


def test_searches_during_a_commit_see_the_index_before_or_after_it(tmp_path):
    """Several threads search one service while an update replaces half the articles: each answer is whole."""
    corpus = Corpus(tmp_path / "articles")
    corpus.write("a.jsonl", _records("a", 400))
    index_dir = tmp_path / "index"
    build([corpus.folder], index_dir)
    answers: list[tuple[int, int, int]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    with SearchService(index_dir, cache_size=0) as service:

        def search() -> None:
            while not stop.is_set():
                try:
                    result = service.search("共同富裕", per_page=1)
                    new = service.search("版本二", per_page=1)
                    # Two searches are two moments; one search's total and facets are one moment.
                    answers.append((result.total, sum(result.facets["unit"].values()), new.total))
                except BaseException as error:  # any failure fails the test below
                    errors.append(error)
                    return

        threads = [threading.Thread(target=search) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(0.3)
        for edition in ("版本二", "版本三", "版本二"):
            corpus.write("a.jsonl", _records("a", 400, edition, changed=range(0, 400, 2)))
            build([corpus.folder], index_dir)
            time.sleep(0.3)
        stop.set()
        for thread in threads:
            thread.join()
    assert not errors
    assert len(answers) > 20
    assert {(total, facet_sum) for total, facet_sum, _ in answers} == {(400, 400)}
    assert {new for _, _, new in answers} <= {0, 200}
    assert 200 in {new for _, _, new in answers}
