"""The page model: how the lines of a newspaper page become articles, with every line accounted for.

The reader works on the non-blank lines of a page (blank lines carry no structure: on real pages two interviews may be
separated by one blank line, like any two paragraphs, and a copied page may have none at all). Each line is first
given a *kind* by its own shape, then a *role* by its place among the others.

**Kinds** (each line on its own, through its simplified view, so traditional characters read the same):

* ``furniture`` — site and page chrome (``furniture.txt``: navigation menus and breadcrumbs, 版次, sign-in and
  register prompts, share/print/close and font-size links, click and view counters, 来源, dated lines such as
  发表日期：…/时间：…, mastheads, a site's name, ICP and 公安备案 lines, 主办/承办/技术支持, addresses and phones,
  [后台管理], an error page's title); never a line with 。！？；. Also a *repeat*: a headline printed again on the
  same page (a running header) and a sentence of the body printed again on its own (a pull-quote) start nothing.
* ``note`` — the start of an editor's note: 编者按, 编者的话, 开栏的话, 编辑按.
* ``guest`` — an online interview's or a magazine's guest line: 嘉宾：…, 受访者：… (the grammar reads the rest).
* ``byline`` — unit, posts and a name (see :mod:`searcher.reading.bylines`), maybe followed on the same line by a
  headline or the first words of a speech.
* ``credit`` — 记者 …, 通讯员 …, 摄影 …, a photo credit ending in 摄, 责任编辑/审核/校对/主持人： in any spacing,
  （本报记者 …） (``credits.txt``).
* ``caption`` — a photo caption: 图为…, a description ending with the photographer's name and 摄, or a short scene
  line (…现场, …一角) between paragraphs.
* ``subtitle`` — a short line opening with a dash (——全力打造…).
* ``series`` — a short line ending in a part number: …(一), …（二）, …之三.
* ``short`` — headline-shaped: at most 64 characters, no sentence punctuation, not ending in ，、：, not opening with
  an enumerator (一是, （一）, 一、).
* ``text`` — everything else: a paragraph.

**Pages.** A file may hold several pages. A new page starts at an editor's note, or at a series line, when the
page so far already has a note or a byline; or at a 版次 line when it already has text. The page's header lines just
above that point (title, subtitle, series, furniture) go with the new page.

**Pieces.** On a page with bylines, each byline starts a piece; so does a headline block (one to three short lines)
followed by a credit line (a news story among interviews). On a page without bylines, each headline block
followed by a paragraph or credit starts a story (several short items each under its own headline are several
stories). Everything before the first piece is the page's **header**.

**Roles.** In a header: the first short line is its headline, a dash line its subtitle, a series line its series,
the note and the paragraphs after it its body (kind ``note``); with no note, paragraphs are a **lead** (a briefing's
introduction: kind ``lead``); a header of short lines only is kind ``header``. The header becomes an article of its
own, so nothing in it is lost. In a bylined piece: the text after the byline's colon is its headline when
headline-shaped, else its first paragraph; otherwise the next line is the headline when it is headline-shaped,
and a dash line after that the subtitle; when the byline is followed directly by a paragraph, short lines directly
above the byline are its headline (and kicker) — only the nearest one when the lines above it run on into the
page's header (a 两会 page's banner and series, then each member's headline). In a story's headline block: a dash
line is the subtitle, the last other line the headline, the one before it the kicker (with three plain lines:
kicker, headline, subtitle). Credit and caption lines go to the piece's ``credits`` and ``captions`` wherever they
stand in it, and a guest line is a piece's byline; every other line of a piece is body (questions and answers
included, in order). Furniture lines go to the page's furniture list wherever they are. An editor's-note label alone
on its line (开栏的话) is the note's title. A piece with no printed headline shows ``unit person`` or its opening
clause instead (see :attr:`~searcher.reading.model.Article.title`).

**Speakers.** A piece's unit, position and person come from its byline line, else its guest line, else a title
line that says who was interviewed (——访…), else its lead's narration (记者专访了…, …接受本报记者专访); each record
says which in ``speaker_source`` (:mod:`searcher.reading.speakers`). An editor's note and a page header have none.

**Date and paper.** The page's date is the first date in its furniture (a date line, a masthead, a 版次 or
发布时间 line), else the one known from outside (HTML meta, URL, file name); its paper is a masthead's name, else a
来源 line's, else the HTML site name. ``Page.found`` records which line gave each (``parse --explain`` prints it).

**Doubts.** Lines shaped almost like a byline, pieces without a headline, furniture, and lists of bylines read as
text (consecutive bylines with nothing between them are a list of names in a note, not interviews) are reported as
:class:`~searcher.reading.model.Notice`\\ s.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from searcher.reading.bylines import Byline, looks_like_byline
from searcher.reading.dates import date_in_text
from searcher.reading.lexicon import simplified
from searcher.reading.lines import (
    HEADER_KINDS,
    NOTE,
    Item,
    demote_crumbs,
    demote_lists,
    demote_repeats,
    demote_scenes,
    headline_shaped,
    line_kind,
)
from searcher.reading.model import Article, Line, Notice, Page
from searcher.reading.speakers import speaker_in_narration, speaker_in_title
from searcher.repair import restore

__all__ = ["read_lines", "read_page", "slug"]

_PAPER = re.compile(
    r"^\s*(?P<paper>[\u4e00-\u9fff]{2,12}(?=\s+(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年)|[\u4e00-\u9fff]{2,12}(日报|晚报|晨报|时报|商报|周报|都市报|新闻报|青年报|法制报)"
    r"|[\u4e00-\u9fff]{2,20}(人民政府门户网站|人民政府网站|政府门户网站|门户网站|人民政府网|政府网|政务网|新闻网))"
)
_SOURCE = re.compile(r"(?:^|\s)(来源|稿源|信息来源|文章来源)\s*[：:]\s*(?P<paper>[^\s|｜，,:：]{2,30})")
_PAGE_LABEL = re.compile(r"^(第\s*[A-Za-z]?\s*\d{1,3}\s*版|[A-Za-z]?\d{1,3}\s*版\s*[：:]|版次[：:])")


MAX_BLOCK = 3


def slug(source: str) -> str:
    """Return the URL-safe slug of a file name that article ids start with."""
    stem = Path(source).stem
    value = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:48]
    return value or "page-" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:8]


def _digest(*parts: str) -> str:
    return hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()[:10]


@dataclass
class _Piece:
    """An article being assembled: its lines and where each goes."""

    kind: str
    fields: dict[str, str] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    byline: Byline | None = None
    marker: str = ""
    credits: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    jumps: list[str] = field(default_factory=list)
    guest: Byline | None = None
    lines: dict[str, int] = field(default_factory=dict)  # field → the line number it came from (for --explain)


def read_lines(  # noqa: PLR0913 - the page and what is known of it from outside its text
    numbered: Sequence[tuple[int, str]],
    source: str,
    date: str = "",
    url: str = "",
    paper: str = "",
    *,
    sizes: Mapping[int, float] | None = None,
    captions: Collection[int] = (),
) -> Page:
    """Read a page given as ``(line number, text)`` pairs (blank lines may be left out).

    :param date: the date known from outside the text (file name, HTML meta), used when the page states none.
    :param url: the article's address, when the source gives one (HTML).
    :param paper: the paper or site known from outside the text (HTML ``og:site_name``, ``<title>``), used when
        the page prints no masthead or 来源 line.
    :param sizes: each line's type size, when the source gives it (a PDF): a headline block's roles then follow
        the type (see :func:`_assign_block`).
    :param captions: the lines printed right under or over a picture in body type or smaller (a PDF): captions,
        whatever their words, unless they read as a byline, credit or note.
    """
    page = Page(source)
    items = []
    for number, raw in numbered:
        text = raw.strip()
        if text:
            kind, byline = line_kind(text)
            if number in captions and kind in ("short", "text"):
                kind = "caption"
            items.append(Item(Line(number, text, kind), kind, byline, (sizes or {}).get(number, 0.0)))
    demote_lists(items, page)
    demote_crumbs(items)
    demote_scenes(items)
    name = Path(source).name
    seen: set[str] = set()
    for p, group in enumerate(_split_pages(items)):
        demote_repeats(group)
        _read_one(group, p, page, name, slug(source), seen, (date, url, paper))
    return page


def read_page(text: str, source: str, date: str = "", url: str = "") -> Page:
    """Read a plain-text page (see the module docstring for the rules)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return read_lines(list(enumerate(lines, 1)), source, date, url)


