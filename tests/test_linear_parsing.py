"""Extraction takes time linear in its input: n and 8n of one shape, at most ~12x the time.

Each shape is one that a parser grows state over: one paragraph whose lines never end a
sentence (OCR, hard-wrapped pages), one long bullet, runs of one character (signature lines,
rules), a long token with no `@`, a list of numbers in prose. The text reader and every parser
run (through `extract_document`), so a search over "the text built so far" on every line added,
or a pass that peels a run a few characters at a time, shows as a ratio near 64.
"""

from __future__ import annotations

import pytest

from htreport.document import Document, Line
from htreport.parsers import footnotes, prose
from htreport.parsers.sections import find_sections
from htreport.pipeline.extraction import extract_document
from htreport.readers.text import read_text
from tests.scaling import growth

HEADER = "National Action Plan to Combat Human Trafficking\nAnnual Report on Progress 2014-2015\n\n"

SHAPES = {
    "paragraph without a full stop": lambda n: (
        "The work went on and\n" + "the partners met again and\n" * n
    ),
    "long bullet": lambda n: "- The partners trained\n" + "staff across the regions and\n" * n,
    "number list with commas only": lambda n: (
        "The program counted " + "9," * (n * 4) + "9 cases.\n"
    ),
    # found by tests/test_fuzz_extract.py: each number searched its whole sentence for a time
    # reference and quoted the whole sentence (output in the square of the input)
    "number list with comma-space separators": lambda n: (
        "In 2014 the program counted " + "9, " * (n * 3) + "9 cases.\n"
    ),
    "run of underscores": lambda n: "Signed " + "_" * (n * 20) + "\n",
    "run of asterisks": lambda n: "Note " + "*a " * (n * 8) + "\n",
    "long token without @": lambda n: "Write to " + "a." * (n * 10) + "\n",
    "many short paragraphs": lambda n: "A sentence that ends.\n\n" * n,
    # issue 12/20: each number of a ", " list scanned its whole sentence for a time reference
    "number list with comma and space": lambda n: (
        "The program counted " + "9, " * (n * 4) + "9 cases in 2014.\n"
    ),
    "number list with time references": lambda n: (
        "Counted " + "9 cases in 2014, " * n + "and 9 cases.\n"
    ),
    "number list over many lines": lambda n: "The program counted\n" + "9, 9, 9, 9,\n" * n,
    "many footnotes": lambda n: "".join(f"¹ Note {i} text.\n" for i in range(n)),
    "hyphenated wraps": lambda n: "The anti-\n" + "traf-\nficking work-\n" * n + "ended.\n",
    # issue 20: a chart task continued over many rows (each row joined into the one above)
    "chart task continued over many rows": lambda n: (
        "ANNEX A\nTask\tDeliverable\tTimeline\tStatus\tLead\n"
        "Objective 1.1: Prevent\n"
        "1.11 Promote the online training\t- Launch the tool\tStart: 2012/13\tOngoing\tPS\n"
        + "\t- and train the staff of the regions\t\t\t\n"
        * n
    ),
    "chart task text continued over many rows": lambda n: (
        "ANNEX A\nTask\tDeliverable\tTimeline\tStatus\tLead\n"
        "Objective 1.1: Prevent\n"
        "1.11 Promote the online training\tLaunch the tool\tStart: 2012/13\tOngoing\tPS\n"
        + "continued and\t\t\t\t\n"
        * n
    ),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_extraction_time_is_linear(shape):
    def make(size: int):
        data = (HEADER + SHAPES[shape](size)).encode()
        return lambda: extract_document(read_text(data, name="shape.txt"))

    ratio = growth(make, 250, 8, bound=12)
    assert ratio <= 12, f"{shape}: {ratio:.0f}x the time for 8x the input"


def test_a_footnote_of_many_flagged_lines_is_linear():
    # footnotes.parse joined each continuation line onto the whole footnote text so far, and
    # looked its first line up from the start of the document, per line (timed alone: the
    # rest of the pipeline is linear and would hide it)
    def make(size: int):
        lines = [Line("Foreword", 1, page=1), Line("A sentence⁷ that ends.", 2, page=1)]
        lines += [Line("A paragraph that ends.", 3 + i, page=1) for i in range(size)]
        lines.append(Line("⁷ The note begins and", 3 + size, page=1, footnote=True))
        lines += [
            Line("the note runs on and", 4 + size + i, page=1, footnote=True) for i in range(size)
        ]
        document = Document(path="x.pdf", format="pdf", sha256="0" * 64, lines=lines)
        sections = find_sections(document)
        blocks = prose.assemble(document, sections)
        return lambda: footnotes.parse(document, sections, blocks)

    # timed alone, a linear parse takes about 8x (no fixed costs to dilute it), so the bound
    # leaves room for a loaded machine; the quadratic join took 30-60x
    ratio = growth(make, 1000, 8)
    assert ratio <= 20, f"a long footnote: {ratio:.0f}x the time for 8x the input"


def test_forty_list_items_extract_at_once():
    # issue 12: "9,9,...,9 cases" with forty items hung extract for more than 30 s
    text = HEADER + "The program counted " + ",".join(["9"] * 60) + " cases.\n"
    report = extract_document(read_text(text.encode(), name="hang.txt"))
    assert report.source.file == "hang.txt"


def _tall_pdf(lines: int) -> bytes:
    """One page holding `lines` lines of one paragraph that never ends a sentence."""
    import io as bytes_io

    from reportlab.pdfgen.canvas import Canvas

    buffer = bytes_io.BytesIO()
    height = 72 + 14 * (lines + 4)
    canvas = Canvas(buffer, pagesize=(612, height), invariant=1)
    canvas.setFont("Helvetica", 11)
    y = height - 36
    texts = ["Annual Report on Progress 2014-2015", "", *["the partners met again and"] * lines]
    for text in texts:
        canvas.drawString(72, y, text)
        y -= 14
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_a_pdf_page_of_many_lines_reads_in_linear_time():
    # issue 20: PDF pages of many lines were among the inputs slow in the square of their size
    from htreport.readers.pdf import read_pdf

    def make(size: int):
        data = _tall_pdf(size)
        return lambda: extract_document(read_pdf(data, name="tall.pdf"))

    ratio = growth(make, 100, 8, bound=12)
    assert ratio <= 12, f"{ratio:.0f}x the time for 8x the lines of one PDF page"
