"""Run one function over many files in worker processes when there are enough to pay for them,
with the cyclic garbage collector kept from rescanning what is already loaded."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import repeat
from typing import Any, TypeVar

from htreport.settings import BULK_GC_THRESHOLD, worker_count

Item = TypeVar("Item")
Result = TypeVar("Result")


def in_processes(count: int, jobs: int | None, threshold: int) -> bool:
    """Whether `map_in_processes` runs `count` items in worker processes."""
    return (jobs or os.cpu_count() or 1) > 1 and count >= threshold


def map_in_processes(
    function: Callable[..., Result],
    items: Sequence[Item],
    *arguments: Any,
    jobs: int | None = None,
    threshold: int = 16,
    chunksize: int | None = None,
) -> list[Result]:
    """`[function(item, *arguments) for item in items]`, in order, in `jobs` processes (default:
    one per CPU) when there are at least `threshold` items; in this process otherwise. Items go
    to the workers `chunksize` at a time (default: `batch_size`).

    `function` must be importable by name and its results picklable; it should return errors
    rather than raise them, so that one bad file does not lose the others' results."""
    if not in_processes(len(items), jobs, threshold):
        return [function(item, *arguments) for item in items]
    jobs = worker_count(jobs, len(items))
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs, initializer=collect_rarely) as pool:
        chunk = chunksize or batch_size(len(items), jobs)
        columns = [repeat(argument) for argument in arguments]
        return list(pool.map(function, items, *columns, chunksize=chunk))


#: Items sent to a worker at a time: small enough that when one worker runs slower (a busy
#: machine) the other is not left idle at the end while it finishes a long chunk.
MAX_CHUNK = 16


def batch_size(count: int, workers: int) -> int:
    """Items per piece of work for `count` items over `workers` processes: a quarter of each
    worker's share, at most MAX_CHUNK."""
    return max(1, min(count // (workers * 4), MAX_CHUNK))


def collect_rarely() -> None:
    """Freeze everything alive now (modules, pydantic's schemas, what a forked worker
    inherits) out of the collector's view and run young collections less often. Loading a
    file makes hundreds of thousands of objects that reference counting frees; with the
    default threshold the collector would walk them all, and everything loaded, over and
    over. Worker processes start with this."""
    gc.freeze()
    first, second, third = gc.get_threshold()
    gc.set_threshold(max(first, BULK_GC_THRESHOLD), second, third)


@contextmanager
def bulk_load() -> Iterator[None]:
    """`collect_rarely` for the duration of a block; the collector is restored afterwards
    (what was frozen before the block, by `cli.main` say, stays frozen)."""
    thresholds = gc.get_threshold()
    frozen_before = gc.get_freeze_count() > 0
    collect_rarely()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if not frozen_before:
            gc.unfreeze()
