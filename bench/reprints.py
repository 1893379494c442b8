"""Reprint grouping on the xwlb corpus: its cost, what it groups, and how it does on reprints and twins made from it.

* The corpus as it is: 24,100 news items from one programme, so no true reprints, but hundreds of yearly and daily
  templates (新年贺词, 本台明天将直播…, 李强举行仪式欢迎…) whose texts share 60–95 % of their shingles. Every story
  grouped here is printed with its headlines, to be read.
* Reprints made from it: for a sample of items, a copy as another paper prints it — a new dateline and reporter,
  the last paragraph cut, or one character corrected, dated a few days later. Each should join its original.
* Twins made from it: a copy with one figure changed past the lead (another year's meeting, another count). None
  should.

Run: ``.venv/bin/python bench/reprints.py [--items N] [--sample 300]``; prints a Markdown section.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import xwlb_records
from searcher import reprints
from searcher.forked import forked_map

_DIGIT = re.compile(r"\d+")


def _reprinted(body: str, rng: random.Random) -> str | None:
    lines = body.split("\n")
    kind = rng.choice(["dateline", "cut", "typo"])
    if kind == "dateline":
        first = re.sub(r"^[^：:]{0,20}[：:]", "", lines[0])
        return "\n".join([f"本报讯（记者 林晓）{first}", *lines[1:]])
    if kind == "cut" and len(lines) > 3:
        return "\n".join(lines[:-1])
    at = rng.randrange(len(body) // 2, len(body))
    if "\u4e00" <= body[at] <= "\u9fff" and not reprints._FIGURE.match(body[at]):
        return body[:at] + "的" + body[at + 1 :]
    return None


def _twin(body: str) -> str | None:
    lines = body.split("\n")
    past_lead = "\n".join(lines[1:])
    found = _DIGIT.search(past_lead)
    if len(lines) < 2 or not found:
        return None
    changed = past_lead[: found.start()] + str(int(found.group()) + 1) + past_lead[found.end() :]
    return "\n".join([lines[0], changed])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=None)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--procs", type=int, default=2)
    args = parser.parse_args()
    records = xwlb_records(args.items)
    articles = [reprints.Printing(r["id"], r.get("date", ""), r["body"], "") for r in records]
    titles = {r["id"]: r["title"] for r in records}
    started = time.perf_counter()
    found = forked_map(reprints.signature, [a.body for a in articles], args.procs, 2000)
    signed = time.perf_counter() - started
    signatures = dict(zip([a.id for a in articles], found, strict=True))
    started = time.perf_counter()
    stories = reprints.find_stories(articles, signatures)
    grouped = time.perf_counter() - started

    rng = random.Random(2026)
    long_enough = [a for a in articles if len(a.body) >= 200]
    sample = rng.sample(long_enough, min(args.sample, len(long_enough)))
    made, twins = [], []
    for a in sample:
        copy = _reprinted(a.body, rng)
        if copy:
            made.append((a, reprints.Printing(a.id + "-reprint", a.date, copy, "")))
        twin = _twin(a.body)
        if twin:
            twins.append((a, reprints.Printing(a.id + "-twin", a.date, twin, "")))
    extra = [copy for _, copy in made] + [twin for _, twin in twins]
    signatures.update({a.id: reprints.signature(a.body) for a in extra})
    story_of = {i: n for n, ids in enumerate(reprints.find_stories(articles + extra, signatures)) for i in ids}
    joined = sum(story_of.get(a.id, -1) == story_of.get(copy.id, -2) for a, copy in made)
    folded = sum(story_of.get(a.id, -1) == story_of.get(twin.id, -2) for a, twin in twins)

    print(f"### Reprints ({len(articles):,} xwlb items)\n")
    print(
        f"Command: `python bench/reprints.py --items {len(articles)}`. MinHash ({reprints.NUM_PERM} permutations, "
        f"{reprints.SHINGLE}-character shingles) of every body on {args.procs} processes: **{signed:.1f} s**; "
        f"LSH (threshold {reprints.CANDIDATE}) and the check of each candidate pair: **{grouped:.1f} s**.\n"
    )
    print("| measure | value |\n|---|---|")
    print(f"| stories of two printings or more in the corpus | {len(stories)} |")
    print(f"| reprints made from it (new dateline, last paragraph cut, or a character corrected) that joined "
          f"their original | {joined} / {len(made)} |")  # fmt: skip
    print(f"| twins made from it (one figure changed past the lead) folded in | {folded} / {len(twins)} |")
    for story in stories[:10]:
        print(f"\nGrouped: {' / '.join(f'{i} {titles[i][:30]}' for i in story)}")


if __name__ == "__main__":
    main()
