"""Read a source file (archived text or PDF) into a `Document` of lines.

The reader is chosen by content: a file whose bytes start with `%PDF` is a PDF whatever its
name. Text may be UTF-8 (with or without BOM) or, when asked with `encoding=`, anything Python
can decode; line endings (LF, CRLF, CR) and form feeds do not change the result.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .document import Document, Line
from .errors import SourceError
from .settings import MAX_INPUT_BYTES

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: Control characters other than tab/newline/CR/form feed mark a binary file.
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def read_bytes(path: Path) -> bytes:
    """Read a source file, turning OS errors into one-line `SourceError`s."""
    if str(path) != "-" and path.is_dir():
        raise SourceError("is a directory, expected a file", path=path)
    try:
        if str(path) == "-":
            import sys

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
        from .pdfsource import read_pdf  # pdfplumber is imported only for PDFs

        return read_pdf(data, name=name)
    return read_text(data, name=name, encoding=encoding)


def decode(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    """Decode text bytes; without an explicit encoding only UTF-8 is accepted."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise SourceError(f"unknown encoding {encoding!r}", path=name) from None
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise SourceError(
                f"not valid {encoding} at byte {error.start}", path=name, line=line
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "if it is Windows text, pass --encoding cp1252",
            path=name,
            line=line,
        ) from None


def read_text(data: bytes, *, name: str, encoding: str | None = None) -> Document:
    """Split archived report text into lines; tab-separated lines become table rows."""
    if _BINARY.search(data[:65536]) and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError("looks like a binary file, not report text or PDF", path=name)
    text, used = decode(data, name, encoding)
    lines = []
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        raw = raw.replace("\f", "")
        cells = tuple(raw.split("\t")) if "\t" in raw else None
        lines.append(Line(text=raw, lineno=number, cells=cells))
    return Document(
        path=name,
        format="text",
        sha256=hashlib.sha256(data).hexdigest(),
        lines=lines,
        encoding=used,
    )
