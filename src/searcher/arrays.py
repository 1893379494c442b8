"""Exact matching by suffix array: every place a string occurs in a segment's text, for a string of any length.

**What is matched.** Each segment of the index has, beside Whoosh's files, two texts in the form matching uses
(:func:`searcher.analysis.match_lines`: normalized, each line's runs of spaces made one space): ``title`` (what
lists show) and ``text`` (byline, kicker, subtitle, body, captions and credits). A term matches a document when its
normalized text occurs inside one line of the document's field — exactly what the character fields of schema 8 and
earlier matched, without their postings.

**The arrays.** A field's text is every document's lines, each followed by a separator (symbol 0, which no query
contains, so no match crosses a line or a document), stored as symbols of a dense alphabet: the segment's distinct
characters in code point order, numbered from 1 (``alphabet[symbol]`` is the code point; 16-bit when a segment has
fewer than 65,536 distinct characters, which is every real one, else 32-bit), big-endian, so that comparing the bytes
of two stretches compares their symbols. Its suffix array (libdivsufsort through ``pydivsufsort``, linear time) lists
every non-separator position in the order of the suffixes starting there. ``starts`` gives each document's first
position. Files: ``<segment id>.<field>.{sym,sa,alphabet,starts}.npy`` in the generation folder, named so that
Whoosh's own clean-up removes them with their segment; opened memory-mapped, so gunicorn's workers share them through
the page cache.

**A lookup** maps the term to symbols (a character the segment lacks: no match), finds the run of suffixes that
start with it by two binary searches over the suffix array (each step compares a few bytes), and maps the positions
to documents with ``searchsorted`` on ``starts``: the matching documents and how often each contains the term.
Deleted documents are in the arrays; the caller removes them (:class:`searcher.postings.Segment` knows the deleted
set).

Why 16-bit symbols rather than UTF-8 bytes (``bench/arrays.py``, 5,000 news items, 2.44 M characters, one segment):
the text and its array take 13.9 MB against 32.3 MB — an int32 per byte, and a Chinese character is three bytes —
for a build of 1.06 s against 0.71 s (the alphabet's sort, and libdivsufsort sorting two bytes per symbol) and
lookups of about 0.02 ms either way. The arrays are most of the index and every worker maps them, so size decides.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pydivsufsort
from pydivsufsort import divsufsort

from searcher.analysis import match_lines

__all__ = ["FIELDS", "FieldArrays", "SegmentArrays", "build_field", "paths", "write_segment"]

#: The matched fields, each a text per document.
FIELDS = ("title", "text")
_PARTS = ("sym", "sa", "alphabet", "starts")


def _one_openmp_thread() -> None:
    """Run libdivsufsort on one thread.

    pydivsufsort's wheels build libdivsufsort with OpenMP (they bundle libgomp). A process that has run an OpenMP
    parallel region keeps a pool of threads; a child it then forks (the build's workers, forked after an update
    in the same process wrote arrays) inherits the pool's bookkeeping but not its threads, and its first parallel
    region waits for them forever (seen here: a test run hung in ``divsufsort``). With one thread there is no pool.
    The build is parallel by process already, so nothing is lost. ``omp_set_num_threads`` rather than the
    ``OMP_NUM_THREADS`` variable: it works whatever the environment says, and changes nothing else.
    """
    libs = Path(pydivsufsort.__file__).parent.parent / "pydivsufsort.libs"
    for library in sorted(libs.glob("libgomp*")):
        with contextlib.suppress(OSError, AttributeError):  # another build of the wheel, without OpenMP
            ctypes.CDLL(str(library)).omp_set_num_threads(1)  # the copy libdivsufsort loaded: same handle


_one_openmp_thread()


def paths(folder: Path, segment_id: str) -> dict[tuple[str, str], Path]:
    """The files of one segment's arrays: ``(field, part) → path``."""
    return {(f, p): Path(folder) / f"{segment_id}.{f}.{p}.npy" for f in FIELDS for p in _PARTS}


