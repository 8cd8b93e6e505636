"""Query filters (htreport.analysis.filters): plain Python that checks and normalises each
value as pydantic did, reports the first bad filter in field order, and lets a warm query run
without importing pydantic at all."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from htreport.analysis.filters import Filters
from htreport.errors import UsageError
from htreport.model.vocabulary import Pillar, Section, Status

from .test_startup import loaded

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"lead": "RCMP"}, "--lead: must be a list"),
        ({"lead": [1]}, "--lead: must be text"),
        ({"status": "ongoing"}, "--status: must be a list"),
        ({"task": [3.11]}, "--task: must be text"),
        ({"year": [2014]}, "--year: must be text"),
        ({"new": "maybe"}, "--new: must be true or false"),
        ({"new": 2}, "--new: must be true or false"),
        ({"grep": 5}, "--grep: must be text"),
        ({"unit": ["CAD", None]}, "--unit: must be text"),
        ({"min": "lots"}, "--min: must be a number"),
        ({"max": [1]}, "--max: must be a number"),
        ({"colour": ["red"]}, "--colour: unknown filter"),
    ],
)
def test_a_value_of_the_wrong_kind_is_a_usage_error_naming_its_option(options, message):
    with pytest.raises(UsageError) as caught:
        Filters.parse(**options)
    assert str(caught.value) == message


def test_values_are_normalised_as_given():
    filters = Filters.parse(
        status=["In progress", Status.COMPLETED],
        pillar=["Prosecution"],
        section=["annex-a"],
        task=[" 3.11 "],
        year=["2014/15"],
        start=["2012-2013"],
        new="yes",
        unit=[" CAD "],
        min="5",
        max=7,
    )
    assert filters.status == [Status.IN_PROGRESS, Status.COMPLETED]
    assert filters.pillar == [Pillar.PROSECUTION]
    assert filters.section == [Section.ANNEX_A]
    assert (filters.task, filters.year, filters.start) == (["3.11"], ["2014-2015"], ["2012-13"])
    assert (filters.new, filters.unit, filters.min, filters.max) == (True, ["cad"], 5.0, 7.0)
    assert isinstance(filters.max, float)
    assert Filters.parse(new=0).new is False


def test_the_first_bad_filter_in_field_order_is_the_one_reported():
    with pytest.raises(UsageError, match="^--year: '2014' is not a fiscal year"):
        Filters.parse(colour=["red"], year=["2014"])
    with pytest.raises(UsageError, match="^--lead: unknown lead 'NOPE'"):
        Filters.parse(max="x", year=["2014"], lead=["NOPE"])
    with pytest.raises(UsageError, match="^--year: '2014' is not a fiscal year"):
        Filters.parse(max="x", year=["2014"])


def test_filters_compare_by_value_and_cannot_be_changed():
    assert Filters.parse(lead=["RCMP"]) == Filters(lead=["RCMP"])
    assert Filters.parse(lead=["RCMP"]) != Filters(lead=["CBSA"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        Filters().lead = ["RCMP"]  # type: ignore[misc]
    assert Filters().active() == []
    assert Filters.parse(lead=["RCMP"], new=False).active() == ["lead", "new"]


def test_a_warm_query_never_imports_pydantic(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "data" / "structured" / "2014-2015.yaml", corpus)
    monkeypatch.setenv("HTREPORT_CACHE_DIR", str(tmp_path / "cache"))
    args = ["query", "deliverables", str(corpus), "--lead", "RCMP", "--format", "json"]
    heavy = {"pydantic", "htreport.model.report", "typer._adapters"}
    assert loaded(args, heavy) == ["htreport.model.report", "pydantic"]  # cold: validates
    assert loaded(args, heavy) == []  # warm: records from the cache
    assert loaded([*args[:3], "--status", "ongoing", "--year", "2014-15"], heavy) == []
