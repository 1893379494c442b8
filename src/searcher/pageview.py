"""The printed page of a PDF article, as an image to cite and check: rendered once, cached beside the index.

The article page links to 版面: the page its PDF printed it on, rendered by pypdfium2 (Apache/BSD), with the
article's own area outlined from the boxes the reader computed (:mod:`searcher.reading.pdf`). The image is made on
first view and kept in ``<index>/page-images/``, named by the file's path, size and time and the page number, so a
changed PDF gets a new image and an unchanged one is never rendered twice.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

__all__ = ["PageMissingError", "page_image"]

SCALE = 2.0  # 144 dpi: a newspaper page's body type stays legible when zoomed
_LOCK = threading.Lock()


class PageMissingError(Exception):
    """The PDF an article was read from is no longer where it was indexed (moved or deleted)."""


def page_image(pdf: Path, page: int, index_dir: Path) -> Path:
    """Return the PNG of page ``page`` (1-based) of ``pdf``, rendering it on first use.

    :raises PageMissingError: when the PDF is gone or no longer has that page.
    """
    try:
        stat = pdf.stat()
    except OSError:
        raise PageMissingError(f"{pdf} is no longer there") from None
    key = hashlib.sha1(f"{pdf.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    target = Path(index_dir) / "page-images" / f"{key}-{page}.png"
    if target.exists():
        return target
    import pypdfium2  # noqa: PLC0415 - needed only when a page is first viewed

    with _LOCK:  # pdfium is not thread-safe
        if target.exists():
            return target
        document = pypdfium2.PdfDocument(str(pdf))
        try:
            if not 1 <= page <= len(document):
                raise PageMissingError(f"{pdf} has no page {page}")
            image = document[page - 1].render(scale=SCALE).to_pil()
        finally:
            document.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        image.save(partial, format="PNG", optimize=True)
        partial.replace(target)
    return target
