"""Validate structured data files: syntax, schema and cross-record rules, each at its line.

`validate_file` never raises for bad data: every problem becomes an `Issue` with the file, the
1-based line and column of the offending node, the data path and a message a person can act on.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from htreport.errors import DataFileError, DataSyntaxError, UnsafeDataError, UsageError
from htreport.settings import STRUCTURED_SUFFIXES
from htreport.store.positions import PathPart, Position, PosNode, format_path, locate

#: Most drift lines reported per file by --check-source; the rest are counted.
MAX_DRIFT_ISSUES = 20


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in one file."""

    file: str
    line: int | None
    column: int | None
    code: str  # syntax, unsafe, unreadable, schema, duplicate-id, task-id, fiscal-year, ...
    message: str
    field: str | None = None  # data path, e.g. annex.pillars[0].objectives[0].id

    def location(self) -> str:
        """`file:line:col`, or as much of it as is known."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def text(self) -> str:
        """The message with its field path in front."""
        return f"{self.field}: {self.message}" if self.field else self.message

    def __str__(self) -> str:
        return f"{self.location()}: {self.text()}"


@dataclass(slots=True)
class ValidationReport:
    """The outcome for one file."""

    file: str
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


@dataclass(slots=True)
class ValidationRun:
    """The outcome for every file of one `validate` run."""

    reports: list[ValidationReport]

    @property
    def ok(self) -> bool:
        return all(report.ok for report in self.reports)

    @property
    def issues(self) -> list[Issue]:
        return [issue for report in self.reports for issue in report.issues]

    def summary(self) -> str:
        """e.g. `5 files checked: 4 valid, 1 with problems (3 problems)`."""
        files = len(self.reports)
        bad = sum(not report.ok for report in self.reports)
        problems = len(self.issues)
        text = f"{files} file{'s' if files != 1 else ''} checked: {files - bad} valid"
        if bad:
            text += f", {bad} with problems ({problems} problem{'s' if problems != 1 else ''})"
        return text


# Files ------------------------------------------------------------------------------------------


def collect_files(paths: Sequence[Path]) -> list[Path]:
    """Structured files named, or found (recursively, hidden ones skipped) in directories named.

    Raises UsageError for a path that does not exist or a directory without data files."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in STRUCTURED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise UsageError(f"no {'/'.join(STRUCTURED_SUFFIXES)} files to validate", path=path)
            files += found
        elif path.exists():
            files.append(path)
        else:
            raise UsageError("no such file or directory", path=path)
    unique: dict[Path, None] = dict.fromkeys(files)
    return list(unique)


def validate_paths(
    paths: Sequence[Path], *, raw_dir: Path | None = None, check_source: bool = False
) -> ValidationRun:
    """Validate every structured file under `paths` (see `collect_files`)."""
    return ValidationRun(
        [
            validate_file(path, raw_dir=raw_dir, check_source=check_source)
            for path in collect_files(paths)
        ]
    )


def default_raw_dir(path: Path) -> Path:
    """Where the raw report of a structured file lives: `data/structured/x.yaml` -> `data/raw/`."""
    return path.parent.parent / "raw"


def validate_file(
    path: str | Path, *, raw_dir: Path | None = None, check_source: bool = False
) -> ValidationReport:
    """Validate one YAML/JSON file; problems are returned as Issues, never raised.

    `raw_dir` is where `source.file` is looked for (default: `default_raw_dir(path)`); the source
    hash is compared when the raw file is there, and `check_source` re-extracts it and reports
    every field that drifted."""
    from htreport.store.io import format_of, read_data_file

    path = Path(path)
    try:
        text = read_data_file(path)
    except DataFileError as error:
        return ValidationReport(str(path), [_error_issue(error, str(path))])
    return validate_text(
        text,
        format_of(path),
        file=str(path),
        raw_dir=raw_dir or default_raw_dir(path),
        check_source=check_source,
    )


