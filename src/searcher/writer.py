"""Parallel fresh builds: forked workers, each writing its share of the documents into segments of its own.

Whoosh's own multi-process writer (``MpWriter``) pickles the documents to job files, and its parent only knows
when documents were *handed out*: a progress bar reached 100 % while the workers still analyzed, and Ctrl-C left
worker processes printing tracebacks (its ``cancel`` only flags the parent's copies of the tasks).
:func:`write_parallel` instead forks ``procs`` workers that inherit the documents (nothing is pickled), counts in
shared memory the documents each has analyzed and then written, so progress follows the real work, and stops the
workers itself when interrupted. Each worker writes one segment, its memory bounded by Whoosh's posting pool
(which spills sorted runs to disk past ``limitmb``); the parent publishes every segment in one commit, without
merging them (as ``multisegment`` does).

The segments themselves are written by Whoosh's ``SegmentWriter``, unchanged. A writer that skipped the posting
pool's external sort was tried and measured: on 2,000 news items it built in 30.9 s against 30.5 s, because at
that size the pool never spills to disk and the commit's time goes to writing each term's block through the codec
(a pickle and a zlib call per term, which :class:`searcher.index.Codec` now spares the rare terms by storing them
inline), not to sorting; it was not kept (see BENCHMARKS.md).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
from collections.abc import Callable, Sequence
from typing import Any

from whoosh.index import Index
from whoosh.writing import SegmentWriter

__all__ = ["write_parallel"]


def _worker(  # noqa: PLR0913, PLR0917
    ix: Index,
    documents: Sequence[dict],
    share: range,
    kwargs: dict,
    counters: tuple[Any, Any],
    results: Any,
) -> None:
    """Write ``documents[share]`` into a new segment; put the segment objects on ``results``."""
    done, written = counters
    parent = os.getppid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        segments = []
        if share:
            writer = SegmentWriter(ix, _lk=False, **kwargs)
            for n in share:
                if n % 32 == 0 and os.getppid() != parent:
                    os._exit(1)  # the parent was killed (kill -9): its build is void, so stop rather than orphan on
                writer.add_document(**documents[n])
                with done.get_lock():
                    done.value += 1
            segments.append(writer._finalize_segment())
            with written.get_lock():
                written.value += len(share)
        results.put(("ok", segments))
    except BaseException as error:  # reported to the parent, which raises it
        results.put(("error", f"{type(error).__name__}: {error}"))


def write_parallel(
    ix: Index,
    documents: Sequence[dict],
    procs: int,
    limitmb: int,
    progress: Callable[[str, int, int], None] | None = None,
    **kwargs: Any,
) -> int:
    """Write ``documents`` into a fresh index with ``procs`` forked processes, and commit once.

    The documents are shared with the workers by ``fork`` (nothing is pickled); each worker takes a contiguous
    share, so document numbers keep the given order across segments.

    :param progress: called as ``progress(stage, done, total)`` while the workers analyze the documents
        (``"indexing"``) and then write their postings (``"writing"``), counted in documents.
    :return: the number of segments written (one per worker that had documents).
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
                dict(kwargs, limitmb=limitmb),
                (done, written),
                results,
            ),
            daemon=True,
        )
        for i in range(procs)
    ]
    parent = SegmentWriter(ix, **kwargs)  # holds the write lock and publishes the commit
    try:
        for worker in workers:
            worker.start()
        outcomes = _collect(workers, results, (done, written), len(documents), progress)
        failures = [detail for status, detail in outcomes if status == "error"]
        if failures:
            raise RuntimeError("a worker process failed: " + "; ".join(failures))
        segments = [segment for _, found in outcomes for segment in found]
        parent._close_segment()
        parent._commit_toc(list(parent.segments) + segments)
        parent._finish()
        return len(segments)
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
                outcomes += [("error", f"a worker exited without a result (exit codes {codes})")] * (
                    len(workers) - len(outcomes)
                )
    report()
    for worker in workers:
        worker.join()
    return outcomes
