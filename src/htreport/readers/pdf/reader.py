"""Read a PDF report into the same `Document` of lines the text reader gives.

The only module that imports pdfplumber (and pdfminer, its engine). Body text comes out as one
`Line` per paragraph, bullet item or footnote, in reading order, without running headers,
footers or page numbers; footnote markers and footnote numbers as superscript digits, bullets
as `- ` items, as in the archived text. Ruled tables are looked for only on the pages of
the chart: from the first page with a chart header line (a visual line whose pieces, split at
wide gaps, name chart columns by the column registry, `htreport.model.columns`: any header
words, order or language) or an Annex A heading, to the next annex or appendix heading. They
come out as rows of cells, one per grid column.

Lines are numbered in reading order across the document (1-based) and carry their page.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field

from htreport.document import Document, Line, row
from htreport.errors import HtreportError, SourceError
from htreport.model.columns import header_columns
from htreport.model.report import ExtractionWarning
from htreport.readers.pdf.layout import (
    IN_DOUBT,
    Glyph,
    Paragraph,
    VisualLine,
    continues_across_pages,
    furniture_keys,
    group_lines,
    is_page_furniture,
    join_wrapped,
    line_text,
    paragraphs,
    vocabulary,
)
from htreport.readers.pdf.tables import TableBlock, TableRow, tables_on_page

_ANNEX_A = re.compile(r"^\W*annexe?\s+a\b(?!.*\d\s*$)", re.IGNORECASE)
_ANNEX_ANY = re.compile(
    r"^\W*(?:annexe?|appendix|appendice)\s+(?:[A-Z]{1,2}|\d{1,2})\b(?!.*\d\s*$)", re.IGNORECASE
)
#: A gap wider than this (in ems) between two glyphs of a line separates two header cells.
_CELL_GAP = 0.9


@dataclass(slots=True)
class _Page:
    number: int
    height: float
    glyphs: list[Glyph]
    edges: list[dict]
    images: int
    lines: list[VisualLine] = field(default_factory=list)
    tables: list[TableBlock] = field(default_factory=list)


def read_pdf(data: bytes, name: str) -> Document:
    """Read PDF bytes into a Document; unreadable PDFs raise a one-line `SourceError`."""
    with _quiet_pdfminer():
        try:
            return _read(data, name)
        except HtreportError:
            raise
        except Exception as error:  # pdfminer raises many unrelated types on damaged files
            if b"%%EOF" not in data[-2048:]:
                raise SourceError("PDF is truncated (no %%EOF at its end)", path=name) from None
            raise SourceError(_describe(error), path=name) from None


def _describe(error: BaseException) -> str:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and len(chain) < 5:
        chain.append(current)
        nested = [a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]
        current = nested[0] if nested else (current.__cause__ or current.__context__)
    names = " ".join(type(e).__name__ for e in chain)
    if "Password" in names or "Encrypt" in names or "Crypt" in names:
        return "PDF is encrypted (password-protected); decrypt it first (e.g. qpdf --decrypt)"
    detail = next((str(e) for e in chain if str(e)), type(error).__name__)
    return f"damaged or unreadable PDF ({detail.splitlines()[0][:120]})"


@contextmanager
def _quiet_pdfminer():
    """pdfminer logs and warns about harmless oddities; keep stderr for our own messages."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _read(data: bytes, name: str) -> Document:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        if getattr(pdf.doc, "encryption", None) and not pdf.pages:
            raise SourceError("PDF is encrypted (password-protected); decrypt it first", path=name)
        if not pdf.pages:
            raise SourceError("PDF has no pages", path=name)
        title = pdf.metadata.get("Title") if isinstance(pdf.metadata, dict) else None
        from htreport.readers.pdf.device import PageReader

        reader = PageReader()
        pages = [_load_page(page, reader) for page in pdf.pages]
        if not any(page.glyphs for page in pages):
            if any(page.images for page in pages):
                raise SourceError(
                    "PDF has no text layer (scanned pages?); run OCR on it first (e.g. ocrmypdf)",
                    path=name,
                )
            raise SourceError("PDF has no text on any page", path=name)
        for page in pages:
            page.lines = group_lines(page.glyphs)
        words = vocabulary(line.text for page in pages for line in page.lines)
        hyphens = words.hyphens
        roles = None
        for index in _annex_pages(pages):
            page = pages[index]
            if page.edges:
                page.tables = tables_on_page(
                    pdf.pages[index], page.glyphs, page.edges, words, roles
                )
                if page.tables:
                    roles = page.tables[-1].rows[-1].roles
                    rest = [
                        g for g in page.glyphs if not any(_inside(g, t.box) for t in page.tables)
                    ]
                    page.lines = group_lines(rest)
    lines = _assemble(pages, hyphens)
    warnings_ = [
        ExtractionWarning(
            code="no-text-layer",
            message=f"page {page.number} has no text layer (a scanned image?); its content is missing",
            page=page.number,
        )
        for page in pages
        if not page.glyphs
    ]
    warnings_ += [
        ExtractionWarning(
            code="hyphen-kept",
            message=f"line-end hyphen kept in {word!r}: neither {word!r} nor "
            f"{word.replace('-', '')!r} occurs elsewhere in the document",
        )
        for word, choice in hyphens.items()
        if choice == IN_DOUBT
    ]
    return Document(
        path=name,
        format="pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        lines=lines,
        title_hint=str(title) if title else None,
        warnings=warnings_,
    )


