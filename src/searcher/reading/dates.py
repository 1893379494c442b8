"""Publication dates: found where a page states them, validated, stored as ``YYYY-MM-DD``.

Sources, in the order the reader trusts them: a date line, masthead or 版次 line of the page (2021年8月12日 星期四,
第A02版：要闻 2021-08-12, 青溪日报 2013年03月08日, 发表日期：2023-06-08 点击：12, 二〇二三年六月八日, and after a
label a two-digit year: 发布日期：09-03-03 is 2009-03-03), an HTML meta tag
or the article's URL path (/2021-08/12/, /20210812/), then the file name (2021-08-12-要闻.txt, 20210812.html).
A string that is not a real calendar date (2021-02-30) is no date.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["date_in_name", "date_in_text", "date_in_url", "valid_date"]

_TEXT = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")
_HAN_DIGITS = {c: n for n, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_HAN = re.compile(
    r"([〇零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)
# A two-digit year only after a date label (发布日期：09-03-03 09:27): read as 20YY, never on its own (a bare
# 09-03-03 could be anything).
_LABELLED_SHORT = re.compile(
    r"(?:日期|时间|時間|发布|發布|发表|發表|更新)\s*[:：]?\s*(\d{2})-(\d{1,2})-(\d{1,2})(?![\d-])"
)
_URL = re.compile(r"/((?:19|20)\d{2})[-/]?(\d{2})[-/]?(\d{2})(?=[/_.-])")


def _iso(year: str, month: str, day: str) -> str:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return ""


def _first(pattern: re.Pattern[str], text: str) -> str:
    """Return the first match of ``pattern`` (year, month, day groups) in ``text`` that is a real date, else ""."""
    return next((found for match in pattern.finditer(text) if (found := _iso(*match.groups()))), "")


def valid_date(value: str) -> bool:
    """Tell whether ``value`` is a real calendar date written ``YYYY-MM-DD``."""
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)) and _iso(*value.split("-")) == value


def _han_number(text: str) -> str:
    """二〇二三 → 2023, 十二 → 12, 二十一 → 21 (the numerals of a date written in characters)."""
    if "十" not in text:
        return "".join(str(_HAN_DIGITS[c]) for c in text)
    tens, _, units = text.partition("十")
    return str((_HAN_DIGITS[tens] if tens else 1) * 10 + (_HAN_DIGITS[units] if units else 0))


def date_in_text(line: str) -> str:
    """Return the first real date written in ``line`` (2021年8月12日, 2021-8-12, 2021.08.12, 二〇二一年八月十二日),
    else ""."""
    found = _first(_TEXT, line)
    if not found and (short := _LABELLED_SHORT.search(line)):
        found = _iso("20" + short.group(1), short.group(2), short.group(3))
    if found or "年" not in line:
        return found
    return next((d for m in _HAN.finditer(line) if (d := _iso(*map(_han_number, m.groups())))), "")


def date_in_name(name: str) -> str:
    """Return the date in a file name (2021-08-12, 2021_08_12, 20210812), else ""."""
    return _first(_COMPACT, name)


def date_in_url(url: str) -> str:
    """Return the date in an e-paper URL path (/2021-08/12/, /202108/12/, /20210812/, /2021/08/12/), else ""."""
    return _first(_URL, url)
