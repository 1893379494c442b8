"""Highlighting: exact strings marked in escaped text; snippets centred on matches."""

from __future__ import annotations

from searcher.highlight import find_spans, mark, snippet


def test_marks_exactly_the_query_string_never_its_sub_words():
    text = "推进义务教育均衡发展，县教育局牵头。"
    assert str(mark(text, find_spans(text, ["义务教育"]))) == "推进<mark>义务教育</mark>均衡发展，县教育局牵头。"


def test_escapes_the_text_before_marking():
    text = '<script>alert("x")</script> & </mark> 共同富裕'
    html = str(mark(text, find_spans(text, ["共同富裕", "</mark>"])))
    assert html == (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; <mark>&lt;/mark&gt;</mark> <mark>共同富裕</mark>"
    )


def test_matches_full_width_and_upper_case_forms_in_the_printed_text():
    text = "培育ＬＥＤ灯光育苗，26县"
    assert str(mark(text, find_spans(text, ["led", "２６县"]))) == "培育<mark>ＬＥＤ</mark>灯光育苗，26县"
    assert str(mark(text, find_spans(text, ["led", "26县"]))) == "培育<mark>ＬＥＤ</mark>灯光育苗，<mark>26县</mark>"


def test_overlapping_matches_merge():
    assert find_spans("哈哈哈哈", ["哈哈哈"]) == [(0, 4)]
    assert find_spans("共同富裕", ["共同", "同富"]) == [(0, 3)]


def test_phrase_spaces_match_any_run_of_spaces_within_a_line():
    assert find_spans("抢抓  助推\n抢抓\n助推", ["抢抓 助推"]) == [(0, 6)]


def test_snippet_is_centred_on_the_match_with_ellipses():
    text = "甲" * 200 + "共同富裕" + "乙" * 200
    html = str(snippet(text, find_spans(text, ["共同富裕"]), width=20))
    assert html == "…" + "甲" * 8 + "<mark>共同富裕</mark>" + "乙" * 8 + "…"


def test_snippet_shows_a_second_fragment_for_a_distant_match():
    text = "a" * 100 + "XY" + "b" * 300 + "XY" + "c" * 100
    html = str(snippet(text, find_spans(text, ["xy"]), width=10, fragments=2))
    assert html.count("<mark>XY</mark>") == 2 and html.count("…") == 3


def test_snippet_without_matches_shows_the_opening():
    assert str(snippet("第一段<b>\n第二段", [], width=8)) == "第一段&lt;b&gt; 第…"


def test_a_snippet_never_cuts_a_match():
    from searcher.highlight import find_spans, snippet

    text = "甲" * 100 + "石梁" + "乙" * 58 + "石梁" + "丙" * 200  # the window around the first ends inside the second
    html = str(snippet(text, find_spans(text, ["石梁"]), width=120))
    assert html.count("<mark>石梁</mark>") == 2 and "<mark>石</mark>" not in html and "<mark>梁</mark>" not in html
    long_match = "丁" * 10 + "长" * 150 + "戊" * 10
    html = str(snippet(long_match, find_spans(long_match, ["长" * 150]), width=120))
    assert "<mark>" + "长" * 150 + "</mark>" in html
