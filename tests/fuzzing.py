"""What the fuzz suite shares: mutation strategies, a per-example time limit, the CLI run that
checks the exit-code contract, and the checks that every output is valid.

The settings profiles (`ci`, `dev`, `long`) are registered in `tests/conftest.py`; see
docs/development.md ("The fuzz suite").
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from hypothesis import settings
from hypothesis import strategies as st

#: Seconds one example may take before it counts as a hang (`HTREPORT_FUZZ_TIME_LIMIT`).
TIME_LIMIT = float(os.environ.get("HTREPORT_FUZZ_TIME_LIMIT", "30"))


def json_like(max_leaves: int = 20) -> st.SearchStrategy[Any]:
    """Any value `json.dumps` writes without a `default`: null, booleans, integers, finite
    floats and text, in lists and objects with text keys."""
    return st.recursive(
        st.none()
        | st.booleans()
        | st.integers(min_value=-(10**40), max_value=10**40)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=8), children, max_size=4)
        ),
        max_leaves=max_leaves,
    )


def examples(share: float = 1.0) -> int:
    """A share of the profile's `max_examples`, for tests whose examples are slow (PDF)."""
    return max(3, int(settings.default.max_examples * share))


class Hang(BaseException):
    """An example ran past TIME_LIMIT. A BaseException, so no `except Exception` swallows it."""


@contextmanager
def time_limit(seconds: float = TIME_LIMIT) -> Iterator[None]:
    """Raise `Hang` in the main thread when the block runs past `seconds` (SIGALRM)."""

    def expire(signum: int, frame: Any) -> None:
        raise Hang(f"example ran past the {seconds:g} s time limit")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- the contract of one command run --------------------------------------------------------


#: What a traceback or typer's usage block looks like on stderr (rich draws tracebacks in boxes).
STRAY = ("Traceback", "Usage:", "Try '", "╭", "│", "╰", '  File "')


def run_cli(
    args: Sequence[str],
    stdin: bytes | str | None = None,
    allowed: Sequence[int] = (0, 1, 2),
    stderr_prefixes: tuple[str, ...] | None = None,
) -> Any:
    """Run `htreport ARGS` in-process and check the contract: an exit code in `allowed`, no
    exception escaping the command, no traceback or usage block, an `error:` line for exit 2,
    and (with `stderr_prefixes`) every stderr line starting with one of them."""
    from typer.testing import CliRunner

    from htreport.cli import app

    with time_limit():
        result = CliRunner().invoke(app, list(args), input=stdin)
    shown = f"args={list(args)!r}\nstderr={result.stderr[-2000:]!r}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"exception escaped: {result.exception!r}\n{shown}") from (
            result.exception
        )
    assert result.exit_code in allowed, f"exit {result.exit_code}\n{shown}"
    assert "Traceback" not in result.stdout, shown
    for line in result.stderr.splitlines():
        assert not line.startswith(STRAY), f"stray line {line!r}\n{shown}"
        if stderr_prefixes is not None:
            assert line.startswith(stderr_prefixes), f"stray line {line!r}\n{shown}"
    if result.exit_code == 2:
        assert "error: " in result.stderr, shown
    return result


# -- outputs are valid -------------------------------------------------------------------------


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"not JSON: {name}")


def strict_json(text: str) -> Any:
    """`json.loads` that refuses NaN, Infinity and -Infinity, as every strict reader does."""
    return json.loads(text, parse_constant=_refuse_constant)


def loads_yaml(text: str) -> Any:
    return yaml.safe_load(text)


