"""Write and open the Whoosh index: the schema, declared once, and the build that fills it.

Layout of an index folder (``index/`` by default)::

    index/
      current -> gen-20261201T080102-1a2b   # symlink to the live generation
      gen-20261201T080102-1a2b/             # a Whoosh index plus searcher.json (who built it, from what)

An update writes into the live generation; a full rebuild writes a new generation beside it and then swaps the
``current`` link with one atomic ``rename``, so a running server answers from the old index until the switch and from
the new one after it. The previous generation is kept (a reader may still have it open) and older ones are removed.

``searcher.json`` records :data:`searcher.analysis.ANALYZER_VERSION`: an index built by another analyzer or
dictionary would silently miss matches, so :func:`open_index` refuses it and asks for a rebuild. ``sources.json``
records the content hash of every file indexed, written after each commit, so an unchanged file is skipped.

**Durability.** Whoosh publishes a commit by renaming its table of contents into place, but never fsyncs. Here every
index is opened through :class:`DurableStorage`, which fsyncs the segment files before that rename and the folder
after it; the ``current`` link and the JSON files are replaced the same way. A build killed at any moment leaves the
last commit readable; Whoosh's write lock is an ``flock``, which the kernel releases with the dead process, so no
stale lock remains. A damaged index (zeroed or truncated files) is detected when it is opened
(:class:`IndexDamagedError`), and ``searcher index --rebuild`` replaces it.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import os
import shutil
import time
from collections.abc import Mapping
from pathlib import Path

from whoosh import fields, query
from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter
from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index
from whoosh.reading import EmptyReader, IndexReader, MultiReader, SegmentReader

from searcher import arrays
from searcher.analysis import ANALYZER_VERSION, word_analyzer
from searcher.reading import Article
from searcher.units import clean as clean_unit

__all__ = [
    "CODEC",
    "SCHEMA",
    "DurableStorage",
    "IndexDamagedError",
    "IndexMissingError",
    "IndexOutdatedError",
    "SearchIndexError",
    "arrays_of",
    "document",
    "ensure_arrays",
    "forget_arrays",
    "live_path",
    "match_texts",
    "new_generation",
    "open_index",
    "open_reader",
    "read_sources",
    "record_digest",
    "segment_key",
    "stored_texts",
    "switch",
    "write_json",
    "write_manifest",
]

META = "searcher.json"
SOURCES = "sources.json"
MANIFEST = "manifest.json"
CURRENT = "current"
SCHEMA_VERSION = 11


class _InliningPostingsWriter(W3PostingsWriter):
    """Whoosh 2.7's postings writer with its inlining repaired.

    A term with fewer postings than ``inlinelimit`` is meant to be stored inside its term-table entry instead of as
    a block in the postings file; Whoosh 2.7's ``finish_postings`` calls ``terminfo.set_inline``, a method that does
    not exist (it is ``set_inlined``), so its default is ``inlinelimit=1`` (never inline) and every term, however
    rare, costs a block: a pickle, a zlib call and a seek. Most terms of Chinese text are rare (in 2,000 news items,
    56 % of the character bigrams and words occur in one article), so this was most of a commit's time. Whoosh's
    reader already reads inlined postings (``W3TermInfo`` stores them, ``W3Codec.postings_reader`` serves them).
    """

    def finish_postings(self):
        if not self.written() and len(self._ids) < self._inlinelimit:
            terminfo = self._terminfo
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()


class Codec(W3Codec):
    """Whoosh 2.7's codec (``W3Codec``), writing terms of up to three postings inline (see above)."""

    def postings_writer(self, dbfile, byteids=False):
        return _InliningPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


#: The codec every writer uses (the segments record it, so readers use it too).
CODEC = Codec(inlinelimit=4)


