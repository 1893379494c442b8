"""Whoosh's segment files read as numpy arrays: postings, field lengths, and the unit and date columns.

Whoosh answers a query by walking matchers document by document in Python (≈ 15–20 µs a match, to score it and to
count its unit). :mod:`searcher.evaluate` works on whole arrays instead, and this module is where they come from.
It reads the segment files Whoosh 2.7 wrote, through Whoosh's own objects where they are cheap (the term table, the
block reader), and decodes each posting block once:

* a block's ids are delta-encoded: one ``numpy.cumsum``;
* its weights are a tuple, one float or nothing (all 1.0): one array;
* its values (positions) are decoded only for a term read for an adjacency check, all at once
  (:func:`_decode_positions`), into two arrays: each posting's start and every position. A term read only for its
  documents and scores keeps no values, so the cache holds ids and weights for most terms.

A term seen for the first time costs what Whoosh's format costs to read: one ``zlib`` and one ``pickle`` per block of
128 postings (≈ 0.1 ms a block for fields with positions, whose values Whoosh pickles as one ``bytes`` each); after
that, a search reads only arrays. BENCHMARKS.md gives both figures (first pass, and the same queries again).

Deleted documents (an incremental build deletes and re-adds changed articles) are removed from every posting list
here, so no caller needs to know about them.

Decoded postings are kept in a bounded cache (least recently used out first), keyed by the segment's id *and* its
deleted documents (:func:`searcher.index.segment_key`): when the index changes, a :class:`Segments` for the new
searcher takes over the :class:`Segment` objects (and their cached postings, lengths and columns) of the segments the
commit left exactly as they were, and drops the rest, so nothing stale is ever read and an update does not cool the
whole cache.
"""

from __future__ import annotations

import pickle
import threading
import zlib
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from itertools import chain, compress

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.util.numeric import byte_to_length

from searcher.index import arrays_of, segment_key

__all__ = ["EMPTY", "Column", "Postings", "Segment", "Segments"]

#: The field length Whoosh scores with for each length byte (its lengths are stored as one byte, approximately).
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_INT = np.int64
#: Read only the blocks holding the documents wanted when they are fewer than the term's documents by this factor.
SKIP_RATIO = 8
#: Terms whose entry and block headers a segment remembers (a few hundred bytes each).
MAX_TERMS = 50_000
_EMPTY_IDS = np.zeros(0, dtype=_INT)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float64)


