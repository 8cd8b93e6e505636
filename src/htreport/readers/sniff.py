"""Which reader a source needs, decided from its first bytes (no parser imported).

- HTML: after an optional BOM, white space, `<!-- comments -->` and an `<?xml ...?>`
  declaration, the bytes start with `<!DOCTYPE html` or an `<html>` tag.
- Markdown: a GFM pipe table (a row with `|` followed by a delimiter row such as
  `|---|:---:|`), or at least two ATX headings (`# Title`, `## Part`) outside code fences. A
  `.md`/`.markdown` name is a tie-break: one heading, a pipe row or a `- ` list then suffices.
  Tab-separated report text, with its `- ` bullets, `**bold**` and `\\$` remnants, has none
  of these, so it stays text.
"""

from __future__ import annotations

import re

_DELIMITER_ROW = re.compile(
    r"^\s*+\|?+\s*+:?+-++:?+\s*+(?:\|\s*+:?+-++:?+\s*+)*+\|?+\s*+$"  # possessive: linear
)
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+\S")
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")
_LIST_ITEM = re.compile(r"^ {0,3}[-*+][ \t]+\S")
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_SNIFF_BYTES = 1 << 18


def is_html(data: bytes) -> bool:
    """True when the bytes start (after a BOM, white space and comments) with an HTML tag."""
    head = data[:4096]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    while True:
        head = head.lstrip()
        if head.startswith(b"<!--"):
            end = head.find(b"-->")
            if end < 0:
                return False
            head = head[end + 3 :]
        elif head.startswith(b"<?xml"):
            end = head.find(b"?>")
            if end < 0:
                return False
            head = head[end + 2 :]
        else:
            break
    lowered = head[:15].lower()
    return lowered.startswith(b"<!doctype html") or (
        lowered.startswith(b"<html") and lowered[5:6] in (b">", b" ", b"\t", b"\r", b"\n")
    )


def is_markdown(data: bytes, name: str = "") -> bool:
    """True when the text holds a Markdown pipe table or Markdown headings (see module doc)."""
    lines = data[:_SNIFF_BYTES].decode("utf-8", errors="replace").splitlines()
    headings = 0
    pipe_rows = 0
    lists = 0
    in_fence = False
    previous = ""
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if "|" in line and "\t" not in line:
            if "|" in previous and _is_delimiter_row(line, previous):
                return True
            pipe_rows += 1
        if _ATX_HEADING.match(line):
            headings += 1
            if headings >= 2:
                return True
        elif _LIST_ITEM.match(line):
            lists += 1
        previous = line
    if name.lower().endswith(_MARKDOWN_SUFFIXES):
        return bool(headings or pipe_rows or lists)
    return False


def _is_delimiter_row(line: str, header: str) -> bool:
    """A GFM delimiter row under `header`: dashes (and colons) between pipes, one per column."""
    if "|" not in line or "-" not in line or not _DELIMITER_ROW.match(line):
        return False
    return _cell_count(line) == _cell_count(header)


def _cell_count(row: str) -> int:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return len(re.split(r"(?<!\\)\|", row))