def _split_pages(items: list[Item]) -> list[list[Item]]:
    """Split the items where a new page starts (see the module docstring)."""
    pages: list[list[Item]] = [[]]
    for item in items:
        current = pages[-1]
        kinds = {other.kind for other in current}
        starts = (
            (item.kind == "note" and kinds & {"note", "byline"})
            or (item.kind == "series" and "byline" in kinds)
            or (item.kind == "furniture" and _PAGE_LABEL.match(simplified(item.line.text)) and "text" in kinds)
        )
        if starts:
            cut = len(current)
            while cut > 0 and current[cut - 1].kind in (*HEADER_KINDS, "furniture"):
                cut -= 1
            pages.append(current[cut:])
            del current[cut:]
            current = pages[-1]
        current.append(item)
    return [p for p in pages if p]


def _story_starts(items: list[Item], bylined: bool) -> list[int]:
    """Return the indexes where a headline block starts a story (followed by text, or by a credit line)."""
    starts = []
    i = 0
    content = [j for j, item in enumerate(items) if item.kind != "furniture"]
    position = {j: n for n, j in enumerate(content)}
    while i < len(items):
        if items[i].kind not in HEADER_KINDS:
            i += 1
            continue
        run = [i]
        n = position[i] + 1
        while n < len(content) and items[content[n]].kind in HEADER_KINDS:
            run.append(content[n])
            n += 1
        after = items[content[n]].kind if n < len(content) else None
        if after in ("credit", "guest") or (after in ("text", "caption") and not bylined):
            starts.append(run[max(0, len(run) - MAX_BLOCK)])
        i = run[-1] + 1
    return starts


