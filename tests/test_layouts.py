"""The 2014-2015 report in other chart layouts (tests/fixtures/layouts/, made by
make_layouts.py from the shipped text) gives the text's data, record by record."""

from __future__ import annotations

import pytest

import htreport
from htreport.model.records import deliverable_records

from .chart_records import normalised
from .conftest import HERE

LAYOUTS = HERE / "fixtures" / "layouts"
NAMES = ["space-aligned", "plural-headers", "reordered", "no-status", "french-headers"]
#: The layouts whose chart has no Status column, and so give no status.
WITHOUT_STATUS = {"no-status"}


def _fields(model) -> dict:
    data = model.model_dump(mode="json")
    data.pop("provenance", None)
    return data


@pytest.fixture(scope="module", params=NAMES)
def layout(request):
    return request.param, htreport.extract(LAYOUTS / f"{request.param}.txt")


def test_same_deliverables_record_by_record(layout, report_2014):
    name, report = layout
    has_status = name not in WITHOUT_STATUS
    got = [normalised(r, status=has_status) for r in deliverable_records(report)]
    want = [normalised(r, status=has_status) for r in deliverable_records(report_2014)]
    assert len(got) == len(want) == 72
    for mine, theirs in zip(got, want, strict=True):
        assert mine == theirs


def test_task_texts_equal(layout, report_2014):
    _, report = layout
    tasks = [(t.id, t.text) for _, _, t, _ in report.deliverables()]
    assert tasks == [(t.id, t.text) for _, _, t, _ in report_2014.deliverables()]


def test_without_a_status_column_status_is_null_and_noted_once(layout):
    name, report = layout
    statuses = {d.status for _, _, _, d in report.deliverables()}
    codes = [w.code for w in report.warnings]
    if name in WITHOUT_STATUS:
        assert statuses == {None}
        assert codes.count("no-status-column") == 1
        assert "missing-status" not in codes
    else:
        assert None not in statuses
        assert "no-status-column" not in codes


def test_same_statistics_achievements_footnotes(layout, report_2014):
    _, report = layout
    assert len(report_2014.statistics) > 0 and len(report_2014.achievements) > 0
    assert [_fields(s) for s in report.statistics] == [_fields(s) for s in report_2014.statistics]
    assert [_fields(a) for a in report.achievements] == [
        _fields(a) for a in report_2014.achievements
    ]
    assert [_fields(f) for f in report.footnotes] == [_fields(f) for f in report_2014.footnotes]


def test_same_joins(layout, report_2014):
    name, report = layout
    rules = [j.rule for j in report.joins]
    assert rules == [j.rule for j in report_2014.joins]


def test_fixtures_are_what_the_script_makes():
    from importlib import util

    spec = util.spec_from_file_location("make_layouts", LAYOUTS / "make_layouts.py")
    assert spec and spec.loader
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lines = module.RAW.read_text("utf-8").split("\n")
    for file_name, make in module.LAYOUTS.items():
        assert (LAYOUTS / file_name).read_text("utf-8") == "\n".join(make(lines)), file_name
