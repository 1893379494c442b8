"""The search service: one Whoosh searcher per process, its decoded postings and a result cache, kept current.

A query flows down from here through the steps, each a module of this package: :mod:`~searcher.search.request`
(parse and check the options), :mod:`~searcher.search.plan` (the query tree of matching, ranking and filters),
:mod:`searcher.evaluate` (answered over arrays: the matching set, scores, facets, the page), then
:mod:`~searcher.search.hits` (what each result shows) into :mod:`~searcher.search.results` (the values returned).

:class:`SearchService` holds one Whoosh searcher per process and refreshes it when the index changes (a commit, or
a rebuild switching the ``current`` link): one shared, refreshed reader costs nothing per request and still sees new
articles on the next request. A refresh keeps the readers and decoded postings of the segments a commit left
unchanged — same segment, same deletions (:func:`searcher.index.open_reader`; Whoosh's own ``Searcher.refresh`` kept
stale deletions and showed every updated article twice). A search runs under the service's lock from start to end,
so every answer comes from one commit, never a mix.
"""

from __future__ import annotations

import contextlib
import difflib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from whoosh import query
from whoosh.index import Index
from whoosh.searching import Searcher

from searcher import evaluate
from searcher.analysis import normalize, query_words
from searcher.index import (
    IndexDamagedError,
    SearchIndexError,
    forget_arrays,
    live_path,
    open_index,
    open_reader,
)
from searcher.postings import Segments
from searcher.query import ParsedQuery, QueryError
from searcher.reading import ID_PATTERN
from searcher.reprints import Reprints
from searcher.search.hits import article_view, hit, listed, passage
from searcher.search.plan import corrections_that_find, plan, unit_filter, unmatched, whoosh_query
from searcher.search.request import Request, marks_of, parse_query
from searcher.search.request import request as request_of
from searcher.search.results import (
    MAX_RESULT_WINDOW,
    ArticleView,
    Overview,
    Passage,
    Row,
    SearchResult,
    by_month,
    facets,
)
from searcher.spelling import Words, is_pinyin

__all__ = ["MAX_PER_PAGE", "SearchService"]

logger = logging.getLogger(__name__)

MAX_PER_PAGE = 50
TIME_BUDGET = 1.0
SUGGEST_SCAN = 2000  # words looked at per field: bounds the time of a one-character prefix