def validate_text(
    text: str,
    fmt: str = "yaml",
    *,
    file: str = "<string>",
    raw_dir: Path | None = None,
    check_source: bool = False,
) -> ValidationReport:
    """Validate data file text (see `validate_file`)."""
    from htreport.store.io import parse_document

    report = ValidationReport(file)
    try:
        document = parse_document(text, fmt, path=file)  # type: ignore[arg-type]
    except DataFileError as error:
        report.issues.append(_error_issue(error, file))
        return report
    data, positions = document.data, document.positions
    if not isinstance(data, dict):
        report.issues.append(
            Issue(file, 1, 1, "schema", "not a structured report: expected a mapping at the top")
        )
        return report
    data.pop("$schema", None)
    context = _Context(file, positions)
    model = _check_schema(data, context)
    _check_structure(data, context)
    _check_fiscal_years(data, context, Path(file))
    _check_leads(data, context)
    if raw_dir is not None:
        _check_source(data, model, context, raw_dir, check_source)
    report.issues = sorted(
        dict.fromkeys(context.issues),
        key=lambda i: (i.line or 0, i.column or 0, i.code, i.field or "", i.message),
    )
    return report


def _error_issue(error: DataFileError, file: str) -> Issue:
    code = (
        "syntax"
        if isinstance(error, DataSyntaxError)
        else "unsafe"
        if isinstance(error, UnsafeDataError)
        else "unreadable"
    )
    return Issue(file, error.line, error.column, code, error.message)


@dataclass(slots=True)
class _Context:
    file: str
    positions: PosNode
    issues: list[Issue] = field(default_factory=list)

    def add(self, code: str, path: Sequence[PathPart], message: str, *, key: bool = False) -> None:
        where = locate(self.positions, path, key=key)
        self.issues.append(
            Issue(self.file, where.line, where.column, code, message, format_path(path) or None)
        )

    def line_of(self, path: Sequence[PathPart]) -> int:
        return locate(self.positions, path).line


# Schema -----------------------------------------------------------------------------------------


def schema_issue(error: Mapping[str, Any], positions: PosNode, file: str) -> Issue:
    """A pydantic error as an Issue at the YAML/JSON node it is about."""
    loc = tuple(part for part in error["loc"] if isinstance(part, (str, int)))
    kind = error["type"]
    where: Position = locate(positions, loc, key=kind == "extra_forbidden")
    return Issue(
        file,
        where.line,
        where.column,
        "schema",
        _schema_message(error, loc),
        format_path(loc) or None,
    )


def _schema_message(error: Mapping[str, Any], loc: tuple[PathPart, ...]) -> str:
    kind, value, context = error["type"], error.get("input"), error.get("ctx") or {}
    name = loc[-1] if loc and isinstance(loc[-1], str) else "value"
    if kind == "missing":
        return f"missing required field {name!r}"
    if kind == "extra_forbidden":
        return f"unknown field {name!r} (not in the schema)"
    if kind == "enum":
        expected = context.get("expected")
        return f"unknown {name} {_shown(value)}; expected {expected}{_status_hint(name, value)}"
    if kind == "literal_error":
        return f"{_shown(value)} is not allowed here; expected {context.get('expected')}"
    if kind == "string_pattern_mismatch":
        pattern = context.get("pattern")
        if pattern in _FISCAL_PATTERNS:
            return f"{_shown(value)} is not a fiscal year written like {_FISCAL_PATTERNS[pattern]}"
        return f"{_shown(value)} does not match the pattern {pattern}"
    message = error["msg"]
    return f"{message}, got {_shown(value)}"


_FISCAL_PATTERNS = {r"^\d{4}-\d{2}$": "2014-15", r"^\d{4}-\d{4}$": "2014-2015"}


def _status_hint(name: str, value: Any) -> str:
    """`Ongoing` or `done` as written in a report: suggest the normalised status."""
    from htreport.model.status import parse_statuses

    if name != "status" or not isinstance(value, str):
        return ""
    found = {parsed.status.value for parsed in parse_statuses(value)}
    return f"; did you mean {found.pop()!r}?" if len(found) == 1 else ""


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_schema(data: dict[str, Any], context: _Context) -> Any:
    from pydantic import ValidationError

    from htreport.model.report import Report

    try:
        return Report.model_validate(data)
    except ValidationError as error:
        context.issues += [schema_issue(e, context.positions, context.file) for e in error.errors()]
        return None


