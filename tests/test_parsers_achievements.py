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


def _achievements(text: str, *, headings: tuple[int, ...] = ()):
    """Achievements and warnings of `text`; lines numbered in `headings` are marked headings."""

    from htreport.pipeline import extract_document
    from htreport.readers.text import read_text

    document = read_text(text.encode("utf-8"), name="case.txt")
    document.lines = [
        line._replace(kind="heading", level=2) if line.lineno in headings else line
        for line in document.lines
    ]
    report = extract_document(document)
    return report.achievements, [w for w in report.warnings if w.code == "empty-achievements"]


def test_a_missing_list_gives_a_warning_not_the_sentence_after_it() -> None:
    items, warnings = _achievements(
        "Key achievements in support of the National Action Plan in 2013-2014 include:\n\n"
        "These achievements and others undertaken in 2013-2014 are outlined in the following "
        "pages.\n"
    )
    assert items == []
    assert [(w.line, w.message) for w in warnings] == [
        (
            1,
            "no achievement follows the heading 'Key achievements in support of the National "
            "Action Plan in 2013-2014 include:'",
        )
    ]


def test_a_title_heading_takes_its_paragraph_unless_it_speaks_of_the_list() -> None:
    items, warnings = _achievements(
        "Key achievements:\n\nThe Hotline answered 1,250 calls.\n\nMore prose follows.\n"
    )
    assert [a.text for a in items] == ["The Hotline answered 1,250 calls."]
    items, warnings = _achievements(
        "2019-2020 Key Achievements:\n\nThese achievements are described below.\n"
    )
    assert items == [] and len(warnings) == 1


def test_a_marked_heading_takes_every_paragraph_up_to_the_next_heading() -> None:
    items, warnings = _achievements(
        "Key achievements\n\nThe Hotline answered 1,250 calls.\n\n"
        "WAGE funded 63 projects.\n\nNext steps\n\nThe work goes on.\n",
        headings=(1, 7),
    )
    assert [(a.text, a.departments) for a in items] == [
        ("The Hotline answered 1,250 calls.", []),
        ("WAGE funded 63 projects.", ["WAGE"]),
    ]
    assert warnings == []


def test_list_items_marked_by_a_reader_are_items() -> None:

    from htreport.pipeline import extract_document
    from htreport.readers.text import read_text

    document = read_text(
        b"Key Achievements:\nISC supported 14 projects.\nPCH reached 2.3 million Canadians.\n",
        name="case.txt",
    )
    document.lines = [
        line._replace(kind="item") if line.lineno > 1 else line for line in document.lines
    ]
    achievements = extract_document(document).achievements
    assert [(a.text, a.departments) for a in achievements] == [
        ("ISC supported 14 projects.", ["ISC"]),
        ("PCH reached 2.3 million Canadians.", ["PCH"]),
    ]
