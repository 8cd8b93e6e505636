"""`dumping.json_text` is `json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)`,
text for text, on every shipped report and on any JSON-like value (`extract --format json`
and every JSON data file are written with it)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from htreport.store import io
from htreport.store.dumping import dumps_data, json_text

from .conftest import STRUCTURED_DIR
from .fuzzing import json_like


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)


@pytest.mark.parametrize("path", sorted(STRUCTURED_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_report_is_written_as_json_dumps_writes_it(path) -> None:
    data = io.to_data(io.load(path))
    assert json_text(data) == _dumps(data)
    assert dumps_data(data, "json", schema_ref="none") == _dumps(data) + "\n"


JSON_LIKE = json_like(max_leaves=30)


@given(JSON_LIKE)
@settings(max_examples=400, deadline=None)
def test_any_json_like_value_is_written_as_json_dumps_writes_it(value) -> None:
    assert json_text(value) == _dumps(value)


@pytest.mark.parametrize(
    "value",
    [
        {1: "a", "b": [2]},  # keys json turns into text
        {None: 1},
        {"a": 1, True: [None], 2.5: {}},
        {"a": (1, 2)},  # a tuple is a list to json
        [True, 1.0, -0.0, 10**30, '\u2028\x00"\\'],
        {"nested": {"empty": {}, "list": [], "deeper": [[{}], [[]]]}},
    ],
)
def test_what_json_writes_differently_is_written_as_json_writes_it(value) -> None:
    assert json_text(value) == _dumps(value)


@pytest.mark.parametrize("value", [float("nan"), {"x": float("inf")}, [-float("inf")]])
def test_a_value_json_cannot_write_is_refused_as_json_dumps_refuses_it(value) -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        json_text(value)


def test_an_object_that_is_not_plain_data_is_refused_as_json_dumps_refuses_it() -> None:
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        json_text({"leads": {"RCMP"}})
