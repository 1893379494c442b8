"""The query language: literal terms, "phrases", -exclusions, OR, 标题: scope, and limits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searcher.query import MAX_QUERY_LENGTH, QueryError, Term, parse


def test_terms_are_literal_and_normalized():
    parsed = parse("共同富裕 ＬＥＤ body:[a TO 龥] a* ~2")
    assert [t.text for t in parsed.terms] == ["共同富裕", "led", "body:[a", "to", "龥]", "a*", "~2"]


def test_quoted_phrases_keep_single_spaces():
    assert parse('"抢抓政策机遇   助推"').terms == (Term("抢抓政策机遇 助推", '"抢抓政策机遇   助推"'),)
    assert parse('"未闭合的短语').terms[0].text == "未闭合的短语"


def test_exclusions_or_and_title_scope():
    parsed = parse('乡村 OR 农村 -疫情 标题:共同富裕 -"数字 化"')
    assert [[t.text for t in g] for g in parsed.groups] == [["乡村", "农村"], ["共同富裕"]]
    assert parsed.groups[1][0].title_only
    assert [t.text for t in parsed.excluded] == ["疫情", "数字 化"]
    assert parse("标题：富裕").terms[0].title_only  # full-width colon


def test_or_at_the_edges_is_dropped():
    assert [t.text for t in parse("OR 乡村").terms] == ["乡村"]
    assert [t.text for t in parse("乡村 或").terms] == ["乡村"]
    assert [t.text for t in parse("- 标题:").terms] == ["-", "标题:"]


@pytest.mark.parametrize(
    ("typed", "groups", "excluded"),
    [
        ("“抢抓政策机遇 助推”", [["抢抓政策机遇 助推"]], []),
        ("‘乡村振兴’ 「共同富裕」 『数字化』", [["乡村振兴"], ["共同富裕"], ["数字化"]], []),
        ("＂全角引号＂", [["全角引号"]], []),
        ("共同富裕，乡村振兴", [["共同富裕"], ["乡村振兴"]], []),
        ("一、二；三\u3000四", [["一"], ["二"], ["三"], ["四"]], []),
        ("「乡村，振兴」", [["乡村,振兴"]], []),  # inside quotes the comma is part of the phrase
        ("石梁 或 石室", [["石梁", "石室"]], []),
        ("石梁 or 石室 OR 华墅", [["石梁", "石室", "华墅"]], []),
        ("石梁 Or 石室", [["石梁", "石室"]], []),
        ("共同富裕 －疫情", [["共同富裕"]], ["疫情"]),
        ("十四五”", [["十四五”"]], []),  # a lone mark is literal
        ("外贸“保稳提质”", [["外贸“保稳提质”"]], []),  # so is a pair inside a term (a pasted headline)
        ("-“数字 化” 改革", [["改革"]], ["数字 化"]),
        ("标题:「共同富裕」", [["共同富裕"]], []),
        ("數字化改革", [["数字化改革"]], []),  # read as simplified for matching
    ],
)
def test_what_a_chinese_input_method_types(typed, groups, excluded):
    parsed = parse(typed)
    assert [[t.text for t in g] for g in parsed.groups] == groups
    assert [t.text for t in parsed.excluded] == excluded


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    st.lists(
        st.sampled_from(
            [*'共同富裕乡村振兴數字化 　“”‘’「」『』＂"，、；,;－-或OoRr标题:：()（）*~[]\0\n', "或 ", " or ", "标题："]
        ),
        max_size=240,
    ).map("".join)
)
def test_no_typed_string_breaks_the_parser(text):
    try:
        parsed = parse(text)
    except QueryError as error:
        assert str(error)
        return
    assert all(term.text for term in parsed.terms + parsed.excluded)
    assert len(parsed.groups) + len(parsed.excluded) <= 12


def test_without_drops_terms_that_matched_nothing():
    assert parse("乡村 OR 农村 zzz -疫情").without({"zzz", "农村"}) == "乡村 -疫情"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * (MAX_QUERY_LENGTH + 1), "too long"),
        ("-疫情", "at least one term"),
        (" ".join("a" * 13), "Too many terms"),
    ],
)
def test_bad_queries_get_a_helpful_message(text, message):
    with pytest.raises(QueryError, match=message):
        parse(text)


def test_blank_and_nul_queries_are_empty():
    assert parse("  \0 ").terms == ()
