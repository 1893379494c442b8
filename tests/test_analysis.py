"""Analysis: normalization with offsets, the jieba word tokenizer, and the lines exact matching compares."""

from __future__ import annotations

import jieba

from searcher.analysis import (
    ANALYZER_VERSION,
    JiebaTokenizer,
    match_lines,
    normalize,
    normalize_with_offsets,
    query_words,
)


def _tokens(tokenizer, text, **kwargs):
    return [(t.text, t.pos, t.startchar, t.endchar) for t in tokenizer(text, positions=True, chars=True, **kwargs)]


def test_normalization_folds_width_and_case_and_keeps_offsets():
    assert normalize("ＬＥＤ灯 ２６县") == "led灯 26县"
    normal, offsets = normalize_with_offsets("ﬁ国")  # the ligature becomes two characters
    assert normal == "fi国" and offsets == [0, 0, 1]
    assert normalize_with_offsets("共同富裕") == ("共同富裕", None)


def test_words_have_ordinal_positions_and_character_offsets():
    tokens = _tokens(JiebaTokenizer(), "区卫健局 共同富裕", mode="index")
    assert ("区卫健局", 0, 0, 4) in tokens
    # Search-mode sub-words share the position of the word they are part of.
    assert [t for t in tokens if t[1] == 1] == [("共同", 1, 5, 7), ("富裕", 1, 7, 9), ("共同富裕", 1, 5, 9)]


def test_query_mode_adds_no_sub_words_and_drops_punctuation():
    assert [t[0] for t in _tokens(JiebaTokenizer(), "共同富裕，LED", mode="query")] == ["共同富裕", "led"]
    assert query_words("“十四五”") == ["十四五"]


def test_single_non_han_characters_are_kept():
    # jieba.analyse.ChineseAnalyzer drops these; a search for 26县 or a lone letter must still rank.
    assert [t[0] for t in _tokens(JiebaTokenizer(), "26县a", mode="query")] == ["26", "县", "a"]


def test_the_user_dictionary_is_loaded_at_import():
    assert "区农业农村局" in list(jieba.cut("区农业农村局党委书记"))
    assert ANALYZER_VERSION.startswith("4/jieba-0.42.1/opencc-")


def test_traditional_and_simplified_fold_to_one_form_character_by_character():
    from searcher.analysis import normalize, normalize_with_offsets

    assert normalize("數字化改革 區發改局") == "数字化改革 区发改局" == normalize("数字化改革 区发改局")
    assert normalize_with_offsets("數字化")[1] is None  # one printed character for one normalized: highlights map back
    words = [t[0] for t in _tokens(JiebaTokenizer(), "數字化改革推進", mode="query")]
    assert words == [t[0] for t in _tokens(JiebaTokenizer(), "数字化改革推进", mode="query")] == ["数字化改革", "推进"]


def test_matching_lines_are_normalized_with_one_space_per_run_and_break_at_line_ends():
    assert match_lines("Ab  c\u3000d \n  ＬＥＤ燈\r\n\nx") == ["ab c d", "led灯", "x"]
