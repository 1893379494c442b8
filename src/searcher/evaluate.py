"""Run a Whoosh query tree over whole arrays: the matching set, BM25F scores, top-k, facet counts.

:mod:`searcher.search.plan` builds its queries as Whoosh query objects (``And``, ``Or``, ``AndNot``, ``AndMaybe``,
``ConstantScoreQuery``, ``Term``, :class:`~searcher.matching.Exact`, :class:`~searcher.matching.Adjacent`, ``Every``,
``TermRange``), and they keep their meaning; what changes is how they are answered. Whoosh walks its matchers one
document at a time in Python; here each node of the tree becomes a pair of arrays for each segment — the sorted
document numbers it matches and, where the score matters, their scores — built from :mod:`searcher.postings`:

* ``Term``: the posting list; on a scorable field its score is Whoosh's BM25F (``B=0.75, K1=1.2``), with the same
  IDF and average field length (taken from the Whoosh searcher), the same one-byte field lengths and the posting
  weights Whoosh stored (field boosts are already in them). Unscorable fields score their weight, as in Whoosh.
* ``Exact``: the documents the segment's suffix arrays find (:mod:`searcher.arrays`), deleted ones left out.
* ``Counted``: the same documents, scored by BM25 over how often the string occurs in each (the arrays' counts,
  lengths in characters; its document frequency and average length taken over every segment).
* ``Adjacent``: the documents that have every word, then for those only, the positions as
  ``(document, position - i)`` keys intersected; scored as the sum of its terms' scores times its boost.
* ``And`` / ``Or``: intersection / union, scores added; ``AndNot``: difference; ``AndMaybe``: the first's
  documents, with the second's score added where it matches; ``ConstantScoreQuery``: its child's documents, one score.
* The ranking side of a query (``AndMaybe``'s second part) is evaluated only on the documents the first part matched,
  so positions are decoded only where they can matter.

Scores are summed in the query's order, where Whoosh sums along a tree it shapes by each segment's term counts, so
the two may differ in the last bits of a float; equal scores go to the smaller document number in both. Two scores
a rounding apart could in principle be ordered differently; ``tests/test_evaluate.py`` and ``bench/sidebyside.py``
hold the two paths to the same totals, facet counts and pages, and have found no such pair.

Facet counts are a ``bincount`` over a column's codes; top-k is a ``partition`` then a sort of the few kept; sorting
by date is a ``lexsort`` on each document's date rank, newest first.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from whoosh import query

from searcher.matching import Adjacent, Counted, Exact, string_scores
from searcher.postings import EMPTY, Column, Segment, Segments

__all__ = ["Outcome", "count", "matching_docnums", "run"]

_INT = np.int64
_KEY = np.int64(1 << 32)  # (document, position) keys: positions stay far below 2**32
B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults, the ones searcher's index is scored with


@dataclass(frozen=True)
class _Found:
    ids: np.ndarray  # sorted segment-local document numbers
    scores: np.ndarray | None  # aligned with ids; None when the score does not matter


@dataclass(frozen=True)
class Outcome:
    """What one search found: its size, the requested page of document numbers in order, and facet counts."""

    total: int
    docnums: list[int]
    scores: list[float]
    facets: dict[str, dict[str, int]]
    timed_out: bool = False
    #: With ``stories``: the matching printings (``total`` then counts stories), and for each of ``docnums`` the
    #: other printings of its story that match too, in the same order.
    printings: int = 0
    reprints: list[list[int]] = field(default_factory=list)


def _within(ids: np.ndarray, within: np.ndarray | None) -> np.ndarray:
    """Return a boolean mask of the ``ids`` that are in ``within`` (both sorted)."""
    if within is None:
        return np.ones(len(ids), dtype=bool)
    if not len(within) or not len(ids):
        return np.zeros(len(ids), dtype=bool)
    at = np.searchsorted(within, ids)
    at[at == len(within)] = 0
    return within[at] == ids


def _union(arrays: list[np.ndarray], doc_count: int) -> np.ndarray:
    """The sorted union of sorted document numbers: by sorting when they are few, by a mask over the segment's
    documents when they are many (a mask costs one pass over the segment, a sort grows with n log n)."""
    if len(arrays) == 1:
        return arrays[0]
    size = sum(len(a) for a in arrays)
    if size * 16 < doc_count:
        return np.unique(np.concatenate(arrays))
    mask = np.zeros(doc_count, dtype=bool)
    for ids in arrays:
        mask[ids] = True
    return np.flatnonzero(mask).astype(_INT)


def _take(found: _Found, ids: np.ndarray) -> np.ndarray:
    """The scores of ``found`` at ``ids`` (a subset of its documents)."""
    return found.scores[np.searchsorted(found.ids, ids)]


class _Evaluator:
    """Evaluate query nodes on one of ``segments``; ``stats`` is the Whoosh searcher (global IDF and average
    lengths of words), ``segments`` gives the same for strings."""

    def __init__(self, segments: Segments, segment: Segment, deadline: float | None) -> None:
        self.segments = segments
        self.segment = segment
        self.stats = segments.searcher
        self.deadline = deadline
        self.timed_out = False

    def run(self, q: query.Query, scored: bool, within: np.ndarray | None = None) -> _Found:
        method = self._NODES.get(type(q))
        if method is None:
            if isinstance(q, Adjacent):
                method = _Evaluator._adjacent
            else:
                raise TypeError(f"searcher's evaluator has no rule for {type(q).__name__}")
        return method(self, q, scored, within)

    # --- leaves --------------------------------------------------------------------------------------------------

    def _term_scores(self, fieldname: str, text: str, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        field = self.stats.schema[fieldname]
        if not field.scorable:
            return weights
        idf = self.stats.idf(fieldname, text)
        avgfl = self.stats.avg_field_length(fieldname) or 1
        fl = self.segment.lengths(fieldname)[ids]
        # The expression of whoosh.scoring.bm25, operation for operation, so that each score is the same float.
        return idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * fl / avgfl)))

    def _term(self, q: query.Term, scored: bool, within: np.ndarray | None) -> _Found:
        postings = self.segment.postings(q.fieldname, q.text, within=within)
        keep = _within(postings.ids, within)
        ids = postings.ids[keep]
        if not scored:
            return _Found(ids, None)
        scores = self._term_scores(q.fieldname, q.text, ids, postings.weights[keep])
        return _Found(ids, scores * q.boost if q.boost != 1.0 else scores)

    def _exact(self, q: Exact, scored: bool, within: np.ndarray | None) -> _Found:
        ids = self.segment.exact(q.field, q.text)
        ids = ids[_within(ids, within)]
        # Matching decides, ranking scores: an exact match is scored by its boost (Whoosh's ListMatcher weight).
        return _Found(ids, np.full(len(ids), float(q.boost)) if scored else None)

    def _counted(self, q: Counted, scored: bool, within: np.ndarray | None) -> _Found:
        found = self.segment.occurrences(q.field, q.text)
        keep = _within(found.ids, within)
        ids = found.ids[keep]
        if not scored:
            return _Found(ids, None)
        scores = string_scores(
            found.weights[keep],
            self.segment.characters(q.field)[ids],
            self.segments.frequency(q.field, q.text),
            self.stats.doc_count_all(),
            self.segments.average_characters(q.field),
        )
        return _Found(ids, scores * q.boost if q.boost != 1.0 else scores)

    def _adjacent(self, q: Adjacent, scored: bool, within: np.ndarray | None) -> _Found:
        frequency = [self.segment.doc_frequency(q.fieldname, w) for w in q.words]
        if not q.words or not all(frequency):
            return self._null(q, scored, within)
        # The rarest word first: the candidates shrink fastest, and a common word's postings are then read only in
        # the blocks that hold a candidate (and their positions decoded only there).
        lists = [EMPTY] * len(q.words)
        candidates = within
        for i in sorted(range(len(q.words)), key=frequency.__getitem__):
            lists[i] = self.segment.postings(q.fieldname, q.words[i], len(q.words) > 1, within=candidates)
            candidates = lists[i].ids[_within(lists[i].ids, candidates)]
            if not len(candidates):
                return self._null(q, scored, within)
        if len(lists) > 1:
            keys = None
            for i, postings in enumerate(lists):
                owners, positions = postings.positions_of(np.searchsorted(postings.ids, candidates))
                starts = positions - i
                these = candidates[owners[starts >= 0]] * _KEY + starts[starts >= 0]
                keys = these if keys is None else np.intersect1d(keys, these, assume_unique=True)
                if not len(keys):
                    break
            candidates = np.unique(keys // _KEY)
        if not scored:
            return _Found(candidates, None)
        scores = np.zeros(len(candidates))
        for word, postings in zip(q.words, lists, strict=True):
            at = np.searchsorted(postings.ids, candidates)
            scores += self._term_scores(q.fieldname, word, candidates, postings.weights[at])
        return _Found(candidates, scores * q.boost)

    def _every(self, q: query.Every, scored: bool, within: np.ndarray | None) -> _Found:
        ids = self.segment.all_ids()
        ids = ids[_within(ids, within)]
        return _Found(ids, np.full(len(ids), float(q.boost)) if scored else None)

    def _range(self, q: query.TermRange, scored: bool, within: np.ndarray | None) -> _Found:
        column: Column = self.segment.column(q.fieldname)
        start, stop = column.range_codes(q.start, q.end, q.startexcl, q.endexcl)
        codes = column.codes
        ids = np.flatnonzero((codes >= start) & (codes < stop) & self.segment.live).astype(_INT)
        ids = ids[_within(ids, within)]
        return _Found(ids, np.full(len(ids), float(q.boost)) if scored else None)

    def _null(self, q: query.Query, scored: bool, within: np.ndarray | None) -> _Found:
        return _Found(np.zeros(0, dtype=_INT), np.zeros(0) if scored else None)

    # --- compounds -----------------------------------------------------------------------------------------------

    def _and(self, q: query.And, scored: bool, within: np.ndarray | None) -> _Found:
        parts = []
        ids = within
        for sub in q.subqueries:
            found = self.run(sub, scored, ids)
            parts.append(found)
            ids = found.ids
            if not len(ids):
                break
        if not scored:
            return _Found(ids, None)
        scores = np.zeros(len(ids))
        for found in parts:
            scores += _take(found, ids)
        return _Found(ids, scores * q.boost if q.boost != 1.0 else scores)

    def _or(self, q: query.Or, scored: bool, within: np.ndarray | None) -> _Found:
        parts = []
        for sub in q.subqueries:
            if scored and self.deadline is not None and time.perf_counter() > self.deadline:
                self.timed_out = True  # the documents that matched so far keep their partial scores
                break
            parts.append(self.run(sub, scored, within))
        if not parts:
            return self._null(q, scored, within)
        ids = _union([p.ids for p in parts], self.segment.doc_count)
        if not scored:
            return _Found(ids, None)
        scores = np.zeros(len(ids))
        for found in parts:
            scores[np.searchsorted(ids, found.ids)] += found.scores
        return _Found(ids, scores * q.boost if q.boost != 1.0 else scores)

    def _and_not(self, q: query.AndNot, scored: bool, within: np.ndarray | None) -> _Found:
        found = self.run(q.a, scored, within)
        excluded = self.run(q.b, False, found.ids)
        keep = ~_within(found.ids, excluded.ids)
        return _Found(found.ids[keep], found.scores[keep] if scored else None)

    def _and_maybe(self, q: query.AndMaybe, scored: bool, within: np.ndarray | None) -> _Found:
        found = self.run(q.a, scored, within)
        if not scored or not len(found.ids):
            return found
        extra = self.run(q.b, True, found.ids)
        scores = found.scores.copy()
        scores[np.searchsorted(found.ids, extra.ids)] += extra.scores
        return _Found(found.ids, scores)

    def _constant(self, q: query.ConstantScoreQuery, scored: bool, within: np.ndarray | None) -> _Found:
        found = self.run(q.child, False, within)
        return _Found(found.ids, np.full(len(found.ids), float(q.score)) if scored else None)

    _NODES = {  # noqa: RUF012 - a dispatch table, filled once
        Exact: _exact,
        Counted: _counted,
        query.Term: _term,
        query.Every: _every,
        query.TermRange: _range,
        query.NullQuery.__class__: _null,
        query.And: _and,
        query.Or: _or,
        query.AndNot: _and_not,
        query.AndMaybe: _and_maybe,
        query.ConstantScoreQuery: _constant,
    }


def _facet(segment: Segment, fieldname: str, ids: np.ndarray, counts: dict[str, int]) -> None:
    """Add the counts of ``fieldname``'s values among ``ids`` to ``counts`` (documents without one count as "").

    ``year`` is the year of the ``date`` field (its first four characters), counted without a pass over dates.
    """
    column = segment.years() if fieldname == "year" else segment.column(fieldname)
    tally = np.bincount(column.codes[ids] + 1, minlength=len(column.values) + 1)
    for code in np.flatnonzero(tally).tolist():
        value = column.values[code - 1] if code else ""
        counts[value] = counts.get(value, 0) + int(tally[code])


def _order(docnums: np.ndarray, keys: np.ndarray, limit: int) -> np.ndarray:
    """Return the indexes of the ``limit`` largest ``keys``, largest first, ties by the smaller document number."""
    if limit < len(keys):
        threshold = -np.partition(-keys, limit - 1)[limit - 1]
        chosen = np.flatnonzero(keys >= threshold)
    else:
        chosen = np.arange(len(keys))
    order = np.lexsort((docnums[chosen], -keys[chosen]))
    return chosen[order[:limit]]


def _fold(docnums: np.ndarray, keys: np.ndarray, story: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the order of the documents (best first, ties by document number) with each story's first printing
    leading it, and whether each position is a lead (a story's first printing, or a document of no story)."""
    order = np.lexsort((docnums, -keys))
    ordered = story[order]
    lead = ordered < 0
    printed = np.flatnonzero(~lead)
    _, first = np.unique(ordered[printed], return_index=True)
    lead[printed[first]] = True
    return order, lead


