"""Which ranking orders results better: BM25F over jieba's words, BM25 over the typed strings' suffix-array counts,
or both added — measured by known-item search on the xwlb corpus, with each one's cost on a term's first sight.

Known-item search: an article is drawn, a query made from it, and the rank of that article among the results read
(mean reciprocal rank, and how often it comes first). Three kinds of query, as staff type them:

* *title*: the whole headline, as pasted;
* *span*: 6–12 characters cut from the headline (a remembered phrase, often cutting words in two);
* *keywords*: the body's three most characteristic words (``jieba.analyse.extract_tags``), space-separated — a
  topic search where the article is one good answer among several.

Every ranking orders the same matching set (matching is exact, whatever the ranking), so only the order differs.
Timing: each ranking's queries run once through a fresh service (every term's first sight), then again.

Run: ``.venv/bin/python bench/ranking.py [--items N] [--known 300]``; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from bench.common import OUT, xwlb_count, xwlb_subset
from searcher import evaluate
from searcher.build import build
from searcher.index import IndexOutdatedError
from searcher.query import QueryError
from searcher.reading import read_jsonl
from searcher.search import SearchService
from searcher.search.plan import RANKINGS, constrained, whoosh_query
from searcher.search.request import request

KINDS = ("title", "span", "keywords")


def queries_for(articles, rng: random.Random, count: int) -> dict[str, list[tuple[str, str]]]:
    """``kind → [(query, article id)]`` for ``count`` articles whose headline no other article has."""
    import jieba.analyse

    titles: dict[str, int] = {}
    for a in articles:
        titles[a.title] = titles.get(a.title, 0) + 1
    unique = [a for a in articles if titles[a.title] == 1 and len(a.title) >= 6 and '"' not in a.title]
    sample = rng.sample(unique, min(count, len(unique)))
    found: dict[str, list[tuple[str, str]]] = {kind: [] for kind in KINDS}
    for a in sample:
        found["title"].append((a.title, a.id))
        size = rng.randint(6, min(12, len(a.title)))
        start = rng.randrange(len(a.title) - size + 1)
        found["span"].append((a.title[start : start + size].strip(), a.id))
        tags = jieba.analyse.extract_tags(a.body, topK=3)
        if len(tags) == 3:
            found["keywords"].append((" ".join(tags), a.id))
    return found


def ranked(service: SearchService, text: str, ranking: str, limit: int = 50) -> list[str]:
    """The ids of the first ``limit`` results of ``text`` under ``ranking`` (the service's own parse and plan)."""
    try:
        wanted = request(text, (), "", False, (), "", "")
    except QueryError:  # a span such as "-19疫情" is only an exclusion: the user gets a message, not a hit
        return []
    if not wanted.parsed.groups:
        return []
    searcher = service.refresh()
    q = constrained(whoosh_query(wanted.parsed, ranking), (), "", "")
    # The service's segments (its reader as arrays): what its search runs on, here with another ranking.
    outcome = evaluate.run(service._segments, q, stop=limit, facets=("unit", "year"), filtered_facets=("date",))
    return [searcher.stored_fields(n)["id"] for n in outcome.docnums]


def measure(index_dir: Path, queries: dict[str, list[tuple[str, str]]], ranking: str) -> dict:
    service = SearchService(index_dir, cache_size=0)
    result: dict = {}
    for passage in ("first", "again"):
        timings = []
        for kind in KINDS:
            reciprocal = first = 0.0
            for text, wanted in queries[kind]:
                started = time.perf_counter()
                ids = ranked(service, text, ranking)
                timings.append((time.perf_counter() - started) * 1000)
                rank = ids.index(wanted) + 1 if wanted in ids else None
                if rank:
                    reciprocal += 1 / rank
                    first += rank == 1
            result[kind] = (reciprocal / len(queries[kind]), first / len(queries[kind]))
        result[passage] = np.percentile(timings, [50, 95]).tolist()
    service.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=None, help="first N xwlb items (default: all)")
    parser.add_argument("--known", type=int, default=300)
    parser.add_argument("--procs", type=int, default=2)
    args = parser.parse_args()
    source = xwlb_subset(args.items)
    index_dir = OUT / f"index-{args.items or xwlb_count()}"  # the index bench/run.py builds, reused when current
    try:
        build([source], index_dir, procs=args.procs)
    except IndexOutdatedError:  # built by an earlier searcher: build it again
        build([source], index_dir, rebuild=True, procs=args.procs)
    articles, _ = read_jsonl(source.read_text("utf-8"), str(source))
    queries = queries_for(articles, random.Random(2026), args.known)
    rows = {ranking: measure(index_dir, queries, ranking) for ranking in RANKINGS}
    print(f"### Ranking on xwlb ({len(articles):,} items, {args.known} articles drawn)\n")
    counts = ", ".join(f"{kind} {len(queries[kind])}" for kind in KINDS)
    print(f"Queries: {counts}. MRR / success@1 per kind; ms per query over all kinds, first sight and again.\n")
    print("| ranking | " + " | ".join(KINDS) + " | first p50 / p95 ms | again p50 / p95 ms |")
    print("|---" * (len(KINDS) + 3) + "|")
    for ranking, r in rows.items():
        cells = [f"{r[kind][0]:.3f} / {r[kind][1]:.0%}" for kind in KINDS]
        times = [f"{r[p][0]:.1f} / {r[p][1]:.1f}" for p in ("first", "again")]
        print(f"| {ranking} | " + " | ".join(cells + times) + " |")


if __name__ == "__main__":
    main()
