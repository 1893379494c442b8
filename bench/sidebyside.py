"""The array path against Whoosh's own collectors, query by query, on a real corpus: equal answers, and their times.

Builds (once, in bench/out) an index of the first N xwlb items given units, series and some missing dates, in
several segments with deleted documents (a parallel build, then an update changing every ninth item), then runs
each sampled query with a random unit filter, date range, sort and page through :func:`searcher.evaluate.run` and
:func:`searcher.reference.collect`, and counts every difference in total, facet counts, page or score offset.

Run: ``.venv/bin/python bench/sidebyside.py [--items 5000] [--queries 1000]`` (part of ``make bench``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from whoosh import query

from bench.common import OUT, percentile, require_corpus, sample_queries, xwlb_records
from searcher import evaluate, reference
from searcher.build import build
from searcher.index import IndexOutdatedError, open_index
from searcher.postings import Segments
from searcher.query import QueryError
from searcher.search import SearchService
from searcher.search.plan import constrained, unit_filter, whoosh_query
from searcher.search.request import parse_query
from searcher.units import UNITS

UNIT_NAMES = sorted(UNITS)[:24]


def corpus_index(items: int) -> Path:
    """Build (or reuse) the units-and-series index of ``items`` xwlb items, in several segments with deletions."""
    folder = OUT / f"sidebyside-{items}"
    index_dir = folder / "index"
    if (index_dir / "current").exists():
        try:
            open_index(index_dir)
            return index_dir
        except IndexOutdatedError:
            pass  # built by an earlier searcher: made again below
    folder.mkdir(parents=True, exist_ok=True)
    records = xwlb_records(items)
    for i, record in enumerate(records):
        if i % 7:
            record["unit"] = UNIT_NAMES[i % len(UNIT_NAMES)]
        record["series"] = "要闻" if i % 3 else "评论"
        if i % 11 == 0:
            record.pop("date", None)
    source = folder / "items.jsonl"

    def write() -> None:
        source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")

    write()
    build([source], index_dir, rebuild=True, procs=2)  # anew each run (an index of an older schema too)
    for record in records[::9]:
        record["body"] += "补充报道。"
    write()
    build([source], index_dir)
    return index_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()
    require_corpus()
    index_dir = corpus_index(args.items)
    service = SearchService(index_dir, cache_size=0)
    searcher = service.refresh()
    segments = Segments(searcher)
    units = list(service.facet_values("unit"))
    rng = random.Random(7)
    texts = sample_queries(xwlb_records(args.items), args.queries, seed=8)
    texts += [f"{a} {b}" for a, b in zip(texts[:100:2], texts[1:100:2], strict=False)]
    texts += [f"{a} -{b}" for a, b in zip(texts[100:200:2], texts[101:200:2], strict=False)]
    texts += [""] * 20
    runs = differences = 0
    new_ms, old_ms = [], []
    examples = []
    for text in texts:
        try:
            parsed, _ = parse_query(text, False)
        except QueryError:
            continue
        base = whoosh_query(parsed) if parsed.groups else query.Every()
        sort = "date" if not parsed.groups or rng.random() < 0.2 else "score"
        series = ["评论"] if rng.random() < 0.1 else []
        q = constrained(base, series, rng.choice(["", "", "", "2016-01-01"]), rng.choice(["", "", "2021-12-31"]))
        chosen = rng.sample(units, rng.choice([0, 0, 0, 1, 2])) if units else []
        page = rng.choice([1, 1, 1, 2, 3])
        options = {"unit_filter": unit_filter(chosen), "start": (page - 1) * 10, "stop": page * 10, "sort": sort}
        started = time.perf_counter()
        new = evaluate.run(segments, q, **options)
        middle = time.perf_counter()
        old = reference.collect(searcher, q, **options)
        new_ms.append((middle - started) * 1000)
        old_ms.append((time.perf_counter() - middle) * 1000)
        runs += 1
        offsets = [o - n for o, n in zip(old.scores, new.scores, strict=False)] if sort == "score" else [0.0]
        same = (
            new.total == old.total
            and new.facets == old.facets
            and new.docnums == old.docnums
            and (not offsets or max(offsets) - min(offsets) < 1e-9)
        )
        if not same:
            differences += 1
            if len(examples) < 5:
                examples.append(f"`{text}` ({sort}, units {chosen}, page {page})")
    segments_count = len(searcher.reader().leaf_readers())
    print(f"### Side by side: the array path against Whoosh's collectors ({args.items:,} items)\n")
    print(
        f"`python bench/sidebyside.py --items {args.items} --queries {args.queries}`: {runs:,} searches (sampled "
        f"queries, pairs, exclusions and browsing, with random unit filters, date ranges, series, sort and page) over "
        f"{args.items:,} xwlb items given units and series, in {segments_count} segments with deleted documents. "
        f"**{differences} differ** in total, unit or date counts, page of results or score offset."
    )
    if examples:
        print("Examples: " + "; ".join(examples) + ".")
    print(
        f"\nTime per search (matching, ranking, facets, one page of document numbers; no snippets), first pass "
        f"with an empty postings cache: array path p50 {percentile(new_ms, 50):.2f} ms, p95 "
        f"{percentile(new_ms, 95):.2f} ms; Whoosh's collectors p50 {percentile(old_ms, 50):.2f} ms, p95 "
        f"{percentile(old_ms, 95):.2f} ms."
    )
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
