"""E-paper PDFs (``.pdf``): each printed page's text in reading order, then the same page model as any page.

Text is taken from the PDF's text layer with pdfplumber (over pdfminer.six, which maps the non-embedded Chinese CID
fonts of newspaper PDFs — Adobe-GB1, ``UniGB-UCS2-H``, ``GBK-EUC-H`` — through Adobe's CMaps). Extracting a page
line by line across its width, as ``pdftotext -layout`` does, interleaves the columns of a newspaper page; here the
characters are first cut into blocks by the page's white space, the way a reader's eye does (a recursive X-Y cut):

* a region with a **gutter** — a vertical band free of text from its top to its bottom — is read column by column,
  left to right (stories boxed side by side, a story's columns);
* otherwise it is cut at its **horizontal gaps** — bands free of text across its width, taller than a line's
  leading — and read top to bottom (a headline above its columns, a story above the next);
* what can't be cut is a block: its lines are read top to bottom, each line's characters left to right.

In a block, a line set in larger type than the page's body text is a headline line (a two-line headline is joined),
and its size goes to the page model: in a headline block the largest line is the headline, a smaller one above it
the kicker and one below it the subtitle, whatever their words; a paragraph in body type or smaller right under
(or over) a picture — an image, or an empty frame where the photo goes — is its caption; a body line continues the
paragraph above it unless it is indented (a two-character first-line indent) or the line above it ended short of
the column's edge; wrapped lines are joined with no space between Han characters. The lines then go to
:func:`searcher.reading.page.read_lines`, which finds the masthead, headlines, bylines, credits and captions as on
any page, and never loses a line: every text line of the printed page is in exactly one place.

Each printed page is read as a page of its own (its masthead's date goes to its articles). A page that can't be read
is said, by page and reason, and the others are still read: no text layer (a scan: 需OCR), a text layer that is
mostly ``(cid:…)``, U+FFFD or private-use characters (fonts without a usable map), or far more glyphs than a printed
page holds. A file that can't be opened (damaged, encrypted) is said by name.

**Bounds.** Each file is read in a forked child process with a time limit and a memory limit
(:func:`searcher.config.pdf_limits`): a hostile or broken file (deep object nesting, a decompression bomb, a page of
100,000 glyphs) is stopped and reported by name, and the build goes on with the next file.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import multiprocessing
import re
import resource
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from searcher.config import pdf_limits
from searcher.reading.model import Page, Problem
from searcher.reading.page import read_lines

__all__ = ["read_pdf"]

#: A page whose text is more than this share unreadable (cid:, U+FFFD, private use) is not indexed.
MAX_GARBAGE = 0.2
#: A printed page holds a few thousand characters; far more is a hostile or broken file, not read (its cuts and
#: lines would cost time that grows faster than the glyphs).
MAX_GLYPHS = 60_000
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_GARBAGE = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff]")


@dataclass(frozen=True)
class _Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


def _chars(page) -> list[_Char]:
    """The page's characters; a space is kept only to say where words are apart (it places no block)."""
    return [_Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], round(c["size"], 1)) for c in page.chars]


def _gaps(spans: Sequence[tuple[float, float]], least: float) -> list[float]:
    """Return the middles of the gaps at least ``least`` wide between intervals (sorted by start)."""
    cuts = []
    reach = None
    for start, end in sorted(spans):
        if reach is not None and start - reach >= least:
            cuts.append((reach + start) / 2)
        reach = end if reach is None else max(reach, end)
    return cuts


def _blocks(chars: list[_Char], unit: float) -> list[list[_Char]]:
    """Cut the characters into blocks in reading order (see the module docstring)."""
    if not chars:
        return []
    gutters = _gaps([(c.x0, c.x1) for c in chars], unit)
    if gutters:
        columns: list[list[_Char]] = [[] for _ in range(len(gutters) + 1)]
        for c in chars:
            columns[sum(c.x0 > g for g in gutters)].append(c)
        # A column is several characters wide: gaps between single characters are letter-spacing (a headline set
        # 奋 进 新 征 程), not gutters.
        if all(max(c.x1 for c in col) - min(c.x0 for c in col) >= 3 * unit for col in columns):
            return [block for column in columns for block in _blocks(column, unit)]
    rows = _gaps([(c.top, c.bottom) for c in chars], unit * 0.8) or _size_changes(chars)
    if rows:
        bands: list[list[_Char]] = [[] for _ in range(len(rows) + 1)]
        for c in chars:
            bands[sum(c.top > r for r in rows)].append(c)
        return [block for band in bands for block in _blocks(band, unit)]
    return [chars]


