"""Serving figures for one built index: first answer, latency in process and over HTTP, throughput, memory.

Run: ``.venv/bin/python bench/serving.py INDEX_DIR [--seconds S]``. Prints a Markdown section (bench/run.py measures
the same things as part of ``make bench``). ``--grid`` instead measures uncached throughput for several gunicorn
workers × threads settings, to choose ``searcher serve``'s defaults.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import sample_queries, xwlb_records
from bench.run import Server, http_queries, in_process_queries, throughput

GRID = ((1, 1), (2, 1), (2, 2), (3, 1), (4, 1), (2, 4))


def grid(index_dir: str, queries: list[str], seconds: float) -> None:
    """Uncached throughput (4 clients, driven from another process) for each workers × threads setting."""
    print("| workers × threads | searches/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|")
    for workers, threads in GRID:
        server = Server(index_dir, cache=False, workers=workers, threads=threads)
        load = throughput(server, queries, seconds)
        server.stop()
        print(f"| {workers} × {threads} | {load['searches_per_s']:.0f} | {load['p50']:.1f} | {load['p99']:.1f} | "
              f"{load['errors']} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("index_dir")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--grid", action="store_true", help="workers × threads, result cache off")
    args = parser.parse_args()
    queries = sample_queries(xwlb_records(5000), 200)
    if args.grid:
        grid(args.index_dir, queries, args.seconds)
        return
    local = in_process_queries(args.index_dir, queries, passes=2)[-1]
    server = Server(args.index_dir)
    first = server.first_answer_s
    http = http_queries(server, queries, passes=3)[-1]
    load = throughput(server, queries, args.seconds)
    memory = {kind: server.worker_memory_mb(kind) for kind in ("Rss", "Pss", "Anonymous")}
    server.stop()
    uncached_server = Server(args.index_dir, cache=False)
    uncached = throughput(uncached_server, queries, args.seconds)
    uncached_server.stop()
    print(f"| first answer after `searcher serve` starts | {first:.2f} s |")
    print(f"| in process p50 / p95 / p99 | {local[50]:.1f} / {local[95]:.1f} / {local[99]:.1f} ms |")
    print(f"| HTTP p50 / p95 / p99 | {http[50]:.1f} / {http[95]:.1f} / {http[99]:.1f} ms |")
    print(f"| throughput, result cache on ({args.seconds:.0f} s, 4 clients) | {load['searches_per_s']:.0f}/s, "
          f"p99 {load['p99']:.0f} ms, {load['errors']} errors |")  # fmt: skip
    print(f"| throughput, result cache off | {uncached['searches_per_s']:.0f}/s, p99 {uncached['p99']:.0f} ms, "
          f"{uncached['errors']} errors |")  # fmt: skip
    print(
        "| worker memory after the runs: RSS / PSS / anonymous | "
        + ", ".join(f"{r:.0f} / {p:.0f} / {a:.0f} MB" for r, p, a in zip(*memory.values(), strict=True))
        + " |"
    )


if __name__ == "__main__":
    main()
