"""`records.record_json` is `json.dumps(record, ensure_ascii=False, allow_nan=False)`, text for
text, on every record of the shipped reports and on any JSON-like value (the cache and
`query --format json` print what it gives)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from htreport.model.records import all_records, record_json
from htreport.store.io import load

from .conftest import STRUCTURED_DIR
from .fuzzing import json_like


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


@pytest.mark.parametrize("path", sorted(STRUCTURED_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_record_encodes_as_json_dumps_does(path) -> None:
    records = [record for kind in all_records(load(path)).values() for record in kind]
    assert records
    assert [record_json(record) for record in records] == [_dumps(r) for r in records]


JSON_LIKE = json_like(max_leaves=20)


@given(JSON_LIKE)
@settings(max_examples=300, deadline=None)
def test_any_json_like_value_encodes_as_json_dumps_does(value) -> None:
    assert record_json(value) == _dumps(value)


@pytest.mark.parametrize("value", [float("nan"), {"x": float("inf")}, [-float("inf")]])
def test_a_value_json_cannot_write_is_refused_as_json_dumps_refuses_it(value) -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        record_json(value)


def test_an_object_that_is_not_plain_data_is_refused() -> None:
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        record_json({"leads": {"RCMP"}})
