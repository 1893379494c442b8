"""Read article files into :class:`Article` records.

Two formats are read:

* **Newspaper pages** (``*.txt``): a header (title, subtitle, a series line such as “一把手”谈共同富裕(一), an
  editor's note 编者按) followed by interviews. Each interview opens with a *byline* — unit, position and person,
  sometimes with a colon (``区发改局党组书记、局长 任文俊：``) — then a headline, then body paragraphs. Bylines are
  recognized by their shape, not by blank lines: on a real page two interviews may be separated by a single blank
  line, like any two paragraphs. A page without bylines is read as one article (first line = headline).
* **JSON Lines** (``*.jsonl``), the bulk format: one article per line with ``title`` and ``body`` (paragraphs
  separated by newlines) and optional ``id``, ``unit``, ``person``, ``position``, ``date``, ``url``, ``series``.

Bodies pass through :func:`searcher.repair.restore`, so ``paragraphs`` is the reading order and
``printed_paragraphs`` what was printed.

Nothing here raises on bad input: :func:`read_paths` returns every article it could read and a :class:`Problem` for
each file (or line) it could not, naming it and saying why.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from searcher.repair import restore

__all__ = [
    "ID_PATTERN",
    "Article",
    "Problem",
    "ReadResult",
    "expand",
    "parse_page",
    "read_file",
    "read_jsonl",
    "read_paths",
]

#: Article ids appear in URLs: letters, digits, ``.``, ``_`` and ``-``, at most 128 characters.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
SUFFIXES = (".txt", ".jsonl")


@dataclass(frozen=True)
class Article:
    """One searchable article, as printed and as restored for reading.

    ``paragraphs`` is the reading order (what search, snippets and the article page use); ``printed_paragraphs`` is
    the order on the page, set only when the two differ; ``repair`` says what was restored or why nothing was, and
    ``missing`` lists parts visibly missing from the source.
    """

    id: str
    title: str
    paragraphs: tuple[str, ...]
    unit: str = ""
    position: str = ""
    person: str = ""
    series: str = ""
    date: str = ""
    url: str = ""
    source: str = ""
    kind: str = "article"
    printed_paragraphs: tuple[str, ...] | None = None
    repair: str = ""
    missing: tuple[str, ...] = ()

    @property
    def body(self) -> str:
        """The body text in reading order, paragraphs separated by newlines."""
        return "\n".join(self.paragraphs)

    @property
    def byline(self) -> str:
        """Unit, position and person as one line (what the byline field indexes)."""
        return " ".join(part for part in (self.unit, self.position, self.person) if part)

    def to_dict(self) -> dict[str, object]:
        """Return the record as JSON-ready data (``printed_paragraphs`` always present)."""
        data = asdict(self)
        data["paragraphs"] = list(self.paragraphs)
        data["printed_paragraphs"] = list(self.printed_paragraphs or self.paragraphs)
        data["missing"] = list(self.missing)
        return data


@dataclass(frozen=True)
class Problem:
    """A file, or one line of a file, that could not be read: where, and why."""

    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.reason}"


@dataclass
class ReadResult:
    """What :func:`read_paths` read: articles grouped by the file they came from, and the problems."""

    files: dict[str, list[Article]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def articles(self) -> list[Article]:
        return [article for articles in self.files.values() for article in articles]


# --- Newspaper pages ---------------------------------------------------------------------------------------------

_TITLE_WORDS = (
    "党工委书记|党委书记|党组书记|总支书记|支部书记|副书记|书记|党工委副书记|党委副书记|"
    "副局长|局长|副镇长|镇长|副乡长|乡长|副主任|主任|副区长|区长|副县长|县长|副市长|市长|"
    "主席|副部长|部长|院长|校长|站长|所长|社长|总经理|董事长|经理|处长|科长|委员|代主任|常务副"
)
_BYLINE = re.compile(
    rf"^(?P<unit>[^\s，。：:；、]{{2,20}}?)"
    rf"(?P<position>(?:{_TITLE_WORDS})(?:、(?:{_TITLE_WORDS}))*)"
    r"[ \u3000\t]+(?P<person>[\u4e00-\u9fff·]{2,5})\s*[：:]?$"
)
_SERIES = re.compile(r"[(（][一二三四五六七八九十\d]+[)）]$")
_SUBTITLE = re.compile(r"^[—–\-－]+.*[—–\-－]+$")
_NOTE = re.compile(r"^编者按[：:]")


def _byline(line: str) -> dict[str, str] | None:
    match = _BYLINE.match(line) if len(line) <= 48 else None
    return match.groupdict() if match else None


def _slug(source: str) -> str:
    stem = Path(source).stem
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:48]
    return slug or "page-" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:8]


def _digest(*parts: str) -> str:
    return hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()[:10]


def _article(**fields: object) -> Article:
    """Build an Article, restoring the reading order of its body."""
    printed = tuple(fields.pop("paragraphs"))  # type: ignore[arg-type]
    restoration = restore(printed)
    return Article(
        paragraphs=restoration.paragraphs,
        printed_paragraphs=printed if restoration.changed else None,
        repair=restoration.note,
        missing=restoration.missing,
        **fields,  # type: ignore[arg-type]
    )


def parse_page(text: str, source: str) -> list[Article]:
    """Split a newspaper page into its editor's note and interviews.

    Ids are ``<file-slug>-<digest of unit and person>`` (``-note`` for the editor's note), so they survive
    re-indexing and edits to the text.

    :param text: the page, decoded.
    :param source: the file name, recorded on each article and used for its id.
    :return: the articles in page order; an empty list for a page with no text.
    """
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return []
    name = Path(source).name
    slug = _slug(source)
    starts = [i for i, line in enumerate(lines) if _byline(line)]
    if not starts:
        return [_article(id=f"{slug}-{_digest(name)}", title=lines[0], paragraphs=lines[1:], source=name)]

    header = lines[: starts[0]]
    title = next((line for line in header if not _NOTE.match(line) and not _SUBTITLE.match(line)), "")
    series = next((line for line in header if _SERIES.search(line) and not _NOTE.match(line)), "")
    if series == title:
        title = next((line for line in header if line not in (series,) and not _NOTE.match(line)), "")
    articles = []
    notes = [line for line in header if _NOTE.match(line)]
    if notes:
        articles.append(
            _article(
                id=f"{slug}-note", title=title or "编者按", paragraphs=notes, series=series, source=name, kind="note"
            )
        )
    seen: set[str] = set()
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        byline = _byline(lines[start]) or {}
        block = lines[start + 1 : end]
        headline, body = (block[0], block[1:]) if block else ("", [])
        article_id = f"{slug}-{_digest(byline['unit'], byline['person'])}"
        if article_id in seen:
            article_id = f"{article_id}-{n + 1}"
        seen.add(article_id)
        articles.append(
            _article(
                id=article_id,
                title=headline,
                paragraphs=body,
                unit=byline["unit"],
                position=byline["position"],
                person=byline["person"],
                series=series,
                source=name,
                kind="interview",
            )
        )
    return articles


# --- JSON Lines --------------------------------------------------------------------------------------------------

_OPTIONAL = ("unit", "person", "position", "date", "url", "series")


def read_jsonl(text: str, source: str) -> tuple[list[Article], list[Problem]]:
    """Read JSON Lines articles; a bad line is a :class:`Problem`, and the other lines are still read.

    :return: ``(articles, problems)``.
    """
    name = Path(source).name
    slug = _slug(source)
    articles: list[Article] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            articles.append(_jsonl_article(json.loads(line), name, slug))
        except json.JSONDecodeError as error:
            problems.append(Problem(source, f"not valid JSON ({error.msg} at column {error.colno})", number))
        except ValueError as error:
            problems.append(Problem(source, str(error), number))
    return articles, problems


def _jsonl_article(record: object, name: str, slug: str) -> Article:
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
    article_id = record.get("id")
    if article_id is None or article_id == "":
        article_id = f"{slug}-{_digest(title, body)}"
    elif not isinstance(article_id, str) or not ID_PATTERN.fullmatch(article_id):
        raise ValueError(f"id {article_id!r} is not URL-safe (1-128 letters, digits, '.', '_' or '-')")
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    return _article(id=article_id, title=title.strip(), paragraphs=paragraphs, source=name, **extra)


# --- Files -------------------------------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Decode a file's bytes: UTF-8 (with or without BOM) first, else the encoding charset-normalizer detects.

    Pages from Chinese newsrooms often arrive as GB18030/GBK; charset-normalizer recognizes them.

    :raises ValueError: when no encoding fits (binary data).
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or "\0" in str(best):
        raise ValueError("not text: no character encoding fits (binary file?)")
    return str(best)


def expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Turn the paths given by the user into the files to read (folders are searched for .txt and .jsonl).

    :return: ``(files, problems)``; a path that doesn't exist, or a file of another kind, is a problem.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        elif not path.exists():
            problems.append(Problem(str(path), "no such file or folder"))
        elif path.suffix.lower() not in SUFFIXES:
            problems.append(Problem(str(path), "not an article file (expected .txt or .jsonl)"))
        else:
            files.append(path)
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, problems


def read_file(path: Path, data: bytes | None = None) -> tuple[list[Article], list[Problem]]:
    """Read one file by its suffix, from ``data`` when the caller has its bytes; never raises for bad content."""
    try:
        text = decode(path.read_bytes() if data is None else data)
    except OSError as error:
        return [], [Problem(str(path), f"can't be read ({error.strerror or error})")]
    except ValueError as error:
        return [], [Problem(str(path), str(error))]
    if path.suffix.lower() == ".jsonl":
        return read_jsonl(text, str(path))
    articles = parse_page(text, str(path))
    return articles, [] if articles else [Problem(str(path), "no articles found (the file is empty)")]


def iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, list[Article], list[Problem]]]:
    """Yield ``(file, articles, problems)`` for each file under ``paths``; problems of the paths come first."""
    files, problems = expand(paths)
    for problem in problems:
        yield Path(problem.source), [], [problem]
    for path in files:
        yield path, *read_file(path)


def read_paths(paths: Iterable[str | Path]) -> ReadResult:
    """Read every article under ``paths``, collecting problems instead of stopping at them."""
    result = ReadResult()
    for path, articles, problems in iter_files(paths):
        if articles or not problems:
            result.files[str(path)] = articles
        result.problems.extend(problems)
    return result
