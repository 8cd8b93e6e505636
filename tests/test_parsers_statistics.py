"""Statistics of the 2014-2015 report and the other seed documents (parsers/statistics.py)."""

from __future__ import annotations

import re

import pytest
import yaml

from htreport.model.report import Section, Statistic
from htreport.parsers.statistics import find_numbers
from htreport.pipeline import extract

from .conftest import HERE, PDF_REPORT, RAW_DIR, RAW_REPORT

GOLDEN = HERE / "golden" / "nap-2014-2015-statistics.yaml"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)


def _find(report, raw: str, counted: str | None = None) -> list[Statistic]:
    return [
        s for s in report.statistics if s.raw == raw and (counted is None or s.counted == counted)
    ]


def test_cases_victims_accused(report_2014) -> None:
    cases, victims, accused = (_find(report_2014, raw)[0] for raw in ("90", "208", "117"))
    assert (cases.value, victims.value, accused.value) == (90, 208, 117)
    assert cases.counted == "human trafficking-specific cases completed"
    assert (victims.counted, accused.counted) == ("victims", "accused")
    for statistic in (cases, victims, accused):
        assert statistic.unit == "count"
        assert statistic.time_ref == "since 2005"
        assert statistic.section is Section.INTRODUCTION
        assert statistic.provenance.line == 102
    # the bullet below takes its time reference from the list's lead-in "(to August 2015)"
    before_courts = _find(report_2014, "180")[0]
    assert before_courts.qualifiers == ["approximately"]
    assert before_courts.time_ref == "to August 2015"


def test_project_combative_results(report_2014) -> None:
    results = [s for s in report_2014.statistics if 219 <= s.provenance.line <= 227]
    assert [(s.value, s.counted) for s in results] == [
        (29, "people arrested"),
        (20, "people charged"),
        (108, "charges laid"),
        (8, "guilty pleas"),
        (6, "convictions"),
        (2, "outstanding arrest warrants"),
        (3, "before the courts"),
        (5, "people leaving Canada"),
        (4, "victims"),
    ]
    assert {s.section for s in results} == {Section.PROSECUTION}
    assert [s.raw for s in results][3] == "eight"


def test_damaged_number_is_repaired_with_a_warning(report_2014) -> None:
    (toolkits,) = _find(report_2014, "31, 454")
    assert toolkits.value == 31454
    assert toolkits.counted == "toolkits"
    assert toolkits.qualifiers == ["approximately"]
    assert toolkits.time_ref == "since 2013"
    assert toolkits.provenance.line == 146
    repairs = [w for w in report_2014.warnings if w.code == "repaired-number"]
    assert [(w.line, w.message) for w in repairs] == [
        (146, "read '31, 454' as 31,454 (a space inside a thousands group)")
    ]


def test_victims_fund_amount(report_2014) -> None:
    fund = [s for s in report_2014.statistics if "Victims Fund" in s.sentence and s.unit == "CAD"]
    assert [(s.value, s.qualifiers, s.provenance.line) for s in fund] == [
        (500_000, ["up to", "annually"], 182),
        (500_000, ["up to", "annually"], 185),
    ]
    assert fund[1].time_ref == "as of April 1, 2013"
    assert all(s.raw == "$500,000" and s.departments == ["JUS"] for s in fund)


@pytest.mark.parametrize(
    ("raw", "value", "counted"),
    [("eight", 8, "guilty pleas"), ("Twenty-six", 26, "police agencies"), ("Nine", 9, "people")],
)
def test_number_words(report_2014, raw: str, value: int, counted: str) -> None:
    (statistic,) = _find(report_2014, raw, counted)
    assert statistic.value == value
    assert statistic.unit == "count"


def test_money_in_millions(report_2014) -> None:
    money = {s.raw: s for s in report_2014.statistics if s.unit == "CAD"}
    assert money["$5 million"].value == 5_000_000
    assert money["$5 million"].qualifiers == ["over two years"]
    assert money["$1.5 million"].value == 1_500_000
    assert money["$200 million"].qualifiers == ["over 5 years"]


