"""Time `htreport.extract` of the 2014-2015 report as HTML and as Markdown against its text.

    python benchmarks/bench_formats.py [--runs N] [--quick]

The text form is the reference: the HTML form (a full Government of Canada page, furniture
and all) must take no more than 1.5 times as long (exit 1 otherwise). Runs are interleaved
and the median is printed, so a busy machine slows every form alike; imports are paid before
timing starts (the command line pays lxml's import, about 20 ms, once per process).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

FORMS = {
    "text": ROOT / "data" / "raw" / "nap-2014-2015-annual-report.txt",
    "html": ROOT / "tests" / "fixtures" / "formats" / "nap-2014-2015.html",
    "markdown": ROOT / "tests" / "fixtures" / "formats" / "nap-2014-2015.md",
}
LIMIT = 1.5


def extract(path: Path) -> int:
    import htreport

    return len(htreport.extract(path).deliverables())


def read_only(path: Path) -> int:
    from htreport.readers import read_source

    return len(read_source(path).lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="3 runs, for a smoke test")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    for path in FORMS.values():  # warm up: imports, the department registry, caches
        assert extract(path) == 72, path
    times: dict[str, dict[str, list[float]]] = {name: {"extract": [], "read": []} for name in FORMS}
    for _ in range(runs):
        for name, path in FORMS.items():
            for kind, function in (("extract", extract), ("read", read_only)):
                start = time.perf_counter()
                function(path)
                times[name][kind].append(time.perf_counter() - start)
    medians = {
        name: {kind: statistics.median(values) for kind, values in kinds.items()}
        for name, kinds in times.items()
    }
    reference = medians["text"]["extract"]
    print(f"median of {runs} runs (ms)    extract   reader only   size")
    for name, path in FORMS.items():
        size = path.stat().st_size // 1024
        print(
            f"  {name:<24}{medians[name]['extract'] * 1000:8.1f}"
            f"{medians[name]['read'] * 1000:14.1f}{size:7d} KiB"
        )
    ratios = {name: medians[name]["extract"] / reference for name in ("html", "markdown")}
    for name, ratio in ratios.items():
        print(f"{name} / text: {ratio:.2f}x (limit for html: {LIMIT}x)")
    if ratios["html"] > LIMIT:
        print("FAIL: the HTML form is more than 1.5x slower than the text form")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