def check_sqlite(path: Path) -> None:
    """The database opens, passes `integrity_check`, and every table can be read whole."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        assert "deliverables" in tables, tables
        for table in tables:
            connection.execute(f'SELECT * FROM "{table}"').fetchall()
    finally:
        connection.close()


def check_csv_dir(directory: Path) -> None:
    """Every CSV file parses, and each row has as many fields as the header."""
    import csv

    files = sorted(directory.glob("*.csv"))
    assert files, f"no CSV files in {directory}"
    for path in files:
        with path.open(newline="", encoding="utf-8") as stream:
            rows = list(csv.reader(stream))
        assert rows, path
        assert all(len(row) == len(rows[0]) for row in rows), path


def check_report_text(text: str, fmt: str) -> None:
    """What `extract` wrote: strict JSON (or YAML that loads), passes `validate` with no issue,
    reloads to a report that dumps as strict JSON again."""
    from htreport.store import io
    from htreport.store.validate import validate_text

    if fmt == "json":
        strict_json(text)
    else:
        assert isinstance(loads_yaml(text), dict)
    found = validate_text(text, fmt, file=f"extracted.{fmt}")
    assert found.issues == [], [str(issue) for issue in found.issues]
    strict_json(io.dumps(io.loads(text, fmt), "json"))


# -- mutations of a text, line by line and byte by byte ----------------------------------------

CONTROL = [chr(c) for c in range(0x20) if c != 0x0A] + ["\x7f", "\x85", "\u2028", "\u2029"]
ODD_TEXT = st.text(
    st.one_of(
        st.sampled_from(CONTROL),
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        st.sampled_from(list("\t|<>&;:*_#-.,$%()[]{}\\/'\"")),
    ),
    max_size=40,
)
#: Units a huge line repeats: the runs the number, markup and sentence patterns meet.
#: (A run of superscript digits is a number past 4,300 digits: `huge_number`'s class.)
HUGE_UNITS = ["9,", "9, ", "_", "*a", "a", "x@", ". ", "\t", "1.1 ", "$9 million ", "<b>"]

#: Numbers written the ways reports write them; magnitudes stay below 2**63 (huge numbers are
#: in `huge_numbers`).
NUMBER_WORDS = st.one_of(
    st.integers(0, 10**15).map(str),
    st.integers(0, 10**15).map("{:,}".format),
    st.builds("{}.{}".format, st.integers(0, 9999), st.integers(0, 99)),
    st.builds("${} million".format, st.integers(0, 99999)),
    st.builds("{}%".format, st.integers(0, 100)),
    st.builds("{} {}".format, st.integers(1, 999), st.sampled_from(["hundred", "thousand"])),
    st.lists(st.integers(0, 99), min_size=2, max_size=30).map(lambda ns: ",".join(map(str, ns))),
    st.sampled_from(["one", "twenty-five", "1 000", "31, 454", "2014-15", "¹²³", "9.9.9"]),
)
PROSE_UNITS = st.sampled_from(
    ["people", "victims", "cases", "officers were trained", "dollars", "charges", "in 2014"]
)
CELL_TEXT = st.one_of(
    ODD_TEXT,
    st.sampled_from(
        [
            "",
            "Ongoing",
            "Completed",
            "In progress",
            "Start: 2012/13",
            "Start: 2015/16 End: 2013/14",
            "NEW: A new deliverable.",
            "PS, RCMP",
            "CBSA/IRCC",
            "Unknown Dept",
            "1.11",
            "9.99",
            "Objective 7.1:",
            "PREVENTION",
        ]
    ),
)


def huge_number() -> st.SearchStrategy[str]:
    """Numbers past 2**63 and past float range: the class issues 12 and 20 name."""
    return st.one_of(
        st.integers(2**63, 10**25).map(str),
        st.integers(19, 600).map(lambda n: "9" * n),
        st.integers(19, 40).map(lambda n: f"{10**n - 1:,}"),
    )


def _op_delete(draw, lines: list[str]) -> None:
    if lines:
        at = draw(st.integers(0, len(lines) - 1))
        del lines[at : at + draw(st.integers(1, 20))]


def _op_duplicate(draw, lines: list[str]) -> None:
    if lines:
        at = draw(st.integers(0, len(lines) - 1))
        piece = lines[at : at + draw(st.integers(1, 10))]
        to = draw(st.integers(0, len(lines)))
        lines[to:to] = piece


def _op_swap(draw, lines: list[str]) -> None:
    if len(lines) > 1:
        a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        lines[a], lines[b] = lines[b], lines[a]


def _op_truncate(draw, lines: list[str]) -> None:
    if lines:
        at = draw(st.integers(0, len(lines) - 1))
        cut = draw(st.integers(0, len(lines[at])))
        lines[at:] = [lines[at][:cut]]


def _op_odd_text(draw, lines: list[str]) -> None:
    if lines:
        at = draw(st.integers(0, len(lines) - 1))
        col = draw(st.integers(0, len(lines[at])))
        lines[at] = lines[at][:col] + draw(ODD_TEXT) + lines[at][col:]


def _op_huge_line(draw, lines: list[str]) -> None:
    unit = draw(st.sampled_from(HUGE_UNITS))
    line = unit * (draw(st.integers(1_000, 30_000)) // len(unit))
    lines.insert(draw(st.integers(0, len(lines))), line)


def _op_number_in_prose(draw, lines: list[str]) -> None:
    sentence = f"The program counted {draw(NUMBER_WORDS)} {draw(PROSE_UNITS)} this year."
    if lines and draw(st.booleans()):
        at = draw(st.integers(0, len(lines) - 1))
        lines[at] = f"{lines[at]} {sentence}"
    else:
        lines.insert(draw(st.integers(0, len(lines))), sentence)


def _op_chart_cell(draw, lines: list[str]) -> None:
    """Replace one cell of a table row (tab- or pipe-separated, or an HTML cell)."""
    rows = [
        i for i, line in enumerate(lines) if "\t" in line or line.count("|") > 1 or "<td" in line
    ]
    if not rows:
        return
    at = draw(st.sampled_from(rows))
    line = lines[at]
    if "<td" in line:
        start = line.index("<td")
        close = line.find(">", start)
        end = line.find("</td>", close)
        if close != -1 and end != -1:
            lines[at] = line[: close + 1] + draw(CELL_TEXT) + line[end:]
        return
    separator = "\t" if "\t" in line else "|"
    cells = line.split(separator)
    cells[draw(st.integers(0, len(cells) - 1))] = draw(CELL_TEXT).replace(separator, " ")
    lines[at] = separator.join(cells)


def _op_chart_row(draw, lines: list[str]) -> None:
    """Insert a chart row of random cells next to an existing row."""
    rows = [i for i, line in enumerate(lines) if "\t" in line or line.count("|") > 1]
    if not rows:
        return
    at = draw(st.sampled_from(rows))
    separator = "\t" if "\t" in lines[at] else "|"
    cells = draw(st.lists(CELL_TEXT, min_size=1, max_size=7))
    task = draw(
        st.builds("{}.{}{}".format, st.integers(0, 9), st.integers(0, 9), st.integers(0, 19))
    )
    row = separator.join([task, *(cell.replace(separator, " ") for cell in cells)])
    lines.insert(at + draw(st.integers(0, 1)), f"|{row}|" if separator == "|" else row)


LINE_OPS = {
    "delete": _op_delete,
    "duplicate": _op_duplicate,
    "swap": _op_swap,
    "truncate": _op_truncate,
    "odd-text": _op_odd_text,
    "huge-line": _op_huge_line,
    "number-in-prose": _op_number_in_prose,
    "chart-cell": _op_chart_cell,
    "chart-row": _op_chart_row,
}


@st.composite
def mutated_text(draw, texts: Sequence[str], ops: Sequence[str] = tuple(LINE_OPS)) -> str:
    """One of `texts` after one to six mutations drawn from `ops`."""
    lines = draw(st.sampled_from(texts)).split("\n")
    for _ in range(draw(st.integers(1, 6))):
        LINE_OPS[draw(st.sampled_from(list(ops)))](draw, lines)
    return "\n".join(lines)


@st.composite
def mutated_bytes(draw, texts: Sequence[str], ops: Sequence[str] = tuple(LINE_OPS)) -> bytes:
    """A mutated text as bytes, sometimes with random bytes written over or into it."""
    data = bytearray(draw(mutated_text(texts, ops)).encode("utf-8"))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        junk = draw(st.binary(min_size=1, max_size=16))
        if draw(st.booleans()):
            data[at : at + len(junk)] = junk
        else:
            data[at:at] = junk
    return bytes(data)


@st.composite
def mutated_pdf(draw, pdfs: Sequence[bytes]) -> bytes:
    """A PDF truncated (with or without a fresh `%%EOF`), byte-flipped, or with bytes spliced."""
    data = bytearray(draw(st.sampled_from(pdfs)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "truncate-eof", "flip", "splice", "zero"]))
        at = draw(st.integers(min(8, len(data)), max(8, len(data) - 1)))
        if kind.startswith("truncate"):
            del data[at:]
            if kind == "truncate-eof":
                data += b"\n%%EOF\n"
        elif kind == "flip":
            for _ in range(draw(st.integers(1, 32))):
                spot = draw(st.integers(8, max(8, len(data) - 1)))
                if spot < len(data):
                    data[spot] ^= 1 << draw(st.integers(0, 7))
        elif kind == "splice":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            data[at : at + draw(st.integers(1, 256))] = b""
    return bytes(data)


# -- mutations of a data tree (a loaded YAML/JSON report) --------------------------------------


def leaf_paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value of the tree (containers included), in document order."""
    found: list[tuple] = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += leaf_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += leaf_paths(value, (*prefix, index))
    return found


