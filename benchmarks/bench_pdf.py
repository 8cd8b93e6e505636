"""Time `htreport extract` of the 2014-2015 PDF against a naive pdfplumber pass, in one run.

    /tmp/venv/bin/python benchmarks/bench_pdf.py [--runs N]

The naive pass is what a first attempt does: `extract_text()` and `extract_tables()` on every
page. htreport reads the glyphs from pdfminer's layout objects directly (no per-character
dicts) and asks pdfplumber's table finder only about the pages of Annex A. Runs are
interleaved and the median is printed, so a busy machine slows both sides alike. Also prints
the command-line time (a fresh process, imports included) and each variant fixture.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PDF = ROOT / "tests" / "fixtures" / "nap-2014-15-annual-report.pdf"
VARIANTS = sorted((ROOT / "tests" / "fixtures" / "pdf").glob("variant-*.pdf"))


def naive(path: Path) -> int:
    import pdfplumber

    tables = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            tables += len(page.extract_tables())
    return tables


def htreport_extract(path: Path) -> int:
    import htreport

    return len(list(htreport.extract(path).deliverables()))


def reader_only(path: Path) -> int:
    from htreport.readers.pdf import read_pdf

    return len(read_pdf(path.read_bytes(), name=path.name).lines)


def cli(path: Path) -> int:
    command = [sys.executable, "-m", "htreport", "extract", str(path), "--quiet"]
    return subprocess.run(command, check=True, stdout=subprocess.DEVNULL).returncode


def median_time(function, path: Path, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    import pdfplumber

    with pdfplumber.open(PDF) as pdf:
        pages = len(pdf.pages)
    htreport_extract(PDF)  # warm up imports and the department registry
    naive(PDF)
    samples: dict[str, list[float]] = {"naive": [], "extract": [], "reader": [], "cli": []}
    for _ in range(runs):  # interleaved
        samples["naive"].append(median_time(naive, PDF, 1))
        samples["extract"].append(median_time(htreport_extract, PDF, 1))
        samples["reader"].append(median_time(reader_only, PDF, 1))
        samples["cli"].append(median_time(cli, PDF, 1))
    result = {name: statistics.median(values) for name, values in samples.items()}
    print(f"{PDF.name}: {pages} pages, Annex A on 18 of them; median of {runs} interleaved runs")
    print(
        f"  naive pdfplumber (extract_text + extract_tables, every page) {result['naive']:6.2f} s"
    )
    print(
        f"  htreport.extract() (whole pipeline, in process)              {result['extract']:6.2f} s"
        f"   {result['extract'] / result['naive']:.2f} x naive"
    )
    print(
        f"  readers.pdf.read_pdf() (the PDF reader alone)                {result['reader']:6.2f} s"
        f"   {result['reader'] / result['naive']:.2f} x naive"
    )
    print(f"  htreport extract (command line, new process)                 {result['cli']:6.2f} s")
    for variant in VARIANTS:
        took = median_time(htreport_extract, variant, max(1, runs // 2))
        print(
            f"  {variant.name}: htreport.extract() {took:.2f} s, naive {median_time(naive, variant, 1):.2f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
