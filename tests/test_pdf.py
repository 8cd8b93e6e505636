"""The PDF reader (pdfsource.py): the intermediate form, page furniture, annex-only tables, and
bad PDFs through the CLI (one stderr line, documented exit code, no traceback)."""

from __future__ import annotations

import shutil

import pytest

import htreport
from htreport.cli import app
from htreport.model.textclean import clean
from htreport.readers import read_source
from htreport.readers.pdf import read_pdf
from htreport.readers.pdf.layout import Glyph, group_lines, join_wrapped

from .conftest import HERE, PDF_REPORT, RAW_REPORT

PDF_DIR = HERE / "fixtures" / "pdf"
VARIANTS = sorted(PDF_DIR.glob("variant-*.pdf"))


@pytest.fixture(scope="module")
def pdf_document():
    return read_pdf(PDF_REPORT.read_bytes(), name=str(PDF_REPORT))


@pytest.fixture(scope="module")
def text_document():
    return read_source(RAW_REPORT)


def _body(document) -> list[str]:
    return [clean(line.text) for line in document.lines if line.cells is None and line.text.strip()]


def test_lines_are_numbered_in_reading_order_and_carry_their_page(pdf_document):
    assert [line.lineno for line in pdf_document.lines] == list(
        range(1, len(pdf_document.lines) + 1)
    )
    pages = [line.page for line in pdf_document.lines]
    assert pages[0] == 1 and pages[-1] == 34
    assert all(isinstance(page, int) for page in pages)
    assert pdf_document.format == "pdf"
    assert (
        pdf_document.title_hint
        == "National Action Plan to Combat Human Trafficking 2014-2015 Annual Report on Progress"
    )


def test_footnotes_are_lines_starting_with_their_superscript_number(pdf_document, text_document):
    footnotes = [line for line in pdf_document.lines if line.footnote]
    archived = [
        clean(ln.text) for ln in text_document.lines if ln.text[:1] and ln.text[0] in "¹²³⁴⁵⁶⁷⁸⁹"
    ]
    assert [clean(line.text) for line in footnotes] == archived
    assert footnotes[0].text.startswith("² To request a copy of 'Project SAFEKEEPING'")
    assert "htncc-cnctp@rcmp-grc.gc.ca" in footnotes[0].text  # the hyphen of a wrapped address kept
    assert footnotes[1].text.startswith("³ Membership consists of PS, CBSA, RCMP")
    assert footnotes[1].page == 6


def test_markers_in_body_text_are_superscript_digits(pdf_document):
    (taskforce,) = [ln for ln in pdf_document.lines if "key federal departments" in ln.text]
    assert "key federal departments³, remains" in taskforce.text
    assert not taskforce.footnote


def test_bullets_become_dash_items_and_paragraphs_are_one_line(pdf_document, text_document):
    body = _body(pdf_document)
    combative = body.index("Project COMBATIVE resulted in:")
    archived = _body(text_document)
    start = archived.index("Project COMBATIVE resulted in:")
    assert body[combative : combative + 10] == archived[start : start + 10]
    assert body[combative + 1] == "- 29 people arrested;"
    # a Foreword bullet that runs over a page break (pages 2-3) is one line
    (iawp,) = [ln for ln in pdf_document.lines if ln.text.startswith("- 52nd Annual International")]
    assert iawp.page == 2
    assert iawp.text.endswith("delegates representing over 60 countries.")


def _until_annex_b(body: list[str]) -> list[str]:
    """Body paragraphs up to Annex B (its list of links is not parsed; see the README for the
    one way a page break there can join a title to its link), without the table of contents,
    which the archived text has as table rows."""
    end = body.index("Annex B: Resources and Links")
    return [line for line in body[:end] if " ........ " not in line]