def _date_keys(segments: Segments, parts: list[np.ndarray]) -> np.ndarray:
    """Each document's date as a rank among every segment's dates (-1 for undated), so segments compare."""
    ranks = segments.date_ranks()
    keys = [rank[segment.column("date").codes[ids]] for rank, segment, ids in zip(ranks, segments, parts, strict=True)]
    return np.concatenate(keys) if keys else np.zeros(0)


def run(  # noqa: PLR0913 - the parts of one search
    segments: Segments,
    q: query.Query,
    *,
    unit_filter: query.Query | None = None,
    start: int = 0,
    stop: int = 10,
    sort: str = "score",
    facets: tuple[str, ...] = ("unit", "date"),
    filtered_facets: tuple[str, ...] = (),
    time_limit: float | None = None,
    stories: list[np.ndarray] | None = None,
) -> Outcome:
    """Run ``q``; return its total, the document numbers ``[start:stop]`` of its order, and its facet counts.

    :param unit_filter: a query the results must also match; ``facets`` are counted before it (every unit stays
        visible with its count, to be toggled), ``filtered_facets`` after it (what the results themselves hold).
    :param sort: ``"score"`` (best first) or ``"date"`` (newest first); ties go to the smaller document number.
    :param time_limit: seconds for ranking; past it the matching set and counts stay exact and the order is of the
        scores summed so far (``timed_out``).
    :param stories: for each segment, the story of each document (:meth:`searcher.postings.Segment.stories`, -1 for
        none): each story is then listed once, at its best-placed printing, with its other matching printings
        beside it; ``total`` counts stories, the facets count printings.
    """
    deadline = time.perf_counter() + time_limit if time_limit else None
    scored = sort == "score"
    counts: dict[str, dict[str, int]] = {name: {} for name in (*facets, *filtered_facets)}
    docnums, scores, kept = [], [], []
    timed_out = False
    for segment in segments:
        evaluator = _Evaluator(segments, segment, deadline)
        found = evaluator.run(q, scored)
        timed_out = timed_out or evaluator.timed_out
        ids = found.ids
        for name in facets:
            _facet(segment, name, ids, counts[name])
        if unit_filter is not None and len(ids):
            keep = _within(ids, evaluator.run(unit_filter, False, ids).ids)
            ids = ids[keep]
            found = _Found(ids, found.scores[keep] if scored else None)
        for name in filtered_facets:
            _facet(segment, name, ids, counts[name])
        docnums.append(ids + segment.offset)
        scores.append(found.scores if scored else np.zeros(len(ids)))
        kept.append(ids)
    all_docnums = np.concatenate(docnums) if docnums else np.zeros(0, dtype=_INT)
    all_scores = np.concatenate(scores) if scores else np.zeros(0)
    keys = all_scores if scored else _date_keys(segments, kept)
    story = np.concatenate([s[ids] for s, ids in zip(stories, kept, strict=True)]) if stories and kept else None
    if story is not None and (story >= 0).any():
        order, lead = _fold(all_docnums, keys, story)
        chosen = order[lead][start:stop]
        others = order[~lead]
        return Outcome(
            total=int(lead.sum()),
            docnums=all_docnums[chosen].tolist(),
            scores=all_scores[chosen].tolist(),
            facets=counts,
            timed_out=timed_out,
            printings=len(all_docnums),
            reprints=[all_docnums[others[story[others] == story[n]]].tolist() if story[n] >= 0 else [] for n in chosen],
        )
    chosen = _order(all_docnums, keys, stop)[start:] if stop > start else np.zeros(0, dtype=_INT)
    return Outcome(
        total=len(all_docnums),
        docnums=all_docnums[chosen].tolist(),
        scores=all_scores[chosen].tolist(),
        facets=counts,
        timed_out=timed_out,
        printings=len(all_docnums),
        reprints=[[] for _ in chosen],
    )


def matching_docnums(segments: Segments, q: query.Query, limit: int | None = None) -> list[int]:
    """Return the document numbers ``q`` matches (the first ``limit`` in index order), unscored."""
    found: list[int] = []
    for segment in segments:
        ids = _Evaluator(segments, segment, None).run(q, False).ids
        found.extend((ids + segment.offset).tolist())
        if limit is not None and len(found) >= limit:
            return found[:limit]
    return found


def count(segments: Segments, q: query.Query, limit: int | None = None) -> int:
    """Return how many documents ``q`` matches (at most ``limit``)."""
    return len(matching_docnums(segments, q, limit))
