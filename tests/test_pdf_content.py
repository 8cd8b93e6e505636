"""Content streams read by `readers.pdf.content` give the objects pdfminer's own parser gives,
and the glyph device's `render_string` the glyphs pdfminer's string rendering gives.

The oracle is pdfminer itself: `PDFContentParser` for the objects, `PDFTextDevice.render_string`
(calling the device's `render_char` per character) for the glyphs. Where the fast reader is
not sure it reads as pdfminer does, it must say so (`_Unsure`) and leave the page to pdfminer.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from pdfminer import settings as pdfminer_settings
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFContentParser, PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, list_value, stream_value
from pdfminer.psparser import KWD, PSEOF, PSKeyword, PSLiteral, PSSyntaxError
from pdfminer.utils import apply_matrix_rect

from htreport.readers.pdf import content, device
from htreport.readers.pdf.content import ContentParser, Interpreter, _Unsure, page_objects
from htreport.readers.pdf.device import GlyphDevice, PageReader
from htreport.readers.pdf.layout import Glyph, VisualLine, body_size, line_text
from htreport.readers.pdf.pages import load_pages

FIXTURES = Path(__file__).parent / "fixtures"
UNREADABLE = {"encrypted.pdf", "garbage.pdf", "truncated.pdf"}
PDFS = sorted(p for p in FIXTURES.rglob("*.pdf") if p.name not in UNREADABLE)


def canonical(obj):
    """An object as comparable data: type and value, names and keywords by identity."""
    if isinstance(obj, bool):
        return ("bool", obj)
    if isinstance(obj, int):
        return ("int", obj)
    if isinstance(obj, float):
        return ("float", repr(obj))
    if isinstance(obj, bytes):
        return ("bytes", obj)
    if isinstance(obj, PSLiteral):
        return ("name", id(obj), obj.name)
    if isinstance(obj, PSKeyword):
        return ("keyword", id(obj), obj.name)
    if isinstance(obj, list):
        return ("list", [canonical(item) for item in obj])
    if isinstance(obj, dict):
        return ("dict", [(key, canonical(value)) for key, value in obj.items()])
    return ("other", repr(obj))


def _streams(datas: list[bytes]) -> list[PDFStream]:
    streams = [PDFStream({}, data) for data in datas]
    for number, stream in enumerate(streams, start=1):
        stream.objid = number
    return streams


def _objects_through(parser_class: type, datas: list[bytes]):
    """The (position, object) pairs a parser class gives, or what it raised and where."""
    read = []
    try:
        parser = parser_class(_streams(datas))
        while True:
            position, obj = parser.nextobject()
            read.append((position, canonical(obj)))
    except PSEOF:
        return read
    except Exception as error:  # an error pdfminer raises is part of what it does
        return ("raised", type(error).__name__, read)


def pdfminer_objects(datas: list[bytes]):
    return _objects_through(PDFContentParser, datas)


def _through_content_parser(datas: list[bytes]):
    return _objects_through(ContentParser, datas)


def fast_objects(datas: list[bytes]):
    try:
        return [(position, canonical(obj)) for position, obj in page_objects(datas)]
    except _Unsure:
        return None


def agrees(datas: list[bytes]) -> bool:
    """The fast reader gives pdfminer's objects; False where it left the page to pdfminer."""
    fast = fast_objects(datas)
    if fast is None:
        return False
    assert fast == pdfminer_objects(datas), datas
    return True


def _fixture_pages() -> list[tuple[str, list[bytes]]]:
    pages = []
    for path in PDFS:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                streams = list_value(page.page_obj.contents)
                datas = [stream_value(stream).get_data() for stream in streams]
                pages.append((f"{path.name} p{page.page_number}", datas))
    return pages


FIXTURE_PAGES = _fixture_pages()


def test_every_page_of_every_fixture_pdf_is_read_fast_and_as_pdfminer_reads_it():
    assert len(FIXTURE_PAGES) > 300
    slow = [name for name, datas in FIXTURE_PAGES if not agrees(datas)]
    assert slow == []


# -- generated streams ---------------------------------------------------------------------