def test_body_text_equals_the_archived_text_paragraph_by_paragraph(pdf_document, text_document):
    pdf_body = [line for line in _body(pdf_document) if " ........ " not in line]
    assert pdf_body == _body(text_document)


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda p: p.stem)
def test_variants_give_the_same_body_text_without_headers_and_page_numbers(variant, text_document):
    document = read_pdf(variant.read_bytes(), name=variant.name)
    assert _until_annex_b(_body(document)) == _until_annex_b(_body(text_document))
    texts = [line.text for line in document.lines]
    assert not any(text.startswith("Page ") or text.isdigit() for text in texts)
    assert (
        texts.count("2014-2015 Annual Report on Progress") == 1
    )  # the title, not the running header
    assert not any(
        text.startswith("National Action Plan to Combat Human Trafficking - ") for text in texts
    )
    assert [line.text[:2] for line in document.lines if line.footnote] == [
        "² ",
        "³ ",
        "⁴ ",
        "⁵ ",
        "⁶ ",
    ]


def test_table_rows_have_five_cells_and_keep_repeated_headers(pdf_document):
    rows = [line for line in pdf_document.lines if line.cells is not None]
    assert all(len(row.cells) == 5 for row in rows)
    headers = [
        row for row in rows if row.texts == ("Task", "Deliverable", "Timeline", "Status", "Lead")
    ]
    assert len(headers) == 21  # 18 annex pages; pages 18, 21 and 27 also start a new section
    stacked = next(row for row in rows if row.texts[0].startswith("1.12 Enhance"))
    assert stacked.texts[2] == "Start: 2012/13 2012/13 2015/16"
    assert stacked.texts[3] == "Ongoing Ongoing Ongoing"
    assert (
        "online: • Develop and launch 'Canada's National Anti-Human Trafficking Newsletter' • RCMP"
        in stacked.texts[1]
    )
    continuation = next(row for row in rows if row.texts[1].startswith("the employment rights of"))
    assert continuation.texts[3] == "" and continuation.page == 17


def test_tables_are_looked_for_only_on_annex_pages(monkeypatch):
    from htreport.readers.pdf import reader as pdfsource

    searched: list[int] = []
    real = pdfsource.tables_on_page

    def spy(page, *args, **kwargs):
        searched.append(page.page_number)
        return real(page, *args, **kwargs)

    monkeypatch.setattr(pdfsource, "tables_on_page", spy)
    read_pdf(PDF_REPORT.read_bytes(), name="report.pdf")
    assert searched == list(range(16, 34))  # ANNEX A on page 16, Annex B on page 33


def test_reader_is_chosen_by_content_not_extension(tmp_path, report_2014):
    disguised = tmp_path / "report.txt"
    shutil.copy(PDF_REPORT, disguised)
    report = htreport.extract(disguised)
    assert report.source.format == "pdf"
    assert len(list(report.deliverables())) == 72


def test_superscript_glyphs_fold_into_their_line():
    body = [Glyph(c, 10 + 6 * i, 100, 16 + 6 * i, 111, 11) for i, c in enumerate("departments")]
    marker = Glyph("3", 76.5, 98, 80, 105, 6.5)  # small, raised
    after = [Glyph(",", 80.3, 100, 83.3, 111, 11)]
    (line,) = group_lines([*body, marker, *after])
    assert line.text == "departments³,"


@pytest.mark.parametrize(
    ("first", "second", "words", "joined"),
    [
        ("Government anti-", "human trafficking", set(), "Government anti-human trafficking"),
        ("Through the Anti-", "Crime Capacity", set(), "Through the Anti-Crime Capacity"),
        (
            "strategy focusing on awareness-",
            "raising and",
            {"awareness-raising"},
            "strategy focusing on awareness-raising and",
        ),
        ("the traf-", "ficking of", {"trafficking"}, "the trafficking of"),
        ("a large-", "scale study", {"large-scale"}, "a large-scale study"),
        ("a large-", "scale study", {"large", "scale"}, "a large-scale study"),
        ("their well-", "being and", set(), "their well-being and"),  # a prefix
        ("the frob-", "nication of", set(), "the frob-nication of"),  # in doubt: kept
        (
            "assessments/intelligen",
            "ce briefs",
            {"intelligence"},
            "assessments/intelligence briefs",
        ),
        (
            "(in collaboration",
            "with the HTT)",
            {"collaboration", "with"},
            "(in collaboration with the HTT)",
        ),
        ("at htncc-", "cnctp@rcmp-grc.gc.ca", set(), "at htncc-cnctp@rcmp-grc.gc.ca"),
        ("million; 2014-", "2020) aims", set(), "million; 2014-2020) aims"),
    ],
)
def test_joining_wrapped_lines(first, second, words, joined):
    assert join_wrapped(first, second, words) == joined


