"""Readers: source bytes (text, Markdown, HTML, PDF) -> the intermediate form in `htreport.document`.

`read_source` picks the reader by content (see `detect_format`), whatever the file's name: bytes
starting with `%PDF-` are a PDF; `<!DOCTYPE html` or `<html` (after a BOM, white space and
comments) an HTML page; text with a Markdown pipe table or Markdown headings is Markdown;
anything else is text. `source_format=` overrides the choice. Every reader returns a `Document`
and nothing else; lxml and markdown-it are imported only to read those formats.
"""

from __future__ import annotations

import sys
from pathlib import Path

from htreport.document import Document, SourceFormat
from htreport.errors import SourceError
from htreport.readers.sniff import is_html, is_markdown
from htreport.readers.text import read_text
from htreport.settings import MAX_INPUT_BYTES, read_at_most


def read_bytes(path: Path) -> bytes:
    """Read a source file, turning OS errors into one-line `SourceError`s."""
    if str(path) != "-" and path.is_dir():
        raise SourceError("is a directory, expected a file", path=path)
    try:
        # Read at most limit + 1 bytes whatever stat says: devices, pipes and
        # procfs report a size of 0.
        if str(path) == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with path.open("rb") as stream:
                data = read_at_most(stream, MAX_INPUT_BYTES)
    except FileNotFoundError:
        raise SourceError("no such file", path=path) from None
    except PermissionError:
        raise SourceError("permission denied", path=path) from None
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror}", path=path) from None
    if len(data) > MAX_INPUT_BYTES:
        raise SourceError(f"input is larger than the {MAX_INPUT_BYTES}-byte limit", path=path)
    return data


def is_pdf(data: bytes) -> bool:
    return data.lstrip(b"\x00\t\r\n ")[:5] == b"%PDF-"


def detect_format(data: bytes, name: str = "") -> SourceFormat:
    """The format of source bytes, decided by their content (a `.md` name only breaks a tie)."""
    if is_pdf(data):
        return "pdf"
    if is_html(data):
        return "html"
    if is_markdown(data, name):
        return "markdown"
    return "text"


def read_source(
    path: Path, *, encoding: str | None = None, source_format: SourceFormat | None = None
) -> Document:
    """Read `path` (or stdin for `-`) into a Document, choosing the reader by content.

    `source_format` ("text", "markdown", "html" or "pdf") skips detection."""
    data = read_bytes(path)
    name = "<stdin>" if str(path) == "-" else str(path)
    if not data.strip():
        raise SourceError("file is empty", path=name)
    chosen = source_format or detect_format(data, name)
    if chosen == "pdf":
        if not is_pdf(data):
            raise SourceError("is not a PDF (it does not start with %PDF-)", path=name)
        from htreport.readers.pdf import read_pdf  # pdfplumber is imported only for PDFs

        return read_pdf(data, name=name)
    if chosen == "html":
        from htreport.readers.html import read_html  # lxml is imported only for HTML

        return read_html(data, name=name, encoding=encoding)
    if chosen == "markdown":
        from htreport.readers.markdown import read_markdown  # markdown-it only for Markdown

        return read_markdown(data, name=name, encoding=encoding)
    return read_text(data, name=name, encoding=encoding)