NUMBERS = [b"0", b"12", b"-3", b"+4", b"5.", b".5", b"-.25", b"1.2.3", b"-", b"+", b".",
           b"--7", b"+-8", b"007", b"1..5", b"3-4", b"9" * 5000]  # fmt: skip
NAMES = [b"/F1", b"/A#41B", b"/#", b"/", b"/a#4", b"/#4G", b"/##41", b"/\xc3\xa9", b"/\xff",
         b"/a\x00b", b"/Name#20Sp", b"/#414", b"/#41", b"/a#"]  # fmt: skip
KEYWORDS = [b"Tj", b"TJ", b"T*", b"'", b'"', b"true", b"false", b"null", b"BT", b"ET", b"q",
            b"EI", b"cm", b"\x80", b"!", b")", b"@", b"a1.5", b"T\x00j", b"#"]  # fmt: skip
STRINGS = [b"(abc)", b"()", b"(a(b)c)", b"(a\\)b)", b"(\\101\\1012)", b"(\\7)", b"(\\377x)",
           b"(\\400)", b"(\\n\\t\\b\\f\\r\\(\\)\\\\)", b"(\\q)", b"(\\\r\nx)", b"(\\\rx)",
           b"(\\\nx)", b"(open", b"(\\", b"(\\1", b"(()", b"(\xff\x00)", b"(\\12a)"]  # fmt: skip
HEXES = [b"<41>", b"<>", b"<4 1>", b"< 41 42 >", b"<414>", b"<41>>", b"<4g>", b"<", b"<41",
         b"<AbCd>", b"<\n41\t>", b"<0>"]  # fmt: skip
STRUCTURE = [b"[", b"]", b"<<", b">>", b"{", b"}", b">", b"[1 2 (a) <41>]", b"[]",
             b"[<04>4<1D>-2.5<17>]", b"[(a)-.5(b)+3<41>]", b"<</A 1 /B [2 3]>>", b"<</A>>",
             b"<<1 2>>", b"<</A null>>", b"[<41>>]", b"[1 . 2]", b"[ (a\\)) ]", b"[-]",
             b"{1 2 add}", b"[1[2]3]"]  # fmt: skip
