"""Build or update the index from article files: full builds in parallel, updates by content hash.

* A **fresh build** (no index yet, ``--rebuild``, or after an analyzer change) writes a new generation, its segments
  written in one pass by ``procs`` worker processes (:mod:`searcher.writing`), and switches to it atomically
  (:func:`searcher.index.switch`).
* An **update** writes into the live generation and touches only what changed: a file whose bytes hash as last time
  is not even parsed; in a changed file only the records whose content hash changed are rewritten, records that
  disappeared are deleted, and so are the articles of files that disappeared from a folder being indexed.
  Re-running a build is always safe: nothing is added twice.

``sources.json`` (the hash of every file indexed, with the problems and notices its reading gave) is written only
after the index commit it describes, so a build killed between the two re-reads those files next time instead of
skipping them. An unchanged file is not read again, but its problems and notices are reported again on every run,
so a daily job keeps seeing them until the file is fixed.

Progress is reported by stage — ``reading`` files, ``indexing`` articles, then ``writing`` (the worker processes
finishing their segments, and the commit) — so a progress bar never shows 100 % while work remains. Ctrl-C during
a build stops the worker processes quietly, discards the partial generation and leaves the live index as it was.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.index import Index

from searcher.index import (
    CODEC,
    CURRENT,
    SOURCES,
    IndexDamagedError,
    IndexMissingError,
    IndexOutdatedError,
    document,
    ensure_arrays,
    live_path,
    new_generation,
    open_index,
    read_sources,
    switch,
    write_json,
    write_manifest,
)
from searcher.reading import Article, Notice, Problem, expand, read_file
from searcher.reprints import write_reprints
from searcher.spelling import WORD_FIELDS, write_words
from searcher.writing import write_parallel

__all__ = ["BuildReport", "Progress", "build"]

#: ``progress(stage, done, total)``: stage is ``"reading"`` (files), ``"indexing"`` (articles analyzed) or
#: ``"writing"`` (articles whose postings are written, in a parallel build; ``total`` is 0 for a one-process
#: commit, whose length isn't known in advance).
Progress = Callable[[str, int, int], None]

# Postings a writing process holds before it writes them: a fresh build's worker then starts a new segment (about
# 4,000 news items), an update's Whoosh writer spills its posting pool to disk. With the documents every worker
# inherits, this keeps a build of 171,264 short texts under 1 GB per process (BENCHMARKS.md).
WRITER_MB = 256
# Segments as separate files, not one compound file: Whoosh 2.7 opens a compound file by copying each part into a
# BytesIO (structfile.BufferFile), so every worker would hold a private copy of the whole index in memory.
COMPOUND = False


@dataclass
class BuildReport:
    """What a build did: counts, problems with their reasons, and how long it took."""

    files: int = 0
    unchanged_files: int = 0
    articles: int = 0
    unchanged_articles: int = 0
    deleted: int = 0
    restored: int = 0
    left_as_printed: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    seconds: float = 0.0
    index_dir: str = ""
    rebuilt: bool = False
    stories: int = 0  # stories printed more than once (searcher.reprints)

    def count(self, article: Article) -> None:
        """Count an indexed article, and what the reader did to its body."""
        self.articles += 1
        if article.printed_paragraphs is not None:
            self.restored += 1
        elif article.repair.startswith("left as printed"):
            self.left_as_printed[article.repair] = self.left_as_printed.get(article.repair, 0) + 1

    def summary(self) -> str:
        """One line for the end of ``searcher index``."""
        parts = [f"{self.files} files", f"{self.articles} articles indexed"]
        if self.unchanged_files or self.unchanged_articles:
            parts.append(f"{self.unchanged_files} files and {self.unchanged_articles} articles unchanged")
        if self.deleted:
            parts.append(f"{self.deleted} deleted")
        parts += [
            f"{self.restored} restored to reading order",
            f"{len(self.problems)} skipped",
        ]
        if self.notices:
            parts.append(f"{len(self.notices)} notices")
        if self.stories:
            parts.append(f"{self.stories} stories printed more than once")
        parts += [
            f"{self.seconds:.1f} s",
        ]
        return ", ".join(parts) + f" → {self.index_dir}"


def _live(index_dir: Path, rebuild: bool) -> Index | None:
    """Open the live index to update, or return ``None`` when a fresh generation must be built."""
    try:
        ix = open_index(index_dir)
    except IndexMissingError:
        return None
    except (IndexOutdatedError, IndexDamagedError):
        if not rebuild:
            raise
        return None
    return None if rebuild else ix


def build(
    paths: Iterable[str | Path],
    index_dir: Path,
    rebuild: bool = False,
    progress: Progress | None = None,
    procs: int = 1,
) -> BuildReport:
    """Index the articles under ``paths`` into ``index_dir``.

    An article id is held once, by the first file that has it. A file or line that can't be read is reported in the
    result and everything else is still indexed. When nothing at all could be read, no index is created and a live
    one is left as it was.

    :param rebuild: build a fresh index (also when the existing one is outdated or damaged) and switch to it.
    :param progress: called by stage as work goes on (see :data:`Progress`).
    :param procs: processes that analyze and write segments in parallel, for a fresh build (an update writes in
        this process: it is small and has deletes to apply).
    :raises IndexOutdatedError, IndexDamagedError: when the index can't be updated and ``rebuild`` is false.
    :raises OSError: when the index can't be written (a full disk); the previous index is left as it was.
    :raises KeyboardInterrupt: when interrupted; the partial work is discarded and the live index is unchanged.
    """
    started = time.perf_counter()
    index_dir = Path(index_dir)
    report = BuildReport(index_dir=str(index_dir))
    live = _live(index_dir, rebuild)
    fresh = live is None
    sources = {} if fresh else read_sources(live_path(index_dir))
    files, problems = expand(paths)
    report.problems.extend(problems)
    work = _read(files, sources, report, progress)  # the reading stage first, so that progress knows the total
    gone = [] if fresh else _vanished(paths, files, sources)
    if fresh and not work:
        # A build that read nothing (a mistyped path) creates no empty index and never replaces a live one.
        kept = "the index was not rebuilt" if (index_dir / CURRENT).exists() else "no index was created"
        report.problems.append(Problem(str(index_dir), f"nothing could be read: {kept}"))
        report.seconds = time.perf_counter() - started
        return report
    if not fresh and not work and not gone:
        ensure_arrays(live)  # a build killed after its commit left a segment without them
        report.seconds = time.perf_counter() - started
        return report  # nothing changed: no writer, no commit
    if fresh:
        index_dir.mkdir(parents=True, exist_ok=True)
        ix, target = new_generation(index_dir)
    else:
        ix, target = live, live_path(index_dir)
    report.rebuilt = fresh
    _write_and_commit(ix, target, work, gone, sources, fresh, procs, report, progress)
    for key, digest, _, problems, notices in work:
        sources[key] = {
            "sha1": digest,
            "problems": [[p.reason, p.line] for p in problems],
            "notices": [[n.line, n.message] for n in notices],
        }
    write_json(target / SOURCES, sources)
    if fresh:
        switch(index_dir, target)
    report.seconds = time.perf_counter() - started
    return report


def _write_and_commit(  # noqa: PLR0913, PLR0917
    ix: Index,
    target: Path,
    work: list[_Work],
    gone: list[str],
    sources: dict[str, dict],
    fresh: bool,
    procs: int,
    report: BuildReport,
    progress: Progress | None,
) -> None:
    """Write the articles read, delete those of vanished files, and commit; on any failure leave no trace.

    A fresh build goes to :func:`searcher.writing.write_parallel` (segments written in one pass by ``procs``
    worker processes); an update is written here with Whoosh's own writer, which applies its deletions.
    """
    if fresh:
        documents = [doc for _, doc in _changes(work, None, fresh, report)]
        try:
            written = write_parallel(
                ix, documents, max(1, procs), WRITER_MB, CODEC, progress=progress, counted=WORD_FIELDS
            )
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
    else:
        writer = ix.writer(limitmb=WRITER_MB, compound=COMPOUND, codec=CODEC)
        try:
            with ix.searcher() as searcher:
                for action, change in _changes(work, searcher, fresh, report, progress):
                    if action == "delete":
                        report.deleted += writer.delete_by_term("id", change)
                    else:
                        writer.update_document(**change)
            for key in gone:
                report.deleted += writer.delete_by_term("source_key", key)
                sources.pop(key, None)
            if progress:
                progress("writing", 0, 0)
            writer.commit()
        except BaseException:
            writer.cancel()
            _discard_partial(ix, target)
            raise
        ensure_arrays(ix)  # the new segment's (and a merged segment's) suffix arrays, from their stored fields
    write_manifest(ix, target)
    write_words(ix, target, written.frequencies if fresh else None, procs=max(1, procs))
    report.stories = write_reprints(ix, target, procs=max(1, procs))


def _discard_partial(ix: Index, folder: Path) -> None:
    """Remove what a failed update left in the live folder: the pool's temporary files and unpublished segments.

    Whoosh's ``cancel`` leaves them, and on a full disk they hold the space a retry needs.
    """
    published = {segment.segment_id() for segment in ix._segments()}  # Whoosh has no public way to list them
    for entry in folder.iterdir():
        if entry.is_dir() and entry.name.endswith(".tmp"):
            shutil.rmtree(entry, ignore_errors=True)
        elif (
            entry.is_file()
            and entry.name.startswith(f"{ix.indexname}_")
            and entry.name != f"{ix.indexname}_WRITELOCK"
            and not entry.name.startswith(tuple(published))
        ):
            entry.unlink(missing_ok=True)


_Work = tuple[str, str, list[Article], list[Problem], list[Notice]]


def _read(files: list[Path], sources: dict[str, dict], report: BuildReport, progress: Progress | None) -> list[_Work]:
    """Read every file whose bytes changed since the last build; return ``(key, sha1, articles, problems, notices)``.

    An unchanged file is not read again, but what its last reading reported is reported again.
    """
    work = []
    for done, path in enumerate(files, 1):
        if progress:
            progress("reading", done, len(files))
        key = str(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            report.problems.append(Problem(key, f"can't be read ({error.strerror or error})"))
            continue
        digest = hashlib.sha1(data).hexdigest()
        known = sources.get(key, {})
        if known.get("sha1") == digest:
            report.unchanged_files += 1
            report.problems.extend(Problem(key, reason, line) for reason, line in known.get("problems", []))
            report.notices.extend(Notice(key, line, message) for line, message in known.get("notices", []))
            continue
        articles, problems, notices = read_file(path, data)
        report.problems.extend(problems)
        report.notices.extend(notices)
        if articles or not problems:
            work.append((key, digest, articles, problems, notices))
    return work


def _vanished(paths: Iterable[str | Path], files: list[Path], sources: dict[str, dict]) -> list[str]:
    """Return the indexed files that were under a folder being indexed and are gone from it."""
    folders = [Path(p).resolve() for p in paths if Path(p).is_dir()]
    present = {str(f) for f in files}
    return [
        key
        for key in sources
        if key not in present and not Path(key).exists() and any(Path(key).is_relative_to(d) for d in folders)
    ]


def _changes(
    work: list[_Work],
    searcher: object | None,
    fresh: bool,
    report: BuildReport,
    progress: Progress | None = None,
) -> Iterator[tuple[str, object]]:
    """Yield what the articles read change in the index: ``("add", document)`` or ``("delete", id)``.

    An article id is held once, by the first file that has it; in an update only records whose content hash changed
    are written, and the records a changed file no longer has are deleted. ``progress`` hears of every article as
    its change is taken (the one-process build analyzes it then).
    """
    total = sum(len(articles) for _, _, articles, _, _ in work)
    done = 0
    seen: dict[str, str] = {}
    for key, _, articles, _, _ in work:
        report.files += 1
        before = {} if fresh else {d["id"]: d.get("digest") for d in searcher.documents(source_key=key)}
        for article in articles:
            done += 1
            if progress and done % 200 == 0:
                progress("indexing", done, total)
            if article.id in seen:
                report.problems.append(
                    Problem(key, f"duplicate id {article.id!r} (kept the one in {seen[article.id]})")
                )
                continue
            seen[article.id] = key
            doc = document(article, key)
            if before.pop(article.id, None) == doc["digest"]:
                report.unchanged_articles += 1
                continue
            report.count(article)
            yield "add", doc
        for stale in before:
            yield "delete", stale
    if progress:
        progress("indexing", total, total)
