"""The 2014-2015 report typeset as PDFs whose chart has another form (make_variants.py): other
header words, another column order, no Status column, a French header, narrow cells with words
cut at the cell edge - each gives the text's 72 deliverables record by record, and its
statistics, achievements and footnotes."""

from __future__ import annotations

import pytest

import htreport
from htreport.model.records import deliverable_records
from htreport.readers.pdf.layout import Glyph, VisualLine, line_text
from htreport.readers.pdf.reader import is_header_line
from htreport.readers.pdf.tables import cut_is_likely, header_roles

from .chart_records import normalised
from .conftest import HERE

PDF = HERE / "fixtures" / "pdf"
LAYOUTS = {
    "layout-renamed-headers": ("task", "deliverable", "timeline", "status", "lead"),
    "layout-reordered": ("task", "deliverable", "lead", "timeline", "status"),
    "layout-no-status": ("task", "deliverable", "timeline", "lead"),
    "layout-french-headers": ("task", "deliverable", "timeline", "status", "lead"),
    "narrow-hyphenated": ("task", "deliverable", "timeline", "status", "lead"),
}


def _fields(model) -> dict:
    data = model.model_dump(mode="json")
    data.pop("provenance", None)
    return {k: " ".join(v.split()) if isinstance(v, str) else v for k, v in data.items()}


@pytest.fixture(scope="module", params=sorted(LAYOUTS))
def layout(request):
    return request.param, htreport.extract(PDF / f"{request.param}.pdf")


def test_same_deliverables_record_by_record(layout, report_2014):
    name, report = layout
    has_status = "status" in LAYOUTS[name]
    got = [normalised(r, status=has_status) for r in deliverable_records(report)]
    want = [normalised(r, status=has_status) for r in deliverable_records(report_2014)]
    assert len(got) == len(want) == 72
    for mine, theirs in zip(got, want, strict=True):
        assert mine == theirs


def test_status_null_and_noted_once_without_a_status_column(layout):
    name, report = layout
    statuses = {d.status for _, _, _, d in report.deliverables()}
    codes = [w.code for w in report.warnings]
    if "status" in LAYOUTS[name]:
        assert None not in statuses and "no-status-column" not in codes
    else:
        assert statuses == {None}
        assert codes.count("no-status-column") == 1 and "missing-status" not in codes


def test_same_statistics_achievements_footnotes(layout, report_2014):
    _, report = layout
    assert [_fields(s) for s in report.statistics] == [_fields(s) for s in report_2014.statistics]
    assert [_fields(a) for a in report.achievements] == [
        _fields(a) for a in report_2014.achievements
    ]
    assert [_fields(f) for f in report.footnotes] == [_fields(f) for f in report_2014.footnotes]


def _roles_seen(name: str, monkeypatch) -> set:
    from htreport.readers.pdf import reader as pdfsource

    seen: set = set()
    real = pdfsource.tables_on_page

    def spy(*args, **kwargs):
        blocks = real(*args, **kwargs)
        seen.update(row.roles for block in blocks for row in block.rows if not row.spanning)
        return blocks

    monkeypatch.setattr(pdfsource, "tables_on_page", spy)
    pdfsource.read_pdf((PDF / f"{name}.pdf").read_bytes(), name)
    return seen


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_chart_rows_carry_the_header_roles(name, monkeypatch):
    assert _roles_seen(name, monkeypatch) == {LAYOUTS[name]}


def _line(*pieces: str, gap: float = 30.0) -> VisualLine:
    """A visual line of 10-point glyphs, 5 points wide, with `gap` points between pieces."""
    glyphs, x = [], 50.0
    for piece in pieces:
        for char in piece:
            if char != " ":
                glyphs.append(Glyph(char, x, 100, x + 5, 110, 10))
            x += 5 if char != " " else 2.5
        x += gap
    line = VisualLine(glyphs, size=10)
    line.text = line_text(line)
    return line


@pytest.mark.parametrize(
    "pieces",
    [
        ("Task", "Deliverable", "Timeline", "Status", "Lead"),
        ("Action", "Output", "Target date", "Progress", "Responsible department(s)"),
        ("Task", "Deliverable", "Lead", "Timeline", "Status"),
        ("Task", "Deliverable", "Timeline", "Lead"),
        ("Tâche", "Livrable", "Échéancier", "État", "Responsable"),
        ("Activities", "Commitments", "Timeframe", "Lead Department(s)"),
    ],
)
def test_header_lines_are_found_by_meaning(pieces):
    assert is_header_line(_line(*pieces))


@pytest.mark.parametrize(
    "pieces",
    [
        ("Year", "Result", "Date", "Department"),  # a statistics table
        ("Province", "Cases", "Charges", "Convictions"),
        ("The task of the lead department is to report on the status of each deliverable",),
    ],
)
def test_other_lines_are_not_header_lines(pieces):
    assert not is_header_line(_line(*pieces))


def test_header_words_close_together_are_one_cell():
    # "Target date" with a word space is one cell, naming the timeline
    assert header_roles(["Action", "Output", "Target date", "Progress"]) == (
        "task",
        "deliverable",
        "timeline",
        "status",
    )


@pytest.mark.parametrize(
    ("head", "tail", "joined"),
    [
        ("Ongoin", "g", True),  # not a word of the document
        ("2014/20", "15", True),  # a number going on with digits
        ("2012/13", "2012/13", False),  # stacked years
        ("Commissions", "abroad", False),  # two words of the document
        ("Systematic", "ally", True),  # the whole word is one of the document
    ],
)
def test_cut_words_decided_by_the_documents_words(head, tail, joined):
    words = {"commission", "abroad", "systematic", "systematically", "ongoing"}
    assert cut_is_likely(head, tail, words) is joined
