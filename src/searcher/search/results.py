"""What a search returns: plain, typed values the page, the API, the CLI and the exports render.

No Whoosh or numpy type appears here, so another engine could stand behind :class:`~searcher.search.SearchService`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from searcher.units import unit_type

__all__ = ["ArticleView", "Hit", "Overview", "Passage", "Row", "SearchResult", "by_month", "facets", "result_json"]

MAX_RESULT_WINDOW = 1000


@dataclass(frozen=True)
class _Marked:
    """What a result and an article page both show first: the article, its headline marked, who spoke for which
    unit."""

    id: str
    title: str
    title_html: Markup
    unit: str
    position: str
    person: str


@dataclass(frozen=True)
class Hit(_Marked):
    """One search result, ready to render: ``title_html`` and ``snippet`` are escaped HTML with ``<mark>``."""

    date: str
    snippet: Markup
    score: float
    paper: str = ""
    series: str = ""
    #: The story's other printings that match too (searcher.reprints), in result order.
    reprints: tuple[Row, ...] = ()


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
    #: Every matching article (filters applied) by month of its date, oldest first, and those with no date.
    months: dict[str, int] = field(default_factory=dict)
    undated: int = 0
    #: The filter's units that no article has, each with the closest unit names the index has.
    unknown_units: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Whether each story is listed once (``total`` then counts stories), and how many printings matched.
    grouped: bool = True
    printings: int = 0

    @property
    def browsing(self) -> bool:
        """Whether this lists a unit's or a series' articles (or a date range) with no keyword."""
        return not self.query.strip()

    @property
    def pages(self) -> int:
        """The number of pages that can be shown (capped by the result window)."""
        return max(1, (min(self.total, MAX_RESULT_WINDOW) + self.per_page - 1) // self.per_page)


@dataclass(frozen=True)
class ArticleView(_Marked):
    """A whole article for its page, with the query's strings marked in the headline and each paragraph."""

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
    jumps: list[str] = field(default_factory=list)  # （下转第3版）: where the printed story goes on
    captions_html: list[Markup] = field(default_factory=list)
    paper: str = ""
    layout: dict = field(default_factory=dict)  # a PDF article's page, page size and boxes (empty otherwise)
    origin: str = ""  # the file's path as indexed


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
    series: str = ""


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
                "reprints": [
                    {"id": r.id, "title": r.title, "date": r.date, "url": article_url(r.id), "unit": r.unit}
                    for r in hit.reprints
                ],
            }
            for hit in result.hits
        ],
        "group": result.grouped,
        "printings": result.printings,
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
        "by_month": result.months,
        "undated": result.undated,
        "unknown_units": [{"unit": unit, "did_you_mean": list(names)} for unit, names in result.unknown_units],
    }


@dataclass(frozen=True)
class Passage:
    """An article as a 摘编 (a digest for a 简报) quotes it: headline, source line, and its paragraphs with the
    character ranges of the query's strings (to set in bold)."""

    id: str
    title: str
    source_line: str
    paragraphs: list[tuple[str, list[tuple[int, int]]]]


def by_month(dates: dict[str, int]) -> tuple[dict[str, int], int]:
    """Return ``(months, undated)``: counts by ``YYYY-MM``, oldest first, from counts by date ("" for undated)."""
    months: dict[str, int] = {}
    for date, count in sorted(dates.items()):
        if date:
            months[date[:7]] = months.get(date[:7], 0) + count
    return months, dates.get("", 0)


def facets(units: dict[str, int], years: dict[str, int]) -> dict[str, dict[str, int]]:
    """Shape a search's facet counts for the page: units (most articles first), unit types, years (newest first)."""
    return {
        "unit": {u: n for u, n in sorted(units.items(), key=lambda i: (-i[1], i[0])) if u},
        "unit_type": _types(units),
        "year": _years(years),
    }


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
