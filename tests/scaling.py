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


def growth(
    make: Callable[[int], Callable[[], object]],
    small: int,
    factor: int,
    bound: float | None = None,
    attempts: int = 3,
) -> float:
    """How many times longer `make(small * factor)()` takes than `make(small)()`.

    The small case is repeated until it takes at least a millisecond, so the ratio measures the
    algorithm, not the timer. With a `bound`, a ratio over it is measured again (up to
    `attempts` times in all) and the least is returned: on a loaded machine one run can be
    slowed by others, while a superlinear algorithm is over the bound every time."""
    ratio = _growth_once(make, small, factor)
    for _ in range(attempts - 1):
        if bound is None or ratio <= bound:
            break
        ratio = min(ratio, _growth_once(make, small, factor))
    return ratio


def _growth_once(make: Callable[[int], Callable[[], object]], small: int, factor: int) -> float:
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
