"""The HTML reader on small pages: furniture, headings, lists, footnotes, abbreviations, tables
with spans and lists in cells, and bad input (no table, no header, truncated, extra cells)."""

from __future__ import annotations

import pytest

import htreport
from htreport.cli import app
from htreport.document import grid
from htreport.errors import SourceError
from htreport.model.records import deliverable_records
from htreport.readers import detect_format
from htreport.readers.html import read_html

from .conftest import RAW_REPORT
from .test_formats_equivalence import HTML_REPORT

HEAD = '<!DOCTYPE html>\n<html lang="en">\n<head><title>{title}</title></head>\n<body>\n'
FURNITURE = """<ul id="wb-tphp"><li><a class="wb-sl" href="#wb-cont">Skip to main content</a></li></ul>
<header><div id="wb-bnr">Public Safety Canada</div>
<nav id="wb-bc"><ol class="breadcrumb"><li><a href="/">Home</a></li><li>Publications</li></ol></nav>
</header>
"""
FOOT = """<div class="pagedetails"><dl id="wb-dtmd"><dt>Date modified:</dt><dd>2016-03-01</dd></dl></div>
</main>
<footer id="wb-info"><h2>About this site</h2><ul><li>Terms and conditions</li></ul></footer>
</body>
</html>
"""
HEADER_ROW = (
    "<thead><tr>"
    + "".join(
        f'<th scope="col">{n}</th>' for n in ("Task", "Deliverable", "Timeline", "Status", "Lead")
    )
    + "</tr></thead>"
)


def page(body: str, title: str = "Report - Public Safety Canada", furniture: bool = True) -> str:
    return HEAD.format(title=title) + (FURNITURE if furniture else "") + "<main>\n" + body + FOOT


def read(body: str, **kwargs):
    return read_html(page(body, **kwargs).encode("utf-8"), name="page.html")


def chart(rows: str, before: str = "") -> str:
    return (
        "<h2>ANNEX A</h2>\n<h3>PREVENTION</h3>\n<h4>Objective 1.1: Prevent.</h4>\n"
        f"{before}<table>\n{HEADER_ROW}\n<tbody>\n{rows}</tbody>\n</table>\n"
    )


def deliverables(html_text: str) -> list[dict]:
    report = htreport.extract_document(read_html(html_text.encode("utf-8"), name="page.html"))
    return deliverable_records(report)


# -- choosing the reader -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "start",
    [
        b"<!DOCTYPE html>\n<html>",
        b"<!doctype HTML><html>",
        b"\xef\xbb\xbf  <!-- saved from url --> \n<html lang='en'>",
        b'<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN">',
        b"<HTML>\n<body>",
    ],
)
def test_html_is_chosen_by_content(start):
    assert detect_format(start + b"<body><p>x</p></body></html>", "report.txt") == "html"


@pytest.mark.parametrize(
    "data",
    [b"<p>a fragment</p>", b"Report text mentioning <html> later", b"<htmlish>", b"%PDF-1.4"],
)
def test_not_html(data):
    assert detect_format(data, "page.html") != "html"


def test_shipped_text_is_text():
    assert detect_format(RAW_REPORT.read_bytes(), str(RAW_REPORT)) == "text"


# -- page content --------------------------------------------------------------------------------


def test_furniture_is_ignored_and_main_preferred():
    document = read("<h1>The report</h1>\n<p>Body text.</p>\n")
    assert [line.text for line in document.lines] == ["The report", "Body text."]
    assert document.format == "html"


def test_without_main_the_body_without_furniture_is_read():
    html_text = HEAD.format(title="T") + FURNITURE + "<h1>Title</h1><p>Text.</p>" + FOOT
    document = read_html(html_text.replace("</main>\n", "").encode(), name="page.html")
    assert [line.text for line in document.lines] == ["Title", "Text."]