# Cross-record rules -----------------------------------------------------------------------------
# These read the plain data, not the model, so that they still report when the schema fails
# elsewhere in the file; every access is guarded for that reason.

_OBJECTIVE_ID = re.compile(r"^(\d+)\.(\d+)$")
_TASK_ID = re.compile(r"^\d+\.\d+$")
_DELIVERABLE_ID = re.compile(r"^\d+\.\d+\.\d+$")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _pillar_numbers(data: dict[str, Any]) -> dict[str, int]:
    """Objective numbers of the 4-P plan (prevention 1 ... partnerships 4); none for a chart with
    the National Strategy's fifth pillar, empowerment, whose numbering is not fixed."""
    from htreport.model.report import Pillar

    annex = data.get("annex")
    listed = _list(annex.get("pillars")) if isinstance(annex, dict) else []
    pillars = [p.get("pillar") for p in listed if isinstance(p, dict)]
    if Pillar.EMPOWERMENT.value in pillars:
        return {}
    return {
        pillar.value: number
        for number, pillar in enumerate(Pillar, start=1)
        if pillar is not Pillar.EMPOWERMENT
    }


@dataclass(slots=True)
class _Row:
    path: tuple[PathPart, ...]
    item: dict[str, Any]


def _walk(data: dict[str, Any]) -> Iterator[tuple[str, _Row, _Row | None]]:
    """('pillar'|'objective'|'task'|'deliverable', row, parent row) for the annex, in file order."""
    annex = data.get("annex")
    if not isinstance(annex, dict):
        return
    for p, pillar in enumerate(_list(annex.get("pillars"))):
        if not isinstance(pillar, dict):
            continue
        pillar_row = _Row(("annex", "pillars", p), pillar)
        yield "pillar", pillar_row, None
        for o, objective in enumerate(_list(pillar.get("objectives"))):
            if not isinstance(objective, dict):
                continue
            objective_row = _Row((*pillar_row.path, "objectives", o), objective)
            yield "objective", objective_row, pillar_row
            for t, task in enumerate(_list(objective.get("tasks"))):
                if not isinstance(task, dict):
                    continue
                task_row = _Row((*objective_row.path, "tasks", t), task)
                yield "task", task_row, objective_row
                for d, deliverable in enumerate(_list(task.get("deliverables"))):
                    if isinstance(deliverable, dict):
                        yield (
                            "deliverable",
                            _Row((*task_row.path, "deliverables", d), deliverable),
                            task_row,
                        )


def _check_structure(data: dict[str, Any], context: _Context) -> None:
    """Unique ids and keys; each id extends its parent's (pillar 1 > objective 1.1 > task 1.11 >
    deliverable 1.11.2)."""
    numbers = _pillar_numbers(data)
    first_seen: dict[
        tuple[str, str, str], tuple[PathPart, ...]
    ] = {}  # (level, field, value) -> path

    def unique(level: str, name: str, row: _Row) -> None:
        value = _text(row.item.get(name))
        if value is None:
            return
        path = (*row.path, name)
        first = first_seen.setdefault((level, name, value), path)
        if first != path:
            code = "duplicate-id" if name == "id" else "duplicate-key"
            context.add(
                code,
                path,
                f"duplicate {level} {name} {value!r} (first at line {context.line_of(first)})",
            )

    for level, row, parent in _walk(data):
        if level == "pillar":
            continue
        unique(level, "id", row)
        if level == "deliverable":
            unique(level, "key", row)
        own = _text(row.item.get("id"))
        assert parent is not None
        above = parent.item.get("pillar" if level == "objective" else "id")
        if own is None or not isinstance(above, str):
            continue
        if level == "objective":
            match, number = _OBJECTIVE_ID.match(own), numbers.get(above)
            if match and number is not None and int(match.group(1)) != number:
                context.add(
                    "objective-id",
                    (*row.path, "id"),
                    f"objective {own} is under the {above} pillar, "
                    f"whose objectives are numbered {number}.N",
                )
        elif level == "task":
            if (
                _OBJECTIVE_ID.match(above)
                and _TASK_ID.match(own)
                and not (own.startswith(above) and own[len(above) :].isdigit())
            ):
                context.add(
                    "task-id",
                    (*row.path, "id"),
                    f"task {own} is under objective {above}; its id should extend the objective's "
                    f"(e.g. {above}1)",
                )
        elif (
            _TASK_ID.match(above) and _DELIVERABLE_ID.match(own) and not own.startswith(f"{above}.")
        ):
            context.add(
                "deliverable-id",
                (*row.path, "id"),
                f"deliverable {own} is under task {above}; its id should be {above}.N",
            )


