"""Configuration in one place: where the index, the bundled articles and the web files are.

Every setting has a default that works from a checkout and from an installed wheel; the index folder can be moved
with ``SEARCHER_INDEX_DIR`` or ``--index-dir`` (it is generated, like Flask's instance folder, and never committed).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DEFAULT_INDEX_DIR", "bundled_articles", "cache_size", "index_dir", "web_dir"]

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
