"""Saved e-paper and government web pages (``.html``/``.htm``): the article's lines, then the page model.

The page is parsed with lxml's HTML parser (it repairs the broken markup saved pages have) after decoding it by its
declared charset (GB2312 pages are read as GB18030, its superset), else as :func:`searcher.reading.encoding.decode`
detects. The article's lines come from, in order of trust:

1. **The e-paper system's own markup.** Founder (方正) 数字报 pages mark the parts of an article with elements such as
   ``<founder-introtitle>`` (kicker), ``<founder-title>``, ``<founder-subtitle>``, ``<founder-author>`` and
   ``<founder-content>``, and the date in an ``enpproperty`` comment; when they are there, they are used as they are.
2. **trafilatura's main-text extraction** for any other page. It was chosen over readability-lxml because it keeps
   paragraph breaks and tables, finds the text of Chinese government pages whose content sits in plain ``<div>``\\ s,
   and is maintained; its cost (a few milliseconds per page) is small beside analysis. The page's ``<h1>`` is put
   before the extracted text when the extraction left the headline out.

Nothing visible is dropped: every text line of the page that is not in the article's lines (menus, footers, share
links…) is kept as page furniture, like the furniture lines of a text page, and so is the ``<title>``.
The date comes from the page (date lines, meta tags such as ``article:published_time`` / ``PubDate``, the URL path);
the URL from ``<link rel="canonical">`` or ``og:url``; the paper or site, when the text prints no masthead or 来源
line, from ``og:site_name`` or the part of the ``<title>`` that names a paper or site (主攻三农战场 - 青溪区人民政府).
"""

from __future__ import annotations

import dataclasses
import re

import lxml.html
from lxml import etree

from searcher.reading.dates import date_in_text, date_in_url, valid_date
from searcher.reading.encoding import decode
from searcher.reading.model import Line, Page
from searcher.reading.page import read_lines

__all__ = ["decode_html", "read_html"]

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "tbody", "td", "th", "thead", "tr", "ul", "founder-title", "founder-subtitle",
    "founder-introtitle", "founder-author", "founder-content", "founder-date",
}  # fmt: skip
_INVISIBLE = ("script", "style", "noscript", "template", "head", "iframe", "object", "svg")
_FOUNDER = ("founder-introtitle", "founder-title", "founder-subtitle", "founder-author", "founder-content")
_META_DATES = ("article:published_time", "publishdate", "pubdate", "publish_date", "publishtime", "og:release_date",
               "dc.date", "dc.date.issued", "dcterms.created", "date", "firstpublishedtime")  # fmt: skip


def decode_html(data: bytes) -> str:
    """Decode a saved page by the charset it declares, else as a text file is decoded."""
    declared = _CHARSET.search(data[:4096])
    if declared:
        charset = declared.group(1).decode("ascii").lower()
        if charset in ("gb2312", "gbk", "gb_2312-80", "x-gbk"):
            charset = "gb18030"
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def _text_lines(element: etree._Element) -> list[str]:
    """Return the visible text of ``element`` as lines, breaking at block elements and ``<br>``."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.lower() in _INVISIBLE or not tag:
            if node.tail:
                parts.append(node.tail)
            return
        block = tag.lower() in _BLOCKS
        if block:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(element)
    text = "".join(parts).replace("\xa0", " ")
    return [line.strip() for line in text.split("\n") if line.strip()]


def _meta(doc: etree._Element, html_text: str) -> tuple[str, str]:
    """Return ``(date, url)`` from the page's meta tags, enpproperty comment, canonical link and URL path."""
    url = ""
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        found = doc.xpath(xpath)
        if found and str(found[0]).startswith(("http://", "https://")):
            url = str(found[0]).strip()
            break
    date = ""
    enp = re.search(r"<date>\s*([^<]+?)\s*</date>", html_text)
    if enp:
        date = date_in_text(enp.group(1))
    for meta in doc.xpath("//meta[@content]"):
        if date:
            break
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        if key in _META_DATES:
            date = date_in_text(meta.get("content", ""))
    return (date or date_in_url(url)), url


