"""`htreport summary`: a corpus at a glance."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from htreport import render
from htreport.cli.app import app
from htreport.cli.common import DataPaths, DebugFlag, format_option, user_errors
from htreport.cli.query import NoCacheFlag, SkipInvalidFlag, YearOpt
from htreport.errors import ExitCode


@app.command()
def summary(
    paths: DataPaths = None,
    year: YearOpt = None,
    fmt: Annotated[
        str,
        format_option(
            ("table", "json"),
            "table (rich on a terminal, plain text when piped) or json.",
            aliases={"rich": "table", "text": "table"},
        ),
    ] = "table",
    no_cache: NoCacheFlag = False,
    skip_invalid: SkipInvalidFlag = False,
    debug: DebugFlag = False,
) -> None:
    """Deliverables per lead department by status, per pillar, new ones, counts of statistics
    and achievements.

    Exit 0 on success, 1 when files were skipped with --skip-invalid, 2 on unusable input.

    \b
    Examples:
      $ htreport summary
      $ htreport summary --year 2014-15 -F json
    """
    from htreport.analysis.query import Filters
    from htreport.analysis.summary import summarize
    from htreport.store.corpus import load_corpus, summarize_skipped

    with user_errors(debug):
        years = set(Filters.parse(year=year).year) or None
        corpus = load_corpus(paths, use_cache=not no_cache, skip_invalid=skip_invalid)
        for line in summarize_skipped(corpus.skipped):
            render.warning(line)
        result = summarize(corpus, years)
        from htreport.render.summary import plain_summary, print_summary

        if fmt == "json":
            sys.stdout.write(
                json.dumps(result, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
            )
        elif render.is_terminal():
            print_summary(result, render.stdout())
        else:
            sys.stdout.write(plain_summary(result))
    if corpus.skipped:
        render.error(f"{len(corpus.skipped)} file(s) skipped as invalid")
        raise typer.Exit(ExitCode.FINDINGS)
