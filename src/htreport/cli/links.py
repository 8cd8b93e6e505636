"""`htreport links`: which deliverables each key achievement most plausibly reports on."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from htreport.cli.app import app
from htreport.cli.common import DataPaths, DebugFlag, user_errors
from htreport.cli.query import FormatOpt

MinScoreOpt = Annotated[
    float | None,
    typer.Option("--min-score", show_default=False, help="Lowest score kept, 0-1 [default: 0.15]."),
]
TopOpt = Annotated[
    int, typer.Option("--top", min=1, help="Links kept per achievement, best first.")
]


def load_dated_reports(paths: list[Path] | None):
    from htreport.store.corpus import load_reports

    reports, _skipped = load_reports(paths)
    return [report for _path, report in reports]


@app.command()
def links(
    paths: DataPaths = None,
    min_score: MinScoreOpt = None,
    top: TopOpt = 1,
    fmt: FormatOpt = "table",
    debug: DebugFlag = False,
) -> None:
    """Link each key achievement to the deliverables it most plausibly reports on, with the
    score and its evidence (shared departments, shared key terms, text similarity).

    The method and its measured precision and recall are in docs/analysis.md. Exit 0 on
    success, 2 on unusable input.

    \b
    Examples:
      $ htreport links data/structured/2014-2015.yaml -F csv
      $ htreport links data/structured/ --min-score 0.3 --top 2
    """
    from htreport import render
    from htreport.analysis.links import DEFAULT_MIN_SCORE, LINK_FIELDS, find_links
    from htreport.render.query import print_records

    with user_errors(debug):
        reports = load_dated_reports(paths)
        threshold = DEFAULT_MIN_SCORE if min_score is None else min_score
        found = find_links(reports, threshold, top)
        records = [link.to_data() for link in found]
        fields = [
            "report",
            "achievement_line",
            "deliverable",
            "score",
            "shared_departments",
            "shared_terms",
            "achievement",
        ]
        console = render.stdout() if fmt == "table" and render.is_terminal() else None
        print_records(
            records,
            "links",
            fmt,
            sys.stdout,
            fields=fields if fmt == "table" else list(LINK_FIELDS),
            console=console,
        )
