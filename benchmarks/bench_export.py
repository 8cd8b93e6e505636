"""Time `htreport export --sqlite` against the pre-issue-15 export, and check that it scales.

Builds a corpus of copies of the real 2014-2015 report (as bench_query.py does), then, each in
a fresh process that reports its own peak memory:

* the reference (benchmarks/reference_export.py: the old hand-written DDL, whole corpus in
  memory) and the current export (sqlite-utils, streamed) over `--files` files: the ratio is
  the bar of issue 15 (at most 1.5);
* with `--scale N`, the current export over 100 files and over N files: the per-file cost
  of the large run relative to the small one (linear when close to 1.0) and its peak memory.

    python benchmarks/bench_export.py [--files 1000] [--scale 5000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_query import build_corpus  # noqa: E402

CHILD = """
import json, resource, sys, time
from pathlib import Path
which, corpus, target = sys.argv[1:4]
started = time.perf_counter()
if which == "reference":
    sys.path.insert(0, sys.argv[4])
    from reference_export import build_tables, write_sqlite
    from htreport.store.corpus import load_reports
    reports, _ = load_reports([Path(corpus)])
    write_sqlite(build_tables(reports), Path(target))
else:
    from htreport.export.targets import Targets, export_corpus
    export_corpus(Targets(sqlite=Path(target)), [Path(corpus)])
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak}))
"""


def run(which: str, corpus: Path, target: Path) -> dict[str, float]:
    target.unlink(missing_ok=True)
    command = [sys.executable, "-c", CHILD, which, str(corpus), str(target)]
    command.append(str(Path(__file__).resolve().parent))
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def corpus_of(root: Path, count: int) -> Path:
    directory = root / f"corpus-{count}"
    if not directory.exists():
        directory.mkdir()
        build_corpus(directory, count)
    return directory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--scale", type=int, default=0, help="also time this many files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="htreport-bench-") as temporary:
        root = Path(temporary)
        corpus = corpus_of(root, args.files)
        target = root / "out.sqlite"
        reference = run("reference", corpus, target)
        current = run("current", corpus, target)
        ratio = current["seconds"] / reference["seconds"]
        print(
            f"{args.files} files: reference {reference['seconds']:.1f} s "
            f"({reference['peak_mb']:.0f} MB peak), current {current['seconds']:.1f} s "
            f"({current['peak_mb']:.0f} MB peak): ratio {ratio:.2f} (bar: 1.5)"
        )
        if args.scale:
            small = run("current", corpus_of(root, 100), target)
            large = run("current", corpus_of(root, args.scale), target)
            per_file = (large["seconds"] / args.scale) / (small["seconds"] / 100)
            print(
                f"scale: 100 files {small['seconds']:.1f} s, {args.scale} files "
                f"{large['seconds']:.1f} s ({large['peak_mb']:.0f} MB peak): per-file cost "
                f"{per_file:.2f} x the 100-file run (bar: 1.2; memory bar: 300 MB)"
            )


if __name__ == "__main__":
    main()
