"""`htreport history QUERY`: one deliverable's record across every report year."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from htreport import render
from htreport.cli.app import app
from htreport.cli.common import DebugFlag, format_option, user_errors
from htreport.cli.diff import DataOpt, NoOverridesOpt, OverridesOpt, load_overrides
from htreport.errors import ExitCode


@app.command()
def history(
    query: Annotated[
        str, typer.Argument(help="A key (2014-2015/3.11.2), an id (3.11.2) or words of the text.")
    ],
    year: Annotated[
        str | None,
        typer.Option(
            "--year", "-y", show_default=False, help="With an id: the year the id refers to."
        ),
    ] = None,
    fmt: Annotated[
        str,
        format_option(
            ("table", "markdown", "json"),
            "table (rich on a terminal, the markdown text when piped), markdown or json.",
            aliases={"rich": "table", "text": "markdown", "md": "markdown"},
        ),
    ] = "table",
    overrides_path: OverridesOpt = None,
    no_overrides: NoOverridesOpt = False,
    data: DataOpt = None,
    debug: DebugFlag = False,
) -> None:
    """Show a deliverable's text, status, leads and start in every report year of the corpus.

    Years are matched one to the next as `htreport diff` does. Exit 0 when something matched,
    1 when nothing did, 2 on unusable input.

    \b
    Examples:
      $ htreport history 3.11.2
      $ htreport history "Temporary Residence Permits" -F json
    """
    from htreport.analysis.history import history as find_history

    with user_errors(debug):
        overrides = load_overrides(overrides_path, no_overrides)
        found, warnings = find_history(query, data, overrides, year)
        for warning in warnings:
            render.warning(warning)
        if not found:
            render.error(f"no deliverable matches {query!r}")
            raise typer.Exit(ExitCode.FINDINGS)
        from htreport.analysis.flags import timeline_flag_data

        flags = [timeline_flag_data(t) for t in found]
        if fmt == "json":
            shown = [{**t.to_data(), "flags": f} for t, f in zip(found, flags, strict=True)]
            sys.stdout.write(
                json.dumps(shown, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
            )
            return
        from htreport.render import diff as view

        if fmt == "markdown" or not render.is_terminal():
            sys.stdout.write(view.timelines_markdown(found, flags))
        else:
            view.print_timelines(found, flags)
