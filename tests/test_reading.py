"""Reading files: the bundled page's six interviews and editor's note, JSON Lines, and files that can't be read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searcher.reading import ID_PATTERN, read_page, read_paths
from tests.conftest import PAGE, page_line, write_jsonl

INTERVIEWS = [
    ("区发改局", "党组书记、局长", "任文俊", "抢抓政策机遇 助推项目建设"),
    ("石梁镇", "党委书记", "周锋", "找准定位 谋出特色"),
    ("石室乡", "党委书记", "丰小龙", "上下同频 当好急先锋"),
    ("区农业农村局", "党委书记、局长", "吴志鸿", "主攻“三农”战场 实现村强民富"),
    ("区卫健局", "党委书记、局长", "施萍", "立足大健康 展现大担当"),
    ("华墅乡", "党委书记", "郑迅舟", "聚焦乡村振兴 助力共同富裕"),
]


def test_the_page_has_six_interviews_with_their_bylines_and_headlines(articles):
    interviews = [a for a in articles if a.kind == "interview"]
    assert [(a.unit, a.position, a.person, a.title) for a in interviews] == INTERVIEWS
    assert {a.series for a in articles} == {"“一把手”谈共同富裕(一)"}
    assert {a.source for a in articles} == {PAGE.name}


def test_the_editors_note_is_a_document_without_a_unit(articles):
    (note,) = [a for a in articles if a.kind == "note"]
    assert note.unit == "" and note.person == ""
    assert note.title == "贯彻落实区委八届十次全会精神"
    assert note.paragraphs == (page_line(9),)


def test_ids_are_url_safe_unique_and_stable(articles):
    ids = [a.id for a in articles]
    assert len(set(ids)) == len(ids) == 7
    assert all(ID_PATTERN.fullmatch(i) for i in ids)
    again = read_paths([PAGE]).articles
    assert [a.id for a in again] == ids
    # An id doesn't depend on the page's other interviews: drop the first one and the rest keep theirs.
    text = PAGE.read_text("utf-8")
    shorter = text[text.index("石梁镇党委书记") :]
    assert {a.id for a in read_page(shorter, str(PAGE)).articles} <= set(ids)


def test_interviews_separated_by_a_single_blank_line_are_still_two(articles):
    # On the page, 石梁镇's last paragraph (line 35) and 石室乡's byline (line 37) have one blank line between them.
    shiliang = next(a for a in articles if a.unit == "石梁镇")
    assert not any("石室乡党委书记" in p for p in shiliang.paragraphs)
    assert next(a for a in articles if a.unit == "石室乡").title == page_line(39)


def test_a_page_without_bylines_is_one_article(tmp_path):
    page = tmp_path / "plain.txt"
    page.write_text("标题一行\n\n第一段。\n第二段。\n", "utf-8")
    (article,) = read_paths([page]).articles
    assert (article.title, article.paragraphs, article.unit) == ("标题一行", ("第一段。", "第二段。"), "")


def test_gb18030_pages_are_decoded(tmp_path):
    page = tmp_path / "gbk.txt"
    page.write_bytes(PAGE.read_text("utf-8").encode("gb18030"))
    assert [a.title for a in read_paths([page]).articles] == [a.title for a in read_paths([PAGE]).articles]


def test_jsonl_records_keep_their_fields(tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {
                "id": "x-1",
                "title": "标题",
                "body": "第一段\n\n第二段",
                "unit": "区发改局",
                "date": "2024-01-02",
                "url": "http://example.org/1",
            },
            {"title": "无编号", "body": "正文"},
        ],
    )
    first, second = read_paths([path]).articles
    assert (first.id, first.paragraphs, first.unit, first.date, first.url) == (
        "x-1",
        ("第一段", "第二段"),
        "区发改局",
        "2024-01-02",
        "http://example.org/1",
    )
    assert ID_PATTERN.fullmatch(second.id) and second.id == read_paths([path]).articles[1].id


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "not valid JSON"),
        ('["a list"]', "expected a JSON object"),
        ('{"title": "t"}', "'title' and 'body' must both be present"),
        ('{"title": "t", "body": "b", "id": "../etc/passwd"}', "is not URL-safe"),
        ('{"title": "t", "body": "b", "unit": 3}', "'unit' must be a string"),
        ('{"title": " ", "body": ""}', "empty article"),
    ],
)
def test_a_bad_jsonl_line_is_reported_and_the_others_are_read(tmp_path, line, reason):
    path = tmp_path / "mixed.jsonl"
    good = json.dumps({"id": "ok-1", "title": "好", "body": "正文"}, ensure_ascii=False)
    path.write_text(f"{good}\n{line}\n{good.replace('ok-1', 'ok-2')}\n", "utf-8")
    result = read_paths([path])
    assert [a.id for a in result.articles] == ["ok-1", "ok-2"]
    (problem,) = result.problems
    assert (problem.source, problem.line) == (str(path), 2) and reason in problem.reason


def test_files_that_cant_be_read_are_named_with_the_reason(tmp_path):
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "empty.txt").write_text("", "utf-8")
    (tmp_path / "notes.docx").write_text("x", "utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    good = tmp_path / "good.txt"
    good.write_text(PAGE.read_text("utf-8"), "utf-8")
    result = read_paths([tmp_path, tmp_path / "missing.txt", tmp_path / "photo.jpg"])
    reasons = {Path(p.source).name: p.reason for p in result.problems}
    assert reasons == {
        "binary.txt": "not text: no character encoding fits (binary file?)",
        "empty.txt": "no articles found (the file is empty)",
        "missing.txt": "no such file or folder",
        "notes.docx": "not a readable Word .docx file (BadZipFile: File is not a zip file)",
        "scan.pdf": reasons["scan.pdf"],
        "old.doc": reasons["old.doc"],
        "photo.jpg": "no such file or folder",
    }
    assert reasons["scan.pdf"].startswith("not a readable PDF") and "--convert-to docx" in reasons["old.doc"]
    assert len(result.articles) == 7
