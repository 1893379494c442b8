"""Decoding a file's bytes: UTF-8 first, else the encoding charset-normalizer detects (GB18030 pages are common)."""

from __future__ import annotations

from charset_normalizer import from_bytes

__all__ = ["decode"]


def decode(data: bytes) -> str:
    """Decode a file's bytes: UTF-8 (with or without BOM) first, else the encoding charset-normalizer detects.

    Pages from Chinese newsrooms often arrive as GB18030/GBK; charset-normalizer recognizes them.

    :raises ValueError: when no encoding fits (binary data).
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or "\0" in str(best):
        raise ValueError("not text: no character encoding fits (binary file?)")
    return str(best)
