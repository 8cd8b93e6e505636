"""Extract many sources, optionally in parallel, keeping going past bad files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

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


def _extract_one(path: Path, encoding: str | None) -> Outcome:
    try:
        return Outcome(path, report=extract(path, encoding=encoding))
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
    on_done: Callable[[Outcome], None] | None = None,
) -> Iterator[Outcome]:
    """Yield one Outcome per path, in input order; `jobs` > 1 uses worker processes."""
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            outcome = _extract_one(path, encoding)
            if on_done:
                on_done(outcome)
            yield outcome
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_extract_one, path, encoding) for path in paths]
        for future in futures:
            outcome = future.result()
            if on_done:
                on_done(outcome)
            yield outcome


class OutputNamer:
    """File names for extracted reports, given one at a time so each report can be written as
    soon as it is done: the fiscal year (2014-2015.yaml), else the source stem. Reports that
    share a year are told apart by their source stems (2014-2015--a.yaml, 2014-2015--b.yaml):
    when a second one comes, `name` also says which earlier name to rename."""

    def __init__(self, suffix: str) -> None:
        self.suffix = suffix
        self._alone: dict[str, str] = {}  # base -> stem of the one report named after it
        self._shared: set[str] = set()

    def name(self, report: Report) -> tuple[str, tuple[str, str] | None]:
        """(file name, (old name, new name) of an earlier file to rename, or None)."""
        stem = Path(report.source.file).stem
        base = report.metadata.fiscal_year or stem
        rename = None
        if base in self._alone:
            first = self._alone.pop(base)
            rename = (f"{base}{self.suffix}", f"{base}--{first}{self.suffix}")
            self._shared.add(base)
        if base in self._shared:
            return f"{base}--{stem}{self.suffix}", rename
        self._alone[base] = stem
        return f"{base}{self.suffix}", None


def output_names(reports: list[Report], suffix: str) -> list[str]:
    """The final names OutputNamer gives `reports`, in order."""
    namer = OutputNamer(suffix)
    names: list[str] = []
    for report in reports:
        name, rename = namer.name(report)
        if rename is not None:
            names[names.index(rename[0])] = rename[1]
        names.append(name)
    return names
