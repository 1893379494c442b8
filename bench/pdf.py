"""E-paper PDFs, measured: pages per second read into articles, and a whole issue's build time and peak memory.

A 60-page issue is typeset here with reportlab (STSong-Light, the non-embedded Adobe-GB1 CID font newspapers use):
each page a masthead, then four stories of xwlb text, two above two, each a headline over two columns. It is read
with ``searcher.reading.read_file`` (each file in its bounded child process, as a build does) and then indexed with
``searcher index``; the build's peak RSS is that of the whole command, children included.

    python bench/pdf.py --pages 60
"""

from __future__ import annotations

import argparse
import io
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from bench.common import OUT, xwlb_records
from searcher.reading import read_file

FONT = "STSong-Light"
WIDTH, HEIGHT = 842, 1191  # A3, a broadsheet's proportions
SIZE = 10


def _column(pdf: canvas.Canvas, x: float, span: tuple[float, float], width: float, text: str) -> str:
    """Set ``text`` in a column from ``span``'s top down to its bottom, each line filled to the column's width (as
    a newspaper justifies it; half-width digits and letters take half a character); return what did not fit."""
    (y, bottom), first = span, True
    pdf.setFont(FONT, SIZE)
    while text and y > bottom:
        room = width - (2 * SIZE if first else 0)
        end = 1
        while end < len(text) and pdfmetrics.stringWidth(text[: end + 1], FONT, SIZE) <= room:
            end += 1
        line, text = text[:end], text[end:]
        pdf.drawString(x + (2 * SIZE if first else 0), y, line)
        y -= SIZE * 1.5
        first = False
    return text


def issue(pages: int) -> bytes:
    """Typeset a ``pages``-page issue of xwlb stories; return the PDF."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    records = xwlb_records(pages * 4)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(WIDTH, HEIGHT))
    for n in range(pages):
        pdf.setFont(FONT, 9)
        pdf.drawString(40, HEIGHT - 30, f"青溪日报  2024年03月{1 + n % 28:02d}日  第{n + 1}版")
        for slot in range(4):
            record = records[n * 4 + slot]
            x = 40 + (slot % 2) * (WIDTH - 80) / 2
            top = HEIGHT - 70 - (slot // 2) * (HEIGHT - 100) / 2
            bottom = top - (HEIGHT - 140) / 2
            pdf.setFont(FONT, 18)
            pdf.drawString(x, top, record["title"][:20])
            body = "".join(record["body"].split())
            width = (WIDTH - 80) / 4 - 14
            rest = _column(pdf, x, (top - 30, bottom), width, body)
            _column(pdf, x + width + 14, (top - 30, bottom), width, rest)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=60)
    args = parser.parse_args()
    folder = OUT / "pdf-issue"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    path = folder / "issue.pdf"
    started = time.perf_counter()
    path.write_bytes(issue(args.pages))
    typeset = time.perf_counter() - started

    started = time.perf_counter()
    articles, problems, _ = read_file(path)
    read_s = time.perf_counter() - started
    bodies = ["".join(r["body"].split()) for r in xwlb_records(args.pages * 4)]
    whole = sum(any("".join(a.paragraphs) in body for body in bodies) for a in articles if a.paragraphs)

    index_dir = OUT / "pdf-index"
    shutil.rmtree(index_dir, ignore_errors=True)
    cli = str(Path(sys.executable).with_name("searcher"))
    started = time.perf_counter()
    subprocess.run([cli, "index", str(folder), "--index-dir", str(index_dir)], check=True, capture_output=True)
    build_s = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(f"### E-paper PDFs ({args.pages}-page issue, {path.stat().st_size / 2**20:.1f} MB)\n")
    print(f"Command: `python bench/pdf.py --pages {args.pages}` (typeset with reportlab in {typeset:.1f} s).\n")
    print("| measure | value |\n|---|---|")
    print(f"| read into articles (one bounded child process) | {read_s:.1f} s, {args.pages / read_s:.1f} pages/s |")
    print(f"| articles found / problems | {len(articles)} / {len(problems)} |")
    print(f"| `searcher index` of the issue, whole command | {build_s:.1f} s, peak RSS {peak:.0f} MB |")
    print(
        f"\nOf the {args.pages * 4} stories typeset, {whole} read back as one contiguous piece of their text; the "
        "others differ where this bench's own typesetter broke a Latin word across lines (read back with a space: "
        "RC EP) or set a news roundup's sub-headlines inside its columns (read as stories of their own)."
    )


if __name__ == "__main__":
    main()
