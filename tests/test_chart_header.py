"""Charts read by meaning: header synonyms, column order, missing and extra columns, spans,
lists in cells, French headers, chart headings; on Documents built as any reader emits them."""

from __future__ import annotations

import pytest

from htreport.document import Cell, Document, Line, row
from htreport.model.columns import (
    COLUMNS,
    column_of,
    column_registry,
    header_columns,
    normalise,
    registry_from,
)
from htreport.model.departments import registry
from htreport.model.report import Status
from htreport.parsers import annex

FIVE = ["Task", "Deliverable", "Timeline", "Status", "Lead"]


def document(*lines: Line, heading: str = "ANNEX A") -> Document:
    head = [
        Line(heading, 1),
        Line("PREVENTION", 2),
        Line("Objective 1.1: Support a prevention strategy.", 3),
    ]
    return Document("case.html", "html", "0" * 64, [*head, *lines])


def parse(doc: Document):
    return annex.parse(doc, registry())


def deliverables(result):
    return [
        d
        for p in result.annex.pillars
        for o in p.objectives
        for t in o.tasks
        for d in t.deliverables
    ]


def codes(result) -> list[str]:
    return [w.code for w in result.warnings]


# -- the registry -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Task", "task"),
        ("TASKS", "task"),
        ("Activities", "task"),
        ("Action(s)", "task"),
        ("Tâches", "task"),
        ("Deliverable(s)", "deliverable"),
        ("Outputs", "deliverable"),
        ("Commitment", "deliverable"),
        ("Livrables", "deliverable"),
        ("Timelines", "timeline"),
        ("Timeframe", "timeline"),
        ("Target date", "timeline"),
        ("Échéancier", "timeline"),
        ("echeance", "timeline"),
        ("Status", "status"),
        ("Progress", "status"),
        ("État", "status"),
        ("Statut", "status"),
        ("Status as of March 31, 2015", "status"),
        ("Lead", "lead"),
        ("Lead(s)", "lead"),
        ("Lead Department(s)", "lead"),
        ("lead departments:", "lead"),
        ("Responsible", "lead"),
        ("Responsable", "lead"),
        ("Lead Organizations", "lead"),
    ],
)
def test_each_synonym_class_names_its_column(header, column):
    assert column_of(header) == column


@pytest.mark.parametrize("header", ["Funding", "Comments", "Notes", "", "Budget ($)"])
def test_unknown_headers_name_no_column(header):
    assert column_of(header) is None


def test_every_name_in_the_yaml_maps_to_its_own_column():
    from importlib import resources

    import yaml

    data = yaml.safe_load(
        resources.files("htreport").joinpath("data/columns.yaml").read_text("utf-8")
    )
    assert set(data["columns"]) == set(COLUMNS)
    for column, names in data["columns"].items():
        for name in names:
            assert column_registry().column_of(name) == column, name
            assert column_registry().column_of(name.upper() + "(s)") == column, name


def test_a_synonym_added_to_the_yaml_is_recognised():
    """How to add a synonym (docs/charts.md): add it to its column's list."""
    data = {"columns": {"task": ["task"], "lead": ["lead", "champion"]}}
    extended = registry_from(data)
    assert extended.column_of("Champions") == "lead"
    assert registry_from({"columns": {"lead": ["lead"]}}).column_of("Champion") is None


def test_normalise_ignores_case_accents_brackets_punctuation_and_plurals():
    assert normalise("LEAD DEPARTMENT(S):") == normalise("lead departments") == "lead department"
    assert normalise("Échéanciers") == "echeancier"
    assert normalise("Activities") == "activity"
    assert normalise("Statuses") == normalise("status")


@pytest.mark.parametrize(
    ("cells", "is_header"),
    [
        (FIVE, True),
        (["Task", "Deliverable", "Lead"], True),  # three columns, task among them
        (["Deliverable", "Timeline", "Status"], True),
        (["Task", "Deliverable"], False),  # only two
        (["Timeline", "Status", "Lead"], False),  # neither task nor deliverable
        (["Task", "Deliverable", "Timeline", "Funding"], True),  # one extra column
        (["1.11 Train officers.", "Write a guide.", "2012/13", "Ongoing", "PS"], False),
        (["Task", "Deliverable", "Lead", "Cost", "Notes", "Partners"], False),  # mostly unknown
    ],
)
def test_a_header_row_names_three_columns_one_of_them_task_or_deliverable(cells, is_header):
    assert (header_columns(cells) is not None) == is_header


@pytest.mark.parametrize("header", ["Result", "Results", "Date", "Dates", "Department", "Résultat"])
def test_everyday_column_words_name_no_chart_column(header):
    """Reviewed out of the registry (data/columns.yaml): they head columns of other tables."""
    assert column_of(header) is None


