"""Extract many sources, optionally in parallel, keeping going past bad files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from htreport.document import SourceFormat
from htreport.errors import HtreportError, SourceError
from htreport.model.report import Report
from htreport.pipeline import extract


@dataclass(slots=True)
class Outcome:
    path: Path
    report: Report | None = None
    error: HtreportError | None = None


def list_sources(directory: Path) -> list[Path]:
    """Regular, non-hidden files directly in `directory`, sorted by name."""
    if not directory.is_dir():
        raise SourceError("no such directory", path=directory)
    return sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))


def _extract_one(
    path: Path, encoding: str | None, source_format: SourceFormat | None = None
) -> Outcome:
    try:
        return Outcome(path, report=extract(path, encoding=encoding, source_format=source_format))
    except HtreportError as error:
        return Outcome(path, error=error)
    except Exception as error:  # a bug on one file must not lose the rest of the batch
        message = f"unexpected error ({type(error).__name__}: {error}); please report this bug"
        return Outcome(path, error=HtreportError(message, path=path))


def extract_many(
    paths: list[Path],
    *,
    jobs: int = 1,
    encoding: str | None = None,
    source_format: SourceFormat | None = None,
    on_done: Callable[[Outcome], None] | None = None,
) -> Iterator[Outcome]:
    """Yield one Outcome per path, in input order; `jobs` > 1 uses worker processes."""
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            outcome = _extract_one(path, encoding, source_format)
            if on_done:
                on_done(outcome)
            yield outcome
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_extract_one, path, encoding, source_format) for path in paths]
        for future in futures:
            outcome = future.result()
            if on_done:
                on_done(outcome)
            yield outcome


def output_names(reports: list[Report], suffix: str) -> list[str]:
    """File names for extracted reports: the fiscal year (2014-2015.yaml), else the source stem.

    Two reports of the same year in one batch are told apart by their source stem."""
    bases = [r.metadata.fiscal_year or Path(r.source.file).stem for r in reports]
    names = []
    for base, report in zip(bases, reports, strict=True):
        if bases.count(base) > 1:
            base = f"{base}--{Path(report.source.file).stem}"
        names.append(f"{base}{suffix}")
    return names
