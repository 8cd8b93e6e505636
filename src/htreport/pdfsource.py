"""Read a PDF report into the same `Document` of lines the text reader gives.

The only module that imports pdfplumber (and pdfminer, its engine). Body text comes out as one
`Line` per paragraph, bullet item or footnote, in reading order, without running headers,
footers or page numbers; footnote markers and footnote numbers as superscript digits, bullets
as `- ` items, as in the archived text. Ruled tables are looked for only on the pages of
Annex A (found by their text: the annex heading and the `Task Deliverable Timeline Status
Lead` header row) and come out as rows of five cells.

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

from .document import Document, Line
from .errors import HtreportError, SourceError
from .models import ExtractionWarning
from .pdf_layout import (
    Glyph,
    join_wrapped,
    Paragraph,
    VisualLine,
    continues_across_pages,
    furniture_keys,
    group_lines,
    is_page_furniture,
    paragraphs,
)
from .pdf_tables import TableBlock, TableRow, tables_on_page

_ANNEX_A = re.compile(r"^\W*annex\s+a\b(?!.*\d\s*$)", re.IGNORECASE)
_ANNEX_END = re.compile(r"^\W*annex\s+[b-z]\b", re.IGNORECASE)
_HEADER_WORDS = {"task", "deliverable", "status", "lead"}


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
            raise SourceError(_describe(error), path=name) from None


def _describe(error: BaseException) -> str:
    chain = []
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
def _quiet_pdfminer():  # type: ignore[no-untyped-def]
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
        pages = [_load_page(page) for page in pdf.pages]
        if not any(page.glyphs for page in pages):
            if any(page.images for page in pages):
                raise SourceError(
                    "PDF has no text layer (scanned pages?); run OCR on it first (e.g. ocrmypdf)",
                    path=name,
                )
            raise SourceError("PDF has no text on any page", path=name)
        for page in pages:
            page.lines = group_lines(page.glyphs)
        for index in _annex_pages(pages):
            page = pages[index]
            if page.edges:
                page.tables = tables_on_page(pdf.pages[index], page.glyphs, page.edges)
                if page.tables:
                    rest = [g for g in page.glyphs if not any(_inside(g, t.box) for t in page.tables)]
                    page.lines = group_lines(rest)
    warnings_ = [
        ExtractionWarning(
            code="no-text-layer",
            message=f"page {page.number} has no text layer (a scanned image?); its content is missing",
            page=page.number,
        )
        for page in pages
        if not page.glyphs
    ]
    return Document(
        path=name,
        format="pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        lines=_assemble(pages),
        title_hint=str(title) if title else None,
        warnings=warnings_,
    )


def _load_page(page) -> _Page:  # type: ignore[no-untyped-def]
    """Glyphs and ruling edges of a page, read from pdfminer's layout objects directly.

    Converting every character to pdfplumber's dict form costs as much as parsing the page;
    only the few lines and boxes go through pdfplumber (for its table finder)."""
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage

    x_shift, y_shift = page.mediabox[0], page.mediabox[1]
    height = page.height
    glyphs: list[Glyph] = []
    edges: list[dict] = []
    images = 0
    stack = list(page.layout)
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTChar):
            if obj.upright:
                glyphs.append(
                    Glyph(
                        obj.get_text(),
                        obj.x0 + x_shift,
                        height - obj.y1 + y_shift,
                        obj.x1 + x_shift,
                        height - obj.y0 + y_shift,
                        obj.size,
                    )
                )
        elif isinstance(obj, LTCurve):  # lines and rectangles are curves too
            edges.append(page.process_object(obj))
        elif isinstance(obj, LTImage):
            images += 1
        elif isinstance(obj, LTContainer):
            stack.extend(obj)
    return _Page(page.page_number, float(height), glyphs, edges, images)


def _inside(glyph: Glyph, box) -> bool:  # type: ignore[no-untyped-def]
    x, y = (glyph.x0 + glyph.x1) / 2, (glyph.top + glyph.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _is_header_line(line: VisualLine) -> bool:
    words = set(line.text.casefold().replace("s ", " ").split())
    words |= {w.rstrip("s") for w in words}
    return _HEADER_WORDS <= words and len(line.text.split()) <= 8


def _annex_pages(pages: list[_Page]) -> range:
    """Indexes of the pages from the Annex A heading (or first chart header row) to the next
    annex heading."""
    start = next(
        (
            i
            for i, page in enumerate(pages)
            if any(_is_header_line(ln) or _ANNEX_A.match(ln.text) for ln in page.lines)
        ),
        None,
    )
    if start is None:
        return range(0)
    end = len(pages) - 1
    for i in range(start + 1, len(pages)):
        if any(_ANNEX_END.match(ln.text) for ln in pages[i].lines):
            end = i
            break
    return range(start, end + 1)


# -- assembling the document --------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    page: int
    paragraph: Paragraph | None = None
    row: TableRow | None = None


def _assemble(pages: list[_Page]) -> list[Line]:
    running = furniture_keys([p.lines for p in pages], [p.height for p in pages])
    body_lines = [
        [ln for ln in p.lines if not is_page_furniture(ln, p.height, running)] for p in pages
    ]
    right_edge = max((ln.x1 for lines in body_lines for ln in lines), default=0.0)
    items: list[_Item] = []
    for page, lines in zip(pages, body_lines, strict=True):
        page_items = _page_items(page, lines)
        if page_items and items:
            _join_across_break(items, page_items, right_edge)
        items.extend(page_items)
    return _number(items)


def _page_items(page: _Page, lines: list[VisualLine]) -> list[_Item]:
    """Paragraphs and table rows of one page, top to bottom."""
    for line in lines:
        line.page = page.number
    blocks: list[tuple[float, object]] = [(ln.top, ln) for ln in lines]
    blocks += [(row.top, row) for table in page.tables for row in table.rows]
    blocks.sort(key=lambda block: block[0])
    items: list[_Item] = []
    run: list[VisualLine] = []

    def flush() -> None:
        for paragraph in paragraphs(run):
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
    """Undo a page break inside a paragraph or inside a table row."""
    last = next((it for it in reversed(before) if not (it.paragraph and it.paragraph.footnote)), None)
    first = after[0]
    if last is None:
        return
    if last.paragraph and first.paragraph and continues_across_pages(last.paragraph, first.paragraph, right_edge):
        last.paragraph.lines.extend(first.paragraph.lines)
        last.paragraph.pages.extend(first.paragraph.pages)
        after.pop(0)
        return
    if last.row and _is_top_part(last.row, before):
        following = next((it for it in after if it.row and not it.row.header), None)
        if following is not None and not any(it.paragraph for it in after[: after.index(following)]):
            # The status of a vertically centred or bottom-aligned row was drawn on the next
            # page: this part goes in front of the rest of its row, which starts on this page.
            assert following.row is not None
            following.row.cells = [
                join_wrapped(a, b) for a, b in zip(last.row.cells, following.row.cells, strict=False)
            ]
            following.page = last.page
            before.remove(last)


def _is_top_part(row: TableRow, items: list[_Item]) -> bool:
    """A page's last table row with no status, below another data row of the same page."""
    if row.header or row.spanning or row.status.strip() or len(row.cells) < 5:
        return False
    data_rows = [it for it in items if it.row and not it.row.header and it.page == _page_of(row, items)]
    return len(data_rows) >= 2


def _page_of(row: TableRow, items: list[_Item]) -> int:
    return next(it.page for it in items if it.row is row)


def _number(items: list[_Item]) -> list[Line]:
    lines: list[Line] = []
    for number, item in enumerate(items, start=1):
        if item.paragraph is not None:
            paragraph = item.paragraph
            lines.append(Line(paragraph.text, number, page=paragraph.pages[0], footnote=paragraph.footnote))
        elif item.row is not None and item.row.spanning:
            lines.append(Line(item.row.cells[0], number, page=item.page))
        elif item.row is not None:
            cells = tuple(item.row.cells)
            lines.append(Line("\t".join(cells), number, page=item.page, cells=cells))
    return lines