def test_headings_paragraphs_and_lists_with_kinds_and_source_lines():
    document = read(
        "<h1>Title</h1>\n<h2>Part I</h2>\n<p>Key achievements:</p>\n"
        "<ul>\n<li>First <strong>one</strong>.</li>\n<li>Second\n<em>one</em>.</li>\n</ul>\n"
        "<ol><li>Ordered.</li></ol>\n"
    )
    lines = [(line.text, line.kind, line.level) for line in document.lines]
    assert lines == [
        ("Title", "heading", 1),
        ("Part I", "heading", 2),
        ("Key achievements:", None, None),
        ("- First one.", "item", None),
        ("- Second one.", "item", None),
        ("- Ordered.", "item", None),
    ]
    source = page("").splitlines()
    main = next(i for i, text in enumerate(source, 1) if text == "<main>")
    assert [line.lineno for line in document.lines] == [main + n for n in (1, 2, 3, 5, 6, 9)]


def test_title_hint_from_h1_else_title_without_the_site_suffix():
    assert read("<h1>Annual <abbr title='x'>Report</abbr></h1>").title_hint == "Annual Report"
    assert read("<p>Text.</p>", title="Annual Report - Public Safety Canada").title_hint == (
        "Annual Report"
    )
    assert read("<p>Text.</p>", title="Annual Report").title_hint == "Annual Report"


def test_abbr_keeps_the_acronym_not_its_title():
    document = read('<p>Led by <abbr title="Canada Border Services Agency">CBSA</abbr>.</p>')
    assert document.lines[0].text == "Led by CBSA."


def test_footnotes_in_the_web_template_form():
    document = read(
        '<p>Members<sup id="fn3-rf"><a class="fn-lnk" href="#fn3"><span class="wb-inv">Footnote'
        " </span>3</a></sup> meet.</p>\n<p>Next paragraph.</p>\n"
        '<aside class="wb-fnote" role="note"><h2 id="fn" class="wb-inv">Footnotes</h2><dl>\n'
        '<dt>Footnote 3</dt>\n<dd id="fn3">\n<p>Membership consists of <abbr title="x">PS</abbr>.'
        '</p>\n<p class="fn-rtn"><a href="#fn3-rf"><span class="wb-inv">Return to footnote </span>'
        '3<span class="wb-inv"> referrer</span></a></p>\n</dd>\n</dl></aside>\n'
    )
    texts = [(line.text, line.footnote) for line in document.lines]
    assert texts == [
        ("Members³ meet.", False),
        ("³ Membership consists of PS.", True),
        ("Next paragraph.", False),
    ]
    report = htreport.extract_document(document)
    assert [(f.number, f.text) for f in report.footnotes] == [(3, "Membership consists of PS.")]


def test_a_superscript_that_is_no_number_stays_text():
    assert read("<p>The 52<sup>nd</sup> conference.</p>").lines[0].text == "The 52nd conference."


# -- tables --------------------------------------------------------------------------------------


def test_rowspan_task_and_lead_cells_and_lists_and_breaks_in_cells():
    rows = (
        '<tr><td rowspan="3">1.11 Support campaigns.</td>'
        "<td>Provide information online:<ul><li>Develop a newsletter</li><li>Share facts</li></ul>"
        "</td><td>Start: 2012/13<br>2012/13<br>2015/16</td><td>Ongoing<br>Ongoing<br>Ongoing</td>"
        '<td rowspan="2">CBSA</td></tr>\n'
        "<tr><td>Brief staff.</td><td>2012/13</td><td>In progress</td></tr>\n"
        "<tr><td>Train officers.</td><td>2013/14</td><td>Completed</td><td>RCMP</td></tr>\n"
    )
    document = read(chart(rows))
    table = [line for line in document.lines if line.is_row]
    first = table[1].cells
    assert first is not None
    assert (first[0].rowspan, first[4].rowspan, first[4].text) == (3, 2, "CBSA")
    assert first[1].text == "Provide information online:\n• Develop a newsletter\n• Share facts"
    assert first[2].text == "Start: 2012/13\n2012/13\n2015/16"
    assert [cell.header for cell in table[0].cells or ()] == [True] * 5
    laid = grid(table[1:])
    assert [[position.text for position in row][4] for row in laid] == ["CBSA", "CBSA", "RCMP"]
    records = deliverables(page(chart(rows)))
    assert [(r["id"], r["leads"], r["status"]) for r in records] == [
        ("1.11.1", ["CBSA"], "ongoing"),
        ("1.11.2", ["CBSA"], "in_progress"),
        ("1.11.3", ["RCMP"], "completed"),
    ]
    assert records[0]["items"] == ["Develop a newsletter", "Share facts"]
    assert records[0]["text"] == "Provide information online:"


