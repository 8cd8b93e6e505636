"""query.py: filters, sorting and projection over flat records (library level)."""

from __future__ import annotations

import pytest

from htreport.analysis.filters import Filters, lead_department
from htreport.analysis.query import run, select, sort_records
from htreport.errors import UsageError
from htreport.model.records import (
    ACHIEVEMENT_FIELDS,
    DELIVERABLE_FIELDS,
    STATISTIC_FIELDS,
    achievement_records,
    deliverable_records,
    statistic_records,
)
from htreport.model.report import Achievement, Provenance, Section, Statistic


@pytest.fixture(scope="module")
def records(report_2014):
    return deliverable_records(report_2014)


def ids(records):
    return [record["id"] for record in records]


def led_by(report, department, program=None):
    """Deliverable ids computed from the model, not from the record labels the query uses."""
    return [
        item.id
        for *_, item in report.deliverables()
        if any(
            lead.department == department and (program is None or lead.program == program)
            for lead in item.leads
        )
    ]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"lead": ["CBSA"]}, 12),
        ({"lead": ["ESDC"]}, 13),
        ({"lead": ["TFWP"]}, 9),
        ({"status": ["in_progress"]}, 6),
        ({"new": True}, 8),
        ({"task": ["3.11"]}, 6),
    ],
)
def test_issue_counts(records, options, expected):
    assert len(select(records, "deliverables", Filters.parse(**options))) == expected


@pytest.mark.parametrize(
    ("term", "department", "program"),
    [
        ("CBSA", "CBSA", None),
        ("asfc", "CBSA", None),
        ("RCMP", "RCMP", None),
        ("GRC", "RCMP", None),
        ("ESDC", "ESDC", None),
        ("HRSDC", "ESDC", None),
        ("tfwp", "ESDC", "TFWP"),
        ("Labour Program", "ESDC", "Labour Program"),
        ("CIC", "IRCC", None),
        ("IRCC", "IRCC", None),
        ("Citizenship and Immigration Canada", "IRCC", None),
        ("IMP", "IRCC", "IMP"),
        ("DFATD", "GAC", None),
        ("AANDC", "INAC", None),
        ("SWC", "WAGE", None),
    ],
)
def test_lead_resolves_codes_aliases_french_former_names_and_programs(
    records, report_2014, term, department, program
):
    expected = led_by(report_2014, department, program)
    assert expected, f"no deliverable of {department} {program} in the report"
    assert ids(select(records, "deliverables", Filters.parse(lead=[term]))) == expected


def test_department_match_includes_every_program(records, report_2014):
    esdc = set(ids(select(records, "deliverables", Filters.parse(lead=["ESDC"]))))
    tfwp = set(ids(select(records, "deliverables", Filters.parse(lead=["TFWP"]))))
    assert tfwp < esdc
    assert esdc == set(led_by(report_2014, "ESDC"))


def test_repeated_values_are_or_and_filters_are_and(records):
    cbsa = set(ids(select(records, "deliverables", Filters.parse(lead=["CBSA"]))))
    rcmp = set(ids(select(records, "deliverables", Filters.parse(lead=["RCMP"]))))
    either = set(ids(select(records, "deliverables", Filters.parse(lead=["CBSA", "RCMP"]))))
    assert either == cbsa | rcmp
    ongoing = set(ids(select(records, "deliverables", Filters.parse(status=["ongoing"]))))
    both = ids(select(records, "deliverables", Filters.parse(lead=["CBSA"], status=["ongoing"])))
    assert set(both) == cbsa & ongoing
    assert 0 < len(both) < len(cbsa)


def test_status_pillar_and_section_values_are_normalised(records):
    assert (
        Filters.parse(status=["In progress"]).status == Filters.parse(status=["in-progress"]).status
    )
    prosecution = select(records, "deliverables", Filters.parse(pillar=["Prosecution"]))
    assert prosecution and all(r["pillar"] == "prosecution" for r in prosecution)
    assert {r["objective"] for r in prosecution} == {"3.1"}


def test_year_and_start_accept_every_usual_form(records):
    assert Filters.parse(year=["2014-15"]).year == ["2014-2015"]
    assert Filters.parse(year=["2014/2015"]).year == ["2014-2015"]
    assert Filters.parse(start=["2012/2013"]).start == ["2012-13"]
    assert len(select(records, "deliverables", Filters.parse(year=["2014-15"]))) == 72
    assert select(records, "deliverables", Filters.parse(year=["2015-2016"])) == []
    started = select(records, "deliverables", Filters.parse(start=["2012/13"]))
    assert started and all(r["start"] == "2012-13" for r in started)
    assert len(started) == sum(1 for r in records if r["start"] == "2012-13")


def test_grep_is_a_case_insensitive_regex_over_text_and_items(records):
    found = select(records, "deliverables", Filters.parse(grep=r"foreign\s+WORKERS?"))
    assert found and all(
        "foreign worker" in (r["text"] + " ".join(r["items"])).lower() for r in found
    )
    with_items = [r for r in records if r["items"]]
    word = with_items[0]["items"][0].split()[-1].strip(".,;")
    item_only = [r for r in records if word in " ".join(r["items"]) and word not in r["text"]]
    if item_only:  # a word found only in a sub-item must still be found
        assert item_only[0] in select(records, "deliverables", Filters.parse(grep=word))


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"lead": ["NOPE"]}, "--lead: unknown lead 'NOPE'; valid values: PS, RCMP"),
        (
            {"status": ["finished"]},
            "--status: unknown status 'finished'; valid values: ongoing, in_progress",
        ),
        ({"pillar": ["policy"]}, "--pillar: unknown pillar 'policy'; valid values: prevention"),
        ({"section": ["annex_z"]}, "--section: unknown section 'annex_z'"),
        ({"year": ["2014"]}, "--year: '2014' is not a fiscal year"),
        ({"start": ["2014-2016"]}, "--start: '2014-2016' is not a fiscal year"),
        ({"task": ["3"]}, "--task: '3' is not a task id"),
        ({"grep": "([a"}, "--grep: invalid regular expression '([a'"),
    ],
)
def test_bad_values_are_usage_errors_listing_valid_values(options, fragment):
    with pytest.raises(UsageError) as caught:
        Filters.parse(**options)
    assert fragment in str(caught.value)