def _encode(values: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return the code points of every document's lines, each line followed by a 0, and each document's start."""
    parts: list[str] = []
    starts = [0]
    total = 0
    for value in values:
        lines = match_lines(value) if value else []
        piece = "".join(line + "\0" for line in lines)
        parts.append(piece)
        total += len(piece)
        starts.append(total)
    points = np.frombuffer("".join(parts).encode("utf-32-le"), dtype="<u4")
    return points, np.array(starts, dtype=np.int64)


@dataclass(frozen=True)
class FieldArrays:
    """One field's arrays for one segment (in memory or memory-mapped)."""

    sym: np.ndarray  # big-endian symbols, separators 0
    sa: np.ndarray  # int32 (int64 past 2**31) positions of sym, suffixes in order, separators left out
    alphabet: np.ndarray  # uint32 code points; alphabet[0] is the separator
    starts: np.ndarray  # int64, one per document and one past the end

    def _pattern(self, text: str) -> bytes | None:
        points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
        at = np.searchsorted(self.alphabet, points)
        if (at >= len(self.alphabet)).any() or (self.alphabet[np.minimum(at, len(self.alphabet) - 1)] != points).any():
            return None  # a character this segment never has
        return at.astype(self.sym.dtype).tobytes()

    def occurrences(self, text: str) -> np.ndarray:
        """Every position where ``text`` (normalized, no line break) starts, in suffix order."""
        pattern = self._pattern(text) if text else None
        if pattern is None or not len(self.sa):
            return np.zeros(0, dtype=np.int64)
        width = len(pattern)
        size = self.sym.dtype.itemsize
        raw = memoryview(self.sym).cast("B")

        def key(position: np.integer) -> bytes:
            at = int(position) * size
            return bytes(raw[at : at + width])

        low = bisect_left(self.sa, pattern, key=key)
        high = bisect_right(self.sa, pattern, lo=low, key=key)
        return np.asarray(self.sa[low:high], dtype=np.int64)

    def documents(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(ids, counts)``: the segment-local documents that contain ``text`` (sorted) and how often."""
        found = self.occurrences(text)
        if not len(found):
            return found, found
        owners = np.searchsorted(self.starts, found, side="right") - 1
        ids, counts = np.unique(owners, return_counts=True)
        return ids.astype(np.int64), counts.astype(np.int64)


def build_field(values: Sequence[str]) -> FieldArrays:
    """Build one field's arrays from each document's text (in document order)."""
    points, starts = _encode(values)
    alphabet, symbols = np.unique(points, return_inverse=True)
    if not len(alphabet) or alphabet[0] != 0:  # the separator is symbol 0 even in an empty text
        alphabet = np.concatenate(([0], alphabet)).astype(np.uint32)
        symbols = symbols + 1
    native = np.uint16 if len(alphabet) <= 1 << 16 else np.uint32
    symbols = symbols.astype(native)
    sym = symbols.astype(symbols.dtype.newbyteorder(">"))
    sa = divsufsort(symbols) if len(symbols) > 1 else np.arange(len(symbols), dtype=np.int32)
    sa = np.asarray(sa)[symbols[sa] != 0]
    return FieldArrays(sym, sa, alphabet.astype(np.uint32), starts)


def write_segment(folder: Path, segment_id: str, titles: Sequence[str], texts: Sequence[str]) -> None:
    """Write one segment's arrays (both fields), each file in full before it gets its final name."""
    files = paths(folder, segment_id)
    for field, values in zip(FIELDS, (titles, texts), strict=True):
        arrays = build_field(values)
        for part in _PARTS:
            path = files[(field, part)]
            partial = path.with_name(path.name + ".tmp")
            with partial.open("wb") as out:
                np.save(out, getattr(arrays, part), allow_pickle=False)
                out.flush()
                os.fsync(out.fileno())
            partial.replace(path)


class SegmentArrays:
    """A segment's arrays, opened memory-mapped on first use (or built in memory when its files are missing)."""

    def __init__(self, folder: Path, segment_id: str) -> None:
        self.folder = Path(folder)
        self.segment_id = segment_id
        self._rebuild: Callable[[], tuple[Sequence[str], Sequence[str]]] | None = None
        self._fields: dict[str, FieldArrays] | None = None
        self._lock = threading.Lock()

    def rebuild_from(self, texts: Callable[[], tuple[Sequence[str], Sequence[str]]]) -> None:
        """Say how to get ``(titles, texts)`` should the files be missing (a build killed between its commit and its
        arrays): the arrays are then built in memory, and ``searcher index`` writes them on its next run."""
        if self._fields is None:
            self._rebuild = texts

    def field(self, name: str) -> FieldArrays:
        """One field's arrays (:data:`FIELDS`), opened on first use."""
        if self._fields is None:
            with self._lock:
                if self._fields is None:
                    self._fields = self._open()
                    self._rebuild = None
        return self._fields[name]

    def _open(self) -> dict[str, FieldArrays]:
        files = paths(self.folder, self.segment_id)
        if all(path.exists() for path in files.values()):
            return {
                f: FieldArrays(*(np.load(files[(f, p)], mmap_mode="r", allow_pickle=False) for p in _PARTS))
                for f in FIELDS
            }
        if self._rebuild is None:
            raise FileNotFoundError(f"the arrays of segment {self.segment_id} are missing in {self.folder}")
        titles, texts = self._rebuild()
        return {f: build_field(values) for f, values in zip(FIELDS, (titles, texts), strict=True)}
