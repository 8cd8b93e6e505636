"""`htreport extract`: report text or PDF -> structured YAML/JSON."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from htreport import render
from htreport.cli.app import app
from htreport.cli.common import (
    DebugFlag,
    ForceFlag,
    cli_wording,
    format_option,
    output_option,
    user_errors,
)
from htreport.errors import ExitCode, HtreportError, OutputError, OutputExistsError, UsageError

if TYPE_CHECKING:
    from htreport.model import plain
    from htreport.model.report import Report

#: The source formats `--from` accepts (htreport.document.SourceFormat).
SOURCE_FORMATS = ("text", "markdown", "html", "pdf")

#: The format each output suffix means; `--format` must agree with it.
SUFFIX_FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


def _source_format(value: str) -> str:
    text = str(value).strip().casefold()
    if text not in SOURCE_FORMATS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(SOURCE_FORMATS)}")
    return text


def choose_format(fmt: str | None, output: Path | None, to_directory: bool) -> str:
    """The output format: --format, else the output file's suffix, else YAML.

    A --format that contradicts the suffix (`-o x.json --format yaml`) is a usage error."""
    implied = None if output is None or to_directory else SUFFIX_FORMATS.get(output.suffix.lower())
    if fmt is not None and implied is not None and fmt != implied:
        raise UsageError(
            f"--format {fmt} does not match the suffix {output.suffix!r}; "  # type: ignore[union-attr]
            "change one of them",
            path=output,
        )
    return fmt or implied or "yaml"


def _print_warnings(report: Report | plain.Report, shown_path: str) -> None:
    for warning in report.warnings:
        where = f"{shown_path}:{warning.line}" if warning.line else shown_path
        if warning.page:
            where += f" (page {warning.page})"
        render.warning(f"{where}: [{warning.code}] {warning.message}")


@app.command()
def extract(
    source: Annotated[
        Path,
        typer.Argument(
            help="A report (text, Markdown, HTML or PDF), a directory of them, or - for stdin."
        ),
    ],
    output_text: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Output file, or directory (one file per report). Default (or -): stdout.",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        format_option(
            ("yaml", "json"),
            "Output format [default: from the --output suffix (.json, .yaml, .yml), else yaml].",
        ),
    ] = None,
    force: ForceFlag = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding", help="Text encoding of the source, e.g. cp1252 (default UTF-8)."
        ),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Parallel processes for a directory.")
    ] = 1,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Do not print extraction warnings.")
    ] = False,
    source_format: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="|".join(SOURCE_FORMATS),
            parser=_source_format,
            help="Read the source as this format instead of deciding by its content.",
        ),
    ] = None,
    schema_ref: Annotated[
        str,
        typer.Option(
            "--schema-ref",
            metavar="url|package|none|REF",
            help="What the file's $schema points editors at: the published schema (url), the "
            "installed copy (package), nothing, or a path or URL as given.",
        ),
    ] = "url",
    debug: DebugFlag = False,
) -> None:
    """Extract Annex A, statistics, achievements and metadata from a report.

    Warnings (unparsed rows, unresolved leads, ...) go to stderr with their line numbers and are
    also recorded in the output. Exit 0 on success, 1 when some files of a directory failed, 2
    on unusable input.

    \b
    The reader is chosen by content: %PDF- is a PDF, <!DOCTYPE html> or <html>
    an HTML page, text with a Markdown pipe table or headings Markdown,
    anything else text; --from chooses.

    \b
    Examples:
      $ htreport extract data/raw/nap-2014-2015-annual-report.txt -o 2014-15.json
      $ htreport extract data/raw/ -o structured/ --jobs 2 --quiet
      $ htreport extract - -q -F json < data/raw/nap-2014-2015-annual-report.txt
    """
    from htreport.pipeline import extract_plain, report_data
    from htreport.store import dumping

    if output_text == "-":
        output_text = None
    # kept as text first: Path() drops the trailing "/" that marks a directory to create
    wants_directory = output_text is not None and output_text.endswith(("/", "\\"))
    with user_errors(debug):
        try:
            dumping.schema_reference(schema_ref)
        except ValueError as error:
            raise UsageError(f"--schema-ref: {error}") from None
        output = output_option(output_text, "--output")
        to_directory = wants_directory or (output is not None and output.is_dir())
        if str(source) != "-" and source.is_dir():
            to_directory = True
        chosen = choose_format(fmt, output, to_directory)
        suffix = f".{chosen}"
        if str(source) != "-" and source.is_dir():
            if output is None:
                raise UsageError("extracting a directory needs --output DIR")
            if output.exists() and not output.is_dir():
                raise UsageError("--output must be a directory when SOURCE is one", path=output)
            from htreport.store.atomic import check_target

            check_target(output, force=force, directory=True)
            raise typer.Exit(
                _extract_directory(
                    source, output, chosen, force, encoding, jobs, quiet, source_format, schema_ref
                )
            )
        if output is not None:  # refused before the work, and checked again when written
            from htreport.store.atomic import check_target

            check_target(output, force=force, directory=output.is_dir() or wants_directory)
        report = extract_plain(source, encoding=encoding, source_format=source_format)  # type: ignore[arg-type]
        data = report_data(report)
        if not quiet:
            _print_warnings(report, "<stdin>" if str(source) == "-" else str(source))
        if output is None:
            sys.stdout.write(dumping.dumps_data(data, chosen, schema_ref=schema_ref))  # type: ignore[arg-type]
            return
        if output.is_dir() or wants_directory:
            from htreport.pipeline.batch import output_names

            output = output / output_names([report], suffix)[0]
        dumping.dump_data(data, output, fmt=chosen, force=force, schema_ref=schema_ref)  # type: ignore[arg-type]


def _extract_directory(
    source: Path,
    output: Path,
    fmt: str,
    force: bool,
    encoding: str | None,
    jobs: int,
    quiet: bool,
    source_format: str | None = None,
    schema_ref: str = "url",
) -> int:
    """Extract every file of `source`, writing each report as soon as it is extracted, so an
    interrupted run keeps what it finished."""
    from htreport.pipeline.batch import (
        OutputNamer,
        check_distinct_sources,
        extract_many,
        list_sources,
    )
    from htreport.store import dumping

    paths = list_sources(source)
    if not paths:
        raise UsageError("no files to extract", path=source)
    check_distinct_sources(paths)
    namer = OutputNamer(f".{fmt}")
    failed = 0
    done: list[str] = []  # the names written so far
    with render.progress(len(paths), "Extracting") as advance:
        outcomes = extract_many(
            paths,
            jobs=jobs,
            encoding=encoding,
            source_format=source_format,  # type: ignore[arg-type]
            as_data=True,
        )
        for outcome in outcomes:
            advance(outcome.path.name)
            if outcome.report is None or outcome.data is None:  # as_data: both, or an error
                render.error(str(outcome.error))
                failed += 1
                continue
            if not quiet:
                _print_warnings(outcome.report, str(outcome.path))
            name, rename = namer.name(outcome.report)
            try:
                if rename is not None and rename[0] in done:
                    _rename(output / rename[0], output / rename[1], force)
                    done[done.index(rename[0])] = rename[1]
                dumping.dump_data(
                    outcome.data,
                    output / name,
                    fmt=fmt,  # type: ignore[arg-type]
                    force=force,
                    schema_ref=schema_ref,
                )
                done.append(name)
            except HtreportError as error:
                if isinstance(error, OutputError) and not isinstance(error, OutputExistsError):
                    raise  # unwritable place, full disk: every file would fail alike (exit 2)
                render.error(cli_wording(str(error)))
                failed += 1
    if failed:
        wrote = f"{len(done)} written" if done else "none written"
        render.error(f"{failed} of {len(paths)} file(s) failed; {wrote}")
        return ExitCode.FINDINGS
    return ExitCode.OK


def _rename(old: Path, new: Path, force: bool) -> None:
    """Give an earlier report of a shared year its stem-qualified name."""
    import os

    from htreport.store.atomic import output_error, publish_new

    try:
        if force:
            os.replace(old, new)
        else:
            publish_new(old, new)  # never replaces a file that appeared meanwhile
    except OSError as error:
        raise output_error(error, new) from None
