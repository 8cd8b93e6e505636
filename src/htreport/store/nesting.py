"""How deeply a YAML or JSON text nests, found by one linear pass before any parser runs.

The check runs first so that htreport's own limit decides, whatever the installed parser does:
libyaml has a nesting limit of its own in some releases (about 1,000 flow levels, with its own
message), and the C composer and `json` recurse once per level.

Depth is the number of collections open at a point: block mappings and sequences opened by
indentation and `- ` entries, plus flow collections opened by `[` and `{`. A bracket counts only
where a YAML node can start (a value in block context, anywhere in a flow collection), never
inside a quoted string, a comment, a plain scalar or a block scalar, so `text: see [1]` is one
level, not two. Every regular expression here matches in linear time (possessive repeats).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

#: In a flow collection, the characters that can change the depth or the scanner's state.
_FLOW_EVENT = re.compile(r"[\[\]{}\"'#]")
_DOUBLE_QUOTED_END = re.compile(r'(?:[^"\\]++|\\.)*+"', re.DOTALL)
_SINGLE_QUOTED_END = re.compile(r"(?:[^']++|'')*+'(?!')")
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*+\s*+(?:#.*+)?$")
_QUOTE_MAY_OPEN_AFTER = frozenset("[{,:")


@dataclass(frozen=True, slots=True)
class TooDeep:
    """Where the nesting first went past the limit: 1-based line and column."""

    line: int
    column: int


def find_too_deep(text: str, limit: int) -> TooDeep | None:
    """The first place where `text` nests more than `limit` levels, or None."""
    if surely_within(text, limit):
        return None
    return _Scanner(limit).run(text)


#: Where the scanner can open a flow collection: at the start of a block node (after the
#: indentation and any `- `) or after `: `; one closed at once (`[]`, `{}`) adds a level at most.
#: Anchored on "\n" rather than `^` with MULTILINE, which is several times slower here.
_OPEN_FLOW_AT_LINE = re.compile(r"\n *+(?:- +)*+[\[{](?![\]}])")
_OPEN_FLOW_AT_START = re.compile(r" *+(?:- +)*+[\[{](?![\]}])")
_OPEN_FLOW_AFTER_KEY = re.compile(r": +[\[{](?![\]}])")


@cache
def _deep_prefix(width: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A line starting with `width` spaces or dashes: at the start, then after a newline."""
    return re.compile(f"[ -]{{{width}}}"), re.compile(f"\n[ -]{{{width}}}")


def surely_within(text: str, limit: int) -> bool:
    """True when `text` certainly nests at most `limit` levels by the scanner's count: a few
    regular-expression searches instead of a pass in Python. False means "scan to find out".

    The scanner's open block collections have non-decreasing columns, at most a mapping and a
    sequence per column, each column at most the length of a line's prefix of spaces and `- `;
    when no flow collection can stay open, flow adds at most one level."""
    widest = (limit - 3) // 2  # 2 * (widest + 1) + 1 <= limit
    if widest < 0:
        return False
    at_start, at_line = _deep_prefix(widest + 1)
    if at_start.match(text) or at_line.search(text):
        return False
    return not (
        _OPEN_FLOW_AT_START.match(text)
        or _OPEN_FLOW_AT_LINE.search(text)
        or _OPEN_FLOW_AFTER_KEY.search(text)
    )


