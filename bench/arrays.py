"""The suffix array's encoding, measured: 16-bit symbols of a dense alphabet against UTF-8 bytes.

Both are built with libdivsufsort (pydivsufsort) over the same text — the matching text of the first ``--items``
xwlb items, one segment — and both answer the same lookups by binary search; the totals are checked equal.

    python bench/arrays.py --items 5000
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from bisect import bisect_left, bisect_right
from pathlib import Path

import numpy as np
from pydivsufsort import divsufsort

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile, sample_queries, xwlb_records
from searcher.analysis import match_lines, normalize
from searcher.arrays import build_field
from searcher.index import document, match_texts
from searcher.reading import read_jsonl


def _utf8(texts: list[str]) -> tuple[bytes, np.ndarray, np.ndarray]:
    data = b"".join(("".join(line + "\0" for line in match_lines(t)) if t else "").encode("utf-8") for t in texts)
    raw = np.frombuffer(bytearray(data), dtype=np.uint8)  # writable: ctypes refuses a read-only buffer
    sa = divsufsort(raw)
    sa = sa[raw[sa] != 0]
    return data, sa, np.zeros(0)


def _utf8_count(data: bytes, sa: np.ndarray, term: str) -> int:
    pattern = term.encode("utf-8")
    width = len(pattern)

    def key(position: np.integer) -> bytes:
        return data[int(position) : int(position) + width]

    low = bisect_left(sa, pattern, key=key)
    return bisect_right(sa, pattern, lo=low, key=key) - low


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    records = xwlb_records(args.items)
    articles, _ = read_jsonl("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "x")
    texts = [match_texts(document(a, "k"))[1] for a in articles]
    characters = sum(len(t) for t in texts)
    queries = [normalize(q) for q in sample_queries(records, args.queries)]

    started = time.perf_counter()
    field = build_field(texts)
    dense_s = time.perf_counter() - started
    dense_mb = (field.sym.nbytes + field.sa.nbytes) / 2**20
    started = time.perf_counter()
    data, sa, _ = _utf8(texts)
    utf8_s = time.perf_counter() - started
    utf8_mb = (len(data) + sa.nbytes) / 2**20

    dense_ms, utf8_ms, differ = [], [], 0
    for q in queries:
        started = time.perf_counter()
        dense = len(field.occurrences(q))
        dense_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        plain = _utf8_count(data, sa, q)
        utf8_ms.append((time.perf_counter() - started) * 1000)
        differ += dense != plain

    print(f"### The suffix array's encoding ({args.items:,} items, {characters:,} characters, one segment)\n")
    print("Command: `python bench/arrays.py " + " ".join(sys.argv[1:]) + "`.\n")
    print("| encoding | build s | text + array MB | lookup p50 ms | lookup p95 ms |\n|---|---|---|---|---|")
    for label, build_s, mb, ms in (
        ("16-bit symbols, dense alphabet (kept)", dense_s, dense_mb, dense_ms),
        ("UTF-8 bytes", utf8_s, utf8_mb, utf8_ms),
    ):
        print(f"| {label} | {build_s:.2f} | {mb:.1f} | {percentile(ms, 50):.3f} | {percentile(ms, 95):.3f} |")
    print(f"\n{len(queries)} sampled queries (occurrences counted, not documents); counts differing: {differ}.")


if __name__ == "__main__":
    main()
