"""Answer queries: matching, ranking, unit filter and facets, paging, highlights — as plain typed values.

A query flows down through this package's steps, each a file: :mod:`~searcher.search.request` parses and checks what
the user asked, :mod:`~searcher.search.plan` turns it into a query tree (exact matching by suffix array, BM25F
ranking over jieba's words, the filters), :mod:`searcher.evaluate` answers the tree over arrays (the matching set,
scores, facet counts, the page), :mod:`~searcher.search.hits` reads what each result shows, and
:mod:`~searcher.search.results` holds the values returned. :mod:`~searcher.search.service` keeps the index open and
current and runs the steps, in that order; no step calls back into it.

Queries are answered by :mod:`searcher.evaluate` over arrays decoded from Whoosh's segment files (4–8× faster than
Whoosh's own collectors, BENCHMARKS.md), with the same answers: ``tests/test_evaluate.py`` and ``bench/sidebyside.py``
compare the two on every kind of query (:mod:`searcher.reference`).
"""

from searcher.search.results import MAX_RESULT_WINDOW, ArticleView, Hit, Overview, Row, SearchResult, result_json
from searcher.search.service import MAX_PER_PAGE, SearchService

__all__ = [
    "MAX_PER_PAGE",
    "MAX_RESULT_WINDOW",
    "ArticleView",
    "Hit",
    "Overview",
    "Row",
    "SearchResult",
    "SearchService",
    "result_json",
]
