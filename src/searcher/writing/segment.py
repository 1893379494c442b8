"""Write one Whoosh 2.7 segment from fresh documents in one pass: postings grouped per term, each term written once.

Whoosh's ``SegmentWriter`` was most of a build's time, and little of it was Whoosh's format: every posting became a
tuple in a ``PostingPool`` (an external sort, although a fresh segment's postings arrive in document order), the
commit read each posting's field length back from the length column it had just written, and each posting went
through three Python calls into the postings writer. :class:`SegmentBuilder` analyzes a document's fields straight
into per-term lists (the word tokenizer's postings without a Token per token, see
:func:`searcher.analysis.word_postings`), keeps each document's field lengths, and at :meth:`SegmentBuilder.finish`
writes every term once, in Whoosh's order: blocks of 128 postings (a pickle and a zlib call each) or, for a rare
term, the postings inline in its term-table entry. It writes the segment's suffix arrays too
(:mod:`searcher.arrays`), from the texts :func:`searcher.index.match_texts` makes of each document.

The files are Whoosh's own, byte for byte what ``SegmentWriter`` with :data:`searcher.index.CODEC` writes for the
same documents (``tests/test_writing.py`` compares them), read by Whoosh and by :mod:`searcher.postings` alike. The
per-document parts (stored fields, columns, field lengths) go through Whoosh's own per-document writer; the postings,
and the term table's records and hash slots, are written here in bulk, laid out as Whoosh's ``W3PostingsWriter``
and ``OrderedHashWriter`` lay them out. Whoosh has no public interface for writing a term as bytes, so the field
writer's term table and postings file are used directly.

Memory is bounded by the caller: :attr:`SegmentBuilder.full` says when the postings held reach ``limitmb`` (an
estimate of their Python objects' size), and the caller then finishes this segment and starts another. Writing
the segment needs about half as much again, briefly.
"""

from __future__ import annotations

import contextlib
import ctypes
import struct
import zlib
from array import array
from collections.abc import Callable, Iterable
from functools import cache
from hashlib import md5
from itertools import pairwise, starmap
from operator import sub
from pickle import dumps

from whoosh import formats
from whoosh.codec.base import Codec, Segment
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3TermInfo
from whoosh.fields import FieldType
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.index import Index
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from searcher import arrays
from searcher.analysis import JiebaTokenizer, word_postings
from searcher.index import match_texts

__all__ = ["SegmentBuilder"]

BLOCK = 128  # postings per block: W3Codec's blocklimit
COMPRESSION = 3  # zlib level of a block: W3Codec's compression
_TERMINFO = W3TermInfo._struct
_RECORD = struct.Struct("!ii")  # a term-table record's key and value lengths (filetables._lengths)
_POINTER = struct.Struct("!Iq")  # a hash slot: the key's hash and its record's position (filetables._pointer)
_M_TRIM_THRESHOLD = -1  # mallopt's parameter number (malloc.h)
# Estimated bytes of the Python objects held per posting (three list slots and a value) and per new term (its key,
# its list and the dict entry): within 5 % of the RSS growth measured on news items and on short texts.
_POSTING_BYTES = 50
_TERM_BYTES = 220


_ONE = pack_uint(1)


def _encode_positions(positions: list[int]) -> bytes:
    """Whoosh's ``formats.Positions.encode``: the count, then a pickle of the position deltas."""
    if len(positions) == 1:  # most postings: the deltas are the position itself
        return _ONE + dumps(positions, 2)
    deltas = [positions[0], *(b - a for a, b in pairwise(positions))]
    return pack_uint(len(deltas)) + dumps(deltas, 2)


