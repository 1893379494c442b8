"""Read article files into :class:`Article` records, losing no line of them.

The reader is a small package, one module per part of the job:

* :mod:`~searcher.reading.files` — which files are read, decoding, and what is reported for the others;
* :mod:`~searcher.reading.page` — the page model: furniture, header, pieces, and the role of every line;
* :mod:`~searcher.reading.bylines` — bylines recognized by their structure (unit, posts, name);
* :mod:`~searcher.reading.lexicon` — the data files the reader works from (posts, unit suffixes, furniture …);
* :mod:`~searcher.reading.dates` — publication dates;
* :mod:`~searcher.reading.html`, :mod:`~searcher.reading.docx`, :mod:`~searcher.reading.jsonl` — the other formats;
* :mod:`~searcher.reading.model` — the records: :class:`Article`, :class:`Page`, :class:`Line`, :class:`Problem`,
  :class:`Notice`.

Bodies pass through :func:`searcher.repair.restore`, so ``paragraphs`` is the reading order and
``printed_paragraphs`` what was printed.
"""

from searcher.reading.encoding import decode
from searcher.reading.files import SUFFIXES, expand, iter_files, read_file, read_paths, read_structure
from searcher.reading.jsonl import read_jsonl
from searcher.reading.model import ID_PATTERN, ROLES, Article, Line, Notice, Page, Problem, ReadResult
from searcher.reading.page import read_page

__all__ = [
    "ID_PATTERN",
    "ROLES",
    "SUFFIXES",
    "Article",
    "Line",
    "Notice",
    "Page",
    "Problem",
    "ReadResult",
    "decode",
    "expand",
    "iter_files",
    "read_file",
    "read_jsonl",
    "read_page",
    "read_paths",
    "read_structure",
]
