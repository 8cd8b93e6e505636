"""What every command shares: the error boundary and option types."""

from __future__ import annotations

import errno
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from htreport import render
from htreport.errors import ExitCode, HtreportError, UsageError

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


def cli_wording(message: str) -> str:
    """A library message in the command line's words: `force=True` is `--force` here."""
    return message.replace("pass force=True", "pass --force")


def output_option(text: str | None, option: str) -> Path | None:
    """The path given to an output option; an empty one (`--csv "$UNSET"`) is an error, not
    the current directory."""
    if text is None:
        return None
    if text == "":
        raise UsageError(f"{option}: the path is empty (an unset variable?); give a path")
    return Path(text)


@contextmanager
def user_errors(debug: bool = False) -> Iterator[None]:
    """The one boundary: an HtreportError becomes one line on stderr and exit code 2.

    So does an OSError that escaped the library's own handling (never a traceback), except
    a closed stdout, which the application ends quietly."""
    try:
        yield
    except HtreportError as error:
        if debug:
            raise
        render.error(cli_wording(str(error)))
        raise typer.Exit(ExitCode.ERROR) from None
    except OSError as error:
        if debug or isinstance(error, BrokenPipeError) or error.errno == errno.EPIPE:
            raise
        where = f"{error.filename}: " if error.filename else ""
        render.error(f"{where}{(error.strerror or str(error)).lower()}")
        raise typer.Exit(ExitCode.ERROR) from None
    except KeyboardInterrupt:
        render.error("interrupted")
        raise typer.Exit(130) from None


def closest(value: str, known: Iterable[str]) -> str | None:
    """The known value nearest to a mistyped one (`complete` -> `completed`), if any is close."""
    from rapidfuzz import fuzz, process, utils

    found = process.extractOne(
        value, list(known), scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=70
    )
    return found[0] if found else None


def format_option(
    choices: Sequence[str], help_text: str, aliases: dict[str, str] | None = None
) -> Any:
    """`--format/-F` with the shared format names; old names (`rich`, `auto`) still accepted.

    The aliases are left out of the help, so every command shows one set of names."""
    table = dict(aliases or {})

    def parse(value: str) -> str:
        text = str(value).strip().casefold()
        if text in table:
            return table[text]
        if text not in choices:
            hint = closest(text, choices)
            suggestion = f"; did you mean {hint!r}?" if hint else ""
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}{suggestion}")
        return text

    return typer.Option("--format", "-F", metavar="|".join(choices), parser=parse, help=help_text)
