"""Shared pieces of the benchmarks: where the corpora are, building a benchmark index, timing, the machine."""

from __future__ import annotations

import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
XWLB = SHARED / "xwlb" / "xwlb.jsonl"
ICWB2 = SHARED / "icwb2"
OUT = ROOT / "bench" / "out"


def require_corpus() -> None:
    """Exit with a clear message when ../shared/corpus is absent (benchmark data is never shipped)."""
    if not XWLB.exists():
        sys.exit(f"benchmarks need {XWLB} (test and benchmark data kept beside the project, never shipped)")


def xwlb_count() -> int:
    require_corpus()
    with XWLB.open(encoding="utf-8") as f:
        return sum(1 for _ in f)


def xwlb_subset(count: int | None) -> Path:
    """Return a copy (in bench/out) of the first ``count`` xwlb items, all of them when ``None``.

    A copy, so that every benchmark indexes the same file under the same name and can edit it (incremental runs).
    """
    require_corpus()
    count = count or xwlb_count()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"xwlb-{count}.jsonl"
    if not path.exists():
        with XWLB.open(encoding="utf-8") as f, path.open("w", encoding="utf-8") as out:
            for _ in range(count):
                out.write(next(f))
    return path


def xwlb_records(count: int | None = None) -> list[dict]:
    require_corpus()
    with XWLB.open(encoding="utf-8") as f:
        lines = f.readlines() if count is None else [next(f) for _ in range(count)]
    return [json.loads(line) for line in lines]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def sample_queries(records: list[dict], count: int, seed: int = 5) -> list[str]:
    """Half words from jieba, half random 1-8 character substrings of bodies (crossing word boundaries)."""
    from searcher.analysis import query_words

    rng = random.Random(seed)
    queries: list[str] = []
    while len(queries) < count:
        body = rng.choice(records)["body"]
        if len(queries) % 2:
            words = [w for w in query_words(body[:400]) if len(w) > 1]
            if words:
                queries.append(rng.choice(words))
        else:
            size = rng.randint(1, 8)
            start = rng.randrange(max(1, len(body) - size))
            piece = "".join(body[start : start + size].split()).replace('"', "")
            if piece and not piece.startswith("-") and piece != "OR":
                queries.append(piece)
    return queries


def git_revision() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], check=False, cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "?"


def now() -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
