"""Answer queries: matching, ranking, unit filter and facets, paging, highlights — as plain typed values.

**Matching** is exact: a term matches an article when its normalized text occurs in the normalized headline, byline,
body, captions or credits. Each term is looked up in each segment's suffix arrays (:mod:`searcher.arrays`), so what
the user typed is found whatever jieba makes of it, and nothing else is.

**Ranking** only orders what matched. It is BM25F over jieba's words (headline ×3, byline ×2, body), with bonuses
for a term found whole in the headline and for the words of a term found as a phrase, so exact and adjacent
matches rank above scattered ones.

Queries are built here as Whoosh query trees and answered by :mod:`searcher.evaluate` over arrays decoded from
Whoosh's segment files (:mod:`searcher.postings`): the matching set, scores, unit filter, facet counts and the page
come out of numpy operations instead of Whoosh's per-document matchers and collectors (4–8× faster at 24,100 items,
BENCHMARKS.md), with the same answers (``tests/test_evaluate.py`` and ``bench/sidebyside.py`` compare the two on
every kind of query). The unit filter narrows the results; facet counts are those of the query *without* it, so
every unit stays visible, with its count, to be toggled.

:class:`SearchService` holds one Whoosh searcher per process, with its decoded postings, and refreshes both when the
index changes (a commit, or a rebuild switching the ``current`` link): one shared, refreshed reader costs nothing per
request and still sees new articles on the next request. A refresh keeps the readers and decoded postings of the
segments a commit left unchanged — same segment, same deletions (:func:`searcher.index.open_reader`; Whoosh's own
``Searcher.refresh`` kept stale deletions and showed every updated article twice). A search runs under the
service's lock from start to end, so every answer comes from one commit, never a mix. Nothing in this module's
interface is a Whoosh or numpy type, so another engine could stand behind it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from markupsafe import Markup
from whoosh import query
from whoosh.index import Index
from whoosh.searching import Searcher

from searcher import evaluate
from searcher.analysis import normalize, query_words
from searcher.highlight import find_spans, mark, snippet
from searcher.index import (
    IndexDamagedError,
    SearchIndexError,
    forget_arrays,
    live_path,
    open_index,
    open_reader,
)
from searcher.matching import Adjacent, exact
from searcher.postings import Segments
from searcher.query import ParsedQuery, QueryError, Term, expand, parse
from searcher.reading import ID_PATTERN
from searcher.reading.dates import valid_date
from searcher.spelling import Words, is_pinyin
from searcher.units import canonical, unit_type

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

logger = logging.getLogger(__name__)

MAX_PER_PAGE = 50
MAX_RESULT_WINDOW = 1000
TIME_BUDGET = 1.0
TITLE_BONUS = 4.0
PHRASE_BOOST = 2.0
SUGGEST_SCAN = 2000  # words looked at per field: bounds the time of a one-character prefix
PINYIN_RATIO = 10  # a Latin term is also read as pinyin when its reading is in this many times more articles


@dataclass(frozen=True)
class Hit:
    """One search result, ready to render: ``title_html`` and ``snippet`` are escaped HTML with ``<mark>``."""

    id: str
    title: str
    title_html: Markup
    unit: str
    position: str
    person: str
    date: str
    snippet: Markup
    score: float
    paper: str = ""


@dataclass(frozen=True)
class SearchResult:
    """A page of results, the unit facet counts, and what to tell the user when nothing matched."""

    query: str
    total: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    units: tuple[str, ...] = ()
    sort: str = "score"
    unmatched: tuple[str, ...] = ()
    suggestion: str | None = None
    took_ms: float = 0.0
    timed_out: bool = False
    cached: bool = False
    expanded: tuple[tuple[str, tuple[str, ...]], ...] = ()
    literal: bool = False
    pinyin: tuple[tuple[str, str], ...] = ()
    corrections: tuple[tuple[str, tuple[str, ...]], ...] = ()
    series: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""

    @property
    def browsing(self) -> bool:
        """Whether this lists a unit's or a series' articles (or a date range) with no keyword."""
        return not self.query.strip()

    @property
    def pages(self) -> int:
        """The number of pages that can be shown (capped by the result window)."""
        return max(1, (min(self.total, MAX_RESULT_WINDOW) + self.per_page - 1) // self.per_page)


@dataclass(frozen=True)
class ArticleView:
    """A whole article for its page, with the query's strings marked in the headline and each paragraph."""

    id: str
    title: str
    title_html: Markup
    unit: str
    position: str
    person: str
    series: str
    date: str
    url: str
    source: str
    kind: str
    paragraphs_html: list[Markup]
    printed: list[str] | None
    repair: str
    kicker_html: Markup
    subtitle_html: Markup
    missing: list[str] = field(default_factory=list)
    byline_line: str = ""
    furniture: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    captions_html: list[Markup] = field(default_factory=list)
    paper: str = ""


