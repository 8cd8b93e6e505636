"""Issue 13's goals, each measured in one run as a ratio against a reference run beside it.

    python benchmarks/bench_scale.py            # the real sizes (takes several minutes)
    python benchmarks/bench_scale.py --quick    # tiny sizes: checks the benchmarks work (CI)

Goals (docs/performance.md has the figures):
  cold query, 1,000 YAML files          at most 10 s
  cold query, 1,000 JSON files          no slower than jq on the same files
  warm query, 5,000 files               at most 1.0 s; peak memory at most 2x that of 100 files
  validate, 1,000 files                 at most 10 s
  export --sqlite, 5,000 files          per-file cost within 1.2x that of 100 files; under 300 MB
  PDF extraction                        at most 0.35x a naive pdfplumber pass, every fixture PDF
  text extract                          at most 2.5x `htreport --help`

Every command runs in a fresh process (imports included), each cold run with an empty cache
(deleted after the run), and written data is flushed before each command.
Timed pairs are interleaved and the median is kept, so a busy machine slows both sides alike.
jq is the reference for JSON; without it that line says so and the rest still runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW_REPORT = ROOT / "data" / "raw" / "nap-2014-2015-annual-report.txt"
PDFS = [ROOT / "tests" / "fixtures" / "nap-2014-15-annual-report.pdf"] + sorted(
    (ROOT / "tests" / "fixtures" / "pdf").glob("variant-*.pdf")
)
HTREPORT = str(Path(sys.executable).with_name("htreport"))
#: jq's equivalent of `query deliverables --lead RCMP --format json` (one line per record).
JQ_PROGRAM = (
    ".metadata.fiscal_year as $report | .annex.pillars[] | .pillar as $pillar"
    ' | .objectives[].tasks[].deliverables[] | select(any(.leads[]; .department == "RCMP"))'
    " | {report: $report, pillar: $pillar, id, key, text, status}"
)


@dataclass
class Sizes:
    cold: int = 1000
    warm: int = 5000
    warm_small: int = 100
    validate: int = 1000
    export: int = 5000
    export_small: int = 100
    runs: int = 3
    pdf_runs: int = 3


QUICK = Sizes(
    cold=12, warm=40, warm_small=20, validate=20, export=40, export_small=20, runs=1, pdf_runs=1
)


@dataclass
class Outcome:
    seconds: float
    peak_mb: float
    stdout: bytes


#: Runs a command and writes its wall time and peak resident memory to the file named first.
#: It is measured from this small process, not from the benchmark: Linux counts in a child's
#: peak (`ru_maxrss`) the high-water mark of the process image it replaced at exec, so a
#: command started from the benchmark, which holds its corpora, would seem to use at least as
#: much memory as the benchmark itself (every warm query showed about 90 to 145 MB; alone, a
#: warm query over 100 files peaks at about 25 MB).
LAUNCHER = """
import os, subprocess, sys, time
started = time.perf_counter()
process = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(process.pid, 0)
seconds = time.perf_counter() - started
with open(sys.argv[1], "w", encoding="ascii") as report:
    report.write(f"{seconds!r} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run(command: list[str], env: dict[str, str] | None = None) -> Outcome:
    """Run a command to its end: wall time, peak resident memory (its own) and output.

    Written data still in the page cache is flushed first, outside the timing: otherwise the
    kernel writes back earlier runs' files (150 MB for a cold query's cache, gigabytes after
    the export) while this command runs, and slows it for what others did."""
    os.sync()
    with (
        tempfile.TemporaryFile() as output,
        tempfile.TemporaryFile() as errors,
        tempfile.NamedTemporaryFile("r", encoding="ascii") as measured,
    ):
        launcher = [sys.executable, "-c", LAUNCHER, measured.name, *command]
        returncode = subprocess.call(launcher, env=env, stdout=output, stderr=errors)
        if returncode not in (0, 1):
            errors.seek(0)
            error = errors.read()
            raise SystemExit(f"{' '.join(command)} failed ({returncode}): {error[-500:]!r}")
        seconds, peak_kb = measured.read().split()
        output.seek(0)
        return Outcome(float(seconds), int(peak_kb) / 1024, output.read())


def interleaved(runs: int, *commands: Callable[[], Outcome]) -> list[Outcome]:
    """Each command `runs` times, in turns; the median time (and its peak memory) of each."""
    samples: list[list[Outcome]] = [[] for _ in commands]
    for _ in range(runs):
        for index, command in enumerate(commands):
            samples[index].append(command())
    chosen = []
    for outcomes in samples:
        median = statistics.median(outcome.seconds for outcome in outcomes)
        chosen.append(min(outcomes, key=lambda outcome: abs(outcome.seconds - median)))
    return chosen


@cache
def report_text(fmt: str) -> str:
    import htreport

    return htreport.dumps(htreport.extract(RAW_REPORT), fmt)  # type: ignore[arg-type]


def build_corpus(directory: Path, count: int, fmt: str) -> None:
    """`count` copies of the real report (YAML or JSON), each with its own fiscal year."""
    directory.mkdir(parents=True, exist_ok=True)
    text = report_text(fmt)
    quote = '"' if fmt == "json" else ""
    year_field = f"{quote}fiscal_year{quote}: {quote}2014-2015{quote}"
    key_prefix = f"{quote}key{quote}: {quote}2014-2015/"
    assert year_field in text and key_prefix in text
    for number in range(count):
        start = 1990 + number % 50
        year = f"{start}-{start + 1}"
        variant = text.replace(year_field, year_field.replace("2014-2015", year))
        variant = variant.replace(key_prefix, key_prefix.replace("2014-2015", year))
        variant = variant.replace("2014-04-01", f"{start}-04-01")  # the period covered
        variant = variant.replace("2015-03-31", f"{start + 1}-03-31")
        (directory / f"plan-{number:05d}-{year}.{fmt}").write_text(variant, "utf-8")


class Bench:
    def __init__(self, sizes: Sizes, work: Path) -> None:
        self.sizes = sizes
        self.work = work
        self.lines: list[str] = []
        self.caches = 0

    def report(self, goal: str, figure: str, verdict: bool | None) -> None:
        if self.sizes is QUICK:  # sizes too small for the goals to mean anything
            verdict = None
        mark = "" if verdict is None else ("  ok" if verdict else "  MISSED")
        line = f"{goal:<44} {figure}{mark}"
        self.lines.append(line)
        print(line, flush=True)

    def env(self, cache: Path | None = None) -> dict[str, str]:
        if cache is None:
            self.caches += 1
            cache = self.work / f"cache-{self.caches}"
        return {**os.environ, "HTREPORT_CACHE_DIR": str(cache)}

    def query(self, corpus: Path, cache: Path | None = None) -> Callable[[], Outcome]:
        """A query over `corpus`: with `cache`, that cache; without, a new empty one (cold),
        deleted after the run, so that each cold run starts from the same state of the disk
        and of memory (a cold query writes 150 MB of cache per 1,000 files; kept, every
        further run put its own into memory the machine had not used yet, which a virtual
        machine hands out slowly: five runs in a row took 1.78 s, then 1.92 to 2.59 s)."""
        command = [HTREPORT, "query", "deliverables", str(corpus), "--lead", "RCMP"]

        def one_run() -> Outcome:
            env = self.env(cache)
            try:
                return run([*command, "--format", "json"], env)
            finally:
                if cache is None:
                    shutil.rmtree(env["HTREPORT_CACHE_DIR"], ignore_errors=True)

        return one_run

    def help(self) -> Callable[[], Outcome]:
        return lambda: run([HTREPORT, "--help"])

    def load(self) -> None:
        """In process: one file through the fast path and through the careful (old) path."""
        sys.path.insert(0, str(ROOT / "src"))
        from htreport.store import io

        for fmt in ("yaml", "json"):
            text = report_text(fmt)
            timings: dict[str, list[float]] = {"fast": [], "careful": []}
            paths = {"fast": io.parse_document, "careful": io._parse_carefully}
            for _ in range(5 * self.sizes.runs):
                for name, parse in paths.items():
                    started = time.perf_counter()
                    parse(text, fmt, path="x")  # type: ignore[operator]
                    timings[name].append(time.perf_counter() - started)
            fast, careful = (statistics.median(timings[n]) for n in ("fast", "careful"))
            self.report(
                f"parse one {fmt.upper()} report",
                f"{fast / careful:6.2f} x the careful (old) path "
                f"({fast * 1000:.1f} ms vs {careful * 1000:.1f} ms)",
                None,
            )

    def cold(self) -> None:
        count = self.sizes.cold
        yaml_dir, json_dir = self.work / "cold-yaml", self.work / "cold-json"
        build_corpus(yaml_dir, count, "yaml")
        build_corpus(json_dir, count, "json")
        help_, yaml_run = interleaved(self.sizes.runs, self.help(), self.query(yaml_dir))
        self.report(
            f"cold query, {count} YAML files",
            f"{yaml_run.seconds:6.2f} s ({yaml_run.seconds / help_.seconds:.0f}x --help)",
            yaml_run.seconds <= 10 * count / 1000,
        )
        jq = shutil.which("jq")
        if jq is None:
            json_run = self.query(json_dir)()
            self.report(
                f"cold query, {count} JSON files",
                f"{json_run.seconds:6.2f} s; jq not installed: no reference (apt-get install jq)",
                None,
            )
            return
        files = sorted(str(path) for path in json_dir.iterdir())
        jq_run, json_run = interleaved(
            self.sizes.runs, lambda: run([jq, "-c", JQ_PROGRAM, *files]), self.query(json_dir)
        )
        self.report(
            f"cold query, {count} JSON files, vs jq",
            f"{json_run.seconds / jq_run.seconds:6.2f} x jq "
            f"({json_run.seconds:.2f} s, jq {jq_run.seconds:.2f} s)",
            json_run.seconds <= jq_run.seconds,
        )

    def warm(self) -> None:
        outcomes = {}
        for count in (self.sizes.warm_small, self.sizes.warm):
            corpus, cache = self.work / f"warm-{count}", self.work / f"warm-cache-{count}"
            build_corpus(corpus, count, "yaml")
            self.query(corpus, cache)()  # fills the cache
            time.sleep(2.1)  # past the racy window: the next run settles the entries
            self.query(corpus, cache)()
            outcomes[count] = (corpus, cache)
        small, large = interleaved(
            self.sizes.runs,
            self.query(*outcomes[self.sizes.warm_small]),
            self.query(*outcomes[self.sizes.warm]),
        )
        count = self.sizes.warm
        self.report(
            f"warm query, {count} files",
            f"{large.seconds:6.2f} s ({small.seconds:.2f} s for {self.sizes.warm_small})",
            large.seconds <= 1.0 * max(1, count / 5000),
        )
        self.report(
            f"warm query peak memory, {count} vs {self.sizes.warm_small}",
            f"{large.peak_mb / small.peak_mb:6.2f} x ({large.peak_mb:.0f} MB vs "
            f"{small.peak_mb:.0f} MB)",
            large.peak_mb <= 2 * small.peak_mb,
        )

    def validate(self) -> None:
        count = self.sizes.validate
        corpus = self.work / "cold-yaml"
        if not corpus.exists() or len(list(corpus.iterdir())) != count:
            corpus = self.work / "validate"
            build_corpus(corpus, count, "yaml")
        help_, validated = interleaved(
            self.sizes.runs,
            self.help(),
            lambda: run([HTREPORT, "validate", str(corpus), "--format", "text"]),
        )
        self.report(
            f"validate, {count} files",
            f"{validated.seconds:6.2f} s ({validated.seconds / help_.seconds:.0f}x --help)",
            validated.seconds <= 10 * count / 1000,
        )

    def export(self) -> None:
        """`export --sqlite` over a small and a large corpus, each with an empty cache."""
        runs = {}
        for count in (self.sizes.export_small, self.sizes.export):
            corpus = self.work / f"warm-{count}"
            if not corpus.exists():
                build_corpus(corpus, count, "yaml")
            target = self.work / f"export-{count}.sqlite"
            command = [HTREPORT, "export", str(corpus), "--sqlite", str(target), "--force"]
            runs[count] = run(command, self.env())
        small, large = runs[self.sizes.export_small], runs[self.sizes.export]
        per_file = (large.seconds / self.sizes.export) / (small.seconds / self.sizes.export_small)
        self.report(
            f"export --sqlite, {self.sizes.export} files",
            f"{per_file:6.2f} x the per-file cost of {self.sizes.export_small} "
            f"({large.seconds:.1f} s vs {small.seconds:.1f} s)",
            per_file <= 1.2,
        )
        self.report(
            f"export --sqlite peak memory, {self.sizes.export} files",
            f"{large.peak_mb:6.0f} MB ({small.peak_mb:.0f} MB for {self.sizes.export_small})",
            large.peak_mb < 300,
        )

    def pdf(self) -> None:
        pdfs = PDFS[-1:] if self.sizes is QUICK else PDFS
        for pdf in pdfs:
            naive = [sys.executable, __file__, "--naive-pdf", str(pdf)]
            reader = [sys.executable, __file__, "--read-pdf", str(pdf)]
            naive_run, reader_run = interleaved(
                self.sizes.pdf_runs, lambda n=naive: run(n), lambda r=reader: run(r)
            )
            ratio = _seconds(reader_run) / _seconds(naive_run)
            self.report(
                f"PDF reader, {pdf.name[:28]}",
                f"{ratio:6.2f} x naive pdfplumber",
                ratio <= 0.35,
            )

    def text_extract(self) -> None:
        command = [HTREPORT, "extract", str(RAW_REPORT), "--quiet", "--format", "json"]
        help_, extracted = interleaved(max(3, self.sizes.runs), self.help(), lambda: run(command))
        ratio = extracted.seconds / help_.seconds
        self.report(
            "text extract vs --help",
            f"{ratio:6.2f} x ({extracted.seconds:.2f} s, --help {help_.seconds:.2f} s)",
            ratio <= 2.5,
        )


def _seconds(outcome: Outcome) -> float:
    """The time a --naive-pdf/--read-pdf child measured itself (start-up left out)."""
    return float(outcome.stdout.decode().split()[-1])


def naive_pdf(path: Path) -> None:
    import pdfplumber

    started = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
    print(time.perf_counter() - started)


def read_pdf(path: Path) -> None:
    import pdfplumber  # noqa: F401 - imported before the clock starts, as in naive_pdf

    from htreport.readers.pdf import read_pdf as reader

    started = time.perf_counter()
    reader(path.read_bytes(), name=path.name)
    print(time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: check it all works")
    parser.add_argument("--runs", type=int, help="interleaved runs per pair (default 3)")
    parser.add_argument(
        "--only",
        choices=["load", "cold", "warm", "validate", "export", "pdf", "text"],
        action="append",
    )
    parser.add_argument("--naive-pdf", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--read-pdf", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.naive_pdf:
        naive_pdf(args.naive_pdf)
        return 0
    if args.read_pdf:
        read_pdf(args.read_pdf)
        return 0
    sizes = QUICK if args.quick else Sizes()
    if args.runs and not args.quick:
        sizes.runs = sizes.pdf_runs = args.runs
    chosen = args.only or ["load", "cold", "warm", "validate", "export", "pdf", "text"]
    with tempfile.TemporaryDirectory(prefix="htreport-scale-") as temporary:
        bench = Bench(sizes, Path(temporary))
        for name in chosen:
            {
                "load": bench.load,
                "cold": bench.cold,
                "warm": bench.warm,
                "validate": bench.validate,
                "export": bench.export,
                "pdf": bench.pdf,
                "text": bench.text_extract,
            }[name]()
    print(f"machine: {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