def _read_one(  # noqa: PLR0913, PLR0917
    items: list[Item], p: int, page: Page, name: str, file_slug: str, seen: set[str], context: tuple[str, str, str]
) -> None:
    """Read one page's items into articles, giving every line its role.

    :param context: the date, URL and paper known from outside the page's text.
    """
    date, url, paper = context
    for item in items:
        item.line.page = p
    furniture_items = [i for i in items if i.kind == "furniture"]
    page_date, page_paper = _stated(furniture_items, page, date, paper)
    furniture = [i.line.text for i in furniture_items]
    pieces, header = _pieces(items)
    series = next((i.line.text for i in header if i.kind == "series"), "")
    assign = {"header": _assign_header, "interview": _assign_interview, "story": _assign_story}
    for piece, block in pieces:
        assign[piece.kind](piece, block)
        article = _article(piece, p, name, file_slug, seen, series, (page_date, url, page_paper), furniture)
        if article is None:
            continue
        for item in block:
            if item.kind != "furniture":
                item.line.article = len(page.articles)
        if article.speaker_source:
            where = piece.lines.get(article.speaker_source, block[0].line.number)
            page.found.append(
                (where, f"speaker of #{len(page.articles) + 1}", f"{article.speaker_source}: {article.byline}")
            )
        page.articles.append(article)
        _notice_headline(page, piece, block, article, name)
    _record_lines(items, page, name)
    page.furniture.extend(furniture)


def _stated(furniture: list[Item], page: Page, date: str, paper: str) -> tuple[str, str]:
    """Return the page's date and paper from its furniture (a date line, a masthead, a 来源 line), else the ones
    known from outside the text; record on ``page.found`` which line gave each."""
    for item in furniture:
        found = date_in_text(item.line.text)
        if found:
            page.found.append((item.line.number, "date", found))
            date = found
            break

    def printed(pattern: re.Pattern[str], anywhere: bool = False) -> Iterator[tuple[Item, str]]:
        """The paper's name as printed (the simplified view is one character for one)."""
        for item in furniture:
            view = simplified(item.line.text)
            found = pattern.search(view) if anywhere else pattern.match(view)
            if found and pattern is _PAPER:
                found = _SOURCE.search(view) or found  # a site's line that names its source: the source printed it
            if found:
                yield item, item.line.text[found.start("paper") : found.end("paper")]

    # A masthead, else a 来源 line; a 来源 inside another line (发布时间：… 来源：…) names the paper only when the
    # source gives none (a site's name from its HTML): on a government page it names the bureau that wrote it.
    named = next(printed(_PAPER), None) or next(printed(_SOURCE), None)
    if named is None and not paper:
        named = next(printed(_SOURCE, anywhere=True), None)
    if named:
        page.found.append((named[0].line.number, "paper", named[1]))
        paper = named[1]
    return date, paper


