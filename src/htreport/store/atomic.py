"""Output files written whole or not at all: atomic, race-free, signal-safe, honouring the umask.

Every output of htreport goes through here (`write_atomic` for one file; `export.staging` uses
the pieces for its staging copies):

- the data is written to a hidden temporary file beside the target (`.NAME.XXXXXXXX.tmp`),
  created with mode 0o666 so that the kernel applies the umask, as the shell's `>` does; a file
  replaced with `force` keeps its mode;
- it is flushed and `fsync`ed, then published: with `force` by `os.replace`; without, by a hard
  link, which fails if the name exists, so two writers can never both succeed and an existing
  file is never replaced (where hard links are unsupported, the name is claimed with
  `O_CREAT | O_EXCL` first, then the finished file is renamed onto the claim);
- while a temporary file or directory exists, SIGINT and SIGTERM (and SIGHUP) remove it before
  the process stops (`store.cleanup`); publishing is a critical section in which a signal
  waits until the registry matches the file system again;
- every `OSError` becomes one `OutputError` naming the target and the problem.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from htreport.errors import OutputError, OutputExistsError
from htreport.store.cleanup import critical_section, remove_quietly, track, untrack

Data = str | bytes | Iterable[str | bytes]

#: Errors of os.link that mean "this file system has no hard links", not "you may not".
_NO_HARD_LINKS = {
    errno.EPERM,
    errno.EOPNOTSUPP,
    getattr(errno, "ENOTSUP", errno.EOPNOTSUPP),
    errno.EMLINK,
    errno.ENOSYS,
    errno.EXDEV,
}

_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on device",
    getattr(errno, "EDQUOT", errno.ENOSPC): "disk quota exceeded",
    errno.ENAMETOOLONG: "file name too long",
    errno.EISDIR: "is a directory",
    errno.ELOOP: "too many levels of symbolic links",
    errno.ENOENT: "no such directory",
}

_OPEN_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOINHERIT", 0)
)


def output_path(path: str | os.PathLike[str]) -> Path:
    """`path` as a Path; an empty path (an unset variable) is an error, not the current directory."""
    if os.fspath(path) == "":
        raise OutputError("the output path is empty; give a file name")
    return Path(path)


def output_error(error: OSError, target: Path) -> OutputError:
    """`error`, raised while writing `target`, as one line naming `target` and the problem."""
    if error.errno in (errno.ENOTDIR, errno.EEXIST, errno.ENOENT):
        blocker = _non_directory_ancestor(target)
        if blocker is not None:
            return OutputError(f"cannot write: {blocker} is a file, not a directory", path=target)
    reason = _REASONS.get(error.errno or 0)
    if reason is None:
        reason = (error.strerror or str(error) or type(error).__name__).lower()
    return OutputError(f"cannot write: {reason}", path=target)


def _non_directory_ancestor(target: Path) -> Path | None:
    for ancestor in reversed(target.parents):
        try:
            if ancestor.exists() and not ancestor.is_dir():
                return ancestor
        except OSError:
            return None
    return None


def check_target(target: Path, *, force: bool, directory: bool = False) -> None:
    """Refuse early what cannot be written: a directory (or a file, for a directory target),
    a parent that is a file, an existing target without `force`. (Publishing checks again;
    this only saves doing the work first.)"""
    blocker = _non_directory_ancestor(target)
    if blocker is not None:
        raise OutputError(f"cannot write: {blocker} is a file, not a directory", path=target)
    if not directory and target.is_dir():
        raise OutputError("is a directory; give a file name", path=target)
    if directory and target.exists() and not target.is_dir():
        raise OutputError("is a file; give a directory", path=target)
    if not directory and not force and os.path.lexists(target):
        raise OutputExistsError("exists; pass force=True to overwrite", path=target)


def write_atomic(path: str | os.PathLike[str], data: Data, *, force: bool = False) -> None:
    """Write `data` (text as UTF-8, bytes, or an iterable of either) to `path`, whole or not
    at all; without `force` an existing file is never replaced, even by a concurrent writer.

    Raises OutputExistsError, or OutputError for anything else that stops the write."""
    target = output_path(path)
    check_target(target, force=force)
    temporary: Path | None = None
    try:
        make_parent(target)
        handle, temporary = create_temporary(target, keep_mode=force)
        with os.fdopen(handle, "wb") as stream:
            for chunk in _chunks(data):
                stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        publish(temporary, target, force=force)
    except OSError as error:
        raise output_error(error, target) from None
    finally:
        if temporary is not None:
            discard(temporary)
    sync_directory(target.parent)


def _chunks(data: Data) -> Iterator[bytes]:
    if isinstance(data, str | bytes):
        data = (data,)
    for chunk in data:
        yield chunk.encode("utf-8") if isinstance(chunk, str) else chunk


def make_parent(target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)


def _temporary_name(target: Path, suffix: str = ".tmp") -> Path:
    return target.with_name(f".{target.name[:100]}.{secrets.token_hex(4)}{suffix}")


def create_temporary(target: Path, *, keep_mode: bool = False) -> tuple[int, Path]:
    """A new hidden file beside `target`, registered for removal on a signal: (fd, path).

    Its mode is 0o666 less the umask, or (with `keep_mode`) the mode of the existing target."""
    mode = existing_mode(target) if keep_mode else None
    while True:
        name = _temporary_name(target)
        with critical_section():
            try:
                handle = os.open(name, _OPEN_FLAGS, 0o666)
            except FileExistsError:  # pragma: no cover - a 32-bit random name taken
                continue
            track(name)
        break
    if mode is not None:
        try:
            _set_mode(handle, name, mode)
        except BaseException:
            os.close(handle)
            discard(name)
            raise
    return handle, name


def create_temporary_directory(target: Path) -> Path:
    """A new hidden directory beside `target` (mode 0o777 less the umask), registered for
    removal on a signal."""
    make_parent(target)
    while True:
        name = _temporary_name(target)
        with critical_section():
            try:
                os.mkdir(name, 0o777)
            except FileExistsError:  # pragma: no cover - a 32-bit random name taken
                continue
            track(name, directory=True)
        return name


def existing_mode(target: Path) -> int | None:
    """The permission bits of `target` if it is an existing regular file."""
    try:
        status = os.stat(target)
    except OSError:
        return None
    return stat.S_IMODE(status.st_mode) if stat.S_ISREG(status.st_mode) else None


def _set_mode(handle: int, path: Path, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(handle, mode)
    else:  # pragma: no cover - Windows before Python 3.13
        os.chmod(path, mode)


def fsync_file(path: Path) -> None:
    """Flush `path` (written by someone else, e.g. SQLite or pyarrow) to the disk."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def sync_directory(directory: Path) -> None:
    """Make a rename in `directory` durable; best effort (not every system can)."""
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def publish(temporary: Path, target: Path, *, force: bool) -> None:
    """Move the finished `temporary` onto `target`: replacing it with `force`, otherwise only
    if no file of that name exists (OutputExistsError), atomically either way."""
    with critical_section():
        if force:
            os.replace(temporary, target)
        else:
            publish_new(temporary, target)
        untrack(temporary)


def publish_new(temporary: Path, target: Path) -> None:
    """Give `temporary` the name `target` unless that name exists; `temporary` is gone after."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise OutputExistsError("exists; pass force=True to overwrite", path=target) from None
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        _claim_then_replace(temporary, target)
        return
    os.unlink(temporary)


def _claim_then_replace(temporary: Path, target: Path) -> None:
    """Without hard links: take the name with O_EXCL (only one writer can), then rename the
    finished file onto the empty claim."""
    try:
        os.close(os.open(target, _OPEN_FLAGS, 0o666))
    except FileExistsError:
        raise OutputExistsError("exists; pass force=True to overwrite", path=target) from None
    try:
        os.replace(temporary, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def discard(path: Path) -> None:
    """Remove a temporary file or directory (if it is still there) and forget it."""
    with critical_section():
        remove_quietly(path, directory=path.is_dir() and not path.is_symlink())
        untrack(path)
