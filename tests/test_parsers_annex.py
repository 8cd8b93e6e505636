"""Annex A chart parsing: structure, page-break rules, stacked cells, cleaning."""

from __future__ import annotations

import re

import pytest

from htreport.model.departments import registry
from htreport.model.report import Status
from htreport.parsers import annex
from htreport.readers.text import read_text

from .conftest import RAW_REPORT

HEADER = "Task\tDeliverable\tTimeline\tStatus\tLead"


def parse(text: str):
    document = read_text(text.encode("utf-8"), name="case.txt")
    return annex.parse(document, registry())


def chart(*rows: str) -> str:
    return "\n".join(
        [
            "ANNEX A",
            "",
            "Action Items Chart",
            "",
            "PREVENTION",
            "",
            "Objective 1.1: Support a prevention strategy.",
            "",
            HEADER,
            *rows,
            "",
            "Annex B: Resources and Links",
        ]
    )


def deliverables(result):
    return [
        d
        for p in result.annex.pillars
        for o in p.objectives
        for t in o.tasks
        for d in t.deliverables
    ]


# -- the real report ------------------------------------------------------------------------


def test_real_report_structure(report_2014):
    annex_ = report_2014.annex
    assert [p.pillar for p in annex_.pillars] == [
        "prevention",
        "protection",
        "prosecution",
        "partnerships",
    ]
    objectives = [o for p in annex_.pillars for o in p.objectives]
    tasks = [t for o in objectives for t in o.tasks]
    assert [o.id for o in objectives] == ["1.1", "2.1", "3.1", "4.1"]
    assert len(tasks) == 17
    assert len(report_2014.deliverables()) == 72
    assert annex_.title == "Action Items Chart"
    ids = [d.id for *_, d in report_2014.deliverables()]
    assert len(set(ids)) == 72
    chart_codes = {
        "unparsed-line",
        "unparsed-row",
        "missing-status",
        "unknown-status",
        "unparsed-timeline",
        "stacked-values",
        "unresolved-lead",
        "missing-lead",
        "missing-pillar",
        "missing-objective",
    }
    assert [w for w in report_2014.warnings if w.code in chart_codes] == []


def test_real_report_counts(report_2014):
    items = [d for *_, d in report_2014.deliverables()]
    assert sum(d.status == Status.IN_PROGRESS for d in items) == 6
    assert sum(d.new for d in items) == 8
    assert sum(1 for *_, t, d in report_2014.deliverables() if t.id == "3.11") == 6
    assert sum(any(lead.department == "CBSA" for lead in d.leads) for d in items) == 12
    assert sum(any(lead.department == "ESDC" for lead in d.leads) for d in items) == 13
    assert sum(any(lead.program == "TFWP" for lead in d.leads) for d in items) == 9


def test_real_report_joins_across_page_breaks(report_2014):
    by_id = {d.id: d for *_, d in report_2014.deliverables()}
    tasks = {t.id: t for *_, t, _ in report_2014.deliverables()}
    assert tasks["3.11"].text == (
        "Provide targeted human trafficking training and education for criminal justice officials."
    )
    assert by_id["3.11.1"].text.startswith(
        "Provide regular briefings on human trafficking detection methods"
    )
    assert by_id["3.11.1"].start == "2011-12"
    assert by_id["3.11.1"].timeline == "Start: 2011/12"
    assert tasks["2.12"].text.endswith(
        "in improving services for victims of crime, including victims of human trafficking."
    )
    assert by_id["4.14.4"].text.endswith("such as the Regional Conference on Migration (RCM).")
    assert tasks["3.15"].text.endswith(
        "to assess for human trafficking as part of large scale irregular arrivals."
    )
    # the three 3.11 rows under the merged CBSA lead cell
    assert [by_id[f"3.11.{n}"].leads[0].department for n in (1, 2, 3)] == ["CBSA"] * 3
    rules = sorted((j.rule, tuple(j.lines)) for j in report_2014.joins)
    assert ("continuation-row", (375, 378)) in rules
    assert ("merged-lead", (379, 380)) in rules
    assert ("continuation-row", (357, 360)) in rules


def test_real_report_stacked_cells(report_2014):
    by_id = {d.id: d for *_, d in report_2014.deliverables()}
    item = by_id["1.12.1"]
    assert item.text.endswith("online:")
    assert [(s.start, s.status) for s in item.items] == [
        ("2012-13", "ongoing"),
        ("2015-16", "ongoing"),
    ]
    assert item.start == "2012-13"
    assert len(by_id["1.13.1"].items) == 5
    assert by_id["3.11.3"].status == Status.COMPLETED
    assert by_id["3.11.3"].status_detail == "September 2014"
    assert by_id["1.11.9"].new and by_id["1.11.9"].start == "2014-15"  # Start: 2014/2015


