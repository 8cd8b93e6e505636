"""The parsers' plain records, the schema check that vouches for them, and the extract path
that needs neither pydantic nor the models (docs/performance.md, "Seventh pass")."""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import random
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from pydantic_core import PydanticUndefined

from htreport.model import plain
from htreport.model import report as models
from htreport.model.conformance import compile_schema, conforms
from htreport.pipeline import (
    extract,
    extract_plain,
    extract_plain_document,
    report_data,
    validated,
)
from htreport.readers import read_source
from htreport.store.io import to_data

from .conftest import HERE, PDF_REPORT, RAW_DIR, RAW_REPORT

SOURCES = sorted(
    [p for p in RAW_DIR.iterdir() if p.is_file()]
    + [p for p in (HERE / "fixtures" / "documents").iterdir() if p.suffix != ".py"]
    + [p for p in (HERE / "fixtures" / "layouts").iterdir() if p.suffix != ".py"]
    + [p for p in (HERE / "fixtures" / "formats").iterdir() if p.suffix != ".py"]
)


def _text(data: Any) -> str:
    """JSON text, so that key order counts in comparisons."""
    return json.dumps(data, ensure_ascii=False, indent=1)


# -- the records mirror the models ----------------------------------------------------------


@pytest.mark.parametrize("kind", plain.RECORD_KINDS, ids=lambda kind: kind.__name__)
def test_each_record_has_the_fields_of_its_model_in_order_with_its_defaults(kind):
    model = getattr(models, kind.__name__)
    record_fields = {field.name: field for field in dataclasses.fields(kind)}
    assert list(record_fields) == list(model.model_fields)
    for name, info in model.model_fields.items():
        field = record_fields[name]
        if info.default_factory is not None:
            assert field.default_factory() == info.default_factory(), name  # type: ignore[misc,call-arg]
        elif info.default is PydanticUndefined:
            assert field.default is dataclasses.MISSING, f"{name} is required in the model"
            assert field.default_factory is dataclasses.MISSING, name
        else:
            assert field.default == info.default, name


def test_every_model_is_mirrored():
    named = {
        name
        for name, value in vars(models).items()
        if isinstance(value, type) and issubclass(value, models.Model) and value is not models.Model
    }
    assert named == {kind.__name__ for kind in plain.RECORD_KINDS}


#: The kinds of field metadata whose rule the JSON schema states in full.
_STATED_IN_SCHEMA = {"_PydanticGeneralMetadata", "Ge", "Le", "BeforeValidator"}


def test_the_models_have_no_rule_the_schema_does_not_state():
    """The schema check vouches only for what the schema says; a validator of the models'
    own would be a rule it could not know."""
    for kind in plain.RECORD_KINDS:
        model = getattr(models, kind.__name__)
        decorators = model.__pydantic_decorators__
        assert not decorators.field_validators and not decorators.model_validators, model
        assert not decorators.validators and not decorators.root_validators, model
        for name, info in model.model_fields.items():
            for rule in info.metadata:
                assert type(rule).__name__ in _STATED_IN_SCHEMA, (model, name, rule)
                if type(rule).__name__ == "BeforeValidator":
                    # the statistic value: a finite JSON number within the schema's bounds
                    assert rule.func is models._finite_number, (model, name)


# -- the plain path gives what the models give ---------------------------------------------


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_report_data_is_the_models_data_and_needs_no_models(source):
    report = extract_plain(source)
    data = plain.to_json_data(report)
    assert conforms(data), "the schema check should vouch for what the parsers build"
    assert _text(report_data(report)) == _text(to_data(extract(source)))


def test_a_pdf_takes_the_plain_path_too():
    report = extract_plain_document(read_source(PDF_REPORT))
    assert conforms(plain.to_json_data(report))
    assert _text(report_data(report)) == _text(to_data(validated(report)))


def test_extract_still_gives_the_models():
    report = extract(RAW_REPORT)
    assert isinstance(report, models.Report)
    assert isinstance(
        report.annex.pillars[0].objectives[0].tasks[0].deliverables[0], models.Deliverable
    )


def _plain_2014() -> plain.Report:
    return extract_plain(RAW_REPORT)


def test_a_value_the_check_cannot_vouch_for_goes_to_the_models():
    report = _plain_2014()
    deliverable = report.annex.pillars[0].objectives[0].tasks[0].deliverables[0]
    deliverable.provenance.line = 333.0  # a float that the models make an int
    assert not conforms(plain.to_json_data(report))
    data = report_data(report)
    assert data == to_data(validated(report))
    assert (
        data["annex"]["pillars"][0]["objectives"][0]["tasks"][0]["deliverables"][0]["provenance"][
            "line"
        ]
        == 333
    )
    assert (
        type(
            data["annex"]["pillars"][0]["objectives"][0]["tasks"][0]["deliverables"][0][
                "provenance"
            ]["line"]
        )
        is int
    )


def test_a_value_plain_data_cannot_hold_goes_to_the_models():
    report = _plain_2014()
    report.metadata.period_start = datetime(2014, 4, 1)  # midnight, but a datetime
    with pytest.raises(plain.NotPlainData):
        plain.to_json_data(report)
    try:
        expected: Any = to_data(validated(report))
    except ValidationError as error:
        expected = type(error)
    try:
        got: Any = report_data(report)
    except ValidationError as error:
        got = type(error)
    assert got == expected


