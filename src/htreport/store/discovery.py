"""Which structured report files a list of paths names: files, and data files under directories."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TypeAlias

from htreport.errors import DataFileError
from htreport.settings import DEFAULT_STRUCTURED_DIR, STRUCTURED_SUFFIXES

#: What the public API accepts where it reads files: one path or several, as str or PathLike.
PathsArg: TypeAlias = "str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None"


def as_paths(paths: PathsArg) -> list[Path] | None:
    """`"a"`, `Path("a")` or `["a", Path("b")]` as a list of Paths; None stays None."""
    if paths is None:
        return None
    if isinstance(paths, str | os.PathLike):
        return [Path(paths)]
    return [Path(path) for path in paths]


def missing_default(path: Path) -> DataFileError:
    """The error for the default directory when it is not there: say how to name the data."""
    return DataFileError(
        "no such directory (the default when no PATH is given, relative to the current "
        "directory); name the data files or directories to read",
        path=path,
    )


def find_structured_files(paths: PathsArg = None) -> list[Path]:
    """Structured files named in `paths` or found (recursively) under its directories.

    Hidden files and directories are skipped, and so are entries of a directory that are not
    regular files (a FIFO would block the read; `find -type f` does the same); a path given
    twice is read once (symbolic links
    to one file are not recognised as the same file: they are read twice). Raises
    DataFileError for a missing path or when no structured file is found at all."""
    found: list[Path] = []
    seen: set[Path] = set()
    given = as_paths(paths)
    if not given and not DEFAULT_STRUCTURED_DIR.exists():
        raise missing_default(DEFAULT_STRUCTURED_DIR)
    for path in given or [DEFAULT_STRUCTURED_DIR]:
        if path.is_dir():
            candidates = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in STRUCTURED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.is_file()
            )
            if not candidates:
                raise DataFileError(
                    f"no structured files ({', '.join('*' + s for s in STRUCTURED_SUFFIXES)}) here",
                    path=path,
                )
        elif path.is_file():
            candidates = [path]
        elif path.exists():
            raise DataFileError(
                "not a regular file (a FIFO, device or socket); give a data file or use - for "
                "standard input",
                path=path,
            )
        else:
            raise DataFileError("no such file or directory", path=path)
        for candidate in candidates:
            resolved = Path(os.path.abspath(candidate))  # not resolve(): ~10 syscalls a file
            if resolved not in seen:
                seen.add(resolved)
                found.append(candidate)
    return found