COMMENTS = [b"% comment\n", b"%\r", b"%no end", b"%(\n"]
INLINE_IMAGE = [b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI", b"ID"]
FRAGMENTS = NUMBERS + NAMES + KEYWORDS + STRINGS + HEXES + STRUCTURE + COMMENTS + INLINE_IMAGE
#: What pdfminer may read differently or fail on, which the fast reader leaves to it.
UNSURE = {b"(open", b"(\\", b"(\\1", b"(()", b"<", b"<41", b"(\\400)", b"<</A>>", b"<<1 2>>",
          *INLINE_IMAGE}  # fmt: skip
SURE = [fragment for fragment in FRAGMENTS if fragment not in UNSURE]
#: No lone '<<': in a long soup some dictionary would be odd (pdfminer raises).
LONG = [fragment for fragment in SURE if fragment != b"<<"]
SEPARATORS = [b" ", b" ", b"\n", b"\r\n", b"\r", b"\t", b"\x0c", b"\x00", b"", b"  \n "]


def _soup(rng: random.Random, count: int, fragments: list[bytes] = FRAGMENTS) -> bytes:
    parts = []
    for _ in range(count):
        parts.append(rng.choice(fragments))
        parts.append(rng.choice(SEPARATORS))
    return b"".join(parts)


def _split(rng: random.Random, data: bytes) -> list[bytes]:
    """`data` cut into one to three streams at random places (inside tokens too)."""
    cuts = sorted(rng.sample(range(len(data) + 1), k=min(rng.randint(0, 2), len(data) + 1)))
    pieces, start = [], 0
    for cut in cuts:
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return pieces


@pytest.mark.parametrize("seed", range(4))
def test_generated_streams_read_as_pdfminer_reads_them(seed):
    rng = random.Random(seed)
    fast = 0
    for _ in range(1500):
        fast += agrees(_split(rng, _soup(rng, rng.randint(1, 30))))
    assert fast > 300  # most soups hold something left to pdfminer; many do not


@pytest.mark.parametrize("seed", range(2))
def test_streams_without_what_is_left_to_pdfminer_are_read_here(seed):
    # leaving everything to pdfminer would pass the other tests: these must be read here
    rng = random.Random(seed)
    cases = 1500
    fast = sum(agrees([_soup(rng, rng.randint(1, 30), SURE)]) for _ in range(cases))
    assert fast > cases * 0.95  # odd dictionaries from '<<' and '>>' are left to pdfminer


def test_streams_longer_than_pdfminers_reads_agree():
    # pdfminer reads a stream 4096 bytes at a time: tokens of every kind straddle a read
    rng = random.Random(7)
    fast = 0
    for _ in range(60):
        data = _soup(rng, 900, LONG if rng.random() < 0.8 else FRAGMENTS)
        assert len(data) > 2 * PDFContentParser.BUFSIZ
        fast += agrees([data])
        fast += agrees(_split(rng, data))
    assert fast > 40


def test_a_backslash_cr_lf_split_between_two_reads_is_left_to_pdfminer():
    # pdfminer skips CR LF after a backslash only when both are in the same 4096-byte read
    split = b"(" + b"a" * (PDFContentParser.BUFSIZ - 3) + b"\\\r\nb) Tj"
    assert split.index(b"\n") == PDFContentParser.BUFSIZ
    assert fast_objects([split]) is None
    assert _through_content_parser([split]) == pdfminer_objects([split])
    together = b"(" + b"a" * 100 + b"\\\r\nb) Tj"
    assert agrees([together])


@pytest.mark.parametrize("seed", range(3))
def test_mangled_fixture_streams_read_as_pdfminer_reads_them(seed):
    rng = random.Random(seed)
    pages = [datas for _, datas in FIXTURE_PAGES if sum(map(len, datas)) < 30_000]
    specials = [b"(", b")", b"\\", b"<", b">", b"[", b"]", b"/", b"#", b"%", b"\r", b"\n",
                b"\x00", b".", b"-", b"{", b"BI "]  # fmt: skip
    fast = 0
    for _ in range(100):
        data = bytearray(b"".join(rng.choice(pages)))
        for _ in range(rng.randint(1, 12)):
            at = rng.randrange(len(data) + 1)
            action = rng.random()
            if action < 0.4:
                data[at:at] = rng.choice(specials)
            elif action < 0.7:
                del data[at : at + rng.randint(1, 8)]
            else:
                data[at : at + 1] = rng.choice(specials + FRAGMENTS)
        fast += agrees(_split(rng, bytes(data)))
    assert fast > 20


# -- the parser and interpreter pdfminer runs ----------------------------------------------


@pytest.mark.parametrize(
    "datas",
    [
        [b"BT /F1 12 Tf (a) Tj ET"],
        [b"<</A 1 /B>> BDC (a) Tj"],  # pdfminer raises on the odd dictionary
        [b"(\\777) Tj"],  # pdfminer fails an assertion on the octal escape
        [b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q"],  # an inline image
        [b"(a) T", b"j ET"],  # a keyword cut by two streams
        [b"[<41> 1", b"2 <42>] TJ"],
        [b"<41> >", b"> Q"],
        [],
        [b""],
    ],
)
def test_content_parser_hands_pdfminers_interpreter_what_pdfminer_would(datas):
    assert _through_content_parser(datas) == pdfminer_objects(datas)


def test_the_odd_dictionary_raises_as_in_pdfminer():
    datas = [b"q <</A 1 /B>> BDC (a) Tj"]
    assert fast_objects(datas) is None
    raised, name, before = _through_content_parser(datas)
    assert (raised, name) == ("raised", PSSyntaxError.__name__)
    assert [obj for _, obj in before] == [canonical(KWD(b"q"))]  # after what came before it


def test_strict_mode_is_left_to_pdfminer(monkeypatch):
    monkeypatch.setattr(pdfminer_settings, "STRICT", True)
    parser = ContentParser(_streams([b"1 2 m"]))
    assert parser._objects is None
    assert parser.nextobject()[1] == 1


def test_the_interpreter_is_pdfminers_with_this_parser():
    assert Interpreter.execute is not PDFPageInterpreter.execute
    assert Interpreter.execute.__code__ is PDFPageInterpreter.execute.__code__
    assert Interpreter.execute.__globals__["PDFContentParser"] is ContentParser
    assert device.Interpreter is Interpreter


def test_a_version_without_the_name_keeps_its_own_execute(monkeypatch):
    def execute(self, streams):  # as if pdfminer's execute no longer named PDFContentParser
        return streams

    monkeypatch.setattr(PDFPageInterpreter, "execute", execute)
    assert content._execute_with(ContentParser) is execute


def _glyphs(path: Path, interpreter: type, glyph_device: type = GlyphDevice) -> list:
    reader = PageReader()
    reader.device = glyph_device(reader.resources)
    reader.interpreter = interpreter(reader.resources, reader.device)
    with pdfplumber.open(path) as pdf:
        return [[repr(glyph) for glyph in reader.read(page)[0]] for page in pdf.pages]


@pytest.mark.parametrize("path", PDFS, ids=lambda path: path.name)
def test_fixture_glyphs_are_those_pdfminers_parser_gives(path):
    assert _glyphs(path, Interpreter) == _glyphs(path, PDFPageInterpreter)


# -- glyphs: the device's render_string against pdfminer's ---------------------------------


class ReferenceDevice(GlyphDevice):
    """pdfminer's string rendering, calling for every character the glyph recorder the device
    had before `render_string` was written (kept here as the oracle)."""

    render_string = PDFTextDevice.render_string

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = f"(cid:{cid})"
        advance = font.char_width(cid) * fontsize * scaling
        a, b, c, d, e, f = matrix
        if font.is_vertical() or not (a * d * scaling > 0 and b * c <= 0):
            return advance
        descent = font.get_descent() * fontsize
        if b == 0 and c == 0:
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


def _pdf(contents: list[bytes], form: bytes = b"") -> bytes:
    """A one-page PDF with three standard fonts (F1-F3), `contents` as its content streams
    and `form` as a form XObject /X1 (drawn where a stream says `/X1 Do`)."""
    fonts = b"<< /F1 5 0 R /F2 6 0 R /F3 7 0 R >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font "
        + fonts
        + b" /XObject << /X1 4 0 R >> >> /Contents ["
        + b" ".join(b"%d 0 R" % (8 + i) for i in range(len(contents)))
        + b"] >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font "
        + fonts
        + b" >> /Length %d >>\nstream\n" % len(form)
        + form
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>",
    ]
    objects += [b"<< /Length %d >>\nstream\n" % len(c) + c + b"\nendstream" for c in contents]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


TEXT_STATES = [
    b"BT /F1 12 Tf 72 700 Td (Plain text, upright.) Tj ET",
    b"BT /F2 10 Tf 2 Tc 72 680 Td (Character spacing) Tj ET",
    b"BT /F1 11 Tf 5 Tw 72 660 Td (word spacing between words) Tj ET",
    b"BT /F3 9 Tf 150 Tz 72 640 Td (scaled horizontally) Tj 50 Tz (narrow) Tj ET",
    b"BT /F1 8 Tf 3 Ts 72 620 Td (raised) Tj -2 Ts (lowered) Tj ET",
    b"BT /F2 12 Tf 72 600 Td [(Ke) -120 (rn) 40.5 (ed) 1 <414243> -1000 ()] TJ ET",
    b"BT /F1 12 Tf 0.7071 0.7071 -0.7071 0.7071 300 300 Tm (rotated 45 degrees) Tj ET",
    b"BT /F1 12 Tf 0 1 -1 0 500 100 Tm (rotated 90) Tj ET",
    b"BT /F1 12 Tf -1 0 0 1 500 400 Tm (mirrored) Tj ET",
    b"BT /F1 12 Tf 1 0 0.3 1 72 500 Tm (skewed) Tj ET",
    b"BT /F1 12 Tf 1 0.2 0 1 72 480 Tm (sheared up) Tj ET",
    b"BT /F1 12 Tf 1 0 0 -1 72 460 Tm (upside down) Tj ET",
    b"BT /F2 10 Tf 14 TL 72 440 Td (line one) Tj T* (line two) ' 2 1 (line three) \" ET",
    b"BT /F1 12 Tf 72 400 Td [(name) /NotAString (in a TJ array) true] TJ ET",
    b"2 0 0 2 10 10 cm BT /F3 6 Tf 30 150 Td (under a scaling cm) Tj ET",
    b"BT 72 380 Td (no font yet) Tj ET",
    b"BT /F1 0 Tf 72 360 Td (size zero) Tj /F1 -12 Tf (negative size) Tj ET",
    b"/X1 Do",
]
FORM = b"BT /F2 9 Tf 100 100 Td (inside a form) Tj ET"


@pytest.mark.parametrize("content_stream", TEXT_STATES, ids=lambda c: c[:40].decode())
def test_render_string_gives_pdfminers_glyphs(tmp_path, content_stream):
    path = tmp_path / "text.pdf"
    path.write_bytes(_pdf([content_stream], form=FORM))
    ours = _glyphs(path, Interpreter)
    assert ours == _glyphs(path, PDFPageInterpreter, ReferenceDevice)
    dropped = (b"no font", b"rotated 90", b"mirrored", b"upside down")  # not body text
    assert bool(ours[0]) is not any(word in content_stream for word in dropped)


def test_render_string_gives_pdfminers_glyphs_over_several_streams(tmp_path):
    path = tmp_path / "streams.pdf"
    path.write_bytes(_pdf([b"BT /F1 12 Tf 72 700 Td (one", b") Tj ET", *TEXT_STATES], FORM))
    ours = _glyphs(path, Interpreter)
    assert ours == _glyphs(path, PDFPageInterpreter, ReferenceDevice)
    assert len(ours[0]) > 200


@pytest.mark.parametrize("path", PDFS, ids=lambda path: path.name)
def test_fixture_glyphs_are_those_pdfminers_rendering_gives(path):
    assert _glyphs(path, Interpreter) == _glyphs(path, PDFPageInterpreter, ReferenceDevice)


# -- visual lines: the shortcuts of layout.py against the plain computations ---------------


@pytest.mark.parametrize("path", PDFS, ids=lambda path: path.name)
def test_visual_lines_are_their_glyphs_text(path):
    # group_lines writes each line's text from glyphs it has sorted (`ordered=True`)
    with pdfplumber.open(path) as pdf:
        pages = load_pages(pdf, path.read_bytes(), parallel=False)
    lines = [line for page in pages for line in page.lines]
    assert lines or path.name in ("scanned.pdf", "zero-pages.pdf")
    assert all(line_text(line) == line.text for line in lines)
    shuffled = random.Random(5)
    for line in lines[:200]:
        glyphs = list(line.glyphs)
        shuffled.shuffle(glyphs)
        assert line_text(VisualLine(glyphs, size=line.size)) == line.text


def _rounded_most_common(glyphs: list[Glyph]) -> float:
    sizes = Counter(round(g.size, 1) for g in glyphs if not g.text.isspace())
    return sizes.most_common(1)[0][0] if sizes else 0.0


def test_body_size_is_the_most_common_size_to_a_tenth():
    rng = random.Random(11)
    values = [10.0, 10.04, 9.96, 11.0, 11.049, 6.5, 0.0, -3.0, float("nan"), float("inf")]
    for _ in range(2000):
        glyphs = [
            Glyph(rng.choice("ab "), 0.0, 0.0, 1.0, 1.0, rng.choice(values))
            for _ in range(rng.randrange(12))
        ]
        expected, found = _rounded_most_common(glyphs), body_size(glyphs)
        assert repr(found) == repr(expected), glyphs


def test_vertical_text_gives_no_glyphs_as_before(tmp_path, monkeypatch):
    from pdfminer.pdffont import PDFFont

    path = tmp_path / "vertical.pdf"
    path.write_bytes(_pdf([b"BT /F1 12 Tf 72 700 Td (set vertically) Tj ET"]))
    assert _glyphs(path, Interpreter)[0]  # horizontal, the text is there
    monkeypatch.setattr(PDFFont, "is_vertical", lambda self: True)
    assert _glyphs(path, Interpreter) == _glyphs(path, PDFPageInterpreter, ReferenceDevice)
    assert _glyphs(path, Interpreter) == [[]]