def _size_changes(chars: list[_Char]) -> list[float]:
    """Where the type size changes from one line to the next (a story's columns end, the next story's headline
    begins), for a region packed too tight for a white gap; the cut lies between the two lines."""
    lines = _lines(chars)
    return [
        (max(c.bottom for c in above.chars) + min(c.top for c in below.chars)) / 2
        for above, below in itertools.pairwise(lines)
        if abs(above.size - below.size) > 0.15 * min(above.size, below.size)
    ]


def _place_spaces(blocks: list[list[_Char]], spaces: list[_Char]) -> None:
    """Put each printed space into the block whose box holds it (the X-Y cut's blocks do not overlap)."""
    boxes = [
        (min(c.x0 for c in b), min(c.top for c in b), max(c.x1 for c in b), max(c.bottom for c in b)) for b in blocks
    ]
    for space in spaces:
        x, y = (space.x0 + space.x1) / 2, (space.top + space.bottom) / 2
        for block, (x0, top, x1, bottom) in zip(blocks, boxes, strict=True):
            if x0 <= x <= x1 and top <= y <= bottom:
                block.append(space)
                break


@dataclass
class _Line:
    chars: list[_Char]

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return self.chars[-1].x1

    @property
    def size(self) -> float:
        return statistics.median(c.size for c in self.chars)

    def text(self) -> str:
        """The line's text: a space where one is printed, or where Latin letters or digits stand apart.

        Two Han characters are never parted by a gap alone: justified columns spread them, and a space that is not
        printed would stop a search for the words it cuts.
        """
        parts = [self.chars[0].text]
        for before, char in zip(self.chars, self.chars[1:], strict=False):
            apart = char.x0 - before.x1 > 0.2 * char.size
            if apart and not (_HAN.match(before.text) or _HAN.match(char.text)):
                parts.append(" ")
            parts.append(char.text)
        return re.sub(r"\s+", " ", "".join(parts)).strip()


def _lines(block: list[_Char]) -> list[_Line]:
    """The block's lines, top to bottom, each left to right (characters whose vertical middles are close)."""
    lines: list[list[_Char]] = []
    for char in sorted(block, key=lambda c: ((c.top + c.bottom) / 2, c.x0)):
        middle = (char.top + char.bottom) / 2
        if lines and abs(middle - (lines[-1][0].top + lines[-1][0].bottom) / 2) < 0.5 * char.size:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [_Line(sorted(line, key=lambda c: c.x0)) for line in lines]


def _join(before: str, after: str) -> str:
    """Join a wrapped line to the one above it: with a space only between two Latin words (a line breaks anywhere
    in Chinese, inside a number too: 202|2年 is 2022年)."""
    if before and after and _LATIN.match(before[-1]) and _LATIN.match(after[0]):
        return before + " " + after
    return before + after


@dataclass
class _Text:
    """A block's paragraphs, and whether its first continues the block before and its last runs on past its end."""

    paragraphs: list[str]
    continues: bool
    runs_on: bool
    boxes: list[list[tuple[float, float, float, float]]] = dataclasses.field(default_factory=list)
    sizes: list[float] = dataclasses.field(default_factory=list)  # each paragraph's type size


def _paragraphs(block: list[_Char], body: float) -> _Text:
    """A block's text as the page model's lines: headlines, paragraphs (wrapped lines joined)."""
    lines = _lines(block)
    if not lines:
        return _Text([], False, False)
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    out: list[str] = []
    boxes: list[list[tuple[float, float, float, float]]] = []
    sizes: list[float] = []
    previous: _Line | None = None
    for line in lines:
        text = line.text()
        large = line.size > body * 1.15
        box = (line.x0, min(c.top for c in line.chars), line.x1, max(c.bottom for c in line.chars))
        if previous is not None and out:
            same_size = abs(line.size - previous.size) < 0.5
            indented = line.x0 - left >= 1.5 * line.size
            ended_short = right - previous.x1 >= 2 * previous.size
            # A headline set on two lines, or a paragraph's wrapped line: joined to the line above.
            if same_size and (large or (not indented and not ended_short)):
                out[-1] = _join(out[-1], text)
                boxes[-1].append(box)
                previous = line
                continue
        out.append(text)
        boxes.append([box])
        sizes.append(line.size)
        previous = line
    first, last = lines[0], lines[-1]
    body_type = first.size <= body * 1.15 and last.size <= body * 1.15
    continues = body_type and first.x0 - left < 1.5 * first.size
    runs_on = body_type and right - last.x1 < 2 * last.size and len(lines) > 1
    return _Text(out, continues, runs_on, boxes, sizes)


