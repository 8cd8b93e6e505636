"""`htreport export`: structured reports -> a SQLite database and/or CSV files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from htreport import render
from htreport.cli.app import app
from htreport.cli.common import DataPaths, DebugFlag, ForceFlag, user_errors
from htreport.cli.query import SkipInvalidFlag
from htreport.errors import ExitCode, OutputExistsError, UsageError


@app.command()
def export(
    paths: DataPaths = None,
    sqlite: Annotated[
        Path | None,
        typer.Option(
            "--sqlite", show_default=False, help="Write a SQLite database (FTS5 search included)."
        ),
    ] = None,
    csv_dir: Annotated[
        Path | None,
        typer.Option(
            "--csv", show_default=False, help="Write one CSV file per table into this directory."
        ),
    ] = None,
    force: ForceFlag = False,
    skip_invalid: SkipInvalidFlag = False,
    debug: DebugFlag = False,
) -> None:
    """Export structured reports for sqlite3, datasette or a spreadsheet.

    Tables: reports, departments, programs, pillars, objectives, tasks, deliverables,
    deliverable_items, deliverable_leads, statistics, statistic_departments, achievements,
    achievement_departments,
    footnotes, warnings; FTS5 tables deliverables_fts, statistics_fts, achievements_fts.
    Exit 0 on success, 1 when files were skipped with --skip-invalid, 2 on unusable input or
    an existing output without --force (nothing is written then).
    """
    from htreport.export.csv_files import write_csv
    from htreport.export.sqlite import write_sqlite
    from htreport.export.tables import build_tables
    from htreport.store.corpus import load_reports, summarize_skipped

    with user_errors(debug):
        if sqlite is None and csv_dir is None:
            raise UsageError("nothing to do: give --sqlite FILE and/or --csv DIR")
        if csv_dir is not None and csv_dir.exists() and not csv_dir.is_dir():
            raise UsageError("--csv needs a directory", path=csv_dir)
        _refuse_existing(sqlite, csv_dir, force)  # before any work: all or nothing
        reports, skipped = load_reports(paths, skip_invalid=skip_invalid)
        for line in summarize_skipped(skipped):
            render.warning(line)
        from htreport.analysis.flags import export_flag_values
        from htreport.analysis.links import link_rows

        plain = [report for _path, report in reports]
        tables = build_tables(reports, export_flag_values(plain), link_rows(plain))
        if sqlite is not None:
            write_sqlite(tables, sqlite, force=force)
            typer.echo(
                f"wrote {sqlite}: {len(reports)} report(s), "
                f"{len(tables['deliverables'].rows)} deliverables",
                err=True,
            )
        if csv_dir is not None:
            written = write_csv(tables, csv_dir, force=force)
            typer.echo(f"wrote {len(written)} CSV files to {csv_dir}", err=True)
    if skipped:
        render.error(f"{len(skipped)} file(s) skipped as invalid")
        raise typer.Exit(ExitCode.FINDINGS)


def _refuse_existing(sqlite: Path | None, csv_dir: Path | None, force: bool) -> None:
    from htreport.export.tables import TABLE_NAMES

    if force:
        return
    targets = [sqlite] if sqlite is not None else []
    if csv_dir is not None:
        targets += [csv_dir / f"{name}.csv" for name in TABLE_NAMES]
    for target in targets:
        if target.exists():
            raise OutputExistsError("exists; pass --force to overwrite", path=target)