@cache
def _keep_freed_heap() -> None:
    """Let this process keep up to 64 MiB of freed heap instead of returning it to the system at once.

    glibc gives the top of the heap back to the kernel whenever more than 128 KiB of it is free
    (``M_TRIM_THRESHOLD``). Each ``zlib.compress`` allocates about 256 KiB of state and frees it, so under that
    default every call paid for dozens of fresh pages (49 µs instead of 3.3 µs on a small block, measured here); a
    segment of 1,000 news items took 12.7 s to analyze and write before this and a one-position shortcut in
    ``_encode_positions`` (measured together), 7.7 s after. Raised for a building process only; a no-op where
    ``mallopt`` is absent.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(_M_TRIM_THRESHOLD, 64 * 2**20)


class _Field:
    """How one indexed field turns a value into postings, and the postings it holds: ``{term: [doc, freq, value, …]}``.

    A term's list is flat (three slots per posting) and shares one int object per document, so a posting costs
    three list slots and its value. ``terms`` holds ``str`` keys for the fields analyzed here and ``bytes`` keys for
    the rest (``field.index``); a ``str`` sorts as its UTF-8 bytes do, so both are written in Whoosh's order.
    """

    def __init__(self, name: str, field: FieldType) -> None:
        self.name, self.field = name, field
        self.terms: dict[str | bytes, list] = {}
        self.boost = 1.0  # weight = freq × boost (Whoosh: the tokens' boosts, all 1.0, × the format's field boost)
        self.analyze: Callable[[str], dict[str, list[int]]] | None = None
        fmt = field.format
        self.encode: Callable[[list[int]], bytes] = fmt.encode  # Whoosh's own; a faster twin for positions below
        if isinstance(field.analyzer, JiebaTokenizer) and type(fmt) is formats.Positions:
            self.analyze, self.encode, self.boost = word_postings, _encode_positions, fmt.field_boost
        self.value_size = fmt.fixed_value_size()  # Whoosh's _mini_values: a tuple (None, < 0), joined (> 0) or None
        self.lengths: list[int | None] | None = [] if field.scorable else None

    def add(self, docnum: int, value: object) -> tuple[int, int]:
        """Add one document's postings; return ``(length, postings)``, length counted as Whoosh does (Σ freq)."""
        terms = self.terms
        length = 0
        new = 0
        if self.analyze is not None:
            analyzed = self.analyze(value)
            encode = self.encode
            for term, positions in analyzed.items():
                freq = len(positions)
                length += freq
                found = terms.get(term)
                if found is None:
                    terms[term] = [docnum, freq, encode(positions)]
                    new += 1
                else:
                    found += (docnum, freq, encode(positions))
            count = len(analyzed)
        else:
            count = 0
            for tbytes, freq, weight, vbytes in self.field.index(value):
                length += freq
                count += 1
                found = terms.get(tbytes)
                if found is None:
                    terms[tbytes] = [docnum, weight, vbytes]
                    new += 1
                else:
                    found += (docnum, weight, vbytes)
        if self.lengths is not None:  # indexed by document: the documents that lacked this field have None
            self.lengths.extend([None] * (docnum - len(self.lengths)))
            self.lengths.append(byte_to_length(length_to_byte(length)) if length else None)
        return length if self.field.scorable else 0, count * _POSTING_BYTES + new * _TERM_BYTES

    def write(self, fieldwriter: W3FieldWriter, inline_limit: int) -> None:
        """Write every term of this field, in order, to the field writer's postings file and term table."""
        fieldwriter.start_field(self.name, self.field)
        key_prefix = pack_ushort(fieldwriter._fieldid)
        table, postfile = fieldwriter._tindex, fieldwriter._postfile
        offset = postfile.tell()
        pending: list[bytes] = []
        boost, lengths = self.boost, self.lengths
        entries: list[tuple[bytes, bytes]] = []  # (key, term info) in the term table
        for term in sorted(self.terms):
            flat = self.terms[term]
            ids = flat[0::3]
            weights = list(map(boost.__mul__, flat[1::3]))  # floats, as Whoosh's freq × boost gives
            values = list(filter(None, flat[2::3]))  # Whoosh keeps only non-empty values
            quantized = None if lengths is None else list(map(lengths.__getitem__, ids))
            if len(ids) < inline_limit:
                info = self._inline(ids, weights, values, quantized)
            else:
                chunks = self._blocks(ids, weights, values, quantized)
                size = sum(map(len, chunks[1:]))
                info = chunks[0] + pack_long(offset) + pack_int(size)
                pending += chunks[1:]
                offset += size
                if len(pending) > 4096:
                    postfile.write(b"".join(pending))
                    pending.clear()
            entries.append((key_prefix + (term.encode("utf-8") if isinstance(term, str) else term), info))
        postfile.write(b"".join(pending))
        table.add_all(entries)
        fieldwriter.finish_field()
        self.terms.clear()

    def _mini_values(self, values: list[bytes]) -> object:
        size = self.value_size
        if size is None or size < 0:
            return tuple(values)
        return b"".join(values) if size > 0 else None

    @staticmethod
    def _inline(ids: list[int], weights: list[float], values: list[bytes], lengths: list | None) -> bytes:
        """A term-table entry holding its postings (``W3TermInfo.to_bytes`` of an inlined term)."""
        stored = array("f", weights)
        peak = max(weights)
        present = list(filter(None, lengths)) if lengths else []
        low = min(present) if present else None
        high = max(present) if present else 0
        head = _TERMINFO.pack(
            1,
            sum(stored),
            len(ids),
            0 if low is None else length_to_byte(low),
            length_to_byte(high),
            peak if peak > 0 else 0,
            ids[0],
            ids[-1],
        )
        return head + dumps((tuple(ids), tuple(stored), tuple(values)), 2)

    def _blocks(self, ids: list[int], weights: list[float], values: list[bytes], lengths: list | None) -> list[bytes]:
        """The term-table head and the postings-file chunks of a term written in blocks (``W3PostingsWriter``)."""
        chunks = [b"", WHOOSH3_HEADER_MAGIC]
        total = 0
        low = None
        high = 0
        peak = 0
        count = len(ids)
        for start in range(0, count, BLOCK):
            end = min(start + BLOCK, count)
            block_ids = ids[start:end]
            block_weights = weights[start:end]
            stored = array("f", block_weights)
            if stored.count(1.0) == len(stored):
                mini_weights = None
            elif stored.count(stored[0]) == len(stored):
                mini_weights = stored[0]
            else:
                mini_weights = tuple(stored)
            deltas = (block_ids[0], *map(sub, block_ids[1:], block_ids))
            data = zlib.compress(dumps((deltas, mini_weights, self._mini_values(values[start:end])), 2), COMPRESSION)
            block_peak = max(block_weights)
            block_peak = block_peak if block_peak > 0 else 0
            present = list(filter(None, lengths[start:end])) if lengths else []
            block_low = min(present) if present else None
            block_high = max(present) if present else 0
            info = dumps(
                (end - start, block_ids[-1], block_peak, COMPRESSION, length_to_byte(block_low),
                 length_to_byte(block_high)),
                2,
            )  # fmt: skip
            size = len(info) + len(data)
            chunks += [pack_int(-size if end == count else size), info, data]
            # The term's statistics, accumulated block by block as W3TermInfo.add_block does.
            total += sum(stored)
            low = block_low if low is None else min(low, block_low)
            high = max(high, block_high)
            peak = max(peak, block_peak)
        chunks[0] = _TERMINFO.pack(
            0, total, count, 0 if low is None else length_to_byte(low), length_to_byte(high), peak, ids[0], ids[-1]
        )
        return chunks