def _unknown_units(searcher: Searcher, units: Sequence[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The filter's units that no article has, each with the index's closest unit names (区发改委 → 区发改局)."""
    known = [t.decode("utf-8") if isinstance(t, bytes) else t for t in searcher.reader().lexicon("unit")]
    known = [name for name in known if name]
    return tuple(
        (unit, tuple(difflib.get_close_matches(unit, known, n=3, cutoff=0.5))) for unit in units if unit not in known
    )


class SearchService:
    """Search one index folder; safe to share between threads.

    :raises searcher.index.SearchIndexError: from the constructor and :meth:`refresh` (no index, or an outdated one).
    """

    def __init__(self, index_dir: Path, cache_size: int = 512) -> None:
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._live: Path | None = None
        self._ix: Index | None = None
        self._generation = -1  # the commit of the live folder that the searcher reads
        self._searcher: Searcher | None = None
        self._segments: Segments | None = None  # the searcher's segments as arrays, with its postings cache
        # Results of recent searches, dropped whenever the index changes (like Elasticsearch's request cache):
        # the same few queries come back all day, and a page of results is small.
        self._cache: OrderedDict[tuple, SearchResult] = OrderedDict()
        self.cache_size = cache_size
        # Side tables written beside each commit (words.json, reprints.json), loaded on first use per commit.
        self._tables: dict[str, tuple[tuple, object]] = {}
        self.refresh()

    def refresh(self) -> Searcher:
        """Return the searcher, reopened if the index changed since it was opened."""
        live = live_path(self.index_dir)
        if self._searcher is None or live != self._live:
            old = self._searcher
            self._ix = open_index(self.index_dir)
            reader, self._generation = open_reader(self._ix)
            self._searcher = Searcher(reader, fromindex=self._ix)
            self._segments = Segments(self._searcher)
            self._live = live
            self._cache.clear()
            if old is not None:
                old.close()
                forget_arrays()
        elif self._ix.latest_generation() != self._generation:
            # Not Searcher.up_to_date(): a reused reader of a one-segment index still carries its old generation.
            reader, self._generation = open_reader(self._ix, reuse=self._searcher.reader())
            self._searcher = Searcher(reader, fromindex=self._ix)
            self._segments = Segments(self._searcher, reuse=self._segments)
            self._cache.clear()
        return self._searcher

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """Turn a failure to read the index files into :class:`IndexDamagedError` (a 503), logged with its traceback.

        The manifest check at open catches truncated and zeroed files; damage inside a file (same size, same edges)
        shows only when a search reads that block, and must not become a 500.
        """
        try:
            yield
        except (SearchIndexError, QueryError):
            raise
        except Exception as error:
            logger.exception("reading the index in %s failed", self.index_dir)
            raise IndexDamagedError(
                f"the index in {self.index_dir} could not be read ({type(error).__name__}): rebuild it with "
                f"`searcher index PATH... --rebuild --index-dir {self.index_dir}`"
            ) from None

    def close(self) -> None:
        """Close the searcher and its files."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def __enter__(self) -> SearchService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        # The index files are real open files: a service dropped without close() still closes them.
        if getattr(self, "_searcher", None) is not None:
            self._searcher.close()

    def search(  # noqa: PLR0913 - the options of one search, as the page and the API take them
        self,
        text: str,
        units: Sequence[str] = (),
        page: int = 1,
        per_page: int = 10,
        sort: str = "",
        *,
        literal: bool = False,
        series: Sequence[str] = (),
        date_from: str = "",
        date_to: str = "",
        group: bool = True,
    ) -> SearchResult:
        """Run a query typed by a user.

        :param units: show only articles of these units (facet counts still cover every unit).
        :param sort: ``"score"`` or ``"date"`` (newest first); by default score, or date when there is no keyword.
        :param literal: search only what was typed (no abbreviation expansion, see :func:`searcher.query.expand`).
        :param series: only articles of these series.
        :param date_from: only articles dated on or after this day (``YYYY-MM-DD``).
        :param date_to: only articles dated on or before this day (``YYYY-MM-DD``).
        :param group: list each story once, its other matching printings beside it (:mod:`searcher.reprints`);
            ``False`` lists every printing.

        With no keyword but a unit, series or date filter, every article that passes the filters is listed
        (newest first by default), with the same facets and paging.
        :raises QueryError: for a query or parameter the user must change; the message says how.
        """
        started = time.perf_counter()
        request = request_of(text, units, sort, literal, series, date_from, date_to)
        if per_page < 1 or per_page > MAX_PER_PAGE:
            raise QueryError(f"per_page 须在 1 到 {MAX_PER_PAGE} 之间。 per_page must be between 1 and {MAX_PER_PAGE}.")
        if page < 1 or page * per_page > MAX_RESULT_WINDOW:
            raise QueryError(
                f"页码超出范围：最多显示前 {MAX_RESULT_WINDOW} 条结果。 page must be at least 1 and show no result "
                f"beyond the first {MAX_RESULT_WINDOW}."
            )
        units, series, sort, browsing = request.units, request.series, request.sort, request.browsing
        if request.empty:
            return SearchResult(text, 0, page, per_page, [], {"unit": {}, "unit_type": {}, "year": {}}, units, sort)
        key = (text, units, series, date_from, date_to, page, per_page, sort, literal, group)
        with self._lock, self._reading():
            searcher = self.refresh()
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return replace(cached, took_ms=(time.perf_counter() - started) * 1000, cached=True)
            window = ((page - 1) * per_page, page * per_page)
            parsed, readings, outcome = self._run(
                request, *window, group, counted=("unit", "year"), counted_after=("date",)
            )
            timed_out, total = outcome.timed_out, outcome.total
            counts = facets(outcome.facets["unit"], outcome.facets["year"])
            months, undated = by_month(outcome.facets["date"])
            page_hits = [
                hit(searcher, n, score, parsed, others)
                for n, score, others in zip(outcome.docnums, outcome.scores, outcome.reprints, strict=True)
            ]
            missing, suggestion, corrections = ((), None, ())
            if total == 0 and not units and not browsing:
                missing, suggestion = unmatched(self._segments, parsed)
                words = self._words()
                texts = {term.typed: term.text for term in parsed.terms}
                corrections = tuple(
                    (typed, found)
                    for typed in missing
                    if (found := corrections_that_find(self._segments, parsed, typed, words.corrections(texts[typed])))
                )
            unknown = _unknown_units(searcher, units) if total == 0 and units else ()
            took = (time.perf_counter() - started) * 1000
            result = SearchResult(
                text,
                total,
                page,
                per_page,
                page_hits,
                counts,
                units,
                sort,
                missing,
                suggestion,
                took,
                timed_out,
                expanded=request.expanded,
                literal=literal,
                pinyin=readings,
                corrections=corrections,
                series=series,
                date_from=date_from,
                date_to=date_to,
                months=months,
                undated=undated,
                unknown_units=unknown,
                grouped=group,
                printings=outcome.printings,
            )
            if self.cache_size and not timed_out:
                self._cache[key] = result
                if len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return result

    def _run(  # noqa: PLR0913 - a request, its window and what to count
        self,
        request: Request,
        start: int,
        stop: int,
        group: bool,
        *,
        counted: tuple[str, ...] = (),
        counted_after: tuple[str, ...] = (),
    ) -> tuple[ParsedQuery, tuple[tuple[str, str], ...], evaluate.Outcome]:
        """Plan and run a request over the segments (the caller holds the lock): the parsed query, its pinyin
        readings, and the outcome for the results ``[start:stop]``, with the facet counts of ``counted`` (before the
        unit filter) and ``counted_after`` (after it)."""
        parsed, readings, whoosh_query = plan(self._segments, self._words, request)
        outcome = evaluate.run(
            self._segments,
            whoosh_query,
            unit_filter=unit_filter(request.units),
            start=start,
            stop=stop,
            sort=request.sort,
            facets=counted,
            filtered_facets=counted_after,
            time_limit=TIME_BUDGET,
            stories=self._stories(group),
        )
        return parsed, readings, outcome

    def matching_ids(self, text: str, units: Sequence[str] = (), literal: bool = False) -> set[str]:
        """Return the id of every article the query matches, with no result window (for exports and checks)."""
        parsed, _ = parse_query(text, literal)
        if not parsed.groups:
            return set()
        with self._lock, self._reading():
            searcher = self.refresh()
            docnums = set(evaluate.matching_docnums(self._segments, whoosh_query(parsed)))
            if units:
                docnums &= set(evaluate.matching_docnums(self._segments, unit_filter(units)))
            ids = searcher.reader().column_reader("id")
            return {ids[n] for n in docnums}

    def _table(self, load: Callable[[Path], object]) -> object:
        """A side table of the live commit (``load(folder)``), loaded once per index generation and commit."""
        generation = (self._live, self._generation)
        name = load.__qualname__
        if name not in self._tables or self._tables[name][0] != generation:
            self._tables[name] = (generation, load(self._live))
        return self._tables[name][1]

    def _words(self) -> Words:
        """The index's words with their pinyin (``words.json``)."""
        return self._table(Words.load)

    def _stories(self, group: bool) -> list | None:
        """Each segment's story numbers (``reprints.json``) when results are grouped and any story has reprints."""
        reprints: Reprints = self._table(Reprints.load)
        if not group or not reprints.members:
            return None
        return [segment.stories(reprints.story) for segment in self._segments]

    def article(self, article_id: str, text: str = "", literal: bool = False) -> ArticleView | None:
        """Return the article with ``article_id`` (``None`` if there is none), the query's strings marked."""
        if not ID_PATTERN.fullmatch(article_id or ""):
            return None
        parsed = marks_of(text, literal)
        with self._lock, self._reading():
            fields = self.refresh().document(id=article_id)
        if fields is None:
            return None
        return article_view(fields, parsed)

    def related(self, article_id: str, limit: int = 5) -> list[Row] | None:
        """Return up to ``limit`` articles on the same topic, never the article itself or its reprints, and one
        printing of each other story (for its page and the API); ``None`` when there is no such article.

        Whoosh's "more like this", over headline and body: the article's ten most telling jieba words (Whoosh's Bo1
        model, weighed against the whole index) searched for in both fields, each weighted by how telling it is.
        """
        if not ID_PATTERN.fullmatch(article_id or ""):
            return None
        with self._lock, self._reading():
            searcher = self.refresh()
            docnum = searcher.document_number(id=article_id)
            if docnum is None:
                return None
            stored = searcher.stored_fields(docnum)
            text = f"{stored.get('title', '')}\n{stored.get('body', '')}"
            terms = searcher.key_terms_from_text("body", text, numterms=10)
            alike = query.Or([query.Term(f, word, boost=weight) for f in ("title", "body") for word, weight in terms])
            reprints: Reprints = self._table(Reprints.load)
            story = reprints.story
            seen = {story.get(article_id, article_id)}  # the article's own story
            rows = []
            wanted = 4 * limit if reprints.members else limit + 1  # room for printings left out
            for found in searcher.search(alike, limit=wanted):
                row = Row(**listed(found.fields()))
                if story.get(row.id, row.id) not in seen:
                    seen.add(story.get(row.id, row.id))
                    rows.append(row)
            return rows[:limit]

    def passages(self, ids: Sequence[str], text: str = "", url: Callable[[str], str] = lambda i: f"/article/{i}",
                 literal: bool = False) -> list[Passage]:  # fmt: skip
        """Return the articles ``ids`` (those that exist, in that order) as a 摘编 quotes them, ``text``'s strings
        found in them."""
        parsed = marks_of(text, literal)
        with self._lock, self._reading():
            searcher = self.refresh()
            found = [searcher.document(id=i) for i in dict.fromkeys(ids) if ID_PATTERN.fullmatch(i or "")]
        return [passage(fields, parsed, url(fields["id"])) for fields in found if fields]

    def export(  # noqa: PLR0913 - the same options as search
        self,
        text: str,
        units: Sequence[str] = (),
        sort: str = "",
        *,
        literal: bool = False,
        series: Sequence[str] = (),
        date_from: str = "",
        date_to: str = "",
        group: bool = True,
    ) -> list[tuple[Row, list[Row]]]:
        """Return every result of a search, in its order, up to the result window (for CSV and Excel exports), each
        with its story's other matching printings (none when ``group`` is off: every printing is a result)."""
        request = request_of(text, units, sort, literal, series, date_from, date_to)
        if request.empty:
            return []
        with self._lock, self._reading():
            searcher = self.refresh()
            _, _, outcome = self._run(request, 0, MAX_RESULT_WINDOW, group)
            row = lambda n: Row(**listed(searcher.stored_fields(n)))  # noqa: E731
            return [
                (row(n), [row(o) for o in others]) for n, others in zip(outcome.docnums, outcome.reprints, strict=True)
            ]

    def overview(self, newest: int = 8) -> Overview:
        """Return the archive's size, its first and last dates, and its ``newest`` articles."""
        with self._lock, self._reading():
            searcher = self.refresh()
            reader = searcher.reader()
            dates = sorted(d.decode() if isinstance(d, bytes) else d for d in reader.lexicon("date"))
            dates = [d for d in dates if d]
            top = evaluate.run(self._segments, query.Every(), stop=newest, sort="date", facets=())
            hits = [hit(searcher, n, 0.0, ParsedQuery()) for n in top.docnums]
            return Overview(reader.doc_count(), dates[0] if dates else "", dates[-1] if dates else "", hits)

    def article_count(self) -> int:
        """Return the number of articles in the index."""
        with self._lock, self._reading():
            return self.refresh().doc_count()

    def facet_values(self, fieldname: str) -> dict[str, int]:
        """Return every value of ``unit`` or ``series`` with its article count (for the page with no query)."""
        if fieldname not in ("unit", "series"):
            raise ValueError(fieldname)
        with self._lock, self._reading():
            reader = self.refresh().reader()
            values = {
                term.decode("utf-8") if isinstance(term, bytes) else term: reader.doc_frequency(fieldname, term)
                for term in reader.lexicon(fieldname)
            }
        return {k: v for k, v in sorted(values.items(), key=lambda i: (-i[1], i[0])) if k}

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Return indexed words that start with ``prefix``, the most common first (for the search box).

        A Latin prefix is also read as the start of a pinyin reading (``gongt`` → 共同富裕) or as initials.
        """
        if is_pinyin(normalize(prefix).strip()):
            with self._lock, self._reading():
                self.refresh()
                found = self._words().complete_pinyin(normalize(prefix).strip(), limit)
            if found:
                return found
        words = query_words(prefix)
        if not prefix.strip() or not words:
            return []
        stem = "".join(words)
        found: dict[str, int] = {}
        with self._lock, self._reading():
            reader = self.refresh().reader()
            for fieldname in ("title", "body"):
                for n, term in enumerate(reader.expand_prefix(fieldname, stem)):
                    if n >= SUGGEST_SCAN:
                        break
                    word = term.decode("utf-8") if isinstance(term, bytes) else term
                    found[word] = found.get(word, 0) + reader.doc_frequency(fieldname, word)
        ranked = sorted((w for w in found if w != stem), key=lambda w: (-found[w], w))
        return ranked[:limit]
