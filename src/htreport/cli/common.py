"""What every command shares: the error boundary and option types."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from htreport import render
from htreport.errors import ExitCode, HtreportError

DebugFlag = Annotated[
    bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")
]
ForceFlag = Annotated[bool, typer.Option("--force", "-f", help="Overwrite existing output files.")]
DataPaths = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Structured files or directories [default: data/structured/].", show_default=False
    ),
]


@contextmanager
def user_errors(debug: bool = False) -> Iterator[None]:
    """The one boundary: an HtreportError becomes one line on stderr and exit code 2."""
    try:
        yield
    except HtreportError as error:
        if debug:
            raise
        render.error(str(error))
        raise typer.Exit(ExitCode.ERROR) from None
    except KeyboardInterrupt:
        render.error("interrupted")
        raise typer.Exit(130) from None