_FULL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")
_SHORT_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
_KEY_YEAR = re.compile(r"^(\d{4}-\d{4})/")
_FILE_YEAR = re.compile(r"^(\d{4}-\d{4})(?:--.*)?$")


def _check_fiscal_years(data: dict[str, Any], context: _Context, file: Path) -> None:
    """Fiscal years name two consecutive years and agree with each other."""
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    assert isinstance(metadata, dict)
    year = _text(metadata.get("fiscal_year"))
    report_start = _full_year(year, ("metadata", "fiscal_year"), context) if year else None
    if report_start is not None:
        _check_period(metadata, report_start, context)
        stem = _FILE_YEAR.match(file.stem)
        if stem and stem.group(1) != year:
            context.add(
                "fiscal-year",
                ("metadata", "fiscal_year"),
                f"fiscal year {year} disagrees with the file name {file.name}",
            )
    for level, row, _ in _walk(data):
        if level != "deliverable":
            continue
        _short_year(row.item.get("start"), (*row.path, "start"), context)
        for i, sub in enumerate(_list(row.item.get("items"))):
            if isinstance(sub, dict):
                _short_year(sub.get("start"), (*row.path, "items", i, "start"), context)
        key = _text(row.item.get("key"))
        match = _KEY_YEAR.match(key) if key else None
        if match:
            key_start = _full_year(match.group(1), (*row.path, "key"), context)
            if key_start is not None and report_start is not None and key_start > report_start:
                context.add(
                    "fiscal-year",
                    (*row.path, "key"),
                    f"key {key!r} names fiscal year {match.group(1)}, after this report's {year}",
                )


def _full_year(text: str, path: tuple[PathPart, ...], context: _Context) -> int | None:
    match = _FULL_YEAR.match(text)
    if not match:
        return None  # the schema pattern reports malformed values
    start, end = int(match.group(1)), int(match.group(2))
    if end != start + 1:
        context.add(
            "fiscal-year",
            path,
            f"fiscal year {text} does not span two consecutive years "
            f"(expected {start}-{start + 1})",
        )
        return None
    return start


def _short_year(value: Any, path: tuple[PathPart, ...], context: _Context) -> None:
    match = _SHORT_YEAR.match(value) if isinstance(value, str) else None
    if match and int(match.group(2)) != (int(match.group(1)) + 1) % 100:
        start = int(match.group(1))
        context.add(
            "fiscal-year",
            path,
            f"fiscal year {value} does not span two consecutive years "
            f"(expected {start}-{(start + 1) % 100:02d})",
        )


def _check_period(metadata: dict[str, Any], start: int, context: _Context) -> None:
    """A reporting period lies within its fiscal year (April 1 to March 31)."""
    from datetime import date

    first, last = date(start, 4, 1), date(start + 1, 3, 31)
    for name in ("period_start", "period_end"):
        value = metadata.get(name)
        try:
            day = (
                value
                if isinstance(value, date)
                else date.fromisoformat(value)
                if isinstance(value, str)
                else None
            )
        except ValueError:
            continue  # the schema reports malformed dates
        if day is not None and not first <= day <= last:
            context.add(
                "fiscal-year",
                ("metadata", name),
                f"{day.isoformat()} is outside fiscal year {start}-{start + 1} ({first} to {last})",
            )


