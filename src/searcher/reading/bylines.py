"""Recognize a byline by its structure: unit, one or more posts, a name, an optional colon and what follows it.

The grammar, over the simplified view of a line (:func:`searcher.reading.lexicon.simplified`)::

    byline   := posts name [colon rest]
    posts    := segment ( sep segment )*          sep: 、 ， , or spaces
    segment  := [unit] post+                      区财政局党组书记 | 局长 | 区国资办主任
    post     := modifier* position                党组 + 书记, 常务 + 副 + 主席 (data files)
    name     := 2–4 Han characters, or a name with ·, or single characters spaced out (施　萍)

The unit of a segment is the *shortest* opening that leaves only posts (石梁镇 | 党委书记, not 石梁镇党委 | 书记),
so the post words decide where a unit ends; a unit that doesn't end with a suffix of ``unit_suffixes.txt`` is
accepted but flagged. The article's unit is the first segment's unit (or the first unit any segment names);
its position is the rest of the posts as printed.

False positives are guarded against, precision before recall: a credit line (记者 张三) is not a byline; a "name"
ending with a speech verb (区委书记王某强调：…, 负责人当场回应：…) makes the line a sentence; a name must begin with
a surname of ``surnames.txt`` (so a series line such as 代表委员履职小记 is no byline), except a name written with
·; a verb of ``action_verbs.txt`` in the unit or the name (…会见…部长苏林, …简历) makes the line a headline about
someone; text after the colon decides nothing here — the page model decides whether it is a headline or the first
paragraph of a speech.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from searcher.reading.lexicon import (
    ACTION_VERBS,
    CREDIT,
    MODIFIERS,
    POSTS,
    SPEECH_VERBS,
    SURNAMES,
    UNIT_SUFFIXES,
    simplified,
)

__all__ = ["Byline", "is_name", "looks_like_byline", "parse_byline"]

MAX_BYLINE = 60  # characters before the colon: longer is a sentence

_POST = "(?:" + "|".join(map(re.escape, MODIFIERS)) + ")*(?:" + "|".join(map(re.escape, POSTS)) + ")"
_SEGMENT = re.compile(rf"(?P<unit>[\w（）()·]*?)(?P<posts>(?:{_POST})+)")
_SEPARATOR = re.compile(r"[、，,\s]+")
_HAN = r"[\u3400-\u9fff\uf900-\ufaff]"
_NAME_SPACED = re.compile(rf"(?:^|[\s、，,])({_HAN}(?:[ \u3000\u00a0]+{_HAN}){{1,2}})$")
_NAME_DOT = re.compile(rf"({_HAN}{{1,6}}[·•・]{_HAN}{{1,8}})$")
_NAME_WORD = re.compile(rf"(?:^|\s)({_HAN}{{2,4}})$")
_SENTENCE = re.compile(r"[。！？；!?;“”\"《》]")


@dataclass(frozen=True)
class Byline:
    """A recognized byline.

    :ivar unit: the unit as printed (may be empty: 新闻发言人 王某某).
    :ivar position: the posts after the unit, as printed (党组书记、局长).
    :ivar person: the name, spaces taken out (施　萍 → 施萍).
    :ivar text: the byline as printed, colon included.
    :ivar rest: what follows the colon on the same line, stripped (a headline or a first paragraph), else "".
    :ivar doubt: why the reader is unsure, else "".
    """

    unit: str
    position: str
    person: str
    text: str
    rest: str
    doubt: str = ""


def _segments(posts: str) -> list[tuple[int, str]] | None:
    """Split the posts part into ``(start, unit)`` per segment, or ``None`` if any segment isn't ``[unit] post+``."""
    found = []
    start = 0
    for piece in [*_SEPARATOR.split(posts)]:
        at = posts.index(piece, start) if piece else start
        start = at + len(piece)
        if not piece:
            continue
        match = _SEGMENT.fullmatch(piece)
        if match is None:
            return None
        unit = match.group("unit")
        if unit and (len(unit) < 2 or CREDIT.match(unit) or unit[0] in "（("):
            return None
        found.append((at, unit))
    return found or None


def _name_candidates(head: str) -> list[tuple[int, str]]:
    """Return ``(start, name)`` candidates at the end of ``head``, the likeliest first."""
    candidates = []
    for pattern in (_NAME_SPACED, _NAME_DOT, _NAME_WORD):
        match = pattern.search(head)
        if match:
            candidates.append((match.start(1), match.group(1)))
    if not candidates:  # no space before the name: 镇党委书记陈某某 — try three, two, then four characters
        for n in (3, 2, 4):
            if len(head) > n and re.fullmatch(f"{_HAN}{{{n}}}", head[-n:]):
                candidates.append((len(head) - n, head[-n:]))
    return candidates


def is_name(person: str) -> bool:
    """Tell whether ``person`` (simplified, spaces taken out) can be a person's name: a surname of
    ``surnames.txt`` and one to three more characters, or any name written with ·."""
    if _NAME_DOT.fullmatch(person):
        return True
    return 2 <= len(person) <= 4 and (person[0] in SURNAMES or (len(person) >= 3 and person[:2] in SURNAMES))


def parse_byline(line: str) -> Byline | None:
    """Return the byline that ``line`` is, or ``None`` when it isn't one (see the module docstring)."""
    view = simplified(line)
    colon = re.search(r"[：:]", view)
    head_end = colon.start() if colon else len(view)
    head = view[:head_end].rstrip()
    if not head or len(head) > MAX_BYLINE or _SENTENCE.search(head) or CREDIT.match(head):
        return None
    for start, name in _name_candidates(head):
        person = re.sub(r"\s+", "", name)
        if person.endswith(tuple(SPEECH_VERBS)) or any(person.startswith(p) for p in POSTS + MODIFIERS):
            continue
        if not is_name(person) or any(verb in person for verb in ACTION_VERBS):
            continue
        posts = head[:start].rstrip(" \u3000\u00a0、，,")
        segments = _segments(posts) if posts else None
        if not segments:
            continue
        unit = next((u for _, u in segments if u), "")
        if any(verb in head[:start] for verb in ACTION_VERBS):
            return None  # 蔡奇会见…部长苏林: a headline about a meeting
        first_start, first_unit = segments[0]
        # The position is what follows the first segment's unit (all of the posts when that segment has none).
        position = line[first_start + len(first_unit) if first_unit else 0 : len(posts)].strip()
        doubt = ""
        if unit and not unit.endswith(tuple(UNIT_SUFFIXES)):
            doubt = f"the unit {unit!r} doesn't end like a unit in unit_suffixes.txt"
        printed_unit = line[first_start : first_start + len(first_unit)] if first_unit else ""
        if unit and unit != first_unit:
            at = view.index(unit)
            printed_unit = line[at : at + len(unit)]
        text = line[: colon.end()] if colon else line
        rest = line[colon.end() :].strip() if colon else ""
        printed_name = re.sub(r"\s+", "", line[start : start + len(name)])
        return Byline(printed_unit, position, printed_name, text.strip(), rest, doubt)
    return None


_NEAR = re.compile(rf"\S{{2,40}}[ \u3000]+{_HAN}{{2,4}}\s*[：:]?(.{{0,40}})|[^。！？；]{{2,24}}[：:]")


def looks_like_byline(line: str) -> bool:
    """Tell whether a line that :func:`parse_byline` refused is shaped almost like a byline (worth a notice)."""
    view = simplified(line)
    return bool(_NEAR.fullmatch(view)) and not CREDIT.match(view) and not _SENTENCE.search(view.split("：")[0])
