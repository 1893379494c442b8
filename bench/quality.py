"""Search quality on the xwlb corpus: verbatim recall/precision against brute force, known-item search, jieba F1.

Run: ``.venv/bin/python bench/quality.py [--items N]`` (default: all 24,100 items). Prints a Markdown table; ``make
bench`` copies it into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ICWB2, OUT, xwlb_count, xwlb_subset
from searcher.analysis import normalize
from searcher.build import build
from searcher.query import parse
from searcher.reading import read_jsonl
from searcher.search import SearchService

LINE_BREAK = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def _lines(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", line) for line in LINE_BREAK.split(normalize(text))]


class BruteForce:
    """The matching contract by scanning: a term matches when it occurs in a normalized field's line."""

    def __init__(self, articles) -> None:
        self.docs = [(a.id, "\n".join(_lines(a.title)), "\n".join(_lines(a.byline + "\n" + a.body))) for a in articles]

    def ids(self, text: str) -> set[str]:
        parsed = parse(text)

        def has(doc, term) -> bool:
            _, title, rest = doc
            return term.text in title or (not term.title_only and term.text in rest)

        return {
            doc[0]
            for doc in self.docs
            if all(any(has(doc, t) for t in group) for group in parsed.groups)
            and not any(has(doc, t) for t in parsed.excluded)
        }


def verbatim(service: SearchService, articles, rng: random.Random, singles: int, pairs: int) -> dict:
    brute = BruteForce(articles)
    bodies = [a.body for a in articles]

    def piece() -> str:
        while True:
            body = rng.choice(bodies)
            size = rng.randint(1, 8)
            start = rng.randrange(max(1, len(body) - size))
            text = "".join(body[start : start + size].split()).replace('"', "")
            if text and not text.startswith("-") and text != "OR":
                return text

    queries = [piece() for _ in range(singles)] + [f"{piece()} {piece()}" for _ in range(pairs)]
    expected_total = found_total = true_positive = 0
    misses: list[str] = []
    started = time.perf_counter()
    for text in queries:
        expected = brute.ids(text)
        found = service.matching_ids(text, literal=True)  # verbatim: what was typed, no expansion
        expected_total += len(expected)
        found_total += len(found)
        true_positive += len(expected & found)
        if expected != found:
            misses.append(text)
    return {
        "queries": len(queries),
        "recall": true_positive / expected_total if expected_total else 1.0,
        "precision": true_positive / found_total if found_total else 1.0,
        "queries_differing": len(misses),
        "examples": misses[:5],
        "seconds": time.perf_counter() - started,
    }


def known_item(service: SearchService, articles, rng: random.Random, count: int) -> dict:
    titles: dict[str, int] = {}
    for a in articles:
        titles[a.title] = titles.get(a.title, 0) + 1
    unique = [a for a in articles if titles[a.title] == 1 and len(a.title) >= 6 and '"' not in a.title]
    sample = rng.sample(unique, min(count, len(unique)))
    results = {}
    for mode in ("title", "span"):
        reciprocal, first = 0.0, 0
        for a in sample:
            text = a.title
            if mode == "span":
                size = rng.randint(6, min(12, len(text)))
                start = rng.randrange(len(text) - size + 1)
                text = text[start : start + size].strip()
            hits = service.search(text, per_page=50).hits
            rank = next((i for i, h in enumerate(hits, 1) if h.id == a.id), None)
            if rank:
                reciprocal += 1 / rank
                first += rank == 1
        results[mode] = {"articles": len(sample), "mrr": reciprocal / len(sample), "success@1": first / len(sample)}
    return results


def _spans(words: list[str]) -> set[tuple[int, int]]:
    spans, at = set(), 0
    for w in words:
        spans.add((at, at + len(w)))
        at += len(w)
    return spans


def segmentation() -> dict:
    """jieba F1 on the SIGHAN 2005 PKU and MSR test sets, with and without the shipped dictionary."""
    import jieba

    import searcher.analysis  # noqa: F401 - loads the user dictionary into jieba's default tokenizer

    plain = jieba.Tokenizer()
    results = {}
    for corpus in ("pku", "msr"):
        raw = (ICWB2 / f"{corpus}_test.utf8").read_text("utf-8").splitlines()
        gold_words = (ICWB2 / f"{corpus}_test_gold.utf8").read_text("utf-8").split()
        gold = _spans(gold_words)
        for name, tokenizer in (("jieba", plain), ("jieba + searcher dictionary", jieba.dt)):
            words = [w for line in raw for w in tokenizer.cut("".join(line.split())) if w.strip()]
            found = _spans(words)
            tp = len(gold & found)
            p, r = tp / len(found), tp / len(gold)
            results[(corpus, name)] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=None, help="first N xwlb items (default: all)")
    parser.add_argument("--singles", type=int, default=600)
    parser.add_argument("--pairs", type=int, default=150)
    parser.add_argument("--known", type=int, default=300)
    parser.add_argument("--procs", type=int, default=2)
    args = parser.parse_args()

    source = xwlb_subset(args.items)
    index_dir = OUT / f"index-{args.items or xwlb_count()}"  # the index bench/run.py builds, reused when current
    started = time.perf_counter()
    report = build([source], index_dir, procs=args.procs)
    print(f"index: {report.summary()} (build {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    articles, _ = read_jsonl(source.read_text("utf-8"), str(source))
    service = SearchService(index_dir)
    rng = random.Random(2026)

    v = verbatim(service, articles, rng, args.singles, args.pairs)
    k = known_item(service, articles, rng, args.known)
    s = segmentation()

    print(f"### Quality on xwlb ({len(articles):,} items)\n")
    print("| measure | value |\n|---|---|")
    print(f"| verbatim queries (1–8 chars + two-term) | {v['queries']} |")
    print(f"| verbatim recall | {v['recall']:.2%} |")
    print(f"| verbatim precision | {v['precision']:.2%} |")
    print(f"| queries whose result set differs from brute force | {v['queries_differing']} {v['examples']} |")
    for mode, label in (("title", "whole title"), ("span", "6–12-char span of the title")):
        r = k[mode]
        print(f"| known-item MRR, {label} ({r['articles']} articles) | {r['mrr']:.3f} |")
        print(f"| known-item success@1, {label} | {r['success@1']:.2%} |")
    print("\n| segmentation (SIGHAN 2005) | P | R | F1 |\n|---|---|---|---|")
    for (corpus, name), r in s.items():
        print(f"| {corpus.upper()} {name} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} |")


if __name__ == "__main__":
    main()
