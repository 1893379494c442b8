"""Shared fixtures: the bundled page, an index built from it on disk, the app, and the xwlb corpus when present."""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.analysis import normalize
from searcher.build import build
from searcher.query import ParsedQuery, Term
from searcher.reading import ROLES, Article, Page, read_jsonl, read_paths
from searcher.search import SearchService
from searcher.web import create_app

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "data" / "articles" / "kecheng-yibashou-gongtongfuyu-01.txt"
SHARED = ROOT.parent / "shared"
XWLB = SHARED / "corpus" / "xwlb" / "xwlb.jsonl"
ICWB2 = SHARED / "corpus" / "icwb2"
NO_CORPUS = (
    "../shared/corpus is not here: the xwlb and icwb2 corpora are test data kept beside the project, not shipped"
)


def page_line(number: int) -> str:
    """Return line ``number`` (1-based, as `cat -n` shows it) of the bundled page, stripped."""
    return PAGE.read_text("utf-8").split("\n")[number - 1].strip()


def xwlb_lines(count: int) -> list[str]:
    """Return the first ``count`` lines of the xwlb corpus, or skip the test without it."""
    if not XWLB.exists():
        pytest.skip(NO_CORPUS)
    with XWLB.open(encoding="utf-8") as f:
        return [next(f) for _ in range(count)]


def xwlb_articles(count: int) -> list[Article]:
    articles, problems = read_jsonl("".join(xwlb_lines(count)), "xwlb.jsonl")
    assert problems == []
    return articles


def _lines(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", line) for line in re.split(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]", normalize(text))]


def contains(article: Article, term: Term) -> bool:
    """The matching contract, by brute force: the normalized term occurs in a normalized searchable field.

    Searchable: the title (the headline as printed, or what stands for it), the byline (as fields and as printed),
    the kicker, the subtitle, the body, the captions and the credits; never the page's furniture.
    """
    outside = (
        article.byline,
        article.byline_line,
        article.kicker,
        article.subtitle,
        article.body,
        *article.captions,
        *article.credits,
    )
    fields = [article.title] if term.title_only else [article.title, *outside]
    return any(term.text in line for text in fields for line in _lines(text))


def brute_force(articles: list[Article], parsed: ParsedQuery) -> set[str]:
    """Return the ids of the articles a query must return, found by scanning every article."""
    return {
        a.id
        for a in articles
        if all(any(contains(a, t) for t in group) for group in parsed.groups)
        and not any(contains(a, t) for t in parsed.excluded)
    }


@pytest.fixture(scope="session")
def articles() -> list[Article]:
    result = read_paths([PAGE])
    assert result.problems == []
    return result.articles


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("index")
    report = build([PAGE], path)
    assert report.problems == []
    return path


@pytest.fixture(scope="session")
def service(index_dir: Path) -> SearchService:
    svc = SearchService(index_dir)
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def xwlb_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Article], SearchService]:
    lines = xwlb_lines(400)
    folder = tmp_path_factory.mktemp("xwlb")
    (folder / "xwlb-400.jsonl").write_text("".join(lines), "utf-8")
    path = tmp_path_factory.mktemp("xwlb-index")
    build([folder / "xwlb-400.jsonl", PAGE], path)
    articles = read_jsonl("".join(lines), "xwlb-400.jsonl")[0] + read_paths([PAGE]).articles
    svc = SearchService(path)
    yield articles, svc
    svc.close()


@contextlib.contextmanager
def app_for(index_dir: Path) -> Iterator[object]:
    """Create the app on ``index_dir`` and close its search service (its open index files) when the block ends.

    Left to the garbage collector, the service's files may be finalized before the service itself, which
    ``filterwarnings = error`` turns into a failure of whatever test runs at that moment.
    """
    app = create_app({"INDEX_DIR": str(index_dir), "TESTING": True})
    try:
        yield app
    finally:
        svc = app.extensions.get("searcher")
        if svc is not None:
            svc.close()


@pytest.fixture
def app(index_dir: Path):
    with app_for(index_dir) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(index_dir: Path, workers: int = 2) -> Iterator[str]:
    """Run `searcher serve` (gunicorn) on a free port until the block ends; yield its base URL."""
    port = _free_port()
    cli = Path(sys.executable).with_name("searcher")
    log = index_dir.parent / f"serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(cli), "serve", "--index-dir", str(index_dir), "--port", str(port), "--workers", str(workers)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                    response.read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "searcher serve did not start: " + log.read_text("utf-8", "replace")[-2000:]
                    ) from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def assert_nothing_lost(lines: list[str], page: Page) -> None:
    """The reader's no-loss rule, checked against the records it made, not against its own bookkeeping.

    Every non-blank line of ``lines`` (the text the reader was given, in order) has exactly one entry in
    ``page.lines``, and its text is in the place its role names: a field of its article (headline, kicker, subtitle,
    series, byline; a line holding a byline and a headline or first paragraph is split at the colon), one of the
    article's printed paragraphs, or the page's furniture. Conversely, every printed paragraph of every article is one
    of those lines: nothing is invented, and nothing is counted twice.
    """
    given = [line.strip() for line in lines if line.strip()]
    assert [line.text for line in sorted(page.lines, key=lambda item: item.number)] == given
    paragraphs: dict[int, list[str]] = {}
    several: dict[tuple[int, str], list[str]] = {}  # credits, captions and jumps: several lines each
    for line in page.lines:
        roles = line.roles
        assert roles, f"line {line.number} has no role: {line.text}"
        if roles == ("furniture",):
            assert line.article is None and line.text in page.furniture, line.text
            continue
        article = page.articles[line.article]
        if roles[0] == "byline" and len(roles) == 2:
            assert line.text.startswith(article.byline_line), line.text
            rest = line.text[len(article.byline_line) :].strip()
            if roles[1] == "headline":
                assert article.headline == rest
            else:
                paragraphs.setdefault(line.article, []).append(rest)
            continue
        if roles == ("credit", "headline"):  # a wire dateline and its title: 新华社北京3月14日电 题：…
            dateline = next(c for c in article.credits if line.text.startswith(c))
            several.setdefault((line.article, "credits"), []).append(dateline)
            assert line.text[len(dateline) :].lstrip().lstrip("题題").lstrip(":： ") == article.headline, line.text
            continue
        (role,) = roles
        if ROLES[role] == "paragraphs":
            paragraphs.setdefault(line.article, []).append(line.text)
        elif ROLES[role] in ("credits", "captions", "jumps"):
            several.setdefault((line.article, ROLES[role]), []).append(line.text)
        else:
            assert getattr(article, ROLES[role]) == line.text, (role, line.text)
    for n, article in enumerate(page.articles):
        printed = list(article.printed_paragraphs or article.paragraphs)
        assert sorted(paragraphs.get(n, [])) == sorted(printed), article.id
        for name in ("credits", "captions", "jumps"):
            assert several.get((n, name), []) == list(getattr(article, name)), (article.id, name)
        assert set(article.furniture) <= set(page.furniture)