class Schema(fields.SchemaClass):
    """Every field of the index. Word fields rank; matching is by the suffix arrays beside each segment
    (:mod:`searcher.arrays`), built from the stored fields :func:`match_texts` names."""

    id = fields.ID(unique=True, stored=True, sortable=True)  # a column: ids by docnum without unpickling documents
    title = fields.TEXT(analyzer=word_analyzer(), stored=True, field_boost=3.0)
    body = fields.TEXT(analyzer=word_analyzer(), stored=True)
    byline = fields.TEXT(analyzer=word_analyzer(), field_boost=2.0)
    unit = fields.ID(stored=True, sortable=True)
    position = fields.ID(stored=True)
    person = fields.ID(stored=True)
    series = fields.ID(stored=True, sortable=True)
    date = fields.ID(stored=True, sortable=True)
    source = fields.ID(stored=True)
    source_key = fields.ID(stored=True)  # the file's path as indexed (the page view renders a PDF's page from it)
    url = fields.STORED()
    kind = fields.STORED()
    headline = fields.STORED()
    kicker = fields.STORED()
    subtitle = fields.STORED()
    byline_line = fields.STORED()
    credits = fields.STORED()
    captions = fields.STORED()
    jumps = fields.STORED()
    paper = fields.STORED()
    speaker_source = fields.STORED()
    layout = fields.STORED()
    furniture = fields.STORED()
    printed = fields.STORED()
    repair = fields.STORED()
    missing = fields.STORED()
    digest = fields.STORED()


SCHEMA = Schema()


class SearchIndexError(Exception):
    """The index can't be used; the message says what to do."""


class IndexMissingError(SearchIndexError):
    """There is no index at the path."""


class IndexOutdatedError(SearchIndexError):
    """The index was built by another analyzer, dictionary or schema."""


class IndexDamagedError(SearchIndexError):
    """The index files are damaged (zeroed, truncated, or not Whoosh's)."""


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class DurableStorage(FileStorage):
    """Whoosh's file storage, with the fsyncs a commit needs to survive a crash.

    Whoosh writes a commit's segment files, then its table of contents under a temporary name, then renames it:
    the rename is the commit point. Before it, every file of the folder reaches the disk; after it, the folder entry.
    """

    def rename_file(self, oldname: str, newname: str, safe: bool = False) -> None:
        folder = Path(self.folder)
        for entry in folder.iterdir():
            if entry.is_file() and not entry.name.endswith("WRITELOCK"):
                _fsync(entry)
        super().rename_file(oldname, newname, safe)
        _fsync(folder)