class _TermTable(OrderedHashWriter):
    """Whoosh's term table (``OrderedHashWriter``), taking a field's entries at once: the same records, hash buckets,
    position index and hash slots, byte for byte (the byte-identity test holds them to it), in a write per field and
    per bucket where Whoosh writes three times per term and once per slot (a tenth of a segment's writing)."""

    def add_all(self, items: Iterable[tuple[bytes, bytes]]) -> None:
        if self.hashtype != 0:  # not the MD5 table W3 writes: Whoosh's own way
            super().add_all(items)
            return
        position = self.dbfile.tell()
        parts: list[bytes] = []
        last = self.lastkey
        for key, info in items:
            if key <= last:
                raise ValueError(f"Keys must increase: {last!r}..{key!r}")  # as OrderedHashWriter.add
            last = key
            self.index.append(position)
            digest = int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")  # filetables.md5_hash
            self.buckets[digest & 255].append((digest, position))
            parts += (_RECORD.pack(len(key), len(info)), key, info)
            position += _RECORD.size + len(key) + len(info)
        self.dbfile.write(b"".join(parts))
        self.lastkey = last

    def _write_hashes(self) -> None:
        dbfile, empty = self.dbfile, (0, 0)
        for entries in self.buckets:
            slots = 2 * len(entries)
            self.directory.append((dbfile.tell(), slots))
            hashtable = [empty] * slots
            for digest, position in entries:
                slot = (digest >> 8) % slots
                while hashtable[slot] != empty:
                    slot = (slot + 1) % slots
                hashtable[slot] = (digest, position)
            dbfile.write(b"".join(starmap(_POINTER.pack, hashtable)))


