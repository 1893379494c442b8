"""The query language people type, parsed into plain values (no Whoosh types).

A query is whitespace-separated *terms*; every term must match (AND). On top of that, and nothing else:

=====================  ===========================================================================
``共同富裕``             literal text: matches an article whose headline, byline or body contains it
``"乡村 振兴"``          a quoted phrase: exact, spaces included (any run of spaces in the text matches one)
``-疫情``               exclude articles that contain the term (also ``-"…"``)
``乡村 OR 农村``         either term (``OR`` in capitals, between two terms; binds tighter than AND)
``标题:共同富裕``        only in the headline (also ``title:``, ``标题：``)
=====================  ===========================================================================

Everything else is literal. There are no wildcards, ranges, fuzzy terms, boosts, regular expressions or field
names: Whoosh's own parser offers them, and they are both slow and surprising (``body:[a TO 龥]`` runs for over a
minute). Punctuation inside a term is literal too: ``十四五”`` matches only where the closing quote follows 十四五.
Terms are normalized like the text (NFKC, lower case) before matching, so ＬＥＤ, LED and led are one term.

Units are not part of the query language; they are a filter (``unit=`` in the URL, ``--unit`` in the CLI).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from searcher.analysis import normalize

__all__ = ["MAX_QUERY_LENGTH", "MAX_TERMS", "ParsedQuery", "QueryError", "Term", "parse"]

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

_PIECE = re.compile(r'(-?)((?:标题|title):)?(?:"([^"]*)"?|(\S+))', re.IGNORECASE)


class QueryError(ValueError):
    """The query can't be run; the message tells the user how to fix it."""


@dataclass(frozen=True)
class Term:
    """One term of a query.

    :ivar text: the normalized text to look for (may contain single spaces when it is a phrase).
    :ivar typed: the term as the user typed it, for messages such as "no article contains …".
    :ivar title_only: match the headline only.
    """

    text: str
    typed: str
    title_only: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query: all of ``groups`` must match (each group is an OR of terms), none of ``excluded``."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()

    @property
    def terms(self) -> tuple[Term, ...]:
        """The terms that must (or may) match, in query order: what is highlighted."""
        return tuple(term for group in self.groups for term in group)

    def needles(self, title: bool) -> list[str]:
        """Return the strings to mark in a headline (``title=True``) or in the body and byline."""
        return [term.text for term in self.terms if title or not term.title_only]

    def without(self, typed: set[str]) -> str:
        """Return the query text with the terms typed as ``typed`` left out (for "search without …")."""
        kept = []
        for group in self.groups:
            rest = [term.typed for term in group if term.typed not in typed]
            if rest:
                kept.append(" OR ".join(rest))
        kept.extend("-" + term.typed for term in self.excluded)
        return " ".join(kept)


def parse(text: str) -> ParsedQuery:
    """Parse what the user typed.

    :raises QueryError: for a query that is too long, has too many terms, or only excludes.
    :return: an empty :class:`ParsedQuery` for a blank query.
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"查询太长（{len(text)} 字）：最多 {MAX_QUERY_LENGTH} 字。 The query is too long.")
    # Width and compatibility forms first, so that ＂…＂, －, 标题： and ＯＲ work like their ASCII forms.
    text = unicodedata.normalize("NFKC", text.replace("\0", " "))
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    for match in _PIECE.finditer(text):
        minus, scope, quoted, bare = match.groups()
        if bare == "OR" and not minus and not scope:
            join_next = bool(groups)
            continue
        if quoted is not None:
            needle = " ".join(normalize(quoted).split())
            typed = f'"{quoted}"'
        else:
            needle = normalize(bare)
            typed = bare
        if scope:
            typed = scope + typed
        if not needle:
            continue
        term = Term(needle, ("-" if minus else "") + typed, title_only=bool(scope))
        if minus:
            excluded.append(Term(needle, typed, title_only=bool(scope)))
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if len(groups) + len(excluded) > MAX_TERMS:
        raise QueryError(f"查询词太多：最多 {MAX_TERMS} 个。 Too many terms (at most {MAX_TERMS}).")
    if excluded and not groups:
        raise QueryError("只有排除词：请至少输入一个要查找的词。 A query needs at least one term to look for.")
    return ParsedQuery(tuple(tuple(g) for g in groups), tuple(excluded))
