"""A search's options as the user gave them, parsed and checked: the first step of every search and export.

:class:`QueryError` says what the user must change (in Chinese for the page, with English for the API).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from searcher.query import ParsedQuery, QueryError, expand, parse
from searcher.reading.dates import valid_date
from searcher.units import canonical

__all__ = ["Request", "marks_of", "parse_query", "request"]


def parse_query(text: str, literal: bool) -> tuple[ParsedQuery, tuple[tuple[str, tuple[str, ...]], ...]]:
    """Parse a query and, unless ``literal``, add the other forms of its abbreviations."""
    parsed = parse(text)
    return (parsed, ()) if literal else expand(parsed)


def marks_of(text: str, literal: bool = False) -> ParsedQuery:
    """The query whose strings an article page or a digest marks: nothing to mark when ``text`` is not a query."""
    try:
        return parse_query(text, literal)[0]
    except QueryError:
        return ParsedQuery()


def _check_dates(date_from: str, date_to: str) -> None:
    for name, value in (("from", date_from), ("to", date_to)):
        if value and not valid_date(value):
            raise QueryError(
                f"日期 {value} 无效：请写成 YYYY-MM-DD，如 2024-03-09。 "
                f"'{name}' must be a real date written YYYY-MM-DD."
            )
    if date_from and date_to and date_from > date_to:
        raise QueryError("起始日期晚于结束日期。 'from' is after 'to'.")


@dataclass(frozen=True)
class Request:
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


def request(  # noqa: PLR0913, PLR0917 - the options of one search
    text: str,
    units: Sequence[str],
    sort: str,
    literal: bool,
    series: Sequence[str],
    date_from: str,
    date_to: str,
) -> Request:
    """Parse and check a search's options; :class:`QueryError` says what the user must change."""
    parsed, expanded = parse_query(text, literal)
    _check_dates(date_from, date_to)
    sort = sort or ("date" if not parsed.groups else "score")
    if sort not in ("score", "date"):
        raise QueryError("sort 只能是 score 或 date。 sort must be 'score' or 'date'.")
    return Request(
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