def test_a_row_spanning_every_column_is_prose():
    rows = (
        '<tr><th colspan="5" scope="colgroup">Objective 1.2: Protect.</th></tr>\n'
        "<tr><td>1.21 Task.</td><td>Do it.</td><td>Start: 2012/13</td><td>Ongoing</td>"
        "<td>PS</td></tr>\n"
    )
    document = read(chart(rows))
    spanning = next(line for line in document.lines if "Objective 1.2" in line.text)
    assert spanning.cells is None
    records = deliverables(page(chart(rows)))
    assert [(r["objective"], r["id"]) for r in records] == [("1.2", "1.21.1")]


def test_cells_keep_their_own_source_lines():
    rows = "<tr>\n<td>1.11 Task.</td>\n<td>Do it.</td>\n<td>2012/13</td>\n<td>Ongoing</td>\n<td>PS</td>\n</tr>\n"
    document = read(chart(rows))
    row = [line for line in document.lines if line.is_row][1]
    assert [cell.lineno for cell in row.cells or ()] == [row.lineno + n for n in range(1, 6)]


# -- bad input -----------------------------------------------------------------------------------


def test_a_page_with_no_table_warns_with_its_line(runner, tmp_path):
    source = tmp_path / "notable.html"
    source.write_text(page("<h1>Report</h1>\n<p>No chart here.</p>\n"))
    result = runner.invoke(app, ["extract", str(source)])
    assert result.exit_code == 0
    main = page("").splitlines().index("<main>") + 1
    assert f"warning: {source}:{main}: [no-table] the page has no <table>" in result.stderr
    assert "[no-annex]" in result.stderr
    assert "Traceback" not in result.output
    assert htreport.loads(result.stdout).annex is None


def test_a_table_with_no_header_warns_with_its_line(runner, tmp_path):
    source = tmp_path / "noheader.html"
    body = "<table>\n<tr><td>1.11 Task.</td><td>Do it.</td><td>2012/13</td><td>Ongoing</td><td>PS</td></tr>\n</table>\n"
    source.write_text(page(body))
    result = runner.invoke(app, ["extract", str(source)])
    assert result.exit_code == 0
    table = page(body).splitlines().index("<table>") + 1
    assert f"{source}:{table}: [table-without-header] a <table> with no header row" in result.stderr
    assert "Traceback" not in result.output


def test_a_row_with_more_cells_than_the_header_keeps_them_with_a_warning(runner, tmp_path):
    source = tmp_path / "extra.html"
    rows = "<tr><td>1.11 Task.</td><td>Do it.</td><td>2012/13</td><td>Ongoing</td><td>PS</td><td>$5 million</td></tr>\n"
    source.write_text(page(chart(rows)))
    result = runner.invoke(app, ["extract", str(source)])
    assert result.exit_code == 0
    line = next(i for i, t in enumerate(page(chart(rows)).splitlines(), 1) if "$5 million" in t)
    assert f"{source}:{line}: [extra-cells] a table row has 6 cells but the header has 5" in (
        result.stderr
    )
    report = htreport.loads(result.stdout)
    assert "$5 million" in report.deliverables()[0][3].raw.lead  # kept, never dropped


def test_a_truncated_page_keeps_what_was_read(runner, tmp_path):
    whole = HTML_REPORT.read_bytes()
    cut = whole.index(b"<td>Provide information on the temporary resident permit") + 60
    source = tmp_path / "truncated.html"
    source.write_bytes(whole[:cut])
    result = runner.invoke(app, ["extract", str(source)])
    assert result.exit_code == 0
    last_line = whole[:cut].count(b"\n") + 1
    assert f"{source}:{last_line}: [truncated-html] the page ends without </html>" in result.stderr
    report = htreport.loads(result.stdout)
    full = htreport.extract(HTML_REPORT)
    assert [d.id for *_, d in report.deliverables()] == [f"1.11.{n}" for n in range(1, 6)]
    assert [d.text for *_, d in report.deliverables()][:4] == [
        d.text for *_, d in full.deliverables()
    ][:4]
    assert "Provide information on the temporary" in report.deliverables()[4][3].raw.deliverable


