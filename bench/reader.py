"""What the reader makes of a set of pages: pages, articles, lines, lines lost (must be 0), and its notices.

Usage: ``python bench/reader.py [PATH ...]`` (default: the bundled page and the test pages). Prints one line per
file and a total; "lost" counts the non-blank input lines that have no place in the records, checked the same way
as the tests do (:func:`tests.conftest.assert_nothing_lost`).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import assert_nothing_lost  # noqa: E402

from searcher.reading import expand, read_structure  # noqa: E402


def main(argv: list[str]) -> None:
    paths = argv or [str(ROOT / "data" / "articles"), str(ROOT / "tests" / "pages")]
    files, problems = expand(paths)
    totals: Counter[str] = Counter()
    doubts: Counter[str] = Counter()
    for path in files:
        if path.suffix.lower() == ".jsonl":
            continue
        page = read_structure(path, path.read_bytes())
        lost = 0
        if path.suffix.lower() == ".txt":
            try:
                assert_nothing_lost(path.read_text("utf-8", "replace").split("\n"), page)
            except AssertionError:
                lost = 1
        kinds = Counter(a.kind for a in page.articles)
        totals.update(pages=1 + max((line.page for line in page.lines), default=0), articles=len(page.articles))
        totals.update(lines=len(page.lines), lost=lost, notices=len(page.notices))
        for notice in page.notices:
            doubts[notice.message.split(":")[0]] += 1
        print(
            f"{path.name}: {len(page.articles)} articles {dict(kinds)}, {len(page.lines)} lines, "
            f"{len(page.furniture)} furniture, {len(page.notices)} notices, lost {lost}"
        )
    print(f"total: {dict(totals)}")
    for message, count in doubts.most_common():
        print(f"  {count:>4} × {message}")
    for problem in problems:
        print(f"skipped {problem}")


if __name__ == "__main__":
    main(sys.argv[1:])
