"""Files and folders: which files are read, how their bytes are decoded, and what is reported for the rest.

searcher reads newspaper pages as text (``.txt``), saved web pages (``.html``, ``.htm``), Word documents
(``.docx``), e-paper PDFs (``.pdf``) and JSON Lines (``.jsonl``). Every other file under a folder being indexed is
reported as skipped, with the reason and, for old Word files, how to convert it; hidden files and folders (``.git``,
``.DS_Store``) are passed over without a word. Nothing here raises on bad content: each file gives its articles, the
problems that kept something from being read, and the notices where the reader had to guess.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from searcher.reading.dates import date_in_name
from searcher.reading.docx import read_docx
from searcher.reading.encoding import decode
from searcher.reading.html import read_html
from searcher.reading.jsonl import read_jsonl
from searcher.reading.model import Article, Notice, Page, Problem, ReadResult
from searcher.reading.page import read_page
from searcher.reading.pdf import read_pdf

__all__ = ["SUFFIXES", "decode", "expand", "iter_files", "read_file", "read_paths", "read_structure"]

SUFFIXES = (".txt", ".jsonl", ".html", ".htm", ".docx", ".pdf")
logger = logging.getLogger(__name__)
_UNSUPPORTED = {
    ".doc": "Word 97-2003 .doc is not read: save it as .docx in Word or WPS, or convert it with "
    "`libreoffice --headless --convert-to docx FILE.doc`",
    ".wps": "WPS .wps is not read: save it as .docx",
    ".rtf": "RTF is not read: save it as .docx or .txt",
    ".mht": "a web archive (.mht) is not read: save the page as .html",
    ".mhtml": "a web archive (.mhtml) is not read: save the page as .html",
}


def _unsupported(path: Path) -> str:
    return _UNSUPPORTED.get(path.suffix.lower(), f"not an article file (searcher reads {', '.join(SUFFIXES)}): skipped")


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Turn the paths given by the user into the files to read (folders are searched recursively).

    :return: ``(files, problems)``; a path that doesn't exist, or a file of a type searcher doesn't read, is a
        problem (with the reason, and how to convert it where that helps).
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path)):
                if found.suffix.lower() in SUFFIXES:
                    files.append(found)
                else:
                    problems.append(Problem(str(found), _unsupported(found)))
        elif not path.exists():
            problems.append(Problem(str(path), "no such file or folder"))
        elif path.suffix.lower() not in SUFFIXES:
            problems.append(Problem(str(path), _unsupported(path)))
        else:
            files.append(path)
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, problems


def read_structure(path: Path, data: bytes) -> Page:
    """Read a page file (``.txt``, ``.html``, ``.docx``, ``.pdf``) into its :class:`Page`: articles and every line's
    role.

    :raises ValueError: when the file can't be decoded or parsed.
    """
    suffix = path.suffix.lower()
    date = date_in_name(path.name)
    if suffix == ".txt":
        return read_page(decode(data), str(path), date)
    kind, reader = {".docx": ("Word .docx", read_docx), ".pdf": ("PDF", read_pdf)}.get(suffix, ("HTML", read_html))
    try:
        return reader(data, str(path), date)
    except ValueError:
        raise
    except Exception as error:  # python-docx, lxml, trafilatura and pdfminer raise many types on a damaged file
        logger.debug("reading %s failed", path, exc_info=True)
        raise ValueError(f"not a readable {kind} file ({type(error).__name__}: {error})") from None


def read_file(path: Path, data: bytes | None = None) -> tuple[list[Article], list[Problem], list[Notice]]:
    """Read one file by its suffix, from ``data`` when the caller has its bytes; never raises for bad content.

    :return: ``(articles, problems, notices)``; notices name the file and line where the reader had to guess.
    """
    try:
        data = path.read_bytes() if data is None else data
    except OSError as error:
        return [], [Problem(str(path), f"can't be read ({error.strerror or error})")], []
    try:
        if path.suffix.lower() == ".jsonl":
            articles, problems = read_jsonl(decode(data), str(path))
            return articles, problems, []
        page = read_structure(path, data)
    except ValueError as error:
        return [], [Problem(str(path), str(error))], []
    notices = [Notice(str(path), n.line, n.message) for n in page.notices]
    if page.articles:
        return page.articles, page.problems, notices
    if page.problems:
        return [], page.problems, notices
    if page.furniture:
        reason = f"no articles found: only page furniture ({page.furniture[0][:30]} …)"
    else:
        reason = "no articles found (the file is empty)"
    return [], [Problem(str(path), reason)], notices


def iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, list[Article], list[Problem], list[Notice]]]:
    """Yield ``(file, articles, problems, notices)`` for each file under ``paths``; problems of the paths first."""
    files, problems = expand(paths)
    for problem in problems:
        yield Path(problem.source), [], [problem], []
    for path in files:
        yield path, *read_file(path)


def read_paths(paths: Iterable[str | Path]) -> ReadResult:
    """Read every article under ``paths``, collecting problems and notices instead of stopping at them."""
    result = ReadResult()
    for path, articles, problems, notices in iter_files(paths):
        if articles or not problems:
            result.files[str(path)] = articles
        result.problems.extend(problems)
        result.notices.extend(notices)
    return result
