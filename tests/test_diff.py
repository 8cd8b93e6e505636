"""`diff(old, new)`: exactly the expected changes on the generated pairs; statistics, achievements."""

from __future__ import annotations

import json

import pytest

from htreport.analysis.diff import ReportDiff, diff, diff_achievements, diff_statistics, word_diff
from htreport.errors import UsageError
from htreport.model.records import deliverable_records
from htreport.model.report import Achievement, Provenance, Section, Statistic

from .diffpairs import PAIRS, RAW_REPORT, extracted, forcing_overrides, pair


def _found(result: ReportDiff) -> dict:
    """The diff's deliverable changes in the expected files' form."""
    changed = {}
    for change in result.changes:
        if change.kind == "changed":
            changed[change.old["id"]] = {
                name: after for name, (_before, after) in change.fields.items()
            }
    return {
        "removed": sorted(c.old["id"] for c in result.changes if c.kind == "removed"),
        "added": sorted(c.new["id"] for c in result.changes if c.kind == "added"),
        "changed": changed,
    }


@pytest.mark.parametrize("name", list(PAIRS))
def test_diff_finds_exactly_the_expected_changes(name):
    old, new, truth = pair(name)
    result = diff(old, new, forcing_overrides(name))
    assert _found(result) == {
        "removed": sorted(truth["removed"]),
        "added": sorted(truth["added"]),
        "changed": truth["changed"],
    }
    assert not result.statistics and not result.achievements  # the prose was not edited
    summary = result.summary
    assert summary.unchanged + summary.changed == len(truth["matches"])


def test_changed_entries_carry_old_values_similarity_and_word_diff():
    old, new, _truth = pair("2015-2016")
    changes = {c.old["id"]: c for c in diff(old, new).changes if c.kind == "changed"}
    assert changes["2.11.2"].fields == {"status": ("in_progress", "completed")}
    assert changes["2.11.2"].similarity is None and changes["2.11.2"].word_diff is None
    reworded = changes["1.11.2"]
    assert reworded.fields["start"] == ("2015-16", "2016-17")
    assert 0.7 <= reworded.similarity < 0.8
    words = reworded.word_diff
    assert " ".join(w for op, w in words if op != "+") == reworded.old["text"]
    assert " ".join(w for op, w in words if op != "-") == reworded.new["text"]
    assert changes["4.11.6"].fields == {"task": ("4.11", "3.13")}
    assert changes["4.11.6"].new["id"] == "3.13.11" and changes["4.11.6"].match == "exact"


def test_a_lead_written_cic_is_not_a_change():
    old, new, _truth = pair("2015-2016")
    cic = [d for _p, _o, _t, d in new.deliverables() if "CIC" in d.raw.lead]
    assert len(cic) == 3 and all("IRCC" in [lead.department for lead in d.leads] for d in cic)
    touched = {c.new["id"] for c in diff(old, new).changes if c.new}
    assert not touched & {d.id for d in cic}


def test_records_are_deliverable_records_with_carried_keys():
    old, new, _truth = pair("2015-2016")
    result = diff(old, new)
    change = next(c for c in result.changes if c.kind == "changed" and c.old["id"] == "3.11.2")
    assert change.old == next(r for r in deliverable_records(old) if r["id"] == "3.11.2")
    new_record = dict(next(r for r in deliverable_records(new) if r["id"] == "3.11.2"))
    assert change.new == {**new_record, "key": "2014-2015/3.11.2"}
    added = next(c for c in result.changes if c.kind == "added")
    assert added.new["key"] == f"2015-2016/{added.new['id']}"


def test_json_contract():
    old, new, _truth = pair("2015-2016")
    data = json.loads(diff(old, new).model_dump_json())
    assert {"old", "new", "changes", "statistics", "achievements"} <= set(data)
    assert data["old"]["fiscal_year"] == "2014-2015" and data["new"]["fiscal_year"] == "2015-2016"
    status = next(c for c in data["changes"] if c["old"] and c["old"]["id"] == "2.11.2")
    assert status["kind"] == "changed" and status["fields"] == {
        "status": ["in_progress", "completed"]
    }
    removed = next(c for c in data["changes"] if c["kind"] == "removed")
    assert removed["new"] is None and removed["fields"] == {}


def test_a_report_with_itself_has_no_changes():
    report_2014 = extracted(RAW_REPORT)
    result = diff(report_2014, report_2014)
    assert not result.has_changes() and result.summary.unchanged == 72


def test_two_reports_of_the_same_year_are_refused():
    report_2014 = extracted(RAW_REPORT)
    other = extracted(PAIRS["2016-2017"]).model_copy(deep=True)
    other.metadata.fiscal_year = "2014-2015"
    with pytest.raises(UsageError, match="two different reports of the same year 2014-2015"):
        diff(report_2014, other)


def test_word_diff_segments():
    assert word_diff("a b c d", "a x c d e") == [
        ("=", "a"),
        ("-", "b"),
        ("+", "x"),
        ("=", "c d"),
        ("+", "e"),
    ]


def _statistic(value, counted, raw, time_ref=None, qualifiers=()):
    return Statistic(
        value=value,
        unit="count",
        counted=counted,
        qualifiers=list(qualifiers),
        time_ref=time_ref,
        section=Section.PROGRESS,
        raw=raw,
        sentence=f"{raw} {counted}.",
        provenance=Provenance(line=1, end_line=1),
    )


def test_statistics_whose_value_changed_for_the_same_thing_counted():
    old = [
        _statistic(31, "convictions", "31", "since 2005"),
        _statistic(8, "police agencies", "eight"),
        _statistic(5, "victims", "5", qualifiers=["foreign national"]),
    ]
    new = [
        _statistic(8, "Police agencies", "8"),
        _statistic(45, "convictions", "45", "since 2005"),
        _statistic(6, "victims", "6", qualifiers=["Canadian"]),
        _statistic(3, "workshops", "3"),
    ]
    changes = diff_statistics(old, new)
    assert [(c.counted, c.old["value"], c.new["value"]) for c in changes] == [
        ("convictions", 31, 45)
    ]


def _achievement(text):
    return Achievement(
        section=Section.FOREWORD,
        heading="Key achievements",
        departments=[],
        text=text,
        provenance=Provenance(line=1, end_line=1),
    )


def test_achievements_added_and_removed_reworded_ones_kept():
    old = [
        _achievement("Launch of the Tip Line."),
        _achievement("Publication of the Handbook for Criminal Justice Practitioners."),
    ]
    new = [
        _achievement("Publication of the handbook for criminal justice practitioners"),
        _achievement("A national workshop."),
    ]
    changes = diff_achievements(old, new)
    assert [(c.kind, c.achievement["text"]) for c in changes] == [
        ("removed", "Launch of the Tip Line."),
        ("added", "A national workshop."),
    ]
