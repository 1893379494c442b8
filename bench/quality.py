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
from searcher.query import QueryError, parse
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
            # A lone separator (，、；) or "OR"/"或" is not a search: the query language reads it as syntax.
            if text and not text.startswith("-") and parse(text).groups:
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
            try:
                hits = service.search(text, per_page=50).hits
            except QueryError:  # a span such as "-19疫情" is only an exclusion: the user gets a message, not a hit
                hits = []
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


def spelling(index_dir: Path, rng: random.Random, count: int) -> dict:
    """For ``count`` words drawn from the index: does their pinyin, initials or a homophone typo bring them back first?

    A typo replaces one character by another read the same (toneless pinyin), taken from the index's own characters;
    words with no such character are counted apart.
    """
    from pypinyin import lazy_pinyin

    from searcher.index import live_path
    from searcher.spelling import Words, pinyin_of

    words = Words.load(live_path(index_dir))
    chars: dict[str, set[str]] = {}
    for word in words.frequency:
        for char in word:
            chars.setdefault(lazy_pinyin(char)[0], set()).add(char)
    pool = sorted(w for w, n in words.frequency.items() if 2 <= len(w) <= 4 and n >= 2)
    sample = rng.sample(pool, min(count, len(pool)))
    full = initials = typos = tried = 0
    for word in sample:
        reading, letters = pinyin_of(word)
        full += words.read_pinyin(reading)[:1] == [word]
        initials += words.read_pinyin(letters)[:1] == [word]
        i = rng.randrange(len(word))
        others = sorted(chars.get(lazy_pinyin(word[i])[0], set()) - {word[i]})
        if others:
            tried += 1
            typo = word[:i] + rng.choice(others) + word[i + 1 :]
            typos += typo in words.frequency or words.corrections(typo)[:1] == [word]
    return {"words": len(sample), "full": full, "initials": initials, "typos": typos, "tried": tried}


def folding_cost(articles) -> dict:
    """What folding traditional to simplified costs normalization: the same texts through a fresh table, with
    and without the fold (the fold runs once per distinct character; after that both are one str.translate)."""
    from searcher import analysis

    texts = [a.title + "\n" + a.body for a in articles]
    timings = {}
    fold = analysis._fold
    for label, replacement in (("with folding", fold), ("without folding", lambda c: c)):
        analysis._fold = replacement
        table = analysis._NormTable()
        started = time.perf_counter()
        for text in texts:
            text.translate(table)
        timings[label] = time.perf_counter() - started
    analysis._fold = fold
    timings["characters"] = sum(map(len, texts))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=None, help="first N xwlb items (default: all)")
    parser.add_argument("--singles", type=int, default=600)
    parser.add_argument("--pairs", type=int, default=150)
    parser.add_argument("--known", type=int, default=300)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--words", type=int, default=300, help="words drawn for the pinyin and typo measures")
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
    p = spelling(index_dir, rng, args.words)
    f = folding_cost(articles)

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
    print(f"| words drawn from the index for pinyin and typos | {p['words']} |")
    print(f"| full pinyin (gongtongfuyu) reads as the word first | {p['full'] / p['words']:.2%} |")
    print(f"| initials (gtfy) read as the word first | {p['initials'] / p['words']:.2%} |")
    print(
        f"| one-character homophone typo brings the word back first | {p['typos'] / max(1, p['tried']):.2%} "
        f"(of {p['tried']} with a homophone character in the index) |"
    )
    print(
        f"| normalizing {f['characters']:,} characters, with / without traditional→simplified folding | "
        f"{f['with folding'] * 1000:.0f} / {f['without folding'] * 1000:.0f} ms |"
    )
    print("\n| segmentation (SIGHAN 2005) | P | R | F1 |\n|---|---|---|---|")
    for (corpus, name), r in s.items():
        print(f"| {corpus.upper()} {name} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} |")


if __name__ == "__main__":
    main()