def write_json(path: Path, data: object) -> None:
    """Replace ``path`` with ``data`` as JSON, atomically and durably (temporary file, fsync, rename)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    with temporary.open("w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)
    _fsync(path.parent)


def _meta() -> dict[str, object]:
    return {"analyzer": ANALYZER_VERSION, "schema": SCHEMA_VERSION}


def live_path(index_dir: Path) -> Path:
    """Return the folder of the live generation (it may not exist yet)."""
    return (index_dir / CURRENT).resolve()


def open_index(index_dir: Path) -> Index:
    """Open the live index, checking that this version of searcher built it and that its files are whole.

    :raises IndexMissingError: when there is no index (run ``searcher index``).
    :raises IndexOutdatedError: when another analyzer or schema built it (run ``searcher index --rebuild``).
    :raises IndexDamagedError: when its files can't be read (run ``searcher index --rebuild``).
    """
    live = live_path(index_dir)
    rebuild = f"rebuild it with `searcher index PATH... --rebuild --index-dir {index_dir}`"
    storage = DurableStorage(str(live))
    if not (live / META).exists() or not any(live.glob("_MAIN_*.toc")):
        raise IndexMissingError(
            f"no index in {index_dir}: build one with `searcher index PATH... --index-dir {index_dir}`"
        )
    try:
        meta = json.loads((live / META).read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise IndexDamagedError(f"the index in {index_dir} is damaged ({META}: {error}): {rebuild}") from error
    if not isinstance(meta, dict) or {k: meta.get(k) for k in _meta()} != _meta():
        found = meta if isinstance(meta, dict) else {}
        raise IndexOutdatedError(
            f"the index in {index_dir} was built by analyzer {found.get('analyzer')} (schema {found.get('schema')}); "
            f"this searcher uses analyzer {ANALYZER_VERSION} (schema {SCHEMA_VERSION}): {rebuild}"
        )
    try:
        ix = storage.open_index()
        _check(ix)
    except Exception as error:
        damage = f"{type(error).__name__}: {error}"
    else:
        return ix
    # Not chained: the traceback would keep alive the files Whoosh opened and dropped; collected here, they close now.
    gc.collect()
    raise IndexDamagedError(f"the index in {index_dir} is damaged ({damage}): {rebuild}")


def segment_key(segment) -> tuple[str, frozenset[int]]:
    """What makes a segment's reader (and anything decoded from it) valid: its id *and* its deleted documents.

    An update deletes the old versions of changed articles from existing segments, which keep their ids.
    """
    return segment.segment_id(), frozenset(segment.deleted_docs())


def open_reader(ix: Index, reuse: IndexReader | None = None) -> tuple[IndexReader, int]:
    """Open a reader of the index's latest commit and return it with the commit's generation.

    Readers of ``reuse`` (a reader of an earlier commit of the same folder) are taken over for the segments whose
    :func:`segment_key` is unchanged; the others are closed, so ``reuse`` must not be used afterwards.

    Why not Whoosh's own reuse (``Searcher.refresh``, ``FileIndex._reader``): it matches readers to segments with
    ``Segment.__eq__``, which compares segment ids only (whoosh-reloaded 2.7.5 ``codec/base.py``), so a segment whose
    deletions changed in the commit keeps its old reader and old deleted set: every article an update changed is
    then found twice, old and new version, until the process restarts. It also puts back into the new reader any
    segment of the old one missing from the new commit (a merge's inputs).
    """
    reusable = {}
    if reuse is not None:
        reusable = {segment_key(r.segment()): r for r, _ in reuse.leaf_readers() if r.segment() is not None}
    for attempt in range(10):
        toc = ix._read_toc()  # the latest commit's segments, as FileIndex.reader reads them
        opened: list[IndexReader] = []
        try:
            for segment in toc.segments:
                found = reusable.pop(segment_key(segment), None)
                opened.append(found or SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation))
            break
        except OSError:
            # A commit landing between reading the table of contents and opening its segments can remove files (a
            # merge): read it again, as FileIndex.reader does.
            reusable.update({segment_key(r.segment()): r for r in opened})
            if attempt == 9:
                raise
            time.sleep(0.05)
    for reader in reusable.values():
        reader.close()
    if not opened:
        return EmptyReader(toc.schema), toc.generation
    if len(opened) == 1:
        return opened[0], toc.generation
    return MultiReader(opened, generation=toc.generation), toc.generation


def _fingerprint(path: Path) -> list:
    """Size and a hash of the first and last 4 KiB of a file: cheap, and changed by truncation or zeroing."""
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(4096)
        f.seek(max(0, size - 4096))
        tail = f.read(4096)
    return [size, hashlib.sha1(head + tail).hexdigest()]


def write_manifest(ix: Index, folder: Path) -> None:
    """Record the fingerprint of every file of the latest commit (written after the commit it describes)."""
    generation = ix.latest_generation()
    names = [n for n in ix.storage.list() if n.startswith(f"{ix.indexname}_") and not n.endswith("WRITELOCK")]
    files = {n: _fingerprint(folder / n) for n in names if (folder / n).is_file()}
    write_json(folder / MANIFEST, {"generation": generation, "files": files})


def _check_manifest(ix: Index, folder: Path) -> None:
    """Compare the files with the manifest of their commit; a manifest of another commit (a build killed between
    its commit and its manifest) proves nothing and is skipped."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return
    if manifest.get("generation") != ix.latest_generation():
        return
    for name, expected in manifest.get("files", {}).items():
        path = folder / name
        if path.exists() and _fingerprint(path) != expected:
            raise ValueError(f"{name} is not as it was written (size or content changed)")


def _check(ix: Index) -> None:
    """Read a little of every part of the index, so that damage shows at open rather than in a search."""
    _check_manifest(ix, Path(ix.storage.folder))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        count = reader.doc_count_all()
        for docnum in {0, count // 2, count - 1} if count else ():
            reader.stored_fields(docnum)
        for fieldname in ("id", "unit", "body"):
            for _ in zip(range(3), reader.lexicon(fieldname), strict=False):
                pass
        searcher.search(query.Every(), limit=1)
        if count:
            term = next(iter(reader.lexicon("body")), None)
            if term is not None:
                list(reader.postings("body", term).all_ids())
        for leaf, _ in reader.leaf_readers():
            found = arrays_of(leaf)
            for field in arrays.FIELDS:
                found.field(field).documents("的")


def document(article: Article, source_key: str) -> dict[str, object]:
    """Return the Whoosh document of an article (the one place that maps record fields to index fields).

    What matches is the title and the text :func:`match_texts` makes of the stored fields (the arrays beside each
    segment are built from it, at build time or later from the stored fields alone).
    """
    return {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "byline": article.byline,
        "unit": clean_unit(article.unit),  # what facets count and filters match: " 石梁镇" is 石梁镇
        "position": article.position,
        "person": article.person,
        "series": article.series,
        "date": article.date,
        "source": article.source,
        "source_key": source_key,
        "url": article.url,
        "kind": article.kind,
        "headline": article.headline,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "byline_line": article.byline_line,
        "credits": list(article.credits),
        "jumps": list(article.jumps),
        "captions": list(article.captions),
        "paper": article.paper,
        "speaker_source": article.speaker_source,
        "layout": article.layout or None,
        "furniture": list(article.furniture),
        "printed": list(article.printed_paragraphs) if article.printed_paragraphs else None,
        "repair": article.repair,
        "missing": list(article.missing),
        "digest": record_digest(article),
    }


def match_texts(fields: Mapping[str, object]) -> tuple[str, str]:
    """Return ``(title, text)``, what exact matching searches, from a document's stored fields (or the document).

    The text is the byline (as fields and as printed), the kicker, the subtitle, the body, the captions and the
    credits, one per line so that no match runs from one into the next.
    """
    byline = " ".join(str(fields.get(name) or "") for name in ("unit", "position", "person") if fields.get(name))
    parts = [byline, *(fields.get(name) or "" for name in ("byline_line", "kicker", "subtitle", "body"))]
    parts += [*(fields.get("captions") or ()), *(fields.get("credits") or ())]
    return str(fields.get("title") or ""), "\n".join(str(part) for part in parts if part)


@functools.lru_cache(maxsize=256)
def _arrays(folder: str, segment_id: str) -> arrays.SegmentArrays:
    return arrays.SegmentArrays(Path(folder), segment_id)


def forget_arrays() -> None:
    """Let go of every segment's arrays not held elsewhere (after a rebuild switched folders: the old folder's files
    are deleted later, and a mapping would keep their disk space taken)."""
    _arrays.cache_clear()


def arrays_of(reader: IndexReader) -> arrays.SegmentArrays:
    """The suffix arrays of a segment reader's segment (one object per segment and process, memory-mapped).

    When the files are missing (a build killed between its commit and writing them; the next ``searcher index``
    writes them), the arrays are built in memory from the segment's stored fields.
    """
    found = _arrays(str(reader.storage().folder), reader.segment().segment_id())
    found.rebuild_from(lambda: stored_texts(reader))
    return found


def stored_texts(reader: IndexReader) -> tuple[list[str], list[str]]:
    """Return ``(titles, texts)`` of every document of a segment (deleted ones too), from its stored fields."""
    texts = [match_texts(reader.stored_fields(n)) for n in range(reader.doc_count_all())]
    return [t for t, _ in texts], [x for _, x in texts]


def ensure_arrays(ix: Index) -> int:
    """Write the suffix arrays of every segment of the latest commit that has none (written by Whoosh's own writer:
    an update, a merge); return how many segments got them."""
    folder = Path(ix.storage.folder)
    written = 0
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            segment_id = leaf.segment().segment_id()
            if all(path.exists() for path in arrays.paths(folder, segment_id).values()):
                continue
            titles, texts = stored_texts(leaf)
            arrays.write_segment(folder, segment_id, titles, texts)
            written += 1
    if written:
        _fsync(folder)
    return written


def record_digest(article: Article) -> str:
    """Return the content hash of an article record (what an incremental build compares)."""
    data = json.dumps(article.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha1(data).hexdigest()


def new_generation(index_dir: Path) -> tuple[Index, Path]:
    """Create an empty index in a new generation folder (not yet live)."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = index_dir / f"gen-{stamp}-{os.urandom(3).hex()}"
    path.mkdir(parents=True)
    ix = DurableStorage(str(path)).create_index(SCHEMA)
    write_json(path / META, _meta())
    return ix, path


def switch(index_dir: Path, generation: Path) -> None:
    """Point ``current`` at ``generation`` atomically, then drop generations older than the previous one.

    The previous generation stays: a server process that has not yet refreshed may still be reading it.
    """
    previous = live_path(index_dir) if (index_dir / CURRENT).exists() else None
    link = index_dir / f".{CURRENT}.{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(generation.name)
    os.replace(link, index_dir / CURRENT)
    _fsync(index_dir)
    keep = {generation.resolve(), previous}
    for old in index_dir.glob("gen-*"):
        if old.resolve() not in keep:
            shutil.rmtree(old, ignore_errors=True)


def read_sources(generation: Path) -> dict[str, dict]:
    """Return what ``sources.json`` says of each indexed file: ``{path: {"sha1": …}}`` (empty when unknown)."""
    try:
        data = json.loads((generation / SOURCES).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