@dataclass(frozen=True)
class Overview:
    """The archive at a glance, for the start page: its size, its date span and its newest articles."""

    count: int
    first_date: str
    last_date: str
    newest: list[Hit]


@dataclass(frozen=True)
class Row:
    """One line of an export: what a report (简报) needs of a result."""

    id: str
    title: str
    unit: str
    position: str
    person: str
    date: str
    paper: str = ""


def result_json(result: SearchResult, article_url: Callable[[str], str] = lambda i: f"/article/{i}") -> dict:
    """Return the JSON document of ``/api/search`` (and ``searcher search --json``)."""
    return {
        "query": result.query,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "sort": result.sort,
        "units": list(result.units),
        "hits": [
            {
                "id": hit.id,
                "title": hit.title,
                "title_html": str(hit.title_html),
                "unit": hit.unit,
                "position": hit.position,
                "person": hit.person,
                "date": hit.date,
                "paper": hit.paper,
                "url": article_url(hit.id),
                "snippet": str(hit.snippet),
            }
            for hit in result.hits
        ],
        "facets": result.facets,
        "unmatched": list(result.unmatched),
        "suggestion": result.suggestion,
        "took_ms": round(result.took_ms, 2),
        "timed_out": result.timed_out,
        "literal": result.literal,
        "expanded": [{"term": typed, "also": list(forms)} for typed, forms in result.expanded],
        "pinyin": [{"term": typed, "read_as": word} for typed, word in result.pinyin],
        "corrections": [{"term": typed, "did_you_mean": list(words)} for typed, words in result.corrections],
        "series": list(result.series),
        "from": result.date_from or None,
        "to": result.date_to or None,
    }


# --- Whoosh queries ------------------------------------------------------------------------------------------------


def _match(term: Term) -> query.Query:
    """The exact-match query of one term (what decides whether an article is a result)."""
    if term.title_only:
        return exact("title", term.text)
    return query.Or([exact("title", term.text), exact("text", term.text)])


def _rank(term: Term) -> list[query.Query]:
    """The optional queries that score an article for one term."""
    words = query_words(term.text)
    fields = ("title",) if term.title_only else ("title", "byline", "body")
    scoring: list[query.Query] = [query.Term(f, w) for f in fields for w in words]
    if len(words) > 1:
        scoring.extend(Adjacent(f, words, boost=PHRASE_BOOST) for f in fields if f != "byline")
    scoring.append(query.ConstantScoreQuery(exact("title", term.text), TITLE_BONUS))
    return scoring


def _whoosh_query(parsed: ParsedQuery) -> query.Query:
    required = query.And([query.Or([_match(t) for t in group]) for group in parsed.groups])
    if parsed.excluded:
        required = query.AndNot(required, query.Or([_match(t) for t in parsed.excluded]))
    ranking = [q for term in parsed.terms for q in _rank(term)]
    if len(parsed.terms) > 1:
        # The whole query as one string in the headline: a pasted headline finds its article first.
        # (also as typed, punctuation and all: a headline pasted with its ，、 splits into terms)
        for whole in dict.fromkeys((" ".join(t.text for t in parsed.terms), parsed.whole)):
            if whole:
                ranking.append(query.ConstantScoreQuery(exact("title", whole), TITLE_BONUS * 2))
    if len(parsed.groups) > 1 and all(len(g) == 1 for g in parsed.groups):
        # The terms' words side by side, in the order typed, rank above the same words scattered.
        words = [w for t in parsed.terms for w in query_words(t.text)]
        if len(words) > 1:
            ranking.extend(Adjacent(f, words, boost=PHRASE_BOOST) for f in ("title", "body"))
    return query.AndMaybe(query.ConstantScoreQuery(required, 0.0), query.Or(ranking))


def _check_dates(date_from: str, date_to: str) -> None:
    for name, value in (("from", date_from), ("to", date_to)):
        if value and not valid_date(value):
            raise QueryError(
                f"日期 {value} 无效：请写成 YYYY-MM-DD，如 2024-03-09。 "
                f"'{name}' must be a real date written YYYY-MM-DD."
            )
    if date_from and date_to and date_from > date_to:
        raise QueryError("起始日期晚于结束日期。 'from' is after 'to'.")