def _check_leads(data: dict[str, Any], context: _Context) -> None:
    """Lead departments and programs are codes of the department registry."""
    from htreport.model.departments import registry

    departments = registry()
    for level, row, _ in _walk(data):
        if level != "deliverable":
            continue
        for i, lead in enumerate(_list(row.item.get("leads"))):
            if not isinstance(lead, dict):
                continue
            code = _text(lead.get("department"))
            path = (*row.path, "leads", i)
            if code is None:
                continue
            known = departments.departments.get(code)
            if known is None:
                match = departments.lookup(code)
                hint = f"; did you mean {match.department}?" if match else ""
                context.add(
                    "unknown-lead",
                    (*path, "department"),
                    f"unknown lead department {code!r} (not in the department registry){hint}",
                )
                continue
            program = _text(lead.get("program"))
            if program is not None and program not in known.programs:
                programs = ", ".join(known.programs) or "none"
                context.add(
                    "unknown-lead",
                    (*path, "program"),
                    f"unknown program {program!r} of {code} (registry programs: {programs})",
                )


# Source -----------------------------------------------------------------------------------------


def _check_source(
    data: dict[str, Any], model: Any, context: _Context, raw_dir: Path, extract: bool
) -> None:
    source = data.get("source") if isinstance(data.get("source"), dict) else None
    name = _text(source.get("file")) if source else None
    if name is None or Path(name).name != name:
        return  # the schema reports it; a name with directories is never looked up
    raw = raw_dir / name
    if not raw.is_file():
        if extract:
            context.add(
                "source-missing", ("source", "file"), f"--check-source: raw file {raw} not found"
            )
        return
    with raw.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    if source and _text(source.get("sha256")) != digest:
        context.add(
            "source-hash",
            ("source", "sha256"),
            f"does not match {raw} (sha256 {digest[:12]}...): "
            "the raw file changed since extraction; re-extract",
        )
    if not extract:
        return
    if model is None:
        context.add(
            "source-drift",
            ("source", "file"),
            "--check-source skipped: fix the schema problems first",
        )
        return
    _check_drift(model, raw, context)


def _check_drift(model: Any, raw: Path, context: _Context) -> None:
    from htreport.errors import HtreportError
    from htreport.pipeline import extract
    from htreport.store.io import to_data

    try:
        fresh = to_data(extract(raw, encoding=model.source.encoding))
    except HtreportError as error:
        context.add(
            "source-drift",
            ("source", "file"),
            f"--check-source: re-extracting {raw} failed: {error.message}",
        )
        return
    differences = list(_differences(to_data(model), fresh, ()))
    for path, message in differences[:MAX_DRIFT_ISSUES]:
        context.add("source-drift", path, f"differs from {raw.name}: {message}")
    if len(differences) > MAX_DRIFT_ISSUES:
        context.add(
            "source-drift",
            ("source", "file"),
            f"and {len(differences) - MAX_DRIFT_ISSUES} more differences from {raw.name}",
        )


_IGNORED_DRIFT = {("source", "extractor")}  # a newer htreport is not a change in the data


def _differences(
    ours: Any, theirs: Any, path: tuple[PathPart, ...]
) -> Iterable[tuple[tuple[PathPart, ...], str]]:
    if path in _IGNORED_DRIFT:
        return
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for name in [*ours, *(k for k in theirs if k not in ours)]:
            if name not in theirs:
                yield (
                    (*path, name),
                    f"the file has it, re-extraction does not ({_shown(ours[name])})",
                )
            elif name not in ours:
                yield (
                    (*path, name),
                    f"missing from the file; re-extraction gives {_shown(theirs[name])}",
                )
            else:
                yield from _differences(ours[name], theirs[name], (*path, name))
        return
    if isinstance(ours, list) and isinstance(theirs, list):
        if len(ours) != len(theirs):
            yield path, f"the file has {len(ours)} entries, re-extraction gives {len(theirs)}"
        for index, (a, b) in enumerate(zip(ours, theirs, strict=False)):
            yield from _differences(a, b, (*path, index))
        return
    if ours != theirs:
        yield path, f"the file has {_shown(ours)}, re-extraction gives {_shown(theirs)}"
