"""`htreport chart KIND -o FILE.svg|.png`: the corpus summary as a chart (needs matplotlib)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from htreport.cli.app import app
from htreport.cli.common import DataPaths, DebugFlag, ForceFlag, user_errors


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


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename: never a half-written chart."""
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@app.command()
def chart(
    kind: Annotated[
        str, typer.Argument(help="leads, pillars, years (status per report year) or flags.")
    ],
    paths: DataPaths = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The chart file: .svg or .png.")
    ] = Path("chart.svg"),
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

    with user_errors(debug):
        fmt = output.suffix.lower().lstrip(".")
        if fmt not in ("svg", "png"):
            raise UsageError(f"--output {output}: the chart file must end in .svg or .png")
        if output.exists() and not force:
            raise UsageError(f"{output} exists; use --force to overwrite it")
        data = chart_of(kind, paths)
        write_bytes_atomic(output, draw(data, fmt))
        typer.echo(f"wrote {output} ({data.title})")
