"""`htreport validate`: check structured files against the schema and cross-record rules."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from htreport.cli.app import app
from htreport.cli.common import DataPaths, DebugFlag, format_option, user_errors
from htreport.errors import DataFileError, ExitCode

if TYPE_CHECKING:
    from htreport.store.issues import ValidationReport


@app.command()
def validate(
    paths: DataPaths = None,
    fmt: Annotated[
        str,
        format_option(
            ("table", "json", "github"),
            "table: a table on a terminal, file:line:col: message lines when piped; json; "
            "github (annotations for GitHub Actions).",
            # `text` forces the plain lines even on a terminal (pre-commit hooks name it)
            aliases={"auto": "table", "rich": "table", "text": "lines"},
        ),
    ] = "table",
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

    PATHS may be - to read one data file from stdin. Every problem is reported with its
    file, line and column. Exit 0 when every file is valid, 1 when any problem is found, 2 for
    usage errors (a path that does not exist, no files).

    \b
    Examples:
      $ htreport validate data/structured/
      $ htreport validate - < data/structured/2014-2015.yaml
      $ htreport validate --format github data/structured/2014-2015.yaml
    """
    from htreport import render
    from htreport.render import validate as output
    from htreport.settings import DEFAULT_STRUCTURED_DIR
    from htreport.store.issues import ValidationRun
    from htreport.store.validate import validate_paths

    with user_errors(debug):
        given = paths or [DEFAULT_STRUCTURED_DIR]
        files = [path for path in given if str(path) != "-"]
        reports = validate_paths(files, raw_dir=raw_dir, check_source=check_source).reports
        if len(files) < len(given):  # `-`: one data file on stdin, as jq and check-jsonschema do
            reports.append(_validate_stdin(raw_dir))
        run = ValidationRun(reports)
        if fmt == "table" and not render.is_terminal():
            fmt = "lines"
        {
            "table": output.table,
            "lines": output.lines,
            "json": output.as_json,
            "github": output.github,
        }[fmt](run)
    raise typer.Exit(ExitCode.OK if run.ok else ExitCode.FINDINGS)


def _validate_stdin(raw_dir: Path | None) -> ValidationReport:
    """The one data file on standard input, read as files are: bytes, bounded, UTF-8."""
    from htreport.store.io import data_text, read_data_bytes
    from htreport.store.issues import ValidationReport, error_issue
    from htreport.store.validate import validate_text

    name = "<stdin>"
    try:
        text = data_text(read_data_bytes(sys.stdin.buffer, Path(name)), Path(name))
    except DataFileError as error:
        return ValidationReport(name, [error_issue(error, name)])
    shape = "json" if text.lstrip().startswith(("{", "[")) else "yaml"
    return validate_text(text, shape, file=name, raw_dir=raw_dir, utf8_decoded=True)
