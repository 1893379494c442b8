"""E-paper PDFs, built here with reportlab's STSong-Light (a non-embedded Adobe-GB1 CID font, as newspapers use):
columns read in order, headlines by type size, wrapped lines joined, unreadable pages said by number."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from searcher.reading import read_file, read_structure
from searcher.reading.pdf import read_pdf

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
FONT = "STSong-Light"
WIDTH, HEIGHT = 595, 842


def _column(pdf: canvas.Canvas, x: float, y: float, width: float, paragraphs: list[str]) -> float:
    """Set paragraphs in a column (two-character first-line indent, wrapped at the column's width); return y."""
    size = 10
    per_line = int(width // size)
    for paragraph in paragraphs:
        lines, rest, first = [], paragraph, True
        while rest:
            room = per_line - (2 if first else 0)
            lines.append((first, rest[:room]))
            rest, first = rest[room:], False
        for first, text in lines:
            pdf.setFont(FONT, size)
            pdf.drawString(x + (2 * size if first else 0), y, text)
            y -= size * 1.5
    return y


def _title(pdf: canvas.Canvas, x: float, y: float, text: str, size: float) -> float:
    pdf.setFont(FONT, size)
    pdf.drawString(x, y, text)
    return y - size * 1.6


LEFT = ["石湖镇依托万亩竹林发展竹编产业，今年新建竹编工坊三家，带动三百多户村民在家门口就业增收。",
        "镇里成立竹编合作社，统一接单、统一培训、统一销售，产品远销十多个省份。"]  # fmt: skip
RIGHT = ["合作社负责人介绍，下一步将把竹编和民宿、研学结合起来，让游客住下来、学起来。",
         "今年以来，全镇竹编产值已突破两千万元，同比增长四成。"]  # fmt: skip


def _two_columns_page(pdf: canvas.Canvas) -> None:
    y = _title(pdf, 40, HEIGHT - 40, "青溪日报  2023年06月08日 星期四  第3版", 9)
    y = _title(pdf, 40, y - 10, "竹林深处的共富经", 24)
    y = _title(pdf, 40, y, "——访青溪县石湖镇党委书记 郑海波", 12)
    y = _title(pdf, 40, y, "本报记者 孙立", 10)
    _column(pdf, 40, y - 6, 240, LEFT)
    _column(pdf, 315, y - 6, 240, RIGHT)


def _pdf(*pages) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(WIDTH, HEIGHT))
    for draw in pages:
        draw(pdf)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_a_two_column_interview_is_read_column_by_column_with_its_headline_speaker_and_date(tmp_path):
    page = read_pdf(_pdf(_two_columns_page), str(tmp_path / "0608-3.pdf"))
    (interview,) = page.articles
    assert (interview.headline, interview.subtitle, interview.credits) == (
        "竹林深处的共富经",
        "——访青溪县石湖镇党委书记 郑海波",
        ("本报记者 孙立",),
    )
    assert (interview.unit, interview.person, interview.speaker_source) == ("青溪县石湖镇", "郑海波", "subtitle")
    assert (interview.date, interview.paper, interview.source) == ("2023-06-08", "青溪日报", "0608-3.pdf")
    # The left column whole, then the right: wrapped lines joined, paragraphs at the indent.
    assert interview.paragraphs == (*LEFT, *RIGHT)
    assert page.problems == []


def test_a_paragraph_running_on_across_a_line_end_and_a_column_break_is_one_paragraph(tmp_path):
    # 53 characters: two full lines of the left column, the rest at the head of the right one.
    flowing = "推进共同富裕示范区建设，" * 4 + "成效明显。"

    def draw(pdf: canvas.Canvas) -> None:
        y = _title(pdf, 40, HEIGHT - 60, "一段跨栏的文字", 22)
        pdf.setFont(FONT, 10)
        pdf.drawString(60, y, flowing[:22])  # first line, indented two characters
        pdf.drawString(40, y - 15, flowing[22:46])  # second line, full width: the column ends here
        pdf.drawString(315, y, flowing[46:])  # the right column's head, not indented
        pdf.drawString(335, y - 15, "另起一段，首行缩进。")

    (story,) = read_pdf(_pdf(draw), str(tmp_path / "flow.pdf")).articles
    assert story.paragraphs == (flowing, "另起一段，首行缩进。")
    # Across the line end (the second of three), and across the column break.
    assert story.body.count("区建设，推进") == 3 and "区建设，成效明显" in story.body


def _scanned_page(pdf: canvas.Canvas) -> None:
    pdf.rect(40, 40, 500, 700)  # an image or a drawing, no text


def test_a_two_page_file_reads_each_page_and_says_which_page_needs_ocr(tmp_path):
    path = tmp_path / "issue.pdf"
    path.write_bytes(_pdf(_two_columns_page, _scanned_page))
    articles, problems, _ = read_file(path)
    assert [a.headline for a in articles] == ["竹林深处的共富经"]
    assert len(problems) == 1 and problems[0].reason.startswith("需OCR：第2页无文字层")
    structure = read_structure(path, path.read_bytes())
    assert {line.page for line in structure.lines} == {0}


def test_a_broken_pdf_is_named_with_the_reason(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"\x00" * 200)
    articles, problems, _ = read_file(path)
    assert articles == [] and problems and "PDF" in problems[0].reason


@pytest.mark.parametrize("columns", [3, 4])
def test_stories_in_several_columns_keep_their_order(tmp_path, columns):
    texts = [f"第{n + 1}栏的文字，这是一段完整的句子，讲述第{n + 1}件事情的来龙去脉。" for n in range(columns)]

    def draw(pdf: canvas.Canvas) -> None:
        y = _title(pdf, 40, HEIGHT - 60, "多栏排版的一篇报道", 22)
        width = (WIDTH - 80) / columns
        for n, text in enumerate(texts):
            _column(pdf, 40 + n * width, y, width - 14, [text])

    (story,) = read_pdf(_pdf(draw), str(tmp_path / "c.pdf")).articles
    assert story.headline == "多栏排版的一篇报道"
    assert story.paragraphs == tuple(texts)


@pytest.mark.parametrize(
    ("texts", "reason"),
    [
        (["(cid:1234)"] * 30 + ["镇"] * 5, "文字层无法识别"),  # fonts without a usable map
        (["\ufffd"] * 10, "文字层无法识别"),
        (["\ue012"] * 40 + ["石湖镇"] * 2, "文字层无法识别"),  # private use
        (["镇"] * 60_001, "字符，远超一个版面"),
        (["石湖镇竹编"] * 20, ""),
    ],
)
def test_a_page_whose_text_layer_is_garbage_or_hostile_is_said_and_not_read(texts, reason):
    from searcher.reading.pdf import _Char, _unreadable

    chars = [_Char(t, 0, 10, 0, 10, 10) for t in texts]
    found = _unreadable(chars, 3)
    assert (reason in found and found.startswith("第3页")) if reason else found == ""


def test_searcher_index_reads_a_pdf_finds_its_text_and_says_which_page_was_skipped(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    from searcher.search import SearchService

    folder = tmp_path / "epaper"
    folder.mkdir()
    (folder / "2023-06-08-03.pdf").write_bytes(_pdf(_two_columns_page, _scanned_page))
    cli = str(Path(sys.executable).with_name("searcher"))
    done = subprocess.run(
        [cli, "index", str(folder), "--index-dir", str(tmp_path / "index")], capture_output=True, text=True
    )
    assert done.returncode == 1, done.stderr  # a page could not be read: said, with the status
    assert "需OCR：第2页无文字层" in done.stdout + done.stderr
    with SearchService(tmp_path / "index") as service:
        result = service.search("新建竹编工坊三家", units=["青溪县石湖镇"])  # across a line end
        assert [(h.title, h.person, h.date, h.paper) for h in result.hits] == [
            ("竹林深处的共富经", "郑海波", "2023-06-08", "青溪日报")
        ]


def test_a_headline_set_with_letter_spacing_stays_one_line(tmp_path):
    def draw(pdf: canvas.Canvas) -> None:
        pdf.setFont(FONT, 24)
        for n, char in enumerate("奋进新征程"):
            pdf.drawString(40 + n * 60, HEIGHT - 80, char)  # a character every 60 points
        _column(pdf, 40, HEIGHT - 130, 240, LEFT)

    (story,) = read_pdf(_pdf(draw), str(tmp_path / "spaced.pdf")).articles
    assert (story.headline, story.paragraphs) == ("奋进新征程", tuple(LEFT))


def _bomb() -> bytes:
    """A one-page PDF whose content stream inflates from a few hundred kilobytes to 256 MB (a decompression bomb)."""
    import zlib

    stream = zlib.compress(b" " * (256 * 2**20), 9)
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>",
        b"<</Length %d/Filter/FlateDecode>>stream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.mark.parametrize(
    ("bound", "data", "reason"),
    [
        (("SEARCHER_PDF_SECONDS", "0"), lambda: _pdf(_two_columns_page), "读取超过 0 秒"),
        (("SEARCHER_PDF_MB", "64"), _bomb, "内存超过 64 MB"),
    ],
)
def test_a_pdf_past_its_time_or_memory_bound_is_reported_and_the_rest_is_read(
    tmp_path, monkeypatch, bound, data, reason
):
    """The bounds that keep a hostile file (a decompression bomb, deep nesting) from hanging or exhausting a build."""
    from searcher.reading import read_paths
    from tests.conftest import PAGE

    (tmp_path / "issue.pdf").write_bytes(data())
    (tmp_path / "page.txt").write_text(PAGE.read_text("utf-8"), "utf-8")
    monkeypatch.setenv(*bound)
    result = read_paths([tmp_path])
    (problem,) = result.problems
    assert problem.source.endswith("issue.pdf") and reason in problem.reason
    assert len(result.articles) == 7  # the page beside it


def test_the_article_page_links_to_its_printed_page_with_the_article_outlined(tmp_path):
    from searcher.build import build
    from tests.conftest import PAGE, app_for

    folder = tmp_path / "epaper"
    folder.mkdir()
    (folder / "0608-03.pdf").write_bytes(_pdf(_two_columns_page))
    (folder / "page.txt").write_text(PAGE.read_text("utf-8"), "utf-8")
    index_dir = tmp_path / "index"
    assert build([folder], index_dir).problems == []
    with app_for(index_dir) as app:
        client = app.test_client()
        url = client.get("/api/search", query_string={"q": "竹编工坊"}).get_json()["hits"][0]["url"]
        assert "版面（第 1 页，标出本文位置）" in client.get(url).get_data(as_text=True)
        view = client.get(url + "/page").get_data(as_text=True)
        # Every printed line of the article outlined: headline, subtitle, credit, 4 + 3 lines of the two columns.
        assert view.count('<rect class="outline"') == 11 and 'viewBox="0 0 595 842"' in view
        with client.get(url + "/page.png") as image:
            assert image.status_code == 200 and image.mimetype == "image/png" and image.data.startswith(b"\x89PNG")
        cached = list((index_dir / "page-images").glob("*.png"))
        assert len(cached) == 1
        with client.get(url + "/page.png") as again:
            assert again.data == cached[0].read_bytes()  # made once, then read from the cache
        other = client.get("/api/search", query_string={"q": "抢抓政策机遇"}).get_json()["hits"][0]["url"]
        assert client.get(other + "/page").status_code == 404  # a text page has no printed page
        (folder / "0608-03.pdf").unlink()
        cached[0].unlink()
        assert client.get(url + "/page.png").status_code == 404  # the PDF moved: said, not a 500


def test_stories_packed_without_white_space_between_them_are_cut_where_the_type_size_changes(tmp_path):
    """A story's two columns end a hair above the next story's headline: no gap to cut at, but the size changes."""

    def story(pdf: canvas.Canvas, y: float, title: str, left: str, right: str) -> float:
        pdf.setFont(FONT, 18)
        pdf.drawString(40, y, title)  # wider than a column: no gutter runs down the whole page
        pdf.setFont(FONT, 10)
        for n in range(3):
            pdf.drawString(40, y - 30 - n * 15, left[n * 20 : n * 20 + 20])
            pdf.drawString(260, y - 30 - n * 15, right[n * 20 : n * 20 + 20])
        return y - 30 - 2 * 15 - 22  # the next headline's top a point or two under this story's last line

    first = ("甲" * 19 + "。") * 3, ("乙" * 19 + "。") * 3
    second = ("丙" * 19 + "。") * 3, ("丁" * 19 + "。") * 3

    def draw(pdf: canvas.Canvas) -> None:
        y = story(pdf, HEIGHT - 60, "第一篇报道的标题比一栏还要宽得多", *first)
        story(pdf, y, "第二篇报道的标题也比一栏宽得多", *second)

    articles = read_pdf(_pdf(draw), str(tmp_path / "tight.pdf")).articles
    assert [(a.headline, "".join(a.paragraphs)) for a in articles] == [
        ("第一篇报道的标题比一栏还要宽得多", first[0] + first[1]),
        ("第二篇报道的标题也比一栏宽得多", second[0] + second[1]),
    ]


def _typeset_headlines_page(pdf: canvas.Canvas) -> None:
    """Two stories whose headline blocks only the type tells apart: a headline over an undashed subtitle, and a
    kicker over a headline."""
    y = _title(pdf, 40, HEIGHT - 40, "青溪日报  2023年06月09日 星期五  第2版", 9)
    y = _title(pdf, 40, y - 10, "竹编工坊开进山村", 24)
    y = _title(pdf, 40, y, "三百多户村民家门口就业", 14)
    y = _column(pdf, 40, y - 6, 240, LEFT)
    y = _title(pdf, 40, y - 20, "奋进新征程 建功新时代", 14)
    y = _title(pdf, 40, y, "合作社让竹编走出大山", 24)
    _column(pdf, 40, y - 6, 240, RIGHT)


def test_headline_kicker_and_subtitle_follow_the_type_size(tmp_path):
    page = read_pdf(_pdf(_typeset_headlines_page), str(tmp_path / "0609-2.pdf"))
    first, second = page.articles
    assert (first.kicker, first.headline, first.subtitle) == ("", "竹编工坊开进山村", "三百多户村民家门口就业")
    assert (second.kicker, second.headline, second.subtitle) == ("奋进新征程 建功新时代", "合作社让竹编走出大山", "")
    assert (first.paragraphs, second.paragraphs) == (tuple(LEFT), tuple(RIGHT))
    # The same lines as plain text, where no size is known: the words alone make the last short line the headline.
    text = "\n".join(["竹编工坊开进山村", "三百多户村民家门口就业", *LEFT])
    (plain,) = read_structure(tmp_path / "0609-2.txt", text.encode()).articles
    assert (plain.kicker, plain.headline) == ("竹编工坊开进山村", "三百多户村民家门口就业")


def _photo_page(pdf: canvas.Canvas) -> None:
    """A story with a photo (an empty frame where the picture goes) and its caption in small type, in no caption
    words; then a story printed inside a box, whose own text must stay its text."""
    y = _title(pdf, 40, HEIGHT - 40, "青溪日报  2023年06月10日 星期六  第4版", 9)
    y = _title(pdf, 40, y - 10, "竹编工坊开进山村", 24)
    pdf.rect(40, y - 150, 240, 150)  # the photo's place
    y = _title(pdf, 40, y - 150 - 12, "村民在工坊里编织竹篮", 9)
    y = _column(pdf, 40, y - 6, 240, LEFT)
    top = y - 20
    y = _title(pdf, 50, top - 10, "合作社让竹编走出大山", 20)
    bottom = _column(pdf, 50, y - 6, 220, RIGHT)
    pdf.rect(40, bottom, 240, top - bottom)  # a box around the second story, text inside


def test_a_line_under_a_picture_is_its_caption_and_a_boxed_story_keeps_its_text(tmp_path):
    page = read_pdf(_pdf(_photo_page), str(tmp_path / "0610-4.pdf"))
    first, second = page.articles
    assert first.captions == ("村民在工坊里编织竹篮",) and first.paragraphs == tuple(LEFT)
    assert second.headline == "合作社让竹编走出大山" and second.paragraphs == tuple(RIGHT) and second.captions == ()
