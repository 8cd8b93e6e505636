"""`htreport validate`: check structured files against the schema and cross-record rules."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from htreport.cli.app import app
from htreport.cli.common import DataPaths, DebugFlag, user_errors
from htreport.errors import ExitCode


class ValidateFormat(StrEnum):
    auto = "auto"
    table = "table"
    text = "text"
    json = "json"
    github = "github"


@app.command()
def validate(
    paths: DataPaths = None,
    fmt: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            help="auto: a table on a terminal, text (file:line:col: message) when piped; "
            "json; github (annotations for GitHub Actions).",
        ),
    ] = ValidateFormat.auto,
    check_source: Annotated[
        bool,
        typer.Option(
            "--check-source", help="Re-extract each raw report and report fields that drifted."
        ),
    ] = False,
    raw_dir: Annotated[
        Path | None,
        typer.Option(
            "--raw-dir",
            help="Where raw reports (source.file) are looked for. Default: ../raw next to each "
            "file's directory (data/structured/ -> data/raw/).",
            show_default=False,
        ),
    ] = None,
    debug: DebugFlag = False,
) -> None:
    """Validate YAML/JSON report files: syntax, schema and cross-record rules.

    Every problem is reported with its file, line and column. Exit 0 when every file is valid,
    1 when any problem is found, 2 for usage errors (a path that does not exist, no files).
    """
    from htreport import render
    from htreport.render import validate as output
    from htreport.settings import DEFAULT_STRUCTURED_DIR
    from htreport.store.validate import validate_paths

    with user_errors(debug):
        run = validate_paths(
            paths or [DEFAULT_STRUCTURED_DIR], raw_dir=raw_dir, check_source=check_source
        )
    chosen = fmt
    if chosen is ValidateFormat.auto:
        chosen = ValidateFormat.table if render.is_terminal() else ValidateFormat.text
    {
        ValidateFormat.table: output.table,
        ValidateFormat.text: output.lines,
        ValidateFormat.json: output.as_json,
        ValidateFormat.github: output.github,
    }[chosen](run)
    raise typer.Exit(ExitCode.OK if run.ok else ExitCode.FINDINGS)