def _pieces(items: list[Item]) -> tuple[list[tuple[_Piece, list[Item]]], list[Item]]:
    """Cut a page's items into its header and pieces; return ``(pieces, header items)``."""
    bylined = any(i.kind == "byline" for i in items)
    starts = sorted({*(j for j, i in enumerate(items) if i.kind == "byline"), *_story_starts(items, bylined)})
    if bylined:
        starts = _headlines_above(items, starts)
    elif not starts and not any(i.kind == "note" for i in items):
        starts = [0]  # no byline, no headline block, no note: the page is one article
    header = items[: starts[0]] if starts else items
    pieces: list[tuple[_Piece, list[Item]]] = []
    if any(i.kind != "furniture" for i in header):
        pieces.append((_Piece(kind="header"), header))
    for n, start in enumerate(starts):
        block = items[start : starts[n + 1] if n + 1 < len(starts) else len(items)]
        kind = "interview" if any(i.kind == "byline" for i in block) else "story"
        pieces.append((_Piece(kind=kind), block))
    return pieces, header


def _record_lines(items: list[Item], page: Page, name: str) -> None:
    """Put the page's lines on the record, furniture included, with a notice for each line the reader doubted."""
    for item in items:
        if item.kind == "furniture":
            item.line.roles = ("furniture",)
            item.line.article = None
            item.line.doubt = item.line.doubt or "read as page furniture"
        elif item.kind in ("text", "short") and "body" in item.line.roles and looks_like_byline(item.line.text):
            item.line.doubt = item.line.doubt or "shaped like a byline, but its post or unit is not known: read as body"
        page.lines.append(item.line)
        if item.line.doubt:
            page.notices.append(Notice(name, item.line.number, f"{item.line.doubt}: {item.line.text[:40]}"))


def _headlines_above(items: list[Item], starts: list[int]) -> list[int]:
    """Move a byline's start up over the short lines just above it when nothing headline-shaped follows it."""
    moved = []
    for byline_at in starts:
        start = byline_at
        item = items[start]
        if item.kind == "byline" and not item.byline.rest:
            following = next((i for i in items[start + 1 :] if i.kind != "furniture"), None)
            if following is None or following.kind not in ("short", "series"):
                j = start
                while j > 0 and items[j - 1].kind in ("short", "subtitle") and start - j < MAX_BLOCK - 1:
                    j -= 1
                before = next((i for i in reversed(items[:j]) if i.kind != "furniture"), None)
                if j < start and before is not None and before.kind in HEADER_KINDS and start - 1 not in moved:
                    # Short lines above run on into the page's header (两会 page: banner, series, then each
                    # member's headline above their byline): only the nearest is this piece's headline.
                    start = start - 1
                elif j < start and (before is None or before.kind in ("text", "credit", "note")) and j not in moved:
                    start = j
        moved.append(start)
    return sorted(set(moved))


def _role(item: Item, *roles: str) -> None:
    item.line.roles = roles


def _assign_header(piece: _Piece, block: list[Item]) -> None:
    has_note = False
    for item in block:
        if item.kind == "furniture":
            continue
        text = item.line.text
        if item.kind == "note" and not has_note:
            has_note = True
            found = NOTE.match(simplified(text))
            piece.marker = text[found.start(1) : found.end(1)]  # as printed (編者按 stays 編者按)
            if found.end() == len(text.rstrip()) and "headline" not in piece.fields:
                # The label alone on its line (开栏的话) is the note's title, not also its first paragraph.
                piece.fields["headline"] = text
                _role(item, "headline")
                continue
        if item.kind in ("credit", "caption", "guest", "jump"):
            _assign_aside(piece, item)
        elif has_note:
            _role(item, "note")
            piece.body.append(text)
        elif item.kind == "short" and "headline" not in piece.fields:
            piece.fields["headline"] = text
            piece.lines["headline"] = item.line.number
            _role(item, "headline")
        elif item.kind == "subtitle" and "subtitle" not in piece.fields:
            piece.fields["subtitle"] = text
            piece.lines["subtitle"] = item.line.number
            _role(item, "subtitle")
        elif item.kind == "series" and "series" not in piece.fields:
            piece.fields["series"] = text
            _role(item, "series")
        else:
            _role(item, "lead")
            piece.body.append(text)
    piece.kind = "note" if has_note else ("lead" if piece.body else "header")


