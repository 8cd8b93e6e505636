"""The fifth pillar of the National Strategy 2019-2024, empowerment, beside the four Ps."""

from __future__ import annotations

import copy
import json

import pytest

from htreport.model.report import Pillar, Section
from htreport.parsers.sections import section_of_heading
from htreport.pipeline import extract_document
from htreport.readers.text import read_text
from htreport.store import io
from htreport.store.validate import validate_file

HEADER = "Task\tDeliverable\tTimeline\tStatus\tLead"
FIVE_PILLAR_CHART = "\n".join(
    [
        "National Strategy to Combat Human Trafficking",
        "Annual Report 2019-2020",
        "",
        "ANNEX A",
        "",
        "Action Items Chart",
        "",
        "EMPOWERMENT",
        "",
        "Objective 1.1: Support victims and survivors.",
        "",
        HEADER,
        "1.11 Fund a national hotline\tLaunch the hotline\t2019-20\tCompleted\tPS",
        "",
        "Objective 1.2: Support survivors to regain their independence.",
        "",
        HEADER,
        "1.21 Trauma-informed services\tFund services with Indigenous partners\t2019-20\tOngoing\tISC, CIRNAC",
        "",
        "Annex B: Resources and Links",
    ]
)


def _five_pillar_report():
    return extract_document(read_text(FIVE_PILLAR_CHART.encode("utf-8"), name="ns.txt"))


def test_a_chart_with_the_fifth_pillar() -> None:
    report = _five_pillar_report()
    assert [(p.pillar, p.heading) for p in report.annex.pillars] == [
        (Pillar.EMPOWERMENT, "EMPOWERMENT")
    ]
    assert [o.id for o in report.annex.pillars[0].objectives] == ["1.1", "1.2"]
    leads = [[lead.department for lead in d.leads] for *_, d in report.deliverables()]
    assert leads == [["PS"], ["ISC", "CIRNAC"]]
    assert not [w for w in report.warnings if w.code in ("unresolved-lead", "missing-pillar")]


def test_the_four_ps_keep_their_order_and_numbers(report_2014) -> None:
    assert [p.pillar for p in report_2014.annex.pillars] == [
        Pillar.PREVENTION,
        Pillar.PROTECTION,
        Pillar.PROSECUTION,
        Pillar.PARTNERSHIPS,
    ]
    assert list(Pillar)[:4] == [p.pillar for p in report_2014.annex.pillars]


def test_a_five_pillar_chart_validates_without_4p_numbering(tmp_path) -> None:
    """With empowerment first, prevention objectives are numbered 2.x: not an error there, as it
    is in a 4-P chart."""
    data = io.to_data(_five_pillar_report())
    empowerment = data["annex"]["pillars"][0]
    prevention = copy.deepcopy(empowerment)
    prevention.update(pillar="prevention", heading="PREVENTION")
    objective = prevention["objectives"][0]
    objective["id"], objective["tasks"] = "2.1", objective["tasks"][:1]
    task = objective["tasks"][0]
    task["id"] = "2.11"
    for number, deliverable in enumerate(task["deliverables"], start=1):
        deliverable.update(id=f"2.11.{number}", key=f"2019-2020/2.11.{number}")
    prevention["objectives"] = [objective]
    five = tmp_path / "2019-2020.yaml"
    five.write_text(
        json.dumps({**data, "annex": {**data["annex"], "pillars": [empowerment, prevention]}})
    )
    assert [issue.code for issue in validate_file(five).issues] == []
    four = tmp_path / "2019-2020--four.yaml"
    four.write_text(json.dumps({**data, "annex": {**data["annex"], "pillars": [prevention]}}))
    assert [issue.code for issue in validate_file(four).issues] == ["objective-id"]


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("Empowerment", Section.EMPOWERMENT),
        ("Pillar 1: Empowerment", Section.EMPOWERMENT),
        ("Pillar 2 - Prevention", Section.PREVENTION),
        ("Partnerships", Section.PARTNERSHIPS),
        ("The Protection Pillar", Section.PROTECTION),
        ("Part V: Partnerships", Section.PARTNERSHIPS),
        ("Part I: Prevention", Section.PREVENTION),
        ("Part II: Protection and Assistance for Victims", Section.PROTECTION),
        ("Empowerment of survivors is a priority", None),
    ],
)
def test_pillar_headings_name_sections(heading: str, section: Section | None) -> None:
    assert section_of_heading(heading) == section
