"""A lean pdfminer device: the glyphs of a page as plain `Glyph`s, plus its lines and boxes.

pdfplumber builds a pdfminer `LTChar` and then a dict for every character; for a text-heavy
report that costs about as much as parsing the page. This device records only what the
reader uses (text, box, size) and leaves ruling lines, boxes and images to pdfminer's usual
layout objects, which `pdfsource` hands to pdfplumber's table finder. Imported only when a PDF
is read (pdfminer is pdfplumber's engine).
"""

from __future__ import annotations

from pdfminer.converter import PDFPageAggregator
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.utils import apply_matrix_rect

from htreport.readers.pdf.layout import Glyph


class GlyphDevice(PDFPageAggregator):
    """Collects upright horizontal glyphs in page coordinates (top-down, like pdfplumber)."""

    def __init__(self, resources: PDFResourceManager) -> None:
        super().__init__(resources, laparams=None)
        self.glyphs: list[Glyph] = []
        self.page_height = 0.0
        self.x_shift = self.y_shift = 0.0

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = f"(cid:{cid})"
        advance = font.char_width(cid) * fontsize * scaling
        a, b, c, d, e, f = matrix
        if font.is_vertical() or not (a * d * scaling > 0 and b * c <= 0):
            return advance  # vertical or rotated text (stamps, margins notes) is not body text
        descent = font.get_descent() * fontsize
        if b == 0 and c == 0:  # the usual unrotated, unskewed text: no general matrix product
            x0, x1 = e, a * advance + e
            y0, y1 = d * (descent + rise) + f, d * (descent + rise + fontsize) + f
        else:
            x0, y0, x1, y1 = apply_matrix_rect(
                matrix, (0, descent + rise, advance, descent + rise + fontsize)
            )
        x0, x1 = min(x0, x1), max(x0, x1)
        y0, y1 = min(y0, y1), max(y0, y1)
        self.glyphs.append(
            Glyph(
                text,
                x0 + self.x_shift,
                self.page_height - y1 + self.y_shift,
                x1 + self.x_shift,
                self.page_height - y0 + self.y_shift,
                y1 - y0,
            )
        )
        return advance


class PageReader:
    """Runs pdfminer's interpreter over pdfplumber pages with a `GlyphDevice`."""

    def __init__(self) -> None:
        self.resources = PDFResourceManager(caching=True)
        self.device = GlyphDevice(self.resources)
        self.interpreter = PDFPageInterpreter(self.resources, self.device)

    def read(self, page):
        """(glyphs, layout) of a pdfplumber page; `layout` holds the non-text objects."""
        self.device.glyphs = []
        self.device.page_height = float(page.height)
        self.device.x_shift, self.device.y_shift = page.mediabox[0], page.mediabox[1]
        self.interpreter.process_page(page.page_obj)
        return self.device.glyphs, self.device.get_result()
