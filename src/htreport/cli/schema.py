"""`htreport schema`: print or write the JSON Schemas generated from the data model."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from htreport.cli.app import app
from htreport.cli.common import DebugFlag, ForceFlag, output_option, user_errors
from htreport.errors import ExitCode


@app.command()
def schema(
    output_text: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Write every schema file into this directory (e.g. schemas/).",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="With --output: only report schema files that differ from the models (exit 1).",
        ),
    ] = False,
    force: ForceFlag = False,
    debug: DebugFlag = False,
) -> None:
    """Print the report JSON Schema, or write schemas/ from the data model.

    Files already up to date are left alone; changed ones need --force. Exit 0 on success (or
    when --check finds nothing stale), 1 when --check finds stale files, 2 on errors.

    \b
    Examples:
      $ htreport schema
      $ htreport schema --output schemas/ --check
    """
    from htreport import render
    from htreport.errors import UsageError
    from htreport.settings import REPORT_SCHEMA_FILE
    from htreport.store import schemas

    with user_errors(debug):
        output = output_option(output_text, "--output")
        if output is None:
            if check:
                raise UsageError("--check needs --output DIR")
            sys.stdout.write(schemas.generate()[REPORT_SCHEMA_FILE])
            return
        if output.exists() and not output.is_dir():
            raise UsageError("--output must be a directory", path=output)
        if check:
            stale = schemas.stale_files(output)
            for name in stale:
                render.error(
                    f"{output / name}: out of date; run htreport schema --output {output} --force"
                )
            raise typer.Exit(ExitCode.FINDINGS if stale else ExitCode.OK)
        written = schemas.write(output, force=force)
        for path in written:
            print(f"wrote {path}", file=sys.stderr)
        if not written:
            print(f"{output}: schemas up to date", file=sys.stderr)
