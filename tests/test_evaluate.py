"""The array path answers exactly as Whoosh's own collectors do: same totals, facet counts and pages.

Each corpus is indexed in several segments with deleted documents (a parallel build, then an update that changes
some articles), because that is where document numbers, global statistics and deletions can go wrong.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import query

from searcher import evaluate, reference
from searcher.build import build
from searcher.postings import Segments
from searcher.query import QueryError
from searcher.search import SearchService
from searcher.search.plan import RANKINGS, constrained, unit_filter, whoosh_query
from searcher.search.request import parse_query
from tests.conftest import PAGE, ROOT, write_jsonl, xwlb_lines

UNITS = ["区发改局", "石梁镇", "区卫健局", "区教育局", "东湖街道", "区住建局"]


def _with_units(lines: list[str]) -> list[dict]:
    """xwlb items given units, series and a few missing dates, so that filters and facets have work to do."""
    records = []
    for i, line in enumerate(lines):
        record = json.loads(line)
        if i % 7:
            record["unit"] = UNITS[i % len(UNITS)]
        record["series"] = "要闻" if i % 3 else "评论"
        if i % 11 == 0:
            record.pop("date", None)
        records.append(record)
    return records


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


@pytest.fixture(scope="module", params=["pages", "xwlb"])
def corpus(request, tmp_path_factory):
    """An index in several segments, with deletions; yields the service and the texts queries are drawn from."""
    folder = tmp_path_factory.mktemp(f"evaluate-{request.param}")
    index_dir = folder / "index"
    if request.param == "pages":
        pages = folder / "pages"
        pages.mkdir()
        paths = [PAGE, *sorted((ROOT / "tests" / "pages").glob("*.txt"))]
        for path in paths[: len(paths) // 2]:
            shutil.copy(path, pages)
        build([pages], index_dir, procs=2)
        for path in paths[len(paths) // 2 :]:
            shutil.copy(path, pages)
        build([pages], index_dir)  # the second half lands in another segment
        (pages / PAGE.name).unlink()
        build([pages], index_dir)  # the bundled page's articles are deleted
    else:
        records = _with_units(xwlb_lines(400))
        source = _write(folder / "items.jsonl", records)
        build([source], index_dir, procs=2)
        for record in records[::9]:
            record["body"] += "补充报道。"
        _write(source, records)
        build([source], index_dir)  # changed items: deleted where they were, added in a new segment
    service = SearchService(index_dir, cache_size=0)
    searcher = service.refresh()
    assert len(searcher.reader().leaf_readers()) >= 2
    assert searcher.reader().has_deletions()
    texts = [searcher.stored_fields(n).get("body", "") for n in range(searcher.doc_count_all())]
    yield service, [t for t in texts if t]
    service.close()


def _queries(rng: random.Random, texts: list[str], count: int) -> list[str]:
    """Substrings of the articles (crossing word boundaries), pairs, exclusions, alternatives, and the empty query."""
    pieces = []
    while len(pieces) < count:
        text = rng.choice(texts)
        size = rng.randint(1, 6)
        start = rng.randrange(max(1, len(text) - size))
        piece = "".join(text[start : start + size].split()).strip("\"'-")
        if piece:
            pieces.append(piece)
    queries = pieces[: count // 2]
    rest = pieces[count // 2 :]
    queries += [f"{a} {b}" for a, b in zip(rest[::4], rest[1::4], strict=False)]
    queries += [f"{a} -{b}" for a, b in zip(rest[2::4], rest[3::4], strict=False)]
    queries += [f"{a} 或 {b}" for a, b in zip(rest[1::4], rest[2::4], strict=False)]
    return [*queries, "", ""]


def _keyword_queries(rng: random.Random, texts: list[str], count: int) -> Iterator[tuple[str, query.Query]]:
    """The queries of :func:`_queries` that look for something, with their Whoosh query trees."""
    for text in _queries(rng, texts, count):
        try:
            parsed, _ = parse_query(text, False)
        except QueryError:
            continue
        if parsed.groups:
            yield text, whoosh_query(parsed)


@pytest.mark.parametrize("ranking", RANKINGS)
def test_the_array_path_answers_as_whoosh_does(corpus, ranking):
    service, texts = corpus
    searcher = service.refresh()
    segments = Segments(searcher)
    units = [u for u in service.facet_values("unit")]
    series = list(service.facet_values("series"))
    rng = random.Random(10)
    compared = 0
    for text in _queries(rng, texts, 180):
        try:
            parsed, _ = parse_query(text, False)
        except QueryError:
            continue
        for sort in ("score", "date"):
            base = whoosh_query(parsed, ranking) if parsed.groups else query.Every()
            chosen_series = rng.sample(series, 1) if series and rng.random() < 0.2 else []
            date_from = rng.choice(["", "", "2018-01-01", "2022-01-05"])
            date_to = rng.choice(["", "", "2022-06-30"])
            q = constrained(base, chosen_series, date_from, date_to)
            chosen_units = rng.sample(units, min(len(units), rng.choice([0, 0, 1, 2])))
            page = rng.choice([1, 1, 2, 4])
            options = {
                "unit_filter": unit_filter(chosen_units),
                "start": (page - 1) * 10,
                "stop": page * 10,
                "sort": sort,
            }
            new = evaluate.run(segments, q, **options)
            old = reference.collect(searcher, q, **options)
            where = (text, sort, chosen_units, chosen_series, date_from, date_to, page)
            assert not old.timed_out, where
            assert new.total == old.total, where
            assert new.facets == old.facets, where
            assert new.docnums == old.docnums, where
            if sort == "score" and new.docnums:
                # Whoosh scores ConstantScoreQuery(q, 0.0) as 1.0 (see searcher.reference): the same constant on
                # every document, so the scores differ by one constant and the order not at all.
                offsets = [o - n for o, n in zip(old.scores, new.scores, strict=True)]
                assert max(offsets) - min(offsets) < 1e-9, where
            compared += 1
    assert compared > 300


def test_matching_documents_are_those_whoosh_matches(corpus):
    service, texts = corpus
    searcher = service.refresh()
    segments = Segments(searcher)
    for text, q in _keyword_queries(random.Random(11), texts, 60):
        assert evaluate.matching_docnums(segments, q) == sorted(searcher.docs_for_query(q)), text
        assert evaluate.count(segments, q, limit=1) == min(1, len(evaluate.matching_docnums(segments, q))), text


def test_decoded_postings_stay_within_their_budget(corpus):
    service, texts = corpus
    segments = Segments(service.refresh(), cache_bytes=64 * 1024)
    for _, q in _keyword_queries(random.Random(12), texts, 40):
        evaluate.run(segments, q)
    assert 0 < segments.cache.bytes <= 64 * 1024


def test_an_excluded_term_excludes_the_first_match_too(tmp_path):
    # Whoosh's AndNotMatcher kept the first matching article when the excluded word occurred in an earlier one:
    # searcher's old path returned 第二篇 for 来 -们.
    source = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"id": "a-1", "title": "第一篇", "body": "我们的会。"},
            {"id": "a-2", "title": "第二篇", "body": "他们来了。"},
            {"id": "a-3", "title": "第三篇", "body": "客人来了。"},
        ],
    )
    build([source], tmp_path / "index")
    with SearchService(tmp_path / "index") as service:
        assert [h.id for h in service.search("来 -们").hits] == ["a-3"]
        assert service.matching_ids("来 -们") == {"a-3"}


def test_past_its_time_limit_a_search_keeps_every_match_and_says_so(corpus):
    service, _ = corpus
    segments = Segments(service.refresh())
    parsed, _ = parse_query("的 是", False)
    q = whoosh_query(parsed)
    full = evaluate.run(segments, q, time_limit=60)
    cut = evaluate.run(segments, q, time_limit=1e-9)  # the deadline has passed before the ranking starts
    assert not full.timed_out and cut.timed_out
    assert (cut.total, cut.facets) == (full.total, full.facets)
    assert set(cut.docnums) <= set(evaluate.matching_docnums(segments, q))
