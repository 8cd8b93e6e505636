"""Write an export beside its target, publish it only when complete: never a half-written one.

The one place where exports become visible: a `StagedFile` (SQLite) or a `StagedDirectory`
(CSV, Data Package, Parquet) is written in a temporary place next to its target, in the same
file system, and moved in by `publish()`; `discard()` (on any failure) removes it. The
temporary places come from `store.atomic`: umask modes, removed on SIGINT/SIGTERM, published
without replacing an existing file unless `force`, every `OSError` one `OutputError`.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import tempfile
from pathlib import Path

from htreport.errors import OutputError
from htreport.store import atomic, cleanup

#: The path that means standard output (`export --sqlite -`).
STDOUT = Path("-")


def refuse_existing(targets: list[Path], force: bool) -> None:
    """Raise OutputExistsError for the first target that exists, unless `force`, and
    OutputError for one that cannot be a file (a directory, or under a file)."""
    for target in targets:
        if target != STDOUT:
            atomic.check_target(target, force=force)


class StagedFile:
    """A temporary file beside `target`, renamed onto it by `publish()`.

    For `target` `-` (STDOUT) the file is made in the system's temporary directory and
    `publish()` copies it to standard output."""

    def __init__(self, target: Path, *, force: bool = False) -> None:
        self.target = target
        self.force = force
        if target == STDOUT:
            place = Path(tempfile.gettempdir()) / "htreport-export"
            self.path = self._create(place)
            return
        refuse_existing([target], force)
        try:
            atomic.make_parent(target)
        except OSError as error:
            raise atomic.output_error(error, target) from None
        self.path = self._create(target)

    def _create(self, beside: Path) -> Path:
        try:
            handle, path = atomic.create_temporary(beside, keep_mode=self.force)
        except OSError as error:
            raise atomic.output_error(error, self.target) from None
        os.close(handle)
        return path

    def publish(self) -> Path:
        try:
            if self.target == STDOUT:
                self._copy_to_stdout()
            else:
                atomic.fsync_file(self.path)
                atomic.publish(self.path, self.target, force=self.force)
                atomic.sync_directory(self.target.parent)
        except OSError as error:
            self.discard()
            if isinstance(error, BrokenPipeError) or error.errno == errno.EPIPE:
                raise  # the reader of stdout has gone: the CLI ends quietly
            raise atomic.output_error(error, self.target) from None
        except BaseException:
            self.discard()
            raise
        return self.target

    def _copy_to_stdout(self) -> None:
        sys.stdout.flush()
        with self.path.open("rb") as source:
            shutil.copyfileobj(source, sys.stdout.buffer, 1 << 20)
        sys.stdout.buffer.flush()
        self.discard()

    def discard(self) -> None:
        atomic.discard(self.path)


class StagedDirectory:
    """A temporary directory beside `target`; `publish()` moves each file into `target`.

    Files of `target` that the export does not write are left alone. Publishing is all or
    nothing: into a new directory it is one rename; into an existing one each file is moved
    in, and if any move fails the files already moved are put back as they were (the old
    file, or no file), so the directory never holds part of one export beside part of
    another."""

    def __init__(self, target: Path, names: list[str], *, force: bool = False) -> None:
        refuse_existing([target / name for name in names], force)
        self.target = target
        self.names = names
        self.force = force
        try:
            self.path = atomic.create_temporary_directory(target)
        except OSError as error:
            raise atomic.output_error(error, target) from None

    def file(self, name: str) -> Path:
        """Where to write `name` while staging."""
        return self.path / name

    def publish(self) -> list[Path]:
        try:
            for name in self.names:
                atomic.fsync_file(self.path / name)
            if not self._rename_whole():
                self._move_each()
            atomic.sync_directory(self.target)
        except OSError as error:
            raise atomic.output_error(error, self.target) from None
        finally:
            self.discard()
        return [self.target / name for name in self.names]

    def _rename_whole(self) -> bool:
        """Into a target that does not exist: one rename, all files appear at once."""
        if os.path.lexists(self.target):
            return False
        with cleanup.critical_section():
            try:
                os.rename(self.path, self.target)
            except OSError:  # created meanwhile (not empty), or a system that cannot
                return False
            cleanup.untrack(self.path)
        return True

    def _move_each(self) -> None:
        moved: list[tuple[str, Path | None]] = []  # (name, the kept old file)
        with cleanup.critical_section():
            try:
                for name in self.names:
                    new, old = self.path / name, self.target / name
                    if self.force:
                        kept = self._keep_old(name)
                        mode = atomic.existing_mode(old)
                        if mode is not None:
                            os.chmod(new, mode)
                        os.replace(new, old)
                    else:
                        kept = None
                        atomic.publish_new(new, old)
                    moved.append((name, kept))
            except BaseException:
                self._put_back(moved)
                raise

    def _put_back(self, moved: list[tuple[str, Path | None]]) -> None:
        for name, kept in reversed(moved):
            try:
                if kept is not None:
                    os.replace(kept, self.target / name)
                else:
                    (self.target / name).unlink(missing_ok=True)
            except OSError:  # pragma: no cover - the directory went away meanwhile
                pass

    def _keep_old(self, name: str) -> Path | None:
        """A second name (in the staging directory) for the file about to be replaced."""
        old = self.target / name
        if not os.path.lexists(old):
            return None
        if old.is_dir():
            raise OutputError("is a directory; give a file name", path=old)
        kept = self.path / f".old.{name}"
        try:
            os.link(old, kept, follow_symlinks=False)
        except (OSError, NotImplementedError):  # no hard links here: a copy keeps it as well
            shutil.copy2(old, kept, follow_symlinks=False)
        return kept

    def discard(self) -> None:
        atomic.discard(self.path)
