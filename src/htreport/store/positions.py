"""Where a value stands in a YAML or JSON file: data paths -> line and column.

Validators report data paths (`annex.pillars[0].objectives[0].status`); people fix lines. A
`PosNode` tree mirrors the parsed data with the 1-based line and column of every value and
key. YAML trees come from composed `yaml` nodes (no yaml import needed here), JSON trees from a
small position-aware scan of the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

PathPart = str | int


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column."""

    line: int
    column: int


@dataclass(slots=True)
class PosNode:
    """One value of the document: its position, and its children if it is a mapping or list."""

    position: Position
    keys: dict[str, tuple[Position, PosNode]] | None = None  # mapping: key -> (key position, value)
    items: list[PosNode] | None = None  # sequence
    merged: list[PosNode] = field(default_factory=list)  # YAML `<<` merge sources
    duplicates: list[tuple[str, Position]] = field(default_factory=list)  # repeated keys


def first_duplicate(root: PosNode) -> tuple[str, Position, Position] | None:
    """The first repeated mapping key in file order: (name, first position, repeat position)."""
    found: list[tuple[str, Position, Position]] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.keys is not None:
            found += [(name, node.keys[name][0], where) for name, where in node.duplicates]
            stack += [child for _, child in node.keys.values()] + node.merged
        stack += node.items or []
    return min(found, key=lambda f: (f[2].line, f[2].column)) if found else None


def format_path(path: Sequence[PathPart]) -> str:
    """`('annex', 'pillars', 0, 'heading')` -> `annex.pillars[0].heading`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def locate(root: PosNode, path: Sequence[PathPart], *, key: bool = False) -> Position:
    """Position of the value at `path`, or of the deepest part of it that exists.

    With `key=True` the position of the last key itself is returned (for unknown fields). A path
    that leaves the document (a missing field) points at the mapping that should hold it."""
    node = root
    for index, part in enumerate(path):
        last = index == len(path) - 1
        found = _child(node, part)
        if found is None:
            return node.position
        key_position, child = found
        if last and key and key_position is not None:
            return key_position
        node = child
    return node.position


def _child(node: PosNode, part: PathPart) -> tuple[Position | None, PosNode] | None:
    if node.items is not None and isinstance(part, int):
        return (None, node.items[part]) if 0 <= part < len(node.items) else None
    if node.keys is not None:
        name = str(part)
        if name in node.keys:
            return node.keys[name]
        for source in node.merged:
            found = _child(source, part)
            if found is not None:
                return found
    return None


# YAML ------------------------------------------------------------------------------------------


def from_yaml_node(root: Any) -> PosNode:
    """Build the tree from a composed yaml node graph (aliases share a subtree).

    The graph must be acyclic (io checks that before calling)."""
    return _yaml_position_tree(root, {})


def _yaml_position_tree(node: Any, built: dict[int, PosNode]) -> PosNode:
    # A module function, not a closure: a recursive closure is a reference cycle, which kept
    # every file's tree alive until the cyclic collector (rare in bulk work) ran.
    done = built.get(id(node))
    if done is not None:
        return done
    mark = node.start_mark
    result = PosNode(Position(mark.line + 1, mark.column + 1))
    built[id(node)] = result
    if node.id == "sequence":
        result.items = [_yaml_position_tree(item, built) for item in node.value]
    elif node.id == "mapping":
        result.keys = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = value_node.value if value_node.id == "sequence" else [value_node]
                result.merged += [_yaml_position_tree(source, built) for source in sources]
                continue
            name = str(key_node.value) if key_node.id == "scalar" else repr(key_node.value)
            key_mark = key_node.start_mark
            key_position = Position(key_mark.line + 1, key_mark.column + 1)
            if name in result.keys:
                result.duplicates.append((name, key_position))
            else:
                result.keys[name] = (key_position, _yaml_position_tree(value_node, built))
    return result


# JSON ------------------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = ("true", "false", "null", "NaN", "Infinity", "-Infinity")


class JSONPositionError(ValueError):
    """The scan hit text that is not JSON (json.loads should have refused it first)."""


def from_json_text(text: str) -> PosNode:
    """Scan JSON text (already known to parse) and build the tree of positions."""
    from json.decoder import scanstring  # type: ignore[attr-defined]  # in the C module, untyped

    line_starts = [0] + [match.end() for match in re.finditer(r"\n", text)]

    def position(offset: int) -> Position:
        from bisect import bisect_right

        line = bisect_right(line_starts, offset)
        return Position(line, offset - line_starts[line - 1] + 1)

    def skip(offset: int) -> int:
        return _WHITESPACE.match(text, offset).end()  # type: ignore[union-attr]

    # An explicit stack instead of recursion: deeply nested files must not crash the scan.
    offset = skip(0)
    root: PosNode | None = None
    stack: list[tuple[PosNode, str | None]] = []  # container, pending key (objects)

    def attach(node: PosNode, key_info: tuple[str, Position] | None) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent, _ = stack[-1]
        if parent.items is not None:
            parent.items.append(node)
        elif parent.keys is not None and key_info is not None:
            if key_info[0] in parent.keys:
                parent.duplicates.append(key_info)
            else:
                parent.keys[key_info[0]] = (key_info[1], node)

    pending_key: tuple[str, Position] | None = None
    while True:
        offset = skip(offset)
        if offset >= len(text):
            break
        char = text[offset]
        in_object = bool(stack) and stack[-1][0].keys is not None
        if in_object and pending_key is None and char == '"':
            key_position = position(offset)
            name, offset = scanstring(text, offset + 1)
            offset = skip(offset)
            if text[offset : offset + 1] != ":":
                raise JSONPositionError(f"expected ':' at offset {offset}")
            pending_key = (name, key_position)
            offset += 1
            continue
        if char in ",":
            offset += 1
            continue
        if char in "}]":
            stack.pop()
            offset += 1
            continue
        here = position(offset)
        if char in "{[":
            node = PosNode(
                here, keys={} if char == "{" else None, items=[] if char == "[" else None
            )
            attach(node, pending_key)
            pending_key = None
            stack.append((node, None))
            offset += 1
            continue
        if char == '"':
            _, offset = scanstring(text, offset + 1)
        else:
            match = _NUMBER.match(text, offset)
            if match:
                offset = match.end()
            else:
                literal = next((word for word in _LITERALS if text.startswith(word, offset)), None)
                if literal is None:
                    raise JSONPositionError(f"unexpected {char!r} at offset {offset}")
                offset += len(literal)
        attach(PosNode(here), pending_key)
        pending_key = None
    if root is None:
        raise JSONPositionError("no JSON value")
    return root
