"""Footnotes as records of their own (parsers/footnotes.py)."""

from __future__ import annotations

import pytest

from htreport.document import Document, Line
from htreport.model.report import Section
from htreport.pipeline import extract, extract_document

from .conftest import PDF_REPORT, RAW_DIR


def test_footnotes_of_the_2014_report(report_2014) -> None:
    assert [(f.number, f.provenance.line) for f in report_2014.footnotes] == [
        (2, 113),
        (3, 134),
        (4, 136),
        (5, 154),
        (6, 257),
    ]
    membership = report_2014.footnotes[1]
    assert membership.text.startswith(
        "Membership consists of PS, CBSA, RCMP, IRCC, INAC, GAC, SWC, JUS"
    )
    assert report_2014.footnotes[2].text == (
        "A full compendium of Government of Canada efforts and progress to date can be found in Annex A."
    )


def test_marker_without_footnote_text_is_reported(report_2014) -> None:
    missing = [w for w in report_2014.warnings if w.code == "missing-footnote"]
    assert [(w.line, w.message) for w in missing] == [
        (92, "footnote 1 is referenced but its text is not in the document")
    ]


def test_footnote_text_is_not_body_text(report_2014) -> None:
    for statistic in report_2014.statistics:
        assert "Membership consists" not in statistic.sentence
    (psas,) = [s for s in report_2014.statistics if s.counted == "PSAs"]
    assert psas.sentence.startswith("To view the four PSAs")  # footnote prose still counts
    assert psas.section is Section.PREVENTION


def _document(lines: list[Line]) -> Document:
    return Document(path="x.pdf", format="pdf", sha256="0" * 64, lines=lines)


def test_reader_flagged_footnote_runs_over_two_lines() -> None:
    report = extract_document(
        _document(
            [
                Line("Foreword", 1, page=1),
                Line("The Taskforce⁷ met 12 times, and then the meeting went on to", 2, page=1),
                Line("⁷ Membership consists of PS and", 3, page=1, footnote=True),
                Line("RCMP.", 4, page=1, footnote=True),
                Line("discuss 3 new projects.", 5, page=2),
            ]
        )
    )
    (footnote,) = report.footnotes
    assert (footnote.number, footnote.text) == (7, "Membership consists of PS and RCMP.")
    assert (footnote.provenance.line, footnote.provenance.end_line) == (3, 4)
    assert [(s.value, s.provenance.page) for s in report.statistics] == [(12, 1), (3, 2)]
    assert report.statistics[1].sentence == (
        "The Taskforce met 12 times, and then the meeting went on to discuss 3 new projects."
    )


def test_wikipedia_reference_list_gives_footnotes() -> None:
    report = extract(RAW_DIR / "wikipedia-iwg-tip.txt")
    assert [f.number for f in report.footnotes] == list(range(1, 11))
    assert report.footnotes[0].text.startswith("Jeffrey T. Bergner, ed. (2008).")
    # citations are not claims: no page number, edition or ISBN comes out as a statistic
    assert [s.raw for s in report.statistics] == ["Seventeen", "14"]


def test_same_footnotes_from_the_pdf(report_2014) -> None:
    pytest.importorskip("htreport.readers.pdf")
    pdf = extract(PDF_REPORT)
    assert [(f.number, f.text) for f in pdf.footnotes] == [
        (f.number, f.text) for f in report_2014.footnotes
    ]
    assert [f.provenance.page for f in pdf.footnotes] == [5, 6, 6, 7, 12]