@pytest.mark.parametrize(
    "cells",
    [
        ["Year", "Result", "Date", "Department"],
        ["Department", "Initiative", "Result"],
        ["Measure", "Result", "Date"],
        ["Activity", "Date", "Department"],
    ],
)
def test_a_statistics_table_with_result_date_or_department_columns_is_no_chart(cells):
    assert header_columns(cells) is None
    doc = document(
        row(cells, 10, table=0),
        row(["2014", "12 charges", "March 2015", "RCMP"][: len(cells)], 11, table=0),
        heading="Statistics",
    )
    result = parse(doc)
    assert result.annex is None and codes(result) == ["no-annex"]


@pytest.mark.parametrize(
    ("header", "column"),
    [("Expected results", "deliverable"), ("Target dates", "timeline")]
    + [("Responsible department(s)", "lead"), ("Lead departments", "lead")],
)
def test_qualified_forms_of_the_reviewed_words_stay(header, column):
    assert column_of(header) == column


# -- column order, missing and extra columns --------------------------------------------------


def test_columns_in_any_order_are_mapped_by_header():
    result = parse(
        document(
            row(["Lead", "Status", "Task", "Timeline", "Deliverable"], 4, table=0),
            row(["RCMP", "Ongoing", "1.11 Train.", "Start: 2012/13", "Write a guide."], 5, table=0),
            row(["PS", "Completed", "", "2013/14", "Hold a workshop."], 6, table=0),
        )
    )
    got = [
        (d.id, d.text, d.status, d.start, [lead.department for lead in d.leads])
        for d in deliverables(result)
    ]
    assert got == [
        ("1.11.1", "Write a guide.", Status.ONGOING, "2012-13", ["RCMP"]),
        ("1.11.2", "Hold a workshop.", Status.COMPLETED, "2013-14", ["PS"]),
    ]
    assert result.warnings == []


def test_no_status_column_gives_null_status_and_one_note_not_one_per_row():
    result = parse(
        document(
            row(["Task", "Deliverable", "Timeline", "Lead"], 4, table=0),
            row(["1.11 Train.", "Write a guide.", "Start: 2012/13", "RCMP"], 5, table=0),
            row(["", "Hold a workshop.", "2013/14", "PS"], 6, table=0),
            row(["1.12 Inform.", "Publish data.", "2014/15", "JUS"], 7, table=0),
        )
    )
    assert [(d.id, d.status) for d in deliverables(result)] == [
        ("1.11.1", None),
        ("1.11.2", None),
        ("1.12.1", None),
    ]
    assert codes(result) == ["no-status-column"]
    assert result.warnings[0].line == 4


def test_without_status_a_row_split_by_a_page_break_still_continues_the_row_above():
    result = parse(
        document(
            row(["Task", "Deliverable", "Timeline", "Lead"], 4, table=0),
            row(["1.11 Support", "Fund projects.", "Start: 2012/13", "RCMP"], 5, table=0),
            row(["", "Write a guide for", "2012/13", ""], 6, table=0),  # a merged lead
            row(["victims of crime.", "frontline workers.", "", ""], 7, table=1),  # page break
        )
    )
    first, second = deliverables(result)
    assert first.text == "Fund projects."
    assert (second.text, second.leads[0].department) == (
        "Write a guide for frontline workers.",
        "RCMP",
    )
    assert result.annex.pillars[0].objectives[0].tasks[0].text == "Support victims of crime."
    assert [j.rule for j in result.joins] == ["continuation-row", "merged-lead"]


def test_an_extra_column_is_kept_in_raw_cells_with_one_warning():
    result = parse(
        document(
            row(["Task", "Deliverable", "Funding", "Timeline", "Status", "Lead"], 4, table=0),
            row(["1.11 Train.", "Write a guide.", "$2M", "2012/13", "Ongoing", "PS"], 5, table=0),
            row(["", "Hold a workshop.", "", "2013/14", "Ongoing", "PS"], 6, table=0),
        )
    )
    first, second = deliverables(result)
    assert first.raw.extra == {"Funding": "$2M"}
    assert second.raw.extra == {"Funding": ""}
    assert (first.text, first.timeline, [lead.department for lead in first.leads]) == (
        "Write a guide.",
        "2012/13",
        ["PS"],
    )
    assert codes(result) == ["extra-column"]
    assert "Funding" in result.warnings[0].message


def test_rows_after_a_page_break_without_a_header_keep_the_last_mapping():
    result = parse(
        document(
            row(["Deliverable", "Task", "Lead", "Status", "Timeline"], 4, table=0),
            row(["Write a guide.", "1.11 Train.", "PS", "Ongoing", "2012/13"], 5, table=0),
            Line("", 6),
            row(["Hold a workshop.", "", "RCMP", "Completed", "2013/14"], 7, table=1),
        )
    )
    assert [(d.text, d.status, d.leads[0].department) for d in deliverables(result)] == [
        ("Write a guide.", Status.ONGOING, "PS"),
        ("Hold a workshop.", Status.COMPLETED, "RCMP"),
    ]


