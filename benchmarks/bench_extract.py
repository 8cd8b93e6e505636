"""Time text extraction of the shipped report (run by hand: python benchmarks/bench_extract.py).

Prints the median of several runs of `htreport.extract` on the 2014-2015 archived text, of
serialising it to YAML, and of `htreport extract` as a whole process (start-up included).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import htreport

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "raw" / "nap-2014-2015-annual-report.txt"


def median_seconds(function, runs: int = 20) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    htreport.extract(SOURCE)  # warm imports and the registry
    report = htreport.extract(SOURCE)
    extract = median_seconds(lambda: htreport.extract(SOURCE))
    dump = median_seconds(lambda: htreport.dumps(report))
    command = [sys.executable, "-m", "htreport", "extract", str(SOURCE)]
    process = median_seconds(
        lambda: subprocess.run(command, check=True, capture_output=True), runs=5
    )
    help_ = median_seconds(
        lambda: subprocess.run(
            [sys.executable, "-m", "htreport", "--help"], check=True, capture_output=True
        ),
        runs=5,
    )
    print(f"extract (library, {len(report.deliverables())} deliverables): {extract * 1000:.1f} ms")
    print(f"dumps to YAML: {dump * 1000:.1f} ms")
    print(f"htreport extract (whole process): {process * 1000:.0f} ms")
    print(f"htreport --help (start-up): {help_ * 1000:.0f} ms")


if __name__ == "__main__":
    main()
