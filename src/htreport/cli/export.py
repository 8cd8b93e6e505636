"""`htreport export`: structured reports -> SQLite (+ datasette metadata), CSV, Data Package,
Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from htreport import render
from htreport.cli.app import app
from htreport.cli.common import DataPaths, DebugFlag, ForceFlag, output_option, user_errors
from htreport.cli.query import SkipInvalidFlag
from htreport.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from htreport.export.rows import Derived
    from htreport.model.report import Report


def derived_values(paths: list[Path] | None, skip_invalid: bool, links: bool = True) -> Derived:
    """The progress flags and achievement links of the corpus, for the exported columns and
    the links table (export may not import analysis, so they are computed here). Without
    `links`, no links (nor scikit-learn, scipy and rapidfuzz, which score them).

    One report at a time: the links of a report are found as the export writes it, and kept
    no longer. For the flags only each dated report's chart is kept; once two reports share a
    fiscal year no timeline can be made and the flags are all NULL, so the rest of the corpus
    is not read for them (a bad file is still found, by the export's own pass). Memory stays
    flat however many files there are."""
    from htreport.analysis.flags import export_flag_values
    from htreport.export.rows import Derived
    from htreport.store.corpus import iter_reports

    charts: list[Report] = []
    years: set[str] = set()
    for _path, report in iter_reports(paths, skip_invalid=skip_invalid):
        year = report.metadata.fiscal_year
        if not year or report.annex is None:
            continue
        if year in years:
            charts = []
            break
        years.add(year)
        charts.append(report.model_copy(update=dict.fromkeys(_NOT_FOR_FLAGS, [])))

    if not links:
        return Derived(flags=export_flag_values(charts))
    from htreport.analysis.links import find_links

    def link_records(report: Report) -> list[dict[str, Any]]:
        return [link.to_data() for link in find_links([report])]

    return Derived(flags=export_flag_values(charts), find_links=link_records)


#: Parts of a report the flags do not read, dropped from the copies kept for them.
_NOT_FOR_FLAGS = ("achievements", "statistics", "footnotes", "joins", "warnings")


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
    no_links: Annotated[
        bool,
        typer.Option(
            "--no-links",
            help="Leave the links table empty: faster and lighter (the libraries that score "
            "links are not loaded).",
        ),
    ] = False,
    force: ForceFlag = False,
    skip_invalid: SkipInvalidFlag = False,
    debug: DebugFlag = False,
) -> None:
    """Export structured reports for sqlite3, datasette, a spreadsheet, frictionless, pandas
    or DuckDB (docs/using-the-data.md).

    Deliverables carry the progress flags (docs/analysis.md) and `links` the achievement ->
    deliverable links at the default threshold (none with --no-links). Tables: reports, departments, programs, pillars, objectives, tasks, deliverables,
    deliverable_items, deliverable_leads, statistics, statistic_departments, achievements,
    achievement_departments, links, footnotes, warnings; FTS5 tables deliverables_fts,
    statistics_fts, achievements_fts. Exit 0 on success, 1 when files were skipped with
    --skip-invalid, 2 on unusable input or an existing output without --force (nothing is
    written then).

    \b
    Examples:
      $ htreport export --sqlite nap.sqlite
      $ htreport export --sqlite - | gzip > nap.sqlite.gz
      $ htreport export data/structured/ --csv csv/ --force
      $ htreport export data/structured/ --sqlite light.sqlite --no-links
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
        targets.check()  # refuse before the corpus is read for the flags and links
        derived = derived_values(paths, skip_invalid, links=not no_links)
        counts, skipped = export_corpus(targets, paths, skip_invalid=skip_invalid, derived=derived)
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