def _page_lines(blocks: list[list[_Char]], body: float) -> tuple[list[str], list[list[tuple]], list[float]]:
    """The page's lines in reading order, the boxes each was printed in and its type size; a paragraph that runs on
    from the foot of one column (its last line full) into the head of the next (not indented) is joined there: a
    column break is not a paragraph break."""
    lines: list[str] = []
    boxes: list[list[tuple]] = []
    sizes: list[float] = []
    runs_on = False
    for block in blocks:
        text = _paragraphs(block, body)
        if not text.paragraphs:
            continue
        if runs_on and text.continues and lines:
            lines[-1] = _join(lines[-1], text.paragraphs[0])
            boxes[-1].extend(text.boxes[0])
            lines.extend(text.paragraphs[1:])
            boxes.extend(text.boxes[1:])
            sizes.extend(text.sizes[1:])
        else:
            lines.extend(text.paragraphs)
            boxes.extend(text.boxes)
            sizes.extend(text.sizes)
        runs_on = text.runs_on
    return lines, boxes, sizes


#: A picture or a drawn frame is at least this many points wide and high (thinner rectangles are rules and borders).
MIN_PICTURE = 40


def _pictures(page, chars: list[_Char]) -> list[tuple[float, float, float, float]]:
    """The boxes of the page's pictures: images and drawn frames (a photo's place is often only a frame in an
    e-paper PDF) with no text inside — a frame around a story's text is a box, not a picture."""
    found = []
    for shape in (*page.images, *page.rects):
        x0, top, x1, bottom = shape["x0"], shape["top"], shape["x1"], shape["bottom"]
        if x1 - x0 < MIN_PICTURE or bottom - top < MIN_PICTURE:
            continue
        if not any(x0 <= c.x0 and c.x1 <= x1 and top <= c.top and c.bottom <= bottom for c in chars):
            found.append((x0, top, x1, bottom))
    return found


def _captions(boxes: list[tuple], size: float, body: float, pictures: list[tuple]) -> bool:
    """Whether a paragraph printed in ``boxes`` is a picture's caption: in body type or smaller, starting within two
    lines under a picture's foot (or ending within two lines over its head), and inside its width."""
    if size > body * 1.05 or not boxes:
        return False
    x0, top = min(b[0] for b in boxes), boxes[0][1]
    x1, bottom = max(b[2] for b in boxes), boxes[-1][3]
    reach = 2 * body
    return any(
        x0 >= left - body and x1 <= right + body and (0 <= top - foot <= reach or 0 <= head - bottom <= reach)
        for left, head, right, foot in pictures
    )


def _unreadable(chars: list[_Char], number: int) -> str:
    """Why a page's text layer can't be used, or ""."""
    if not chars:
        return f"需OCR：第{number}页无文字层（扫描的版面），未索引 (page {number} has no text layer)"
    if len(chars) > MAX_GLYPHS:
        return f"第{number}页有 {len(chars):,} 个字符，远超一个版面，未索引 (page {number}: too many glyphs)"
    text = "".join(c.text for c in chars)
    garbage = sum(len(m.group()) for m in _GARBAGE.finditer(text))
    if garbage > MAX_GARBAGE * len(text) or not (_HAN.search(text) or re.search(r"[A-Za-z]{3}", text)):
        return (
            f"第{number}页文字层无法识别（字体缺少字符映射，(cid:…) 或乱码），未索引 "
            f"(page {number}: the text layer is unreadable)"
        )
    return ""


