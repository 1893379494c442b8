"""The suffix arrays exact matching reads: every occurrence of a string, checked against brute force."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from searcher.analysis import match_lines, normalize
from searcher.arrays import build_field, paths, write_segment

TEXTS = st.lists(st.text(alphabet=st.sampled_from(list("共同富裕发展aB１ \u3000\n。ﬁ")), max_size=30), max_size=6)


def brute(values: list[str], term: str) -> tuple[list[int], list[int]]:
    """The documents whose lines contain ``term``, and how often (overlapping occurrences counted)."""
    ids, counts = [], []
    for n, value in enumerate(values):
        found = sum(
            line[i:].startswith(term) for line in (match_lines(value) if value else []) for i in range(len(line))
        )
        if found:
            ids.append(n)
            counts.append(found)
    return ids, counts


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.text(alphabet=st.sampled_from(list("共同富裕发展ab1 ")), min_size=1, max_size=4))
def test_every_occurrence_of_any_string_is_found_and_nothing_else(values, term):
    term = normalize(term)
    ids, counts = build_field(values).documents(term)
    assert (ids.tolist(), counts.tolist()) == brute(values, term)


def test_nothing_matches_across_a_line_or_a_document_and_spaces_are_one():
    field = build_field(["共同\n富裕", "发展  经济", "展经"])
    assert field.documents("同富")[0].tolist() == []  # across a line break
    assert field.documents("展经")[0].tolist() == [2]  # the space between 发展 and 经济 is part of the text
    assert field.documents("展 经")[0].tolist() == [1]  # however many spaces were printed
    assert field.documents("裕发")[0].tolist() == []  # across documents
    assert field.documents("🙂")[0].tolist() == []  # a character the segment never has


def test_a_segment_s_arrays_are_written_whole_and_read_back_memory_mapped(tmp_path):
    write_segment(tmp_path, "MAIN_abc", ["标题一", "标题二"], ["正文 共同富裕", ""])
    files = paths(tmp_path, "MAIN_abc")
    assert all(path.exists() for path in files.values())
    assert not list(tmp_path.glob("*.tmp"))
    from searcher.arrays import SegmentArrays

    arrays = SegmentArrays(tmp_path, "MAIN_abc")
    assert isinstance(arrays.field("text").sa, np.memmap)
    assert arrays.field("title").documents("标题")[0].tolist() == [0, 1]
    assert arrays.field("text").documents("共同富裕")[0].tolist() == [0]


def test_missing_files_are_rebuilt_in_memory_from_the_texts_given(tmp_path):
    from searcher.arrays import SegmentArrays

    arrays = SegmentArrays(tmp_path, "MAIN_gone")
    arrays.rebuild_from(lambda: (["甲"], ["乙丙"]))
    assert arrays.field("text").documents("乙丙")[0].tolist() == [0]