def _assign_block(piece: _Piece, block: list[Item]) -> list[Item]:
    """Give a headline block (kicker, headline, subtitle) its roles; return the items after it."""
    run = []
    rest_at = 0
    for n, item in enumerate(block):
        if item.kind == "furniture":
            continue
        if item.kind not in HEADER_KINDS or len(run) == MAX_BLOCK:
            rest_at = n
            break
        run.append(item)
        rest_at = n + 1
    plain = [i for i in run if i.kind != "subtitle"]
    dashed = [i for i in run if i.kind == "subtitle"]
    names = _typeset_roles(plain)  # the type says which line is the headline, when it is known
    if not names and len(plain) == 3:
        names = ["kicker", "headline", "subtitle"]
    elif not names:
        names = ["kicker", "headline"][-len(plain) :] if plain else []
    for item, role in zip(plain, names, strict=True):
        piece.fields[role] = item.line.text
        piece.lines[role] = item.line.number
        _role(item, role)
    _read_wire_dateline(piece, plain, names)
    for item in dashed:
        if "subtitle" not in piece.fields:
            piece.fields["subtitle"] = item.line.text
            piece.lines["subtitle"] = item.line.number
            _role(item, "subtitle")
        else:
            _role(item, "body")
            piece.body.append(item.line.text)
    return block[rest_at:]


# A wire story's first line: its dateline and its title (新华社北京3月14日电 题：…).
_WIRE = re.compile(r"^(?P<dateline>\S.{1,30}?[电電])\s*[题題]\s*[:：]\s*(?P<title>\S.*)$")


def _read_wire_dateline(piece: _Piece, plain: list[Item], names: list[str]) -> None:
    """A wire dateline read as the headline (``新华社北京3月14日电 题：践行…``) is a credit: the title after it is
    the headline, unless the page printed a headline above it (then the line, title and all, is the credit)."""
    at = names.index("headline") if "headline" in names else -1
    found = _WIRE.match(plain[at].line.text) if at >= 0 else None
    if found is None:
        return
    item = plain[at]
    if at > 0 and names[at - 1] == "kicker":  # the printed headline above the wire's line
        above = plain[at - 1]
        piece.fields["headline"] = above.line.text
        piece.lines["headline"] = above.line.number
        del piece.fields["kicker"], piece.lines["kicker"]
        _role(above, "headline")
        piece.credits.append(item.line.text)
        _role(item, "credit")
    else:
        piece.fields["headline"] = found["title"]
        piece.credits.append(found["dateline"])
        _role(item, "credit", "headline")


def _typeset_roles(plain: list[Item]) -> list[str]:
    """The roles of a headline block's plain lines by their type sizes, when every size is known and they differ:
    the largest line is the headline, one line above it the kicker, one below it the subtitle (a PDF prints
    them so; the words alone would make the last of two lines the headline). ``[]`` when the type can't say."""
    sizes = [item.size for item in plain]
    if not plain or len(plain) > 3 or not all(sizes) or max(sizes) - min(sizes) < 0.1 * max(sizes):
        return []
    top = sizes.index(max(sizes))
    if top > 1 or len(plain) - top > 2:
        return []
    return ["kicker"] * top + ["headline"] + ["subtitle"] * (len(plain) - top - 1)


def _assign_interview(piece: _Piece, block: list[Item]) -> None:
    at = next(n for n, i in enumerate(block) if i.kind == "byline")
    if at:
        _assign_block(piece, block[:at])
    item = block[at]
    byline = item.byline
    piece.byline = byline
    piece.lines["byline"] = item.line.number
    piece.fields["byline_line"] = byline.text
    if byline.rest and headline_shaped(simplified(byline.rest)) and "headline" not in piece.fields:
        piece.fields["headline"] = byline.rest
        _role(item, "byline", "headline")
    elif byline.rest:
        piece.body.append(byline.rest)
        _role(item, "byline", "body")
    else:
        _role(item, "byline")
    rest = block[at + 1 :]
    if "headline" not in piece.fields:
        following = [i for i in rest if i.kind != "furniture"]
        if following and following[0].kind in ("short", "series"):
            piece.fields["headline"] = following[0].line.text
            _role(following[0], "headline")
            if len(following) > 1 and following[1].kind == "subtitle":
                piece.fields["subtitle"] = following[1].line.text
                _role(following[1], "subtitle")
    _assign_body(piece, rest)


def _assign_story(piece: _Piece, block: list[Item]) -> None:
    _assign_body(piece, _assign_block(piece, block))


