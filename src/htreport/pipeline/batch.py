"""Extract many sources, optionally in parallel, keeping going past bad files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from htreport.document import SourceFormat
from htreport.errors import HtreportError, OutputClashError, SourceError
from htreport.model.report import DocumentType, Report
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
    """File names for extracted reports, one per report and never two alike.

    An annual report is named by its fiscal year (2014-2015.yaml); another document with a
    fiscal year by the year and its type (2013-2014--news-release.yaml); a document without one
    by its source's stem. Reports that would still share a name are told apart by their source
    stem (2014-2015--a-text.yaml); if even that leaves two alike (a.txt and a.pdf of the same
    report), `OutputClashError` names them, before anything is written."""
    bases = [_base_name(report) for report in reports]
    names = []
    for base, report in zip(bases, reports, strict=True):
        if bases.count(base) > 1:
            base = f"{base}--{Path(report.source.file).stem}"
        names.append(f"{base}{suffix}")
    seen: dict[str, Report] = {}
    for name, report in zip(names, reports, strict=True):
        if name in seen:
            raise OutputClashError(
                f"{seen[name].source.file} and {report.source.file} would both be written as "
                f"{name}; rename one of the sources or extract them apart",
                path=report.source.file,
            )
        seen[name] = report
    return names


def _base_name(report: Report) -> str:
    metadata = report.metadata
    if not metadata.fiscal_year:
        return Path(report.source.file).stem
    kind = metadata.document_type
    if kind is None or kind is DocumentType.ANNUAL_REPORT:
        return metadata.fiscal_year
    return f"{metadata.fiscal_year}--{kind.value.replace('_', '-')}"