def test_no_year_date_page_or_phone_number(report_2014) -> None:
    text = RAW_REPORT.read_text("utf-8")
    assert "1-855-850-4640" in text and "Foreword\t1" in text  # the traps are there
    for statistic in report_2014.statistics:
        assert not re.fullmatch(r"(?:19|20)\d\d", statistic.raw), statistic
        assert not re.search(r"\d[-/–]|[-/–]\d", statistic.raw), statistic  # ranges, phones
        position = statistic.sentence.index(statistic.raw)
        assert not re.search(rf"{_MONTH}\s+$", statistic.sentence[:position]), statistic
        assert not re.match(rf"\s+{_MONTH}", statistic.sentence[position + len(statistic.raw) :])
        assert not 66 <= statistic.provenance.line <= 80, statistic  # table of contents
        assert statistic.section is not Section.ANNEX_A
        assert statistic.raw in statistic.sentence


@pytest.mark.parametrize(
    "text",
    [
        "It was launched on June 6, 2012 and covers April 1, 2014 - March 31, 2015.",
        "Call 1-855-850-4640 or (613) 555-1234, or see http://example.gc.ca/2015/10/x.pdf.",
        "See Chapter 8, section 3 and targets 5.2, 8.7, and 16 of resolution 1325.",
        "The 52nd Annual conference and the 7th Conference of the G20 in 2014-2015.",
        "The '4-Ps' approach, a two-day blitz, the ISBN 1437905226 and reference [3].",
        "The ban lasts one, two, five, ten years, for youth (ages 12-25) in Border Five countries.",
        "One of them did it, and one focusing on labour on March 26-27, 2015 at 9:30.",
    ],
)
def test_not_statistics(text: str) -> None:
    assert find_numbers(text) == []


def test_statistics_from_prose_forms() -> None:
    found = find_numbers(
        "Over 330 females, 12% of them, received $57.22 million and C$8M; "
        "Seventeen agencies and 10 million people."
    )
    assert [(n.raw, n.value, n.unit) for n in found] == [
        ("330", 330, "count"),
        ("12%", 12, "percent"),
        ("$57.22 million", 57_220_000, "CAD"),
        ("C$8M", 8_000_000, "CAD"),
        ("Seventeen", 17, "count"),
        ("10 million", 10_000_000, "count"),
    ]


def test_other_seeds_give_statistics_and_no_traps() -> None:
    strategy = extract(RAW_DIR / "ps-national-strategy-2019.txt")
    assert [(s.raw, s.value, s.unit, s.qualifiers) for s in strategy.statistics] == [
        ("$57.22 million", 57_220_000, "CAD", ["over five years"]),
        ("$10.28 million", 10_280_000, "CAD", ["annually"]),
        ("200", 200, "count", ["over"]),
    ]
    assert strategy.statistics[2].counted == "stakeholders"
    wikipedia = extract(RAW_DIR / "wikipedia-iwg-tip.txt")
    assert [(s.raw, s.counted) for s in wikipedia.statistics] == [
        ("Seventeen", "agencies"),
        ("14", "languages"),
    ]
    community = extract(RAW_DIR / "government-community-responses.txt")
    assert [(s.raw, s.counted) for s in community.statistics] == [("ten", "recommendations")]
    justice = extract(RAW_DIR / "justice-interdepartmental-working-group.txt")
    assert [(s.value, s.counted) for s in justice.statistics] == [
        (17, "different government departments")
    ]
    for report in (strategy, wikipedia, community, justice):
        assert all(s.section is Section.BODY for s in report.statistics)


def test_same_statistics_whatever_the_line_endings_and_encoding(tmp_path, report_2014) -> None:
    data = RAW_REPORT.read_bytes().decode("utf-8")
    variant = tmp_path / "crlf-bom.txt"
    variant.write_bytes(b"\xef\xbb\xbf" + data.replace("\n", "\r\n").encode("utf-8"))
    assert extract(variant).statistics == report_2014.statistics
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(data.encode("utf-16"))
    assert extract(utf16).statistics == report_2014.statistics


