"""Every regular expression in the package runs in linear time on adversarial input.

The patterns are collected, not listed: every compiled `re.Pattern` reachable from a module of
the package (module attributes, and lists or tuples of them) and every string literal passed
to a `re.*` function in the source. Each is run the way the source runs it (`match` when the
package only ever anchors it at a position, `search` otherwise) over repeated runs of units
built from digits, commas, spaces, punctuation, letters and the literal words of the pattern,
at 1 KB and 10 KB: the time may grow at most 30-fold (linear is ~10, quadratic ~100).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import htreport
from tests.scaling import growth

PACKAGE = Path(htreport.__file__).parent
_SEARCHING = {"search", "sub", "subn", "finditer", "findall", "split"}
_ANCHORED = {"match", "fullmatch"}

#: Units repeated to make adversarial text: the classes number, space, punctuation and
#: markup patterns quantify over, alone and in the combinations that make lists and groups.
BASE_UNITS = [
    "9", "9,", "9, ", "9.", " ", "\t", ".", "_", "*a ", "a", "a.", "A. ", "'", '"', "<a ",
    "$", "¹", "\\", "one ", "1.1 ",
]  # fmt: skip

#: Patterns the source only ever anchors at a position through another name
#: (store/nesting.py: `pattern = _DOUBLE_QUOTED_END if ... else ...; pattern.match(line, at)`).
ANCHORED_BY_CALLER = {
    "htreport.store.nesting._DOUBLE_QUOTED_END",
    "htreport.store.nesting._SINGLE_QUOTED_END",
}


def _uses(tree: ast.AST) -> dict[str, set[str]]:
    """For each name in a module, the `re.Pattern` methods called on it."""
    uses: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            uses.setdefault(node.value.id, set()).add(node.attr)
    return uses


def _module_patterns() -> dict[str, tuple[re.Pattern, str]]:
    found: dict[str, tuple[re.Pattern, str]] = {}
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="htreport."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        source = Path(module.__file__ or "").read_text("utf-8")
        uses = _uses(ast.parse(source))
        for name, value in vars(module).items():
            values = value if isinstance(value, list | tuple) else [value]
            called = uses.get(name, set())
            mode = "match" if called and called <= _ANCHORED else "search"
            if f"{info.name}.{name}" in ANCHORED_BY_CALLER:
                mode = "match"
            for item in values:
                for part in item if isinstance(item, tuple) else (item,):
                    if isinstance(part, re.Pattern):
                        found[f"{info.name}.{name}"] = (part, mode)
    return found


def _literal_patterns() -> dict[str, tuple[re.Pattern, str]]:
    found: dict[str, tuple[re.Pattern, str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.func.attr in _SEARCHING | _ANCHORED
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                mode = "match" if node.func.attr in _ANCHORED else "search"
                where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                found[where] = (re.compile(node.args[0].value, re.IGNORECASE), mode)
    return found


PATTERNS = {**_module_patterns(), **_literal_patterns()}


def _units(pattern: re.Pattern) -> list[str]:
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode()
    words = sorted(set(re.findall(r"[A-Za-z]{3,}", source)))[:4]
    return BASE_UNITS + [f"{word} " for word in words] + [f"{word} 9, " for word in words]


def test_the_package_patterns_are_found():
    # the audit must see the number patterns and the inline literals, or it proves nothing
    assert PATTERNS["htreport.model.numbers.DIGITS_PATTERN"][1] == "search"
    assert PATTERNS["htreport.parsers.statistics._DURATION_AFTER"][1] == "match"
    assert any(name.startswith("parsers/prose.py:") for name in PATTERNS)
    assert len(PATTERNS) > 100


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_runs_in_linear_time(name):
    pattern, mode = PATTERNS[name]
    run = pattern.search if mode == "search" else pattern.match
    binary = isinstance(pattern.pattern, bytes)
    worst = (0.0, "")
    for unit in _units(pattern):

        def make(size: int, unit: str = unit):
            text = (unit * (size // len(unit) + 1))[:size] + "\x01!"
            subject = text.encode("utf-8", "surrogatepass") if binary else text
            return lambda: run(subject)

        worst = max(worst, (growth(make, 1_000, 10, bound=30), unit))
    assert worst[0] <= 30, f"{name}: {worst[0]:.0f}x the time for 10x the input of {worst[1]!r}"


def test_the_reported_hang_is_gone():
    # issue 12: forty list items took > 30 s; each more doubled the time
    from htreport.parsers.statistics import _DURATION_AFTER

    assert _DURATION_AFTER.match(" 9" + ",9" * 60 + " cases") is None


def test_a_user_grep_pattern_runs_in_linear_time():
    # (a+)+$ is exponential on Python's engine; --grep compiles user patterns for RE2
    from htreport.analysis.filters import linear_regex

    pattern = linear_regex("(a+)+$")

    def make(size: int):
        text = "a" * size + "!"
        return lambda: pattern.search(text)

    assert growth(make, 1_000, 10, bound=30) <= 30
    assert linear_regex("TRAIN").search("trained") is not None


def test_a_grep_pattern_re2_cannot_run_is_one_clear_error():
    from htreport.analysis.filters import linear_regex

    with pytest.raises(ValueError, match="no lookaround"):
        linear_regex("(?<=a)b")


def test_the_audit_tells_quadratic_from_linear():
    # the retries on a loaded machine must not let a quadratic pass: visiting every pair of
    # positions is ~100x for 10x the input, every time it is measured
    def make(size: int):
        return lambda: sum(1 for i in range(size) for _j in range(i))

    assert growth(make, 100, 10, bound=30) > 30
