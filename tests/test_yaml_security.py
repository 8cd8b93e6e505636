"""Loading data files is safe: no code runs, no alias bomb expands, no giant file is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from htreport.errors import DataFileError, DataSyntaxError, UnsafeDataError
from htreport.store import io
from htreport.store.validate import validate_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID_YAML = FIXTURES / "valid" / "2014-2015.yaml"


def test_python_tags_are_refused_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    text = VALID_YAML.read_text("utf-8").replace(
        "  plan: National Action Plan to Combat Human Trafficking\n",
        f"  plan: !!python/object/apply:builtins.exec [\"open({str(marker)!r}, 'w').close()\"]\n",
    )
    with pytest.raises(UnsafeDataError) as caught:
        io.loads(text, path="evil.yaml")
    assert not marker.exists()
    assert str(caught.value) == (
        "evil.yaml:11:9: Python object tag !!python/object/apply:builtins.exec refused: "
        "data files hold plain YAML data only"
    )


@pytest.mark.parametrize(
    "tag", ["!!python/name:os.system", "!!python/module:os", "!!binary", "!custom"]
)
def test_any_tag_beyond_plain_data_is_refused(tag):
    with pytest.raises(UnsafeDataError, match="tag"):
        io.parse_text(f"a: {tag} x\n", "yaml", path="t.yaml")


def test_billion_laughs_is_refused_without_expanding():
    # ten levels of ten: 10**10 values if expanded; the check only counts shared nodes
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 10)]
    with pytest.raises(UnsafeDataError) as caught:
        io.parse_text("\n".join(lines) + "\n", "yaml", path="bomb.yaml")
    error = caught.value
    assert (error.line, error.column) == (5, 5)  # l4: 111,111 values, the first over the limit
    assert "expand to 111,111 values from 31 written" in error.message


def test_bomb_fixture_through_the_loader():
    with pytest.raises(UnsafeDataError, match=r"possible YAML bomb"):
        io.load(FIXTURES / "invalid" / "alias-bomb.yaml")


def test_recursive_alias_is_refused():
    with pytest.raises(UnsafeDataError, match="recursive alias") as caught:
        io.parse_text("a: &x [1, *x]\n", "yaml", path="r.yaml")
    assert (caught.value.line, caught.value.column) == (1, 4)


def test_a_few_shared_anchors_are_fine():
    text = VALID_YAML.read_text("utf-8")
    text = text.replace(
        "          - department: PS\n            raw: PS\n",
        "          - &ps\n            department: PS\n            raw: PS\n",
        1,
    )
    text = text.replace("          - department: PS\n            raw: PS\n", "          - *ps\n", 1)
    report = io.loads(text)
    assert report == io.load(VALID_YAML)


def test_files_over_the_size_limit_are_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(io, "MAX_DATA_FILE_BYTES", 1000)
    big = tmp_path / "big.yaml"
    big.write_text(VALID_YAML.read_text("utf-8"))
    with pytest.raises(UnsafeDataError, match=r"over the 1,000-byte limit"):
        io.load(big)
    [issue] = validate_file(big).issues
    assert issue.code == "unsafe"
    size = big.stat().st_size
    assert str(issue) == f"{big}: {size:,} bytes, over the 1,000-byte limit for data files; refused"


def test_deep_nesting_is_refused_not_a_crash():
    # the C composer recurses per level; 100,000 levels used to kill the interpreter.
    # More cases, and the CLI's exit codes, in test_nesting.py.
    with pytest.raises(UnsafeDataError, match="nested more than 64 levels") as caught:
        io.parse_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "yaml")
    assert (caught.value.line, caught.value.column) == (1, 67)
    with pytest.raises(UnsafeDataError, match="nested more than 64 levels") as caught:
        io.parse_text("[" * 100_000 + "]" * 100_000, "json")
    assert (caught.value.line, caught.value.column) == (1, 65)


def test_duplicate_keys_are_refused():
    with pytest.raises(DataSyntaxError, match=r"duplicate key 'a' \(first at line 1\)") as caught:
        io.parse_text("a: 1\nb: 2\na: 3\n", "yaml")
    assert (caught.value.line, caught.value.column) == (3, 1)
    with pytest.raises(DataSyntaxError, match="duplicate key 'a'") as caught:
        io.parse_text('{\n  "a": 1,\n  "a": 2\n}', "json")
    assert (caught.value.line, caught.value.column) == (3, 3)


def test_json_nan_is_not_json():
    with pytest.raises(DataSyntaxError, match="NaN is not a JSON number"):
        io.parse_text('{"a": NaN}', "json")


def test_loads_points_at_the_first_schema_problem():
    with pytest.raises(DataFileError) as caught:
        io.load(FIXTURES / "invalid" / "unknown-status.yaml")
    assert str(caught.value).startswith(
        f"{FIXTURES / 'invalid' / 'unknown-status.yaml'}:60:19: "
        "annex.pillars[0].objectives[0].tasks[0].deliverables[1].status: unknown status 'done'"
    )
    assert str(caught.value).endswith("(2 problem(s); run htreport validate)")


def test_a_fifo_never_blocks_a_corpus_command(tmp_path, runner):
    # issue 12: a FIFO in a corpus directory held; reading one would block forever
    import os

    from htreport.cli import app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "2014-2015.yaml").write_bytes((FIXTURES / "valid" / "2014-2015.yaml").read_bytes())
    os.mkfifo(corpus / "pipe.yaml")
    result = runner.invoke(app, ["validate", str(corpus)])
    assert result.exit_code == 0 and "1 file checked: 1 valid" in result.output
    counted = runner.invoke(app, ["query", "deliverables", str(corpus), "-c"])
    expected = len(io.load(corpus / "2014-2015.yaml").deliverables())
    assert (counted.exit_code, counted.stdout) == (0, f"{expected}\n")
    # named as a data file, query refuses it (validate reads what it is given, as cat and jq
    # do: a FIFO blocks until something writes to it; `-` reads standard input)
    direct = runner.invoke(app, ["query", "deliverables", str(corpus / "pipe.yaml")])
    assert direct.exit_code == 2
    assert direct.stderr == (
        f"error: {corpus / 'pipe.yaml'}: not a regular file (a FIFO, device or socket); "
        "give a data file or use - for standard input\n"
    )
