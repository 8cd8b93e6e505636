"""The 2014-2015 report as a Government of Canada web page and as Markdown (written by
tests/fixtures/formats/make_formats.py from the shipped text) gives the text's data: the same
72 deliverables record by record, the same statistics, achievements, footnotes and metadata.
Provenance lines are the HTML/Markdown source lines."""

from __future__ import annotations

import html
import importlib.util
import re
import sqlite3

import pytest

import htreport
from htreport.cli import app
from htreport.model.records import deliverable_records
from htreport.model.textclean import clean

from .conftest import HERE

FORMATS = HERE / "fixtures" / "formats"
HTML_REPORT = FORMATS / "nap-2014-2015.html"
MARKDOWN_REPORT = FORMATS / "nap-2014-2015.md"
SOURCES = {"html": HTML_REPORT, "markdown": MARKDOWN_REPORT}


def _text_of(source: str) -> str:
    """Source lines as words: tags, entities and Markdown markup gone."""
    return clean(html.unescape(re.sub(r"<[^>]+>", "", source)))


def _normalised(record: dict) -> dict:
    record = {k: v for k, v in record.items() if k not in ("source", "line", "page")}
    record["text"] = " ".join(record["text"].split())
    record["items"] = [" ".join(item.split()) for item in record["items"]]
    return record


def _fields(model) -> dict:
    data = model.model_dump(mode="json")
    data.pop("provenance", None)
    # Evidence: the words that decided each field must be the same; where they stand and which
    # rule read them differ by form (an HTML <h1> holds the plan and the report on one line).
    if isinstance(data.get("evidence"), dict):
        data["evidence"] = {
            name: " ".join(found["text"].split())
            for name, found in data["evidence"].items()
            if found is not None
        }
    return {k: " ".join(v.split()) if isinstance(v, str) else v for k, v in data.items()}


@pytest.fixture(scope="module", params=sorted(SOURCES), ids=str)
def converted(request):
    return request.param, htreport.extract(SOURCES[request.param])


def test_format_is_detected_and_recorded(converted):
    name, report = converted
    assert report.source.format == name


def test_same_deliverables_record_by_record(converted, report_2014):
    _, report = converted
    records = [_normalised(r) for r in deliverable_records(report)]
    expected = [_normalised(r) for r in deliverable_records(report_2014)]
    assert len(records) == len(expected) == 72
    for record, text_record in zip(records, expected, strict=True):
        assert record == text_record


def test_same_key_achievements(converted, report_2014):
    _, report = converted
    assert len(report_2014.achievements) == 19
    assert [_fields(a) for a in report.achievements] == [
        _fields(a) for a in report_2014.achievements
    ]


def test_same_footnotes(converted, report_2014):
    _, report = converted
    assert [f.number for f in report_2014.footnotes] == [2, 3, 4, 5, 6]
    assert [_fields(f) for f in report.footnotes] == [_fields(f) for f in report_2014.footnotes]


def test_same_metadata(converted, report_2014):
    _, report = converted
    assert _fields(report.metadata) == _fields(report_2014.metadata)


def test_same_warnings_apart_from_positions(converted, report_2014):
    _, report = converted
    assert [(w.code, w.message) for w in report.warnings] == [
        (w.code, w.message) for w in report_2014.warnings
    ]


def test_same_statistics_with_footnotes_beside_their_citation(converted, report_2014):
    """The one difference: the printed page puts footnote 5 at the foot of the page, after two
    more paragraphs; the page and the Markdown put it after the paragraph that cites it, so the
    statistic in the footnote ("the four PSAs") comes two paragraphs earlier. Its fields (and
    its section) are the text's."""
    _, report = converted
    ours = [_fields(s) for s in report.statistics]
    text = [_fields(s) for s in report_2014.statistics]
    assert len(ours) == len(text) == 61
    in_footnote = next(s for s in text if s["sentence"].startswith("To view the four PSAs"))
    citing = next(
        i for i, s in enumerate(text) if "four human trafficking public service" in s["sentence"]
    )
    expected = [s for s in text if s is not in_footnote]
    expected.insert(citing + 1, in_footnote)
    assert ours == expected
    assert in_footnote["section"] == "prevention"


def test_provenance_is_the_source_line(converted):
    name, report = converted
    source_lines = SOURCES[name].read_text(encoding="utf-8").splitlines()
    for record in deliverable_records(report):
        first_words = " ".join(record["text"].split()[:4])
        window = _text_of(" ".join(source_lines[record["line"] - 1 : record["line"] + 2]))
        assert first_words in window, record["id"]
    for footnote in report.footnotes:
        line = footnote.provenance.line
        assert footnote.text[:30] in _text_of(" ".join(source_lines[line - 1 : line + 1]))


def test_html_lead_cell_spanning_three_rows_gives_cbsa_to_each():
    report = htreport.extract(HTML_REPORT)
    source = HTML_REPORT.read_text(encoding="utf-8").splitlines()
    rows = [d for _, _, task, d in report.deliverables() if task.id == "3.11"]
    assert [[lead.department for lead in d.leads] for d in rows[:4]] == [
        ["CBSA"],
        ["CBSA"],
        ["CBSA"],
        ["JUS"],
    ]
    lead_cell = next(i for i, text in enumerate(source, 1) if '<td rowspan="3"><abbr' in text)
    assert "CBSA" in source[lead_cell - 1]
    spanned = [j for j in report.joins if j.rule == "spanned-cell" and j.fields == ["lead"]]
    assert [j.lines for j in spanned if j.lines[0] == lead_cell] == [
        [lead_cell, rows[1].provenance.line],
        [lead_cell, rows[2].provenance.line],
    ]


def test_markdown_flattened_spans_are_filled_from_the_row_above():
    report = htreport.extract(MARKDOWN_REPORT)
    rows = [d for _, _, task, d in report.deliverables() if task.id == "3.11"]
    assert [[lead.department for lead in d.leads] for d in rows[:3]] == [["CBSA"]] * 3
    merged = [j for j in report.joins if j.rule == "merged-lead"]
    assert [rows[0].provenance.line, rows[1].provenance.line] in [j.lines for j in merged]


def test_html_page_furniture_is_not_text():
    report = htreport.extract(HTML_REPORT)
    dumped = htreport.dumps(report)
    for furniture in ("Skip to main content", "Date modified", "Return to footnote", "Topics"):
        assert furniture not in dumped
    assert report.metadata.publisher == "Public Safety Canada"


def test_fixtures_are_what_the_script_writes(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_formats", FORMATS / "make_formats.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    for name in ("nap-2014-2015.html", "nap-2014-2015.md"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (FORMATS / name).read_text(
            encoding="utf-8"
        ), f"{name} is out of date: run python tests/fixtures/formats/make_formats.py"


def test_sqlite_export_records_the_source_format(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))
    structured = tmp_path / "structured"
    structured.mkdir()
    for name, path in SOURCES.items():
        htreport.dump(htreport.extract(path), structured / f"{name}.yaml")
    database = tmp_path / "nap.sqlite"
    result = runner.invoke(app, ["export", str(structured), "--sqlite", str(database)])
    assert result.exit_code == 0, result.output
    connection = sqlite3.connect(database)
    try:
        rows = connection.execute(
            "SELECT source_file, source_format FROM reports ORDER BY source_file"
        ).fetchall()
        count = connection.execute("SELECT count(*) FROM deliverables").fetchone()
    finally:
        connection.close()
    assert rows == [("nap-2014-2015.html", "html"), ("nap-2014-2015.md", "markdown")]
    assert count == (144,)
