"""Each line of a page on its own: its *kind*, the first step of the page model (:mod:`searcher.reading.page`, whose
docstring states the rules), and the two passes that correct kinds by looking at the other lines (lists of names,
repeats).

A line is classified through its simplified view (:func:`searcher.reading.lexicon.simplified`), so a traditional-
character line reads the same; the word lists are the data files of :mod:`searcher.reading.lexicon`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from searcher.reading.bylines import Byline, parse_byline
from searcher.reading.lexicon import CREDIT, FURNITURE, simplified
from searcher.reading.model import Line, Page
from searcher.reading.speakers import GUEST, guest_of

__all__ = [
    "HEADER_KINDS",
    "MAX_HEADLINE",
    "NOTE",
    "Item",
    "demote_crumbs",
    "demote_lists",
    "demote_repeats",
    "demote_scenes",
    "headline_shaped",
    "is_furniture",
    "line_kind",
]

#: The kinds a headline block (kicker, headline, subtitle, series) is made of.
HEADER_KINDS = ("short", "subtitle", "series")

MAX_HEADLINE = 64

_SENTENCE_END = re.compile(r"[。！？；!?;]")
NOTE = re.compile(r"^[【\[]?\s*(编者按|编者的话|开栏的话|编辑按|编者|按语)\s*[】\]]?\s*([：:]|$)")
_ENUMERATED = re.compile(
    r"^([一二三四五六七八九十]{1,2}(是|要|、)|[（(][一二三四五六七八九十\d]{1,2}[）)]|\d{1,2}[、.．]|第[一二三四五六七八九十]{1,2}[，、,])"
)
_SUBTITLE = re.compile(r"^[—–－\-]{1,2}\s*\S.*$")
_SERIES = re.compile(
    r"([(（][一二三四五六七八九十百\d]{1,3}[)）]|之[一二三四五六七八九十]{1,3}"
    r"|履职小记|小记|手记|札记|访谈录|系列访谈|系列报道|巡礼|大家谈|面对面|一线行)$"
)
_PHOTO = re.compile(r".{0,40}\s摄[)）]?$|^[（(].{0,30}摄[)）]$")
_CAPTION = re.compile(
    r"^[（(]?\s*(图为|图片为|(图片说明|题图|(左上|右上|左下|右下|上|下|左|右)图)\s*[：:为])\s*\S.{1,150}$"
    r"|^.{4,120}[。！\s]\s*[\u4e00-\u9fff]{2,4}(\s+[\u4e00-\u9fff]{2,4})*\s*摄\s*[)）]?$"
    # A photo's people by where they stand: 薛某(右)、王某(中)在田间查看长势。
    r"|^[\u4e00-\u9fff]{2,4}[（(](左|右|中|左一|右一|左二|右二|前排[^）)]{0,4}|后排[^）)]{0,4})[）)].{2,60}$"
)
_SCENE = re.compile(r"^.{2,12}(现场|一角|掠影|剪影|全景|航拍图|效果图|示意图|留影|合影)$")
# A jump to or from another page of the paper: （下转第3版）, 转二版, （上接第1版）.
_JUMP = re.compile(r"^[（(]?\s*(下转|转|上接|接|紧接)\s*第?\s*[0-9一二三四五六七八九十]{1,3}\s*版\s*[）)]?$")
_END_MARK = re.compile(r"^[（(](完|全文完|待续|未完待续)[）)]$")


def is_furniture(line: str) -> bool:
    """Tell whether ``line`` is site or page furniture (``furniture.txt``)."""
    if _SENTENCE_END.search(line) or len(line) > 120:
        return False
    view = simplified(line)
    return any(pattern.fullmatch(view) for pattern in FURNITURE)


def headline_shaped(view: str) -> bool:
    return (
        len(view) <= MAX_HEADLINE
        and not _SENTENCE_END.search(view)
        and not view.endswith(("，", "、", "：", ":", ",", "…"))
        and not _ENUMERATED.match(view)
        and not _END_MARK.match(view)
    )


def _credit(view: str) -> bool:
    """A short line that begins as a credit does (记者, 通讯员, 文丨, 编辑：…: ``credits.txt``)."""
    return len(view) <= MAX_HEADLINE and not _SENTENCE_END.search(view) and bool(CREDIT.match(view))


_WORDLESS = re.compile(r"[^A-Za-z\u3400-\u9fff]*")


def line_kind(text: str) -> tuple[str, Byline | None]:
    view = simplified(text)
    if _WORDLESS.fullmatch(view) and not is_furniture(text):
        return "text", None  # a section number (1, ②) or a stray mark: never a headline, kept where it stands
    if _credit(view) and "来源" not in view:
        return "credit", None  # before furniture: names set apart (记者 姚 远 梁晶晶) look like a menu's words
    if is_furniture(text):
        return "furniture", None
    if NOTE.match(view):
        return "note", None
    if _JUMP.match(view):
        return "jump", None
    if GUEST.match(view) and len(view) <= MAX_HEADLINE * 2:
        return "guest", guest_of(text)
    byline = parse_byline(text)
    if byline is not None:
        return "byline", byline
    if _credit(view) or (len(view) <= MAX_HEADLINE and not _SENTENCE_END.search(view) and _PHOTO.match(view)):
        return "credit", None
    if _CAPTION.match(view):
        return "caption", None
    if len(view) <= MAX_HEADLINE * 3 // 2 and _SUBTITLE.match(view) and not _SENTENCE_END.search(view):
        return "subtitle", None
    if headline_shaped(view) and _SERIES.search(view):
        return "series", None
    if headline_shaped(view):
        return "short", None
    return "text", None


@dataclass
class Item:
    line: Line
    kind: str
    byline: Byline | None = None
    size: float = 0.0  # the type size the line was printed in, when the source says (a PDF); 0 when unknown


def demote_repeats(items: list[Item]) -> None:
    """Read a headline printed again (a running header) and a sentence printed again as a pull-quote as furniture.

    A repeat starts nothing: without this, a running header would start a second article and a pull-quote would
    be a paragraph twice. The first printing keeps its place; the repeat stays on the record as furniture.
    """
    shorts: set[str] = set()
    texts = [simplified(i.line.text) for i in items if i.kind == "text"]
    for item in items:
        view = re.sub(r"\s+", "", simplified(item.line.text))
        if item.kind in ("short", "subtitle", "series"):
            if view in shorts and len(view) >= 4:
                item.kind = item.line.kind = "furniture"
                item.line.doubt = "the same headline printed again (a running header): kept as furniture"
                continue
            shorts.add(view)
        if item.kind == "text" and len(view) >= 15 and not view.endswith(("：", ":", "，", ",")):
            bare = view.strip("“”\"'‘’「」『』")
            if any(bare in re.sub(r"\s+", "", t) and len(t) > len(item.line.text) for t in texts):
                item.kind = item.line.kind = "furniture"
                item.line.doubt = "a sentence of the body printed again (a pull-quote): kept as furniture"


def demote_lists(items: list[Item], page: Page) -> None:
    """Read consecutive bylines, with nothing between them, as text: a list of names in a note, not interviews."""
    for i, item in enumerate(items):
        if item.kind != "byline":
            continue
        following = next((other for other in items[i + 1 :] if other.kind != "furniture"), None)
        previous = next((other for other in reversed(items[:i]) if other.kind != "furniture"), None)
        in_list = (following is not None and following.kind == "byline" and not item.byline.rest) or (
            previous is not None
            and previous.kind == "byline"
            and not previous.byline.rest
            and not item.byline.rest
            and previous.line.doubt.startswith("a list")
        )
        if in_list:
            item.line.doubt = "a list of names (bylines with nothing between them): read as text"
    for item in items:
        if item.line.doubt.startswith("a list"):
            item.kind = "text"
            item.line.kind = "text"


# A site's breadcrumb trail: 当前位置：首页 > 阅览室 > 社会广角 >, 您所在的位置：首页 >> 世博频道 >> 正文.
_TRAIL = re.compile(r"(当前位置|您的位置|您所在的位置|所在位置|位置)\s*[:：]")
_CRUMB = re.compile(r"\s*(?:>>|>|»|→|/)\s*")


def demote_crumbs(items: list[Item]) -> None:
    """Read a short line that repeats a step of the page's breadcrumb trail (the site's column, 社会广角, printed
    above the story) as furniture: it names a section of the site, not the article."""
    crumbs: set[str] = set()
    for item in items:
        view = simplified(item.line.text)
        found = _TRAIL.search(view) if item.kind == "furniture" else None
        if found:
            crumbs.update(step for step in _CRUMB.split(view[found.end() :]) if step.strip())
    for item in items:
        if item.kind in HEADER_KINDS and simplified(item.line.text).strip() in crumbs:
            item.kind = item.line.kind = "furniture"


def demote_scenes(items: list[Item]) -> None:
    """Read a short scene line between two paragraphs (讨论会现场, 村容一角) as a photo caption.

    Only between paragraphs: the same words above a paragraph could be a headline (直击抗洪现场), and a caption
    there must not start a story.
    """
    content = [item for item in items if item.kind != "furniture"]
    for before, item, after in zip(content, content[1:], content[2:], strict=False):
        if item.kind == "short" and before.kind == after.kind == "text" and _SCENE.match(simplified(item.line.text)):
            item.kind = item.line.kind = "caption"
