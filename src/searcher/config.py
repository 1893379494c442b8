"""Configuration in one place: where the index, the bundled articles and the web files are, and how to serve.

Every setting has a default that works from a checkout and from an installed wheel. The environment variables:

* ``SEARCHER_INDEX_DIR`` — the index folder (also ``--index-dir``; default ``index/``). It is generated, like
  Flask's instance folder, and never committed.
* ``SEARCHER_CACHE_SIZE`` — results each worker process keeps (default 512; 0 turns the cache off).
* ``SEARCHER_BEHIND_PROXY`` — ``1`` when nginx or another reverse proxy forwards to searcher (see
  :func:`behind_proxy`).
* ``SEARCHER_PDF_SECONDS`` and ``SEARCHER_PDF_MB`` — the time (default 120 s) and the memory (default 1,024 MB)
  one PDF may take to read; a file past either is reported by name and the rest is indexed (:func:`pdf_limits`).

Data tables a deployment edits ship as files in the package: ``units.txt``, ``abbreviations.txt``,
``userdict.txt`` and ``reading/data/*.txt``.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "DEFAULT_INDEX_DIR",
    "behind_proxy",
    "bundled_articles",
    "cache_size",
    "index_dir",
    "pdf_limits",
    "web_dir",
]

DEFAULT_INDEX_DIR = "index"
_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent


def index_dir(value: str | os.PathLike[str] | None = None) -> Path:
    """Return the index folder: ``value``, else ``$SEARCHER_INDEX_DIR``, else ``index/``."""
    return Path(value or os.environ.get("SEARCHER_INDEX_DIR") or DEFAULT_INDEX_DIR)


def cache_size() -> int:
    """Return how many recent results each process keeps (``$SEARCHER_CACHE_SIZE``, default 512; 0 turns it off)."""
    raw = os.environ.get("SEARCHER_CACHE_SIZE", "")
    return int(raw) if raw.isdigit() else 512


def pdf_limits() -> tuple[float, int]:
    """Return ``(seconds, bytes)`` one PDF may take to read (``$SEARCHER_PDF_SECONDS``, ``$SEARCHER_PDF_MB``).

    A 60-page issue reads in well under a minute; the bounds are for hostile or broken files (deep object nesting,
    a decompression bomb), which would otherwise hang or exhaust a build.
    """
    seconds = os.environ.get("SEARCHER_PDF_SECONDS", "")
    megabytes = os.environ.get("SEARCHER_PDF_MB", "")
    return (
        float(seconds) if seconds.replace(".", "", 1).isdigit() else 120.0,
        (int(megabytes) if megabytes.isdigit() else 1024) * 2**20,
    )


def behind_proxy() -> bool:
    """Tell whether a reverse proxy (nginx) sits in front (``$SEARCHER_BEHIND_PROXY=1``).

    Then the proxy's ``X-Forwarded-Proto`` and ``X-Forwarded-Host`` are trusted (one hop), so that the absolute
    links of exports and "copy link" say ``https://search.example.gov.cn/…``, not gunicorn's own address. Off by
    default: without a proxy those headers could be forged by any client.
    """
    return os.environ.get("SEARCHER_BEHIND_PROXY", "") in ("1", "true", "yes")


def _shipped(name: str) -> Path:
    """Find a folder shipped inside the wheel (``searcher/<name>``) or, in a checkout, at the top level.

    The wheel copies the top-level ``web/`` and ``data/`` into the package (hatchling ``force-include``); an
    editable install runs from the checkout, where they stay at the top.
    """
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _CHECKOUT / name


def web_dir() -> Path:
    """Return the folder holding ``templates/`` and ``static/``."""
    return _shipped("web")


def bundled_articles() -> Path:
    """Return the folder of articles that ship with searcher (the default corpus of ``serve``)."""
    return _shipped("data") / "articles"
