"""The `htreport` command line: a thin typer layer over the library API."""

from __future__ import annotations

from htreport.cli import pydantic_plugins
from htreport.cli.app import app

# Importing a command module registers its commands on `app`, in the order `--help` lists them.
# isort: off
from htreport.cli import (  # noqa: F401
    extract,
    validate,
    diff,
    history,
    export,
    summary,
    schema,
    query,
    cache,
    links,
    chart,
    report,
)
# isort: on

__all__ = ["app", "main"]


def main() -> None:
    pydantic_plugins.install()
    app()