def test_an_invalid_record_is_refused_as_the_models_refuse_it():
    report = _plain_2014()
    report.annex.pillars[0].objectives[0].tasks[0].deliverables[0].id = "1.11.x"
    with pytest.raises(ValidationError, match="1.11.x|pattern"):
        report_data(report)


@pytest.mark.parametrize(
    "value",
    [
        type("Text", (str,), {})("x"),
        datetime(2014, 4, 1, 12),
        ("a", "b"),
        math.nan,
        math.inf,
        b"bytes",
        {1: "x"},
    ],
    ids=["str-subclass", "datetime", "tuple", "nan", "inf", "bytes", "int-key"],
)
def test_to_json_data_refuses_what_only_the_models_can_say(value):
    with pytest.raises(plain.NotPlainData):
        plain.to_json_data(value)


def test_to_json_data_is_the_models_dump_for_enums_dates_and_none():
    warning = plain.ExtractionWarning(code="x", message="y", line=None, page=3)
    assert plain.to_json_data(warning) == {"code": "x", "message": "y", "page": 3}
    metadata = plain.Metadata(
        document_type=plain.DocumentType.PLAN, period_start=date(2012, 6, 6), edition_number=0
    )
    assert _text(plain.to_json_data(metadata)) == _text(
        models.Metadata.model_validate(metadata, from_attributes=True).model_dump(
            mode="json", exclude_none=True
        )
    )


# -- the schema check agrees with the models ------------------------------------------------


def _reference() -> dict[str, Any]:
    return to_data(extract(RAW_REPORT))


def _models_verdict(data: Any) -> str:
    """'same' when the models keep `data` as it is, 'changed' when they alter it, 'refused'."""
    try:
        kept = models.Report.model_validate(data).model_dump(mode="json", exclude_none=True)
    except ValidationError:
        return "refused"
    return "same" if _text(kept) == _text(data) else "changed"


#: Values to put in place of another, each a way data can look right and not be.
_REPLACEMENTS: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    3.0,
    2.5,
    10**30,
    -(10**30),
    10**31,
    "",
    "x",
    "1.1",
    "1.11.1",
    "1.11.1\n",
    "١.١١.١",  # Arabic-Indic digits
    "2014-2015",
    "2014-2015\n",
    "2014-15",
    "2014-04-01",
    "2014-4-01",
    "2014-02-30",
    "2014-04-01T00:00:00",
    "ongoing",
    "Ongoing",
    "prevention",
    "annual_report",
    "text",
    "continuation-row",
    "1.0",
    "a" * 64,
    "0" * 64,
    [],
    ["x"],
    [1],
    {},
    {"x": 1},
]


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node[:2]):
            found += _paths(value, (*prefix, index))
    return found


def _set(data: Any, path: tuple, value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def _verdicts_agree(data: Any) -> None:
    verdict = _models_verdict(data)
    if conforms(data):
        assert verdict == "same", f"the check vouched for data the models {verdict}: {data}"


def test_the_check_vouches_only_for_data_the_models_keep_as_it_is():
    reference = _reference()
    assert conforms(reference)
    paths = _paths(reference)
    chooser = random.Random(20261203)
    vouched = refused = 0
    for path in paths:
        for value in chooser.sample(_REPLACEMENTS, 6):
            data = copy.deepcopy(reference)
            _set(data, path, value)
            _verdicts_agree(data)
            vouched += conforms(data)
            refused += _models_verdict(data) == "refused"
    assert vouched and refused  # both sides were exercised


@pytest.mark.parametrize("path", [("annex", "pillars", 0, "pillar"), ("metadata", "title")])
def test_an_unknown_key_or_a_missing_one_is_not_vouched_for(path):
    data = _reference()
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    del parent[path[-1]]
    _verdicts_agree(data)
    data = _reference()
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    parent["surplus"] = "x"
    assert not conforms(data)
    assert _models_verdict(data) == "refused"


def test_a_schema_keyword_the_check_does_not_know_vouches_for_nothing():
    check = compile_schema({"type": "object", "properties": {"a": {"anyOf": [{"type": "string"}]}}})
    assert not check({"a": "x"})
    assert check({})  # `a` not given: nothing to vouch for but the object
    assert not compile_schema({"type": "string", "format": "email"})("a@b.c")
    assert not compile_schema({"$ref": "#/$defs/missing"})("x")


def test_the_check_reads_dollar_as_the_end_of_the_text():
    check = compile_schema({"type": "string", "pattern": r"^\d+$"})
    assert check("12")
    assert not check("12\n")
    assert not check("١٢")  # another script's digits: the models decide


# -- htreport extract --------------------------------------------------------------------


def test_the_extract_command_imports_neither_pydantic_nor_the_models_nor_yaml(tmp_path: Path):
    output = tmp_path / "out.json"
    code = (
        "import sys\n"
        "from htreport.cli import main\n"
        f"sys.argv = ['htreport', 'extract', {str(RAW_REPORT)!r}, '-q', '-o', {str(output)!r}]\n"
        "try:\n    main()\nexcept SystemExit as stop:\n    assert not stop.code, stop.code\n"
        "loaded = sorted({'pydantic', 'pydantic_core', 'htreport.model.report', 'yaml'} & set(sys.modules))\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    assert json.loads(output.read_text("utf-8"))["annex"]["pillars"]