def get_at(node: Any, path: tuple) -> Any:
    for step in path:
        node = node[step]
    return node


def set_at(node: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    get_at(node, path[:-1])[path[-1]] = value
    return node


def delete_at(node: Any, path: tuple) -> None:
    if path:
        del get_at(node, path[:-1])[path[-1]]


LONG_STRINGS = st.one_of(
    st.integers(1, 200_000).map(lambda n: "x" * n),
    st.integers(1, 5_000).map(lambda n: "Prévention ✓ 人身売買 🚫 " * n),
)
#: Text in every plane (but no lone surrogates: issue 20's class, fixed elsewhere).
UNICODE_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60)
#: Integers across the SQLite range (|n| < 2**63; past it is `BIG_INTS`).
EXTREME_INTS = st.one_of(
    st.sampled_from([0, -1, 1, 2**31, 2**53 + 1, 2**63 - 1, -(2**63)]),
    st.integers(-(2**63), 2**63 - 1),
)
BIG_INTS = st.one_of(st.integers(2**63, 10**40), st.integers(-(10**40), -(2**63) - 1))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    EXTREME_INTS,
    st.floats(allow_nan=False, allow_infinity=False),
    UNICODE_TEXT,
    st.sampled_from(["", "2014-2015", "2014-15", "ongoing", "PS", "1.11", "1.11.1", "yes"]),
)
#: Values legal in YAML or JSON text that no report may hold (issue 20): NaN, infinities,
#: integers past 64 bits and lone surrogates (in text, or alone).
UNWRITABLE = st.one_of(
    st.sampled_from([float("nan"), float("inf"), float("-inf"), "\ud800", "a\udfffb"]),
    BIG_INTS,
    st.builds(lambda left, right: left + "\udc80" + right, UNICODE_TEXT, UNICODE_TEXT),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(UNICODE_TEXT, inner, max_size=3)
    ),
    max_leaves=6,
)


