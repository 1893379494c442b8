"""Map a function over many items on forked processes: the build's CPU-bound side tables (pinyin readings, MinHashes).

Forked, so that the workers share what the parent loaded (pypinyin's tables, jieba's dictionary) and nothing but the
items and results is pickled. The items are dealt out interleaved (each chunk gets short and long ones alike), and
the results come back in the items' order.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

__all__ = ["forked_map"]

Item = TypeVar("Item")
Result = TypeVar("Result")


def _each(function: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    return [function(item) for item in items]


def forked_map(function: Callable[[Item], Result], items: Sequence[Item], procs: int, minimum: int) -> list[Result]:
    """Return ``[function(item) for item in items]``, on ``procs`` forked processes when there are ``minimum`` items
    or more (fewer are done in this process: forking would cost more than it saves)."""
    if procs < 2 or len(items) < minimum:
        return _each(function, items)
    parts = procs * 4
    chunks = [items[i::parts] for i in range(parts)]
    with ProcessPoolExecutor(procs, mp_context=multiprocessing.get_context("fork")) as pool:
        done = list(pool.map(_each, [function] * parts, chunks))
    results: list = [None] * len(items)
    for i, chunk in enumerate(done):
        results[i::parts] = chunk
    return results