def _constrained(base: query.Query, series: Sequence[str], date_from: str, date_to: str) -> query.Query:
    """Add the series and date filters to the query itself: unlike units, they narrow the facet counts too."""
    parts = [base]
    if series:
        parts.append(query.Or([query.Term("series", x) for x in series]))
    if date_from or date_to:
        parts.append(query.TermRange("date", date_from or None, date_to or None))
    return parts[0] if len(parts) == 1 else query.And(parts)


def _types(units: dict) -> dict[str, int]:
    """Count articles by unit type (部门, 乡镇街道, 其他; see ``units.txt``), in the table's order of types."""
    types: dict[str, int] = {}
    for unit, count in units.items():
        if unit:
            kind = unit_type(unit)
            types[kind] = types.get(kind, 0) + count
    order = {"部门": 0, "乡镇街道": 1}
    return dict(sorted(types.items(), key=lambda item: (order.get(item[0], 2), item[0])))


def _years(years: dict) -> dict[str, int]:
    """Newest year first; undated articles are not a year."""
    return dict(sorted(((y, n) for y, n in years.items() if y), reverse=True))


_LISTED = ("title", "unit", "position", "person", "date", "paper")


def _listed(stored: dict) -> dict[str, str]:
    """What a result list shows of an article, on the page and in an export (the fields :class:`Row` has)."""
    return {"id": stored["id"], **{name: stored.get(name, "") for name in _LISTED}}


def _unit_filter(units: Sequence[str]) -> query.Query | None:
    return query.Or([query.Term("unit", u) for u in units]) if units else None


def _parse(text: str, literal: bool) -> tuple[ParsedQuery, tuple[tuple[str, tuple[str, ...]], ...]]:
    """Parse a query and, unless ``literal``, add the other forms of its abbreviations."""
    parsed = parse(text)
    return (parsed, ()) if literal else expand(parsed)


@dataclass(frozen=True)
class _Request:
    """A search's options, checked and cleaned (what both a page of results and an export start from)."""

    text: str
    parsed: ParsedQuery
    expanded: tuple[tuple[str, tuple[str, ...]], ...]
    units: tuple[str, ...]
    series: tuple[str, ...]
    date_from: str
    date_to: str
    sort: str
    literal: bool

    @property
    def browsing(self) -> bool:
        return not self.parsed.groups

    @property
    def empty(self) -> bool:
        """No keyword and no filter: nothing to list."""
        return self.browsing and not (self.units or self.series or self.date_from or self.date_to)


def _request(  # noqa: PLR0913, PLR0917 - the options of one search
    text: str,
    units: Sequence[str],
    sort: str,
    literal: bool,
    series: Sequence[str],
    date_from: str,
    date_to: str,
) -> _Request:
    """Parse and check a search's options; :class:`QueryError` says what the user must change."""
    parsed, expanded = _parse(text, literal)
    _check_dates(date_from, date_to)
    sort = sort or ("date" if not parsed.groups else "score")
    if sort not in ("score", "date"):
        raise QueryError("sort 只能是 score 或 date。 sort must be 'score' or 'date'.")
    return _Request(
        text,
        parsed,
        expanded,
        tuple(dict.fromkeys(canonical(u) for u in units if u.strip())),
        tuple(dict.fromkeys(x.strip() for x in series if x.strip())),
        date_from,
        date_to,
        sort,
        literal,
    )