def test_a_page_of_furniture_only_is_unusable(runner, tmp_path):
    source = tmp_path / "furniture.html"
    source.write_text(HEAD.format(title="T") + FURNITURE + "</body></html>\n")
    result = runner.invoke(app, ["extract", str(source)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {source}: holds no text outside the page's header, menus and footer\n"
    )


def test_invalid_utf8_names_its_line():
    data = page("<p>caf\xe9</p>").encode("latin-1")
    with pytest.raises(SourceError, match="not valid UTF-8") as raised:
        read_html(data, name="page.html")
    assert raised.value.line == page("").splitlines().index("<main>") + 2
    document = read_html(data, name="page.html", encoding="latin-1")
    assert document.lines[0].text == "café"


def test_nesting_too_deep_keeps_what_came_before_or_is_unusable(runner, tmp_path):
    deep = "<div>" * 300 + "lost" + "</div>" * 300
    document = read(f"<p>Kept text.</p>\n{deep}\n")
    assert [line.text for line in document.lines] == ["Kept text."]
    assert [(w.code, w.message) for w in document.warnings][0] == (
        "html-too-deep",
        "elements nested more than 256 deep: the page was read up to there, the rest is lost",
    )
    only_deep = tmp_path / "only-deep.html"
    only_deep.write_text(page(deep, furniture=False))
    result = runner.invoke(app, ["extract", str(only_deep)])
    assert result.exit_code == 2
    assert "elements nested more than 256 deep; the page cannot be read" in result.stderr
    assert "Traceback" not in result.output


def test_footnotes_as_pandoc_writes_them():
    document = read(
        '<p>Members<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1'
        "</sup></a> meet.</p>\n"
        '<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes">'
        '\n<hr />\n<ol>\n<li id="fn1"><p>Membership consists of PS.<a href="#fnref1" '
        'class="footnote-back" role="doc-backlink">↩︎</a></p></li>\n</ol>\n</section>\n'
    )
    assert [(line.text, line.footnote) for line in document.lines] == [
        ("Members¹ meet.", False),
        ("¹ Membership consists of PS.", True),
    ]


def test_a_declared_charset_is_honoured_when_the_bytes_are_not_utf8():
    declared = page("<p>Sécurité publique</p>").replace(
        "<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    )
    document = read_html(declared.encode("cp1252"), name="page.html")
    assert document.lines[0].text == "Sécurité publique"
    assert document.encoding == "cp1252"
    utf8 = declared.replace("windows-1252", "utf-8")
    assert read_html(utf8.encode("utf-8"), name="page.html").lines[0].text == "Sécurité publique"


def test_a_layout_table_around_the_chart_is_not_the_chart():
    rows = "<tr><td>1.11 Task.</td><td>Do it.</td><td>Start: 2012/13</td><td>Ongoing</td><td>PS</td></tr>\n"
    wrapped = f'<table class="layout">\n<tr><td>\n{chart(rows)}</td></tr>\n</table>\n'
    records = deliverables(page(wrapped))
    assert [(r["id"], r["leads"]) for r in records] == [("1.11.1", ["PS"])]


def test_a_title_row_spanning_the_table_is_prose_and_no_header():
    body = (
        '<table>\n<thead><tr><th colspan="5">Annex A: Action Items Chart</th></tr>\n'
        + HEADER_ROW.removeprefix("<thead>").removesuffix("</thead>")
        + "</thead>\n</table>\n"
    )
    document = read(body)
    assert [(line.text, line.is_row) for line in document.lines][:1] == [
        ("Annex A: Action Items Chart", False)
    ]
    assert [line.texts for line in document.lines if line.is_row] == [
        ("Task", "Deliverable", "Timeline", "Status", "Lead")
    ]
    assert [w.code for w in document.warnings] == []


def test_the_title_hint_is_the_h1_of_the_content_not_of_the_banner():
    body = "<h1>Report title</h1>\n<p>Text.</p>\n"
    html_text = page(body).replace('<div id="wb-bnr">', '<div id="wb-bnr"><h1>Site name</h1>')
    assert read_html(html_text.encode(), name="page.html").title_hint == "Report title"
