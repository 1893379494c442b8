"""Exact matching: the query that decides whether an article is a result, and word adjacency for ranking.

:class:`Exact` matches a document when the term's normalized text occurs inside one line of the document's title
(``"title"``) or text (``"text"``: byline, kicker, subtitle, body, captions, credits). It is answered by the
segment's suffix arrays (:mod:`searcher.arrays`), for any length, with no postings; :mod:`searcher.evaluate` reads it
over arrays, and its Whoosh matcher (a list of documents) lets Whoosh's own collectors answer the same query tree for
the side-by-side check (:mod:`searcher.reference`).

:class:`Adjacent` is Whoosh's ``SpanNear2`` with a faster check, used only for ranking: the words of a term found side
by side score above the same words scattered. Whoosh compares every pair of span objects in Python, while here each
word's positions go into a set and a phrase start ``p`` is kept when word ``i`` occurs at ``p + i``.
"""

from __future__ import annotations

import math

import numpy as np
from whoosh import query
from whoosh.matching import ListMatcher, NullMatcher, WrappingMatcher
from whoosh.query.spans import Span, SpanNear2

from searcher.index import arrays_of

__all__ = ["Adjacent", "Counted", "Exact", "exact"]


class Exact(query.Query):
    """Match documents whose ``field`` (``"title"`` or ``"text"``) contains ``text`` (normalized) inside one line."""

    def __init__(self, field: str, text: str, boost: float = 1.0) -> None:
        self.field = field
        self.text = text
        self.boost = boost

    def __repr__(self) -> str:
        return f"Exact({self.field!r}, {self.text!r})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and (self.field, self.text, self.boost) == (
            other.field,
            other.text,
            other.boost,
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.field, self.text, self.boost))

    def is_leaf(self) -> bool:
        return True

    def estimate_size(self, ixreader) -> int:
        return ixreader.doc_count_all()

    def matcher(self, searcher, context=None):
        """Whoosh's matcher over one segment: the documents the suffix arrays find, deleted ones left out."""
        reader = searcher.reader()
        ids, _ = arrays_of(reader).field(self.field).documents(self.text)
        live = [int(n) for n in ids if not reader.is_deleted(int(n))]
        if not live:
            return NullMatcher()
        return ListMatcher(live, all_weights=self.boost)


class Counted(Exact):
    """The documents :class:`Exact` matches, scored by how often the string occurs: BM25 over the suffix arrays'
    counts, lengths in characters (:func:`string_scores`) — ranking by the typed string itself.

    :mod:`searcher.evaluate` scores it over arrays; its Whoosh matcher gives the same scores for the reference path.
    """

    def __repr__(self) -> str:
        return f"Counted({self.field!r}, {self.text!r})"

    def matcher(self, searcher, context=None):
        """Whoosh's matcher over one segment, each live document weighted by its score (stats over every segment)."""
        reader = searcher.reader()
        leaves = [leaf for leaf, _ in searcher.get_parent().reader().leaf_readers()]
        frequency = total = 0
        for leaf in leaves:
            ids, _ = arrays_of(leaf).field(self.field).documents(self.text)
            frequency += sum(not leaf.is_deleted(int(n)) for n in ids)
            total += int(arrays_of(leaf).field(self.field).starts[-1])
        documents = sum(leaf.doc_count_all() for leaf in leaves)
        found = arrays_of(reader).field(self.field)
        ids, counts = found.documents(self.text)
        live = np.array([not reader.is_deleted(int(n)) for n in ids], dtype=bool)
        ids, counts = ids[live], counts[live]
        if not len(ids):
            return NullMatcher()
        lengths = np.diff(np.asarray(found.starts))[ids].astype(np.float64)
        scores = string_scores(counts.astype(np.float64), lengths, frequency, documents, total / documents)
        return ListMatcher(ids.tolist(), weights=(scores * self.boost).tolist())


def string_scores(  # noqa: PLR0913, PLR0917 - BM25's parts
    counts: np.ndarray,
    lengths: np.ndarray,
    frequency: int,
    documents: int,
    average: float,
    k1: float = 1.2,
    b: float = 0.75,
) -> np.ndarray:
    """BM25 of a string in each document: ``counts`` its occurrences, ``lengths`` the documents' lengths, in a field
    of ``documents`` documents averaging ``average``, ``frequency`` of which contain it.

    Whoosh's IDF (``log(N / (df + 1)) + 1``) and its BM25 defaults, as the words' BM25F uses: a string and a word
    weigh alike. It reads no postings; ``bench/ranking.py`` measures how it ranks against the words.
    """
    idf = math.log(documents / (frequency + 1)) + 1
    return idf * ((counts * (k1 + 1)) / (counts + k1 * ((1 - b) + b * lengths / (average or 1))))


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


def exact(field: str, text: str) -> Exact:
    """Return the query that matches ``text`` exactly in ``field`` (``"title"`` or ``"text"``).

    :param text: a normalized term (single spaces allowed inside a phrase).
    """
    return Exact(field, text)
