"""All rich output lives in this package; nothing else imports rich."""

from __future__ import annotations

import os
import sys
from functools import cache
from typing import TYPE_CHECKING, Any

from htreport.errors import printable

if TYPE_CHECKING:
    from rich.console import Console


@cache
def stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, no_color="NO_COLOR" in os.environ)


@cache
def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, no_color="NO_COLOR" in os.environ)


def error(message: str) -> None:
    """One plain line on stderr (never interpreted as rich markup; control characters escaped)."""
    print(f"error: {printable(message)}", file=sys.stderr)


def warning(message: str) -> None:
    print(f"warning: {printable(message)}", file=sys.stderr)


def is_terminal() -> bool:
    return sys.stdout.isatty()


class _Progress:
    """A rich progress bar on a terminal; silent when stderr is not one (CI, pipes)."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label = total, label
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self):
        if sys.stderr.isatty() and self.total > 1:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[name]}"),
                console=stderr(),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=self.total, name="")
        return self.advance

    def advance(self, name: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=1, name=name)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def progress(total: int, label: str) -> _Progress:
    return _Progress(total, label)
