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


WRAPPED = """ANNEX A
PREVENTION
Objective 1.1: Support a prevention strategy.
Task          Deliverable              Timeline   Status     Lead
1.11 Train    Write a guide for        2012/13    Ongoing    PS
officers.     front-line workers.
              Hold a workshop.         2013/14    Completed  RCMP
1.12 Raise    Launch a campaign        Start:     In         CBSA,
awareness.    online.                  2014/15    progress   IRCC
"""


def _chart(text: str):
    from htreport.model.departments import registry
    from htreport.parsers import annex

    result = annex.parse(read(text), registry())
    assert result.annex is not None
    rows = [
        (d.id, t.text, d.text, d.timeline, d.status.value if d.status else None)
        + (tuple(lead.department for lead in d.leads),)
        for p in result.annex.pillars
        for o in p.objectives
        for t in o.tasks
        for d in t.deliverables
    ]
    return rows, result


def test_wrapped_rows_are_joined_into_the_row_above():
    document = read(WRAPPED)
    assert [line.texts for line in document.lines[4:9]] == [
        ("1.11 Train", "Write a guide for", "2012/13", "Ongoing", "PS"),
        ("officers.", "front-line workers.", "", "", ""),  # Status empty: the parser joins it
        ("", "Hold a workshop.", "2013/14", "Completed", "RCMP"),
        ("1.12 Raise awareness.", "Launch a campaign online.", "Start: 2014/15")
        + ("In progress", "CBSA, IRCC"),
        (),  # joined into the row above; the line keeps its number
    ]
    assert document.lines[8].lineno == 9 and document.lines[8].text == ""
    rows, result = _chart(WRAPPED)
    assert rows == [
        ("1.11.1", "Train officers.", "Write a guide for front-line workers.")
        + ("2012/13", "ongoing", ("PS",)),
        ("1.11.2", "Train officers.", "Hold a workshop.", "2013/14", "completed", ("RCMP",)),
        ("1.12.1", "Raise awareness.", "Launch a campaign online.", "Start: 2014/15")
        + ("in_progress", ("CBSA", "IRCC")),
    ]
    assert [w.code for w in result.warnings] == []
    assert [j.rule for j in result.joins] == ["continuation-row"]


def test_wrapped_rows_without_a_status_column_use_the_deliverable_as_anchor():
    text = (
        "ANNEX A\nPREVENTION\nObjective 1.1: Support a prevention strategy.\n"
        "Task          Deliverable              Timeline   Lead\n"
        "1.11 Train    Write a guide for        Start:     PS,\n"
        "officers.     front-line workers.      2012/13    JUS\n"
        "              Hold a workshop.         2013/14    RCMP\n"
    )
    rows, _ = _chart(text)
    assert rows == [
        ("1.11.1", "Train officers.", "Write a guide for front-line workers.")
        + ("Start: 2012/13", None, ("PS", "JUS")),
        ("1.11.2", "Train officers.", "Hold a workshop.", "2013/14", None, ("RCMP",)),
    ]


def test_a_new_row_under_a_merged_task_is_not_joined():
    text = (
        "ANNEX A\nPREVENTION\nObjective 1.1: Support a prevention strategy.\n"
        "Task          Deliverable         Timeline   Status     Lead\n"
        "1.11 Train.   Write a guide.      2012/13    Ongoing    PS\n"
        "              Hold a workshop.    2013/14    Completed  RCMP\n"
        "1.12 Raise.   Launch a campaign.  2014/15    Ongoing    CBSA\n"
    )
    assert [len(line.texts) for line in read(text).lines[3:7]] == [5, 5, 5, 5]
    rows, _ = _chart(text)
    assert [row[0] for row in rows] == ["1.11.1", "1.11.2", "1.12.1"]
