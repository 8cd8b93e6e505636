"""The fast path for loading a data file: plain data, no position tree, no graph walk.

A file that loads and validates needs no positions, and a YAML text in which no anchor, alias
or tag can start has no alias graph or tag to check. This path therefore parses with libyaml
(building the data from the composed nodes directly) or `json.loads`, refusing repeated keys
as it goes, and answers NOT_SURE for anything it cannot vouch for: then `store.io` parses the
text again the careful way, which gives the same errors at the same places as ever. It never
accepts a text the careful path refuses; it may send a good text the careful way.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any, Final

from htreport.store.nesting import find_too_deep

#: Returned when the fast path cannot vouch for a text (the careful path decides).
NOT_SURE: Final = object()

#: Tags a data file may use (explicitly or implicitly): plain YAML data, nothing executable.
PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("null", "bool", "int", "float", "str", "seq", "map", "timestamp", "merge")
)
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_MERGE = "tag:yaml.org,2002:merge"

#: Characters after which an anchor (`&a`), an alias (`*a`) or a tag (`!x`) can start (besides
#: whitespace and the start of the text).
_BEFORE_PROPERTY = frozenset("[]{},:?\ufeff")


def may_hold_node_property(text: str) -> bool:
    """Whether an anchor, alias or tag could start somewhere in `text` (False: certainly not).

    Anchor and alias names are letters, digits, `-` and `_` (libyaml refuses others), so
    neither `R&D` nor `Safety & Security` is taken for one. `str.find` per character is several
    times faster than any regular expression for this."""
    for mark in "!&*":
        at = text.find(mark)
        while at >= 0:
            before = text[at - 1] if at else " "
            if before.isspace() or before in _BEFORE_PROPERTY:
                after = text[at + 1 : at + 2]
                if mark == "!" or after.isalnum() or after in ("-", "_"):
                    return True
            at = text.find(mark, at + 1)
    return False


class _NotSure(Exception):
    pass


def fast_yaml(text: str, limit: int, loader_class: Any) -> Any:
    """The data of a YAML text, or NOT_SURE (the careful path must parse it).

    `loader_class` is PyYAML's safe loader (the C one where available)."""
    if may_hold_node_property(text) or find_too_deep(text, limit) is not None:
        return NOT_SURE
    loader = _quick_resolving(loader_class)(text)
    try:
        root = loader.get_single_node()
        return NOT_SURE if root is None else _build(root, loader)
    except Exception:  # noqa: BLE001 - any doubt at all: the careful path gives the error
        return NOT_SURE
    finally:
        loader.dispose()


@cache
def _quick_resolving(loader_class: Any) -> Any:
    """`loader_class`, resolving each distinct plain scalar of a text once (keys repeat
    thousands of times) and skipping the path-resolver bookkeeping when there are none.

    libyaml's composer calls these three methods for every node; the tags they give are
    those of `loader_class` itself."""
    if loader_class.yaml_path_resolvers:
        return loader_class
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    scalar_tag = loader_class.DEFAULT_SCALAR_TAG
    collection_tags = {
        SequenceNode: loader_class.DEFAULT_SEQUENCE_TAG,
        MappingNode: loader_class.DEFAULT_MAPPING_TAG,
    }

    class QuickResolving(loader_class):
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self._plain_tags: dict[str, str] = {}

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is not ScalarNode:
                return collection_tags[kind]
            if not implicit[0]:
                return scalar_tag  # quoted, or a block scalar
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = self._plain_tags[value] = super().resolve(kind, value, implicit)
            return tag

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass  # no path resolvers to follow

        def ascend_resolver(self) -> None:
            pass

    return QuickResolving


def _build(node: Any, loader: Any) -> Any:
    """The plain data of a composed node tree (no aliases: the text has none)."""
    kind, tag = node.id, node.tag
    if tag not in PLAIN_TAGS:
        raise _NotSure
    if kind == "scalar":
        value = node.value
        if tag == _STR:
            return value
        if tag == _INT and value.isdigit() and (value[0] != "0" or len(value) == 1):
            return int(value)  # what the constructor gives a plain decimal (0 starts octal)
        return loader.yaml_constructors[tag](loader, node)
    if kind == "sequence":
        return [_build(item, loader) for item in node.value]
    pairs = node.value
    mapping = {}
    for key_node, value_node in pairs:
        if key_node.id != "scalar" or key_node.tag == _MERGE:
            raise _NotSure
        mapping[_build(key_node, loader)] = _build(value_node, loader)
    # a key written twice (or two keys that construct alike): the careful path names it
    if len(mapping) != len(pairs) or len({key.value for key, _ in pairs}) != len(pairs):
        raise _NotSure
    return mapping


#: A JSON text whose first value is an array or object on a line of its own indentation (so
#: the nesting scanner counts its brackets and nothing else).
_JSON_START = re.compile(r"(?: *+\r?\n)*+ *+[\[{]")


def fast_json(text: str, limit: int, *, depth_bounded: bool = False) -> Any:
    """The data of a JSON text, or NOT_SURE (the careful path must parse it).

    With `depth_bounded` the caller vouches for the depth (see `io.parse_document`): the
    data is then an object, whose depth is not walked."""
    if not _JSON_START.match(text):
        return NOT_SURE
    try:
        data = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_unique_keys)
    except Exception:  # noqa: BLE001 - a syntax error, a repeated key, NaN, too deep: be careful
        return NOT_SURE
    if depth_bounded:
        return data if type(data) is dict else NOT_SURE
    return data if _depth(data) <= limit else NOT_SURE


def _refuse_constant(name: str) -> Any:
    raise _NotSure(name)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _NotSure
    return mapping


def _depth(data: Any) -> int:
    """How many arrays and objects deep parsed JSON goes (for valid JSON text starting as
    `_JSON_START` requires, exactly what the nesting scanner counts in the text)."""
    deepest = 0
    stack = [(data, 1)] if isinstance(data, (dict, list)) else []
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        children = value.values() if type(value) is dict else value
        stack += [(child, depth + 1) for child in children if type(child) in (dict, list)]
    return deepest
