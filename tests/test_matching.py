"""Cross-year matching over the generated pairs: exactly the true matches, one to one."""

from __future__ import annotations

import pytest

from htreport.analysis import overrides
from htreport.analysis.matching import (
    MOVED_THRESHOLD,
    TASK_THRESHOLD,
    carry_keys,
    match_reports,
    normalize,
    similarity,
)

from .diffpairs import PAIRS, RAW_REPORT, extracted, forcing_overrides, pair


def _ids(report):
    return [d.id for _p, _o, _t, d in report.deliverables()]


def _matched(old, new, result) -> dict[str, str]:
    old_ids, new_ids = _ids(old), _ids(new)
    return {old_ids[p.old]: new_ids[p.new] for p in result.pairs}


@pytest.mark.parametrize("name", list(PAIRS))
def test_matches_are_exactly_the_true_ones_with_overrides(name):
    old, new, truth = pair(name)
    result = match_reports(old, new, forcing_overrides(name))
    assert _matched(old, new, result) == truth["matches"]
    assert sorted(_ids(old)[i] for i in result.removed) == sorted(truth["removed"])
    assert sorted(_ids(new)[i] for i in result.added) == sorted(truth["added"])


@pytest.mark.parametrize("name", list(PAIRS))
def test_without_overrides_only_the_unrecognisable_rewrites_are_missed(name):
    old, new, truth = pair(name)
    result = match_reports(old, new)
    expected = {o: n for o, n in truth["matches"].items() if o not in truth["needs_override"]}
    assert _matched(old, new, result) == expected  # no false match, no other miss
    missed = {truth["matches"][o] for o in truth["needs_override"]}
    assert sorted(_ids(new)[i] for i in result.added) == sorted(set(truth["added"]) | missed)


def test_one_to_one_even_for_near_twins():
    """2.13.6 and 2.14.2 differ by two words; 2.13.6 is dropped and must not steal 2.14.2."""
    old, new, _truth = pair("2015-2016")
    result = match_reports(old, new)
    assert (
        len({p.old for p in result.pairs})
        == len({p.new for p in result.pairs})
        == len(result.pairs)
    )
    assert _matched(old, new, result)["2.14.2"] == "2.14.2"
    assert "2.13.6" in [_ids(old)[i] for i in result.removed]


def test_methods_and_scores():
    old, new, _truth = pair("2015-2016")
    by_old = {_ids(old)[p.old]: p for p in match_reports(old, new).pairs}
    assert by_old["1.11.1"].method == "exact" and by_old["1.11.1"].score == 1.0
    assert by_old["1.11.2"].method == "task" and TASK_THRESHOLD <= by_old["1.11.2"].score < 0.8
    assert by_old["1.12.3"].method == "moved" and by_old["1.12.3"].score >= MOVED_THRESHOLD
    assert by_old["4.11.6"].method == "exact"  # moved as is


def test_different_deliverables_of_one_report_stay_below_the_task_threshold():
    """The documented margin: apart from the near-twins, no two rows of the real chart are similar."""
    rows = [(t.id, d) for _p, _o, t, d in extracted(RAW_REPORT).deliverables()]
    worst = max(
        similarity(a.text, b.text)
        for i, (_ta, a) in enumerate(rows)
        for _tb, b in rows[i + 1 :]
        if {a.id, b.id} != {"2.13.6", "2.14.2"}
    )
    assert worst < TASK_THRESHOLD


def test_forbid_keeps_a_pair_apart():
    old, new, _truth = pair("2015-2016")
    text = "forbid:\n  - old: 2014-2015/1.11.2\n    new: 2015-2016/1.11.2\n"
    result = match_reports(old, new, overrides.loads(text, "m.yaml"))
    assert "1.11.2" not in _matched(old, new, result)
    assert "1.11.2" in [_ids(old)[i] for i in result.removed]


def test_keys_are_carried_forward():
    old, new, truth = pair("2015-2016")
    result = match_reports(old, new)
    carried = carry_keys(old, new, result)
    keys = {d.id: d.key for _p, _o, _t, d in carried.deliverables()}
    for old_id, new_id in truth["matches"].items():
        if old_id not in truth["needs_override"]:
            assert keys[new_id] == f"2014-2015/{old_id}"
    for new_id in truth["added"]:
        assert keys[new_id] == f"2015-2016/{new_id}"
    assert all(
        d.key.startswith("2015-2016/") for _p, _o, _t, d in new.deliverables()
    )  # input untouched


def test_carried_keys_match_by_key_next_time():
    """A NEW file that already carries keys (written by --write-keys) is matched by key."""
    old, new, _truth = pair("2015-2016")
    carried = carry_keys(old, new, match_reports(old, new))
    result = match_reports(old, carried)
    assert {p.method for p in result.pairs} == {"key"}


def test_normalize_and_similarity():
    assert normalize("  NEW  Tool-kit, for   CBSA. ") == "new tool kit for cbsa"
    assert similarity("Update of EN manual.", "update of en manual") == 1.0
    assert similarity("Provide regular briefings.", "Publish data on offenders.") < 0.5
