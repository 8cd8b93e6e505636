"""Write an export beside its target, publish it only when complete: never a half-written one.

The one place where exports become visible: a `StagedFile` (SQLite) or a `StagedDirectory`
(CSV, Data Package, Parquet) is written in a temporary place next to its target, in the same
file system, and moved in by `publish()`; `discard()` (on any failure) removes it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from htreport.errors import OutputExistsError


def refuse_existing(targets: list[Path], force: bool) -> None:
    """Raise OutputExistsError for the first target that exists, unless `force`."""
    if force:
        return
    for target in targets:
        if target.exists():
            raise OutputExistsError("exists; pass --force to overwrite", path=target)


class StagedFile:
    """A temporary file beside `target`, renamed onto it by `publish()`."""

    def __init__(self, target: Path, *, force: bool = False) -> None:
        refuse_existing([target], force)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.target = target
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(handle)
        self.path = Path(name)

    def publish(self) -> Path:
        os.replace(self.path, self.target)
        return self.target

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class StagedDirectory:
    """A temporary directory beside `target`; `publish()` moves each file into `target`.

    Files of `target` that the export does not write are left alone."""

    def __init__(self, target: Path, names: list[str], *, force: bool = False) -> None:
        refuse_existing([target / name for name in names], force)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.target = target
        self.names = names
        self.path = Path(
            tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        )

    def file(self, name: str) -> Path:
        """Where to write `name` while staging."""
        return self.path / name

    def publish(self) -> list[Path]:
        if not self.target.exists():
            os.replace(self.path, self.target)  # one rename: all files appear at once
        else:
            for name in self.names:
                os.replace(self.path / name, self.target / name)
            shutil.rmtree(self.path, ignore_errors=True)
        return [self.target / name for name in self.names]

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
