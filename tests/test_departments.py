"""The department registry and the lead forms of the 2014-2015 report."""

from __future__ import annotations

import pytest

from htreport.model.departments import Match, registry

LEAD_FORMS = [
    ("SWC INAC", ["WAGE", "INAC"], None),
    ("GAC JUS", ["GAC", "JUS"], None),
    ("IRCC(IM P)", ["IRCC (IMP)"], None),
    ("IRCC , CBSA", ["IRCC", "CBSA"], None),
    ("CBSA,IRCC", ["CBSA", "IRCC"], None),
    ("IRCC,", ["IRCC"], None),
    ("GAC and others, IRCC", ["GAC", "IRCC"], "and others"),
    ("PS (in consult with HTT)", ["PS"], "in consult with HTT"),
    ("PS, RCMP, (in collaboration with the HTT)", ["PS", "RCMP"], "in collaboration with the HTT"),
    ("ESDC (TFWP) IRCC (IMP)", ["ESDC (TFWP)", "IRCC (IMP)"], None),
    ("ESDC (TFWP) IRCC(IM P)", ["ESDC (TFWP)", "IRCC (IMP)"], None),
    ("GAC PS, RCMP, JUS", ["GAC", "PS", "RCMP", "JUS"], None),
    ("ESDC (Labour Program), RCMP", ["ESDC (Labour Program)", "RCMP"], None),
    ("ESDC (Service Canada)", ["ESDC (Service Canada)"], None),
    ("GAC (Development)", ["GAC (Development)"], None),
    ("StatsCan", ["STATCAN"], None),
    ("CIC", ["IRCC"], None),
    ("DFATD & CIC", ["GAC", "IRCC"], None),
]


@pytest.mark.parametrize(("cell", "labels", "note"), LEAD_FORMS, ids=[c for c, *_ in LEAD_FORMS])
def test_lead_forms_resolve(cell, labels, note):
    parsed = registry().parse_leads(cell)
    assert [lead.label() for lead in parsed.leads] == labels
    assert parsed.note == note
    assert parsed.unresolved == []


def test_every_lead_cell_of_the_real_report_resolves(report_2014):
    assert not [w for w in report_2014.warnings if w.code in ("unresolved-lead", "missing-lead")]
    assert all(d.leads for *_, d in report_2014.deliverables())


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("cic", Match("IRCC")),
        ("Citizenship and Immigration Canada", Match("IRCC")),
        ("DFATD", Match("GAC")),
        ("AANDC", Match("INAC")),
        ("SWC", Match("WAGE")),
        ("Status of Women Canada", Match("WAGE")),
        ("GRC", Match("RCMP")),
        ("ASFC", Match("CBSA")),
        ("EDSC", Match("ESDC")),
        ("TFWP", Match("ESDC", "TFWP")),
        ("Temporary Foreign Worker Program", Match("ESDC", "TFWP")),
        ("labour program", Match("ESDC", "Labour Program")),
        ("IMP", Match("IRCC", "IMP")),
        ("nothing-like-this", None),
    ],
)
def test_lookup_by_code_alias_french_acronym_former_name_or_program(name, match):
    assert registry().lookup(name) == match


def test_unresolved_names_are_kept_in_reading_order():
    parsed = registry().parse_leads("Ministry of Magic, RCMP and Hogwarts")
    assert [lead.department for lead in parsed.leads] == ["RCMP"]
    assert parsed.unresolved == ["Ministry of Magic", "Hogwarts"]


def test_registry_is_data_with_unique_names():
    reg = registry()
    assert "ESDC" in reg.departments and "TFWP" in reg.departments["ESDC"].programs
    assert len(reg.all_names()) == len(set(reg.all_names()))


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Women and Gender Equality Canada", "WAGE"),
        ("Department for Women and Gender Equality", "WAGE"),
        ("Indigenous Services Canada", "ISC"),
        ("Services aux Autochtones Canada", "ISC"),
        ("Crown-Indigenous Relations and Northern Affairs Canada", "CIRNAC"),
        ("Crown-Indigenous Relations", "CIRNAC"),
        ("Canadian Heritage", "PCH"),
        ("Patrimoine canadien", "PCH"),
        ("StatCan", "STATCAN"),
        ("FINTRAC", "FINTRAC"),
        ("CANAFE", "FINTRAC"),
        ("Public Prosecution Service of Canada", "PPSC"),
        ("Federal Prosecution Service", "PPSC"),
        ("Department of Indian Affairs and Northern Development", "INAC"),
        ("Human Resources and Skills Development Canada", "ESDC"),
        ("Department of Foreign Affairs and International Trade", "GAC"),
        ("Treasury Board of Canada Secretariat", "TBS"),
    ],
)
def test_national_strategy_departments_and_their_former_names(name: str, code: str) -> None:
    found = registry().lookup(name)
    assert found is not None and found.department == code


def test_a_split_department_keeps_its_code_and_names_its_successors() -> None:
    departments = registry().departments
    assert departments["INAC"].succeeded_by == ("CIRNAC", "ISC")
    assert departments["INAC"].until == 2019
    assert departments["CIRNAC"].succeeds == departments["ISC"].succeeds == ("INAC",)
    assert registry().lookup("AANDC") == Match("INAC")  # older reports keep resolving


def test_national_strategy_leads_resolve() -> None:
    parsed = registry().parse_leads("WAGE, ISC, CIRNAC and PCH (with StatCan)")
    assert [lead.label() for lead in parsed.leads] == ["WAGE", "ISC", "CIRNAC", "PCH"]
    assert parsed.note == "with StatCan" and parsed.unresolved == []


@pytest.mark.parametrize("name", ["columns.yaml", "departments.yaml"])
def test_the_packaged_registries_read_alike_with_the_c_and_the_python_loader(name) -> None:
    """The registries are read with libyaml's loader for speed: it must mean what the
    pure-Python safe loader means (and a registry is never empty)."""
    from importlib import resources

    import yaml

    from htreport.model.packaged import packaged_yaml

    text = resources.files("htreport").joinpath(f"data/{name}").read_text("utf-8")
    assert packaged_yaml(name) == yaml.safe_load(text)
    assert packaged_yaml(name)
