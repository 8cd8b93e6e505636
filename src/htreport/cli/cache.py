"""`htreport cache info|clear`: where the record cache is, how big, and emptying it."""

from __future__ import annotations

import typer

from htreport.cli.app import app

cache_app = typer.Typer(
    name="cache",
    help="Show or clear the record cache that makes repeated queries fast.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(cache_app, name="cache")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


@cache_app.command()
def info() -> None:
    """Print the cache's directory, its number of entries, its size and its size bound.

    Set HTREPORT_CACHE_DIR to move the cache, HTREPORT_CACHE_MAX_MB to change the bound.

    \b
    Examples:
      $ htreport cache info
    """
    from htreport.store.cache import cache_dir, cache_usage, max_cache_bytes

    directory = cache_dir() / "records"
    count, size = cache_usage(directory)
    typer.echo(f"directory: {directory}")
    typer.echo(f"entries:   {count}")
    typer.echo(f"size:      {_megabytes(size)} (bound {_megabytes(max_cache_bytes())})")


@cache_app.command()
def clear() -> None:
    """Remove every cache entry (they are rebuilt on the next query).

    \b
    Examples:
      $ htreport cache clear
    """
    from htreport.store.cache import cache_dir
    from htreport.store.cache import clear as clear_cache

    directory = cache_dir() / "records"
    removed = clear_cache(directory)
    typer.echo(f"removed {removed} cache entr{'y' if removed == 1 else 'ies'} from {directory}")
