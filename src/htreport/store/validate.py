"""Validate structured data files: syntax, schema and cross-record rules, each at its line.

`validate_file` never raises for bad data: every problem becomes an `Issue` with the file, the
1-based line and column of the offending node, the data path and a message a person can act on.
The rules live beside this module: `issues` (the Issue type and schema messages), `rules`
(cross-record rules), `source_check` (the source file's hash and drift).
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

from htreport.errors import DataFileError, HtreportError, UsageError
from htreport.settings import DEFAULT_STRUCTURED_DIR, STRUCTURED_SUFFIXES
from htreport.store.discovery import PathsArg, as_paths, missing_default, search_directory
from htreport.store.issues import (
    Issue,
    IssueContext,
    ValidationReport,
    ValidationRun,
    error_issue,
    schema_issue,
)
from htreport.store.rules import check_fiscal_years, check_leads, check_structure
from htreport.store.source_check import check_source as check_against_source

__all__ = [
    "Issue",
    "ValidationReport",
    "ValidationRun",
    "collect_files",
    "default_raw_dir",
    "validate",
    "validate_file",
    "validate_paths",
    "validate_text",
]


def collect_files(paths: PathsArg, unlisted: list[HtreportError] | None = None) -> list[Path]:
    """Structured files named, or found (recursively, hidden ones skipped) in directories named.

    Raises UsageError for a path that does not exist or a directory without data files, and
    DataFileError for a folder that cannot be listed, unless `unlisted` is given: that error
    is then appended to it."""
    files: list[Path] = []
    given = as_paths(paths) or []
    if given == [DEFAULT_STRUCTURED_DIR] and not DEFAULT_STRUCTURED_DIR.exists():
        raise missing_default(DEFAULT_STRUCTURED_DIR)
    for path in given:
        if path.is_dir():
            found, complete = search_directory(path, unlisted)
            if not found and complete:
                raise UsageError(f"no {'/'.join(STRUCTURED_SUFFIXES)} files to validate", path=path)
            files += found
        elif path.exists():
            files.append(path)
        else:
            raise UsageError("no such file or directory", path=path)
    unique: dict[Path, None] = dict.fromkeys(files)
    return list(unique)


#: Below this many files, worker processes cost more than they save.
PARALLEL_THRESHOLD = 16


def validate_paths(
    paths: PathsArg,
    *,
    raw_dir: str | PathLike[str] | None = None,
    check_source: bool = False,
    jobs: int | None = None,
) -> ValidationRun:
    """Validate every structured file under `paths` (a path or a list; see `collect_files`), in
    `jobs` worker processes (default: one per CPU) when there are many files; results stay in
    file order, after one report for each folder that could not be listed."""
    from htreport.store.parallel import map_in_processes

    raw = Path(raw_dir) if raw_dir is not None else None
    unlisted: list[HtreportError] = []
    files = collect_files(paths, unlisted)
    reports = [_unlisted_report(error) for error in unlisted]
    reports += map_in_processes(
        _validate_one, files, raw, check_source, jobs=jobs, threshold=PARALLEL_THRESHOLD
    )
    return ValidationRun(reports)


def _unlisted_report(error: HtreportError) -> ValidationReport:
    """A folder that could not be listed, as a problem of its own: its files went unchecked."""
    folder = str(error.path)
    return ValidationReport(folder, [Issue(folder, None, None, "unreadable", error.message)])


def _validate_one(path: Path, raw_dir: Path | None, check_source: bool) -> ValidationReport:
    return validate_file(path, raw_dir=raw_dir, check_source=check_source)


def validate(
    paths: PathsArg = None,
    *,
    raw_dir: str | PathLike[str] | None = None,
    check_source: bool = False,
    jobs: int | None = None,
) -> ValidationRun:
    """Validate the structured files under `paths` (a path or a list; default
    data/structured/): what `htreport validate` checks, as a ValidationRun (`.ok`, `.issues`)."""
    return validate_paths(
        paths if paths is not None else [DEFAULT_STRUCTURED_DIR],
        raw_dir=raw_dir,
        check_source=check_source,
        jobs=jobs,
    )


def default_raw_dir(path: Path) -> Path:
    """Where the raw report of a structured file lives: `data/structured/x.yaml` -> `data/raw/`."""
    return path.parent.parent / "raw"


def validate_file(
    path: str | PathLike[str],
    *,
    raw_dir: str | PathLike[str] | None = None,
    check_source: bool = False,
) -> ValidationReport:
    """Validate one YAML/JSON file; problems are returned as Issues, never raised.

    `raw_dir` is where `source.file` is looked for (default: `default_raw_dir(path)`); the source
    hash is compared when the raw file is there, and `check_source` re-extracts it and reports
    every field that drifted."""
    from htreport.store.io import format_of, read_data_file

    path = Path(path)
    raw_dir = Path(raw_dir) if raw_dir is not None else None
    try:
        text = read_data_file(path)
    except DataFileError as error:
        return ValidationReport(str(path), [error_issue(error, str(path))])
    return validate_text(
        text,
        format_of(path),
        file=str(path),
        raw_dir=raw_dir or default_raw_dir(path),
        check_source=check_source,
        utf8_decoded=True,
    )


def validate_text(
    text: str,
    fmt: str = "yaml",
    *,
    file: str = "<string>",
    raw_dir: str | PathLike[str] | None = None,
    check_source: bool = False,
    utf8_decoded: bool = False,
) -> ValidationReport:
    """Validate data file text (see `validate_file`; `utf8_decoded`: see
    `io.parse_document`)."""
    from htreport.store.io import parse_document

    report = ValidationReport(file)
    try:
        document = parse_document(
            text,
            fmt,  # type: ignore[arg-type]
            path=file,
            utf8_decoded=utf8_decoded,
        )
    except DataFileError as error:
        report.issues.append(error_issue(error, file))
        return report
    data = document.data
    if not isinstance(data, dict):
        report.issues.append(
            Issue(file, 1, 1, "schema", "not a structured report: expected a mapping at the top")
        )
        return report
    data.pop("$schema", None)
    context = IssueContext(file, lambda: document.positions)
    model = _check_schema(data, context)
    check_structure(data, context)
    check_fiscal_years(data, context, Path(file))
    check_leads(data, context)
    if raw_dir is not None:
        check_against_source(data, model, context, Path(raw_dir), check_source)
    report.issues = sorted(
        dict.fromkeys(context.issues),
        key=lambda i: (i.line or 0, i.column or 0, i.code, i.field or "", i.message),
    )
    return report


def _check_schema(data: dict[str, Any], context: IssueContext) -> Any:
    from pydantic import ValidationError

    from htreport.model.report import Report

    try:
        return Report.model_validate(data)
    except ValidationError as error:
        context.issues += [schema_issue(e, context.positions, context.file) for e in error.errors()]
        return None
