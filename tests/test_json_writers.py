"""htreport's two JSON writers give what `json.dumps` gives, text for text.

`records.record_json` is `json.dumps(record, ensure_ascii=False, allow_nan=False)` (the cache
and `query --format json` print what it gives); `dumping.json_text` is the same with
`indent=2` (`extract --format json` and every JSON data file are written with it). Both are
checked on the shipped reports and on any JSON-like value, and refuse what json refuses."""

from __future__ import annotations

import functools
import json

import pytest
from hypothesis import given, settings

from htreport.model.records import all_records, record_json
from htreport.store import io
from htreport.store.dumping import dumps_data, json_text

from .conftest import STRUCTURED_DIR
from .fuzzing import json_like

SHIPPED = sorted(STRUCTURED_DIR.glob("*.yaml"))
#: (writer, what json.dumps gives for it)
WRITERS = [
    pytest.param(
        record_json,
        functools.partial(json.dumps, ensure_ascii=False, allow_nan=False),
        id="record_json",
    ),
    pytest.param(
        json_text,
        functools.partial(json.dumps, ensure_ascii=False, indent=2, allow_nan=False),
        id="json_text",
    ),
]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_record_encodes_as_json_dumps_does(path) -> None:
    records = [record for kind in all_records(io.load(path)).values() for record in kind]
    assert records
    expected = [json.dumps(r, ensure_ascii=False, allow_nan=False) for r in records]
    assert [record_json(record) for record in records] == expected


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_report_is_written_as_json_dumps_writes_it(path) -> None:
    data = io.to_data(io.load(path))
    expected = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    assert json_text(data) == expected
    assert dumps_data(data, "json", schema_ref="none") == expected + "\n"


@pytest.mark.parametrize(("write", "dumps"), WRITERS)
@given(value=json_like(max_leaves=30))
@settings(max_examples=300, deadline=None)
def test_any_json_like_value_is_written_as_json_dumps_writes_it(write, dumps, value) -> None:
    assert write(value) == dumps(value)


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
def test_what_json_writes_its_own_way_is_written_as_json_writes_it(value) -> None:
    assert json_text(value) == json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)


@pytest.mark.parametrize("write", [record_json, json_text])
@pytest.mark.parametrize("value", [float("nan"), {"x": float("inf")}, [-float("inf")]])
def test_a_value_json_cannot_write_is_refused_as_json_dumps_refuses_it(write, value) -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        write(value)


@pytest.mark.parametrize("write", [record_json, json_text])
def test_an_object_that_is_not_plain_data_is_refused(write) -> None:
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        write({"leads": {"RCMP"}})