def test_same_statistics_with_other_page_breaks(tmp_path, report_2014) -> None:
    """A page foot (footnotes ³ and ⁴) moved into another paragraph of the same Part changes
    no statistic: the cut paragraph is whole again and the footnotes stay out of it."""
    lines = RAW_REPORT.read_text("utf-8").split("\n")
    footnotes = [line for line in lines if re.match("^[³⁴]", line)]
    body = [line for line in lines if line not in footnotes]
    cut = next(i for i, line in enumerate(body) if "approximately **31, 454**" in line)
    head, tail = body[cut].split(" toolkits", 1)
    body[cut : cut + 1] = [head, "", *footnotes, "", "toolkits" + tail]
    variant = tmp_path / "moved.txt"
    variant.write_text("\n".join(body), "utf-8")

    def content(report):
        return [s.model_dump(exclude={"provenance"}) for s in report.statistics]

    assert content(extract(variant)) == content(report_2014)


def test_same_statistics_from_the_pdf(report_2014) -> None:
    pytest.importorskip("htreport.readers.pdf")
    pdf = extract(PDF_REPORT)
    assert [s.model_dump(exclude={"provenance"}) for s in pdf.statistics] == [
        s.model_dump(exclude={"provenance"}) for s in report_2014.statistics
    ]
    assert all(s.provenance.page for s in pdf.statistics)


def test_golden_statistics(report_2014, update_golden: bool) -> None:
    """The whole statistics list, as committed; rerun with --update-golden after a deliberate change."""
    data = [s.model_dump(mode="json", exclude_none=True) for s in report_2014.statistics]
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if update_golden:
        GOLDEN.write_text(text, "utf-8")
    assert GOLDEN.read_text("utf-8") == text


#: One case per class of what is not a statistic (docs/documents.md), each with a number that
#: does count beside it, so the rule must tell them apart.
NOT_A_STATISTIC = [
    ("file size in a link", "PDF Version (927 KB) of the report on 40 projects", ["40"]),
    ("file size", "Download the 2.3 MB file or the 512 bytes summary for 40 projects", ["40"]),
    ("list item number", "1. Public Safety Canada hosted 3 roundtables", ["3"]),
    ("list item number", "2) The Fund supported 8 projects", ["8"]),
    ("enumeration", "Its pillars are 1. prevention; 2. protection; and 3. 12 partners", ["12"]),
    ("enumeration", "around 1) awareness, 2) survivors and 3) 40 charges", ["40"]),
    ("section number", "Action Area 1: 14 communities were reached", ["14"]),
    ("section number", "Pillar 5 and Table 2 show 30 agreements", ["30"]),
    ("page furniture", "5 downloads 22 Views Shares: 14 and 3 comments on 60 cases", ["60"]),
    (
        "a decimal with a multiplier counts",
        "The campaign reached 2.3 million Canadians",
        ["2.3 million"],
    ),
]


@pytest.mark.parametrize(
    ("text", "kept"), [(t, k) for _, t, k in NOT_A_STATISTIC], ids=[c for c, *_ in NOT_A_STATISTIC]
)
def test_what_is_not_a_statistic(text: str, kept: list[str]) -> None:
    assert [n.raw for n in find_numbers(text)] == kept


def test_contents_without_a_heading_give_no_statistics(tmp_path) -> None:
    """A run of short lines ending with page numbers is a table of contents, heading or not;
    a single such line is not, and dot leaders mark an entry on their own."""
    source = tmp_path / "contents.txt"
    source.write_text(
        "Some Report Title Here\n\nMessage from the Minister 1\n\nIntroduction 3\n\n"
        "Key results 7\n\nAnnex ........ 12\n\nVictims identified 45\n\n"
        "The Fund supported 8 projects.\n",
        "utf-8",
    )
    assert [s.raw for s in extract(source).statistics] == ["45", "8"]
