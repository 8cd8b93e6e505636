"""Run one function over many files in worker processes when there are enough to pay for them."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from itertools import repeat
from typing import Any, TypeVar

from htreport.settings import worker_count

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
) -> list[Result]:
    """`[function(item, *arguments) for item in items]`, in order, in `jobs` processes (default:
    one per CPU) when there are at least `threshold` items; in this process otherwise.

    `function` must be importable by name and its results picklable; it should return errors
    rather than raise them, so that one bad file does not lose the others' results."""
    if not in_processes(len(items), jobs, threshold):
        return [function(item, *arguments) for item in items]
    jobs = worker_count(jobs, len(items))
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        chunk = max(1, len(items) // (jobs * 4))
        columns = [repeat(argument) for argument in arguments]
        return list(pool.map(function, items, *columns, chunksize=chunk))
