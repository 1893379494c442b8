"""What the recall guarantee costs: the same items indexed with and without the character fields.

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
from searcher.index import SCHEMA, DurableStorage, document
from searcher.reading import read_jsonl

CHAR_FIELDS = ("title_uni", "title_bi", "text_uni", "text_bi")


def _build(docs: list[dict], folder: Path) -> tuple[float, float]:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    ix = DurableStorage(str(folder)).create_index(SCHEMA)
    writer = ix.writer(limitmb=512)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    seconds = time.perf_counter() - started
    return seconds, sum(f.stat().st_size for f in folder.iterdir()) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=2000)
    args = parser.parse_args()
    source = xwlb_subset(args.items)
    articles, _ = read_jsonl(source.read_text("utf-8"), str(source))
    full = [document(a, "k") for a in articles]
    words_only = [{k: v for k, v in d.items() if k not in CHAR_FIELDS} for d in full]
    with_chars = _build(full, OUT / "recall-cost-full")
    without = _build(words_only, OUT / "recall-cost-words")
    print(f"### What the recall fields cost ({len(articles):,} items, one process)\n")
    print("| index | build s | size MB |\n|---|---|---|")
    print(f"| words only (jieba; misses strings cut differently) | {without[0]:.1f} | {without[1]:.1f} |")
    print(f"| words + character unigrams and bigrams (exact matching) | {with_chars[0]:.1f} | {with_chars[1]:.1f} |")
    print(f"| cost of the character fields | +{with_chars[0] - without[0]:.1f} s (×{with_chars[0] / without[0]:.2f}) "
          f"| +{with_chars[1] - without[1]:.1f} MB (×{with_chars[1] / without[1]:.2f}) |")  # fmt: skip
    print("\nQuery time with them is in the performance tables above: every query is matched on the character "
          "fields and ranked on the word fields.")  # fmt: skip


if __name__ == "__main__":
    main()
