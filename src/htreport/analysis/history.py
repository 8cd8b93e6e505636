"""Reports across years: finding a report by file or year, and each deliverable's timeline.

A timeline follows one deliverable from the year it first appears: consecutive report years of
the corpus are matched (`matching.match_reports`, honouring stored keys and the overrides
file) and keys are carried forward, so every year's record of the same deliverable shares a key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from htreport.analysis.matching import carry_keys, match_reports, normalize
from htreport.analysis.overrides import Overrides
from htreport.errors import DataFileError, SourceError, UsageError
from htreport.model import fiscal
from htreport.model.records import deliverable_records
from htreport.model.report import Report
from htreport.settings import DEFAULT_STRUCTURED_DIR, STRUCTURED_SUFFIXES

_YEAR_SPEC = re.compile(r"^(?:19|20)\d{2}\s*[-/–]\s*(?:(?:19|20)?\d{2})$")
_ID = re.compile(r"^\d+\.\d+\.\d+$")


@dataclass(slots=True)
class Loaded:
    """A report named on the command line, and the structured file it came from, if any."""

    report: Report
    path: Path | None  # the structured file (None for a raw report extracted on the fly)
    shown: str  # how to name it in messages


def is_structured(path: Path) -> bool:
    return path.suffix.lower() in STRUCTURED_SUFFIXES


def resolve_report(spec: str, data: list[Path] | None = None) -> Loaded:
    """A structured file, a raw report (extracted on the fly) or a fiscal year found in `data`.

    A year (2014-2015, 2014-15, 2014/15) is looked up by `metadata.fiscal_year` among the
    structured files under `data` (default data/structured/), unless a file of that name exists."""
    from htreport.pipeline import extract
    from htreport.store import io

    path = Path(spec)
    if path.is_dir():
        raise SourceError("is a directory; expected a report file or a fiscal year", path=path)
    if path.exists():
        if is_structured(path):
            return Loaded(io.load(path), path, spec)
        return Loaded(extract(path), None, spec)
    if _YEAR_SPEC.match(spec.strip()):
        return _report_of_year(spec, data)
    raise SourceError("no such file (nor a fiscal year such as 2014-2015)", path=path)


def _report_of_year(spec: str, data: list[Path] | None) -> Loaded:
    from htreport.store import io

    start = fiscal.parse(spec)
    if start is None:
        raise UsageError(f"{spec!r} is not a fiscal year (expected e.g. 2014-2015 or 2014-15)")
    year = fiscal.full(start)
    found = [
        (path, report) for path, report in load_years(data) if report.metadata.fiscal_year == year
    ]
    where = ", ".join(str(p) for p in data or [DEFAULT_STRUCTURED_DIR])
    if not found:
        raise DataFileError(
            f"no structured report for fiscal year {year} (run htreport extract)", path=where
        )
    if len(found) > 1:
        names = ", ".join(str(path) for path, _ in found)
        raise UsageError(
            f"several structured reports for fiscal year {year}: {names}; name the file"
        )
    path = found[0][0]
    return Loaded(io.load(path), path, str(path))


def load_years(data: list[Path] | None = None) -> list[tuple[Path, Report]]:
    """The structured reports under `data` that have a fiscal year and an Annex A, oldest first."""
    from htreport.store.corpus import load_reports

    reports, _skipped = load_reports(data, skip_invalid=False)
    dated = [
        (path, report) for path, report in reports if report.metadata.fiscal_year and report.annex
    ]
    return sorted(dated, key=lambda item: (item[1].metadata.fiscal_year or "", str(item[0])))


@dataclass(slots=True)
class Timeline:
    """One deliverable through the years: (fiscal year, record or None when absent)."""

    key: str
    years: list[tuple[str, dict[str, Any] | None]] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        return [record for _year, record in self.years if record is not None]

    def to_data(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "years": [{"year": year, "record": record} for year, record in self.years],
        }


def timelines(
    reports: list[Report], overrides: Overrides | None = None
) -> tuple[list[Timeline], list[str]]:
    """Every deliverable's timeline over `reports` (oldest first), and override warnings.

    Raises UsageError when two reports share a fiscal year."""
    years = [report.metadata.fiscal_year or report.source.file for report in reports]
    for year in years:
        if years.count(year) > 1:
            files = ", ".join(r.source.file for r in reports if r.metadata.fiscal_year == year)
            raise UsageError(f"two reports of fiscal year {year} in the corpus ({files}); keep one")
    by_key: dict[str, Timeline] = {}
    warnings: list[str] = []
    previous: Report | None = None
    for report in reports:
        if previous is None:
            carried = report
        else:
            result = match_reports(previous, report, overrides)
            warnings += result.warnings
            carried = carry_keys(previous, report, result)
        for record in deliverable_records(carried):
            key = record["key"] or f"{record['report']}/{record['id']}"
            by_key.setdefault(key, Timeline(key)).years.append((record["report"], record))
        previous = carried
    for timeline in by_key.values():
        present = dict(timeline.years)
        timeline.years = [(year, present.get(year)) for year in years]
    return list(by_key.values()), warnings


def search(found: list[Timeline], query: str, year: str | None = None) -> list[Timeline]:
    """Timelines whose key is `query`, else that have id `query` (in `year` if given), else whose
    text in some year contains every word of `query` (case and punctuation ignored)."""
    query = query.strip()
    exact = [t for t in found if t.key == query]
    if exact:
        return exact
    if _ID.match(query):
        return [
            t
            for t in found
            if any(r["id"] == query and (year is None or r["report"] == year) for r in t.records())
        ]
    words = normalize(query).split()
    if not words:
        raise UsageError("empty query; give a key, an id such as 3.11.2 or words of the text")
    return [
        t
        for t in found
        if any(all(word in normalize(r["text"]) for word in words) for r in t.records())
        and (year is None or any(r["report"] == year for r in t.records()))
    ]


def history(
    query: str,
    data: list[Path] | None = None,
    overrides: Overrides | None = None,
    year: str | None = None,
) -> tuple[list[Timeline], list[str]]:
    """The timelines matching `query` over the structured reports under `data`, and warnings."""
    reports = [report for _path, report in load_years(data)]
    if not reports:
        where = ", ".join(str(p) for p in data or [DEFAULT_STRUCTURED_DIR])
        raise DataFileError("no structured report with a fiscal year and an Annex A", path=where)
    if year is not None:
        start = fiscal.parse(year)
        if start is None:
            raise UsageError(f"--year {year!r} is not a fiscal year (expected e.g. 2014-2015)")
        year = fiscal.full(start)
    found, warnings = timelines(reports, overrides)
    return search(found, query, year), warnings
