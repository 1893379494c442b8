"""Write a fresh index: one segment per batch of documents, written in one pass, by several processes at once.

* :mod:`searcher.writing.segment` — :class:`SegmentBuilder`, which writes a Whoosh 2.7 segment without Whoosh's
  posting pool: postings grouped per term as the documents are analyzed, each term written once.
* :mod:`searcher.writing.parallel` — :func:`write_parallel`, forked workers that each build segments of their
  share of the documents, published by the parent in one commit.

Updates (a few changed articles, with deletions) go through Whoosh's own ``SegmentWriter`` (see
:mod:`searcher.build`); only a fresh build, where every document is new, takes this path.
"""

from searcher.writing.parallel import write_parallel
from searcher.writing.segment import SegmentBuilder

__all__ = ["SegmentBuilder", "write_parallel"]
