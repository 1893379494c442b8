"""Restore the reading order of article bodies that were printed rotated.

Text scraped from e-paper layouts often starts part-way through an article, runs to its end and then continues with
the article's beginning: 二是… 三是… [lead] 一是… . Where the cut fell mid-sentence, the first printed paragraph
begins inside a sentence and the last printed paragraph ends without closing punctuation; the two halves belong
together.

The article is modelled as a cycle of paragraphs. Its true start is its *lead* (the one un-numbered paragraph just
before the first point) or, with no lead, its first enumerated point (一是 / 一要 / 一是要 / （一） / 第一 / 首先 …).
:func:`restore` acts only on clear evidence:

* the printed order must be wrong: its enumerators don't ascend, or it opens with half a sentence;
* a sentence is rejoined only when it is cut on both sides: the last paragraph ends without closing punctuation and
  the first begins without a sentence opening (see :func:`_opens_sentence`);
* exactly one rotation must make the enumerators ascend with the lead first. When none does, or when two
  un-numbered paragraphs sit between the last point and the first (a lead and a closing paragraph can't be told
  apart), the body stays as printed and the reason is recorded.

An article in order with whole paragraphs comes back unchanged, byte for byte. Parts that are visibly missing (the
points start at 二, a number is skipped, the text ends mid-sentence) are reported, never invented.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import jieba

from searcher import analysis  # noqa: F401 - loads the user dictionary before jieba is used here

__all__ = ["Restoration", "enumerator", "restore"]

_NUMERALS = "一二三四五六七八九十"
# Each family of enumerators; group 1 is the numeral. 首先/其次 count as 1/2.
_FAMILIES: dict[str, re.Pattern[str]] = {
    "是要": re.compile(r"^([一二三四五六七八九十]{1,2})是要"),
    "是": re.compile(r"^([一二三四五六七八九十]{1,2})是(?!要)"),
    "要": re.compile(r"^([一二三四五六七八九十]{1,2})要"),
    "（）": re.compile(r"^[（(]([一二三四五六七八九十]{1,2})[）)]"),
    "第": re.compile(r"^第([一二三四五六七八九十]{1,2})[，、,是：:]"),
    "、": re.compile(r"^([一二三四五六七八九十]{1,2})、"),
}
_SEQUENCE_WORDS = {"首先": 1, "其次": 2}  # not 再次: far more often "again" than "thirdly"
_CLOSING = set("。！？!?；;…")
_TRAILING = set("”’」』）)》】\"'")
# Parts of speech that can open a sentence on their own before a comma: time words, pronouns, conjunctions,
# adverbs, prepositions, locatives, idioms (近日， 为此， 同时， 目前， 今年以来，).
_OPENING_FLAGS = ("t", "r", "c", "d", "p", "f", "i", "l", "m")


@dataclass(frozen=True)
class Restoration:
    """What :func:`restore` made of a body.

    :ivar paragraphs: the body in reading order (the printed order when nothing was changed).
    :ivar changed: whether ``paragraphs`` differs from the printed order.
    :ivar note: what was done, or why nothing was (empty for an ordinary article with no enumerators).
    :ivar missing: human-readable notes of parts visibly missing from the printed text (原文不完整：…).
    """

    paragraphs: tuple[str, ...]
    changed: bool
    note: str
    missing: tuple[str, ...]


def _numeral_value(numeral: str) -> int:
    """Return the value of a Chinese numeral from 一 to 九十九."""
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + _NUMERALS.index(numeral[1]) + 1
    if numeral.endswith("十"):
        return (_NUMERALS.index(numeral[0]) + 1) * 10
    if len(numeral) == 2:
        return (_NUMERALS.index(numeral[0]) + 1) * 10 + _NUMERALS.index(numeral[1]) + 1
    return _NUMERALS.index(numeral) + 1


def enumerator(paragraph: str) -> tuple[str, int] | None:
    """Return ``(family, number)`` if ``paragraph`` opens with an enumerator such as 二是 or （三）, else ``None``."""
    for family, pattern in _FAMILIES.items():
        match = pattern.match(paragraph)
        if match:
            return family, _numeral_value(match.group(1))
    for word, number in _SEQUENCE_WORDS.items():
        if paragraph.startswith(word):
            return "首先", number
    return None


def _ends_sentence(paragraph: str) -> bool:
    text = paragraph.rstrip()
    while text and text[-1] in _TRAILING:
        text = text[:-1]
    return bool(text) and text[-1] in _CLOSING


def _opens_sentence(previous: str, paragraph: str) -> bool:
    """Tell whether ``paragraph`` can begin a sentence, given the unfinished ``previous`` paragraph.

    It can't when a word runs across the join (…卫生健康数 + 字化改革 → 数字), or when its first clause is a lone
    noun or verb (定位，…), which a sentence doesn't open with; an opening adverbial (近日， 为此， 同时，) is fine.
    """
    if enumerator(paragraph):
        return True
    tail = re.split(r"[，。！？；：、,.!?;:\s]", previous)[-1]
    head = re.split(r"[，。！？；：、,.!?;:\s]", paragraph, maxsplit=1)[0]
    offset = 0
    for word in jieba.cut(tail + head, HMM=False):
        if offset < len(tail) < offset + len(word):
            return False
        offset += len(word)
    # Imported here: jieba.posseg loads its tagging model (a third of a second), needed only for a suspected cut.
    from jieba import posseg  # noqa: PLC0415

    words = list(posseg.cut(head, HMM=False))
    return not (len(words) == 1 and len(head) < len(paragraph) and not words[0].flag.startswith(_OPENING_FLAGS))


_MARKERS = {"是要": "{}是要", "是": "{}是", "要": "{}要", "（）": "（{}）", "第": "第{}", "、": "{}、", "首先": "首先"}


def _missing(paragraphs: tuple[str, ...], family: str) -> tuple[str, ...]:
    """Name the parts visibly missing from a body in reading order (never guessed: only gaps in the numbering).

    A point that is absent as a paragraph but written inside an earlier one (…提出四点建议。一是… then 二是…) is not
    missing. An unfinished last sentence is reported only when the last paragraph is itself a point.
    """
    marks = [enumerator(p) for p in paragraphs]
    numbers = [m[1] for m in marks if m]
    first = next(i for i, m in enumerate(marks) if m)
    before = "".join(paragraphs[:first])
    absent = [
        n for n in range(1, numbers[0]) if _MARKERS[family].format(_NUMERALS[n - 1] if n <= 10 else n) not in before
    ]
    absent += [n for a, b in itertools.pairwise(numbers) for n in range(a + 1, b)]
    notes = []
    if absent:
        names = "、".join(_NUMERALS[n - 1] if n <= 10 else str(n) for n in absent)
        notes.append(f"原文不完整：缺第{names}部分")
    if marks[-1] and not _ends_sentence(paragraphs[-1]):
        notes.append("原文不完整：结尾处句子不全")
    return tuple(notes)


def restore(printed: list[str] | tuple[str, ...]) -> Restoration:
    """Return the reading order of a body printed as ``printed`` (see the module docstring for the rules)."""
    paragraphs = tuple(printed)
    unchanged = Restoration(paragraphs, False, "", ())
    if len(paragraphs) < 2:
        return unchanged
    marks = [enumerator(p) for p in paragraphs]
    families = {m[0] for m in marks if m}
    if not families:
        return unchanged
    if len(families) > 1:
        return Restoration(paragraphs, False, "left as printed: enumerators of several styles", ())
    (family,) = families
    numbers = [m[1] if m else None for m in marks]

    cut = (
        numbers[0] is None and not _ends_sentence(paragraphs[-1]) and not _opens_sentence(paragraphs[-1], paragraphs[0])
    )
    if not cut and _in_order(numbers):
        return Restoration(paragraphs, False, "", _missing(paragraphs, family))

    # The cycle of paragraphs in reading order, with a cut sentence rejoined across the seam.
    if cut:
        cycle = [*list(paragraphs[1:-1]), paragraphs[-1] + paragraphs[0]]
        cycle_numbers = numbers[1:]
    else:
        cycle = list(paragraphs)
        cycle_numbers = list(numbers)
    points = [n for n in cycle_numbers if n is not None]
    first = cycle_numbers.index(min(points))
    rotated_numbers = cycle_numbers[first:] + cycle_numbers[:first]
    rotated_points = [n for n in rotated_numbers if n is not None]
    if any(b <= a for a, b in itertools.pairwise(rotated_points)):
        return Restoration(paragraphs, False, "left as printed: no rotation puts the enumerators in order", ())
    lead_count = 0
    while rotated_numbers[-1 - lead_count] is None:
        lead_count += 1
    if lead_count > 1:
        return Restoration(
            paragraphs,
            False,
            "left as printed: several un-numbered paragraphs between the last point and the first; "
            "the lead can't be told from a closing paragraph",
            (),
        )
    start = (first - lead_count) % len(cycle)
    restored = tuple(cycle[start:] + cycle[:start])
    done = []
    if lead_count:
        done.append("lead moved first")
    else:
        done.append("first point moved first")
    if cut:
        done.append("rejoined a sentence cut at the seam")
    return Restoration(restored, restored != paragraphs, "rotated: " + "; ".join(done), _missing(restored, family))


def _in_order(numbers: list[int | None]) -> bool:
    """Tell whether un-numbered paragraphs lead and the enumerators then ascend."""
    points = [n for n in numbers if n is not None]
    return all(b > a for a, b in itertools.pairwise(points))
