"""The fast load path agrees with the careful one: same data, same errors at the same places.

`parse_document` tries `store.fastload` first and parses the careful way (positions, graph
checks) only when the fast path is not sure. Every text here goes through both; a difference in
data, error type, message, line or column fails. The fast path must also really be taken on the
shipped files, or the speed-up would silently be gone.
"""

from __future__ import annotations

import json
import random

import pytest

from htreport.errors import DataFileError
from htreport.store import io
from htreport.store.fastload import NOT_SURE, fast_json, fast_yaml, may_hold_node_property
from htreport.store.nesting import _Scanner, find_too_deep, surely_within

from .conftest import HERE, STRUCTURED_DIR

FIXTURES = sorted((HERE / "fixtures" / "valid").iterdir()) + sorted(
    p for p in (HERE / "fixtures" / "invalid").iterdir() if p.suffix in (".yaml", ".json")
)

YAML_CASES = {
    "plain": "a: 1\nb: [x, y]\nc: {d: 2014-01-02}\n",
    "same-key": "a: 1\nb: 2\na: 3\n",
    "key-written-alike": "a: 1\n'a': 2\n",
    "int-and-string-key": '1: one\n"1": two\n',
    "int-keys-constructed-alike": "1: one\n0x1: two\n",
    "nested-duplicate": "top:\n  - x: 1\n    x: 2\n",
    "merge-inline": "base:\n  <<: {a: 1}\n  b: 2\n",
    "merge-overridden": "base:\n  <<: {a: 1}\n  a: 2\n",
    "merge-as-value": "a: <<\n",
    "value-tag": "a: =\n",
    "anchor-alias": "a: &x [1, 2]\nb: *x\n",
    "python-tag": "a: !!python/object:os.system ls\n",
    "local-tag": "a: !thing 1\n",
    "non-specific-tag": "a: ! 12\n",
    "bad-date": "a: 2014-13-45\n",
    "good-timestamp": "a: 2014-01-02 10:11:12\n",
    "tab": "a:\n\tb: 1\n",
    "empty": "",
    "comment-only": "# nothing\n",
    "two-documents": "a: 1\n---\nb: 2\n",
    "bom": "\ufeffa: 1\n",
    "bom-anchor": "\ufeff&a x\n",
    "scalar-top": "just text\n",
    "complex-key": "? [a, b]\n: 1\n",
    "null-key": "~: 1\nnull: 2\n",
    "ampersand-prose": "a: R&D & more *stars\nb: 'Safety & Security'\n",
    "truncated-quote": 'a: "never closed\n',
    "flow-open": "a: [1, [2, [3]]]\nb: {c: [d]}\n",
    "deep-flow": "a: " + "[" * 70 + "]" * 70 + "\n",
    "deep-block": "".join(" " * i + "a:\n" for i in range(70)),
    "block-scalar": "a: |\n  [[[[\n  text: more\nb: 2\n",
    "indentless": "a:\n- 1\n- 2\nb: x\n",
    "compact": "- - - x\n",
    "float-special": "a: .inf\nb: -.NaN\n",
    "bools": "a: yes\nb: Off\n",
    "ints": "a: 0\nb: 012\nc: 1_000\nd: 0x1F\ne: -5\nf: +7\ng: 1:30\nh: 10\ni: 00\nj: 0b11\n",
    "repeated-plain-scalars": "- yes\n- 'yes'\n- yes\n- \"1\"\n- 1\n- ~\n- null\n- '~'\n- 1.5\n- 1.5\n",
}

JSON_CASES = {
    "plain": '{"a": 1, "b": [true, null, 1.5, "x"]}',
    "pretty": json.dumps({"a": {"b": [1, {"c": "]]{{"}]}}, indent=2),
    "duplicate": '{"a": 1, "a": 2}',
    "nested-duplicate": '{"a": [{"b": 1, "b": 1}]}',
    "nan": '{"a": NaN}',
    "infinity": '{"a": -Infinity}',
    "missing-comma": '{"a": 1 "b": 2}',
    "trailing": '{"a": 1} x',
    "scalar-top": '"just a string"',
    "leading-blank-lines": '\n  \r\n  {"a": 1}\n',
    "leading-tab": '\t{"a": 1}',
    "bom": '\ufeff{"a": 1}',
    "deep-64": "[" * 64 + "]" * 64,
    "deep-65": "[" * 65 + "]" * 65,
    "deep-objects": '{"a": ' * 70 + "1" + "}" * 70,
    "escapes": '{"a\\"b": "c\\\\", "d": "\\u005b"}',
    "empty": "",
    "raw-newline-in-string": '{"a": "x\ny"}',
}


