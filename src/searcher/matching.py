"""Exact matching on the character fields: the Whoosh queries that decide whether an article is a result.

A term of one character is looked up in the unigram field, a term of two in the bigram field, and a longer term as
its overlapping bigrams at consecutive positions (:class:`Adjacent`). Together with the way
:class:`~searcher.analysis.CharTokenizer` indexes text, this matches a term exactly when its normalized text is a
substring of the normalized field, and nowhere else.

:class:`Adjacent` is Whoosh's ``SpanNear2`` with a faster check: Whoosh compares every pair of span objects in
Python, while here each term's positions go into a set and a phrase start ``p`` is kept when term ``i`` occurs at
``p + i``. On common bigrams this is several times faster, and the result is the same.
"""

from __future__ import annotations

from whoosh import query
from whoosh.matching import NullMatcher, WrappingMatcher
from whoosh.query.spans import Span, SpanNear2

__all__ = ["Adjacent", "exact"]


class Adjacent(SpanNear2):
    """Match documents where ``words`` occur in ``fieldname`` at consecutive positions."""

    def __init__(self, fieldname: str, words: list[str], boost: float = 1.0) -> None:
        super().__init__([query.Term(fieldname, w) for w in words])
        self.fieldname = fieldname
        self.words = list(words)
        self.boost = boost

    def __repr__(self) -> str:
        return f"Adjacent({self.fieldname!r}, {self.words!r})"

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        if not self.words or any((self.fieldname, w) not in reader for w in self.words):
            return NullMatcher()
        matcher = _AdjacentMatcher([q.matcher(searcher, context) for q in self.qs])
        if self.boost != 1.0:
            matcher = WrappingMatcher(matcher, boost=self.boost)
        return matcher


class _AdjacentMatcher(SpanNear2.SpanNear2Matcher):
    def __init__(self, ms: list) -> None:
        super().__init__(ms, slop=1, ordered=True, mindist=1)

    def copy(self):
        return self.__class__([m.copy() for m in self.ms])

    def _get_spans(self) -> list[Span]:
        first, *rest = self.ms
        following = [frozenset(m.value_as("positions")) for m in rest]
        last = len(following)
        return [
            Span(p, p + last)
            for p in first.value_as("positions")
            if all(p + i in later for i, later in enumerate(following, 1))
        ]


def exact(prefix: str, text: str) -> query.Query:
    """Return the query that matches ``text`` exactly in the character fields ``<prefix>_uni`` / ``<prefix>_bi``.

    :param prefix: ``"title"`` or ``"text"``.
    :param text: a normalized term (single spaces allowed inside a phrase).
    """
    if len(text) == 1:
        return query.Term(f"{prefix}_uni", text)
    if len(text) == 2:
        return query.Term(f"{prefix}_bi", text)
    return Adjacent(f"{prefix}_bi", [text[i : i + 2] for i in range(len(text) - 1)])
