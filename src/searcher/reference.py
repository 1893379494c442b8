"""Whoosh's own collectors answering a query: the reference :mod:`searcher.evaluate` is checked against.

This was searcher's search path until the array path replaced it. It stays, used only by ``tests/test_evaluate.py``
and ``bench/sidebyside.py``, so that every change to the array path is compared with what Whoosh itself returns
for the same query tree — totals, facet counts and pages — until it is deleted.

Four Whoosh behaviours the array path does not copy:

* ``ConstantScoreQuery(q, 0.0)`` scores 1.0 (its ``ListMatcher`` takes a weight of 0.0 for "none given"): the same
  1.0 on every document, so no order changes; the comparison allows for it.
* ``AndNotMatcher`` keeps its first document when the excluded term occurs in an earlier document: ``_find_first``
  checks the two matchers only when they already stand on the same document, and never moves the excluded one
  forward. ``来 -们`` then returned an article with 们 in it (found by ``tests/test_evaluate.py``). This module
  mends that method when it is imported, so that the reference is right; searcher's own path never used it again.
* ``AndMaybeMatcher.skip_to(id)`` moves the optional matcher to ``id`` rather than to where the required one
  landed, so under an ``And`` (a date or series filter) the ranking part's score was lost for every document the
  required part reached by skipping: those articles ranked as if nothing but the filter matched them. Mended here
  the same way.
* ``TimeLimitCollector`` skips a ``FilterCollector`` it wraps, hence :class:`_Budget`.
"""

from __future__ import annotations

import threading

from whoosh import collectors, query, sorting
from whoosh.matching import mcore
from whoosh.matching.binary import AndMaybeMatcher, AndNotMatcher
from whoosh.searching import Searcher

from searcher.evaluate import Outcome

__all__ = ["collect"]


def _find_first(self: AndNotMatcher) -> None:
    if self.a.is_active() and self.b.is_active():
        self._find_next()  # which moves the excluded matcher up to the first document first


def _skip_to(self: AndMaybeMatcher, docnum: int) -> bool:
    if not self.a.is_active():
        raise mcore.ReadTooFar
    moved = self.a.skip_to(docnum)
    if self.a.is_active() and self.b.is_active():
        moved = self.b.skip_to(self.a.id()) or moved  # where the required matcher landed, not where it was sent
    return moved


AndNotMatcher._find_first = _find_first
AndMaybeMatcher.skip_to = _skip_to


class _Budget(collectors.TimeLimitCollector):
    """A time limit that also holds when other collectors wrap it."""

    def collect(self, sub_docnum: int) -> object:
        if self.timedout:
            raise collectors.TimeLimit
        return self.child.collect(sub_docnum)


def _run(  # noqa: PLR0913, PLR0917
    searcher: Searcher,
    q: query.Query,
    filter_q: query.Query | None,
    limit: int,
    sort: str,
    groupedby: bool,
    time_limit: float,
):
    if sort == "date":
        top: collectors.Collector = collectors.SortingCollector(sorting.FieldFacet("date", reverse=True), limit=limit)
    else:
        # usequality=False, replace=0: otherwise Whoosh skips documents that can no longer reach the top N, and
        # neither the total nor the facet counts would be exact.
        top = collectors.TopCollector(limit=limit, usequality=False, replace=0)
    budget = _Budget(top, timelimit=time_limit, use_alarm=threading.current_thread() is threading.main_thread())
    chain: collectors.Collector = budget
    if groupedby:
        facets = {"unit": sorting.FieldFacet("unit"), "date": sorting.FieldFacet("date")}
        chain = collectors.FacetCollector(chain, facets, maptype=sorting.Count)
    if filter_q is not None:
        chain = collectors.FilterCollector(chain, allow=filter_q)
    try:
        searcher.search_with_collector(q, chain)
        return chain.results(), False
    except collectors.TimeLimit:
        budget.finish()
        return chain.results(), True


def collect(  # noqa: PLR0913 - the same parts as searcher.evaluate.run
    searcher: Searcher,
    q: query.Query,
    *,
    unit_filter: query.Query | None = None,
    start: int = 0,
    stop: int = 10,
    sort: str = "score",
    time_limit: float = 60.0,
) -> Outcome:
    """Answer like :func:`searcher.evaluate.run`, with Whoosh's collectors (facets before the unit filter)."""
    everything, timed_out = _run(searcher, q, None, 1 if unit_filter else stop, sort, True, time_limit)
    facets = {"unit": dict(everything.groups("unit")), "date": dict(everything.groups("date"))}
    hits = everything
    if unit_filter is not None:
        hits, late = _run(searcher, q, unit_filter, stop, sort, False, time_limit)
        timed_out = timed_out or late
    page = [hits[i] for i in range(start, min(len(hits), stop))]
    return Outcome(len(hits), [h.docnum for h in page], [h.score for h in page], facets, timed_out)