def read_pdf(data: bytes, source: str, fallback_date: str = "") -> Page:
    """Read a PDF, each printed page a page of its own, into one :class:`Page` (see the module docstring), in a
    child process bounded in time and memory.

    Pages that can't be read are on ``Page.problems``, by number and reason.

    :raises ValueError: when the file is not a PDF that can be opened (damaged, encrypted), or its reading went past
        a bound.
    """
    import pdfplumber  # noqa: F401, PLC0415 - imported before the fork, so the bounded child maps no new library

    seconds, memory = pdf_limits()
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, data, source, fallback_date, memory), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise ValueError(f"读取超过 {seconds:.0f} 秒，未索引 (reading the PDF took longer than {seconds:.0f} s)")
        outcome, value = receive.recv()
    except EOFError:
        child.join()
        raise ValueError(f"读取中止，未索引 (the PDF reader stopped, exit code {child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if outcome == "error":
        raise ValueError(value)
    return value


def _child(send, data: bytes, source: str, fallback_date: str, memory: int) -> None:
    """Read the PDF under a memory bound (on top of what the forked process already maps) and send the outcome."""
    with open("/proc/self/statm") as statm:  # Linux, like RLIMIT_AS
        mapped = int(statm.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (mapped + memory, mapped + memory))
    try:
        send.send(("ok", _read_pdf(data, source, fallback_date)))
    except Exception as error:  # pdfminer raises many types on a damaged file, and wraps a MemoryError in its own
        if _caused_by(error, MemoryError):
            send.send(("error", f"内存超过 {memory // 2**20} MB，未索引 (reading the PDF needed more than that)"))
        elif isinstance(error, ValueError):
            send.send(("error", str(error)))
        else:
            send.send(("error", f"not a readable PDF file ({type(error).__name__}: {error})"))
    finally:
        send.close()


def _caused_by(error: BaseException | None, kind: type[BaseException]) -> bool:
    """Whether ``error`` is, or was raised while handling or from, an error of ``kind``."""
    seen = 0
    while error is not None and seen < 20:
        if isinstance(error, kind):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _read_pdf(data: bytes, source: str, fallback_date: str) -> Page:
    """Read a PDF in this process (what the bounded child runs)."""
    import pdfplumber  # noqa: PLC0415 - a quarter of a second to import, needed only for PDFs
    from pdfminer.pdfdocument import PDFPasswordIncorrect  # noqa: PLC0415
    from pdfminer.pdfparser import PDFSyntaxError  # noqa: PLC0415

    name = Path(source).name
    result = Page(source)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFSyntaxError, PDFPasswordIncorrect) as error:
        raise ValueError(f"not a readable PDF ({type(error).__name__}: {error})") from None
    with pdf:
        offset = 0
        for number, printed in enumerate(pdf.pages, 1):
            every = _chars(printed)
            chars = [c for c in every if c.text.strip()]
            why = _unreadable(chars, number)
            if why:
                result.problems.append(Problem(source, why))
                continue
            body = statistics.median(c.size for c in chars)
            blocks = _blocks(chars, body)
            _place_spaces(blocks, [c for c in every if not c.text.strip()])
            lines, boxes, sizes = _page_lines(blocks, body)
            numbers = range(offset + 1, offset + len(lines) + 1)
            pictures = _pictures(printed, chars)
            placed = zip(numbers, boxes, sizes, strict=True)
            page = read_lines(
                list(zip(numbers, lines, strict=True)),
                f"{Path(source).stem}-p{number}.pdf",
                fallback_date,
                sizes=dict(zip(numbers, sizes, strict=True)),
                captions={n for n, box, size in placed if _captions(box, size, body, pictures)},
            )
            where = dict(zip(numbers, boxes, strict=True))
            offset += len(lines)
            _merge(result, page, number, name, where, (printed.width, printed.height))
    return result


def _merge(  # noqa: PLR0913, PLR0917 - one printed page and where its lines were printed
    into: Page, page: Page, number: int, name: str, where: dict[int, list[tuple]], size: tuple[float, float]
) -> None:
    """Add one printed page's reading to the file's: its lines keep their page, its articles their file name and
    the boxes their lines were printed in (the page view outlines them)."""
    first = len(into.articles)
    boxes: dict[int, list[list[float]]] = {}
    for line in page.lines:
        line.page = number - 1
        if line.article is not None:
            boxes.setdefault(line.article, []).extend([round(v, 1) for v in box] for box in where.get(line.number, []))
            line.article += first
        into.lines.append(line)
    into.articles.extend(
        dataclasses.replace(
            a, source=name, layout={"page": number, "size": [round(v, 1) for v in size], "boxes": boxes.get(n, [])}
        )
        for n, a in enumerate(page.articles)
    )
    into.furniture.extend(page.furniture)
    into.notices.extend(dataclasses.replace(n, source=name, message=f"第{number}页: {n.message}") for n in page.notices)
    into.found.extend((line, f"page {number} {what}", value) for line, what, value in page.found)
