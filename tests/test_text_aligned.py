"""Space-aligned tables in plain text: found from the header and the rows, prose left alone."""

from __future__ import annotations

from htreport.readers.aligned import column_starts, table_cells
from htreport.readers.text import read_text

from .conftest import RAW_REPORT


def read(text: str):
    return read_text(text.encode("utf-8"), name="case.txt")


def test_the_shipped_text_reads_as_before_prose_unchanged_rows_only_from_tabs():
    raw = RAW_REPORT.read_text("utf-8").split("\n")
    document = read_text(RAW_REPORT.read_bytes(), name=RAW_REPORT.name)
    assert len(document.lines) == len(raw)
    for line, text in zip(document.lines, raw, strict=True):
        assert line.text == text
        assert line.is_row == ("\t" in text)
        if line.is_row:
            assert list(line.texts) == text.split("\t")


def test_columns_come_from_gutters_through_every_row_not_a_fixed_width():
    lines = [
        "Task         Deliverable            Timeline   Status       Lead",
        "1.11 Train.  Write a guide.         2012/13    Ongoing      PS, JUS",
        "             Hold a workshop soon.  2013/14    Completed    RCMP",
    ]
    assert column_starts(lines) == [0, 13, 36, 47, 60]
    document = read("\n".join(lines))
    assert [line.texts for line in document.lines] == [
        ("Task", "Deliverable", "Timeline", "Status", "Lead"),
        ("1.11 Train.", "Write a guide.", "2012/13", "Ongoing", "PS, JUS"),
        ("", "Hold a workshop soon.", "2013/14", "Completed", "RCMP"),
    ]
    assert {line.table for line in document.lines} == {0}


def test_a_header_row_alone_is_enough_to_make_a_table():
    assert table_cells(["Tâche   Livrable   Échéancier   État   Responsable"]) == [
        ["Tâche", "Livrable", "Échéancier", "État", "Responsable"]
    ]


def test_prose_with_two_spaces_after_a_full_stop_stays_prose():
    text = (
        "The Government of Canada acted.  It funded shelters in 2014.\n"
        "Prevention is the first pillar of the plan and of this report.\n"
        "Two lines.  With gaps.\n"
        "That do not line up.  At all, anywhere.\n"
    )
    document = read(text)
    assert not any(line.is_row for line in document.lines)
    assert [line.text for line in document.lines][:4] == text.split("\n")[:4]


def test_an_indented_paragraph_is_not_a_table():
    document = read("  An indented quotation that runs\n  over two lines of the page.\n")
    assert not any(line.is_row for line in document.lines)


def test_two_rows_without_a_header_are_a_table_when_every_row_has_two_columns():
    document = read("Foreword        1\nIntroduction    4\n")
    assert [line.texts for line in document.lines[:2]] == [
        ("Foreword", "1"),
        ("Introduction", "4"),
    ]
