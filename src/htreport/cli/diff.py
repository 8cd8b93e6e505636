"""`htreport diff OLD NEW`: what changed between two report years."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from htreport import render
from htreport.cli.app import app
from htreport.cli.common import DebugFlag, ForceFlag, format_option, user_errors
from htreport.errors import ExitCode, UsageError

#: The overrides file used when --overrides is not given (if it exists).
DEFAULT_OVERRIDES = Path("data/matches.yaml")


ReportArg = Annotated[
    str,
    typer.Argument(
        help="A structured file (.yaml/.json), a raw report (text/PDF), or a fiscal year such as 2014-2015."
    ),
]
DataOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        show_default=False,
        help="Where fiscal years are looked up [default: data/structured/].",
    ),
]
OverridesOpt = Annotated[
    Path | None,
    typer.Option(
        "--overrides",
        show_default=False,
        help="Forced/forbidden matches [default: data/matches.yaml if present].",
    ),
]
NoOverridesOpt = Annotated[bool, typer.Option("--no-overrides", help="Ignore the overrides file.")]


def load_overrides(path: Path | None, disabled: bool):
    """The overrides to honour: --overrides, else data/matches.yaml when it exists, else none."""
    from htreport.analysis import overrides

    if disabled:
        if path is not None:
            raise UsageError("--overrides and --no-overrides do not go together")
        return None
    if path is None:
        if not DEFAULT_OVERRIDES.is_file():
            return None
        path = DEFAULT_OVERRIDES
    return overrides.load(path)


@app.command()
def diff(
    old: ReportArg,
    new: ReportArg,
    fmt: Annotated[
        str,
        format_option(
            ("table", "markdown", "json"),
            "table (rich on a terminal, the markdown text when piped), markdown or json.",
            aliases={"rich": "table", "text": "markdown", "md": "markdown"},
        ),
    ] = "table",
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when there are differences.")
    ] = False,
    overrides_path: OverridesOpt = None,
    no_overrides: NoOverridesOpt = False,
    data: DataOpt = None,
    write_keys: Annotated[
        bool,
        typer.Option(
            "--write-keys",
            help="Carry OLD's keys onto NEW's matched deliverables, in NEW (a structured file).",
        ),
    ] = False,
    force: ForceFlag = False,
    debug: DebugFlag = False,
) -> None:
    """Compare two report years: deliverables added, removed and changed (text, task, status,
    leads, start, new), statistics whose value changed, achievements added or removed.

    Exit 0 (1 with --exit-code when there are differences), 2 on unusable input.

    \b
    Examples:
      $ htreport diff data/raw/nap-2014-2015-annual-report.txt 2014-2015
      $ htreport diff data/structured/2014-2015.yaml 2014-15 -F json --exit-code
    """
    from htreport.analysis import diff as diffing
    from htreport.analysis.history import resolve_report
    from htreport.analysis.matching import match_reports

    with user_errors(debug):
        overrides = load_overrides(overrides_path, no_overrides)
        before = resolve_report(old, data)
        after = resolve_report(new, data)
        diffing.check_comparable(before.report, after.report)
        old_year, new_year = before.report.metadata.fiscal_year, after.report.metadata.fiscal_year
        if old_year and new_year and old_year > new_year:
            render.warning(
                f"OLD ({old_year}) is a later year than NEW ({new_year}); showing the change backwards"
            )
        result = match_reports(before.report, after.report, overrides)
        report_diff = diffing.build_diff(before.report, after.report, result)
        for warning in report_diff.warnings:
            render.warning(warning)
        if write_keys:
            _write_keys(before, after, result, force)
        if fmt == "json":
            sys.stdout.write(report_diff.model_dump_json(indent=2) + "\n")
        else:
            from htreport.render import diff as view

            if fmt == "markdown" or not render.is_terminal():
                sys.stdout.write(view.markdown(report_diff))
            else:
                view.print_diff(report_diff)
    if exit_code and report_diff.has_changes():
        raise typer.Exit(ExitCode.FINDINGS)


def _write_keys(before, after, result, force: bool) -> None:
    """Write NEW back with carried keys; keys curated earlier are only replaced with --force."""
    from htreport.analysis.matching import carry_keys, default_key
    from htreport.store import io

    if after.path is None:
        raise UsageError(
            "--write-keys needs NEW to be a structured file (.yaml/.json), not a raw report"
        )
    carried = carry_keys(before.report, after.report, result)
    replaced, updated = [], 0
    current = after.report.deliverables()
    for (_p, _o, _t, was), (_p2, _o2, _t2, now) in zip(
        current, carried.deliverables(), strict=True
    ):
        if was.key == now.key:
            continue
        updated += 1
        if was.key is not None and was.key != default_key(after.report, was.id):
            replaced.append(f"{was.id}: {was.key} -> {now.key}")
    if replaced and not force:
        raise UsageError(
            f"{after.path}: {len(replaced)} deliverable(s) already carry other keys ({replaced[0]}, ...); "
            "pass --force to replace them"
        )
    if not updated:
        render.warning(f"{after.path}: keys already up to date; not rewritten")
        return
    io.dump(carried, after.path, force=True)
    render.warning(f"{after.path}: carried {updated} key(s) forward from {before.shown}")