class _Scanner:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        # the open block collections: (indentation column, 'map' or 'seq')
        self.block: list[tuple[int, str]] = []
        self.flow = 0  # open [ and { collections
        self.quote = ""  # the quote of a quoted scalar that continues on the next line
        self.block_scalar_indent: int | None = None  # indentation of a | or > scalar's owner

    def run(self, text: str) -> TooDeep | None:
        for number, line in enumerate(text.split("\n"), start=1):
            found = self.line(line.rstrip("\r"), number)
            if found is not None:
                return found
        return None

    def too_deep(self) -> bool:
        return len(self.block) + self.flow > self.limit

    def line(self, line: str, number: int) -> TooDeep | None:
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if self.block_scalar_indent is not None:
            if not stripped or indent > self.block_scalar_indent:
                return None  # a line of a literal or folded scalar
            self.block_scalar_indent = None
        if self.quote:
            position = self.close_quote(line, 0)
            if position is None:
                return None
            return self.flow_scan(line, position, number) if self.flow else None
        if self.flow:
            return self.flow_scan(line, 0, number)
        if not stripped or stripped.startswith("#"):
            return None
        return self.block_line(line, indent, number)

    def block_line(self, line: str, indent: int, number: int) -> TooDeep | None:
        if line.startswith(("---", "..."), indent) and line[indent + 3 : indent + 4] in ("", " "):
            self.block.clear()
            return None
        block = self.block
        dash = _is_dash(line, indent)
        while block and block[-1][0] > indent:
            block.pop()
        if block and block[-1][0] == indent and block[-1][1] == "seq" and not dash:
            block.pop()  # an indentless sequence ended: its mapping goes on
        if not block or block[-1][0] < indent or (block[-1][1] == "map" and dash):
            if dash or _is_key(line, indent):
                block.append((indent, "seq" if dash else "map"))
                if self.too_deep():
                    return TooDeep(number, indent + 1)
        position = indent
        # a compact sequence: each `- ` on the line opens a collection one level deeper
        while _is_dash(line, position):
            position += 1
            while line.startswith(" ", position):
                position += 1
            if position >= len(line):
                return None
            dash = _is_dash(line, position)
            if dash or _is_key(line, position):
                block.append((position, "seq" if dash else "map"))
                if self.too_deep():
                    return TooDeep(number, position + 1)
        return self.block_value(line, position, number, indent)

    def block_value(self, line: str, position: int, number: int, indent: int) -> TooDeep | None:
        """A node starting at `position` in block context: a key, a value, or both."""
        for _ in range(2):  # the key, then the value after `: `
            char = line[position : position + 1]
            if char in ("[", "{"):
                return self.flow_scan(line, position, number)
            if char in ('"', "'"):
                self.quote = char
                end = self.close_quote(line, position + 1)
                if end is None:
                    return None
                position = end
            elif char in ("|", ">") and _BLOCK_SCALAR.match(line, position):
                self.block_scalar_indent = indent
                return None
            separator = line.find(": ", position)
            if separator < 0:
                return None
            position = separator + 2
            while line.startswith(" ", position):
                position += 1
            if position >= len(line) or line[position] == "#":
                return None
        return None

    def flow_scan(self, line: str, position: int, number: int) -> TooDeep | None:
        """Inside (or at the start of) a flow collection: brackets, quotes and comments."""
        while True:
            event = _FLOW_EVENT.search(line, position)
            if event is None:
                return None
            char, position = event.group(), event.start()
            if char in "[{":
                self.flow += 1
                if self.too_deep():
                    return TooDeep(number, position + 1)
            elif char in "]}":
                if self.flow:
                    self.flow -= 1
                if not self.flow:
                    return None  # back in block context: the rest is a comment or nothing
            elif char == "#":
                if position == 0 or line[position - 1] in " \t":
                    return None
            elif self.quote_may_open(line, position):
                self.quote = char
                end = self.close_quote(line, position + 1)
                if end is None:
                    return None
                position = end
                continue
            position += 1

    @staticmethod
    def quote_may_open(line: str, position: int) -> bool:
        position -= 1
        while position >= 0 and line[position] in " \t":
            position -= 1
        return position < 0 or line[position] in _QUOTE_MAY_OPEN_AFTER

    def close_quote(self, line: str, position: int) -> int | None:
        """Position just past the closing quote, or None when the scalar goes on."""
        pattern = _DOUBLE_QUOTED_END if self.quote == '"' else _SINGLE_QUOTED_END
        match = pattern.match(line, position)
        if match is None:
            return None
        self.quote = ""
        return match.end()


def _is_dash(line: str, position: int) -> bool:
    return line.startswith("- ", position) or line[position:] == "-"


def _is_key(line: str, position: int) -> bool:
    """Whether a block mapping key starts at `position` (a flow collection is a value)."""
    if line[position : position + 1] in ("[", "{"):
        return False
    return line.find(": ", position) >= 0 or line.rstrip().endswith(":")
