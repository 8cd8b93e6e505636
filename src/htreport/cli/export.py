"""`htreport export`: structured reports -> SQLite (+ datasette metadata), CSV, Data Package,
Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from htreport import render
from htreport.cli.app import app
from htreport.cli.common import DataPaths, DebugFlag, ForceFlag, user_errors
from htreport.cli.query import SkipInvalidFlag
from htreport.errors import ExitCode

if TYPE_CHECKING:
    from htreport.export.rows import Derived


def derived_values(paths: list[Path] | None, skip_invalid: bool) -> Derived:
    """The progress flags and achievement links of the corpus, for the exported columns and
    the links table (export may not import analysis, so they are computed here)."""
    from htreport.analysis.flags import export_flag_values
    from htreport.analysis.links import find_links
    from htreport.export.rows import Derived
    from htreport.store.corpus import load_reports

    reports, _skipped = load_reports(paths, skip_invalid=skip_invalid)
    flags = export_flag_values([report for _path, report in reports])
    links = {
        str(path): [link.to_data() for link in find_links([report])] for path, report in reports
    }
    return Derived(flags=flags, links=links)


@app.command()
def export(
    paths: DataPaths = None,
    sqlite: Annotated[
        Path | None,
        typer.Option(
            "--sqlite", show_default=False, help="Write a SQLite database (FTS5 search included)."
        ),
    ] = None,
    metadata: Annotated[
        Path | None,
        typer.Option(
            "--metadata",
            show_default=False,
            help="Write datasette metadata for the --sqlite database (YAML).",
        ),
    ] = None,
    csv_dir: Annotated[
        Path | None,
        typer.Option(
            "--csv", show_default=False, help="Write one CSV file per table into this directory."
        ),
    ] = None,
    datapackage: Annotated[
        Path | None,
        typer.Option(
            "--datapackage",
            show_default=False,
            help="Write the CSV files and a Frictionless datapackage.json into this directory.",
        ),
    ] = None,
    parquet: Annotated[
        Path | None,
        typer.Option(
            "--parquet",
            show_default=False,
            help="Write one Parquet file per table into this directory (needs pyarrow).",
        ),
    ] = None,
    force: ForceFlag = False,
    skip_invalid: SkipInvalidFlag = False,
    debug: DebugFlag = False,
) -> None:
    """Export structured reports for sqlite3, datasette, a spreadsheet, frictionless, pandas
    or DuckDB (docs/using-the-data.md).

    Deliverables carry the progress flags (docs/analysis.md) and `links` the achievement ->
    deliverable links at the default threshold. Tables: reports, departments, programs, pillars, objectives, tasks, deliverables,
    deliverable_items, deliverable_leads, statistics, statistic_departments, achievements,
    achievement_departments, links, footnotes, warnings; FTS5 tables deliverables_fts,
    statistics_fts, achievements_fts. Exit 0 on success, 1 when files were skipped with
    --skip-invalid, 2 on unusable input or an existing output without --force (nothing is
    written then).

    \b
    Examples:
      $ htreport export --sqlite nap.sqlite
      $ htreport export data/structured/ --csv csv/ --force
    """
    from htreport.export.targets import Targets, export_corpus
    from htreport.store.corpus import summarize_skipped

    targets = Targets(
        sqlite=sqlite,
        metadata=metadata,
        csv=csv_dir,
        datapackage=datapackage,
        parquet=parquet,
        force=force,
    )
    with user_errors(debug):
        targets.check()  # refuse before the corpus is read for the flags and links
        derived = derived_values(paths, skip_invalid)
        counts, skipped = export_corpus(targets, paths, skip_invalid=skip_invalid, derived=derived)
        for line in summarize_skipped(skipped):
            render.warning(line)
        summary = f"{counts['reports']} report(s), {counts['deliverables']} deliverables"
        tables = len(counts)
        for target, line in (
            (sqlite, f"wrote {sqlite}: {summary}"),
            (metadata, f"wrote {metadata} (datasette metadata)"),
            (csv_dir, f"wrote {tables} CSV files to {csv_dir}"),
            (datapackage, f"wrote {tables} CSV files and datapackage.json to {datapackage}"),
            (parquet, f"wrote {tables} Parquet files to {parquet}"),
        ):
            if target is not None:
                typer.echo(line, err=True)
    if skipped:
        render.error(f"{len(skipped)} file(s) skipped as invalid")
        raise typer.Exit(ExitCode.FINDINGS)
