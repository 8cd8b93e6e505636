"""Readers: source bytes (text, PDF) -> the intermediate form in `htreport.document`.

`read_source` picks the reader by content: a file whose bytes start with `%PDF` is a PDF
whatever its name; anything else is read as text. Every reader returns a `Document` and
nothing else.
"""

from __future__ import annotations

import sys
from pathlib import Path

from htreport.document import Document
from htreport.errors import SourceError
from htreport.readers.text import read_text
from htreport.settings import MAX_INPUT_BYTES


def read_bytes(path: Path) -> bytes:
    """Read a source file, turning OS errors into one-line `SourceError`s."""
    if str(path) != "-" and path.is_dir():
        raise SourceError("is a directory, expected a file", path=path)
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read()
        else:
            if path.stat().st_size > MAX_INPUT_BYTES:
                raise SourceError(f"file is larger than {MAX_INPUT_BYTES} bytes", path=path)
            data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", path=path) from None
    except PermissionError:
        raise SourceError("permission denied", path=path) from None
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror}", path=path) from None
    return data


def is_pdf(data: bytes) -> bool:
    return data.lstrip(b"\x00\t\r\n ")[:5] == b"%PDF-"


def read_source(path: Path, *, encoding: str | None = None) -> Document:
    """Read `path` (or stdin for `-`) into a Document, choosing the reader by content."""
    data = read_bytes(path)
    name = "<stdin>" if str(path) == "-" else str(path)
    if not data.strip():
        raise SourceError("file is empty", path=name)
    if is_pdf(data):
        from htreport.readers.pdf import read_pdf  # pdfplumber is imported only for PDFs

        return read_pdf(data, name=name)
    return read_text(data, name=name, encoding=encoding)
