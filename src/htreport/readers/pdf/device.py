"""A lean pdfminer device: the glyphs of a page as plain `Glyph`s, plus its lines and boxes.

pdfplumber builds a pdfminer `LTChar` and then a dict for every character; for a text-heavy
report that costs about as much as parsing the page. This device records only what the
reader uses (text, box, size) and leaves ruling lines, boxes and images to pdfminer's usual
layout objects, which `pages.py` hands to pdfplumber's table finder. A string is drawn in one
loop (`render_string`, pdfminer's arithmetic in pdfminer's order); vertical fonts are left to
pdfminer, whose `render_char` calls give no glyph. Imported only when a PDF is read (pdfminer
is pdfplumber's engine).
"""

from __future__ import annotations

import logging
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.utils import apply_matrix_rect, mult_matrix

from htreport.readers.pdf.content import Interpreter
from htreport.readers.pdf.layout import Glyph

_pdfdevice_log = logging.getLogger("pdfminer.pdfdevice")


class GlyphDevice(PDFPageAggregator):
    """Collects upright horizontal glyphs in page coordinates (top-down, like pdfplumber)."""

    def __init__(self, resources: PDFResourceManager) -> None:
        super().__init__(resources, laparams=None)
        self.glyphs: list[Glyph] = []
        self.page_height = 0.0
        self.x_shift = self.y_shift = 0.0
        #: Per font, each character code's (text, width in text space), as looked up once.
        self._characters: dict[Any, dict[int, tuple[str, float]]] = {}

    def render_string(self, textstate, seq, ncs, graphicstate) -> None:
        """pdfminer's `PDFTextDevice.render_string` and `render_string_horizontal`, with
        glyph recording written into the loop and each character's text and width looked up
        once per font: the same arithmetic in the same order, so the same positions."""
        font = textstate.font
        if font is None or font.is_vertical():
            super().render_string(textstate, seq, ncs, graphicstate)
            return
        matrix = mult_matrix(textstate.matrix, self.ctm)
        fontsize = textstate.fontsize
        scaling = textstate.scaling * 0.01
        charspace = textstate.charspace * scaling
        wordspace = textstate.wordspace * scaling
        rise = textstate.rise
        if font.is_multibyte():
            wordspace = 0
        dxscale = 0.001 * fontsize * scaling
        characters = self._characters.get(font)
        if characters is None:
            characters = self._characters[font] = {}
        a, b, c, d, e, f = matrix
        # rotated, mirrored or skewed text (stamps, margin notes) is not body text
        upright = a * d * scaling > 0 and b * c <= 0
        plain = b == 0 and c == 0
        descent = font.get_descent() * fontsize
        bottom, top = descent + rise, descent + rise + fontsize
        height, shift_x, shift_y = self.page_height, self.x_shift, self.y_shift
        glyphs = self.glyphs
        x, y = textstate.linematrix
        needcharspace = False
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    if needcharspace:
                        x += charspace
                    character = characters.get(cid)
                    if character is None:
                        character = characters[cid] = _character(font, cid)
                    text, width = character
                    advance = width * fontsize * scaling
                    if upright:
                        e1, f1 = x * a + y * c + e, x * b + y * d + f
                        if plain:
                            x0, x1 = e1, a * advance + e1
                            y0, y1 = d * bottom + f1, d * top + f1
                        else:
                            x0, y0, x1, y1 = apply_matrix_rect(
                                (a, b, c, d, e1, f1), (0, bottom, advance, top)
                            )
                        x0, x1 = min(x0, x1), max(x0, x1)
                        y0, y1 = min(y0, y1), max(y0, y1)
                        glyphs.append(
                            Glyph(
                                text,
                                x0 + shift_x,
                                height - y1 + shift_y,
                                x1 + shift_x,
                                height - y0 + shift_y,
                                y1 - y0,
                            )
                        )
                    x += advance
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
            else:
                _pdfdevice_log.warning(
                    "Cannot render horizontal string because %r is not a valid int, float or "
                    "bytes.",
                    obj,
                )
        textstate.linematrix = (x, y)

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        """What pdfminer calls for the strings `render_string` leaves to it, those of vertical
        fonts: vertical text is not body text, so no glyph, only the advance."""
        return _character(font, cid)[1] * fontsize * scaling


def _character(font: Any, cid: int) -> tuple[str, float]:
    try:
        text = font.to_unichr(cid)
    except PDFUnicodeNotDefined:
        text = f"(cid:{cid})"
    return text, font.char_width(cid)


class PageReader:
    """Runs pdfminer's interpreter over pdfplumber pages with a `GlyphDevice`."""

    def __init__(self) -> None:
        self.resources = PDFResourceManager(caching=True)
        self.device = GlyphDevice(self.resources)
        self.interpreter = Interpreter(self.resources, self.device)

    def read(self, page):
        """(glyphs, layout) of a pdfplumber page; `layout` holds the non-text objects."""
        self.device.glyphs = []
        self.device.page_height = float(page.height)
        self.device.x_shift, self.device.y_shift = page.mediabox[0], page.mediabox[1]
        self.interpreter.process_page(page.page_obj)
        return self.device.glyphs, self.device.get_result()
