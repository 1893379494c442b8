"""What a result shows: the listed fields of each hit, its headline and snippet marked, and a whole article's page.

Highlighting escapes the printed text first, then marks the query's strings (:mod:`searcher.highlight`).
"""

from __future__ import annotations

from collections.abc import Sequence

from whoosh.searching import Searcher

from searcher.highlight import find_spans, mark, snippet
from searcher.query import ParsedQuery
from searcher.search.results import ArticleView, Hit, Passage, Row

__all__ = ["article_view", "hit", "listed", "passage"]

_LISTED = ("title", "unit", "position", "person", "date", "paper", "series")


def listed(stored: dict) -> dict[str, str]:
    """What a result list shows of an article, on the page and in an export (the fields :class:`Row` has)."""
    return {"id": stored["id"], **{name: stored.get(name, "") for name in _LISTED}}


def hit(searcher: Searcher, docnum: int, score: float, parsed: ParsedQuery, reprints: Sequence[int] = ()) -> Hit:
    """One result of a list: its listed fields, its headline and a snippet with the query's strings marked, and the
    story's other printings (``reprints``, document numbers) listed."""
    stored = searcher.stored_fields(docnum)
    fields = listed(stored)
    title, body = fields["title"], stored.get("body", "")
    return Hit(
        **fields,
        title_html=mark(title, find_spans(title, parsed.needles(title=True))),
        snippet=snippet(body, find_spans(body, parsed.needles(title=False))),
        score=score,
        reprints=tuple(Row(**listed(searcher.stored_fields(n))) for n in reprints),
    )


def article_view(fields: dict, parsed: ParsedQuery) -> ArticleView:
    """A whole article for its page, from its stored fields, with the query's strings marked."""
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
        jumps=list(fields.get("jumps") or []),
        captions_html=[mark(c, find_spans(c, body_needles)) for c in fields.get("captions") or []],
        paper=fields.get("paper", ""),
        layout=fields.get("layout") or {},
        origin=fields.get("source_key", ""),
    )


def passage(fields: dict, parsed: ParsedQuery, url: str) -> Passage:
    """An article for a 摘编: its source line (unit · position · person · paper or series · date · link) and its
    paragraphs with the query's strings found."""
    parts = [fields.get(name, "") for name in ("unit", "position", "person")]
    parts += [fields.get("paper") or fields.get("series", ""), fields.get("date", ""), url]
    needles = parsed.needles(title=False)
    body = fields.get("body", "")
    return Passage(
        fields["id"],
        fields.get("title", ""),
        " · ".join(part for part in parts if part),
        [(text, find_spans(text, needles)) for text in body.split("\n") if text] if body else [],
    )
