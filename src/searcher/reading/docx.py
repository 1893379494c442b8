"""Word documents (``.docx``), read with python-docx: the body's paragraphs and table cells, in document order.

Each paragraph (a line break inside one splits it) is a line of the page model. Running headers and footers
(the paper's name, 版次, page numbers) are kept as page furniture. Old binary ``.doc`` files are not read: the
reader says how to convert them (see :mod:`searcher.reading.files`).
"""

from __future__ import annotations

import dataclasses
import io
import re

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from searcher.reading.model import Line, Page
from searcher.reading.page import read_lines

__all__ = ["read_docx"]

_BREAKS = re.compile(r"[\n\v\r]")


def _cell_texts(table: Table) -> list[str]:
    texts: list[str] = []
    for row in table.rows:
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per column it spans
                continue
            seen.add(id(cell._tc))
            texts.extend(p.text for p in cell.paragraphs)
    return texts


def _body_texts(document: docx.document.Document) -> list[str]:
    texts: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            texts.append(Paragraph(child, document).text)
        elif child.tag.endswith("}tbl"):
            texts.extend(_cell_texts(Table(child, document)))
    return [line for text in texts for line in _BREAKS.split(text)]


def read_docx(data: bytes, source: str, fallback_date: str = "") -> Page:
    """Read a ``.docx`` file into a :class:`Page`.

    :raises ValueError: when the file is not a Word document python-docx can open.
    """
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many types on a damaged or foreign file
        raise ValueError(f"not a readable Word .docx file ({type(error).__name__}: {error})") from None
    lines = _body_texts(document)
    page = read_lines(list(enumerate(lines, 1)), source, fallback_date)
    furniture: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer):
            if part.is_linked_to_previous:
                continue
            furniture.extend(t.strip() for p in part.paragraphs for t in _BREAKS.split(p.text) if t.strip())
    furniture = list(dict.fromkeys(furniture))
    if furniture:
        for n, text in enumerate(furniture, len(lines) + 1):
            page.lines.append(Line(n, text, "furniture", ("furniture",)))
        page.furniture.extend(furniture)
        page.articles[:] = [dataclasses.replace(a, furniture=(*a.furniture, *furniture)) for a in page.articles]
    return page
