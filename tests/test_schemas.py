"""schemas/ is generated from the models, committed, and usable by standard JSON Schema tools."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import jsonschema
import pytest

from htreport.cli import app
from htreport.settings import REPORT_SCHEMA_FILE, SCHEMA_URL, SCHEMA_VERSION
from htreport.store import dumping, io, schemas
from htreport.store.validate import validate_file

from .conftest import ROOT, STRUCTURED_DIR

SCHEMA_DIR = ROOT / "schemas"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_committed_schemas_match_the_models():
    generated = schemas.generate()
    committed = {p.name: p.read_text("utf-8") for p in SCHEMA_DIR.glob("*.json")}
    stale = sorted(name for name in generated if committed.get(name) != generated[name])
    extra = sorted(set(committed) - set(generated))
    assert not stale and not extra, (
        f"schemas/ drifted from models.py (stale: {stale}, unknown: {extra}); "
        "run `htreport schema --output schemas/ --force` and commit the result"
    )


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((SCHEMA_DIR / REPORT_SCHEMA_FILE).read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_an_extracted_report_is_valid_for_a_standard_validator(validator, report_2014):
    for fmt in ("yaml", "json"):
        data = io.parse_text(io.dumps(report_2014, fmt), fmt)
        if fmt == "json":
            assert data["$schema"] == SCHEMA_URL  # allowed by the schema
        assert list(validator.iter_errors(data)) == []


@pytest.mark.parametrize(
    "name", ["wrong-types.yaml", "wrong-types.json", "missing-fields.yaml", "unknown-status.yaml"]
)
def test_standard_validator_rejects_what_htreport_rejects(validator, name):
    path = FIXTURES / "invalid" / name
    data = io.parse_text(path.read_text("utf-8"), io.format_of(path))
    errors = list(validator.iter_errors(data))
    assert errors
    ours = {issue.field for issue in validate_file(path).issues}
    theirs = set()
    for leaf in (leaf for error in errors for leaf in _leaves(error)):
        parts = list(leaf.absolute_path)
        if leaf.validator in ("required", "additionalProperties"):
            parts.append(leaf.message.split("'")[1])
        theirs.add("".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip("."))
    assert theirs == ours


def _leaves(error):
    """The errors under an anyOf (`Annex | None`), leaving out the `null` branch's."""
    if not error.context:
        yield error
        return
    for sub in error.context:
        if not (sub.validator == "type" and sub.validator_value == "null"):
            yield from _leaves(sub)


def test_unknown_keys_are_refused_and_schema_key_is_allowed(validator):
    data = io.parse_text((FIXTURES / "valid" / "2014-2015.json").read_text("utf-8"), "json")
    assert "$schema" in data and validator.is_valid(data)
    data["colour"] = "green"
    assert not validator.is_valid(data)


def test_structured_files_point_editors_at_the_published_schema(report_2014):
    first_line = io.dumps(report_2014).splitlines()[0]
    assert first_line == f"# yaml-language-server: $schema={SCHEMA_URL}"
    assert SCHEMA_URL.endswith(f"/schemas/{SCHEMA_VERSION}/{REPORT_SCHEMA_FILE}")


def test_the_package_reference_is_the_installed_copy_of_the_committed_schema(report_2014):
    reference = dumping.schema_reference("package")
    assert reference.startswith("file:///")
    installed = Path(urllib.parse.unquote(urllib.parse.urlparse(reference).path))
    assert installed.read_bytes() == (SCHEMA_DIR / REPORT_SCHEMA_FILE).read_bytes()
    assert io.dumps(report_2014, "json", schema_ref="package").count(reference) == 1


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("none", None), ("schemas/report.schema.json", "schemas/report.schema.json")],
)
def test_schema_reference_choices(report_2014, choice, expected):
    yaml_text = io.dumps(report_2014, schema_ref=choice)
    json_data = json.loads(io.dumps(report_2014, "json", schema_ref=choice))
    if expected is None:
        assert not yaml_text.startswith("#") and "$schema" not in json_data
    else:
        assert yaml_text.splitlines()[0] == f"# yaml-language-server: $schema={expected}"
        assert json_data["$schema"] == expected
    assert io.loads(yaml_text) == io.loads(json.dumps(json_data), "json") == report_2014


def test_extract_schema_ref_option(runner, tmp_path):
    source = STRUCTURED_DIR.parent / "raw" / "nap-2014-2015-annual-report.txt"
    out = tmp_path / "r.yaml"
    result = runner.invoke(
        app, ["extract", str(source), "-q", "-o", str(out), "--schema-ref", "none"]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8").startswith("schema_version:")
    bad = runner.invoke(app, ["extract", str(source), "-q", "--schema-ref", ""])
    assert bad.exit_code == 2
    assert bad.stderr.strip().splitlines() == [
        "error: --schema-ref: a schema reference must be url, package, none, a path or a URL"
    ]


def test_schema_command_prints_and_writes(runner, tmp_path):
    printed = runner.invoke(app, ["schema"])
    assert printed.exit_code == 0
    assert printed.stdout == (SCHEMA_DIR / REPORT_SCHEMA_FILE).read_text("utf-8")

    out = tmp_path / "schemas"
    first = runner.invoke(app, ["schema", "--output", str(out)])
    assert first.exit_code == 0
    assert first.stderr == f"wrote {out / REPORT_SCHEMA_FILE}\n"
    assert runner.invoke(app, ["schema", "--output", str(out), "--check"]).exit_code == 0
    again = runner.invoke(app, ["schema", "--output", str(out)])
    assert (again.exit_code, again.stderr) == (0, f"{out}: schemas up to date\n")

    (out / REPORT_SCHEMA_FILE).write_text("{}\n")
    check = runner.invoke(app, ["schema", "--output", str(out), "--check"])
    assert check.exit_code == 1
    assert check.stderr == (
        f"error: {out / REPORT_SCHEMA_FILE}: out of date; run htreport schema --output {out} --force\n"
    )
    refused = runner.invoke(app, ["schema", "--output", str(out)])
    assert refused.exit_code == 2
    assert (
        refused.stderr
        == f"error: {out / REPORT_SCHEMA_FILE}: exists and differs; pass --force to overwrite\n"
    )
    assert (out / REPORT_SCHEMA_FILE).read_text() == "{}\n"
    forced = runner.invoke(app, ["schema", "--output", str(out), "--force"])
    assert forced.exit_code == 0
    assert (out / REPORT_SCHEMA_FILE).read_text("utf-8") == printed.stdout
