"""The word lists the reader works from, loaded from the data files shipped beside this module.

A deployment edits these files, not the code: ``positions.txt`` and ``post_modifiers.txt`` (the posts a byline may
name), ``unit_suffixes.txt`` (how a unit's name ends), ``credits.txt`` (how a credit line begins),
``speech_verbs.txt`` (what ends reported speech), ``action_verbs.txt`` (what officials do: never in a unit or a
name), ``surnames.txt`` (how a person's name begins, several a line) and ``furniture.txt`` (site and page
furniture, as regular expressions). Blank lines and lines starting with ``#`` are comments.

The reader classifies a line through its simplified-character *view* (:func:`simplified`), so that a byline or a
furniture line printed in traditional characters reads the same; the text it stores is always the line as printed.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import opencc

__all__ = [
    "ACTION_VERBS",
    "CREDIT",
    "FURNITURE",
    "MODIFIERS",
    "POSTS",
    "SPEECH_VERBS",
    "SURNAMES",
    "UNIT_SUFFIXES",
    "simplified",
    "words",
]


def words(name: str) -> list[str]:
    """Return the entries of the data file ``name`` (comments and blank lines left out), in file order."""
    text = resources.files("searcher.reading").joinpath("data").joinpath(name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _longest_first(entries: list[str]) -> list[str]:
    return sorted(set(entries), key=lambda w: (-len(w), w))


POSTS = _longest_first(words("positions.txt"))
MODIFIERS = _longest_first(words("post_modifiers.txt"))
UNIT_SUFFIXES = _longest_first(words("unit_suffixes.txt"))
SPEECH_VERBS = _longest_first(words("speech_verbs.txt"))
ACTION_VERBS = _longest_first(words("action_verbs.txt"))
SURNAMES = frozenset(entry for line in words("surnames.txt") for entry in line.split())
CREDIT = re.compile("|".join(f"(?:{p})" for p in words("credits.txt")))
FURNITURE = [re.compile(p, re.IGNORECASE) for p in words("furniture.txt")]

# OpenCC's "t2s" configuration, built once: converting a line costs a few microseconds in its C++ core.
_T2S = opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=65536)
def simplified(text: str) -> str:
    """Return ``text`` with traditional characters read as simplified, *one character for one character*.

    The reader finds spans (a unit, a name) in this view and cuts them from the printed line, so the two must line
    up; OpenCC's phrase tables keep the length for t2s in practice, and where they would not, each character is
    converted on its own.
    """
    view = _T2S.convert(text)
    if len(view) == len(text):
        return view
    chars = [_T2S.convert(c) for c in text]
    return "".join(s if len(s) == 1 else c for c, s in zip(text, chars, strict=True))