class SegmentBuilder:
    """Build one new segment of ``ix`` from documents given in order; nothing is published until the caller commits.

    ``add_document`` takes the same keyword fields as Whoosh's ``add_document`` (no ``_boost`` or ``_stored_``
    overrides: searcher's documents have none).
    """

    def __init__(self, ix: Index, codec: Codec, limitmb: int) -> None:
        self.schema = ix.schema
        self.storage = ix.storage
        self.codec = codec
        self.segment = codec.new_segment(ix.storage, ix.indexname)
        self._perdoc = codec.per_document_writer(ix.storage, self.segment)
        self._fields = {name: _Field(name, field) for name, field in self.schema.items() if field.indexed}
        self._limit = limitmb * 2**20
        _keep_freed_heap()
        self._held = 0
        self.doc_count = 0
        self._titles: list[str] = []
        self._texts: list[str] = []

    @property
    def full(self) -> bool:
        """Whether the postings held have reached ``limitmb``: time to finish this segment."""
        return self._held >= self._limit

    def add_document(self, **fields: object) -> None:
        """Add one document, its fields analyzed now (the same fields, values and lengths as Whoosh's writer)."""
        perdoc, schema = self._perdoc, self.schema
        docnum = self.doc_count
        perdoc.start_doc(docnum)
        for name in sorted(fields):
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            postings = self._fields.get(name)
            if postings is not None:
                length, held = postings.add(docnum, value)
                self._held += held
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        title, text = match_texts(fields)
        self._titles.append(title)
        self._texts.append(text)
        self._held += 2 * (len(title) + len(text))  # the texts held for the suffix arrays
        self.doc_count += 1

    def document_frequencies(self, fieldnames: tuple[str, ...]) -> dict[str, int]:
        """Return the document frequency of every term of ``fieldnames`` held now (summed over the fields)."""
        counts: dict[str, int] = {}
        for name in fieldnames:
            for term, flat in self._fields[name].terms.items():
                if isinstance(term, str):
                    counts[term] = counts.get(term, 0) + len(flat) // 3
        return counts

    def finish(self) -> Segment:
        """Write the segment's files and return its segment object (to be committed by the caller)."""
        self._perdoc.close()
        fieldwriter = self.codec.field_writer(self.storage, self.segment)
        # W3FieldWriter makes a plain OrderedHashWriter; ours differs only in how it writes the same bytes.
        fieldwriter._tindex.__class__ = _TermTable
        for name in sorted(self._fields):
            postings = self._fields[name]
            if postings.terms:
                postings.write(fieldwriter, self.codec._inlinelimit)
        fieldwriter.close()
        self.segment.set_doc_count(self.doc_count)
        arrays.write_segment(self.storage.folder, self.segment.segment_id(), self._titles, self._texts)
        return self.segment