@dataclass(frozen=True)
class Postings:
    """One term's postings in one segment: segment-local document numbers (sorted) and weights, and, when asked
    for, every posting's positions: ``positions[starts[i]:starts[i + 1]]`` belong to posting ``i``."""

    ids: np.ndarray
    weights: np.ndarray
    starts: np.ndarray | None = None
    positions: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        extra = self.starts.nbytes + self.positions.nbytes if self.starts is not None else 0
        return self.ids.nbytes + self.weights.nbytes + extra

    def positions_of(self, indexes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(owners, positions)``: the positions of the postings at ``indexes``, flattened, and for each the
        index (into ``indexes``) of the posting it belongs to."""
        first, last = self.starts[indexes], self.starts[indexes + 1]
        counts = last - first
        owners = np.repeat(np.arange(len(indexes), dtype=_INT), counts)
        # Where each chosen posting's positions start in the output, subtracted from a running count.
        shift = np.repeat(first - (np.cumsum(counts) - counts), counts)
        return owners, self.positions[np.arange(int(counts.sum()), dtype=_INT) + shift]


EMPTY = Postings(_EMPTY_IDS, _EMPTY_WEIGHTS, np.zeros(1, dtype=_INT), np.zeros(0, dtype=np.int32))


@dataclass(frozen=True)
class Column:
    """A one-value field as a column: ``codes[doc]`` indexes ``values`` (sorted). A document without a value has the
    code of ``""`` (read from Whoosh's column) or -1 (built from postings); both count as ``""`` in facets."""

    codes: np.ndarray
    values: list[str]

    def range_codes(
        self, low: str | None, high: str | None, low_excluded: bool = False, high_excluded: bool = False
    ) -> tuple[int, int]:
        """Return the codes ``[start, stop)`` of the values from ``low`` to ``high`` (``None``: open).

        The empty value (no value) is in no range, as in Whoosh's ``TermRange``, which skips empty terms.
        """
        start = 0 if low is None else (bisect_right if low_excluded else bisect_left)(self.values, low)
        stop = len(self.values) if high is None else (bisect_left if high_excluded else bisect_right)(self.values, high)
        if start < stop and self.values[start] == "":
            start += 1
        return start, stop


@dataclass(frozen=True)
class _TermEntry:
    """A term's entry in a segment's term table, and the headers of its posting blocks (``None`` when inline):
    ``(last id, count, compression, data offset, data length)`` each."""

    info: object
    headers: list[tuple] | None


def _wanted(headers: list[tuple], within: np.ndarray) -> np.ndarray:
    """Which blocks may hold a document of ``within`` (block k holds the ids after block k-1's last one)."""
    if not len(within):
        return np.zeros(len(headers), dtype=bool)
    last = np.array([h[0] for h in headers], dtype=_INT)
    first = np.searchsorted(within, np.concatenate(([-1], last[:-1])), side="right")
    return (first < len(within)) & (within[np.minimum(first, len(within) - 1)] <= last)


class Segment:
    """One Whoosh segment (a leaf reader) as arrays; ``offset`` turns its document numbers into the searcher's."""

    def __init__(self, reader, offset: int, cache: _Cache) -> None:
        self.reader = reader
        self.offset = offset
        self.doc_count = reader.doc_count_all()
        self.key = segment_key(reader.segment())
        self._cache = cache
        self._lock = threading.Lock()
        self._lengths: dict[str, np.ndarray] = {}
        self._columns: dict[str, Column] = {}
        self._years: Column | None = None
        self._stories: tuple[dict[str, int], np.ndarray] | None = None
        self._terms: dict[tuple[str, str], _TermEntry | None] = {}
        deleted = reader.deleted_docs_set if reader.has_deletions() else frozenset()
        self.live = np.ones(self.doc_count, dtype=bool)
        if deleted:
            self.live[np.fromiter(deleted, dtype=_INT)] = False
        self.has_deletions = bool(deleted)

    def exact(self, field: str, text: str) -> np.ndarray:
        """The live documents whose ``field`` contains ``text`` (:mod:`searcher.arrays`), sorted."""
        return self.occurrences(field, text).ids

    def occurrences(self, field: str, text: str) -> Postings:
        """The live documents whose ``field`` contains ``text``, with how often each does (as ``weights``)."""
        key = (self.key, "=" + field, text, False)
        found = self._cache.get(key)
        if found is None:
            ids, counts = arrays_of(self.reader).field(field).documents(text)
            if self.has_deletions and len(ids):
                keep = self.live[ids]
                ids, counts = ids[keep], counts[keep]
            found = Postings(ids, counts.astype(np.float64))
            self._cache.put(key, found)
        return found

    def characters(self, field: str) -> np.ndarray:
        """Each document's length in the matched text of ``field`` (characters and line ends), as floats."""
        found = self._lengths.get("=" + field)
        if found is None:
            starts = arrays_of(self.reader).field(field).starts
            found = self._lengths["=" + field] = np.diff(np.asarray(starts)).astype(np.float64)
        return found

    def all_ids(self) -> np.ndarray:
        """Every live document of the segment."""
        return np.flatnonzero(self.live).astype(_INT)

    def postings(
        self, fieldname: str, text: str, positions: bool = False, within: np.ndarray | None = None
    ) -> Postings:
        """Return the postings of a term (empty when the segment doesn't have it), with positions if asked.

        :param within: the only documents the caller needs (sorted). When they are few against the term's
            documents, only the blocks that hold them are decoded (Whoosh's blocks record their last document);
            that part of the list is cached under the blocks it came from, so the same search finds it again.
        """
        key = (self.key, fieldname, text, positions)
        found = self._cache.get(key)
        if found is not None:
            return found
        term = self._term(fieldname, text)
        if term is None:
            return EMPTY
        wanted = None
        if within is not None and term.headers and len(within) * SKIP_RATIO < term.info.doc_frequency():
            wanted = _wanted(term.headers, within)
            key = (*key, wanted.tobytes())
            found = self._cache.get(key)
            if found is not None:
                return found
        found = self._read(fieldname, term, positions, wanted)
        self._cache.put(key, found)
        return found

    def doc_frequency(self, fieldname: str, text: str) -> int:
        """How many documents of the segment have the term (deleted ones included, as in Whoosh's statistics)."""
        term = self._term(fieldname, text)
        return term.info.doc_frequency() if term else 0

    def _term(self, fieldname: str, text: str) -> _TermEntry | None:
        """A term's entry in the term table and, for a term not stored inline, its blocks' headers (Whoosh's block
        reader reads only the headers); ``None`` when the segment doesn't have the term. Remembered per term."""
        key = (fieldname, text)
        if key in self._terms:
            return self._terms[key]
        btext = text.encode("utf-8")
        term = None
        if (fieldname, btext) in self.reader:
            info = self.reader.term_info(fieldname, btext)
            headers = None
            if not info.is_inlined():
                offset, length = info.extent()
                fmt = self.reader.schema[fieldname].format
                with self._lock:  # one file object for the postings: a seek and its reads must not interleave
                    matcher = W3LeafMatcher(self.reader._terms._postfile, offset, length, fmt)
                    headers = []
                    while matcher.is_active():
                        start, end = matcher._dataoffset, matcher._nextoffset
                        headers.append((matcher._maxid, matcher._blocklength, matcher._compression, start, end - start))
                        matcher._next_block()
            term = _TermEntry(info, headers)
        if len(self._terms) >= MAX_TERMS:
            self._terms.clear()  # a bound, not a policy: an entry is cheap to read again
        self._terms[key] = term
        return term

    def _read(
        self, fieldname: str, term: _TermEntry, positions: bool = False, wanted: np.ndarray | None = None
    ) -> Postings:
        positions = positions and self.reader.schema[fieldname].format.supports("positions")
        if term.headers is None:
            ids, weights, values = term.info.inlined_postings()
            ids, weights = np.asarray(ids, dtype=_INT), np.asarray(weights, dtype=np.float64)
        else:
            headers = term.headers if wanted is None else list(compress(term.headers, wanted.tolist()))
            ids, weights, values = self._decode_blocks(headers, positions)
        if self.has_deletions:
            keep = self.live[ids]
            if not keep.all():
                ids, weights = ids[keep], weights[keep]
                if positions:
                    values = list(compress(values, keep.tolist()))
        if not positions:
            return Postings(ids, weights)
        return Postings(ids, weights, *_decode_positions(values))

    def _decode_blocks(self, headers: list[tuple], positions: bool) -> tuple[np.ndarray, np.ndarray, list[bytes]]:
        """Decompress and unpickle posting blocks: ids, weights and (if asked) the encoded positions."""
        with self._lock:
            postfile = self.reader._terms._postfile
            raw = [postfile.get(start, size) for _, _, _, start, size in headers]
        ids, weights, values = [], [], []
        for (_, count, compression, _, _), data in zip(headers, raw, strict=True):
            delta_ids, block_weights, block_values = pickle.loads(zlib.decompress(data) if compression else data)
            ids.append(np.cumsum(np.asarray(delta_ids, dtype=_INT)))
            if block_weights is None:
                weights.append(np.ones(count, dtype=np.float64))
            elif isinstance(block_weights, float):
                weights.append(np.full(count, block_weights, dtype=np.float64))
            else:
                weights.append(np.asarray(block_weights, dtype=np.float64))
            if positions:
                values.extend(block_values)
        if not ids:
            return _EMPTY_IDS, _EMPTY_WEIGHTS, []
        return np.concatenate(ids), np.concatenate(weights), values

    def lengths(self, fieldname: str) -> np.ndarray:
        """Return the length Whoosh scores each document's field with (its one-byte approximation, as a float)."""
        found = self._lengths.get(fieldname)
        if found is None:
            perdoc = self.reader._perdoc
            name = _lenfield(fieldname)
            raw = np.zeros(self.doc_count, dtype=np.uint8)
            if perdoc.has_column(name):
                column = perdoc.column_reader(name, LENGTHS_COLUMN)
                stored = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
                raw[: len(stored)] = stored
            found = self._lengths[fieldname] = _LENGTH_OF_BYTE[raw]
        return found

    def stories(self, story: dict[str, int]) -> np.ndarray:
        """Each document's story number in ``story`` (id → number, :class:`searcher.reprints.Reprints`), -1 for
        none; computed once per table (a table is loaded once per index commit)."""
        if self._stories is None or self._stories[0] is not story:
            ids = self.column("id")
            codes = np.array([story.get(value, -1) for value in ids.values] + [-1], dtype=_INT)
            self._stories = (story, codes[ids.codes])
        return self._stories[1]

    def years(self) -> Column:
        """Return the year of each document's date (the date's first four characters) as a column."""
        if self._years is None:
            dates = self.column("date")
            years = sorted({d[:4] for d in dates.values})
            code = {year: i for i, year in enumerate(years)}
            to_year = np.array([code[d[:4]] for d in dates.values] + [-1], dtype=np.int32)
            self._years = Column(to_year[dates.codes], years)  # code -1 reads the last entry: -1
        return self._years

    def column(self, fieldname: str) -> Column:
        """Return a one-value field (unit, date, series) as codes per document.

        A sortable field is read from Whoosh's own column of it (one value per document, what Whoosh's facets count
        too), in one pass; another field from its terms' postings, one term at a time.
        """
        found = self._columns.get(fieldname)
        if found is None:
            if self.reader.has_column(fieldname):
                per_doc = np.array(list(self.reader.column_reader(fieldname)), dtype=str)
                unique, codes = np.unique(per_doc, return_inverse=True)
                found = Column(codes.astype(np.int32), unique.tolist())
            else:
                values = [t.decode("utf-8") if isinstance(t, bytes) else t for t in self.reader.lexicon(fieldname)]
                codes = np.full(self.doc_count, -1, dtype=np.int32)
                for code, value in enumerate(values):
                    codes[self.postings(fieldname, value).ids] = code
                found = Column(codes, values)
            self._columns[fieldname] = found
        return found


def _decode_positions(values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Decode Whoosh ``Positions`` values into ``(starts, positions)`` arrays.

    A value is a 4-byte count, then ``b"\x80\x02" + body + b"."``: a protocol-2 pickle whose body pushes the list of
    position deltas. Rather than one ``pickle.loads`` per posting, the bodies are joined between a MARK and an APPENDS
    inside an outer list — a pickle of the list of all the lists — and loaded at once; a value of any other shape
    (another pickle protocol) is loaded on its own. A term's positions are then one cumulative sum, less what the
    postings before each one added.
    """
    counts = np.frombuffer(b"".join(v[:4] for v in values), dtype=">u4").astype(_INT)
    if all(v[4:6] == b"\x80\x02" and v[-1:] == b"." for v in values):
        lists = pickle.loads(b"\x80\x02](" + b"".join(v[6:-1] for v in values) + b"e.")
    else:
        lists = [pickle.loads(v[4:]) for v in values]
    starts = np.zeros(len(values) + 1, dtype=_INT)
    np.cumsum(counts, out=starts[1:])
    running = np.cumsum(np.fromiter(chain.from_iterable(lists), dtype=_INT, count=int(starts[-1])))
    before = np.concatenate(([0], running[starts[1:-1] - 1])) if len(values) else starts[:0]
    return starts, (running - np.repeat(before, counts)).astype(np.int32)


class _Cache:
    """A least-recently-used cache of decoded postings, bounded by their size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[tuple, Postings] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Postings | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple, postings: Postings) -> None:
        size = postings.nbytes
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = postings
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self.bytes -= dropped.nbytes

    def keep(self, segments: set[tuple]) -> None:
        """Drop every entry of a segment not in ``segments`` (keys of :func:`searcher.index.segment_key`)."""
        with self._lock:
            for key in [k for k in self._items if k[0] not in segments]:
                self.bytes -= self._items.pop(key).nbytes


class Segments:
    """Every segment of one Whoosh searcher, with one cache of decoded postings for them all.

    :param reuse: the :class:`Segments` of the searcher this one replaces. Its :class:`Segment` objects whose reader
        the new searcher took over (:func:`searcher.index.open_reader` does so only for an unchanged segment) are
        kept with what they decoded; the cache keeps only their entries. ``reuse`` must not be used afterwards.
    """

    def __init__(self, searcher, cache_bytes: int = 128 * 2**20, reuse: Segments | None = None) -> None:
        self.searcher = searcher
        self.cache = reuse.cache if reuse is not None else _Cache(cache_bytes)
        previous = {segment.key: segment for segment in reuse or ()}
        self.segments = []
        for reader, offset in searcher.reader().leaf_readers():
            segment = previous.get(segment_key(reader.segment()))
            if segment is not None and segment.reader is reader:
                segment.offset = offset  # earlier segments may have come or gone
            else:
                segment = Segment(reader, offset, self.cache)
            self.segments.append(segment)
        self.cache.keep({segment.key for segment in self.segments})
        self._date_ranks: list[np.ndarray] | None = None

    def __iter__(self):
        return iter(self.segments)

    def frequency(self, field: str, text: str) -> int:
        """How many live documents of every segment contain ``text`` in ``field`` (a string's document frequency)."""
        return sum(len(segment.exact(field, text)) for segment in self.segments)

    def average_characters(self, field: str) -> float:
        """The average length of ``field``'s matched text over every document (deleted ones too, as Whoosh's
        average field length counts them)."""
        total = sum(float(segment.characters(field).sum()) for segment in self.segments)
        count = sum(segment.doc_count for segment in self.segments)
        return total / count if count else 1.0

    def date_ranks(self) -> list[np.ndarray]:
        """For each segment, its date codes mapped to their rank among every segment's dates, with a last entry
        of -1 (so that code -1, undated, reads -1): dates compare across segments without comparing strings."""
        if self._date_ranks is None:
            columns = [segment.column("date") for segment in self.segments]
            rank = {v: i for i, v in enumerate(sorted({v for column in columns for v in column.values}))}
            self._date_ranks = [np.array([rank[v] for v in c.values] + [-1], dtype=np.float64) for c in columns]
        return self._date_ranks
