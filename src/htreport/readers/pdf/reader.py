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

from htreport.document import Document, Line, row
from htreport.errors import HtreportError, SourceError
from htreport.model.columns import header_columns
from htreport.model.plain import ExtractionWarning
from htreport.readers.pdf.breaks import Item, join_across_break
from htreport.readers.pdf.layout import (
    IN_DOUBT,
    Glyph,
    VisualLine,
    furniture_keys,
    group_lines,
    is_page_furniture,
    line_text,
    paragraphs,
    vocabulary,
)
from htreport.readers.pdf.pages import Page, load_pages
from htreport.readers.pdf.tables import tables_on_page
from htreport.settings import young_collections_rare

_ANNEX_A = re.compile(r"^\W*annexe?\s+a\b(?!.*\d\s*$)", re.IGNORECASE)
_ANNEX_ANY = re.compile(
    r"^\W*(?:annexe?|appendix|appendice)\s+(?:[A-Z]{1,2}|\d{1,2})\b(?!.*\d\s*$)", re.IGNORECASE
)
#: A gap wider than this (in ems) between two glyphs of a line separates two header cells.
_CELL_GAP = 0.9


def read_pdf(data: bytes, name: str, *, parallel: bool = True) -> Document:
    """Read PDF bytes into a Document; unreadable PDFs raise a one-line `SourceError`.

    A PDF of many pages is read in several processes (`pages.load_pages`) unless `parallel`
    is false; the Document is the same either way. Reading makes hundreds of thousands of
    short-lived objects (tokens, glyphs), so the collector's young collections are made rare
    meanwhile (`settings.young_collections_rare`)."""
    with _quiet_pdfminer(), young_collections_rare():
        try:
            return _read(data, name, parallel)
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


def _read(data: bytes, name: str, parallel: bool) -> Document:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        if getattr(pdf.doc, "encryption", None) and not pdf.pages:
            raise SourceError("PDF is encrypted (password-protected); decrypt it first", path=name)
        if not pdf.pages:
            raise SourceError("PDF has no pages", path=name)
        title = pdf.metadata.get("Title") if isinstance(pdf.metadata, dict) else None
        pages = load_pages(pdf, data, parallel=parallel)
        if not any(page.glyphs for page in pages):
            if any(page.images for page in pages):
                raise SourceError(
                    "PDF has no text layer (scanned pages?); run OCR on it first (e.g. ocrmypdf)",
                    path=name,
                )
            raise SourceError("PDF has no text on any page", path=name)
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


def _annex_pages(pages: list[Page]) -> range:
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


def _assemble(pages: list[Page], hyphens: dict[str, str]) -> list[Line]:
    """The document's lines; each line-end hyphen decided is added to `hyphens`."""
    words = vocabulary(line.text for page in pages for line in page.lines)
    words.hyphens = hyphens
    running = furniture_keys([p.lines for p in pages], [p.height for p in pages])
    body_lines = [
        [ln for ln in p.lines if not is_page_furniture(ln, p.height, running)] for p in pages
    ]
    right_edge = _right_margin([ln for lines in body_lines for ln in lines])
    items: list[Item] = []
    for page, lines in zip(pages, body_lines, strict=True):
        page_items = _page_items(page, lines, words)
        if page_items and items:
            join_across_break(items, page_items, right_edge)
        items.extend(page_items)
    return _number(items)


def _right_margin(lines: list[VisualLine]) -> float:
    """Where body lines end when full: a high percentile of their right ends, so that a long
    web address running into the margin does not count."""
    ends = sorted(ln.x1 for ln in lines)
    return ends[int(0.95 * (len(ends) - 1))] if ends else 0.0


def _page_items(page: Page, lines: list[VisualLine], words: set[str]) -> list[Item]:
    """Paragraphs and table rows of one page, top to bottom."""
    for line in lines:
        line.page = page.number
    blocks: list[tuple[float, object]] = [(ln.top, ln) for ln in lines]
    blocks += [(row.top, row) for table in page.tables for row in table.rows]
    blocks.sort(key=lambda block: block[0])
    items: list[Item] = []
    run: list[VisualLine] = []

    def flush() -> None:
        for paragraph in paragraphs(run, words):
            paragraph.pages = [page.number]
            items.append(Item(page.number, paragraph=paragraph))
        run.clear()

    for _, block in blocks:
        if isinstance(block, VisualLine):
            run.append(block)
        else:
            flush()
            items.append(Item(page.number, row=block))  # type: ignore[arg-type]
    flush()
    return items


def _number(items: list[Item]) -> list[Line]:
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
