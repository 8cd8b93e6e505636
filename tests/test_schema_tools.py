"""The published schema with the standard validators on the broken-file suite: check-jsonschema
and the `jsonschema` library report the real error first, short and at its place."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from htreport.store import io

from .conftest import ROOT

SCHEMA = ROOT / "schemas" / "report.schema.json"
INVALID = ROOT / "tests" / "fixtures" / "invalid"
#: The broken files that are well-formed but break the schema (the others are refused by
#: htreport before any schema: syntax, tags, aliases, rules that a schema cannot say).
SCHEMA_BREAKERS = [
    "bad-fiscal-years.yaml",
    "missing-fields.yaml",
    "unknown-status.yaml",
    "wrong-types.json",
    "wrong-types.yaml",
]


def _expected_places(name: str) -> list[str]:
    """The places (e.g. annex.pillars[0].heading) of htreport's own errors for the file."""
    lines = (INVALID / f"{name}.expected").read_text("utf-8").splitlines()
    return [line.split(": ")[1] for line in lines if line]


def _place(json_path: str) -> str:
    return json_path.removeprefix("$").lstrip(".")


def _names_a_real_error(place: str, message: str, name: str) -> None:
    assert len(message) < 250, message  # not a dump of the whole annex
    assert "is not valid under any of the given schemas" not in message
    assert any(expected.startswith(place) for expected in _expected_places(name)), place


@pytest.mark.parametrize("name", SCHEMA_BREAKERS)
def test_check_jsonschema_reports_the_real_error_first(name):
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "check-jsonschema"),
            "--schemafile",
            str(SCHEMA),
            str(INVALID / name),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "Schema validation errors were encountered."
    location, message = lines[1].strip().split(": ", 1)
    _names_a_real_error(_place(location.split("::", 1)[1]), message, name)


@pytest.mark.parametrize("name", SCHEMA_BREAKERS)
def test_jsonschema_best_match_and_first_error_are_real(name):
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text("utf-8")))
    path = INVALID / name
    data = io.parse_text(path.read_text("utf-8"), io.format_of(path))
    best = jsonschema.exceptions.best_match(validator.iter_errors(data))
    first = next(iter(validator.iter_errors(data)))
    for error in (best, first):
        _names_a_real_error(_place(error.json_path), error.message, name)


def test_the_status_error_is_the_same_in_both_tools():
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text("utf-8")))
    data = io.parse_text((INVALID / "unknown-status.yaml").read_text("utf-8"), "yaml")
    best = jsonschema.exceptions.best_match(validator.iter_errors(data))
    assert best.json_path == "$.annex.pillars[0].objectives[0].tasks[0].deliverables[1].status"
    assert best.message.startswith("'done' is not one of ['ongoing', 'in_progress'")


@pytest.mark.parametrize("annex", ["absent", None])
def test_documents_without_an_annex_stay_valid(annex):
    """Files written before the schema changed: no annex key, or `annex: null`."""
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text("utf-8")))
    path = ROOT / "data" / "structured" / "ps-national-strategy-2019.yaml"
    data = io.parse_text(path.read_text("utf-8"), "yaml")
    assert "annex" not in data
    if annex is None:
        data["annex"] = None
    assert list(validator.iter_errors(data)) == []
    data["annex"] = {"pillars": "none"}  # a broken annex still fails, at the annex
    errors = sorted(validator.iter_errors(data), key=lambda e: e.json_path)
    assert [e.json_path for e in errors] == ["$.annex", "$.annex.pillars"]
    assert "'provenance' is a required property" in [e.message for e in errors]
