"""Build or update the index from article files: full builds in parallel, updates by content hash.

* A **fresh build** (no index yet, ``--rebuild``, or after an analyzer change) writes a new generation, with Whoosh's
  multi-process writer when ``procs > 1``, and switches to it atomically (:func:`searcher.index.switch`).
* An **update** writes into the live generation and touches only what changed: a file whose bytes hash as last time
  is not even parsed; in a changed file only the records whose content hash changed are rewritten, records that
  disappeared are deleted, and so are the articles of files that disappeared from a folder being indexed.
  Re-running a build is always safe: nothing is added twice.

``sources.json`` (the hash of every file indexed) is written only after the index commit it describes, so a build
killed between the two re-reads those files next time instead of skipping them.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.index import Index

from searcher.articles import Article, Problem, expand, read_file
from searcher.index import (
    CURRENT,
    SOURCES,
    IndexDamagedError,
    IndexMissingError,
    IndexOutdatedError,
    document,
    live_path,
    new_generation,
    open_index,
    read_sources,
    switch,
    write_json,
    write_manifest,
)

__all__ = ["BuildReport", "build"]

WRITER_MB = 512  # the writer's in-memory posting pool, per process
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
    seconds: float = 0.0
    index_dir: str = ""
    rebuilt: bool = False

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
            f"{self.seconds:.1f} s",
        ]
        return ", ".join(parts) + f" → {self.index_dir}"


def _target(index_dir: Path, rebuild: bool) -> tuple[Index, Path, bool]:
    """Open the index to write: the live one, or a new generation. Return ``(index, folder, fresh)``."""
    try:
        ix = open_index(index_dir)
        if not rebuild:
            return ix, live_path(index_dir), False
    except IndexMissingError:
        pass
    except (IndexOutdatedError, IndexDamagedError):
        if not rebuild:
            raise
    ix, path = new_generation(index_dir)
    return ix, path, True


def build(
    paths: Iterable[str | Path],
    index_dir: Path,
    rebuild: bool = False,
    progress: Callable[[int, int], None] | None = None,
    procs: int = 1,
) -> BuildReport:
    """Index the articles under ``paths`` into ``index_dir``.

    An article id is held once, by the first file that has it. A file or line that can't be read is reported in the
    result and everything else is still indexed.

    :param rebuild: build a fresh index (also when the existing one is outdated or damaged) and switch to it.
    :param progress: called as ``progress(done, total)`` while articles are indexed.
    :param procs: processes that analyze and write segments in parallel, for a fresh build (an update writes in
        this process: it is small and has deletes to apply).
    :raises IndexOutdatedError, IndexDamagedError: when the index can't be updated and ``rebuild`` is false.
    :raises OSError: when the index can't be written (a full disk); the previous index is left as it was.
    """
    started = time.perf_counter()
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    report = BuildReport(index_dir=str(index_dir))
    ix, target, fresh = _target(index_dir, rebuild)
    report.rebuilt = fresh
    sources = {} if fresh else read_sources(target)
    files, problems = expand(paths)
    report.problems.extend(problems)
    work = _read(files, sources, report)  # the reading stage first, so that progress knows the total
    gone = [] if fresh else _vanished(paths, files, sources)
    if fresh and not work and (index_dir / CURRENT).exists():
        # A rebuild that read nothing (a mistyped path) must not replace the live index with an empty one.
        shutil.rmtree(target, ignore_errors=True)
        report.rebuilt = False
        report.problems.append(Problem(str(index_dir), "nothing could be read: the index was not rebuilt"))
        report.seconds = time.perf_counter() - started
        return report
    if not fresh and not work and not gone:
        report.seconds = time.perf_counter() - started
        return report  # nothing changed: no writer, no commit
    if fresh and procs > 1:
        # Whoosh's multi-process writer: each process analyzes its share and writes its own segment, and
        # multisegment keeps those segments instead of merging them in one process at the end.
        writer = ix.writer(procs=procs, limitmb=WRITER_MB, multisegment=True, compound=COMPOUND)
    else:
        writer = ix.writer(limitmb=WRITER_MB, compound=COMPOUND)
    try:
        with ix.searcher() as searcher:
            _write(writer, searcher, work, fresh, report, progress)
        for key in gone:
            report.deleted += writer.delete_by_term("source_key", key)
            sources.pop(key, None)
        writer.commit()
    except BaseException:
        writer.cancel()
        if fresh:
            shutil.rmtree(target, ignore_errors=True)
        else:
            _discard_partial(ix, target)
        raise
    write_manifest(ix, target)
    for key, digest, _ in work:
        sources[key] = {"sha1": digest}
    write_json(target / SOURCES, sources)
    if fresh:
        switch(index_dir, target)
    report.seconds = time.perf_counter() - started
    return report


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


def _read(files: list[Path], sources: dict[str, dict], report: BuildReport) -> list[tuple[str, str, list[Article]]]:
    """Read every file whose bytes changed since the last build; return ``(key, sha1, articles)`` for each."""
    work = []
    for path in files:
        key = str(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            report.problems.append(Problem(key, f"can't be read ({error.strerror or error})"))
            continue
        digest = hashlib.sha1(data).hexdigest()
        if sources.get(key, {}).get("sha1") == digest:
            report.unchanged_files += 1
            continue
        articles, problems = read_file(path, data)
        report.problems.extend(problems)
        if articles or not problems:
            work.append((key, digest, articles))
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


def _write(  # noqa: PLR0913, PLR0917
    writer: object,
    searcher: object,
    work: list[tuple[str, str, list[Article]]],
    fresh: bool,
    report: BuildReport,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Add the articles read to ``writer``; in an update, only the records that changed."""
    total = sum(len(articles) for _, _, articles in work)
    seen: dict[str, str] = {}
    done = 0
    for key, _, articles in work:
        report.files += 1
        before = {} if fresh else {d["id"]: d.get("digest") for d in searcher.documents(source_key=key)}
        for article in articles:
            done += 1
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
            (writer.add_document if fresh else writer.update_document)(**doc)
            report.count(article)
            if progress and done % 200 == 0:
                progress(done, total)
        for stale in before:
            report.deleted += writer.delete_by_term("id", stale)
    if progress:
        progress(done, total)
