"""Pinyin readings and typo corrections, over the words the index holds.

Staff type with a Chinese input method; two slips are common, and 《政府网站发展指引》 asks for both to be caught:

* **Pinyin typed without switching the IME** (``gongtongfuyu``, ``gong tong fu yu``, initials ``gtfy``). A Latin
  term is looked up among the indexed words by its full pinyin and by its initials (pypinyin, tones ignored); the
  commonest word with that reading is searched as well, and the page says so.
* **A homophone or a wrong character** (共同付裕, 乡村振心). A term that matches nothing gets the indexed words
  closest to it: first words read with the same pinyin, then words of the same length one character apart — each
  group ranked by how many articles hold the word. They are offered as links, never searched silently.

The words are jieba's words of the headline and body fields (two to eight Han characters), with their document
frequency, their pinyin and their initials. Computing pinyin for every word takes seconds on a large archive, so the
table is made at build time, after each commit (:func:`write_words`), and stored beside the index as
``words.json``; :class:`Words` loads it once per index generation.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import defaultdict
from pathlib import Path

from whoosh.index import Index

from searcher.forked import forked_map

__all__ = ["WORDS", "WORD_FIELDS", "Words", "is_pinyin", "pinyin_of", "write_words"]

WORDS = "words.json"
WORD_FIELDS = ("title", "body")  # the fields whose words are offered for pinyin and corrections
PARALLEL_READINGS = 5000  # fewer words are read in this process: forking would cost more than it saves
_HAN_WORD = re.compile(r"[\u3400-\u9fff]{2,8}")
_LATIN = re.compile(r"[a-z]+(?: [a-z]+)*")
MIN_INITIALS = 3  # two letters are too ambiguous to read as initials


def pinyin_of(text: str) -> tuple[str, str]:
    """Return ``(full pinyin, initials)`` of Han text, toneless and joined: 共同富裕 → ``("gongtongfuyu", "gtfy")``."""
    # Imported here: pypinyin loads its phrase tables (a third of a second), needed by builds and rare queries only.
    from pypinyin import lazy_pinyin  # noqa: PLC0415

    syllables = lazy_pinyin(text, errors="ignore")
    # The initials are each syllable's first letter: what Style.FIRST_LETTER computes (pypinyin's to_first_letter is
    # to_normal(...)[0]), without reading the text a second time (half of a build's word table).
    return "".join(syllables), "".join(syllable[0] for syllable in syllables)


def is_pinyin(term: str) -> bool:
    """Tell whether a normalized query term is Latin letters only (words separated by single spaces)."""
    return bool(_LATIN.fullmatch(term)) and len(term.replace(" ", "")) >= 2


def write_words(ix: Index, folder: Path, frequencies: dict[str, int] | None = None, procs: int = 1) -> int:
    """Write ``words.json`` for the index's current commit: every word with its document frequency and pinyin.

    :param frequencies: the document frequency of each term of :data:`WORD_FIELDS` (summed over them), when the
        writer counted them (a fresh build); otherwise they are read from the index.
    :param procs: processes that read the words' pinyin (a fresh build has tens of thousands of words).
    :return: the number of words written.
    """
    if frequencies is None:
        frequencies = defaultdict(int)
        with ix.reader() as reader:
            for leaf, _ in reader.leaf_readers():  # per segment: far faster than the merged lexicon of a MultiReader
                for fieldname in WORD_FIELDS:
                    for term, info in leaf.iter_field(fieldname):
                        frequencies[term.decode("utf-8") if isinstance(term, bytes) else term] += info.doc_frequency()
    words = sorted(word for word in frequencies if _HAN_WORD.fullmatch(word))
    known = {row[0]: tuple(row[2:]) for row in _rows(folder)}  # an update keeps the readings it already has
    missing = [word for word in words if word not in known]
    readings = dict(zip(missing, _readings(missing, procs), strict=True))
    rows = [[word, frequencies[word], *(known.get(word) or readings[word])] for word in words]
    temporary = folder / f".{WORDS}.tmp"
    temporary.write_text(json.dumps(rows, ensure_ascii=False, separators=(",", ":")), "utf-8")
    temporary.replace(folder / WORDS)
    return len(rows)


def _readings(words: list[str], procs: int) -> list[tuple[str, str]]:
    """Return :func:`pinyin_of` of each word, on ``procs`` forked processes when there are many words."""
    if procs > 1 and len(words) >= PARALLEL_READINGS:
        pinyin_of("中")  # load pypinyin's tables once, before the fork, so the workers share them
    return forked_map(pinyin_of, words, procs, PARALLEL_READINGS)


def _rows(folder: Path) -> list[list]:
    """Read ``words.json`` rows (``[word, frequency, pinyin, initials]``); none when it is missing or damaged."""
    try:
        rows = json.loads((folder / WORDS).read_text("utf-8"))
    except (OSError, ValueError):
        return []
    return [row for row in rows if isinstance(row, list) and len(row) == 4] if isinstance(rows, list) else []


class Words:
    """The index's words, looked up by pinyin, by initials, and by near spelling."""

    def __init__(self, rows: list[list]) -> None:
        self.frequency = {word: count for word, count, _, _ in rows}
        self.by_full: dict[str, list[str]] = defaultdict(list)
        self.by_initials: dict[str, list[str]] = defaultdict(list)
        self.by_length: dict[int, list[str]] = defaultdict(list)
        for word, _, full, initials in rows:
            self.by_full[full].append(word)
            self.by_initials[initials].append(word)
            self.by_length[len(word)].append(word)
        self.readings = sorted((full, word) for word, _, full, _ in rows)  # for pinyin prefixes

    @classmethod
    def load(cls, folder: Path) -> Words:
        """Load ``words.json`` from an index generation folder (an empty table when there is none)."""
        return cls(_rows(folder))

    def _ranked(self, words: list[str] | set[str]) -> list[str]:
        return sorted(words, key=lambda w: (-self.frequency[w], w))

    def read_pinyin(self, latin: str, limit: int = 5) -> list[str]:
        """Return the words whose full pinyin, or initials, are ``latin`` (spaces ignored), the commonest first."""
        key = latin.replace(" ", "")
        found = set(self.by_full.get(key, ()))
        if len(key) >= MIN_INITIALS:
            found.update(self.by_initials.get(key, ()))
        return self._ranked(found)[:limit]

    def complete_pinyin(self, prefix: str, limit: int = 8) -> list[str]:
        """Return words whose full pinyin starts with ``prefix`` (or whose initials are it), the commonest first."""
        key = prefix.replace(" ", "")
        if len(key) < 2:
            return []
        start = bisect.bisect_left(self.readings, (key, ""))
        found = set()
        for full, word in self.readings[start : start + 2000]:
            if not full.startswith(key):
                break
            found.add(word)
        if len(key) >= MIN_INITIALS:
            found.update(self.by_initials.get(key, ()))
        return self._ranked(found)[:limit]

    def corrections(self, term: str, limit: int = 5) -> list[str]:
        """Return the indexed words closest to a term that matched nothing (see the module docstring)."""
        if not _HAN_WORD.fullmatch(term):
            return []
        full, _ = pinyin_of(term)
        homophones = self._ranked({w for w in self.by_full.get(full, ()) if w != term})
        near = self._ranked(
            {
                word
                for word in self.by_length.get(len(term), ())
                if sum(a != b for a, b in zip(word, term, strict=True)) == 1
            }
            - set(homophones)
        )
        return (homophones + near)[:limit]