def test_markup_cleaned_but_kept_raw(report_2014):
    by_id = {d.id: d for *_, d in report_2014.deliverables()}
    assert (
        "<i>" not in by_id["3.15.2"].text and "<i>Criminal Code" in by_id["3.15.2"].raw.deliverable
    )
    assert "$500,000" in by_id["2.12.1"].text and "\\$500,000" in by_id["2.12.1"].raw.deliverable
    assert "<ul" not in by_id["1.12.1"].text and "<ul" in by_id["1.12.1"].raw.deliverable


# -- page-break rules on small inputs ----------------------------------------------------------


def test_header_rows_repeated_on_each_page_are_dropped():
    result = parse(
        chart(
            "1.11 Task one.\tFirst.\tStart: 2012/13\tOngoing\tPS",
            "",
            HEADER,
            "\tSecond.\tStart: 2012/13\tOngoing\tRCMP",
        )
    )
    assert [d.text for d in deliverables(result)] == ["First.", "Second."]
    assert result.warnings == []


def test_row_with_empty_status_continues_the_row_above():
    result = parse(
        chart(
            "1.11 Provide\tProvide regular briefings on\tStart:\tOngoing\tCBSA",
            "",
            HEADER,
            "targeted training.\tdetection methods.\t2011/12\t\t",
            "\tNext row.\t2012/13\tIn progress\t",
        )
    )
    first, second = deliverables(result)
    task = result.annex.pillars[0].objectives[0].tasks[0]
    assert task.text == "Provide targeted training."
    assert first.text == "Provide regular briefings on detection methods."
    assert first.start == "2011-12" and first.timeline == "Start: 2011/12"
    assert (first.provenance.line, first.provenance.end_line) == (10, 13)
    assert second.leads[0].department == "CBSA"  # merged lead cell
    assert [(j.rule, j.lines, j.fields) for j in result.joins] == [
        ("continuation-row", [10, 13], ["task", "deliverable", "timeline"]),
        ("merged-lead", [10, 14], ["lead"]),
    ]


def test_task_text_continued_in_a_new_row():
    result = parse(
        chart(
            "1.11 Ensure that strategies\tOne.\tStart: 2012/13\tOngoing\tPS",
            HEADER,
            "are in place.\tTwo.\tStart: 2012/13\tOngoing\tPS",
        )
    )
    assert (
        result.annex.pillars[0].objectives[0].tasks[0].text
        == "Ensure that strategies are in place."
    )
    assert len(deliverables(result)) == 2
    assert [j.rule for j in result.joins] == ["task-continued"]


def test_stacked_values_go_to_list_items():
    row = (
        '1.12 Enhance awareness.\tProvide information online: <ul style="x"> Develop a newsletter ; '
        "Contribute fast facts \tStart: 2012/13 2012/13 2015/16\tOngoing In progress Completed (May 2015)\tPS"
    )
    (item,) = deliverables(parse(chart(row)))
    assert item.text == "Provide information online:"
    assert [(s.text, s.start, s.status, s.status_detail) for s in item.items] == [
        ("Develop a newsletter", "2012-13", "in_progress", None),
        ("Contribute fast facts", "2015-16", "completed", "May 2015"),
    ]
    assert (item.start, item.status) == ("2012-13", "ongoing")


def test_bulleted_list_in_a_cell():
    (item,) = deliverables(
        parse(
            chart(
                "1.13 Prevent.\tGAC will: • Encourage partners; • Ensure registration.\tStart: 2012/13\tOngoing\tGAC"
            )
        )
    )
    assert item.text == "GAC will:"
    assert [s.text for s in item.items] == ["Encourage partners", "Ensure registration."]


def test_new_marker_and_status_normalisation():
    rows = deliverables(
        parse(
            chart(
                "1.11 Task.\t**NEW:** Create a *tool kit* for \\$5 million.\tStart: 2014/2015\tIn Progress\tESDC (TFWP)",
                "\tOther.\tStart: 2013/14\tOn hold\tIRCC(IM P)",
            )
        )
    )
    assert rows[0].new and rows[0].text == "Create a tool kit for $5 million."
    assert rows[0].raw.deliverable.startswith("**NEW:**")
    assert (rows[0].start, rows[0].status) == ("2014-15", "in_progress")
    assert (rows[1].start, rows[1].status, rows[1].leads[0].label()) == (
        "2013-14",
        "on_hold",
        "IRCC (IMP)",
    )


def test_unknown_status_and_unresolved_lead_are_warned_not_dropped():
    result = parse(chart("1.11 Task.\tDo it.\tStart: 2012/13\tMaybe later\tXYZ Agency, RCMP"))
    (item,) = deliverables(result)
    assert item.status == Status.UNKNOWN and item.raw.status == "Maybe later"
    assert [lead.department for lead in item.leads] == ["RCMP"]
    assert item.raw.lead == "XYZ Agency, RCMP"
    assert [(w.code, w.line) for w in result.warnings] == [
        ("unknown-status", 10),
        ("unresolved-lead", 10),
    ]
    assert "XYZ Agency" in result.warnings[1].message


def test_no_annex_gives_a_warning():
    result = parse("Foreword\n\nSome prose without a chart.\n")
    assert result.annex is None
    assert [w.code for w in result.warnings] == ["no-annex"]