# -- spans, header cells, lists, French --------------------------------------------------------


def test_rowspan_and_colspan_fill_the_positions_they_cover_each_fill_a_join():
    header = [
        Cell(text, 4, header=True)
        for text in ["Tasks", "Outputs", "Timeframe", "Progress", "Responsible"]
    ]
    result = parse(
        document(
            row(header, 4, table=0),
            row(
                [
                    Cell("1.11 Train.", 5, rowspan=2),
                    Cell("Write a guide.", 5),
                    Cell("Start: 2012/13", 5),
                    Cell("Ongoing", 5),
                    Cell("RCMP", 5, rowspan=2),
                ],
                5,
                table=0,
            ),
            row([Cell("Hold a workshop.", 6), Cell("Completed", 6, colspan=2)], 6, table=0),
        )
    )
    first, second = deliverables(result)
    assert (second.text, second.timeline, second.status, second.leads[0].department) == (
        "Hold a workshop.",
        "Completed",
        Status.COMPLETED,
        "RCMP",
    )
    assert [(j.rule, j.lines, j.fields) for j in result.joins] == [
        ("spanned-cell", [5, 6], ["task"]),
        ("spanned-cell", [6, 6], ["status"]),
        ("spanned-cell", [5, 6], ["lead"]),
    ]
    assert [t.id for t in result.annex.pillars[0].objectives[0].tasks] == ["1.11"]


def test_a_cell_with_a_list_gives_list_items():
    result = parse(
        document(
            row(FIVE, 4, table=0),
            row(
                [
                    "1.11 Train.",
                    "Deliver training on:\n- detection\n- victim support, with\nshelters",
                    "2012/13\n2013/14\n2014/15",
                    "Ongoing",
                    "RCMP",
                ],
                5,
                table=0,
            ),
        )
    )
    (only,) = deliverables(result)
    assert only.text == "Deliver training on:"
    assert [(item.text, item.start) for item in only.items] == [
        ("detection", "2013-14"),
        ("victim support, with shelters", "2014-15"),
    ]


def test_a_french_header_row_and_annex_heading():
    result = parse(
        document(
            row(["Tâche", "Livrable", "Échéancier", "État", "Responsable"], 4, table=0),
            row(["1.11 Former.", "Rédiger un guide.", "2012/13", "Ongoing", "GRC"], 5, table=0),
            heading="ANNEXE A",
        )
    )
    (only,) = deliverables(result)
    assert (only.text, only.leads[0].department, only.status) == (
        "Rédiger un guide.",
        "RCMP",
        Status.ONGOING,
    )


# -- chart headings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    ["Annex A", "Annex C: Action Items Chart", "Action Items Chart", "Appendix A - Action Plan"],
)
def test_chart_headings_by_meaning(heading):
    doc = document(
        row(FIVE, 4, table=0),
        row(["1.11 Train.", "Write a guide.", "2012/13", "Ongoing", "PS"], 5, table=0),
        Line("Appendix B: Links", 6),
        Line("Some text after the chart.", 7),
        heading=heading,
    )
    start, end = annex.find_annex(doc.lines)
    assert (start, end) == (0, 5)
    assert len(deliverables(parse(doc))) == 1
    assert codes(parse(doc)) == []


def test_a_table_of_contents_entry_does_not_start_the_chart():
    lines = [
        Line("Annex C: Action Items Chart\t19", 1),
        Line("Introduction", 2),
        Line("Annex C: Action Items Chart", 3),
        row(FIVE, 4, table=0),
    ]
    assert annex.find_annex(lines) == (2, 4)


# -- bad input --------------------------------------------------------------------------------


def test_a_table_with_no_recognisable_header_is_kept_as_warnings_with_lines():
    result = parse(
        document(
            row(["Item", "What", "When"], 4, table=0),
            row(["1.11 Train.", "Write a guide.", "2012/13"], 5, table=0),
        )
    )
    assert codes(result) == ["no-chart-header", "unparsed-row", "unparsed-row"]
    assert [w.line for w in result.warnings] == [4, 4, 5]
    assert "Write a guide." in result.warnings[2].message
    assert deliverables(result) == []


def test_rows_wider_than_their_header_are_warned_and_nothing_is_lost():
    result = parse(
        document(
            row(FIVE, 4, table=0),
            row(["1.11 Train.", "Write a guide.", "2012/13", "Ongoing", "PS"], 5, table=0),
            row(["", "Hold a workshop.", "2013/14", "Ongoing", "RCMP", "JUS"], 6, table=0),
        )
    )
    first, second = deliverables(result)
    assert first.text == "Write a guide."
    assert second.raw.lead == "RCMP JUS"
    assert [lead.department for lead in second.leads] == ["RCMP", "JUS"]
    assert codes(result) == ["extra-cells"]
    assert result.warnings[0].line == 6
