"""Fuzz the data-file loader and `validate` with mutated YAML and JSON (issues 12 and 20).

Mutations of the text (lines deleted, duplicated, swapped, truncated; control characters,
random bytes) and of the tree (values replaced by any value or by an extreme one of the same
kind, keys deleted, list items repeated). `validate` must report, never crash: exit 0 or 1, its
JSON output strict. A file it passes must load, dump as strict JSON and be queryable; the
loader raises nothing but one-line `DataFileError`s.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from htreport.errors import DataFileError
from htreport.store import io
from tests.conftest import HERE, STRUCTURED_DIR
from tests.fuzzing import (
    mutated_bytes,
    mutated_text,
    mutated_tree,
    run_cli,
    strict_json,
    time_limit,
    tree_with_unwritable_value,
)

#: a failing example of a huge input is still worth printing
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

YAML_FILES = [STRUCTURED_DIR / "2014-2015.yaml", HERE / "fixtures" / "valid" / "2014-2015.yaml"]
JSON_FILES = [HERE / "fixtures" / "valid" / "2014-2015.json"]
YAML_TEXTS = [path.read_text("utf-8") for path in YAML_FILES]
JSON_TEXTS = [path.read_text("utf-8") for path in JSON_FILES]
TREE = yaml.safe_load(YAML_TEXTS[0])
TEXT_OPS = ("delete", "duplicate", "swap", "truncate", "odd-text", "number-in-prose")


def validate_and_check(data: bytes, suffix: str) -> None:
    """`validate` reports (exit 0/1, strict JSON output); a file it passes loads, dumps as
    strict JSON and answers `query`; the loader raises only DataFileError."""
    with tempfile.TemporaryDirectory() as directory:
        (Path(directory) / "raw").mkdir()  # as in data/: validate looks in ../raw
        path = Path(directory) / "structured" / f"report{suffix}"
        path.parent.mkdir()
        path.write_bytes(data)
        result = run_cli(["validate", "-F", "json", str(path)], allowed=(0, 1))
        strict_json(result.stdout)
        try:
            with time_limit():
                report = io.load(path)
        except DataFileError as error:
            assert "\n" not in str(error), str(error)
            assert result.exit_code == 1, f"validate passed what load refuses: {error}"
            return
        if result.exit_code == 1:
            return  # loads, but a cross-record rule failed: validate's finding
        strict_json(io.dumps(report, "json"))
        assert io.loads(io.dumps(report, "yaml")) == report
        for kind in ("deliverables", "statistics", "achievements"):
            strict_json(run_cli(["query", kind, "-F", "json", str(path)], allowed=(0,)).stdout)


@given(mutated_text(YAML_TEXTS, TEXT_OPS))
@example("schema_version: '1.0'\nsource: {file: a.txt}\x00\n")  # a NUL byte (issue 12 held)
@example("a: &a [*a]\n")  # a recursive alias
@example("a: &a ['x','x']\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b]\n")
@example("!!python/object/apply:os.system ['true']\n")  # a Python tag
@settings()
def test_mutated_yaml_is_validated_never_crashes(text):
    validate_and_check(text.encode("utf-8"), ".yaml")


@given(mutated_text(JSON_TEXTS, TEXT_OPS))
@example('{"schema_version": "1.0", "a": 1, "a": 2}')  # a repeated key
@settings()
def test_mutated_json_is_validated_never_crashes(text):
    validate_and_check(text.encode("utf-8"), ".json")


@given(mutated_bytes(YAML_TEXTS[:1] + JSON_TEXTS, TEXT_OPS), st.sampled_from([".yaml", ".json"]))
@settings()
def test_random_bytes_in_a_data_file_are_reported(data, suffix):
    validate_and_check(data, suffix)


@given(mutated_tree(TREE, same_kind=False), st.sampled_from([".yaml", ".json"]))
@settings()
def test_any_value_anywhere_is_validated_never_crashes(tree, suffix):
    """Keys deleted, list items repeated, values replaced by any value: mappings for lists,
    text for numbers, floats for ids."""
    validate_and_check(_dumped(tree, suffix), suffix)


@given(mutated_tree(TREE, same_kind=True), st.sampled_from([".yaml", ".json"]))
@settings()
def test_extreme_values_of_the_right_kind_are_validated_never_crash(tree, suffix):
    """Long and unusual text, integers across the 64-bit range, empty lists: files that often
    pass the schema, so the loaded report is dumped and queried too."""
    validate_and_check(_dumped(tree, suffix), suffix)


@given(tree_with_unwritable_value(TREE), st.sampled_from([".yaml", ".json"]))
@example({**TREE, "metadata": {**TREE["metadata"], "title": "\ud800"}}, ".json")
@settings()
def test_values_that_load_but_cannot_be_written_are_refused(tree, suffix):
    """NaN, infinities, integers past 64 bits and lone surrogates are legal YAML/JSON text
    (escaped: `.nan`, `NaN`, `"\\ud800"`): anything the loader takes must dump as strict JSON
    (`validate_and_check`), so these are refused at their place or kept as what they are."""
    validate_and_check(_escaped(tree, suffix), suffix)


def _escaped(tree, suffix: str) -> bytes:
    """`tree` as text that writes NaN, infinities and lone surrogates in the format's escapes."""
    if suffix == ".json":
        return json.dumps(tree, ensure_ascii=True, allow_nan=True).encode("ascii")
    return yaml.safe_dump(tree, allow_unicode=False, sort_keys=False).encode("utf-8")


def _dumped(tree, suffix: str) -> bytes:
    if suffix == ".json":
        return json.dumps(tree, ensure_ascii=False, default=str).encode("utf-8")
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False).encode("utf-8")