_SITE = re.compile(r"(日报|晚报|晨报|时报|商报|周报|报社|网|网站|门户网站|人民政府|政府|融媒体中心|新闻|电视台|杂志)$")
_EDITION = re.compile(r"(数字报|电子版|数字报刊|电子报|数字报刊平台)$")


def _site(doc: etree._Element, title: str) -> str:
    """Return the paper or site a saved page names in ``og:site_name`` or its ``<title>``, else ""."""
    named = doc.xpath('//meta[@property="og:site_name"]/@content')
    if named and str(named[0]).strip():
        return _EDITION.sub("", str(named[0]).strip())
    parts = [_EDITION.sub("", part.strip()) for part in re.split(r"\s+[-_|｜—–]\s+|[-_|｜—–]", title) if part.strip()]
    return next((part for part in reversed(parts[1:]) if _SITE.search(part)), "") or next(
        (part for part in parts[:1] if len(parts) > 1 and _SITE.search(part)), ""
    )


def read_html(data: bytes, source: str, fallback_date: str = "") -> Page:
    """Read a saved web page into a :class:`Page` (see the module docstring).

    :raises ValueError: when the file can't be decoded or parsed as HTML.
    """
    html_text = _XML_DECL.sub("", decode_html(data))
    try:
        doc = lxml.html.document_fromstring(html_text)
    except (etree.ParserError, ValueError) as error:
        raise ValueError(f"not a readable HTML page ({error})") from None
    date, url = _meta(doc, html_text)
    title = " ".join(" ".join(doc.xpath("//title//text()")).split())
    body = doc.find("body")
    visible = _text_lines(body if body is not None else doc)
    main = _founder_lines(doc)
    if main is None:
        main = _extracted_lines(html_text, doc)
    page = read_lines(list(enumerate(main, 1)), source, date or fallback_date, url, _site(doc, title))
    joined = re.sub(r"\s+", "", "\n".join(main))
    extra = [line for line in visible if re.sub(r"\s+", "", line) not in joined]
    if title and re.sub(r"\s+", "", title) not in joined and title not in extra:
        extra.insert(0, title)
    _add_furniture(page, extra, len(main))
    return page


def _founder_lines(doc: etree._Element) -> list[str] | None:
    """Return the article's lines from Founder e-paper markup, or ``None`` when the page has none."""
    if not doc.xpath("//founder-content"):
        return None
    lines: list[str] = []
    for tag in _FOUNDER:
        for element in doc.xpath(f"//{tag}"):
            lines.extend(_text_lines(element))
    return lines


def _extracted_lines(html_text: str, doc: etree._Element) -> list[str]:
    """Return the main text's lines as trafilatura extracts them, with the ``<h1>`` first when it was left out."""
    import trafilatura  # noqa: PLC0415 - a sixth of a second to import, needed only for pages without e-paper markup

    text = trafilatura.extract(
        html_text,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        deduplicate=False,
    )
    lines = [line.strip() for line in (text or "").split("\n") if line.strip()]
    headings = [" ".join(h.text_content().split()) for h in doc.xpath("//h1")]
    headline = next((h for h in headings if h), "")
    if headline and headline not in lines[:3]:
        lines.insert(0, headline)
    return lines


def _add_furniture(page: Page, extra: list[str], offset: int) -> None:
    """Keep the page's lines outside the article as furniture (on the page and on each article)."""
    if not extra:
        return
    for n, text in enumerate(extra, offset + 1):
        page.lines.append(Line(n, text, "furniture", ("furniture",)))
    page.furniture.extend(extra)
    page.articles[:] = [dataclasses.replace(a, furniture=(*a.furniture, *extra)) for a in page.articles]
    if not page.articles:
        return
    if not all(valid_date(a.date) for a in page.articles):
        found = next((d for d in map(date_in_text, extra) if d), "")
        if found:
            page.articles[:] = [dataclasses.replace(a, date=a.date or found) for a in page.articles]
