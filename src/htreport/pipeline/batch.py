"""Extract many sources, optionally in parallel, keeping going past bad files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from htreport.document import SourceFormat
from htreport.errors import HtreportError, OutputClashError, SourceError
from htreport.model.vocabulary import DocumentType
from htreport.pipeline import extract, extract_plain, report_data
from htreport.settings import worker_count

if TYPE_CHECKING:
    from typing import TypeAlias

    from htreport.model import plain
    from htreport.model.report import Report

    #: What can be named: a validated report, or the parsers' plain one (`htreport extract`).
    AnyReport: TypeAlias = Report | plain.Report


@dataclass(slots=True)
class Outcome:
    """One source's result: its report, or the error that stopped it.

    With `extract_many(..., as_data=True)`, `report` is the parsers' plain report and `data`
    its JSON data (`pipeline.report_data`), what `htreport extract` writes."""

    path: Path
    report: AnyReport | None = None
    error: HtreportError | None = None
    data: dict[str, Any] | None = None


def list_sources(directory: Path) -> list[Path]:
    """Regular, non-hidden files directly in `directory`, sorted by name."""
    if not directory.is_dir():
        raise SourceError("no such directory", path=directory)
    return sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))


def _extract_one(
    path: Path,
    encoding: str | None,
    source_format: SourceFormat | None = None,
    as_data: bool = False,
) -> Outcome:
    try:
        if as_data:
            plain = extract_plain(path, encoding=encoding, source_format=source_format)
            return Outcome(path, report=plain, data=report_data(plain))
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
    as_data: bool = False,
) -> Iterator[Outcome]:
    """Yield one Outcome per path, in input order; `jobs` > 1 uses worker processes (at most
    one per path and per CPU, see `settings.worker_count`).

    `as_data`: give each report as the parsers built it with its JSON data, as `htreport
    extract` writes it, instead of the validated models (the models are then built only where
    the schema check cannot vouch for the data, so a worker seldom imports pydantic)."""
    jobs = worker_count(jobs, len(paths))
    if jobs <= 1:
        for path in paths:
            outcome = _extract_one(path, encoding, source_format, as_data)
            if on_done:
                on_done(outcome)
            yield outcome
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [
            pool.submit(_extract_one, path, encoding, source_format, as_data) for path in paths
        ]
        for future in futures:
            outcome = future.result()
            if on_done:
                on_done(outcome)
            yield outcome


def check_distinct_sources(paths: list[Path]) -> None:
    """Refuse, before anything is extracted, sources that could only get one output name.

    Outputs are named by fiscal year and document type, then told apart by the source's stem;
    `r.txt` and `r.md` (or `r.TXT`, `report.txt` and `report.pdf` of one year) share a stem, so
    nothing could tell their outputs apart: `OutputClashError` names both."""
    seen: dict[str, Path] = {}
    for path in paths:
        stem = path.stem.casefold()
        if stem in seen:
            raise OutputClashError(
                f"{seen[stem].name} and {path.name} would get the same output name; "
                "rename one of the sources or extract them apart",
                path=path,
            )
        seen[stem] = path


class OutputNamer:
    """File names for extracted reports, given one at a time so each report can be written as
    soon as it is done. An annual report is named by its fiscal year (2014-2015.yaml); another
    document with a fiscal year by the year and its type (2013-2014--news-release.yaml); a
    document without one by its source's stem. Reports that share a name are told apart by
    their source stems (2014-2015--a.yaml, 2014-2015--b.yaml): when a second one comes, `name`
    also says which earlier name to rename. A name given twice raises `OutputClashError`."""

    def __init__(self, suffix: str) -> None:
        self.suffix = suffix
        self._alone: dict[str, AnyReport] = {}  # base -> the one report named after it
        self._shared: set[str] = set()
        self._given: dict[str, AnyReport] = {}

    def name(self, report: AnyReport) -> tuple[str, tuple[str, str] | None]:
        """(file name, (old name, new name) of an earlier file to rename, or None)."""
        base = _base_name(report)
        rename = None
        if base in self._alone:
            first = self._alone.pop(base)
            old, new = f"{base}{self.suffix}", self._qualified(base, first)
            rename = (old, new)
            self._given[new] = self._given.pop(old)
            self._shared.add(base)
        name = self._qualified(base, report) if base in self._shared else f"{base}{self.suffix}"
        if base not in self._shared:
            self._alone[base] = report
        if name in self._given:
            raise OutputClashError(
                f"{self._given[name].source.file} and {report.source.file} would both be written "
                f"as {name}; rename one of the sources or extract them apart",
                path=report.source.file,
            )
        self._given[name] = report
        return name, rename

    def _qualified(self, base: str, report: AnyReport) -> str:
        stem = Path(report.source.file).stem
        return f"{base}{self.suffix}" if stem == base else f"{base}--{stem}{self.suffix}"


def output_names(reports: list[AnyReport], suffix: str) -> list[str]:
    """The final names OutputNamer gives `reports`, in order (never two alike)."""
    namer = OutputNamer(suffix)
    names: list[str] = []
    for report in reports:
        name, rename = namer.name(report)
        if rename is not None:
            names[names.index(rename[0])] = rename[1]
        names.append(name)
    return names


def _base_name(report: AnyReport) -> str:
    metadata = report.metadata
    if not metadata.fiscal_year:
        return Path(report.source.file).stem
    kind = metadata.document_type
    if kind is None or kind == DocumentType.ANNUAL_REPORT:
        return metadata.fiscal_year
    return f"{metadata.fiscal_year}--{DocumentType(kind).value.replace('_', '-')}"
