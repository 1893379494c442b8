"""Mark the query's strings in article text, as safe HTML.

Highlighting finds the normalized query strings themselves in the normalized text and maps each hit back to the
printed characters (see :func:`searcher.analysis.normalize_with_offsets`). So it marks exactly what matched — never a
sub-word of it (searching 义务教育 does not mark 教育 in 县教育局) — and it costs one pass over the stored text
instead of re-running jieba over whole bodies.

The text is escaped first (markupsafe, the escaper Jinja uses) and only then are ``<mark>`` tags put around the
matches, so markup in an article is shown as text, never run.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from searcher.analysis import normalize_with_offsets

__all__ = ["find_spans", "mark", "snippet"]

Span = tuple[int, int]


@functools.lru_cache(maxsize=256)
def _compiled(needles: frozenset[str]) -> re.Pattern[str] | None:
    """The pattern of a set of needles, compiled once: every hit of a page is marked with the same needles."""
    alternatives = sorted(needles, key=lambda n: (-len(n), n))
    if not alternatives:
        return None
    # A space in a phrase stands for any run of spaces within a line; a lookahead finds overlapping occurrences.
    body = "|".join(re.escape(n).replace(r"\ ", r"[^\S\n]+") for n in alternatives)
    return re.compile(f"(?=({body}))")


def _pattern(needles: Iterable[str]) -> re.Pattern[str] | None:
    return _compiled(frozenset(n for n in needles if n))


def find_spans(text: str, needles: Iterable[str]) -> list[Span]:
    """Return the merged ``(start, end)`` character ranges of ``text`` where any normalized needle occurs."""
    pattern = _pattern(needles)
    if pattern is None or not text:
        return []
    normal, offsets = normalize_with_offsets(text)
    spans: list[Span] = []
    for match in pattern.finditer(normal):
        start, end = match.start(1), match.end(1)
        if offsets:
            start, end = offsets[start], offsets[end - 1] + 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


def mark(text: str, spans: list[Span], start: int = 0, end: int | None = None) -> Markup:
    """Return ``text[start:end]`` escaped, with each span in ``spans`` wrapped in ``<mark>``."""
    end = len(text) if end is None else end
    out: list[str] = []  # escaped text and our own tags, joined once (adding Markup objects was a tenth of a search)
    at = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        s, e = max(span_start, start), min(span_end, end)
        out += (escape(text[at:s]), "<mark>", escape(text[s:e]), "</mark>")
        at = e
    out.append(escape(text[at:end]))
    return Markup("".join(out))


def _whole(spans: list[Span], start: int, end: int) -> Span:
    """Widen a window so that no match is cut at either edge (a match longer than the window shows whole)."""
    for s, e in spans:
        if s < start < e:
            start = s
        if s < end < e:
            end = e
    return start, end


def snippet(text: str, spans: list[Span], width: int = 120, fragments: int = 2) -> Markup:
    """Return up to ``fragments`` excerpts of about ``width`` characters, each centred on a match, marked.

    A second excerpt is shown only for a match outside the first. No match is ever cut at an excerpt's edge: the
    excerpt widens to hold it whole. With no match in ``text`` (only the headline or
    byline matched) the excerpt is the text's opening. Line breaks become spaces; cut ends get an ellipsis.
    """
    windows: list[Span] = []
    for s, e in spans:
        if len(windows) == fragments:
            break
        if windows and s < windows[-1][1]:
            continue
        w_end = min(len(text), max(e, s - max(0, width - (e - s)) // 2 + width))
        w_start = max(0, min(s, w_end - width))
        if windows:
            w_start = max(w_start, windows[-1][1])
        windows.append(_whole(spans, w_start, w_end))
    if not windows:
        windows = [(0, min(len(text), width))]
    parts: list[str] = []
    previous_end = 0
    for w_start, w_end in windows:
        if w_start > previous_end or (w_start > 0 and not parts):
            parts.append("…")
        parts.append(mark(text, spans, w_start, w_end))
        previous_end = w_end
    if previous_end < len(text):
        parts.append("…")
    return Markup("".join(parts).replace("\n", " "))
