"""The Markdown reader on small files, the rule that chooses it, and `extract --from`."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import htreport
from htreport.cli import app
from htreport.model.records import deliverable_records
from htreport.readers import detect_format
from htreport.readers.markdown import read_markdown

from .conftest import HERE, RAW_DIR, RAW_REPORT
from .test_formats_equivalence import HTML_REPORT, MARKDOWN_REPORT

CHART = """# Annual Report

## ANNEX A

### PREVENTION

#### Objective 1.1: Prevent.

| Task | Deliverable | Timeline | Status | Lead |
|------|-------------|----------|--------|------|
| 1.11 Support campaigns. | Provide information online:<br>- Develop a newsletter<br>- Share facts | Start: 2012/13<br>2012/13<br>2015/16 | Ongoing<br>Ongoing<br>Ongoing | CBSA |
|  | Brief staff. | 2012/13 | In progress |  |
|  | Train officers. | 2013/14 | Completed | RCMP |
"""


def read(text: str):
    return read_markdown(text.encode("utf-8"), name="report.md")


# -- choosing the reader -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Intro\n\n| Task | Lead |\n|---|---|\n| a | b |\n",
        "Task | Lead\n:--- | ---:\na | b\n",
        "# Title\n\nSome text.\n\n## Part I\n\nMore.\n",
    ],
)
def test_markdown_is_chosen_by_content(text):
    assert detect_format(text.encode(), "report.txt") == "markdown"


@pytest.mark.parametrize(
    "text",
    [
        "Some text.\n\n- a bullet with **bold**\n- and \\$5\n",
        "a | b\nnot a delimiter row\n",
        "```\n# not a heading\n# nor this\n```\n",
        "Task\tDeliverable\tTimeline\tStatus\tLead\n1.11 x\ty\tz\tOngoing\tPS\n",
        "# one heading only\n\ntext\n",
    ],
)
def test_text_that_is_not_markdown(text):
    assert detect_format(text.encode(), "report.txt") == "text"


def test_a_markdown_suffix_breaks_a_tie():
    assert detect_format(b"# one heading only\n\ntext\n", "report.md") == "markdown"
    assert detect_format(b"plain words only\n", "report.md") == "text"


def test_every_shipped_text_stays_text():
    texts = [*RAW_DIR.glob("*.txt"), *(HERE / "fixtures" / "diff").glob("*.txt")]
    assert RAW_REPORT in texts
    for path in texts:
        assert detect_format(path.read_bytes(), str(path)) == "text", path.name


# -- content -------------------------------------------------------------------------------------


def test_headings_paragraphs_lists_and_source_lines():
    document = read("# Title\n\nA paragraph\nthat wraps.\n\n- one\n* two\n\n1. three\n")
    assert [(line.text, line.lineno, line.kind, line.level) for line in document.lines] == [
        ("Title", 1, "heading", 1),
        ("A paragraph that wraps.", 3, None, None),
        ("- one", 6, "item", None),
        ("- two", 7, "item", None),
        ("- three", 9, "item", None),
    ]
    assert document.title_hint == "Title"
    assert document.format == "markdown"


def test_markup_goes_and_footnotes_are_placed_after_their_citation():
    document = read(
        "Members[^3] of **the** *taskforce* meet: <https://example.gc.ca>.\n\nNext.\n\n"
        "[^3]: Membership consists of PS.\n"
    )
    assert [(line.text, line.lineno, line.footnote) for line in document.lines] == [
        ("Members³ of the taskforce meet: https://example.gc.ca.", 1, False),
        ("³ Membership consists of PS.", 5, True),
        ("Next.", 3, False),
    ]


def test_a_reference_to_a_missing_footnote_is_still_a_reference():
    report = htreport.extract_document(read("Recent years.[^1]\n"))
    assert [(w.code, w.line) for w in report.warnings if w.code == "missing-footnote"] == [
        ("missing-footnote", 1)
    ]


def test_pipe_table_cells_lists_breaks_and_empty_cells():
    document = read(CHART)
    rows = [line for line in document.lines if line.is_row]
    assert [cell.header for cell in rows[0].cells or ()] == [True] * 5
    first = rows[1].cells or ()
    assert first[1].text == "Provide information online:\n• Develop a newsletter\n• Share facts"
    assert first[2].text == "Start: 2012/13\n2012/13\n2015/16"
    assert [row.lineno for row in rows] == [9, 11, 12, 13]
    assert rows[2].texts == ("", "Brief staff.", "2012/13", "In progress", "")
    records = deliverable_records(htreport.extract_document(document))
    assert [(r["id"], r["leads"], r["items"], r["start"]) for r in records] == [
        ("1.11.1", ["CBSA"], ["Develop a newsletter", "Share facts"], "2012-13"),
        ("1.11.2", ["CBSA"], [], "2012-13"),
        ("1.11.3", ["RCMP"], [], "2013-14"),
    ]


def test_escaped_pipes_stay_in_their_cell():
    document = read("| Task | Lead |\n|---|---|\n| a \\| b | PS |\n")
    assert [line.texts for line in document.lines] == [("Task", "Lead"), ("a | b", "PS")]


# -- bad input -----------------------------------------------------------------------------------


def test_an_empty_table_warns_with_its_line(runner, tmp_path):
    source = tmp_path / "empty.md"
    source.write_text(
        "# Report\n\n## ANNEX A\n\n| Task | Deliverable | Timeline | Status | Lead |\n|---|---|---|---|---|\n"
    )
    result = runner.invoke(app, ["extract", str(source)])
    assert result.exit_code == 0
    assert f"warning: {source}:5: [empty-table] a table with a header row but no rows under it" in (
        result.stderr
    )
    assert htreport.loads(result.stdout).deliverables() == []
    assert "Traceback" not in result.output


def test_cells_past_the_header_are_kept_with_a_warning(runner, tmp_path):
    source = tmp_path / "extra.md"
    source.write_text(CHART.replace("| Completed | RCMP |", "| Completed | RCMP | $5 million |"))
    result = runner.invoke(app, ["extract", str(source)])
    assert result.exit_code == 0
    assert f"{source}:13: [extra-cells] a table row has 6 cells but the header has 5" in (
        result.stderr
    )
    report = htreport.loads(result.stdout)
    assert "$5 million" in report.deliverables()[2][3].raw.lead


def test_a_file_with_no_table_warns(runner, tmp_path):
    source = tmp_path / "notable.md"
    source.write_text("# Report\n\n## Part I\n\nNo chart.\n")
    result = runner.invoke(app, ["extract", str(source)])
    assert result.exit_code == 0
    assert "[no-table] the file has no Markdown table" in result.stderr


# -- extract --from ------------------------------------------------------------------------------


def test_from_overrides_detection(runner, tmp_path):
    copy = tmp_path / "report.txt"
    copy.write_bytes(MARKDOWN_REPORT.read_bytes())
    detected = htreport.loads(runner.invoke(app, ["extract", str(copy)]).stdout)
    assert detected.source.format == "markdown" and len(detected.deliverables()) == 72
    as_text = runner.invoke(app, ["extract", str(copy), "--from", "text"])
    assert as_text.exit_code == 0
    report = htreport.loads(as_text.stdout)
    assert report.source.format == "text" and report.deliverables() == []
    as_html = htreport.extract(HTML_REPORT, source_format="html")
    assert len(as_html.deliverables()) == 72


def test_from_pdf_on_text_is_unusable_input(runner):
    result = runner.invoke(app, ["extract", str(RAW_REPORT), "--from", "pdf"])
    assert result.exit_code == 2
    assert result.stderr == f"error: {RAW_REPORT}: is not a PDF (it does not start with %PDF-)\n"


def test_from_rejects_an_unknown_format(runner):
    result = runner.invoke(app, ["extract", str(RAW_REPORT), "--from", "docx"])
    assert result.exit_code == 2
    assert "docx" in result.stderr


def test_from_applies_to_a_directory(runner, tmp_path):
    sources = tmp_path / "in"
    sources.mkdir()
    (sources / "a.txt").write_bytes(HTML_REPORT.read_bytes())
    result = runner.invoke(
        app, ["extract", str(sources), "-o", str(tmp_path / "out"), "--from", "html"]
    )
    assert result.exit_code == 0, result.output
    written = htreport.load(tmp_path / "out" / "2014-2015.yaml")
    assert written.source.format == "html" and len(written.deliverables()) == 72


def test_help_does_not_import_the_html_or_markdown_parsers():
    code = (
        "import sys\nfrom htreport.cli import main\nsys.argv = ['htreport', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('lxml', 'markdown_it', 'mdit_py_plugins')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_examples_in_docs_formats_run(runner, monkeypatch):
    from .conftest import ROOT

    text = (ROOT / "docs" / "formats.md").read_text("utf-8")
    monkeypatch.chdir(ROOT)
    python_blocks = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    assert python_blocks
    for block in python_blocks:
        exec(compile(block, "docs/formats.md", "exec"), {})
    commands = [
        line.split()
        for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL)
        for line in block.strip().splitlines()
    ]
    assert commands
    for command in commands:
        assert command[0] == "htreport"
        result = runner.invoke(app, command[1:])
        assert result.exit_code == 0, (command, result.output)
        assert "nap-2014-2015" in result.stdout


def test_a_raw_html_table_in_markdown_is_read_with_its_spans():
    text = (
        "# Report\n\n## ANNEX A\n\n### PREVENTION\n\n#### Objective 1.1: Prevent.\n\n"
        "<table>\n<thead>\n<tr><th>Task</th><th>Deliverable</th><th>Timeline</th><th>Status</th>"
        "<th>Lead</th></tr>\n</thead>\n<tbody>\n"
        '<tr><td rowspan="2">1.11 Task.</td><td>Do it.</td><td>2012/13</td><td>Ongoing</td>'
        '<td rowspan="2">CBSA</td></tr>\n'
        "<tr><td>Do more.</td><td>2013/14</td><td>Completed</td></tr>\n</tbody>\n</table>\n"
    )
    document = read(text)
    rows = [line for line in document.lines if line.is_row]
    assert [row.lineno for row in rows] == [11, 14, 15]
    assert rows[1].cells is not None and rows[1].cells[4].rowspan == 2
    records = deliverable_records(htreport.extract_document(document))
    assert [(r["id"], r["leads"]) for r in records] == [("1.11.1", ["CBSA"]), ("1.11.2", ["CBSA"])]