def outcome(parse, text: str, fmt: str):
    """What parsing gives: ('ok', data, positions) or ('error', type, message, line, column)."""
    try:
        document = parse(text, fmt)
    except DataFileError as error:
        return ("error", type(error), error.message, error.line, error.column)
    return ("ok", document.data, document.positions)


def careful(text: str, fmt: str):
    return io._parse_carefully(text, fmt, "<string>")


def fast_then_careful(text: str, fmt: str):
    return io.parse_document(text, fmt)


def cases():
    for name, text in YAML_CASES.items():
        yield f"yaml-{name}", text, "yaml"
    for name, text in JSON_CASES.items():
        yield f"json-{name}", text, "json"
    for path in FIXTURES:
        yield path.name, path.read_text("utf-8"), io.format_of(path)
    for path in sorted(STRUCTURED_DIR.glob("*.yaml")):
        yield path.name, path.read_text("utf-8"), "yaml"


CASES = list(cases())


@pytest.mark.parametrize(("text", "fmt"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_fast_path_gives_what_the_careful_path_gives(text, fmt):
    assert outcome(fast_then_careful, text, fmt) == outcome(careful, text, fmt)


@pytest.mark.parametrize("path", sorted(STRUCTURED_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_files_take_the_fast_path(path):
    text = path.read_text("utf-8")
    assert fast_yaml(text, io.MAX_NESTING, io._Loader) is not NOT_SURE
    as_json = io.dumps(io.loads(text), "json")
    assert fast_json(as_json, io.MAX_NESTING) is not NOT_SURE


def test_a_fast_document_builds_its_positions_only_when_asked():
    text = YAML_CASES["plain"]
    document = io.parse_document(text, "yaml")
    assert document._positions is None
    assert document.positions == careful(text, "yaml").positions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x 1\nb: *x\n", True),
        ("&a [1]", True),
        ("a: !!str 1", True),
        ("a: ! 1", True),
        ("[*a]", True),
        ("{a:*b}", True),
        ("? &k a\n: 1", True),
        ("a: R&D and *", False),
        ("a: b & c", False),
        ("a: x!y", False),
        ("a: 5*3", False),
    ],
)
def test_node_properties_are_found_where_they_can_start(text, expected):
    assert may_hold_node_property(text) is expected


_PIECES = ["  ", " ", "- ", "-", "a: ", "a:", "[", "]", "{", "}", "\n", '"', "'", "#", "x", "|"]


def test_the_cheap_nesting_bound_never_hides_a_deep_text():
    """Whenever the bound says 'surely within', the full scanner finds nothing too deep."""
    generator = random.Random(13)
    checked = 0
    for _ in range(20_000):
        limit = generator.randint(3, 9)
        text = "".join(generator.choice(_PIECES) for _ in range(generator.randint(1, 60)))
        if surely_within(text, limit):
            checked += 1
            assert _Scanner(limit).run(text) is None, (text, limit)
    assert checked > 1_000  # the bound does say yes often enough to be worth having


def test_find_too_deep_still_finds_what_the_scanner_finds():
    text = "".join(" " * i + "a:\n" for i in range(70))
    assert not surely_within(text, 64)
    assert find_too_deep(text, 64) == _Scanner(64).run(text)


def test_fast_yaml_reads_integers_and_repeated_scalars_as_the_constructor_does():
    ints = fast_yaml(YAML_CASES["ints"], io.MAX_NESTING, io._Loader)
    expected = {"a": 0, "b": 10, "c": 1000, "d": 31, "e": -5, "f": 7, "g": 90, "h": 10, "i": 0}
    assert ints == expected | {"j": 3}
    assert all(type(v) is int for v in ints.values())
    repeated = fast_yaml(YAML_CASES["repeated-plain-scalars"], io.MAX_NESTING, io._Loader)
    assert repeated == [True, "yes", True, "1", 1, None, None, "~", 1.5, 1.5]
    assert [type(v) for v in repeated[:5]] == [bool, str, bool, str, int]


def schema_depth(node: dict, definitions: dict, seen: tuple[str, ...] = ()) -> int:
    """How many objects and arrays deep a value valid under a JSON schema can nest; raises
    when the schema admits a free-form value (any object, array or value: unbounded depth)."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        assert name not in seen, f"recursive definition {name}"
        return schema_depth(definitions[name], definitions, (*seen, name))
    alternatives = [choice for key in ("anyOf", "oneOf", "allOf") for choice in node.get(key, [])]
    if alternatives:
        return max(schema_depth(choice, definitions, seen) for choice in alternatives)
    kind = node.get("type")
    if kind == "object":
        children = list(node.get("properties", {}).values())
        extra = node.get("additionalProperties", not node.get("properties"))
        assert extra is not True, f"an object with free-form members: {node}"
        if isinstance(extra, dict):
            children.append(extra)
        return 1 + max((schema_depth(c, definitions, seen) for c in children), default=0)
    if kind == "array":
        assert "items" in node, f"an array of free-form items: {node}"
        items = [node["items"], *node.get("prefixItems", [])]
        return 1 + max(schema_depth(item, definitions, seen) for item in items)
    assert kind is not None or "const" in node or "enum" in node, f"a free-form value: {node}"
    return 0


def test_a_valid_report_nests_less_than_the_limit():
    """`io.loads` lets the fast JSON path skip its depth walk because data that validates as
    a Report cannot nest past MAX_NESTING; this test fails if the model ever admits a
    free-form (so unboundedly deep) value, or nests near the limit."""
    from htreport.model.report import Report

    schema = Report.model_json_schema()
    assert 10 <= schema_depth(schema, schema.get("$defs", {})) < io.MAX_NESTING


def _shipped_json() -> dict:
    path = sorted(STRUCTURED_DIR.glob("*.yaml"))[0]
    return json.loads(io.dumps(io.loads(path.read_text("utf-8")), "json"))


_DEEP = {
    "list": "[" * 70 + "]" * 70,
    "objects": '{"a": ' * 70 + "1" + "}" * 70,
    "list-of-objects": "[" + '{"a": [' * 40 + "]}" * 40 + "]",
}


def _deep_texts():
    for name, deep in _DEEP.items():
        yield f"whole-{name}", deep
        for where in ("metadata.extra", "metadata.title", "new-key", "wrong-version"):
            data = _shipped_json()
            if where == "new-key":
                data["zz"] = "@DEEP@"
            elif where == "wrong-version":
                data["schema_version"] = "0.1"  # the version error needs positions too
                data["zz"] = "@DEEP@"
            else:
                section, key = where.split(".")
                data[section][key] = "@DEEP@"
            yield f"{where}-{name}", json.dumps(data, indent=2).replace('"@DEEP@"', deep)


@pytest.mark.parametrize(("name", "text"), list(_deep_texts()), ids=lambda v: str(v)[:30])
def test_loads_refuses_deep_json_as_the_careful_path_does(name, text):
    """`io.loads` parses JSON without the depth walk; too deep a text is still refused with
    the careful path's error, at its line and column."""
    with pytest.raises(DataFileError) as careful_error:
        careful(text, "json")
    with pytest.raises(DataFileError) as loads_error:
        io.loads(text, "json")
    expected = careful_error.value
    got = loads_error.value
    assert (type(got), got.message, got.line, got.column) == (
        type(expected),
        expected.message,
        expected.line,
        expected.column,
    )
    assert "nested more than 64 levels" in got.message


def test_loads_takes_the_fast_path_without_the_depth_walk(monkeypatch):
    from htreport.store import fastload

    text = json.dumps(_shipped_json(), indent=2)
    monkeypatch.setattr(fastload, "_depth", lambda data: pytest.fail("walked the depth"))
    monkeypatch.setattr(io, "_parse_carefully", lambda *a: pytest.fail("parsed carefully"))
    assert io.loads(text, "json") == io.loads(io.dumps(io.loads(text, "json"), "yaml"))


def _yaml_texts():
    yield from YAML_CASES.items()
    for path in FIXTURES + sorted(STRUCTURED_DIR.glob("*.yaml")):
        if path.suffix == ".yaml":
            yield path.name, path.read_text("utf-8")


@pytest.mark.parametrize(("name", "text"), list(_yaml_texts()), ids=lambda v: str(v)[:30])
def test_fast_yaml_builds_what_pyyaml_builds_with_either_loader(name, text):
    """The data built from events is what PyYAML's own composer and constructor build, with
    the C loader and with the pure-Python one (a machine without libyaml)."""
    import yaml

    for loader_class in {io._Loader, yaml.SafeLoader}:
        fast = fast_yaml(text, io.MAX_NESTING, loader_class)
        if fast is not NOT_SURE:
            assert fast == yaml.load(text, Loader=loader_class), loader_class
            assert _types(fast) == _types(yaml.load(text, Loader=loader_class))


def _types(value):
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value)


_KEYS = ["a", "b", "'a'", '"b"', "1", "01", "0x1", "~", "null", "yes", "<<", "=", "2014-01-02"]
_SCALARS = [
    "x", "'x'", '"y"', "1", "-2", "012", "1_0", "1.5", ".nan", "yes", "No", "~", "", "2014-01-02",
    "2014-13-45", "1:30", "R&D", "a *b", "'q''s'", '"\\u00e9"', "<<", "=", "0b101", "+.inf",
]  # fmt: skip


def _generated_yaml(generator: random.Random, depth: int = 0) -> str:
    """A small YAML text in flow style: mappings with repeated or alike keys, lists, and
    scalars of every implicit type."""
    roll = generator.random()
    if depth > 3 or roll < 0.45:
        return generator.choice(_SCALARS)
    if roll < 0.7:
        items = [_generated_yaml(generator, depth + 1) for _ in range(generator.randint(0, 3))]
        return "[" + ", ".join(items) + "]"
    pairs = [
        f"{generator.choice(_KEYS)}: {_generated_yaml(generator, depth + 1)}"
        for _ in range(generator.randint(0, 4))
    ]
    return "{" + ", ".join(pairs) + "}"


def _generated_block(generator: random.Random) -> str:
    lines = []
    for _ in range(generator.randint(1, 5)):
        key = generator.choice(_KEYS)
        if generator.random() < 0.3:
            items = [f"  - {_generated_yaml(generator, 2)}" for _ in range(generator.randint(1, 3))]
            lines += [f"{key}:", *items]
        else:
            lines.append(f"{key}: {_generated_yaml(generator, 1)}")
    return "\n".join(lines) + "\n"


def test_fast_path_agrees_with_the_careful_path_on_generated_yaml():
    generator = random.Random(2026)
    fast_ones = 0
    for _ in range(3_000):
        text = (
            _generated_block(generator) if generator.random() < 0.6 else _generated_yaml(generator)
        )
        assert outcome(fast_then_careful, text, "yaml") == outcome(careful, text, "yaml"), text
        fast_ones += fast_yaml(text, io.MAX_NESTING, io._Loader) is not NOT_SURE
    assert fast_ones > 1_000  # most generated texts really take the fast path


def test_a_loader_with_path_resolvers_is_left_to_the_careful_path():
    """Path resolvers give tags by a node's place, which the event builder does not follow."""
    import yaml

    class PathResolving(yaml.SafeLoader):
        pass

    PathResolving.add_path_resolver("tag:yaml.org,2002:str", ["a"], yaml.ScalarNode)
    assert fast_yaml("a: 1\n", io.MAX_NESTING, PathResolving) is NOT_SURE
    assert fast_yaml("a: 1\n", io.MAX_NESTING, yaml.SafeLoader) == {"a": 1}
