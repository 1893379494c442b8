"""JSON Lines, the bulk format: one article per line.

Each line is an object with ``title`` and ``body`` (paragraphs separated by newlines) and optionally ``id``, ``unit``,
``person``, ``position``, ``date`` (``YYYY-MM-DD``), ``url`` and ``series``. A bad line is a
:class:`~searcher.reading.model.Problem` naming its line number, and the other lines are still read; a record whose
``date`` is not a real ``YYYY-MM-DD`` date is indexed without it, and the date is reported.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from searcher.reading.dates import valid_date
from searcher.reading.model import ID_PATTERN, Article, Problem
from searcher.reading.page import slug
from searcher.repair import restore

__all__ = ["read_jsonl"]

_OPTIONAL = ("unit", "person", "position", "date", "url", "series", "paper")


def read_jsonl(text: str, source: str) -> tuple[list[Article], list[Problem]]:
    """Read JSON Lines articles; a bad line is a :class:`Problem`, and the other lines are still read.

    :return: ``(articles, problems)``.
    """
    name = Path(source).name
    file_slug = slug(source)
    articles: list[Article] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            article, problem = _article(json.loads(line), name, file_slug)
        except json.JSONDecodeError as error:
            problems.append(Problem(source, f"not valid JSON ({error.msg} at column {error.colno})", number))
        except ValueError as error:
            problems.append(Problem(source, str(error), number))
        else:
            articles.append(article)
            if problem:
                problems.append(Problem(source, problem, number))
    return articles, problems


def _article(record: object, name: str, file_slug: str) -> tuple[Article, str]:
    """Return the article of one record, and a problem with it that didn't stop it being read ("" if none)."""
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object with 'title' and 'body'")
    title, body = record.get("title"), record.get("body")
    if not isinstance(title, str) or not isinstance(body, str):
        raise ValueError("'title' and 'body' must both be present and be strings")
    if not title.strip() and not body.strip():
        raise ValueError("empty article: 'title' and 'body' are both blank")
    extra = {key: record.get(key) or "" for key in _OPTIONAL}
    for key, value in extra.items():
        if not isinstance(value, str):
            raise ValueError(f"'{key}' must be a string")
    problem = ""
    if extra["date"] and not valid_date(extra["date"]):
        problem = f"date {extra['date']!r} is not a real date written YYYY-MM-DD: the article was indexed without it"
        extra["date"] = ""
    article_id = record.get("id")
    if article_id is None or article_id == "":
        digest = hashlib.sha1(f"{title}\0{body}".encode()).hexdigest()[:10]
        article_id = f"{file_slug}-{digest}"
    elif not isinstance(article_id, str) or not ID_PATTERN.fullmatch(article_id):
        raise ValueError(f"id {article_id!r} is not URL-safe (1-128 letters, digits, '.', '_' or '-')")
    printed = tuple(p.strip() for p in body.split("\n") if p.strip())
    restoration = restore(printed)
    article = Article(
        id=article_id,
        headline=title.strip(),
        paragraphs=restoration.paragraphs,
        source=name,
        printed_paragraphs=printed if restoration.changed else None,
        repair=restoration.note,
        missing=restoration.missing,
        **extra,
    )
    return article, problem