# -- bad PDFs through the CLI ---------------------------------------------------------------


def _invoke(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated.pdf", "PDF is truncated (no %%EOF at its end)"),
        ("garbage.pdf", "damaged or unreadable PDF (No /Root object! - Is this really a PDF?)"),
        (
            "encrypted.pdf",
            "PDF is encrypted (password-protected); decrypt it first (e.g. qpdf --decrypt)",
        ),
        ("zero-pages.pdf", "PDF has no pages"),
        (
            "scanned.pdf",
            "PDF has no text layer (scanned pages?); run OCR on it first (e.g. ocrmypdf)",
        ),
    ],
)
def test_bad_pdf_is_one_line_error_and_exit_2(runner, tmp_path, name, message):
    source = PDF_DIR / name
    target = tmp_path / "out.yaml"
    result = _invoke(runner, "extract", source, "-o", target)
    assert result.exit_code == 2
    assert result.stderr == f"error: {source}: {message}\n"
    assert result.stdout == ""
    assert not target.exists()
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_pdf_that_is_not_a_report_warns_and_exits_0(runner):
    source = PDF_DIR / "not-a-report.pdf"
    result = _invoke(runner, "extract", source)
    assert result.exit_code == 0
    assert f"warning: {source}: [no-annex] no Annex A action items chart found\n" in result.stderr
    assert all(line.startswith("warning: ") for line in result.stderr.splitlines())
    report = htreport.loads(result.stdout)
    assert report.annex is None
    assert report.source.format == "pdf"


def test_partly_scanned_pdf_warns_per_page(runner):
    source = PDF_DIR / "partly-scanned.pdf"
    result = _invoke(runner, "extract", source)
    assert result.exit_code == 0
    assert (
        f"warning: {source} (page 2): [no-text-layer] page 2 has no text layer (a scanned image?); "
        "its content is missing\n"
    ) in result.stderr


def test_good_pdf_leaves_stderr_clean(runner):
    """Only the report's own warnings: no pdfminer log lines or Python warnings."""
    result = _invoke(runner, "extract", PDF_REPORT)
    assert result.exit_code == 0
    report = htreport.loads(result.stdout)
    lines = result.stderr.splitlines()
    assert len(lines) == len(report.warnings) == 2
    assert all(line.startswith(f"warning: {PDF_REPORT}:") for line in lines)


def test_line_end_hyphens_decided_by_the_documents_own_words_on_narrow_cells(text_document):
    """narrow-hyphenated.pdf: narrow pages and cells, lines broken inside words and after
    compounds' hyphens (make_variants.py)."""
    from htreport.readers.pdf import read_pdf

    path = HERE / "fixtures" / "pdf" / "narrow-hyphenated.pdf"
    document = read_pdf(path.read_bytes(), name=path.name)
    text = " ".join(line.text for line in document.lines)
    for kept in ("large-scale", "well-being", "anti-human", "awareness-raising"):
        assert kept in text
    for joined in ("largescale", "wellbeing", "antihuman", "traf-ficking", "gov-ernment"):
        assert joined not in text.casefold()
    assert _until_annex_b(_body(document)) == _until_annex_b(_body(text_document))
    in_doubt = [w.message for w in document.warnings if w.code == "hyphen-kept"]
    assert [message.split("'")[1] for message in in_doubt] == [
        "data-driven",
        "like-minded",
        "family-based",
        "montreal-based",
        "broad-based",
    ]
