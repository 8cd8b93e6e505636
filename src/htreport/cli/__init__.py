"""The `htreport` command line: a thin typer layer over the library API."""

from __future__ import annotations

from htreport.cli import pydantic_plugins
from htreport.cli.app import app
from htreport.store.parallel import collect_rarely

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
    # a command is one bulk job: the cyclic collector need not keep rescanning what it loads
    collect_rarely()
    pydantic_plugins.install()
    app()
