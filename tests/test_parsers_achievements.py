"""Key Achievements lists of the 2014-2015 report (parsers/achievements.py, parsers/prose.py)."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from htreport.model.departments import registry
from htreport.model.report import Section
from htreport.parsers.prose import departments_named
from htreport.pipeline import extract

from .conftest import HERE, PDF_REPORT, RAW_DIR, RAW_REPORT

GOLDEN = HERE / "golden" / "nap-2014-2015-achievements.yaml"


def test_nineteen_items_in_six_lists(report_2014) -> None:
    lists = Counter((a.section, a.heading) for a in report_2014.achievements)
    assert list(lists.items()) == [
        (
            (
                Section.FOREWORD,
                "Key achievements in support of the National Action Plan in 2014-2015 include:",
            ),
            9,
        ),
        ((Section.PREVENTION, "2014-2015 Key Achievements:"), 4),
        ((Section.PREVENTION, "Key GAC Achievement:"), 1),
        ((Section.PROTECTION, "2014-2015 Key Achievements:"), 2),
        ((Section.PARTNERSHIPS, "2014-2015 Key Achievements:"), 1),
        ((Section.PARTNERSHIPS, "Key GAC Partnerships:"), 2),
    ]
    assert len(report_2014.achievements) == 19


def test_safekeeping_bullet_is_whole(report_2014) -> None:
    (item,) = [a for a in report_2014.achievements if a.text.startswith("Project SAFEKEEPING")]
    assert item.section is Section.FOREWORD
    assert (
        "pertaining to investigating this crime, are also included in this report. Overall,"
        in item.text
    )
    assert item.text.endswith("in their fight against this crime.")
    assert (item.provenance.line, item.provenance.end_line) == (54, 56)
    assert item.departments == ["RCMP"]  # Human Trafficking National Coordination Centre


def test_last_part_one_bullet_is_whole_without_footnotes(report_2014) -> None:
    part_one = [a for a in report_2014.achievements if a.heading == "2014-2015 Key Achievements:"]
    last = [a for a in part_one if a.section is Section.PREVENTION][-1]
    assert last.text == (
        "The provision of funding to a number of international organizations and non-governmental "
        "organizations (NGOs) that work with governments to address human trafficking, with a core "
        "focus on prevention, protection and rehabilitation of trafficking victims."
    )
    assert (last.provenance.line, last.provenance.end_line) == (132, 138)
    for achievement in report_2014.achievements:  # no footnote text glued into any item
        assert "Membership consists of" not in achievement.text
        assert "compendium" not in achievement.text
        assert not any(mark in achievement.text for mark in "¹²³⁴⁵⁶⁷⁸⁹")


def test_departments_are_resolved(report_2014) -> None:
    by_start = {" ".join(a.text.split()[:2]): a for a in report_2014.achievements}
    assert by_start["Comprehensive overhaul"].departments == ["ESDC"]  # TFWP
    assert by_start["Making available"].departments == ["JUS"]  # Justice Canada Victims Fund
    gac = [a for a in report_2014.achievements if "GAC" in a.heading]
    assert len(gac) == 3 and all(a.departments[0] == "GAC" for a in gac)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("The RCMP HTNCC and ESDC (Labour Program) have partnered", ["RCMP", "ESDC"]),
        ("available on Justice Canada's website", ["JUS"]),
        ("criminal justice practitioners and the development of tools", []),
        ("Development of a Threat/Risk Assessment for Border Five agencies", []),
        ("supported by Public Safety Canada and the Human Trafficking Taskforce", ["PS", "HTT"]),
    ],
)
def test_departments_named_in_prose(text: str, codes: list[str]) -> None:
    assert departments_named(text, registry()) == codes


def test_other_seeds_have_no_key_achievements() -> None:
    for path in sorted(RAW_DIR.glob("*.txt")):
        if path != RAW_REPORT:
            assert extract(path).achievements == []


def test_same_achievements_from_the_pdf(report_2014) -> None:
    pytest.importorskip("htreport.readers.pdf")
    pdf = extract(PDF_REPORT)
    assert [a.model_dump(exclude={"provenance"}) for a in pdf.achievements] == [
        a.model_dump(exclude={"provenance"}) for a in report_2014.achievements
    ]


def test_golden_achievements(report_2014, update_golden: bool) -> None:
    """The whole list, as committed; rerun with --update-golden after a deliberate change."""
    data = [a.model_dump(mode="json", exclude_none=True) for a in report_2014.achievements]
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if update_golden:
        GOLDEN.write_text(text, "utf-8")
    assert GOLDEN.read_text("utf-8") == text
