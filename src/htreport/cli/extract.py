"""`htreport extract`: report text or PDF -> structured YAML/JSON."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from htreport import render
from htreport.cli.app import app
from htreport.cli.common import DebugFlag, ForceFlag, user_errors
from htreport.errors import ExitCode, HtreportError, OutputExistsError, UsageError

if TYPE_CHECKING:
    from htreport.document import SourceFormat
    from htreport.model.report import Report


class OutputFormat(StrEnum):
    yaml = "yaml"
    json = "json"


class SourceFormatChoice(StrEnum):
    text = "text"
    markdown = "markdown"
    html = "html"
    pdf = "pdf"


_SOURCE_FORMATS: dict[SourceFormatChoice, SourceFormat] = {
    SourceFormatChoice.text: "text",
    SourceFormatChoice.markdown: "markdown",
    SourceFormatChoice.html: "html",
    SourceFormatChoice.pdf: "pdf",
}


def _print_warnings(report: Report, shown_path: str) -> None:
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
            help="Output file, or directory (one file per report). Default: stdout.",
        ),
    ] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.yaml,
    force: ForceFlag = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding", help="Text encoding of the source, e.g. cp1252 (default UTF-8)."
        ),
    ] = None,
    source_format: Annotated[
        SourceFormatChoice | None,
        typer.Option(
            "--from",
            help="Read the source as this format instead of deciding by its content.",
        ),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Parallel processes for a directory.")
    ] = 1,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Do not print extraction warnings.")
    ] = False,
    debug: DebugFlag = False,
) -> None:
    """Extract Annex A, statistics, achievements and metadata from a report.

    The reader is chosen by content: %PDF- is a PDF, <!DOCTYPE html> or <html> an HTML page,
    text with a Markdown pipe table or headings Markdown, anything else text; --from chooses.
    Warnings (unparsed rows, unresolved leads, ...) go to stderr with their line numbers and are
    also recorded in the output. Exit 0 on success, 1 when some files of a directory failed, 2
    on unusable input.
    """
    from htreport.pipeline import extract as extract_report
    from htreport.pipeline.batch import output_names
    from htreport.store import io

    suffix = f".{fmt.value}"
    chosen: SourceFormat | None = _SOURCE_FORMATS[source_format] if source_format else None
    # kept as text first: Path() drops the trailing "/" that marks a directory to create
    output = Path(output_text) if output_text is not None else None
    wants_directory = output_text is not None and output_text.endswith(("/", "\\"))
    with user_errors(debug):
        if str(source) != "-" and source.is_dir():
            if output is None:
                raise UsageError("extracting a directory needs --output DIR")
            if output.exists() and not output.is_dir():
                raise UsageError("--output must be a directory when SOURCE is one", path=output)
            raise typer.Exit(
                _extract_directory(source, output, fmt.value, force, encoding, jobs, quiet, chosen)
            )
        if output is not None and not force and output.exists() and not output.is_dir():
            raise OutputExistsError("exists; pass --force to overwrite", path=output)
        report = extract_report(source, encoding=encoding, source_format=chosen)
        if not quiet:
            _print_warnings(report, "<stdin>" if str(source) == "-" else str(source))
        if output is None:
            sys.stdout.write(io.dumps(report, fmt.value))
            return
        if output.is_dir() or wants_directory:
            output = output / output_names([report], suffix)[0]
        io.dump(report, output, fmt=fmt.value, force=force)


def _extract_directory(
    source: Path,
    output: Path,
    fmt: str,
    force: bool,
    encoding: str | None,
    jobs: int,
    quiet: bool,
    source_format: SourceFormat | None,
) -> int:
    from htreport.pipeline.batch import extract_many, list_sources, output_names
    from htreport.store import io

    paths = list_sources(source)
    if not paths:
        raise UsageError("no files to extract", path=source)
    with render.progress(len(paths), "Extracting") as advance:
        outcomes = list(
            extract_many(
                paths,
                jobs=jobs,
                encoding=encoding,
                source_format=source_format,
                on_done=lambda o: advance(o.path.name),
            )
        )
    done = [o for o in outcomes if o.report is not None]
    names = output_names([o.report for o in done if o.report], f".{fmt}")
    failed = 0
    for outcome in outcomes:
        if outcome.error is not None:
            render.error(str(outcome.error))
            failed += 1
    for outcome, name in zip(done, names, strict=True):
        assert outcome.report is not None
        if not quiet:
            _print_warnings(outcome.report, str(outcome.path))
        try:
            io.dump(outcome.report, output / name, fmt=fmt, force=force)  # type: ignore[arg-type]
        except HtreportError as error:
            render.error(str(error))
            failed += 1
    if failed:
        render.error(f"{failed} of {len(paths)} file(s) failed; the others were written")
        return ExitCode.FINDINGS
    return ExitCode.OK