def test_braces_in_a_value_do_not_break_the_message():
    with pytest.raises(UsageError, match=r"unknown lead '\{x\}'"):
        Filters.parse(lead=["{x}"])


def test_filters_that_do_not_apply_to_a_kind_are_refused():
    with pytest.raises(UsageError, match="--status does not apply to statistics"):
        select([], "statistics", Filters.parse(status=["ongoing"]))
    with pytest.raises(UsageError, match="--section does not apply to deliverables"):
        select([], "deliverables", Filters.parse(section=["foreword"]))


def test_sort_numeric_ids_descending_and_empty_last(records):
    by_id = sort_records(list(reversed(records)), "deliverables", "id")
    assert ids(by_id) == ids(records)  # report order is id order, with 1.11.10 after 1.11.9
    by_start = sort_records(records, "deliverables", "-start,id")
    starts = [r["start"] for r in by_start if r["start"]]
    assert starts == sorted(starts, reverse=True)
    assert all(r["start"] is None for r in by_start[len(starts) :])
    first_start = [r for r in by_start if r["start"] == starts[0]]
    assert ids(first_start) == sorted(ids(first_start), key=lambda i: tuple(map(int, i.split("."))))
    with pytest.raises(UsageError, match="--sort: unknown field 'colour'"):
        sort_records(records, "deliverables", "colour")


def test_fields_choose_and_order_columns(records):
    picked = run(records, "deliverables", Filters.parse(task=["3.11"]), fields=["status", "id"])
    assert [list(r) for r in picked] == [["status", "id"]] * 6
    with pytest.raises(
        UsageError, match="--fields: unknown field 'nope'.*valid fields: report, id"
    ):
        run(records, "deliverables", Filters(), fields=["nope"])


def test_lead_department_splits_labels():
    assert lead_department("ESDC (Labour Program)") == ("ESDC", "Labour Program")
    assert lead_department("RCMP") == ("RCMP", None)


def _with_prose(report):
    """The real report plus statistics and achievements built here from the models."""
    where = Provenance(line=40, end_line=40)
    statistics = [
        Statistic(
            value=31454,
            unit="count",
            counted="calls",
            section=Section.PROTECTION,
            raw="31,454",
            sentence="The hotline answered 31,454 calls.",
            departments=["PS"],
            provenance=where,
        ),
        Statistic(
            value=8,
            unit="count",
            counted="convictions",
            section=Section.PROSECUTION,
            raw="eight",
            sentence="Eight convictions were obtained by the RCMP.",
            departments=["RCMP"],
            provenance=where,
        ),
    ]
    achievements = [
        Achievement(
            section=Section.PREVENTION,
            heading="Key Achievements:",
            departments=["ESDC"],
            text="Overhauled the Temporary Foreign Worker Program.",
            provenance=where,
        ),
        Achievement(
            section=Section.PROSECUTION,
            heading="Key Achievements:",
            departments=["RCMP", "CBSA"],
            text="Joint operation Northern Spotlight.",
            provenance=where,
        ),
    ]
    return report.model_copy(update={"statistics": statistics, "achievements": achievements})


def test_statistic_and_achievement_records_and_filters(report_2014):
    report = _with_prose(report_2014)
    stats = statistic_records(report)
    wins = achievement_records(report)
    assert [list(r) for r in stats] == [list(STATISTIC_FIELDS)] * 2
    assert [list(r) for r in wins] == [list(ACHIEVEMENT_FIELDS)] * 2
    assert stats[0]["report"] == "2014-2015" and stats[0]["value"] == 31454
    assert [
        r["raw"] for r in select(stats, "statistics", Filters.parse(section=["prosecution"]))
    ] == ["eight"]
    assert [r["raw"] for r in select(stats, "statistics", Filters.parse(grep="HOTLINE"))] == [
        "31,454"
    ]
    assert [r["raw"] for r in select(stats, "statistics", Filters.parse(lead=["GRC"]))] == ["eight"]
    assert [r["section"] for r in select(wins, "achievements", Filters.parse(lead=["CBSA"]))] == [
        "prosecution"
    ]
    # achievements name departments only: a program selects its department
    assert [r["section"] for r in select(wins, "achievements", Filters.parse(lead=["TFWP"]))] == [
        "prevention"
    ]
    assert select(wins, "achievements", Filters.parse(year=["2013-14"])) == []


def test_real_report_statistics_and_achievements_are_all_records(report_2014):
    assert len(statistic_records(report_2014)) == len(report_2014.statistics)
    assert len(achievement_records(report_2014)) == len(report_2014.achievements)
    for record, statistic in zip(
        statistic_records(report_2014), report_2014.statistics, strict=True
    ):
        assert (record["sentence"], record["line"]) == (
            statistic.sentence,
            statistic.provenance.line,
        )


def test_deliverable_record_keys_are_kept(records):
    assert all(list(r) == list(DELIVERABLE_FIELDS) for r in records)