def _assign_body(piece: _Piece, items: list[Item]) -> None:
    for item in items:
        if item.kind == "furniture" or item.line.roles:
            continue
        if item.kind in ("credit", "caption", "guest", "jump"):
            _assign_aside(piece, item)
        else:
            _role(item, "body")
            piece.body.append(item.line.text)
            piece.lines.setdefault("narration", item.line.number)  # where a lead would name the speaker


def _assign_aside(piece: _Piece, item: Item) -> None:
    """A credit, caption, jump or guest line: to the piece's credits, captions or jumps, wherever it stands in it.

    The first guest line of a piece without a byline is its byline (and its speaker); another is a credit.
    """
    text = item.line.text
    if item.kind == "caption":
        piece.captions.append(text)
        _role(item, "caption")
    elif item.kind == "jump":
        piece.jumps.append(text)
        _role(item, "jump")
    elif item.kind == "guest" and item.byline is not None and piece.byline is None and piece.guest is None:
        piece.guest = item.byline
        piece.fields["byline_line"] = text
        piece.lines["guest"] = item.line.number
        _role(item, "byline")
    else:
        piece.credits.append(text)
        _role(item, "credit")


def _speaker(piece: _Piece) -> tuple[Byline | None, str]:
    """Who the piece says spoke, and where it says so (see :mod:`searcher.reading.speakers` for the order)."""
    if piece.byline is not None:
        return piece.byline, "byline"
    if piece.guest is not None:
        return piece.guest, "guest"
    if piece.kind in ("note", "header"):
        return None, ""  # an editor's note or a page header introduces a series; it is nobody's speech
    for role in ("subtitle", "headline", "kicker"):
        found = speaker_in_title(piece.fields.get(role, ""))
        if found is not None:
            return found, role
    found = speaker_in_narration(piece.body)
    if found is not None:
        return found, "narration"
    return None, ""


def _article(  # noqa: PLR0913, PLR0917
    piece: _Piece,
    p: int,
    name: str,
    file_slug: str,
    seen: set[str],
    series: str,
    context: tuple[str, str, str],
    furniture: list[str],
) -> Article | None:
    date, url, paper = context
    fields = piece.fields
    byline, speaker_source = _speaker(piece)
    if piece.kind in ("note", "lead", "header"):
        base = f"{file_slug}-{piece.kind}" + (f"-{p + 1}" if p else "")
        headline = fields.get("headline", "") or (piece.marker if piece.kind == "note" else "")
        series_value = fields.get("series", series)
    elif piece.byline is not None:
        base = f"{file_slug}-{_digest(byline.unit, byline.person)}"
        headline = fields.get("headline", "")
        series_value = series
    else:
        base = f"{file_slug}-{_digest(name, fields.get('headline', ''), *piece.body[:1])}"
        headline = fields.get("headline", "")
        series_value = series
    if not (headline or piece.body or fields or piece.credits or piece.captions or piece.jumps):
        return None
    article_id = base
    n = 2
    while article_id in seen:
        article_id = f"{base}-{n}"
        n += 1
    seen.add(article_id)
    printed = tuple(piece.body)
    restoration = restore(printed)
    kind = piece.kind if piece.kind != "story" or headline else "article"
    if piece.kind == "story" and byline is not None:
        kind = "interview"
    return Article(
        id=article_id,
        headline=headline,
        paragraphs=restoration.paragraphs,
        unit=byline.unit if byline else "",
        position=byline.position if byline else "",
        person=byline.person if byline else "",
        series=series_value,
        date=date,
        url=url,
        source=name,
        kind=kind,
        kicker=fields.get("kicker", ""),
        subtitle=fields.get("subtitle", ""),
        byline_line=fields.get("byline_line", ""),
        furniture=tuple(furniture),
        printed_paragraphs=printed if restoration.changed else None,
        repair=restoration.note,
        missing=restoration.missing,
        credits=tuple(piece.credits),
        captions=tuple(piece.captions),
        jumps=tuple(piece.jumps),
        speaker_source=speaker_source,
        paper=paper,
    )


def _notice_headline(page: Page, piece: _Piece, block: list[Item], article: Article, name: str) -> None:
    if article.headline or piece.kind in ("note", "lead", "header"):
        return
    first = next(i for i in block if i.kind != "furniture")
    page.notices.append(Notice(name, first.line.number, f"no headline printed: shown as “{article.title}”"))
