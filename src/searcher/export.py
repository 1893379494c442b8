"""Result lists as files a report (简报) is made from: CSV that Excel opens with its Chinese intact, and XLSX.

Article text is untrusted: a title that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
run as a formula by Excel (CSV/formula injection, OWASP). In CSV such a cell gets a leading apostrophe, which Excel
shows as text; in XLSX every cell is written as a string, never a formula. The workbook is written by openpyxl.
"""

from __future__ import annotations

import csv
import io

__all__ = ["EXPORT_HEADER", "csv_bytes", "safe_cell", "xlsx_bytes"]

EXPORT_HEADER = ["标题", "单位", "职务", "姓名", "日期", "来源", "链接"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Return ``value`` so that a spreadsheet shows it as text (a leading apostrophe before a formula character)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """Return the table as CSV in UTF-8 with a byte-order mark (Excel's signal for UTF-8), every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def xlsx_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """Return the table as an XLSX workbook whose cells are all strings (none is ever read as a formula)."""
    # openpyxl takes a fifth of a second to import: only an Excel export pays for it, not every command.
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("检索结果")
    for values in [header, *rows]:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
