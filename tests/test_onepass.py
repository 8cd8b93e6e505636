"""JSON data files parsed and validated in one pass (`store.onepass`) load exactly as the
careful path loads them: the same report, or, when the one pass is not sure, the same error
at the same place (docs/performance.md, "Eighth pass")."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from htreport.errors import DataFileError
from htreport.model.report import RawCells, Report
from htreport.store import entries, io, onepass
from htreport.store.onepass import _what_it_holds, count_given_keys, load_json_report

from .conftest import HERE, RAW_REPORT, STRUCTURED_DIR


def _loads(path: Path) -> bool:
    try:
        io.load(path)
    except DataFileError:
        return False
    return True


YAML_FILES = sorted(STRUCTURED_DIR.glob("*.yaml")) + sorted(
    path
    for folder in ("valid", "invalid")
    for path in (HERE / "fixtures" / folder).glob("*.yaml")
    if _loads(path)
)
JSON_FIXTURES = sorted((HERE / "fixtures").glob("*/*.json"))


def _careful(data: bytes, path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as patched:
        patched.setattr(onepass, "load_json_report", lambda _data: None)
        return _outcome(data, path)


def _outcome(data: bytes, path: Path) -> Any:
    """What loading gives: the report (its data, its given keys, its type) or the error."""
    try:
        report = entries.load_report(data, path)
    except DataFileError as error:
        return ("error", type(error).__name__, error.message, error.line, error.column)
    return (
        "ok",
        type(report).__name__,
        io.dumps(report, "json"),
        json.dumps(report.model_dump(mode="json", exclude_unset=True)),
    )


def _same_either_way(text: str | bytes, monkeypatch: pytest.MonkeyPatch) -> Any:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    path = Path("case.json")
    one_pass = _outcome(data, path)
    assert one_pass == _careful(data, path, monkeypatch)
    return one_pass


def _json_texts() -> list[tuple[str, str, bool]]:
    """(name, JSON text, whether it is a report) of every report and JSON fixture we have."""
    texts = [(path.name, io.dumps(io.load(path), "json"), True) for path in YAML_FILES]
    texts += [
        (path.name, path.read_text("utf-8"), path.parent.name == "valid") for path in JSON_FIXTURES
    ]
    return texts


@pytest.mark.parametrize(("name", "text", "good"), _json_texts(), ids=lambda value: str(value)[:40])
def test_every_report_we_have_loads_in_one_pass_as_it_loads_carefully(
    name, text, good, monkeypatch
):
    data = text.encode("utf-8")
    report = load_json_report(data)
    if not good:
        assert report is None  # the careful path words the error
    else:
        assert type(report) is Report
        careful = io.loads(text, "json")
        assert report == careful
        assert report.model_fields_set == careful.model_fields_set
    _same_either_way(text, monkeypatch)


def _small_report() -> dict[str, Any]:
    """The shipped report cut down to a few of each part, with an extra chart column."""
    data = io.to_data(io.load(STRUCTURED_DIR / "2014-2015.yaml"))
    pillar = data["annex"]["pillars"][0]
    pillar["objectives"] = pillar["objectives"][:1]
    objective = pillar["objectives"][0]
    objective["tasks"] = objective["tasks"][:2]
    data["annex"]["pillars"] = [pillar]
    for part in ("achievements", "statistics", "footnotes", "joins", "warnings"):
        data[part] = data.get(part, [])[:2]
    raw = objective["tasks"][0]["deliverables"][0]["raw"]
    raw["extra"] = {"Notes": "See below: two", "Budget": "$5"}
    return {"$schema": "x", **data}


def _text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def test_the_small_report_is_a_good_one(monkeypatch):
    data = _small_report()
    assert data["annex"]["pillars"][0]["objectives"][0]["tasks"][1]["deliverables"]
    assert data["statistics"] and data["achievements"] and data["warnings"]
    assert load_json_report(_text(data).encode()) is not None
    assert _same_either_way(_text(data), monkeypatch)[0] == "ok"


def _with_key_repeated(text: str, key: str, value: str, occurrence: int = 0) -> str:
    """`text` with `"key": value` written again just after the `occurrence`-th `"key":`."""
    marker = f'"{key}": '
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(marker, at + 1)
    return text[:at] + f"{marker}{value}, " + text[at:]


def _declined(text: str) -> bool:
    return load_json_report(text.encode("utf-8", "surrogatepass")) is None


SMALL = _text(_small_report())


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("top-level key", _with_key_repeated(SMALL, "schema_version", '"1.0"')),
        ("nested key", _with_key_repeated(SMALL, "status", '"ongoing"', 1)),
        ("key of a mapping field", _with_key_repeated(SMALL, "Budget", '"$6"')),
        ("repeated $schema", _with_key_repeated(SMALL, "$schema", '"y"')),
        # a repeat, and one key written with a blank before its colon: two changes that
        # cancel out if only `":` were counted
        (
            "repeat and spaced key",
            _with_key_repeated(SMALL, "status", '"ongoing"', 1).replace(
                '"title": ', '"title" \n : ', 1
            ),
        ),
    ],
)
def test_a_repeated_key_is_never_let_through(name, text, monkeypatch):
    assert _declined(text)
    outcome = _same_either_way(text, monkeypatch)
    assert outcome[0] == "error" and "duplicate key" in outcome[2]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("NaN in $schema", SMALL.replace('"$schema": "x"', '"$schema": NaN')),
        ("Infinity in $schema", SMALL.replace('"$schema": "x"', '"$schema": [-Infinity]')),
        ("lone surrogate", SMALL.replace('"$5"', '"\\ud800"')),
        (
            "other schema version",
            SMALL.replace('"schema_version": "1.0"', '"schema_version": "2.0"'),
        ),
        ("trailing text", SMALL + " x"),
        ("byte order mark", "\ufeff" + SMALL),
        ("raw tab in a string", SMALL.replace('"$5"', '"\t5"')),
        ("4,301 digits", SMALL.replace('"line": ', '"line": ' + "1" * 4300, 1)),
        ("not an object", "[" + SMALL + "]"),
        ("empty", ""),
        ("trailing comma", SMALL.replace('"$5"', '"$5",', 1)),
        (
            "unknown key",
            SMALL.replace('"schema_version": "1.0"', '"schema_version": "1.0", "x": 1'),
        ),
    ],
)
def test_what_the_careful_path_refuses_is_refused_with_its_words(name, text, monkeypatch):
    assert _declined(text)
    assert _same_either_way(text, monkeypatch)[0] == "error"


def test_text_that_looks_like_a_key_only_sends_the_file_the_careful_way(monkeypatch):
    text = SMALL.replace('"$5"', '"a \\": b"', 1)  # `":` inside a string
    assert _declined(text)
    assert _same_either_way(text, monkeypatch)[0] == "ok"


def test_keys_written_with_blanks_before_the_colon_are_counted(monkeypatch):
    spaced = SMALL.replace('"title": ', '"title" : ', 1).replace('"plan": ', '"plan"\r\n\t:', 1)
    assert not _declined(spaced)
    assert _same_either_way(spaced, monkeypatch)[0] == "ok"


def test_bytes_that_are_not_utf8_get_the_careful_message(monkeypatch):
    data = SMALL.replace('"$5"', '"$\xff5"').encode("latin-1")
    assert load_json_report(data) is None
    outcome = _same_either_way(data, monkeypatch)
    assert outcome[:3] == ("error", "DataFileError", "not UTF-8 text")


#: Pieces of JSON text (and of what is not JSON) to put into a good file.
_INSERTS = [
    '"',
    ":",
    ",",
    " ",
    "\\",
    "\\u",
    "\\ud83d\\ude00",
    "\\udfff",
    "NaN",
    "-Infinity",
    "1e999",
    "-",
    "0",
    "01",
    "1.",
    ".5",
    "-0",
    "1e2",
    "\x00",
    "\t",
    "\x7f",
    "\u2028",
    "é",
    "}",
    "]",
    "{",
    "[",
    '"a": 1, ',
    '"id": "1.1", ',
    "null",
    "true",
    '\\"',
    "\r\n",
]


def _mutants(text: str, count: int, seed: int) -> list[str]:
    chooser = random.Random(seed)
    lines = text.split("\n")
    found = []
    for _ in range(count):
        how = chooser.randrange(3)
        if how == 0:
            at = chooser.randrange(len(text))
            found.append(text[:at] + chooser.choice(_INSERTS) + text[at:])
        elif how == 1:
            at = chooser.randrange(len(text))
            found.append(text[:at] + text[at + chooser.randint(1, 3) :])
        else:
            at = chooser.randrange(1, len(lines) - 1)
            found.append("\n".join(lines[: at + 1] + lines[at:]))
    return found


def test_mangled_text_loads_as_it_loads_carefully(monkeypatch):
    mutants = _mutants(SMALL, 400, 3)
    outcomes = [_same_either_way(text, monkeypatch)[0] for text in mutants]
    assert "ok" in outcomes and "error" in outcomes  # both sides were exercised
    assert sum(not _declined(text) for text in mutants) > 20  # and the one pass let some by


#: Values to put in place of another: numbers as JSON text, and values of the wrong kind.
_VALUES = [
    "0",
    "-0",
    "1",
    "1.0",
    "1.5",
    "-2.25",
    "1e2",
    "1E+2",
    "1e-7",
    "0.1",
    "3.0000000000000004",
    "123456789012345678901234567890",
    "1234567890123456789012345678901",
    "9007199254740993",
    "2.5e-308",
    "1e308",
    "4.9e-324",
    '"1"',
    '"1.5"',
    "true",
    "false",
    "null",
    '""',
    "[]",
    "{}",
    '"2014-04-01"',
    '"2014-02-30"',
    '"2014-04-01T00:00:00"',
    '"ongoing"',
    '"Ongoing"',
    '"1.1.1"',
    '"2014-15"',
    "[1]",
    '["x"]',
    '{"x": 1}',
]


def _value_spots(data: Any, prefix: tuple = ()) -> list[tuple]:
    spots = []
    if isinstance(data, dict):
        for key, value in data.items():
            spots += [(*prefix, key)] + _value_spots(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data[:1]):
            spots += [(*prefix, index)] + _value_spots(value, (*prefix, index))
    return spots


def _with_value_at_each_spot(values: Callable[[], list[str]]) -> Iterator[tuple[tuple, str]]:
    """The small report with JSON text from `values()` in place of each value in turn."""
    base = _small_report()
    placeholder = "\x01placeholder\x01"
    for spot in _value_spots(base):
        data = copy.deepcopy(base)
        target = data
        for step in spot[:-1]:
            target = target[step]
        target[spot[-1]] = placeholder
        for value in values():
            yield spot, _text(data).replace(json.dumps(placeholder), value)


def test_any_value_anywhere_loads_as_it_loads_carefully(monkeypatch):
    chooser = random.Random(11)
    outcomes = []
    for _spot, text in _with_value_at_each_spot(lambda: chooser.sample(_VALUES, 3)):
        outcomes.append((_same_either_way(text, monkeypatch)[0], _declined(text)))
    assert outcomes.count(("ok", False)) > 50 and outcomes.count(("error", True)) > 50


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "[NaN]", '{"a": NaN}'])
def test_nan_and_infinity_are_refused_wherever_they_are(constant, monkeypatch):
    for spot, text in _with_value_at_each_spot(lambda: [constant]):
        assert _declined(text), spot
        assert _same_either_way(text, monkeypatch)[0] == "error", spot


def test_numbers_are_read_to_the_same_value_and_type(monkeypatch):
    chooser = random.Random(5)
    base = _small_report()
    numbers = [repr(chooser.uniform(-1e6, 1e6)) for _ in range(60)]
    numbers += [f"{chooser.random():.17e}" for _ in range(30)]
    numbers += [str(chooser.randrange(10**29)) for _ in range(30)]
    for number in numbers:
        data = copy.deepcopy(base)
        data["statistics"][0]["value"] = "\x01n\x01"
        text = _text(data).replace('"\\u0001n\\u0001"', number)
        assert _same_either_way(text, monkeypatch)[0] == "ok", number
        assert not _declined(text), number


def test_the_keys_given_are_counted_for_every_model():
    report = load_json_report(SMALL.encode())
    assert report is not None
    assert count_given_keys(report) + 1 == SMALL.count('":')  # + the $schema key


@pytest.mark.parametrize(
    "annotation",
    [dict[str, RawCells], list[list[RawCells]], list[dict[str, str]], RawCells | dict[str, str]],
    ids=str,
)
def test_a_field_whose_keys_it_cannot_count_is_refused_at_once(annotation):
    with pytest.raises(TypeError):
        _what_it_holds(annotation)


def test_a_model_that_takes_other_keys_is_refused_at_once():
    class Open(BaseModel):
        model_config = ConfigDict(extra="allow")

    with pytest.raises(TypeError):
        count_given_keys(Open())


def test_the_shipped_report_loads_in_one_pass_in_the_corpus(tmp_path, monkeypatch):
    path = tmp_path / "2014-2015.json"
    path.write_text(io.dumps(io.load(STRUCTURED_DIR / "2014-2015.yaml"), "json"), "utf-8")
    declined = []
    real = onepass.load_json_report

    def spy(data: bytes) -> Report | None:
        report = real(data)
        declined.append(report is None)
        return report

    monkeypatch.setattr(onepass, "load_json_report", spy)
    report = entries.load_report(path.read_bytes(), path)
    assert declined == [False]
    assert report == io.load(STRUCTURED_DIR / "2014-2015.yaml")
    assert RAW_REPORT.name == report.source.file


def test_a_query_over_json_files_names_a_repeated_key_at_its_line(runner, tmp_path):
    from htreport.cli import app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    good = io.dumps(io.load(STRUCTURED_DIR / "2014-2015.yaml"), "json")
    (corpus / "2014-2015.json").write_text(good, "utf-8")
    bad = corpus / "2015-2016.json"
    bad.write_text(_with_key_repeated(good, "status", '"ongoing"', 3), "utf-8")
    with pytest.raises(DataFileError) as careful:
        io.loads(bad.read_text("utf-8"), "json", path=str(bad))
    assert "duplicate key 'status'" in careful.value.message

    args = ["query", "deliverables", str(corpus), "--lead", "CBSA", "--count"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and result.stdout == ""
    assert (
        result.stderr
        == f"error: {bad}:{careful.value.line}:{careful.value.column}: {careful.value.message}\n"
    )
    skipped = runner.invoke(app, [*args, "--skip-invalid"])
    assert skipped.exit_code == 1
    assert skipped.stdout == "12\n"
