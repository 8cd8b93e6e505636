"""The PDF of the 2014-2015 report, and the same report typeset again (other paper size, fonts,
cell alignment, so other page breaks), give the data of the archived text, record by record."""

from __future__ import annotations

import pytest

import htreport
from htreport.model.records import deliverable_records

from .conftest import HERE, PDF_REPORT

PDFS = [PDF_REPORT, *sorted((HERE / "fixtures" / "pdf").glob("variant-*.pdf"))]


def _normalised(record: dict) -> dict:
    record = {k: v for k, v in record.items() if k not in ("source", "line", "page")}
    record["text"] = " ".join(record["text"].split())
    record["items"] = [" ".join(item.split()) for item in record["items"]]
    return record


def _fields(model) -> dict:
    data = model.model_dump(mode="json")
    data.pop("provenance", None)
    if data.get("evidence"):  # metadata evidence: the same rules and words, on other lines
        data["evidence"] = {
            name: (found["rule"], " ".join(found["text"].split()))
            for name, found in data["evidence"].items()
            if found
        }
    return {k: " ".join(v.split()) if isinstance(v, str) else v for k, v in data.items()}


@pytest.fixture(scope="module", params=PDFS, ids=lambda p: p.stem)
def pdf_report(request):
    return htreport.extract(request.param)


def test_same_deliverables_record_by_record(pdf_report, report_2014):
    from_pdf = [_normalised(r) for r in deliverable_records(pdf_report)]
    from_text = [_normalised(r) for r in deliverable_records(report_2014)]
    assert len(from_pdf) == len(from_text) == 72
    for pdf_record, text_record in zip(from_pdf, from_text, strict=True):
        assert pdf_record == text_record


def test_same_statistics(pdf_report, report_2014):
    assert len(report_2014.statistics) > 0
    assert [_fields(s) for s in pdf_report.statistics] == [
        _fields(s) for s in report_2014.statistics
    ]


def test_same_key_achievements(pdf_report, report_2014):
    assert len(report_2014.achievements) > 0
    assert [_fields(a) for a in pdf_report.achievements] == [
        _fields(a) for a in report_2014.achievements
    ]


def test_same_footnotes(pdf_report, report_2014):
    assert [_fields(f) for f in pdf_report.footnotes] == [_fields(f) for f in report_2014.footnotes]


def test_same_metadata(pdf_report, report_2014):
    assert _fields(pdf_report.metadata) == _fields(report_2014.metadata)


def test_same_warnings_apart_from_positions(pdf_report, report_2014):
    assert [(w.code, w.message) for w in pdf_report.warnings] == [
        (w.code, w.message) for w in report_2014.warnings
    ]


def test_provenance_has_pages(pdf_report):
    pages = [record["page"] for record in deliverable_records(pdf_report)]
    assert all(isinstance(page, int) for page in pages)
    assert pages == sorted(pages)
    assert pdf_report.source.format == "pdf"
