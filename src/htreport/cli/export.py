"""`htreport export`: structured reports -> SQLite (+ datasette metadata), CSV, Data Package,
Parquet."""

from __future__ import annotations

from typing import Annotated

import typer

from htreport import render
from htreport.cli.app import app
from htreport.cli.common import DataPaths, DebugFlag, ForceFlag, output_option, user_errors
from htreport.cli.query import SkipInvalidFlag
from htreport.errors import ExitCode, UsageError


@app.command()
def export(
    paths: DataPaths = None,
    sqlite_text: Annotated[
        str | None,
        typer.Option(
            "--sqlite",
            metavar="FILE",
            show_default=False,
            help="Write a SQLite database (FTS5 search included); - for stdout.",
        ),
    ] = None,
    metadata_text: Annotated[
        str | None,
        typer.Option(
            "--metadata",
            metavar="FILE",
            show_default=False,
            help="Write datasette metadata for the --sqlite database (YAML).",
        ),
    ] = None,
    csv_text: Annotated[
        str | None,
        typer.Option(
            "--csv",
            metavar="DIR",
            show_default=False,
            help="Write one CSV file per table into this directory.",
        ),
    ] = None,
    datapackage_text: Annotated[
        str | None,
        typer.Option(
            "--datapackage",
            metavar="DIR",
            show_default=False,
            help="Write the CSV files and a Frictionless datapackage.json into this directory.",
        ),
    ] = None,
    parquet_text: Annotated[
        str | None,
        typer.Option(
            "--parquet",
            metavar="DIR",
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

    Tables: reports, departments, programs, pillars, objectives, tasks, deliverables,
    deliverable_items, deliverable_leads, statistics, statistic_departments, achievements,
    achievement_departments, footnotes, warnings; FTS5 tables deliverables_fts,
    statistics_fts, achievements_fts. Exit 0 on success, 1 when files were skipped with
    --skip-invalid, 2 on unusable input or an existing output without --force (nothing is
    written then).

    \b
    Examples:
      $ htreport export --sqlite nap.sqlite
      $ htreport export --sqlite - | gzip > nap.sqlite.gz
      $ htreport export data/structured/ --csv csv/ --force
    """
    from htreport.export.targets import Targets, export_corpus
    from htreport.store.corpus import summarize_skipped

    with user_errors(debug):
        sqlite = output_option(sqlite_text, "--sqlite")
        metadata = output_option(metadata_text, "--metadata")
        csv_dir = output_option(csv_text, "--csv")
        datapackage = output_option(datapackage_text, "--datapackage")
        parquet = output_option(parquet_text, "--parquet")
        if sqlite_text == "-" and render.is_terminal():
            raise UsageError(
                "--sqlite -: stdout is a terminal; redirect it (> nap.sqlite) or give a file"
            )
        targets = Targets(
            sqlite=sqlite,
            metadata=metadata,
            csv=csv_dir,
            datapackage=datapackage,
            parquet=parquet,
            force=force,
        )
        counts, skipped = export_corpus(targets, paths, skip_invalid=skip_invalid)
        for line in summarize_skipped(skipped):
            render.warning(line)
        summary = f"{counts['reports']} report(s), {counts['deliverables']} deliverables"
        tables = len(counts)
        for target, line in (
            (
                sqlite,
                f"wrote {'the database to stdout' if sqlite_text == '-' else sqlite}: {summary}",
            ),
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
