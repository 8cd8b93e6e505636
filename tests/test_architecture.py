"""The folders are the pipeline: no import cycle anywhere, one-line layer docstrings, small modules.

The layer contracts themselves are import-linter's (`lint-imports`, run by .ci/run); these tests
check what it does not: cycles inside a layer, function-level imports included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

import htreport

PACKAGE = Path(htreport.__file__).parent
LAYERS = ["readers", "parsers", "model", "pipeline", "store", "analysis", "export", "render", "cli"]


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: the groups of modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return groups


def test_no_import_cycle_anywhere_function_level_imports_included():
    graph = grimp.build_graph("htreport")
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert strongly_connected(edges) == []


def test_the_cycle_finder_finds_a_cycle():
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_says_in_one_line_what_it_does(layer):
    docstring = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text("utf-8")))
    assert docstring, f"{layer}/__init__.py has no docstring"
    assert docstring.splitlines()[0].endswith((".", ":")), docstring


def test_no_module_is_much_past_400_lines():
    sizes = {
        str(path.relative_to(PACKAGE)): sum(
            1 for line in path.read_text("utf-8").splitlines() if line.strip()
        )
        for path in PACKAGE.rglob("*.py")
    }
    assert {name: size for name, size in sizes.items() if size > 450} == {}
