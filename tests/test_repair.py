"""Restoring reading order: the six interviews, written out by reading the page, and articles that must not change.

Each expectation lists the page's own lines (numbers as `cat -n` shows them) in the order a reader needs them; a
``+`` joins the two halves of a sentence that the page cut in two.
"""

from __future__ import annotations

import random

import pytest

from searcher.repair import enumerator, restore
from tests.conftest import page_line, xwlb_articles

EXPECTED = {
    # lead (21), 一是 (23), 二是 (17), 三是 (19)
    "区发改局": ([21, 23, 17, 19], "rotated: lead moved first", ()),
    # 一是 (33), 二是 … 找准石梁发展 (35) + 定位，重点做好… (31); no lead on the page
    "石梁镇": ([33, (35, 31)], "rotated: first point moved first; rejoined a sentence cut at the seam", ()),
    # only 二是 (41) and 三是 (43) are on the page: the first part is missing, and nothing is invented
    "石室乡": ([41, 43], "", ("原文不完整：缺第一部分",)),
    # lead (55), 一是要 (57), 二是要 (51), 三是要 (53)
    "区农业农村局": ([55, 57, 51, 53], "rotated: lead moved first", ()),
    # lead (69), 一要 (71), 二要 … 深化卫生健康数 (73) + 字化改革。… (65), 三要 (67)
    "区卫健局": ([69, 71, (73, 65), 67], "rotated: lead moved first; rejoined a sentence cut at the seam", ()),
    # 一是 (83), 二是 … 华墅乡将把全域土地综 (85) + 合整治作为… (81)
    "华墅乡": ([83, (85, 81)], "rotated: first point moved first; rejoined a sentence cut at the seam", ()),
}
PRINTED = {"区发改局": [17, 19, 21, 23], "石梁镇": [31, 33, 35], "石室乡": [41, 43], "区农业农村局": [51, 53, 55, 57],
           "区卫健局": [65, 67, 69, 71, 73], "华墅乡": [81, 83, 85]}  # fmt: skip


def _text(lines: list) -> tuple[str, ...]:
    return tuple("".join(page_line(n) for n in item) if isinstance(item, tuple) else page_line(item) for item in lines)


@pytest.mark.parametrize("unit", list(EXPECTED))
def test_each_interview_is_restored_to_its_reading_order(articles, unit):
    lines, repair, missing = EXPECTED[unit]
    article = next(a for a in articles if a.unit == unit)
    assert article.paragraphs == _text(lines)
    assert article.repair == repair
    assert article.missing == missing
    printed = _text(PRINTED[unit])
    assert (article.printed_paragraphs or article.paragraphs) == printed


def test_strings_cut_at_the_seam_are_whole_again(articles):
    bodies = "\n".join(a.body for a in articles)
    for whole in ("深化卫生健康数字化改革", "全域土地综合整治作为", "找准石梁发展定位，重点做好三方面谋划"):
        assert whole in bodies


@pytest.mark.parametrize("unit", list(EXPECTED))
def test_an_interview_put_back_in_order_comes_out_unchanged(unit):
    paragraphs = _text(EXPECTED[unit][0])
    restoration = restore(list(paragraphs))
    assert restoration.paragraphs == paragraphs and not restoration.changed


def test_articles_without_enumerators_are_untouched():
    paragraphs = ["央视网消息：今天上午，会议召开", "会议指出，要坚持", "会议强调"]
    restoration = restore(paragraphs)
    assert restoration.paragraphs == tuple(paragraphs) and restoration.note == "" and restoration.missing == ()


def test_a_lead_and_a_closing_paragraph_cant_be_told_apart():
    printed = [
        "二是推进改革。",
        "三是保障民生。",
        "会议最后要求各地抓好落实。",
        "会议指出，要做好三件事。",
        "一是抓好生产。",
    ]
    restoration = restore(printed)
    assert restoration.paragraphs == tuple(printed) and not restoration.changed
    assert restoration.note.startswith("left as printed: several un-numbered paragraphs")


def test_enumerators_that_no_rotation_orders_are_left_as_printed():
    printed = ["一是甲。", "三是丙。", "二是乙。", "四是丁。"]
    restoration = restore(printed)
    assert restoration.paragraphs == tuple(printed)
    assert restoration.note == "left as printed: no rotation puts the enumerators in order"


def test_a_lead_that_opens_with_an_adverbial_is_not_mistaken_for_half_a_sentence():
    # The last paragraph is unfinished, but 近日，… opens a sentence: nothing is rejoined and the order stays.
    printed = ["近日，区里召开会议。", "一是抓好生产。", "二是推进改革，加快"]
    restoration = restore(printed)
    assert restoration.paragraphs == tuple(printed)
    assert restoration.missing == ("原文不完整：结尾处句子不全",)


@pytest.mark.parametrize(
    ("paragraph", "mark"),
    [("一是抓好", ("是", 1)), ("三是要加快", ("是要", 3)), ("二要探索", ("要", 2)), ("（四）加强", ("（）", 4)),
     ("第十二，", ("第", 12)), ("首先，", ("首先", 1)), ("一些地方", None), ("是要", None)],
)  # fmt: skip
def test_enumerators(paragraph, mark):
    assert enumerator(paragraph) == mark


def test_xwlb_news_items_come_out_unchanged():
    items = xwlb_articles(3000)
    assert [a.id for a in items if a.printed_paragraphs is not None] == []


def test_shuffled_xwlb_items_with_points_are_never_scrambled_further():
    """A rotation of an ordered article is either restored exactly or left exactly as printed."""
    rng = random.Random(7)
    items = [a for a in xwlb_articles(3000) if sum(bool(enumerator(p)) for p in a.paragraphs) >= 2]
    assert items, "the sample should hold articles with enumerated points"
    for article in items:
        k = rng.randrange(1, len(article.paragraphs))
        rotated = list(article.paragraphs[k:] + article.paragraphs[:k])
        result = restore(rotated)
        assert result.paragraphs in (article.paragraphs, tuple(rotated))
