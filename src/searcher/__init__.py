"""searcher: full-text search of Chinese newspaper articles, by keyword and by unit.

The data flows one way through one module per stage: :mod:`searcher.reading` reads files (text pages, saved
HTML, Word, JSON Lines) into :class:`~searcher.reading.Article` records through its page model, losing no line (with
:mod:`searcher.repair` restoring damaged reading order),
:mod:`searcher.analysis` turns text into terms, :mod:`searcher.index` writes the Whoosh index, :mod:`searcher.search`
answers queries written in :mod:`searcher.query`'s language with :mod:`searcher.highlight`'s marks, and
:mod:`searcher.web` and :mod:`searcher.cli` render the results.
"""

__version__ = "0.1.0"
