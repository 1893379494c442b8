"""Write and open the Whoosh index: the schema, declared once, and the build that fills it.

Layout of an index folder (``index/`` by default)::

    index/
      current -> gen-20261201T080102-1a2b   # symlink to the live generation
      gen-20261201T080102-1a2b/             # a Whoosh index plus searcher.json (who built it, from what)

An update writes into the live generation; a full rebuild writes a new generation beside it and then swaps the
``current`` link with one atomic ``rename``, so a running server answers from the old index until the switch and from
the new one after it. The previous generation is kept (a reader may still have it open) and older ones are removed.

``searcher.json`` records :data:`searcher.analysis.ANALYZER_VERSION`: an index built by another analyzer or
dictionary would silently miss matches, so :func:`open_index` refuses it and asks for a rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import fields, formats, index
from whoosh.index import Index

from searcher.analysis import ANALYZER_VERSION, char_analyzer, char_postings, word_analyzer
from searcher.articles import Article, Problem, iter_files

__all__ = [
    "SCHEMA",
    "BuildReport",
    "IndexMissingError",
    "IndexOutdatedError",
    "SearchIndexError",
    "build",
    "document",
    "live_path",
    "open_index",
]

META = "searcher.json"
CURRENT = "current"
SCHEMA_VERSION = 3
WRITER_MB = 512  # the writer's in-memory posting pool, per process


class CharField(fields.TEXT):
    """A character field: unigrams (``n=1``, presence only) or bigrams (``n=2``, with positions).

    Nothing is scored on these fields (ranking uses the word fields), so no field lengths are stored, and
    :meth:`index` computes the postings directly with :func:`searcher.analysis.char_postings` instead of running a
    Token through Whoosh for every character: the two changes cut the build time of the character fields by more
    than half.
    """

    def __init__(self, n: int) -> None:
        super().__init__(analyzer=char_analyzer(n), phrase=n == 2)
        self.n = n
        self.scorable = False
        if n == 1:
            self.format = formats.Existence()

    def index(self, value: str, **kwargs: object) -> Iterator[tuple[bytes, int, float, bytes]]:
        encode = self.format.encode
        for gram, positions in char_postings(value, self.n).items():
            count = len(positions)
            yield gram.encode("utf-8"), count, float(count), encode(positions)


class Schema(fields.SchemaClass):
    """Every field of the index. Word fields rank, character fields match (see :mod:`searcher.analysis`)."""

    id = fields.ID(unique=True, stored=True)
    title = fields.TEXT(analyzer=word_analyzer(), stored=True, field_boost=3.0)
    body = fields.TEXT(analyzer=word_analyzer(), stored=True)
    byline = fields.TEXT(analyzer=word_analyzer(), field_boost=2.0)
    title_uni = CharField(1)
    title_bi = CharField(2)
    text_uni = CharField(1)
    text_bi = CharField(2)
    unit = fields.ID(stored=True, sortable=True)
    position = fields.ID(stored=True)
    person = fields.ID(stored=True)
    series = fields.ID(stored=True, sortable=True)
    date = fields.ID(stored=True, sortable=True)
    source = fields.ID(stored=True)
    source_key = fields.ID()
    url = fields.STORED()
    kind = fields.STORED()
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


def _meta() -> dict[str, object]:
    return {"analyzer": ANALYZER_VERSION, "schema": SCHEMA_VERSION}


def live_path(index_dir: Path) -> Path:
    """Return the folder of the live generation (it may not exist yet)."""
    return (index_dir / CURRENT).resolve()


def open_index(index_dir: Path) -> Index:
    """Open the live index, checking that this version of searcher built it.

    :raises IndexMissingError: when there is no index (run ``searcher index``).
    :raises IndexOutdatedError: when another analyzer or schema built it (run ``searcher index --rebuild``).
    """
    live = live_path(index_dir)
    meta_file = live / META
    if not meta_file.exists() or not index.exists_in(str(live)):
        raise IndexMissingError(
            f"no index in {index_dir}: build one with `searcher index PATH... --index-dir {index_dir}`"
        )
    meta = json.loads(meta_file.read_text("utf-8"))
    if {k: meta.get(k) for k in _meta()} != _meta():
        raise IndexOutdatedError(
            f"the index in {index_dir} was built by analyzer {meta.get('analyzer')} (schema {meta.get('schema')}); "
            f"this searcher uses {ANALYZER_VERSION} (schema {SCHEMA_VERSION}): "
            f"rebuild it with `searcher index PATH... --rebuild --index-dir {index_dir}`"
        )
    return index.open_dir(str(live))


def document(article: Article, source_key: str) -> dict[str, object]:
    """Return the Whoosh document of an article (the one place that maps record fields to index fields)."""
    return {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "byline": article.byline,
        "title_uni": article.title,
        "title_bi": article.title,
        "text_uni": article.byline + "\n" + article.body,
        "text_bi": article.byline + "\n" + article.body,
        "unit": article.unit,
        "position": article.position,
        "person": article.person,
        "series": article.series,
        "date": article.date,
        "source": article.source,
        "source_key": source_key,
        "url": article.url,
        "kind": article.kind,
        "printed": list(article.printed_paragraphs) if article.printed_paragraphs else None,
        "repair": article.repair,
        "missing": list(article.missing),
        "digest": _digest(article),
    }


def _digest(article: Article) -> str:
    data = json.dumps(article.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha1(data).hexdigest()


@dataclass
class BuildReport:
    """What a build did: counts, problems with their reasons, and how long it took."""

    files: int = 0
    articles: int = 0
    restored: int = 0
    left_as_printed: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    index_dir: str = ""

    def count(self, article: Article) -> None:
        """Count an indexed article, and what the reader did to its body."""
        self.articles += 1
        if article.printed_paragraphs is not None:
            self.restored += 1
        elif article.repair.startswith("left as printed"):
            self.left_as_printed[article.repair] = self.left_as_printed.get(article.repair, 0) + 1

    def summary(self) -> str:
        """One line for the end of ``searcher index``."""
        parts = [
            f"{self.files} files",
            f"{self.articles} articles indexed",
            f"{self.restored} restored to reading order",
            f"{len(self.problems)} skipped",
            f"{self.seconds:.1f} s",
        ]
        return ", ".join(parts) + f" → {self.index_dir}"


def _new_generation(index_dir: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = index_dir / f"gen-{stamp}-{os.urandom(3).hex()}"
    path.mkdir(parents=True)
    return path


def _write_meta(generation: Path) -> None:
    (generation / META).write_text(json.dumps(_meta(), indent=2) + "\n", "utf-8")


def _switch(index_dir: Path, generation: Path) -> None:
    """Point ``current`` at ``generation`` atomically, then drop generations older than the previous one."""
    previous = live_path(index_dir) if (index_dir / CURRENT).exists() else None
    link = index_dir / f".{CURRENT}.{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(generation.name)
    os.replace(link, index_dir / CURRENT)
    keep = {generation.resolve(), previous}
    for old in index_dir.glob("gen-*"):
        if old.resolve() not in keep:
            shutil.rmtree(old, ignore_errors=True)


def _target(index_dir: Path, rebuild: bool) -> tuple[Index, Path, bool]:
    """Open the index to write: the live one, or a new generation for a rebuild. Return ``(index, folder, fresh)``."""
    try:
        ix = open_index(index_dir)
        if not rebuild:
            return ix, live_path(index_dir), False
    except IndexMissingError:
        pass
    except IndexOutdatedError:
        if not rebuild:
            raise
    target = _new_generation(index_dir)
    ix = index.create_in(str(target), SCHEMA)
    _write_meta(target)
    return ix, target, True


def build(
    paths: Iterable[str | Path],
    index_dir: Path,
    rebuild: bool = False,
    progress: Callable[[int, int], None] | None = None,
    procs: int = 1,
) -> BuildReport:
    """Index the articles under ``paths`` into ``index_dir``.

    Re-indexing a file replaces the articles it gave last time; an article id is held once, by the first file that
    has it. A file or line that can't be read is reported in the result and everything else is still indexed.

    :param rebuild: build a fresh index (also when the existing one is outdated) and switch to it atomically.
    :param progress: called as ``progress(done, total)`` while articles are indexed.
    :param procs: worker processes that tokenize and write segments in parallel, for a fresh build (an update
        writes in this process: it has deletes to apply and is small).
    :raises IndexOutdatedError: when the index is outdated and ``rebuild`` is false.
    """
    started = time.perf_counter()
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    report = BuildReport(index_dir=str(index_dir))
    read = list(iter_files(paths))  # the reading stage first, so that progress knows the total
    ix, target, fresh = _target(index_dir, rebuild)
    if fresh and procs > 1:
        # Whoosh's multi-process writer: each process analyzes its share and writes its own segment; with
        # multisegment the segments are kept as they are instead of being merged in one process at the end.
        writer = ix.writer(procs=procs, limitmb=WRITER_MB, multisegment=True)
    else:
        writer = ix.writer(limitmb=WRITER_MB)
    try:
        _write(writer, read, fresh, report, progress)
        writer.commit()
    except BaseException:
        writer.cancel()
        if fresh:
            shutil.rmtree(target, ignore_errors=True)
        raise
    if fresh:
        _switch(index_dir, target)
    report.seconds = time.perf_counter() - started
    return report


def _write(
    writer: object,
    read: list[tuple[Path, list[Article], list[Problem]]],
    fresh: bool,
    report: BuildReport,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Add every article read to ``writer``, replacing what each file gave before (unless the index is new)."""
    total = sum(len(articles) for _, articles, _ in read)
    seen: dict[str, str] = {}
    done = 0
    for path, articles, problems in read:
        report.problems.extend(problems)
        if problems and not articles:
            continue
        key = str(path)
        report.files += 1
        if not fresh:
            writer.delete_by_term("source_key", key)
        for article in articles:
            done += 1
            if article.id in seen:
                report.problems.append(
                    Problem(key, f"duplicate id {article.id!r} (kept the one in {seen[article.id]})")
                )
                continue
            seen[article.id] = key
            (writer.add_document if fresh else writer.update_document)(**document(article, key))
            report.count(article)
            if progress and done % 200 == 0:
                progress(done, total)
    if progress:
        progress(done, total)
