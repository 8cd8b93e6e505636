"""`htreport report -o FILE.html`: a one-page, self-contained HTML summary of a corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from htreport import render
from htreport.cli.app import app
from htreport.cli.common import DataPaths, DebugFlag, ForceFlag, user_errors
from htreport.cli.query import SkipInvalidFlag
from htreport.errors import ExitCode


@app.command()
def report(
    paths: DataPaths = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The HTML file to write (.html).")
    ] = Path("summary.html"),
    force: ForceFlag = False,
    skip_invalid: SkipInvalidFlag = False,
    debug: DebugFlag = False,
) -> None:
    """Write one self-contained HTML page: the reports, deliverables by status (by lead and by
    pillar), the charts (inline SVG), the progress flags with the years that decided them, the
    achievement links, unreported deliverables and unplanned achievements, each row naming its
    source line. No script, nothing fetched. Needs `pip install 'htreport[report]'`.

    Exit 0 on success, 1 when files were skipped with --skip-invalid, 2 on unusable input or an
    existing output without --force.

    \b
    Examples:
      $ htreport report data/structured/ -o summary.html
    """
    from htreport.errors import UsageError
    from htreport.store.atomic import check_target, write_atomic
    from htreport.store.corpus import load_corpus, load_reports, summarize_skipped

    with user_errors(debug):
        if output.suffix.lower() not in (".html", ".htm"):
            raise UsageError(f"--output {output}: the report file must end in .html")
        check_target(output, force=force)
        from htreport.render.report import report_html

        corpus = load_corpus(paths, skip_invalid=skip_invalid)
        loaded, _skipped_again = load_reports(paths, skip_invalid=skip_invalid)
        for line in summarize_skipped(corpus.skipped):
            render.warning(line)
        html = report_html(corpus, [report for _path, report in loaded], output)
        write_atomic(output, html, force=force)
        typer.echo(f"wrote {output} ({len(corpus.entries)} report(s))")
    if corpus.skipped:
        render.error(f"{len(corpus.skipped)} file(s) skipped as invalid")
        raise typer.Exit(ExitCode.FINDINGS)