def _load_page(page, reader) -> _Page:
    """Glyphs and ruling edges of a page.

    The glyphs come from a lean pdfminer device (`pdf_device`); only the few lines and boxes
    are converted to pdfplumber's form, for its table finder."""
    from pdfminer.layout import LTContainer, LTCurve, LTImage

    glyphs, layout = reader.read(page)
    edges: list[dict] = []
    images = 0
    stack = list(layout)
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTCurve):  # lines and rectangles are curves too
            edges.append(page.process_object(obj))
        elif isinstance(obj, LTImage):
            images += 1
        elif isinstance(obj, LTContainer):
            stack.extend(obj)
    return _Page(page.page_number, float(page.height), glyphs, edges, images)


def _inside(glyph: Glyph, box) -> bool:
    x, y = (glyph.x0 + glyph.x1) / 2, (glyph.top + glyph.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def line_pieces(line: VisualLine) -> list[str]:
    """The texts of a visual line split where its glyphs stand far apart (table cells)."""
    pieces: list[list[Glyph]] = []
    previous: Glyph | None = None
    for glyph in sorted(line.glyphs, key=lambda g: g.x0):
        if glyph.text.isspace():
            continue
        if previous is None or glyph.x0 - previous.x1 > _CELL_GAP * line.size:
            pieces.append([])
        pieces[-1].append(glyph)
        previous = glyph
    return [line_text(VisualLine(piece, size=line.size)) for piece in pieces]


def is_header_line(line: VisualLine) -> bool:
    """A chart header row drawn as one visual line: its pieces name chart columns by the
    column registry (`header_columns`), whatever the words, order or language."""
    if len(line.text.split()) > 16:
        return False
    return header_columns(line_pieces(line)) is not None


def _annex_pages(pages: list[_Page]) -> range:
    """Indexes of the pages from the Annex A heading (or first chart header line) to the next
    annex or appendix heading, whatever its letter."""
    start = next(
        (
            i
            for i, page in enumerate(pages)
            if any(is_header_line(ln) or _ANNEX_A.match(ln.text) for ln in page.lines)
        ),
        None,
    )
    if start is None:
        return range(0)
    end = len(pages) - 1
    for i in range(start + 1, len(pages)):
        if any(_ANNEX_ANY.match(ln.text) for ln in pages[i].lines):
            end = i
            break
    return range(start, end + 1)


# -- assembling the document --------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    page: int
    paragraph: Paragraph | None = None
    row: TableRow | None = None


def _assemble(pages: list[_Page], hyphens: dict[str, str]) -> list[Line]:
    """The document's lines; each line-end hyphen decided is added to `hyphens`."""
    words = vocabulary(line.text for page in pages for line in page.lines)
    words.hyphens = hyphens
    running = furniture_keys([p.lines for p in pages], [p.height for p in pages])
    body_lines = [
        [ln for ln in p.lines if not is_page_furniture(ln, p.height, running)] for p in pages
    ]
    right_edge = _right_margin([ln for lines in body_lines for ln in lines])
    items: list[_Item] = []
    for page, lines in zip(pages, body_lines, strict=True):
        page_items = _page_items(page, lines, words)
        if page_items and items:
            _join_across_break(items, page_items, right_edge)
        items.extend(page_items)
    return _number(items)


def _right_margin(lines: list[VisualLine]) -> float:
    """Where body lines end when full: a high percentile of their right ends, so that a long
    web address running into the margin does not count."""
    ends = sorted(ln.x1 for ln in lines)
    return ends[int(0.95 * (len(ends) - 1))] if ends else 0.0


def _page_items(page: _Page, lines: list[VisualLine], words: set[str]) -> list[_Item]:
    """Paragraphs and table rows of one page, top to bottom."""
    for line in lines:
        line.page = page.number
    blocks: list[tuple[float, object]] = [(ln.top, ln) for ln in lines]
    blocks += [(row.top, row) for table in page.tables for row in table.rows]
    blocks.sort(key=lambda block: block[0])
    items: list[_Item] = []
    run: list[VisualLine] = []

    def flush() -> None:
        for paragraph in paragraphs(run, words):
            paragraph.pages = [page.number]
            items.append(_Item(page.number, paragraph=paragraph))
        run.clear()

    for _, block in blocks:
        if isinstance(block, VisualLine):
            run.append(block)
        else:
            flush()
            items.append(_Item(page.number, row=block))  # type: ignore[arg-type]
    flush()
    return items


def _join_across_break(before: list[_Item], after: list[_Item], right_edge: float) -> None:
    """Undo a page break inside a paragraph or inside the chart."""
    last = next((it for it in reversed(before) if not _is_footnote(it)), None)
    first = after[0]
    if last is None:
        return
    if last.paragraph and first.paragraph:
        if continues_across_pages(last.paragraph, first.paragraph, right_edge):
            last.paragraph.lines.extend(first.paragraph.lines)
            last.paragraph.pages.extend(first.paragraph.pages)
            after.pop(0)
        return
    if last.row is None or first.row is None:
        return
    ending, from_before = _trailing_rows(before)
    starting = [it for it in _leading_rows(after) if it.row and not it.row.header]
    ending = [it for it in ending if it.row and not it.row.header]
    if not ending or not starting:
        return
    _move_spanned_text(before, starting[0])
    _merge_top_part(before, ending, starting[0], from_before)


def _is_footnote(item: _Item) -> bool:
    return bool(item.paragraph and item.paragraph.footnote)


def _trailing_rows(items: list[_Item]) -> tuple[list[_Item], bool]:
    """The table rows that end a page, and whether they go on from the page before (no text
    above them on their page)."""
    page = items[-1].page
    rows: list[_Item] = []
    for item in reversed(items):
        if _is_footnote(item):
            continue
        if item.row is None or item.row.spanning:
            return rows[::-1], False
        if item.page != page:
            return rows[::-1], True
        rows.append(item)
    return rows[::-1], False


def _leading_rows(items: list[_Item]) -> list[_Item]:
    rows = []
    for item in items:
        if item.row is None or item.row.spanning:
            break
        rows.append(item)
    return rows


_TASK_ID = re.compile(r"^\d+\.\d+(?:\s|$)")
#: The chart columns the reports merge over several rows.
_SPANNED_ROLES = ("task", "timeline", "lead")


def _move_spanned_text(before: list[_Item], following: _Item) -> None:
    """A merged cell crossing page breaks whose text was drawn below a break (centred or
    bottom-aligned) belongs to the row where the merged cell starts, pages before."""
    below = following.row
    assert below is not None
    task_column = below.column("task")
    for role in _SPANNED_ROLES:
        column = below.column(role)
        if column is None or not below.cells[column].strip():
            continue
        owner, spanned = _span_owner(before, column)
        if owner is None:
            continue
        is_new_task = column == task_column and bool(_TASK_ID.match(below.cells[column]))
        if is_new_task or (column != task_column and spanned >= 2):
            owner.cells[column], below.cells[column] = below.cells[column], ""


def _span_owner(before: list[_Item], column: int) -> tuple[TableRow | None, int]:
    """The row where the (empty) merged cell that reaches the end of `before` starts, walking
    back over the empty parts the cell left on earlier pages; None if the cell has text."""
    spanned = 0
    data = [it for it in before if not _is_footnote(it) and not (it.row and it.row.header)]
    for index in range(len(data) - 1, -1, -1):
        item = data[index]
        row = item.row
        if row is None or row.spanning or len(row.cells) <= column:
            return None, spanned
        if row.cells[column].strip():
            return None, spanned
        spanned += 1
        if len(row.starts) > column and not row.starts[column]:
            continue
        previous = data[index - 1] if index else None
        continues_cell = (
            previous is not None and previous.row is not None and previous.page != item.page
        )
        if not continues_cell:
            return row, spanned
    return None, spanned


def _merge_top_part(
    before: list[_Item], ending: list[_Item], following: _Item, from_before: bool
) -> None:
    """Put back together a row the page break split, when the piece below cannot stand alone.

    - The closing cells of a vertically centred or bottom-aligned row were drawn on the next
      page (`_incomplete`): the part above the break goes in front of the rest of its row,
      which then starts on the earlier page.
    - The row below the break cannot start a row of its own (`_cut_at_break`): it goes at
      the end of the row above; a word cut at the break is put back together."""
    last = ending[-1]
    assert last.row is not None and following.row is not None
    anchor = last.row.anchor
    if last.row.spanning or anchor is None or anchor >= len(following.row.cells):
        return
    if _cut_at_break(last.row, following.row, anchor):
        last.row.cells = [
            a + b.lstrip()
            if index == anchor and _is_cut_word(last.row, a, b)
            else join_wrapped(a, b)
            for index, (a, b) in enumerate(zip(last.row.cells, following.row.cells, strict=False))
        ]
        following.row.cells = [""] * len(following.row.cells)
        following.row.merged_up = True
        return
    if not _incomplete(last.row, anchor):
        return
    if len(ending) == 1 and from_before:  # the middle of a row that spans three pages
        return
    following.row.cells = [
        join_wrapped(a, b) for a, b in zip(last.row.cells, following.row.cells, strict=False)
    ]
    following.page = last.page
    before.remove(last)


def _incomplete(row: TableRow, anchor: int) -> bool:
    """A row piece whose closing cells were drawn below the page break: its Status cell is
    empty; in a chart without Status, its Timeline and Lead cells are empty though they
    start in this row (not covered by a merged cell from above)."""
    if row.column("status") is not None:
        return not row.cells[anchor].strip()
    closing = [row.column(role) for role in ("timeline", "lead")]
    present = [index for index in closing if index is not None]
    return bool(present) and all(
        not row.cells[index].strip() and (len(row.starts) <= index or row.starts[index])
        for index in present
    )


def _left_to_the_parser(row: TableRow) -> bool:
    """A row the annex parser joins to the row above itself, recording the join: its Status
    cell is empty, or without Status its Lead (else Timeline) cell."""
    closing = next(
        (
            row.column(role)
            for role in ("status", "lead", "timeline")
            if row.column(role) is not None
        ),
        None,
    )
    return closing is not None and not row.cells[closing].strip()


def _is_cut_word(row: TableRow, above: str, below: str) -> bool:
    anchor = row.anchor
    cut = anchor is not None and len(row.cut_ends) > anchor and row.cut_ends[anchor]
    return cut and above.strip()[-1:].isalnum() and bool(re.match(r"[a-z0-9]", below.strip()))


def _cut_at_break(last: TableRow, first: TableRow, anchor: int) -> bool:
    """Whether the first row below a page break is the rest of the row above it: it is no
    new task (no task id), it is not a row the parser joins itself, and one of its cells goes on with the cell above - a word of the
    anchor cell cut at the break (`Ongoin` | `g`, see `tables.is_cut`), a cell starting in
    lower case, a bracket left open above, or a list going on with a bullet."""
    if _TASK_ID.match(first.text_of("task").strip()) or _left_to_the_parser(first):
        return False
    above, below = last.cells[anchor].strip(), first.cells[anchor].strip()
    cut = len(last.cut_ends) > anchor and last.cut_ends[anchor]
    if cut and above[-1:].isalnum() and re.match(r"[a-z0-9]", below):
        return True
    for index, (top, rest) in enumerate(zip(last.cells, first.cells, strict=False)):
        top, rest = top.strip(), rest.strip()
        if not top or not rest or index == first.column("task"):
            continue
        if rest[0].islower() or top.count("(") > top.count(")"):
            return True
        if rest[0] in "•●▪" and "•" in top and index == first.column("deliverable"):
            return True
    return False


def _number(items: list[_Item]) -> list[Line]:
    lines: list[Line] = []
    table = -1
    in_table = False
    kept = [item for item in items if not (item.row is not None and item.row.merged_up)]
    for number, item in enumerate(kept, start=1):
        is_row = item.row is not None and not item.row.spanning
        if is_row and not in_table:
            table += 1
        in_table = is_row
        if item.paragraph is not None:
            paragraph = item.paragraph
            lines.append(
                Line(paragraph.joined, number, page=paragraph.pages[0], footnote=paragraph.footnote)
            )
        elif item.row is not None and item.row.spanning:
            lines.append(Line(item.row.cells[0], number, page=item.page))
        elif item.row is not None:
            lines.append(row(item.row.cells, number, page=item.page, table=table))
    return lines
