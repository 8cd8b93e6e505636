"""Temporary files and directories removed when SIGINT, SIGTERM or SIGHUP stops the process.

A writer registers each temporary with `track` and forgets it with `untrack`; while anything
is registered, handlers for those signals are installed (from the main thread), and restored
when the last one is forgotten. A handler removes every registered temporary, then does what
the signal would have done: the handler it replaced (SIGINT: KeyboardInterrupt, so cleanups
run and the command line says `interrupted`, exit 130), or exit with status 128 + the signal.
A rename and the registry change together inside `critical_section()`, which holds a signal
until the block is done.
"""

from __future__ import annotations

import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: The signals that stop a run and must not leave temporary files behind.
CLEANUP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)

_lock = threading.RLock()
_live: dict[Path, bool] = {}  # temporary path -> is a directory
_saved: dict[int, Any] = {}  # signal -> the handler ours replaced
_critical_depth = 0
_pending: list[tuple[int, Any]] = []  # signals held by a critical section, with their handler


def track(path: Path, *, directory: bool = False) -> None:
    """Remove `path` if the process is stopped by a signal before `untrack(path)`."""
    with _lock:
        _live[path] = directory
        if not _saved:
            _install()


def untrack(path: Path) -> None:
    with _lock:
        _live.pop(path, None)
        if not _live and _saved:
            _restore()


def live_temporaries() -> list[Path]:
    """The temporary files and directories that exist now (for tests and diagnostics)."""
    with _lock:
        return list(_live)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _install() -> None:
    if not _in_main_thread():  # only the main thread may set handlers; temporaries are still
        return  # removed on any exception, just not on a signal
    for signum in CLEANUP_SIGNALS:
        previous = signal.getsignal(signum)
        signal.signal(signum, _on_signal)
        _saved[signum] = signal.SIG_DFL if previous is None else previous


def _restore() -> None:
    if not _in_main_thread():
        return  # our handler stays; with nothing to remove it only hands on to the saved one
    for signum, previous in _saved.items():
        signal.signal(signum, previous)
    _saved.clear()


@contextmanager
def critical_section() -> Iterator[None]:
    """Hold a cleanup signal until the block is done, so that a rename and the registry of
    temporaries change together (a signal between them could remove a published file)."""
    global _critical_depth
    with _lock:
        _critical_depth += 1
    try:
        yield
    finally:
        with _lock:
            _critical_depth -= 1
            pending = _pending[:] if _critical_depth == 0 else []
            if pending:
                _pending.clear()
        if pending:
            _handle(*pending[0], None)


def _on_signal(signum: int, frame: Any) -> None:
    previous = _saved.get(signum, signal.SIG_DFL)
    if _critical_depth:
        _pending.append((signum, previous))
        return
    _handle(signum, previous, frame)


def _handle(signum: int, previous: Any, frame: Any) -> None:
    """Remove every temporary, then do what the signal would have done: call the handler ours
    replaced (SIGINT: KeyboardInterrupt) or exit with the conventional status 128 + signal."""
    if previous == signal.SIG_IGN:
        return
    if callable(previous):
        try:
            previous(signum, frame)
        except BaseException:
            remove_temporaries()
            raise
        return
    remove_temporaries()
    raise SystemExit(128 + signum)


def remove_temporaries() -> None:
    """Remove every temporary file and directory still registered."""
    with _lock:
        paths = list(_live.items())
    for path, directory in paths:
        remove_quietly(path, directory=directory)


def remove_quietly(path: Path, *, directory: bool) -> None:
    """Remove a temporary file or directory if it is still there; errors are ignored (it is
    being cleaned up after something else went wrong, or the process is stopping)."""
    if directory:
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass
