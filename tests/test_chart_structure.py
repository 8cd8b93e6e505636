"""The chart's structure always gives what `validate` accepts: unique ids and keys, task ids that
extend their objective's, every row kept (issues 12 and 20).

Page breaks repeat rows and headings, captures drop pillar headings, charts number tasks
oddly: each is merged, renumbered or kept under the `unknown` pillar with a warning at its
line, never a traceback and never a duplicate id. The property test generates such charts.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import htreport
from htreport.cli import app
from htreport.pipeline import extract_document
from htreport.readers.text import read_text
from htreport.store import io
from htreport.store.validate import validate_text

HEADER = "Task\tDeliverable\tTimeline\tStatus\tLead"


def chart(*lines: str) -> str:
    return "\n".join(["ANNEX A", "", "Action Items Chart", "", *lines, "", "ANNEX B: Links", ""])


def extract_text(text: str):
    return extract_document(read_text(text.encode("utf-8"), name="chart.txt"))


def assert_writes_what_validate_accepts(report) -> None:
    """The output passes validate, reloads equal, and dumps as strict JSON."""
    text = io.dumps(report, "yaml")
    found = validate_text(text, "yaml", file="chart.yaml")
    assert found.issues == [], [str(issue) for issue in found.issues]
    assert io.loads(text) == report
    json.loads(
        io.dumps(report, "json"),
        parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)),
    )


def codes(report) -> list[str]:
    return [warning.code for warning in report.warnings]


def ids(report) -> list[str]:
    return [deliverable.id for *_, deliverable in report.deliverables()]


def test_issue_12_objective_with_no_pillar_is_kept_under_unknown(runner, tmp_path):
    text = chart(
        "Objective 5.1: Something beyond the four Ps.",
        HEADER,
        "5.11 Do it.\tA deliverable.\tStart: 2012/13\tOngoing\tPS",
    )
    report = extract_text(text)
    [pillar] = report.annex.pillars
    assert pillar.pillar == "unknown" and ids(report) == ["5.11.1"]
    assert "missing-pillar" in codes(report)
    assert_writes_what_validate_accepts(report)
    source = tmp_path / "chart.txt"
    source.write_text(text, "utf-8")
    result = runner.invoke(app, ["extract", str(source)])
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert (
        f"warning: {source}:5: [missing-pillar] objective 5.1 has no pillar heading"
        in result.stderr
    )


def test_issue_12_task_with_no_objective_nor_pillar_is_kept():
    report = extract_text(chart(HEADER, "5.11 Do it.\tA deliverable.\tStart: 2012/13\tOngoing\tPS"))
    assert ids(report) == ["5.11.1"] and report.annex.pillars[0].pillar == "unknown"
    assert {"missing-objective", "missing-pillar"} <= set(codes(report))
    assert_writes_what_validate_accepts(report)


def test_issue_20_task_row_printed_twice_is_written_once():
    row = "1.11 Raise awareness.\tDistribute posters.\tStart: 2012/13\tOngoing\tPS"
    report = extract_text(chart("PREVENTION", "Objective 1.1: Prevent.", HEADER, row, HEADER, row))
    assert ids(report) == ["1.11.1"]
    assert "repeated-row" in codes(report)
    assert_writes_what_validate_accepts(report)


def test_issue_20_task_restated_after_a_page_break_keeps_its_new_rows():
    report = extract_text(
        chart(
            "PREVENTION",
            "Objective 1.1: Prevent.",
            HEADER,
            "1.11 Raise awareness.\tDistribute posters.\tStart: 2012/13\tOngoing\tPS",
            HEADER,
            "1.11 Raise awareness.\tTrain officers.\tStart: 2013/14\tCompleted\tRCMP",
        )
    )
    assert ids(report) == ["1.11.1", "1.11.2"]
    assert "repeated-task" in codes(report)
    assert_writes_what_validate_accepts(report)


def test_issue_20_objective_heading_repeated_before_the_next_task():
    report = extract_text(
        chart(
            "PREVENTION",
            "Objective 1.1: Prevent.",
            HEADER,
            "1.11 Raise awareness.\tDistribute posters.\tStart: 2012/13\tOngoing\tPS",
            "Objective 1.1: Prevent.",
            HEADER,
            "1.12 Train.\tTrain officers.\tStart: 2013/14\tCompleted\tRCMP",
        )
    )
    [objective] = report.annex.pillars[0].objectives
    assert [task.id for task in objective.tasks] == ["1.11", "1.12"]
    assert "repeated-objective" in codes(report)
    assert_writes_what_validate_accepts(report)


def test_issue_20_task_numbered_like_its_objective_is_renumbered():
    report = extract_text(
        chart(
            "PREVENTION",
            "Objective 1.1: Prevent.",
            HEADER,
            "1.1 Raise awareness.\tDistribute posters.\tStart: 2012/13\tOngoing\tPS",
        )
    )
    assert ids(report) == ["1.11.1"] and "renumbered-task" in codes(report)
    assert_writes_what_validate_accepts(report)


def test_a_five_pillar_chart_keeps_its_own_numbering():
    report = extract_text(
        chart(
            "EMPOWERMENT",
            "Objective 1.1: Empower victims.",
            HEADER,
            "1.11 Fund.\tFund survivor-led groups.\tStart: 2019/20\tOngoing\tWAGE",
            "PREVENTION",
            "Objective 2.1: Prevent.",
            HEADER,
            "2.11 Raise awareness.\tRun a campaign.\tStart: 2019/20\tOngoing\tPS",
        )
    )
    assert [(p.pillar, [o.id for o in p.objectives]) for p in report.annex.pillars] == [
        ("empowerment", ["1.1"]),
        ("prevention", ["2.1"]),
    ]
    assert "missing-pillar" not in codes(report)
    assert_writes_what_validate_accepts(report)


# -- the property: any chart made of these pieces, in any order, writes valid data ----------

PILLARS = ["PREVENTION", "PROTECTION", "PROSECUTION", "PARTNERSHIPS", "EMPOWERMENT"]
pieces = st.one_of(
    st.sampled_from(PILLARS),
    st.builds("Objective {}.{}: An aim.".format, st.integers(1, 6), st.integers(1, 3)),
    st.just(HEADER),
    st.builds(
        "{}.{}{} Task text.\t{}\tStart: 2012/13\t{}\tPS".format,
        st.integers(1, 6),
        st.integers(1, 3),
        st.sampled_from(["", "1", "2", "11"]),
        st.sampled_from(["Do one thing.", "Do another thing.", ""]),
        st.sampled_from(["Ongoing", "Completed", ""]),
    ),
    st.sampled_from(["\tcontinued text\t\t\t", "\tNEW: A new row.\tStart: 2014/15\tOngoing\tRCMP"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(pieces, min_size=1, max_size=25))
def test_any_chart_extracts_to_what_validate_accepts(lines):
    report = extract_text(chart(*lines))
    assert_writes_what_validate_accepts(report)


def test_the_shipped_report_is_unchanged_by_these_rules(report_2014):
    assert len(report_2014.deliverables()) == 72
    assert not {"repeated-row", "repeated-task", "repeated-objective", "renumbered-task"} & set(
        codes(report_2014)
    )
    assert htreport.loads(htreport.dumps(report_2014)) == report_2014
