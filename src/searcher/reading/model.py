"""The records the reader produces: articles, the lines of a page with their roles, problems and notices."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

__all__ = ["ID_PATTERN", "ROLES", "Article", "Line", "Notice", "Page", "Problem", "ReadResult"]

#: Article ids appear in URLs: letters, digits, ``.``, ``_`` and ``-``, at most 128 characters.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")

# What opens a news item without saying anything: 本报讯, 本报讯（记者 …）, a date, 日前/近日 alone.
_OPENING = re.compile(
    r"^\s*(?:[（(【\[]?\s*(?:本报讯|本刊讯|本网讯|讯)\s*[】\]）)]?\s*(?:[（(][^）)]{0,30}[）)])?\s*)?"
    r"(?:(?:\d{4}年)?\d{1,2}月\d{1,2}日[，,\s]*)?"
)

#: Where a line of a page can go, and the article field that holds it (``furniture`` is the page's list; ``credits``
#: and ``captions`` hold several lines each).
ROLES = {
    "furniture": "furniture",
    "kicker": "kicker",
    "headline": "headline",
    "subtitle": "subtitle",
    "series": "series",
    "byline": "byline_line",
    "credit": "credits",
    "caption": "captions",
    "jump": "jumps",
    "note": "paragraphs",
    "lead": "paragraphs",
    "body": "paragraphs",
}


@dataclass(frozen=True)
class Article:
    """One searchable article, as printed and as restored for reading.

    ``headline`` is the headline as printed, empty when the page prints none; :attr:`title` is what lists show
    (the headline, else ``unit person``, else the opening clause). ``paragraphs`` is the reading order (what search,
    snippets and the article page use); ``printed_paragraphs`` is the order on the page, set only when the two
    differ; ``repair`` says what was restored or why nothing was, and ``missing`` lists parts visibly missing from
    the source. ``byline_line`` is the byline (or an online interview's guest line) as printed; ``credits`` the
    credit lines (记者, 通讯员, 摄影, 责任编辑, 审核 …) and ``captions`` the photo captions, each as printed;
    ``furniture`` the page's furniture lines (navigation, 版次, 来源 …), kept so that nothing the file held is lost.
    ``speaker_source`` says where unit and person were found (``byline``, ``guest``, ``subtitle``, ``headline``,
    ``kicker``, ``narration``; empty when none was); ``paper`` is the paper or site that printed the article.
    ``layout`` is where a PDF printed it: ``{"page": n, "size": [width, height], "boxes": [[x0, top, x1, bottom],
    …]}`` in PDF points from the page's top left (empty for other files).
    """

    id: str
    headline: str
    paragraphs: tuple[str, ...]
    unit: str = ""
    position: str = ""
    person: str = ""
    series: str = ""
    date: str = ""
    url: str = ""
    source: str = ""
    kind: str = "article"
    kicker: str = ""
    subtitle: str = ""
    byline_line: str = ""
    furniture: tuple[str, ...] = ()
    printed_paragraphs: tuple[str, ...] | None = None
    repair: str = ""
    missing: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    jumps: tuple[str, ...] = ()  # where the story goes on or came from: （下转第3版）, （上接第1版）
    speaker_source: str = ""
    paper: str = ""
    layout: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def title(self) -> str:
        """The title lists show: the printed headline, else ``unit person``, else the opening clause of the body.

        The clause skips what opens a news item without saying anything (本报讯, a date, 记者 …) and an opening
        quotation mark, and runs on to the end of the sentence when its first clause is shorter than six
        characters: never a fragment such as “今年 or 4月30日.
        """
        if self.headline:
            return self.headline
        if self.unit or self.person:
            return " ".join(p for p in (self.unit, self.person) if p)
        first = _OPENING.sub("", self.paragraphs[0] if self.paragraphs else "").lstrip("“\"‘'「『（(【[ ")
        clause = re.split(r"[，。！？；：,.!?;:]", first, maxsplit=1)[0]
        if len(clause) < 6:
            clause = re.split(r"[。！？；!?;]", first, maxsplit=1)[0]
        clause = clause.strip().rstrip("”\"’'」』")
        return (clause[:30] + "…") if len(clause) > 30 else clause

    @property
    def body(self) -> str:
        """The body text in reading order, paragraphs separated by newlines."""
        return "\n".join(self.paragraphs)

    @property
    def byline(self) -> str:
        """Unit, position and person as one line (what the byline field indexes)."""
        return " ".join(part for part in (self.unit, self.position, self.person) if part)

    def to_dict(self) -> dict[str, object]:
        """Return the record as JSON-ready data (``title`` and ``printed_paragraphs`` always present)."""
        data = asdict(self)
        data["title"] = self.title
        data["paragraphs"] = list(self.paragraphs)
        data["printed_paragraphs"] = list(self.printed_paragraphs or self.paragraphs)
        data["missing"] = list(self.missing)
        data["furniture"] = list(self.furniture)
        data["credits"] = list(self.credits)
        data["captions"] = list(self.captions)
        data["jumps"] = list(self.jumps)
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


@dataclass(frozen=True)
class Notice:
    """Something the reader had to guess, named by file and line (read anyway; shown by ``parse --explain``)."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


@dataclass
class Line:
    """One non-blank line of the input and where it went.

    :ivar number: its 1-based line number in the text the reader saw (for HTML and DOCX: the extracted text).
    :ivar roles: where its text went, in order: usually one role of :data:`ROLES`; a byline with its headline or
        first paragraph on the same line has two (``("byline", "headline")``), the text split at the colon.
    :ivar article: the index, in the page's article list, of the article holding it (``None`` for furniture).
    :ivar page: which page of the file it belongs to (0-based).
    :ivar doubt: why the reader was unsure of this line's role, if it was.
    """

    number: int
    text: str
    kind: str = ""
    roles: tuple[str, ...] = ()
    article: int | None = None
    page: int = 0
    doubt: str = ""


@dataclass
class Page:
    """What the reader made of one file: its articles, its furniture, and the role of every line."""

    source: str
    articles: list[Article] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    #: What the reader took from which line: ``(line number, what, value)`` — the date, the paper, each speaker.
    found: list[tuple[int, str, str]] = field(default_factory=list)
    #: Parts of the file that could not be read while the rest was (a PDF's scanned page).
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ReadResult:
    """What :func:`searcher.reading.read_paths` read: articles grouped by file, problems and notices."""

    files: dict[str, list[Article]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    @property
    def articles(self) -> list[Article]:
        return [article for articles in self.files.values() for article in articles]
