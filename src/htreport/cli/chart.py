"""`htreport chart KIND -o FILE.svg|.png`: the corpus summary as a chart (needs matplotlib)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from htreport.cli.app import app
from htreport.cli.common import DataPaths, DebugFlag, ForceFlag, output_option, user_errors


def chart_of(kind: str, paths: list[Path] | None):
    """The ChartData of `kind` over the structured files under `paths`."""
    from htreport.analysis.charts import chart_data
    from htreport.store.corpus import load_corpus

    flags = None
    if kind == "flags":
        from htreport.analysis.flags import compute_flags
        from htreport.store.corpus import load_reports

        flags = compute_flags([report for _path, report in load_reports(paths)[0]])
    return chart_data(kind, load_corpus(paths), flags)


@app.command()
def chart(
    kind: Annotated[
        str, typer.Argument(help="leads, pillars, years (status per report year) or flags.")
    ],
    paths: DataPaths = None,
    output_text: Annotated[
        str, typer.Option("--output", "-o", metavar="FILE", help="The chart file: .svg or .png.")
    ] = "chart.svg",
    force: ForceFlag = False,
    debug: DebugFlag = False,
) -> None:
    """Draw deliverables by lead department or pillar stacked by status, status counts per
    year, or progress flags by department. Needs `pip install 'htreport[charts]'`.

    Exit 0 on success, 2 on unusable input or an existing output without --force.

    \b
    Examples:
      $ htreport chart leads data/structured/2014-2015.yaml -o leads.svg
      $ htreport chart pillars data/structured/ -o pillars.png --force
    """
    from htreport.errors import UsageError
    from htreport.render.charts import draw
    from htreport.store.atomic import check_target, write_atomic

    with user_errors(debug):
        output = output_option(output_text, "--output")
        assert output is not None
        fmt = output.suffix.lower().lstrip(".")
        if fmt not in ("svg", "png"):
            raise UsageError(f"--output {output}: the chart file must end in .svg or .png")
        check_target(output, force=force)  # before the work; checked again when written
        data = chart_of(kind, paths)
        write_atomic(output, draw(data, fmt), force=force)
        typer.echo(f"wrote {output} ({data.title})")
