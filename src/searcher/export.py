"""Result lists as files: CSV that Excel opens with its Chinese intact, XLSX, and an Atom feed to subscribe to.

Article text is untrusted: a title that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
run as a formula by Excel (CSV/formula injection, OWASP). In CSV such a cell gets a leading apostrophe, which Excel
shows as text; in XLSX every cell is written as a string, never a formula. The workbook is written by openpyxl.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree import ElementTree

from searcher.search.results import Row

__all__ = [
    "EXPORT_HEADER",
    "FeedEntry",
    "atom_bytes",
    "csv_bytes",
    "docx_bytes",
    "export_rows",
    "safe_cell",
    "xlsx_bytes",
    "xml_text",
]

EXPORT_HEADER = ["标题", "单位", "职务", "姓名", "日期", "来源", "链接", "另见刊发"]
# Characters XML 1.0 forbids (scraped pages carry them: a vertical tab, a stray escape): python-docx refuses them and a
# feed holding them is not XML. Tab, line feed and carriage return are allowed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Return ``value`` so that a spreadsheet shows it as text (a leading apostrophe before a formula character)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def export_rows(results: list[tuple[Row, list[Row]]], link: Callable[[str], str]) -> list[list[str]]:
    """The cells of each result under :data:`EXPORT_HEADER`: its source line's parts as a 摘编 prints them (unit,
    position, person, date, the paper or else the series, the link), and where else its story was printed (paper or
    unit, date and link of each other printing, ``；`` between them)."""

    def elsewhere(r: Row) -> str:
        return " ".join(part for part in (r.paper or r.unit, r.date, link(r.id)) if part)

    return [
        [
            r.title,
            r.unit,
            r.position,
            r.person,
            r.date,
            r.paper or r.series,
            link(r.id),
            "；".join(map(elsewhere, others)),
        ]
        for r, others in results
    ]


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """Return the table as CSV in UTF-8 with a byte-order mark (Excel's signal for UTF-8), every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


#: Column widths of the Excel export (in characters; a Chinese character takes two), by header.
_WIDTHS = {"标题": 60, "单位": 18, "职务": 22, "姓名": 10, "日期": 12, "来源": 18, "链接": 48, "另见刊发": 60}


def xlsx_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """Return the table as an XLSX workbook ready to read: its header row bold and frozen, columns wide enough for
    their contents, links that open, and every other cell a string (none is ever read as a formula)."""
    # openpyxl takes a fifth of a second to import: only an Excel export pays for it, not every command.
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "检索结果"
    links = {i for i, name in enumerate(header) if name == "链接"}
    for values in [header, *rows]:
        sheet.append(values)
    for row in sheet.iter_rows():
        for cell in row:
            cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, name in enumerate(header):
        sheet.column_dimensions[get_column_letter(i + 1)].width = _WIDTHS.get(name, 16)
    for row in sheet.iter_rows(min_row=2):
        for i in links:
            if str(row[i].value or "").startswith(("http://", "https://")):
                row[i].hyperlink = row[i].value
                row[i].style = "Hyperlink"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class FeedEntry:
    """One article of a feed: its absolute link (also its id), title, date (``YYYY-MM-DD`` or ""), unit and
    summary (HTML, the matched text marked)."""

    url: str
    title: str
    date: str
    unit: str
    summary: str


def xml_text(text: str) -> str:
    """Return ``text`` without the characters XML forbids (each becomes a space, so words stay apart)."""
    return _NOT_XML.sub(" ", text)


def _timestamp(date: str, fallback: str) -> str:
    return f"{date}T00:00:00+08:00" if date else fallback


def atom_bytes(title: str, feed_url: str, page_url: str, entries: list[FeedEntry], updated: str) -> bytes:
    """Return an Atom 1.0 feed (RFC 4287) of ``entries``, newest first as given, written by ElementTree (which
    escapes every text).

    :param updated: an RFC 3339 time for the feed, and for an undated article.
    """
    ElementTree.register_namespace("", ATOM)

    def add(parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str) -> ElementTree.Element:
        element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attributes.items()})
        element.text = xml_text(text) if text is not None else None
        return element

    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    add(feed, "id", feed_url)
    add(feed, "title", title)
    add(feed, "updated", _timestamp(entries[0].date, updated) if entries else updated)
    add(feed, "link", rel="self", href=feed_url)
    add(feed, "link", rel="alternate", type="text/html", href=page_url)
    add(add(feed, "author"), "name", "文章检索")
    for entry in entries:
        item = add(feed, "entry")
        add(item, "id", entry.url)
        add(item, "title", entry.title)
        add(item, "link", rel="alternate", type="text/html", href=entry.url)
        add(item, "updated", _timestamp(entry.date, updated))
        if entry.unit:
            add(item, "category", term=entry.unit)
        add(item, "summary", entry.summary, type="html")
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)


def docx_bytes(title: str, described: str, passages: list) -> bytes:
    """Return a Word 摘编 of ``passages`` (:class:`searcher.search.Passage`): a title and the search described at
    the top, then for each article its headline, its source line and its text, the query's strings in bold — ready
    to paste into a 简报. Written by python-docx."""
    import docx  # noqa: PLC0415 - a tenth of a second to import, needed only for this export
    from docx.shared import Pt  # noqa: PLC0415

    document = docx.Document()
    document.add_heading(xml_text(title), level=0)
    document.add_paragraph(xml_text(described))
    for item in passages:
        document.add_heading(xml_text(item.title), level=1)
        source = document.add_paragraph()
        run = source.add_run(xml_text(item.source_line))
        run.italic = True
        run.font.size = Pt(9)
        for printed, spans in item.paragraphs:
            text = xml_text(printed)  # one character for one: the spans still fit
            paragraph = document.add_paragraph()
            at = 0
            for start, end in spans:
                if start > at:
                    paragraph.add_run(text[at:start])
                paragraph.add_run(text[start:end]).bold = True
                at = end
            if at < len(text):
                paragraph.add_run(text[at:])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
