"""Extraction takes time linear in its input: n and 8n of one shape, at most ~12x the time.

Each shape is one that a parser grows state over: one paragraph whose lines never end a
sentence (OCR, hard-wrapped pages), one long bullet, runs of one character (signature lines,
rules), a long token with no `@`, a list of numbers in prose. The text reader and every parser
run (through `extract_document`), so a search over "the text built so far" on every line added,
or a pass that peels a run a few characters at a time, shows as a ratio near 64.
"""

from __future__ import annotations

import pytest

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
    "hyphenated wraps": lambda n: "The anti-\n" + "traf-\nficking work-\n" * n + "ended.\n",
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_extraction_time_is_linear(shape):
    def make(size: int):
        data = (HEADER + SHAPES[shape](size)).encode()
        return lambda: extract_document(read_text(data, name="shape.txt"))

    ratio = growth(make, 250, 8)
    assert ratio <= 12, f"{shape}: {ratio:.0f}x the time for 8x the input"


def test_forty_list_items_extract_at_once():
    # issue 12: "9,9,...,9 cases" with forty items hung extract for more than 30 s
    text = HEADER + "The program counted " + ",".join(["9"] * 60) + " cases.\n"
    report = extract_document(read_text(text.encode(), name="hang.txt"))
    assert report.source.file == "hang.txt"
