"""Deep nesting is refused by htreport's own limit, with one message on every parser version.

libyaml 0.2.5+ has a nesting limit of its own (about 1,000 flow levels, with its own message);
the C composer and `json` recurse per level. htreport's linear pre-scan must decide first.
"""

from __future__ import annotations

import json

import pytest

from htreport.cli import app
from htreport.errors import ExitCode, UnsafeDataError
from htreport.store import io
from htreport.store.nesting import find_too_deep

from .conftest import STRUCTURED_DIR

LIMIT = io.MAX_NESTING
DEEP = 100_000

# (name, format, text, expected line, expected column of the first level past the limit)
CASES = [
    ("yaml-flow", "yaml", "a: " + "[" * DEEP + "]" * DEEP + "\n", 1, 3 + LIMIT),
    ("yaml-flow-mappings", "yaml", "a: " + "{b: " * DEEP + "1" + "}" * DEEP + "\n", 1, None),
    (
        "yaml-block-mappings",
        "yaml",
        "".join(" " * i + "a:\n" for i in range(2000)),
        LIMIT + 1,
        LIMIT + 1,
    ),
    (
        "yaml-block-sequences",
        "yaml",
        "".join(" " * (2 * i) + "- b:\n" for i in range(2000)),
        None,
        None,
    ),
    ("yaml-compact-sequence", "yaml", "- " * DEEP + "x\n", 1, 2 * LIMIT + 1),
    ("json-arrays", "json", "[" * DEEP + "]" * DEEP, 1, LIMIT + 1),
    ("json-objects", "json", '{"a": ' * DEEP + "1" + "}" * DEEP, 1, None),
    ("json-pretty", "json", "".join("  " * i + "[\n" for i in range(200)), LIMIT + 1, None),
]


@pytest.mark.parametrize(
    ("fmt", "text", "line", "column"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_deep_nesting_is_refused_where_it_happens(fmt, text, line, column):
    with pytest.raises(UnsafeDataError) as caught:
        io.parse_text(text, fmt, path="deep")
    error = caught.value
    assert error.message == f"nested more than {LIMIT} levels deep; refused"
    assert error.line is not None and error.column is not None
    if line is not None:
        assert error.line == line
    if column is not None:
        assert error.column == column


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("command", ["validate", "query"])
def test_validate_and_query_refuse_deep_files_with_their_exit_codes(runner, tmp_path, fmt, command):
    deep = tmp_path / f"deep.{fmt}"
    deep.write_text("[" * DEEP + "]" * DEEP if fmt == "json" else "a: " + "[" * DEEP + "]" * DEEP)
    args = (
        ["validate", str(deep)] if command == "validate" else ["query", "deliverables", str(deep)]
    )
    result = runner.invoke(app, args)
    assert "Traceback" not in result.output
    assert f"nested more than {LIMIT} levels deep; refused" in result.output
    assert f"{deep}:1:" in result.output
    expected = ExitCode.FINDINGS if command == "validate" else ExitCode.ERROR
    assert result.exit_code == expected, result.output


@pytest.mark.parametrize("path", sorted(STRUCTURED_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_the_depth_of_real_files_is_counted_exactly(path):
    text = path.read_text("utf-8")
    data = io.parse_text(text, "yaml")

    def depth(value):
        children = (
            value.values()
            if isinstance(value, dict)
            else value
            if isinstance(value, list)
            else None
        )
        return 0 if children is None else 1 + max((depth(child) for child in children), default=0)

    real = depth(data)
    for rendered in (text, json.dumps(data, indent=2), json.dumps(data)):
        assert find_too_deep(rendered, real) is None
        assert find_too_deep(rendered, real - 1) is not None


@pytest.mark.parametrize(
    "text",
    [
        "a: see [1] and {x}\n",
        "a: 'it''s [[[['\n",
        'a: "[[[[ \\" [[["\n',
        "a: |\n  [[[[[[\n  {{{{\nb: 1\n",
        "a: >-\n    - - - - - -\nb: 1\n",
        "a: [x] # [[[[[[\n",
        "a: ['[[[[', \"{{{{\"]\n",
        'a: "multi\n  line [[[[[[\n  string"\nb: 1\n',
        "---\na: 1\n...\n---\nb: 2\n",
    ],
)
def test_brackets_in_scalars_comments_and_block_scalars_do_not_count(text):
    assert find_too_deep(text, 2) is None