def test_table_of_contents_entry_is_not_the_annex_heading():
    text = "Annex A: Progress Chart\t19\n\n" + chart(
        "1.11 Task.\tOne.\tStart: 2012/13\tOngoing\tPS"
    )
    result = parse(text)
    assert result.annex.provenance.line == 3


# -- the same report laid out differently gives the same data -----------------------------------


def _data(report):
    return [
        (
            p.pillar,
            o.id,
            t.id,
            t.text,
            d.id,
            d.text,
            d.new,
            d.start,
            d.status,
            d.status_detail,
            [lead.label() for lead in d.leads],
            [s.model_dump() for s in d.items],
        )
        for p, o, t, d in report.deliverables()
    ]


def _repaginate(text: str, every: int) -> str:
    """Move the page breaks: split every `every`-th long chart row in two across a new page."""
    out, count = [], 0
    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) == 5 and cells[3] and cells[0] != "Task" and len(cells[1]) > 80:
            count += 1
            if count % every == 0:
                words = cells[1].split(" ")
                half = len(words) // 2
                task_words = cells[0].split(" ")
                task_half = max(1, len(task_words) // 2) if cells[0] else 0
                timeline = re.match(r"(Start:)\s*(.*)", cells[2])
                head = [
                    " ".join(task_words[:task_half]) if cells[0] else "",
                    " ".join(words[:half]),
                    timeline.group(1) if timeline else cells[2],
                    cells[3],
                    cells[4],
                ]
                tail = [
                    " ".join(task_words[task_half:]) if cells[0] else "",
                    " ".join(words[half:]),
                    timeline.group(2) if timeline else "",
                    "",
                    "",
                ]
                out += [
                    "\t".join(head),
                    "",
                    "Task\tDeliverable\tTimeline\tStatus\tLead",
                    "\t".join(tail),
                ]
                continue
        if line == "Task\tDeliverable\tTimeline\tStatus\tLead" and count % 2:
            continue  # drop some of the original page headers too
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("every", [2, 3, 5])
def test_other_page_breaks_give_the_same_data(report_2014, every):
    text = RAW_REPORT.read_text("utf-8")
    moved = _repaginate(text, every)
    assert moved != text
    from htreport.pipeline import extract_document

    other = extract_document(read_text(moved.encode("utf-8"), name="moved.txt"))
    assert _data(other) == _data(report_2014)
    assert len(other.joins) > len(report_2014.joins)


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_endings_do_not_change_the_data(report_2014, newline):
    from htreport.pipeline import extract_document

    data = RAW_REPORT.read_bytes().replace(b"\n", newline.encode())
    other = extract_document(read_text(data, name="crlf.txt"))
    assert _data(other) == _data(report_2014)


def test_cp1252_source_with_explicit_encoding_gives_the_same_data(report_2014):
    from htreport.pipeline import extract_document

    text = RAW_REPORT.read_text("utf-8")
    data = text.replace("\n", "\r\n").encode("cp1252", errors="replace")
    other = extract_document(read_text(data, name="win.txt", encoding="cp1252"))
    assert _data(other) == _data(report_2014)


def test_a_cell_spanning_rows_gives_its_value_to_each_row_and_each_fill_is_a_join():
    from htreport.document import Cell, Document, Line, row
    from htreport.model.departments import registry

    head = ["Task", "Deliverable", "Timeline", "Status", "Lead"]
    lines = [
        Line("ANNEX A", 1),
        Line("PROSECUTION", 2),
        Line("Objective 3.1: Prosecute.", 3),
        row(head, 4, table=0),
        row(
            [
                Cell("3.11 Train.", 5, rowspan=3),
                Cell("A", 5),
                Cell("Start: 2012/13", 5),
                Cell("Ongoing", 5),
                Cell("CBSA", 5, rowspan=3),
            ],
            5,
            table=0,
        ),
        row([Cell("B", 6), Cell("Start: 2012/13", 6), Cell("Ongoing", 6)], 6, table=0),
        row([Cell("C", 7), Cell("Start: 2013/14", 7), Cell("Completed", 7)], 7, table=0),
    ]
    result = annex.parse(Document("t.html", "html", "0" * 64, lines), registry())
    (task,) = result.annex.pillars[0].objectives[0].tasks
    assert task.id == "3.11" and task.text == "Train."
    assert [(d.id, d.text, [lead.department for lead in d.leads]) for d in task.deliverables] == [
        ("3.11.1", "A", ["CBSA"]),
        ("3.11.2", "B", ["CBSA"]),
        ("3.11.3", "C", ["CBSA"]),
    ]
    assert [(j.rule, j.lines, j.fields) for j in result.joins] == [
        ("spanned-cell", [5, 6], ["task"]),
        ("spanned-cell", [5, 6], ["lead"]),
        ("spanned-cell", [5, 7], ["task"]),
        ("spanned-cell", [5, 7], ["lead"]),
    ]
