"""`htreport query deliverables|statistics|achievements`: filter a corpus of structured reports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from htreport import render
from htreport.cli.app import app
from htreport.cli.common import DataPaths, DebugFlag, format_option, user_errors
from htreport.errors import ExitCode

query_app = typer.Typer(
    name="query",
    help="Filter deliverables, statistics or achievements across structured reports.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(query_app, name="query")


Lead = Annotated[
    list[str] | None,
    typer.Option(
        "--lead",
        "-l",
        show_default=False,
        help="Lead department or program: code, alias, French acronym, former name (CIC), "
        "program (TFWP). Case-insensitive; repeat for any of several.",
    ),
]
StatusOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        "-s",
        show_default=False,
        help="ongoing, in_progress, completed, on_hold, ... (repeatable).",
    ),
]
PillarOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--pillar",
        show_default=False,
        help="prevention, protection, prosecution, partnerships (repeatable).",
    ),
]
TaskOpt = Annotated[
    list[str] | None,
    typer.Option("--task", "-t", show_default=False, help="Task id, e.g. 3.11 (repeatable)."),
]
YearOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--year",
        "-y",
        show_default=False,
        help="Report fiscal year: 2014-2015 or 2014-15 (repeatable).",
    ),
]
StartOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--start", show_default=False, help="Start fiscal year, e.g. 2014-15 (repeatable)."
    ),
]
NewOpt = Annotated[bool, typer.Option("--new", help="Only deliverables marked NEW:.")]
GrepOpt = Annotated[
    str | None,
    typer.Option(
        "--grep",
        "-g",
        show_default=False,
        help="Regular expression searched in the text (case-insensitive).",
    ),
]
SectionOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--section",
        show_default=False,
        help="Report section, e.g. prevention, introduction (repeatable).",
    ),
]
UnitOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--unit", "-u", help="Statistics of this unit: count, CAD, percent, ... (repeatable)."
    ),
]
MinOpt = Annotated[
    float | None, typer.Option("--min", help="Statistics whose value is at least this.")
]
MaxOpt = Annotated[
    float | None, typer.Option("--max", help="Statistics whose value is at most this.")
]


def _fields_option(example: str) -> Any:
    return typer.Option("--fields", show_default=False, help=f"Columns to show, e.g. {example}.")


DeliverableFields = Annotated[str | None, _fields_option("id,status,leads")]
StatisticFields = Annotated[str | None, _fields_option("report,value,unit,counted")]
AchievementFields = Annotated[str | None, _fields_option("report,section,text")]
SortOpt = Annotated[
    str | None,
    typer.Option(
        "--sort", show_default=False, help="Sort by fields, e.g. -start,id (- for descending)."
    ),
]
CountFlag = Annotated[
    bool, typer.Option("--count", "-c", help="Print only the number of matching records.")
]
FormatOpt = Annotated[
    str,
    format_option(
        ("table", "json", "jsonl", "csv", "yaml"),
        "table (rich on a terminal, plain text when piped), json, jsonl, csv or yaml.",
        aliases={"rich": "table", "text": "table"},
    ),
]
FlagOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--flag",
        show_default=False,
        help="Progress flag: stalled, long_running, new_this_year, completed_this_year, "
        "dropped (repeatable: all must hold). See docs/analysis.md.",
    ),
]
UnreportedFlag = Annotated[
    bool, typer.Option("--unreported", help="Only deliverables no key achievement links to.")
]
UnplannedFlag = Annotated[
    bool, typer.Option("--unplanned", help="Only achievements that link to no deliverable.")
]
NoCacheFlag = Annotated[
    bool, typer.Option("--no-cache", help="Read every file afresh; neither use nor fill the cache.")
]
SkipInvalidFlag = Annotated[
    bool,
    typer.Option(
        "--skip-invalid", help="Skip files that do not load (each named on stderr; exit 1)."
    ),
]


def run_query(
    kind: str,
    paths: list[Path] | None,
    *,
    fmt: str,
    fields: str | None,
    sort: str | None,
    count: bool,
    no_cache: bool,
    skip_invalid: bool,
    debug: bool,
    flags: list[str] | None = None,
    unreported: bool = False,
    unplanned: bool = False,
    **filter_options: Any,
) -> None:
    """What the three query commands share: validate options, load, filter, print."""
    from htreport.analysis.filters import Filters, check_units
    from htreport.analysis.query import (
        check_fields,
        matched_json_groups,
        parse_field_list,
        project,
        select_entries,
        sort_records,
    )
    from htreport.render.query import print_records, write_json_groups, write_line_groups
    from htreport.store.corpus import load_corpus, summarize_skipped

    with user_errors(debug):
        filters = Filters.parse(**filter_options)
        filters.check_applies(kind)
        field_list = parse_field_list(fields)
        check_fields(kind, field_list)
        check_fields(kind, [key.lstrip("-") for key in parse_field_list(sort)], "--sort")
        corpus = load_corpus(paths, use_cache=not no_cache, skip_invalid=skip_invalid)
        for line in summarize_skipped(corpus.skipped):
            render.warning(line)
        if filters.unit:
            check_units(filters, {r["unit"] for e in corpus.entries for r in e.index(kind)})
        matches = select_entries(corpus, kind, filters)
        if flags or unreported or unplanned:
            from htreport.analysis.computed import keep_computed

            matches = keep_computed(
                kind, matches, paths, flags=flags or [], unreported=unreported, unplanned=unplanned
            )
        if count:
            sys.stdout.write(f"{len(matches)}\n")
        elif fmt in ("json", "jsonl") and not field_list and not sort:
            # the records' JSON text is kept ready in the cache: no decoding, no encoding
            groups = matched_json_groups(matches, kind)
            if fmt == "json":
                write_json_groups(groups, sys.stdout)
            else:
                write_line_groups(groups, sys.stdout)
        else:
            records = [entry.records(kind)[position] for entry, position in matches]
            records = project(sort_records(records, kind, sort), kind, field_list)
            console = render.stdout() if fmt == "table" and render.is_terminal() else None
            print_records(records, kind, fmt, sys.stdout, fields=field_list, console=console)
        sys.stdout.flush()
    if corpus.skipped:
        render.error(f"{len(corpus.skipped)} file(s) skipped as invalid")
        raise typer.Exit(ExitCode.FINDINGS)


@query_app.command()
def deliverables(
    paths: DataPaths = None,
    lead: Lead = None,
    status: StatusOpt = None,
    pillar: PillarOpt = None,
    task: TaskOpt = None,
    year: YearOpt = None,
    start: StartOpt = None,
    new: NewOpt = False,
    grep: GrepOpt = None,
    flag: FlagOpt = None,
    unreported: UnreportedFlag = False,
    fields: DeliverableFields = None,
    sort: SortOpt = None,
    count: CountFlag = False,
    fmt: FormatOpt = "table",
    no_cache: NoCacheFlag = False,
    skip_invalid: SkipInvalidFlag = False,
    debug: DebugFlag = False,
) -> None:
    """Annex A deliverables matching every filter given.

    --flag and --unreported are computed over the reports given (docs/analysis.md).

    Exit 0 on success (even with no match), 1 when files were skipped with --skip-invalid,
    2 on a bad option value or an unusable file.

    \b
    Examples:
      $ htreport query deliverables --lead CBSA --status ongoing
      $ htreport query deliverables --new --fields id,status,leads --sort id
      $ htreport query deliverables --grep "labour|forced" -F csv
    """
    run_query(
        "deliverables",
        paths,
        fmt=fmt,
        fields=fields,
        sort=sort,
        count=count,
        no_cache=no_cache,
        skip_invalid=skip_invalid,
        debug=debug,
        lead=lead,
        status=status,
        pillar=pillar,
        task=task,
        year=year,
        start=start,
        new=True if new else None,
        grep=grep,
        flags=flag,
        unreported=unreported,
    )


@query_app.command()
def statistics(
    paths: DataPaths = None,
    lead: Lead = None,
    section: SectionOpt = None,
    unit: UnitOpt = None,
    minimum: MinOpt = None,
    maximum: MaxOpt = None,
    year: YearOpt = None,
    grep: GrepOpt = None,
    fields: StatisticFields = None,
    sort: SortOpt = None,
    count: CountFlag = False,
    fmt: FormatOpt = "table",
    no_cache: NoCacheFlag = False,
    skip_invalid: SkipInvalidFlag = False,
    debug: DebugFlag = False,
) -> None:
    """Statistics (quantitative claims in the prose) matching every filter given.

    --grep searches the sentence; --lead matches the departments its paragraph names (a
    program selects its department). Exit codes as for `query deliverables`.

    \b
    Examples:
      $ htreport query statistics --unit CAD --fields report,value,unit,counted
      $ htreport query statistics --min 100 --sort -value -F jsonl
    """
    run_query(
        "statistics",
        paths,
        fmt=fmt,
        fields=fields,
        sort=sort,
        count=count,
        no_cache=no_cache,
        skip_invalid=skip_invalid,
        debug=debug,
        lead=lead,
        section=section,
        unit=unit,
        min=minimum,
        max=maximum,
        year=year,
        grep=grep,
    )


@query_app.command()
def achievements(
    paths: DataPaths = None,
    lead: Lead = None,
    section: SectionOpt = None,
    year: YearOpt = None,
    grep: GrepOpt = None,
    unplanned: UnplannedFlag = False,
    fields: AchievementFields = None,
    sort: SortOpt = None,
    count: CountFlag = False,
    fmt: FormatOpt = "table",
    no_cache: NoCacheFlag = False,
    skip_invalid: SkipInvalidFlag = False,
    debug: DebugFlag = False,
) -> None:
    """Key achievements matching every filter given.

    --unplanned keeps those linking to no deliverable (`htreport links`, docs/analysis.md).

    Achievements name departments, not programs: --lead TFWP selects ESDC's achievements.
    Exit codes as for `query deliverables`.

    \b
    Examples:
      $ htreport query achievements --lead TFWP --fields report,section,text
      $ htreport query achievements --count
    """
    run_query(
        "achievements",
        paths,
        fmt=fmt,
        fields=fields,
        sort=sort,
        count=count,
        no_cache=no_cache,
        skip_invalid=skip_invalid,
        debug=debug,
        lead=lead,
        section=section,
        year=year,
        grep=grep,
        unplanned=unplanned,
    )
