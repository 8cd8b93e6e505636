"""Problems found in data files, as `Issue`s at the line and column a person has to fix.

Shared by the loader (`store.io`, whose first schema error names its place) and `validate`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from htreport.errors import DataFileError, DataSyntaxError, UnsafeDataError, plain_message
from htreport.store.positions import PathPart, Position, PosNode, format_path, locate


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


def error_issue(error: DataFileError, file: str) -> Issue:
    code = (
        "syntax"
        if isinstance(error, DataSyntaxError)
        else "unsafe"
        if isinstance(error, UnsafeDataError)
        else "unreadable"
    )
    return Issue(file, error.line, error.column, code, error.message)


@dataclass(slots=True)
class IssueContext:
    """Issues of one file being checked, placed through its position tree.

    `source` is the tree or a function building it, called only when an issue is placed (a
    file without problems never needs one)."""

    file: str
    source: PosNode | Callable[[], PosNode]
    issues: list[Issue] = field(default_factory=list)

    @property
    def positions(self) -> PosNode:
        """The position tree of the file."""
        if not isinstance(self.source, PosNode):
            self.source = self.source()
        return self.source

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
        return f"unknown {name} {shown(value)}; expected {expected}{_status_hint(name, value)}"
    if kind == "literal_error":
        return f"{shown(value)} is not allowed here; expected {context.get('expected')}"
    if kind == "string_pattern_mismatch":
        pattern = context.get("pattern")
        if pattern in _FISCAL_PATTERNS:
            return f"{shown(value)} is not a fiscal year written like {_FISCAL_PATTERNS[pattern]}"
        return f"{shown(value)} does not match the pattern {pattern}"
    return f"{plain_message(error)}, got {shown(value)}"


_FISCAL_PATTERNS = {r"^\d{4}-\d{2}$": "2014-15", r"^\d{4}-\d{4}$": "2014-2015"}


def _status_hint(name: str, value: Any) -> str:
    """`Ongoing` or `done` as written in a report: suggest the normalised status."""
    from htreport.model.status import parse_statuses

    if name != "status" or not isinstance(value, str):
        return ""
    found = {parsed.status.value for parsed in parse_statuses(value)}
    return f"; did you mean {found.pop()!r}?" if len(found) == 1 else ""


def shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