def like(value: Any) -> st.SearchStrategy[Any]:
    """An extreme value of the same kind as `value`: what a schema-valid file can still hold."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return EXTREME_INTS.map(abs) | EXTREME_INTS
    if isinstance(value, float):
        return st.floats(allow_nan=False, allow_infinity=False)
    if isinstance(value, str):
        return st.one_of(LONG_STRINGS, UNICODE_TEXT.filter(bool), st.just(value + "\u200b"))
    if isinstance(value, list):
        return st.just([])
    return st.just(value)


@st.composite
def tree_with_unwritable_value(draw, tree: Any) -> Any:
    """A deep copy of `tree` with one to three values replaced by `UNWRITABLE` ones."""
    import copy

    tree = copy.deepcopy(tree)
    for _ in range(draw(st.integers(1, 3))):
        paths = leaf_paths(tree)
        tree = set_at(tree, draw(st.sampled_from(paths[1:] or paths)), draw(UNWRITABLE))
    return tree


@st.composite
def mutated_tree(draw, tree: Any, same_kind: bool) -> Any:
    """A deep copy of `tree` with one to five values changed: replaced by a value `like` the old
    one (`same_kind`), or by any value, deleted, or a list item duplicated."""
    import copy

    tree = copy.deepcopy(tree)
    for _ in range(draw(st.integers(1, 5))):
        paths = leaf_paths(tree)
        path = draw(st.sampled_from(paths[1:] or paths))
        old = get_at(tree, path)
        action = "like" if same_kind else draw(st.sampled_from(["any", "delete", "dup", "like"]))
        if action == "like":
            tree = set_at(tree, path, draw(like(old)))
        elif action == "any":
            tree = set_at(tree, path, draw(VALUES))
        elif action == "delete" and path:
            delete_at(tree, path)
        elif action == "dup" and isinstance(old, list) and old:
            old.insert(draw(st.integers(0, len(old))), copy.deepcopy(draw(st.sampled_from(old))))
    return tree
