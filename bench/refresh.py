"""What a morning update costs a running server: refreshing with the unchanged segments kept, against opening anew.

Builds the first ``--items`` xwlb items (``--procs`` processes, so several segments), warms a service with sample
queries, changes 1 % of the items and runs ``searcher index`` on the file again, then times:

* the refresh of the open service (readers and decoded postings of unchanged segments kept), and the same
  queries after it;
* a new service on the same index (every segment opened and decoded again), and the same queries on it.

Twice: with the changed items the newest 1 % (a morning's corrections: only the last segment's deletions change, so
the others are kept), and with them spread over the whole file (every segment changes; nothing can be kept).
Both services must give the same totals: that is checked, and a difference is printed.

    python bench/refresh.py --items 5000
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT, percentile, sample_queries, xwlb_records, xwlb_subset
from searcher.build import build
from searcher.search import SearchService


def _run(service: SearchService, queries: list[str]) -> tuple[list[float], list[int]]:
    times, totals = [], []
    for text in queries:
        started = time.perf_counter()
        totals.append(service.search(text, literal=True).total)
        times.append((time.perf_counter() - started) * 1000)
    return times, totals


def _figures(times: list[float]) -> str:
    return f"{percentile(times, 50):.2f} | {percentile(times, 95):.2f} | {sum(times):.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()

    source = xwlb_subset(args.items)
    records = xwlb_records(args.items)
    queries = sample_queries(records, args.queries)
    print(f"### A running service after an update ({args.items:,} items, {len(queries)} queries)\n")
    print(f"Command: `python bench/refresh.py --items {args.items}`. Top-10 with facets, result cache off.\n")
    print("| changed | segments | what | open or refresh ms | p50 ms | p95 ms | all queries ms | totals differing |")
    print("|---|---|---|---|---|---|---|---|")
    for name, changed in (
        ("newest 1 %", range(len(records) - len(records) // 100, len(records))),
        ("1 % spread", range(0, len(records), 100)),
    ):
        _scenario(name, source, [dict(r) for r in records], changed, queries, procs=args.procs)


def _scenario(name: str, source: Path, records: list[dict], changed: range, queries: list[str], *, procs: int) -> None:
    data = OUT / "refresh.jsonl"
    shutil.copyfile(source, data)
    index_dir = OUT / "refresh-index"
    shutil.rmtree(index_dir, ignore_errors=True)
    build([data], index_dir, procs=procs)

    with SearchService(index_dir, cache_size=0) as service:
        _run(service, queries)  # warm: every term decoded once
        warm, _ = _run(service, queries)
        for i in changed:
            records[i]["body"] += "（本条已更新）"
        data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
        build([data], index_dir)
        started = time.perf_counter()
        service.refresh()
        refresh_ms = (time.perf_counter() - started) * 1000
        after, totals = _run(service, queries)
        segments = len(list(service._segments))

    started = time.perf_counter()
    with SearchService(index_dir, cache_size=0) as fresh:
        open_ms = (time.perf_counter() - started) * 1000
        anew, fresh_totals = _run(fresh, queries)

    differ = sum(a != b for a, b in zip(totals, fresh_totals, strict=True))
    print(f"| {name} | {segments} | before the update, warm | | {_figures(warm)} | |")
    print(f"| {name} | {segments} | the open service, refreshed | {refresh_ms:.1f} | {_figures(after)} | {differ} |")
    print(f"| {name} | {segments} | a new service | {open_ms:.1f} | {_figures(anew)} | |")


if __name__ == "__main__":
    main()
