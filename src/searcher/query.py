"""The query language people type, parsed into plain values (no Whoosh types).

A query is whitespace-separated *terms*; every term must match (AND). On top of that, and nothing else:

==========================  ===========================================================================
``共同富裕``                  literal text: matches an article whose headline, byline or body contains it
``"乡村 振兴"`` ``“乡村 振兴”``  a quoted phrase: exact, spaces included (any run of spaces in the text matches
                             one); the quotes an input method types work too: “…” ‘…’ 「…」 『…』 ＂…＂
``-疫情`` ``－疫情``            exclude articles that contain the term (also ``-"…"``)
``乡村 OR 农村``               either term (``OR``, ``or``, ``或`` between two terms; binds tighter than AND)
``标题:共同富裕``              only in the headline (also ``title:``, ``标题：``)
==========================  ===========================================================================

Terms are separated by spaces, the ideographic space, and the Chinese ，、； typed between them
(``共同富裕，乡村振兴`` is two terms); inside quotes they are part of the phrase. A quote pair quotes only when
it stands as a term of its own: in a pasted headline such as ``外贸“保稳提质”`` the marks are literal text, as
printed.

Everything else is literal. There are no wildcards, ranges, fuzzy terms, boosts, regular expressions or field
names: Whoosh's own parser offers them, and they are both slow and surprising (``body:[a TO 龥]`` runs for over a
minute). Other punctuation inside a term is literal too, and so is a quote mark without its partner:
``十四五”`` matches only where the closing quote follows 十四五. Terms are normalized like the text (NFKC, lower
case, traditional characters read as simplified) before matching, so ＬＥＤ, LED and led are one term, and so are
數字化 and 数字化.

Units are not part of the query language; they are a filter (``unit=`` in the URL, ``--unit`` in the CLI).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from importlib import resources

from searcher import units
from searcher.analysis import normalize

__all__ = ["MAX_QUERY_LENGTH", "MAX_TERMS", "ParsedQuery", "QueryError", "Term", "expand", "parse"]

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

_PIECE = re.compile(r'(-?)((?:标题|title):)?(?:"([^"]*)"?|(\S+))', re.IGNORECASE)
# Quote pairs an input method types, read as "…" when both marks are there; a lone mark stays literal.
# Only a pair that stands as a term of its own quotes: 外贸“保稳提质” in a pasted headline is literal text.
_EDGE_BEFORE = r"(?<![^\s，、；\u3000:：\-－])"
_EDGE_AFTER = r"(?![^\s，、；\u3000])"
_PAIRS = [
    re.compile(f"{_EDGE_BEFORE}{re.escape(a)}([^{re.escape(a + b)}]*){re.escape(b)}{_EDGE_AFTER}")
    for a, b in ("“”", "‘’", "「」", "『』", "＂＂")
]
_QUOTED = re.compile(r'("[^"]*"?)')
_SEPARATORS = str.maketrans({"，": " ", "、": " ", "；": " ", "\u3000": " "})
_OR = {"or", "或"}


class QueryError(ValueError):
    """The query can't be run; the message tells the user how to fix it."""


@dataclass(frozen=True)
class Term:
    """One term of a query.

    :ivar text: the normalized text to look for (may contain single spaces when it is a phrase).
    :ivar typed: the term as the user typed it, for messages such as "no article contains …".
    :ivar title_only: match the headline only.
    :ivar expanded_from: for a term added by :func:`expand`, the typed term it stands for.
    """

    text: str
    typed: str
    title_only: bool = False
    expanded_from: str = ""


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query: all of ``groups`` must match (each group is an OR of terms), none of ``excluded``."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    #: the whole query as typed, normalized, spaces collapsed: a pasted headline with its ，、 is found whole
    whole: str = ""

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
            rest = [term.typed for term in group if term.typed not in typed and not term.expanded_from]
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
    original = text.replace("\0", " ")
    text = _typed_punctuation(original)
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    for match in _PIECE.finditer(text):
        minus, scope, quoted, bare = match.groups()
        if bare is not None and bare.lower() in _OR and not minus and not scope:
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
    whole = " ".join(normalize(original).split())
    return ParsedQuery(tuple(tuple(g) for g in groups), tuple(excluded), whole)


def _typed_punctuation(text: str) -> str:
    """Read what a Chinese input method types as the query language's ASCII syntax.

    Paired quotes become ``"…"``; outside quotes, ，、； and the ideographic space separate terms; then width and
    compatibility forms are folded (NFKC), so that －, 标题： and ＯＲ work like their ASCII forms.
    """
    for pair in _PAIRS:
        text = pair.sub(r'"\1"', text)
    parts = _QUOTED.split(text)
    text = "".join(part if n % 2 else part.translate(_SEPARATORS) for n, part in enumerate(parts))
    return unicodedata.normalize("NFKC", text)


def _abbreviations() -> dict[str, tuple[str, ...]]:
    """Read ``abbreviations.txt``: each normalized form → all the forms of its line."""
    table: dict[str, tuple[str, ...]] = {}
    text = resources.files("searcher").joinpath("abbreviations.txt").read_text("utf-8")
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            forms = tuple(dict.fromkeys(normalize(form) for form in line.split()))
            for form in forms:
                table[form] = forms
    for unit_names in units.names():  # a unit's printed, full and other names are forms of one another too
        forms = tuple(dict.fromkeys(normalize(name) for name in unit_names))
        for form in forms:
            table[form] = tuple(dict.fromkeys((*table.get(form, ()), *forms)))
    return table


ABBREVIATIONS = _abbreviations()


def expand(parsed: ParsedQuery) -> tuple[ParsedQuery, tuple[tuple[str, tuple[str, ...]], ...]]:
    """Add the other forms of every abbreviation, full name or unit name in the query, as ORs.

    The forms come from ``abbreviations.txt`` and from the units table (``units.txt``: 区发展和改革局 also finds
    区发改局).

    Only terms that must match are expanded, never exclusions: what was typed is still searched as typed, and an
    expansion can only add results.

    :return: ``(expanded query, ((typed, (added forms…)), …))``.
    """
    groups = []
    added: list[tuple[str, tuple[str, ...]]] = []
    for group in parsed.groups:
        terms = list(group)
        present = {term.text for term in group}
        for term in group:
            extra = [f for f in ABBREVIATIONS.get(term.text, ()) if f not in present]
            if extra:
                added.append((term.typed, tuple(extra)))
                present.update(extra)
                terms += [replace(term, text=f, typed=f, expanded_from=term.typed) for f in extra]
        groups.append(tuple(terms))
    return ParsedQuery(tuple(groups), parsed.excluded, parsed.whole), tuple(added)
