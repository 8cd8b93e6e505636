"""The typer application every command module registers its commands on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="htreport",
    help="Turn National Action Plan annual reports into structured, queryable data.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    add_completion=False,
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
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Turn National Action Plan annual reports into structured, queryable data."""
