"""Ratio-based scaling checks: the time on a large input against a small one, in one run.

No absolute timings: the ratio of the best of a few runs at size n and at size k*n must stay
under a generous bound, which a linear algorithm meets on any machine and a quadratic (or
exponential) one misses by far.
"""

from __future__ import annotations

import time
from collections.abc import Callable

_RUNS = 3


def best_time(function: Callable[[], object], runs: int = _RUNS) -> float:
    """The shortest of `runs` timings of `function()` (the least noisy estimate)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def growth(make: Callable[[int], Callable[[], object]], small: int, factor: int) -> float:
    """How many times longer `make(small * factor)()` takes than `make(small)()`.

    The small case is repeated until it takes at least a millisecond, so the ratio measures the
    algorithm, not the timer."""
    small_call = make(small)
    small_call()  # warm caches (compiled patterns, imports)
    repeat = 1
    while True:
        elapsed = best_time(lambda n=repeat: [small_call() for _ in range(n)], runs=3)
        if elapsed >= 2e-3 or repeat >= 4096:
            break
        repeat *= 4
    large_call = make(small * factor)
    large = best_time(large_call, runs=3)
    return large / (elapsed / repeat)