# --- The service ---------------------------------------------------------------------------------------------------


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
        self._words_table = Words([])
        self._words_of: tuple | None = None
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
    ) -> SearchResult:
        """Run a query typed by a user.

        :param units: show only articles of these units (facet counts still cover every unit).
        :param sort: ``"score"`` or ``"date"`` (newest first); by default score, or date when there is no keyword.
        :param literal: search only what was typed (no abbreviation expansion, see :func:`searcher.query.expand`).
        :param series: only articles of these series.
        :param date_from: only articles dated on or after this day (``YYYY-MM-DD``).
        :param date_to: only articles dated on or before this day (``YYYY-MM-DD``).

        With no keyword but a unit, series or date filter, every article that passes the filters is listed
        (newest first by default), with the same facets and paging.
        :raises QueryError: for a query or parameter the user must change; the message says how.
        """
        started = time.perf_counter()
        request = _request(text, units, sort, literal, series, date_from, date_to)
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
        key = (text, units, series, date_from, date_to, page, per_page, sort, literal)
        with self._lock, self._reading():
            searcher = self.refresh()
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return replace(cached, took_ms=(time.perf_counter() - started) * 1000, cached=True)
            parsed, readings, whoosh_query = self._plan(searcher, request)
            outcome = evaluate.run(
                self._segments,
                whoosh_query,
                unit_filter=_unit_filter(units),
                start=(page - 1) * per_page,
                stop=page * per_page,
                sort=sort,
                facets=("unit", "year"),
                time_limit=TIME_BUDGET,
            )
            counts, timed_out, total = outcome.facets["unit"], outcome.timed_out, outcome.total
            facets = {
                "unit": {u: n for u, n in sorted(counts.items(), key=lambda i: (-i[1], i[0])) if u},
                "unit_type": _types(counts),
                "year": _years(outcome.facets["year"]),
            }
            page_hits = [
                self._hit(searcher, n, s, parsed) for n, s in zip(outcome.docnums, outcome.scores, strict=True)
            ]
            unmatched, suggestion, corrections = ((), None, ())
            if total == 0 and not units and not browsing:
                unmatched, suggestion = self._unmatched(searcher, parsed)
                words = self._words()
                texts = {term.typed: term.text for term in parsed.terms}
                corrections = tuple(
                    (typed, found) for typed in unmatched if (found := tuple(words.corrections(texts[typed])))
                )
            took = (time.perf_counter() - started) * 1000
            result = SearchResult(
                text,
                total,
                page,
                per_page,
                page_hits,
                facets,
                units,
                sort,
                unmatched,
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
            )
            if self.cache_size and not timed_out:
                self._cache[key] = result
                if len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return result

    def _plan(
        self, searcher: Searcher, request: _Request
    ) -> tuple[ParsedQuery, tuple[tuple[str, str], ...], query.Query]:
        """Return the parsed query (with pinyin readings added), the readings, and the Whoosh query to run."""
        parsed, readings = request.parsed, ()
        if not request.literal and not request.browsing:
            parsed, readings = self._read_pinyin(searcher, parsed)
        base = _whoosh_query(parsed) if not request.browsing else query.Every()
        return parsed, readings, _constrained(base, request.series, request.date_from, request.date_to)

    @staticmethod
    def _hit(searcher: Searcher, docnum: int, score: float, parsed: ParsedQuery) -> Hit:
        stored = searcher.stored_fields(docnum)
        fields = _listed(stored)
        title, body = fields["title"], stored.get("body", "")
        return Hit(
            **fields,
            title_html=mark(title, find_spans(title, parsed.needles(title=True))),
            snippet=snippet(body, find_spans(body, parsed.needles(title=False))),
            score=score,
        )

    def matching_ids(self, text: str, units: Sequence[str] = (), literal: bool = False) -> set[str]:
        """Return the id of every article the query matches, with no result window (for exports and checks)."""
        parsed, _ = _parse(text, literal)
        if not parsed.groups:
            return set()
        with self._lock, self._reading():
            searcher = self.refresh()
            docnums = set(evaluate.matching_docnums(self._segments, _whoosh_query(parsed)))
            if units:
                docnums &= set(evaluate.matching_docnums(self._segments, _unit_filter(units)))
            ids = searcher.reader().column_reader("id")
            return {ids[n] for n in docnums}

    def _words(self) -> Words:
        """The index's words with their pinyin (``words.json``), loaded once per index generation and commit."""
        generation = (self._live, self._generation)
        if self._words_of != generation:
            self._words_table = Words.load(self._live) if self._live else Words([])
            self._words_of = generation
        return self._words_table

    def _read_pinyin(self, searcher: Searcher, parsed: ParsedQuery) -> tuple[ParsedQuery, tuple[tuple[str, str], ...]]:
        """Also search a Latin term's pinyin reading when the term itself matches nothing, or far less than it.

        The reading is added as another form of the term (never instead of it), and reported.
        """
        if not any(is_pinyin(term.text) for term in parsed.terms):
            return parsed, ()  # the words table is loaded only for a query that may be pinyin
        words = self._words()
        singles = [group[0] for group in parsed.groups if len(group) == 1]
        if (
            len(singles) == len(parsed.groups) > 1
            and not parsed.excluded
            and all(is_pinyin(t.text) and not t.title_only for t in singles)
        ):
            # Pinyin typed with spaces (gong tong fu yu): one reading for the whole query, when its terms together
            # match nothing; the terms are then searched as the phrase they were typed as, or the reading.
            found = words.read_pinyin("".join(t.text for t in singles), limit=1)
            if found and not evaluate.count(self._segments, _whoosh_query(parsed), limit=1):
                typed = " ".join(t.typed for t in singles)
                phrase = Term(" ".join(t.text for t in singles), typed)
                reading = Term(found[0], found[0], expanded_from=typed)
                return ParsedQuery(((phrase, reading),)), ((typed, found[0]),)
        groups, readings = [], []
        for group in parsed.groups:
            terms = list(group)
            for term in group:
                if term.expanded_from or not is_pinyin(term.text):
                    continue
                found = words.read_pinyin(term.text, limit=1)
                if not found:
                    continue
                word = found[0]
                enough = words.frequency[word] // PINYIN_RATIO + 1
                literal_count = evaluate.count(self._segments, _match(term), limit=enough)
                if literal_count < enough:
                    terms.append(replace(term, text=word, typed=word, expanded_from=term.typed))
                    readings.append((term.typed, word))
            groups.append(tuple(terms))
        return replace(parsed, groups=tuple(groups)), tuple(readings)

    def _unmatched(self, searcher: Searcher, parsed: ParsedQuery) -> tuple[tuple[str, ...], str | None]:
        """Say which terms match no article at all, and the query without them (if anything is left)."""
        missing = tuple(
            term.typed
            for group in parsed.groups
            for term in group
            if not term.expanded_from
            and all(
                not evaluate.count(self._segments, _match(form), limit=1)
                for form in group
                if form is term or form.expanded_from == term.typed
            )
        )
        rest = parsed.without(set(missing)) if missing else ""
        return missing, (rest if rest and parse(rest).groups else None)

    def article(self, article_id: str, text: str = "", literal: bool = False) -> ArticleView | None:
        """Return the article with ``article_id`` (``None`` if there is none), the query's strings marked."""
        if not ID_PATTERN.fullmatch(article_id or ""):
            return None
        try:
            parsed, _ = _parse(text, literal)
        except QueryError:
            parsed = ParsedQuery()
        with self._lock, self._reading():
            fields = self.refresh().document(id=article_id)
        if fields is None:
            return None
        title, body = fields.get("title", ""), fields.get("body", "")
        kicker, subtitle = fields.get("kicker", ""), fields.get("subtitle", "")
        body_needles = parsed.needles(title=False)
        return ArticleView(
            id=fields["id"],
            title=title,
            title_html=mark(title, find_spans(title, parsed.needles(title=True))),
            unit=fields.get("unit", ""),
            position=fields.get("position", ""),
            person=fields.get("person", ""),
            series=fields.get("series", ""),
            date=fields.get("date", ""),
            url=fields.get("url", ""),
            source=fields.get("source", ""),
            kind=fields.get("kind", ""),
            paragraphs_html=[mark(p, find_spans(p, body_needles)) for p in body.split("\n")] if body else [],
            printed=fields.get("printed"),
            repair=fields.get("repair", ""),
            missing=list(fields.get("missing") or []),
            kicker_html=mark(kicker, find_spans(kicker, body_needles)),
            subtitle_html=mark(subtitle, find_spans(subtitle, body_needles)),
            byline_line=fields.get("byline_line", ""),
            furniture=list(fields.get("furniture") or []),
            credits=list(fields.get("credits") or []),
            captions_html=[mark(c, find_spans(c, body_needles)) for c in fields.get("captions") or []],
            paper=fields.get("paper", ""),
        )

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
    ) -> list[Row]:
        """Return every result of a search, in its order, up to the result window (for CSV and Excel exports)."""
        request = _request(text, units, sort, literal, series, date_from, date_to)
        if request.empty:
            return []
        with self._lock, self._reading():
            searcher = self.refresh()
            _, _, whoosh_query = self._plan(searcher, request)
            outcome = evaluate.run(
                self._segments,
                whoosh_query,
                unit_filter=_unit_filter(request.units),
                stop=MAX_RESULT_WINDOW,
                sort=request.sort,
                facets=(),
                time_limit=TIME_BUDGET,
            )
            rows = [Row(**_listed(searcher.stored_fields(n))) for n in outcome.docnums]
            return rows

    def overview(self, newest: int = 8) -> Overview:
        """Return the archive's size, its first and last dates, and its ``newest`` articles."""
        with self._lock, self._reading():
            searcher = self.refresh()
            reader = searcher.reader()
            dates = sorted(d.decode() if isinstance(d, bytes) else d for d in reader.lexicon("date"))
            dates = [d for d in dates if d]
            top = evaluate.run(self._segments, query.Every(), stop=newest, sort="date", facets=())
            hits = [self._hit(searcher, n, 0.0, ParsedQuery()) for n in top.docnums]
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
