"""Parallel fresh builds: forked workers, each writing its share of the documents into segments of its own.

Whoosh's own multi-process writer (``MpWriter``) pickles the documents to job files, and its parent only knows
when documents were *handed out*: a progress bar reached 100 % while the workers still analyzed, and Ctrl-C left
worker processes printing tracebacks (its ``cancel`` only flags the parent's copies of the tasks).
:func:`write_parallel` instead forks ``procs`` workers that inherit the documents (nothing is pickled), counts in
shared memory the documents each has analyzed and then written, so progress follows the real work, and stops the
workers itself when interrupted. Each worker builds its segments with :class:`~searcher.writing.SegmentBuilder`,
starting a new one whenever the postings it holds reach ``limitmb``, so its memory stays bounded; the parent
publishes every segment in one commit, without merging them (as Whoosh's ``multisegment`` does).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import signal
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from whoosh.codec.base import Codec
from whoosh.index import Index
from whoosh.writing import SegmentWriter

from searcher.writing.segment import SegmentBuilder

__all__ = ["Written", "write_parallel"]


@dataclass
class Written:
    """What :func:`write_parallel` wrote: how many segments, and the document frequency of the counted fields' terms."""

    segments: int
    frequencies: dict[str, int] = field(default_factory=dict)


def _worker(  # noqa: PLR0913, PLR0917
    ix: Index,
    documents: Sequence[dict],
    share: range,
    settings: tuple[Codec, int, tuple[str, ...]],
    counters: tuple[Any, Any],
    results: Any,
) -> None:
    """Write ``documents[share]`` into new segments; put the segment objects and term counts on ``results``."""
    codec, limitmb, counted = settings
    done, written = counters
    parent = os.getppid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # No cyclic garbage collection in a worker: nothing it holds (term lists, the parent's documents) has cycles, and
    # a full collection would walk millions of objects and touch the inherited pages (measured: no faster, no slower).
    gc.disable()
    try:
        segments = []
        frequencies: Counter[str] = Counter()
        builder = None
        for n in share:
            if n % 32 == 0 and os.getppid() != parent:
                os._exit(1)  # the parent was killed (kill -9): its build is void, so stop rather than orphan on
            builder = builder or SegmentBuilder(ix, codec, limitmb)
            builder.add_document(**documents[n])
            with done.get_lock():
                done.value += 1
            if builder.full:
                segments.append(_finish(builder, written, counted, frequencies))
                builder = None
        if builder:
            segments.append(_finish(builder, written, counted, frequencies))
        results.put(("ok", share.start, segments, frequencies))
    except BaseException as error:  # reported to the parent, which raises it
        results.put(("error", share.start, f"{type(error).__name__}: {error}", None))


def _finish(builder: SegmentBuilder, written: Any, counted: tuple[str, ...], frequencies: Counter[str]) -> object:
    """Write a builder's segment, add its terms' document frequencies, and count its documents as written."""
    frequencies.update(builder.document_frequencies(counted))
    segment = builder.finish()
    with written.get_lock():
        written.value += builder.doc_count
    return segment


def write_parallel(  # noqa: PLR0913, PLR0917
    ix: Index,
    documents: Sequence[dict],
    procs: int,
    limitmb: int,
    codec: Codec,
    progress: Callable[[str, int, int], None] | None = None,
    counted: tuple[str, ...] = (),
) -> Written:
    """Write ``documents`` into a fresh index with ``procs`` forked processes, and commit once.

    The documents are shared with the workers by ``fork`` (nothing is pickled); each worker takes a contiguous
    share, so document numbers keep the given order across segments. One process is forked too when ``procs`` is
    1: the build's parent keeps its memory and its allocator settings.

    :param progress: called as ``progress(stage, done, total)`` while the workers analyze the documents
        (``"indexing"``) and then write their postings (``"writing"``), counted in documents.
    :param counted: fields whose terms' document frequencies are summed (over these fields and every segment) and
        returned, read from the postings as they are written (the spelling table's words, without a second pass).
    :return: the number of segments written (at least one per worker that had documents) and those frequencies.
    :raises RuntimeError: when a worker fails (its error is in the message); nothing is committed.
    """
    context = multiprocessing.get_context("fork")
    done = context.Value("i", 0)  # documents analyzed
    written = context.Value("i", 0)  # documents whose postings are written
    results = context.Queue()
    bounds = [len(documents) * i // procs for i in range(procs + 1)]
    workers = [
        context.Process(
            target=_worker,
            args=(
                ix,
                documents,
                range(bounds[i], bounds[i + 1]),
                (codec, limitmb, counted),
                (done, written),
                results,
            ),
            daemon=True,
        )
        for i in range(procs)
    ]
    parent = SegmentWriter(ix, codec=codec)  # holds the write lock and publishes the commit
    try:
        for worker in workers:
            worker.start()
        outcomes = _collect(workers, results, (done, written), len(documents), progress)
        failures = [detail for status, _, detail, _ in outcomes if status == "error"]
        if failures:
            raise RuntimeError("a worker process failed: " + "; ".join(failures))
        outcomes.sort(key=lambda outcome: outcome[1])  # in document order, whichever worker finished first
        segments = [segment for _, _, found, _ in outcomes for segment in found]
        frequencies: Counter[str] = Counter()
        for *_, counts in outcomes:
            frequencies.update(counts)
        parent._close_segment()
        parent._commit_toc(list(parent.segments) + segments)
        parent._finish()
        return Written(len(segments), dict(frequencies))
    except BaseException:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
        if not parent.is_closed:
            parent.cancel()
        raise


class _Reporter:
    """Turn the workers' shared counts into progress calls: analysis up to the total, then writing."""

    def __init__(self, progress: Callable | None, counters: tuple[Any, Any], total: int) -> None:
        self.progress, self.counters, self.total = progress, counters, total
        self.analyzed = False

    def __call__(self) -> None:
        if not self.progress:
            return
        done, written = (counter.value for counter in self.counters)
        if not self.analyzed:
            self.progress("indexing", min(done, self.total), self.total)
            self.analyzed = done >= self.total
        if self.analyzed:
            self.progress("writing", written, self.total)


def _collect(workers: list, results: Any, counters: tuple[Any, Any], total: int, progress: Callable | None) -> list:
    """Wait for every worker's result, reporting progress; a worker that dies without one is a failure."""
    report = _Reporter(progress, counters, total)
    outcomes = []
    while len(outcomes) < len(workers):
        report()
        try:
            outcomes.append(results.get(timeout=0.2))
            continue
        except queue.Empty:
            pass
        if not any(worker.is_alive() for worker in workers):
            try:  # a result still in flight from a worker that has just exited
                outcomes.append(results.get(timeout=1))
            except queue.Empty:
                codes = ", ".join(str(worker.exitcode) for worker in workers)
                outcomes += [("error", -1, f"a worker exited without a result (exit codes {codes})", None)] * (
                    len(workers) - len(outcomes)
                )
    report()
    for worker in workers:
        worker.join()
    return outcomes
