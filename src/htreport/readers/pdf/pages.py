"""The pages of a PDF as glyphs, ruling edges and visual lines, read in several processes.

Interpreting the pages' content streams is most of a PDF's reading time, and each page is
interpreted on its own, so the pages of a long document are shared out: this process reads
every n-th page and worker processes the others (every n-th page rather than runs of pages,
so that the costly chart pages are shared evenly). A worker sends its pages back in a
compact form (glyphs as tuples, lines as glyph indices), a tenth of the cost of pickling the
objects, and they are rebuilt here exactly as read. The result is the same as reading every
page here (tested on every fixture PDF); pages a worker could not read are read again here,
so an error is raised as it would have been.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from htreport.readers.pdf.layout import Glyph, VisualLine, group_lines
from htreport.readers.pdf.tables import TableBlock
from htreport.settings import worker_count

#: The open document, in a worker forked while `load_pages` runs (not parsed a second time).
_inherited: Any = None
#: Fewer pages than this are read in this process only: starting a worker costs more.
PARALLEL_PAGES = 8


@dataclass(slots=True)
class Page:
    number: int
    height: float
    glyphs: list[Glyph]
    edges: list[dict]
    images: int
    lines: list[VisualLine] = field(default_factory=list)
    tables: list[TableBlock] = field(default_factory=list)


def load_pages(pdf: Any, data: bytes, *, parallel: bool = True) -> list[Page]:
    """Every page of the open pdfplumber document `pdf` (opened from `data`), lines grouped."""
    count = len(pdf.pages)
    workers = worker_count(None, count) if parallel and _may_fork(count) else 1
    if workers <= 1:
        return _read_share(pdf, range(count))
    shares = [range(start, count, workers) for start in range(workers)]
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    global _inherited
    by_index: dict[int, Page] = {}
    _inherited = pdf  # a forked worker starts with the document already parsed
    try:
        with ProcessPoolExecutor(max_workers=workers - 1, mp_context=get_context("fork")) as pool:
            futures = [pool.submit(_read_share_packed, data, share) for share in shares[1:]]
            by_index.update(zip(shares[0], _read_share(pdf, shares[0]), strict=True))
            for share, future in zip(shares[1:], futures, strict=True):
                try:
                    read = [_unpack(item) for item in future.result()]
                except Exception:  # read it here: the same error, raised the same way
                    read = _read_share(pdf, share)
                by_index.update(zip(share, read, strict=True))
    finally:
        _inherited = None
    return [by_index[index] for index in range(count)]


def _may_fork(count: int) -> bool:
    import multiprocessing
    import threading

    return (
        count >= PARALLEL_PAGES
        and "fork" in multiprocessing.get_all_start_methods()
        and multiprocessing.parent_process() is None  # a batch worker reads its PDF alone
        # forking while another thread may hold a lock (a library user's threads) can
        # leave the child waiting on it for ever
        and threading.active_count() == 1
    )


def _read_share(pdf: Any, indices: Sequence[int]) -> list[Page]:
    from htreport.readers.pdf.device import PageReader

    reader = PageReader()
    pages = [load_page(pdf.pages[index], reader) for index in indices]
    for page in pages:
        page.lines = group_lines(page.glyphs)
    return pages


def _read_share_packed(data: bytes, indices: Sequence[int]) -> list[tuple]:
    if _inherited is not None:
        return [_pack(page) for page in _read_share(_inherited, indices)]
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [_pack(page) for page in _read_share(pdf, indices)]


def _pack(page: Page) -> tuple:
    index = {id(glyph): number for number, glyph in enumerate(page.glyphs)}
    glyphs = [tuple(glyph) for glyph in page.glyphs]
    lines = [
        ([index[id(g)] for g in line.glyphs], line.text, line.size, line.page)
        for line in page.lines
    ]
    return page.number, page.height, glyphs, page.edges, page.images, lines


def _unpack(packed: tuple) -> Page:
    number, height, glyph_tuples, edges, images, line_tuples = packed
    glyphs = [Glyph._make(values) for values in glyph_tuples]
    page = Page(number, height, glyphs, edges, images)
    page.lines = [
        VisualLine([glyphs[i] for i in indices], text, size, line_page)
        for indices, text, size, line_page in line_tuples
    ]
    return page


def load_page(page: Any, reader: Any) -> Page:
    """Glyphs and ruling edges of a page.

    The glyphs come from a lean pdfminer device (`device.PageReader`); only the few lines and
    boxes are converted to pdfplumber's form, for its table finder."""
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
    return Page(page.page_number, float(page.height), glyphs, edges, images)
