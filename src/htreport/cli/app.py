"""The typer application every command module registers its commands on."""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

import typer
from typer._click import exceptions as click_errors  # typer 0.29 vendors click: its classes
from typer.core import TyperArgument, TyperGroup, TyperOption

from htreport.cli import coercion
from htreport.errors import ExitCode, printable

ERROR_EXIT = int(ExitCode.ERROR)

#: Help placeholders by the Python type typer would otherwise print (`<int range>`, `<str>`).
_METAVARS = {"int": "N", "float": "NUMBER", "Path": "PATH", "str": "TEXT"}


def _no_type(ctx: Any) -> None:
    return None


def _constant(text: str) -> Any:
    return lambda: text


def _plain_metavars(command: Any) -> None:
    """Replace typer's Python-type placeholders (`<list[Path]>`, `{source}`) with words."""
    for param in command.params:
        if isinstance(param, TyperArgument):
            name = param.metavar or (param.name or "").upper()
            param.metavar = name
            param.display_type_rich = _no_type  # type: ignore[method-assign]
            usage = name if param.required else f"[{name}]"
            usage += "..." if param.nargs != 1 else ""
            param._usage_display_name = _constant(usage)  # type: ignore[method-assign]
        elif isinstance(param, TyperOption) and not param.is_flag and param.metavar is None:
            annotation = param.type_descriptor.annotation
            element = getattr(annotation, "__args__", (annotation,))[0]
            param.metavar = _METAVARS.get(getattr(element, "__name__", ""), "TEXT")
    for sub in getattr(command, "commands", {}).values():
        _plain_metavars(sub)


def _quiet_stdout() -> None:
    """The reader of our stdout has gone (`| head`): send what is left to /dev/null."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture stdout)
        pass


class HtreportGroup(TyperGroup):
    """The root command: plain help placeholders, options read without pydantic where plain,
    and a closed pipe ends the run with exit 0."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_metavars(self)
        coercion.install()  # no pydantic import just to read the options

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: Any = None,
        *,
        standalone_mode: bool = True,
        **kwargs: Any,
    ) -> Any:
        """Click's main, with a usage error as one `error:` line and exit 2 (not the three-line
        usage block), and an interrupt as `error: interrupted`, exit 130."""
        if not standalone_mode:
            return super().main(args, prog_name, standalone_mode=False, **kwargs)
        try:
            result = super().main(args, prog_name, standalone_mode=False, **kwargs)
        except click_errors.NoArgsIsHelpError as error:
            error.show()  # `htreport query` alone: the help, as before
            sys.exit(error.exit_code)
        except click_errors.UsageError as error:
            where = f" (see '{error.ctx.command_path} -h')" if error.ctx is not None else ""
            message = error.format_message().rstrip(".")
            print(f"error: {printable(message)}{where}", file=sys.stderr)
            sys.exit(ERROR_EXIT)
        except click_errors.ClickException as error:  # e.g. a file that --option cannot open
            print(f"error: {printable(error.format_message())}", file=sys.stderr)
            sys.exit(error.exit_code)
        except typer.Abort:
            print("error: interrupted", file=sys.stderr)
            sys.exit(130)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _quiet_stdout()
            raise typer.Exit(0) from None
        except OSError as error:
            if error.errno != errno.EPIPE:
                raise
            _quiet_stdout()
            raise typer.Exit(0) from None


app = typer.Typer(
    name="htreport",
    cls=HtreportGroup,
    help="Turn National Action Plan annual reports into structured, queryable data.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from htreport.settings import VERSION

        typer.echo(f"htreport {VERSION}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        callback=_version,
        is_eager=True,
        help="Show the version and exit.",
    ),
) -> None:
    """Turn National Action Plan annual reports into structured, queryable data."""
