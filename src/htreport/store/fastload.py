"""The fast path for loading a data file: plain data, no position tree, no graph walk.

A file that loads and validates needs no positions, and a YAML text in which no anchor, alias
or tag can start has no alias graph or tag to check. This path therefore parses with libyaml
(building the data from its parse events, with no nodes) or `json.loads`, refusing repeated keys
as it goes, and answers NOT_SURE for anything it cannot vouch for: then `store.io` parses the
text again the careful way, which gives the same errors at the same places as ever. It never
accepts a text the careful path refuses; it may send a good text the careful way.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode

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


_UNKNOWN: Final = object()


def fast_yaml(text: str, limit: int, loader_class: Any) -> Any:
    """The data of a YAML text, or NOT_SURE (the careful path must parse it).

    `loader_class` is PyYAML's safe loader (the C one where available). The data is built
    from libyaml's events, without composing nodes: composing (a node and two marks per value,
    a resolver call for each) took twice as long as parsing."""
    if (
        loader_class.yaml_path_resolvers
        or may_hold_node_property(text)
        or find_too_deep(text, limit) is not None
    ):
        return NOT_SURE
    loader = loader_class(text)
    try:
        return _EventBuilder(loader).document()
    except Exception:  # noqa: BLE001 - any doubt at all: the careful path gives the error
        return NOT_SURE
    finally:
        loader.dispose()


class _EventBuilder:
    """The plain data of the one document in a loader's event stream (no aliases, anchors or
    tags: the text has none), as PyYAML's composer and constructor would build it.

    A class, not nested functions: a recursive closure is a reference cycle, which would keep
    each text's strings alive until the (rarely run, in bulk work) cyclic collector came."""

    __slots__ = ("_constructors", "_loader", "_next_event", "_plain_values", "_resolve")

    def __init__(self, loader: Any) -> None:
        self._loader = loader
        self._next_event = loader.get_event
        self._resolve = loader.resolve
        self._constructors = loader.yaml_constructors
        self._plain_values: dict[str, Any] = {}  # keys repeat thousands of times

    def document(self) -> Any:
        next_event = self._next_event
        if (next_event().__class__, next_event().__class__) != (
            StreamStartEvent,
            DocumentStartEvent,
        ):
            raise _NotSure  # no document at all
        root = self._data(next_event())
        if (next_event().__class__, next_event().__class__) != (DocumentEndEvent, StreamEndEvent):
            raise _NotSure  # more than one document
        return root

    def _scalar(self, event: Any) -> Any:
        value = event.value
        if event.tag is not None or event.anchor is not None:
            raise _NotSure
        if not event.implicit[0]:
            return value  # quoted, or a block scalar: a string
        known = self._plain_values.get(value, _UNKNOWN)
        return self._plain(value) if known is _UNKNOWN else known

    def _plain(self, value: str) -> Any:
        """A plain scalar's value, resolved once per distinct text; strings and plain decimals
        are kept and shared, other implicit types built afresh each time."""
        tag = self._resolve(ScalarNode, value, (True, False))
        if tag == _STR:
            self._plain_values[value] = value
        elif tag == _INT and value.isdigit() and (value[0] != "0" or len(value) == 1):
            self._plain_values[value] = int(value)  # what the constructor gives a decimal
        elif tag in PLAIN_TAGS:
            # a tag with no constructor (a merge key `<<` as a value, the value tag `=`)
            # raises KeyError, which makes the path unsure
            return self._constructors[tag](self._loader, ScalarNode(tag, value))
        else:
            raise _NotSure  # not plain data (a loader with resolvers of its own)
        return self._plain_values[value]

    def _data(self, event: Any) -> Any:
        kind = event.__class__
        if kind is ScalarEvent:
            return self._scalar(event)
        if event.tag is not None or event.anchor is not None:
            raise _NotSure
        next_event, scalar, data = self._next_event, self._scalar, self._data
        if kind is SequenceStartEvent:
            items = []
            while (item := next_event()).__class__ is not SequenceEndEvent:
                items.append(scalar(item) if item.__class__ is ScalarEvent else data(item))
            return items
        if kind is not MappingStartEvent:
            raise _NotSure  # an alias
        mapping = {}
        written = []
        while (key := next_event()).__class__ is not MappingEndEvent:
            if key.__class__ is not ScalarEvent:
                raise _NotSure  # a complex key
            value = next_event()
            mapping[scalar(key)] = scalar(value) if value.__class__ is ScalarEvent else data(value)
            written.append(key.value)
        # a key written twice (or two keys that construct alike): the careful path names it
        if len(mapping) != len(written) or len(set(written)) != len(written):
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
