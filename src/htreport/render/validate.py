"""Output of `htreport validate`: a rich table, plain lines, JSON, GitHub annotations."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from htreport.errors import json_text, printable
from htreport.render import stdout

if TYPE_CHECKING:
    from htreport.store.issues import Issue, ValidationRun


def table(run: ValidationRun) -> None:
    """A table of problems (for a terminal), then the summary line."""
    from htreport.render.layout import Column, print_rows

    console = stdout()
    if run.issues:
        columns = [
            Column("Where", key=True),
            Column("Problem", key=True),
            Column("Field", wide=True),
            Column("Message", wide=True),
        ]
        rows = [
            [printable(cell) for cell in (issue.location(), issue.code, issue.field or "")]
            + [printable(issue.message)]
            for issue in run.issues
        ]
        print_rows(console, None, columns, rows)
    style = "green" if run.ok else "red"
    console.print(run.summary(), style=style, markup=False)


def lines(run: ValidationRun) -> None:
    """One `file:line:col: message` line per problem on stdout; the summary on stderr."""
    for issue in run.issues:
        print(printable(str(issue)))
    print(run.summary(), file=sys.stderr)


def github(run: ValidationRun) -> None:
    """GitHub Actions workflow commands: one `::error file=...,line=...,col=...::` per problem."""
    for issue in run.issues:
        properties = [f"file={_property(issue.file)}"]
        if issue.line is not None:
            properties.append(f"line={issue.line}")
        if issue.column is not None:
            properties.append(f"col={issue.column}")
        properties.append(f"title={_property('htreport validate: ' + issue.code)}")
        print(printable(f"::error {','.join(properties)}::{_data(issue.text())}"))
    print(run.summary(), file=sys.stderr)


def as_json(run: ValidationRun) -> None:
    """The whole run as one JSON document on stdout."""
    document = {
        "valid": run.ok,
        "summary": run.summary(),
        "files": [
            {"file": report.file, "valid": report.ok, "issues": [_issue(i) for i in report.issues]}
            for report in run.reports
        ],
    }
    print(json_text(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)))


def _issue(issue: Issue) -> dict[str, object]:
    return {
        "file": issue.file,
        "line": issue.line,
        "column": issue.column,
        "code": issue.code,
        "field": issue.field,
        "message": issue.message,
    }


def _data(text: str) -> str:
    """Escape a workflow command's message (GitHub's escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escape a workflow command's property value (GitHub's escapeProperty)."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
