"""The Markdown reader: Markdown (as pandoc or an HTML-to-Markdown converter writes a report
page) -> a `Document`.

Parsed with markdown-it-py (CommonMark, with its GFM table rule and the footnote plugin of
mdit-py-plugins); every block token's `map` gives its source line. What the reader gives:

- `#` headings as lines of kind "heading" (with their level), paragraphs as lines, list items
  (`-`, `*`, `+`, `1.`) as `- item` lines of kind "item";
- pipe tables as table rows of `Cell`s (header cells marked), one table number per table; a
  cell's `<br>` starts a new line of its text and a `- ` item after it becomes `• item`, as the
  chart parser splits lists; empty cells stay empty (the chart parser fills them from the row
  above where a spanning cell was flattened). Cells past the header's count, which a GFM
  parser drops, are kept, with an `extra-cells` warning;
- footnotes (`[^3]` and `[^3]: text`) as superscript marks and footnote lines placed after the
  line that first refers to them (see `htreport.readers.notes`);
- emphasis, links and inline HTML as their text; code as its text;
- raw HTML blocks (pandoc writes a table with spanning cells or lists in cells as an HTML
  `<table>`) read by the HTML reader, rows, spans and all, with this file's line numbers.

The first `#` heading (else the first heading) is the title hint.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from htreport.document import Cell, Document, Line
from htreport.model.plain import ExtractionWarning
from htreport.readers.notes import Note, mark, place_footnotes
from htreport.readers.text import decode

_BREAK_TAG = re.compile(r"^<br\s*/?>$", re.I)
_CELL_ITEM = re.compile(r"^[-*+]\s+")
_SPACE = re.compile(r"[ \t\u00a0]+")
_UNDEFINED_REF = re.compile(r"\[\^(\d{1,3})\]")


def read_markdown(data: bytes, *, name: str, encoding: str | None = None) -> Document:
    """Read Markdown into lines and table rows with Markdown source lines as provenance."""
    text, used = decode(data, name, encoding)
    parser = MarkdownIt("commonmark", {"html": True}).enable("table").use(footnote_plugin)
    tokens = parser.parse(text)
    reader = _Reader(text.splitlines())
    reader.read(tokens)
    if reader.tables == 0:
        reader.warnings.append(
            ExtractionWarning(
                code="no-table",
                message="the file has no Markdown table, so it has no action items chart to read",
            )
        )
    headings = [line for line in reader.lines if line.kind == "heading"]
    top = [line for line in headings if line.level == 1] or headings
    title = top[0].text if top else None
    return Document(
        path=name,
        format="markdown",
        sha256=hashlib.sha256(data).hexdigest(),
        lines=place_footnotes(reader.lines, reader.notes),
        encoding=used,
        title_hint=title,
        warnings=reader.warnings,
    )


def _lineno(token: Token, default: int) -> int:
    return token.map[0] + 1 if token.map else default


def inline_text(token: Token, *, cell: bool = False) -> str:
    """The text of an inline token: markup gone, footnote references as superscripts.

    In a cell a `<br>` or hard break starts a new line, and a line starting with `- ` is a
    list item (`• item`)."""
    pieces: list[str] = []
    for child in token.children or ():
        kind = child.type
        if kind == "text":
            # a reference whose footnote is not in the file: still a reference (see footnotes)
            pieces.append(_UNDEFINED_REF.sub(lambda m: mark(int(m.group(1))), child.content))
        elif kind == "code_inline":
            pieces.append(child.content)
        elif kind == "softbreak":
            pieces.append(" ")
        elif kind == "hardbreak":
            pieces.append("\n" if cell else " ")
        elif kind == "html_inline":
            if _BREAK_TAG.match(child.content.strip()):
                pieces.append("\n" if cell else " ")
        elif kind == "footnote_ref":
            label = str(child.meta.get("label", ""))
            pieces.append(mark(int(label)) if label.isdigit() else f"[{label}]")
        elif kind == "image":
            pieces.append(child.content)
    text = "".join(pieces)
    if not cell:
        return _SPACE.sub(" ", text).strip()
    lines = [_SPACE.sub(" ", part).strip() for part in text.split("\n")]
    return "\n".join(_CELL_ITEM.sub("• ", part) for part in lines if part)


@dataclass
class _Reader:
    source: list[str]
    lines: list[Line] = field(default_factory=list)
    notes: dict[int, Note] = field(default_factory=dict)
    warnings: list[ExtractionWarning] = field(default_factory=list)
    tables: int = 0

    def read(self, tokens: list[Token]) -> None:
        index = 0
        item_starts: list[bool] = []  # per open list item: its first paragraph is still to come
        note: int | None = None
        last_line = 1
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            last_line = _lineno(token, last_line)
            if kind == "heading_open":
                text = inline_text(tokens[index + 1])
                if text:
                    level = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
                    self.lines.append(Line(text, last_line, kind="heading", level=level))
                index += 3
                continue
            if kind == "list_item_open":
                item_starts.append(True)
            elif kind == "list_item_close":
                item_starts.pop()
            elif kind == "footnote_open":
                label = str(token.meta.get("label", ""))
                note = int(label) if label.isdigit() else None
            elif kind == "footnote_close":
                note = None
            elif kind == "inline" and tokens[index - 1].type == "paragraph_open":
                text = inline_text(token)
                if note is not None:
                    self.add_note(note, text, last_line)
                elif text and item_starts and item_starts[-1]:
                    item_starts[-1] = False
                    self.lines.append(Line(f"- {text}", last_line, kind="item"))
                elif text:
                    self.lines.append(Line(text, last_line))
            elif kind == "table_open":
                index = self.table(tokens, index)
                continue
            elif kind == "html_block":
                self.html_block(token.content, last_line)
            elif kind in ("fence", "code_block"):
                for offset, text in enumerate(token.content.splitlines()):
                    if text.strip():
                        self.lines.append(Line(text.strip(), last_line + offset))
            index += 1

    def html_block(self, content: str, lineno: int) -> None:
        """Raw HTML (pandoc writes a table whose cells hold lists or spans as HTML)."""
        from htreport.readers.html import read_html_fragment  # lxml only for raw HTML

        lines, tables, warnings = read_html_fragment(
            content, first_line=lineno, first_table=self.tables
        )
        self.lines += lines
        self.tables += tables
        self.warnings += warnings

    def add_note(self, number: int, text: str, lineno: int) -> None:
        if number in self.notes:  # a second paragraph of the same footnote
            previous = self.notes[number]
            self.notes[number] = Note(number, f"{previous.text} {text}", previous.lineno)
        else:
            self.notes[number] = Note(number, text, lineno)

    def table(self, tokens: list[Token], index: int) -> int:
        """Read the table starting at `tokens[index]`; returns the index after it."""
        number = self.tables
        self.tables += 1
        table_line = _lineno(tokens[index], 1)
        width = 0
        rows = 0
        cells: list[Cell] = []
        row_line = table_line
        header = False
        while index < len(tokens) and tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "thead_open":
                header = True
            elif token.type == "thead_close":
                header = False
            elif token.type == "tr_open":
                row_line = _lineno(token, row_line)
                cells = []
            elif token.type == "inline":
                cells.append(Cell(inline_text(token, cell=True), row_line, header=header))
            elif token.type == "tr_close":
                if header:
                    width = len(cells)
                else:
                    rows += 1
                    cells += self.extra_cells(row_line, width)
                self.lines.append(
                    Line(
                        text="\t".join(cell.text for cell in cells),
                        lineno=row_line,
                        cells=tuple(cells),
                        table=number,
                    )
                )
            index += 1
        if rows == 0:
            self.warnings.append(
                ExtractionWarning(
                    code="empty-table",
                    message="a table with a header row but no rows under it",
                    line=table_line,
                )
            )
        return index + 1

    def extra_cells(self, lineno: int, width: int) -> list[Cell]:
        """Cells past the header's count, which the table rule drops: kept, with a warning."""
        if not 0 < lineno <= len(self.source):
            return []
        pieces = _split_row(self.source[lineno - 1])
        if len(pieces) <= width:
            return []
        self.warnings.append(
            ExtractionWarning(
                code="extra-cells",
                message=f"a table row has {len(pieces)} cells but the header has {width}; "
                "the extra cells are kept",
                line=lineno,
            )
        )
        return [Cell(piece, lineno) for piece in pieces[width:]]


def _split_row(row: str) -> list[str]:
    """The cells of a pipe-table row as GFM counts them (`\\|` and code spans do not split)."""
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    cells: list[str] = []
    current: list[str] = []
    in_code = False
    escaped = False
    for char in row:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif char == "`":
            in_code = not in_code
            current.append(char)
        elif char == "|" and not in_code:
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    cells.append("".join(current).strip())
    return cells
