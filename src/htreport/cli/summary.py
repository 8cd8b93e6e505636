"""`htreport summary`: a corpus at a glance."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from htreport import render
from htreport.cli.app import app
from htreport.cli.common import DataPaths, DebugFlag, user_errors
from htreport.cli.query import NoCacheFlag, SkipInvalidFlag, YearOpt
from htreport.errors import ExitCode


class SummaryFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def summary(
    paths: DataPaths = None,
    year: YearOpt = None,
    fmt: Annotated[
        SummaryFormat, typer.Option("--format", "-F", help="table (rich) or json.")
    ] = SummaryFormat.table,
    no_cache: NoCacheFlag = False,
    skip_invalid: SkipInvalidFlag = False,
    debug: DebugFlag = False,
) -> None:
    """Deliverables per lead department by status, per pillar, new ones, counts of statistics
    and achievements.

    Exit 0 on success, 1 when files were skipped with --skip-invalid, 2 on unusable input.
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
        if fmt is SummaryFormat.json:
            sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        else:
            from htreport.render.summary import print_summary

            print_summary(result, render.stdout())
    if corpus.skipped:
        render.error(f"{len(corpus.skipped)} file(s) skipped as invalid")
        raise typer.Exit(ExitCode.FINDINGS)
