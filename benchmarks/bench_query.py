"""Time `htreport query deliverables --lead RCMP --format json` over 1,000 structured reports.

Builds the corpus in a temporary directory from the real 2014-2015 report (copies with varied
fiscal years), then runs the command in a fresh process: once with an empty cache (cold), then
several times with the cache filled (warm), then once after one file changed. Prints figures.

    python benchmarks/bench_query.py [--files 1000] [--runs 5] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW_REPORT = ROOT / "data" / "raw" / "nap-2014-2015-annual-report.txt"


def build_corpus(directory: Path, count: int) -> None:
    """`count` copies of the real report, each with its own fiscal year and keys."""
    import htreport

    text = htreport.dumps(htreport.extract(RAW_REPORT), "yaml")
    assert "fiscal_year: 2014-2015" in text
    for number in range(count):
        start = 1990 + number % 50  # 50 distinct years, 20 plans each
        year = f"{start}-{start + 1}"
        variant = text.replace("fiscal_year: 2014-2015", f"fiscal_year: {year}")
        variant = variant.replace("key: 2014-2015/", f"key: {year}/")
        (directory / f"plan-{number:04d}-{year}.yaml").write_text(variant, "utf-8")


def run(command: list[str], env: dict[str, str]) -> tuple[float, bytes]:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, check=True)
    return time.perf_counter() - started, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5, help="warm runs (median reported)")
    args = parser.parse_args()

    htreport_bin = str(Path(sys.executable).with_name("htreport"))
    with tempfile.TemporaryDirectory(prefix="htreport-bench-") as temporary:
        corpus = Path(temporary) / "corpus"
        corpus.mkdir()
        started = time.perf_counter()
        build_corpus(corpus, args.files)
        size = sum(p.stat().st_size for p in corpus.iterdir())
        print(
            f"corpus: {args.files} files, {size / 1e6:.1f} MB, "
            f"built in {time.perf_counter() - started:.1f} s"
        )

        env = {**os.environ, "HTREPORT_CACHE_DIR": str(Path(temporary) / "cache")}
        command = [
            htreport_bin,
            "query",
            "deliverables",
            str(corpus),
            "--lead",
            "RCMP",
            "--format",
            "json",
        ]

        startup, _ = run([htreport_bin, "--help"], env)
        print(f"htreport --help (process start-up):  {startup:6.2f} s")
        cold, output = run(command, env)
        records = json.loads(output)
        print(f"cold (empty cache):                  {cold:6.2f} s   {len(records)} records")
        # Files written moments ago are 'racy' (their timestamps cannot yet be trusted alone);
        # the first warm run checks their hashes and settles the cache entries.
        time.sleep(2.1)
        settling, _ = run(command, env)
        print(f"first warm run (hash check):         {settling:6.2f} s")
        warm = [run(command, env)[0] for _ in range(args.runs)]
        print(
            f"warm, median of {args.runs}:                 {statistics.median(warm):6.2f} s"
            f"   (min {min(warm):.2f}, max {max(warm):.2f})"
        )
        changed = corpus / sorted(os.listdir(corpus))[0]
        changed.write_text(
            changed.read_text("utf-8").replace("status: ongoing", "status: on_hold", 1), "utf-8"
        )
        after_edit, _ = run(command, env)
        print(f"warm after editing one file:         {after_edit:6.2f} s")
        no_cache, _ = run([*command, "--no-cache"], env)
        print(f"--no-cache:                          {no_cache:6.2f} s")
    print(f"machine: {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
