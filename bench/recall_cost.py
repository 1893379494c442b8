"""What the recall guarantee costs: the same items indexed with jieba's words only, and with the suffix arrays too.

Run: ``.venv/bin/python bench/recall_cost.py [--items N]`` (default 2,000, one process). Prints a Markdown table;
``make bench`` adds it to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT, xwlb_subset
from searcher import arrays
from searcher.index import SCHEMA, DurableStorage, document, ensure_arrays
from searcher.reading import read_jsonl


def _size(folder: Path, suffix: str = "") -> float:
    return sum(f.stat().st_size for f in folder.iterdir() if f.name.endswith(suffix)) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=2000)
    args = parser.parse_args()
    source = xwlb_subset(args.items)
    articles, _ = read_jsonl(source.read_text("utf-8"), str(source))
    docs = [document(a, "k") for a in articles]
    folder = OUT / "recall-cost"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    ix = DurableStorage(str(folder)).create_index(SCHEMA)
    writer = ix.writer(limitmb=512)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    words = time.perf_counter() - started
    words_mb = _size(folder)
    started = time.perf_counter()
    ensure_arrays(ix)  # from the stored fields, as after an update
    suffix = time.perf_counter() - started
    arrays_mb = _size(folder, ".npy")
    print(f"### What the recall guarantee costs ({len(articles):,} items, one process)\n")
    print("| index | build s | size MB |\n|---|---|---|")
    print(f"| words only (jieba; misses strings cut differently) | {words:.1f} | {words_mb:.1f} |")
    print(f"| + suffix arrays of {', '.join(arrays.FIELDS)} (exact matching) | +{suffix:.1f} | +{arrays_mb:.1f} |")
    print(
        "\nUp to schema 8 exact matching was character unigram and bigram fields, which cost ×2.60 the build time "
        "and ×3.49 the size of words only (BENCHMARKS.md of 2026-12-01)."
    )


if __name__ == "__main__":
    main()
