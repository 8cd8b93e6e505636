"""Load and dump structured reports as YAML or JSON (writing goes through `store.dumping`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from htreport.errors import (
    DataFileError,
    DataSyntaxError,
    SchemaVersionError,
    UnsafeDataError,
)
from htreport.model.report import Report
from htreport.settings import (
    MAX_DATA_FILE_BYTES,
    SCHEMA_VERSION,
    read_at_most,
)
from htreport.store.dumping import Format, dump_data, dumps_data, format_of
from htreport.store.fastload import NOT_SURE, fast_json, fast_yaml
from htreport.store.fastload import PLAIN_TAGS as _PLAIN_TAGS
from htreport.store.issues import schema_issue
from htreport.store.loadchecks import (
    constant_error,
    may_hold_surrogates,
    number_error,
    refuse_surrogates,
)
from htreport.store.nesting import find_too_deep
from htreport.store.positions import (
    PosNode,
    first_duplicate,
    from_json_text,
    from_yaml_node,
    locate,
)

try:  # the C loader is ~10x faster; fall back to pure Python where libyaml is absent
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


def to_data(report: Report) -> dict[str, Any]:
    """The report as plain JSON-compatible data, keys in model order, empty values left out."""
    return report.model_dump(mode="json", exclude_none=True)


def dumps(report: Report, fmt: Format = "yaml", *, schema_ref: str = "url") -> str:
    """Serialise deterministically: the same report always gives the same text.

    `schema_ref` chooses what `$schema` says (`store.dumping.schema_reference`)."""
    return dumps_data(to_data(report), fmt, schema_ref=schema_ref)


#: Anchors and aliases may add at most this many values beyond those written in the file:
#: a few shared blocks are fine, a "billion laughs" that expands exponentially is refused.
MAX_ALIAS_EXPANSION = 100_000

#: Deepest nesting of mappings and lists accepted (a report needs 12). The C composer recurses
#: per level and would crash the process on a file of 100,000 `[`; libyaml 0.2.5+ stops at about
#: 1,000 with a message of its own. `nesting.find_too_deep` checks first, so this limit decides.
MAX_NESTING = 64


class ParsedDocument:
    """Plain data parsed from a data file, with the line and column of every value.

    A file that parses on the fast path has no position tree yet: it is built (by parsing the
    text again, the careful way) the first time `positions` is asked for, which only happens
    when something in the file has to be pointed at."""

    __slots__ = ("_build_positions", "_positions", "data")

    def __init__(
        self,
        data: Any,
        positions: PosNode | None = None,
        build_positions: Callable[[], PosNode] | None = None,
    ) -> None:
        self.data = data
        self._positions = positions
        self._build_positions = build_positions

    @property
    def positions(self) -> PosNode:
        """The position tree (see store.positions)."""
        if self._positions is None:
            assert self._build_positions is not None
            self._positions = self._build_positions()
        return self._positions


def parse_document(
    text: str,
    fmt: Format,
    *,
    path: str = "<string>",
    depth_bounded: bool = False,
    utf8_decoded: bool = False,
) -> ParsedDocument:
    """Parse YAML or JSON text safely; every problem is a DataFileError with line and column.

    YAML is composed with the safe loader and checked before anything is built: Python and other
    unknown tags, recursive aliases and alias bombs are refused, as are repeated keys (which
    would otherwise silently overwrite a value).

    Most files take a fast path (see `store.fastload`) that builds no position tree and needs
    no graph checks; anything it is not sure of is parsed again the careful way, so errors and
    their positions are the same on both paths.

    `depth_bounded` is for a caller that validates the data against a model nesting less than
    MAX_NESTING levels and asks for `positions` (which parses carefully, refusing deep nesting)
    before reporting any problem: data that validates cannot be too deep, so the fast JSON path
    need not walk it to find out.

    `utf8_decoded` says that `text` was decoded from UTF-8 bytes, strictly (as
    `read_data_file` does): it then holds no raw surrogate to look for."""
    if (
        len(text) > MAX_DATA_FILE_BYTES // 4
        and len(text.encode("utf-8", "surrogatepass")) > MAX_DATA_FILE_BYTES
    ):
        raise UnsafeDataError(f"larger than the {MAX_DATA_FILE_BYTES}-byte limit", path=path)
    fast = (
        fast_json(text, MAX_NESTING, depth_bounded=depth_bounded)
        if fmt == "json"
        else fast_yaml(text, MAX_NESTING, _Loader)
    )
    if fast is not NOT_SURE:
        document = ParsedDocument(
            fast, build_positions=lambda: _parse_carefully(text, fmt, path).positions
        )
    else:
        document = _parse_carefully(text, fmt, path)
    if may_hold_surrogates(text, utf8_decoded=utf8_decoded):
        refuse_surrogates(document.data, lambda: document.positions, path)
    return document


def _parse_carefully(text: str, fmt: Format, path: str = "<string>") -> ParsedDocument:
    """Parse with positions and every check; the reference the fast path must agree with."""
    try:
        document = _parse_json(text, path) if fmt == "json" else _parse_yaml(text, path)
    except RecursionError:
        raise UnsafeDataError("nested too deeply to be a structured report", path=path) from None
    duplicate = first_duplicate(document.positions)
    if duplicate is not None:
        name, first, repeat = duplicate
        raise DataSyntaxError(
            f"duplicate key {name!r} (first at line {first.line}); "
            "the later value would silently win",
            path=path,
            line=repeat.line,
            column=repeat.column,
        )
    return document


def parse_text(text: str, fmt: Format, *, path: str = "<string>") -> Any:
    """Parse YAML or JSON text into plain data, with syntax errors as DataFileError."""
    return parse_document(text, fmt, path=path).data


def _parse_json(text: str, path: str) -> ParsedDocument:
    def refuse_constant(name: str) -> Any:
        raise ValueError(name)

    _check_nesting(text, path)
    try:
        data = json.loads(text, parse_constant=refuse_constant)
    except json.JSONDecodeError as error:
        raise DataSyntaxError(
            f"invalid JSON: {error.msg}", path=path, line=error.lineno, column=error.colno
        ) from None
    except ValueError as error:
        raise number_error(text, path, error) or constant_error(text, path, str(error)) from None
    return ParsedDocument(data, from_json_text(text))


def _parse_yaml(text: str, path: str) -> ParsedDocument:
    _check_nesting(text, path)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        raise _yaml_syntax_error(error, text, path) from None
    except yaml.reader.ReaderError as error:  # a character YAML forbids (NUL, other controls)
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        raise DataSyntaxError(
            f"invalid YAML: the character U+{error.character:04X} is not allowed in YAML",
            path=path,
            line=line,
            column=column,
        ) from None
    except yaml.YAMLError as error:
        raise DataSyntaxError(f"invalid YAML: {' '.join(str(error).split())}", path=path) from None
    if root is None:
        raise DataSyntaxError("empty file (no YAML document)", path=path, line=1, column=1)
    _check_node_graph(root, path)
    positions = from_yaml_node(root)
    loader = _Loader("")
    try:
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as error:
        raise _yaml_syntax_error(error, text, path) from None
    except (yaml.YAMLError, ValueError, OverflowError) as error:  # e.g. 2014-13-45 as a date
        raise number_error(text, path, error) or DataSyntaxError(
            f"invalid YAML value: {error}", path=path
        ) from None
    finally:
        loader.dispose()
    return ParsedDocument(data, positions)


def _check_nesting(text: str, path: str) -> None:
    """Refuse deep nesting before a parser sees it, so this limit decides on every version."""
    found = find_too_deep(text, MAX_NESTING)
    if found is not None:
        raise UnsafeDataError(
            f"nested more than {MAX_NESTING} levels deep; refused",
            path=path,
            line=found.line,
            column=found.column,
        )


def _yaml_syntax_error(error: yaml.MarkedYAMLError, text: str, path: str) -> DataSyntaxError:
    mark, context_mark = error.problem_mark, error.context_mark
    problem = (error.problem or str(error)).strip()
    message = f"invalid YAML: {problem}"
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        message = "invalid YAML: tab character; YAML indents with spaces, never tabs"
    elif (
        "end of stream" in problem
        and error.context
        and "quoted scalar" in error.context
        and context_mark
    ):
        # point at the opening quote: that is the line a person has to fix
        return DataSyntaxError(
            "invalid YAML: the file ends inside this quoted string (truncated file?)",
            path=path,
            line=context_mark.line + 1,
            column=context_mark.column + 1,
        )
    elif error.context and context_mark is not None:
        where = f"line {context_mark.line + 1}, column {context_mark.column + 1}"
        if problem.startswith("but "):  # "expected a single document ..., but found another"
            message = f"invalid YAML: {error.context} (from {where}), {problem}"
        else:
            message += f" ({error.context} at {where})"
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    return DataSyntaxError(message, path=path, line=line, column=column)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    return lines[line][column : column + 1] if 0 <= line < len(lines) else ""


def _check_node_graph(root: Any, path: str) -> None:
    """Refuse unknown tags, recursive aliases and alias bombs, without expanding anything.

    Aliases share nodes in the composed graph, so the expanded size of every node is computed
    once (post-order, iteratively) and compared with the number of values actually written."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    order: list[Any] = []
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            order.append(node)
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise _at(node, path, "recursive alias: this anchor contains an alias to itself")
        _check_tag(node, path)
        on_path.add(key)
        stack.append((node, True))
        stack += [(child, False) for child in _children(node) if id(child) not in sizes]
    limit = len(sizes) + MAX_ALIAS_EXPANSION
    if sizes[id(root)] > limit:
        culprit = min(
            (node for node in order if sizes[id(node)] > limit), key=lambda n: sizes[id(n)]
        )
        raise _at(
            culprit,
            path,
            f"anchors and aliases here expand to {sizes[id(culprit)]:,} values from {len(sizes):,} "
            f"written (limit: {MAX_ALIAS_EXPANSION:,} extra); refusing a possible YAML bomb",
        )


def _children(node: Any) -> list[Any]:
    if node.id == "sequence":
        return list(node.value)
    if node.id == "mapping":
        return [part for pair in node.value for part in pair]
    return []


def _check_tag(node: Any, path: str) -> None:
    if node.tag in _PLAIN_TAGS:
        return
    shown = node.tag.replace("tag:yaml.org,2002:", "!!")
    if shown.startswith("!!python/"):
        raise _at(
            node, path, f"Python object tag {shown} refused: data files hold plain YAML data only"
        )
    raise _at(node, path, f"unsupported YAML tag {shown}: data files hold plain YAML data only")


def _at(node: Any, path: str, message: str) -> UnsafeDataError:
    mark = node.start_mark
    return UnsafeDataError(message, path=path, line=mark.line + 1, column=mark.column + 1)


def read_data_file(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_DATA_FILE_BYTES:
            raise UnsafeDataError(
                f"{size:,} bytes, over the {MAX_DATA_FILE_BYTES:,}-byte limit for data files; "
                "refused",
                path=path,
            )
        with path.open("rb") as stream:
            return data_text(read_data_bytes(stream, path), path)
    except FileNotFoundError:
        raise DataFileError("no such file", path=path) from None
    except OSError as error:
        raise DataFileError(f"cannot read: {error.strerror}", path=path) from None


def read_data_bytes(stream: BinaryIO, path: Path) -> bytes:
    """A data file's bytes from `stream` (a file, or standard input), refused past the byte
    limit whatever stat says: it says 0 for devices and pipes."""
    data = read_at_most(stream, MAX_DATA_FILE_BYTES)
    if len(data) > MAX_DATA_FILE_BYTES:
        raise UnsafeDataError(
            f"over the {MAX_DATA_FILE_BYTES:,}-byte limit for data files; refused", path=path
        )
    return data


def data_text(data: bytes, path: Path) -> str:
    """A data file's text: UTF-8 (refused at its line otherwise), with the universal-newline
    translation that reading in text mode would do."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DataFileError("not UTF-8 text", path=path, line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def loads(
    text: str, fmt: Format = "yaml", *, path: str = "<string>", utf8_decoded: bool = False
) -> Report:
    """Parse and validate a structured report (`utf8_decoded`: see `parse_document`)."""
    from pydantic import ValidationError

    # depth_bounded: every problem below is reported through `document.positions`
    document = parse_document(text, fmt, path=path, depth_bounded=True, utf8_decoded=utf8_decoded)
    data = document.data
    if not isinstance(data, dict):
        raise DataFileError(
            "not a structured report (expected a mapping at the top)", path=path, line=1
        )
    data.pop("$schema", None)
    version = data.get("schema_version")
    if version is not None and version != SCHEMA_VERSION:
        where = locate(document.positions, ["schema_version"])
        raise SchemaVersionError(
            f"written under schema version {version}, this htreport reads {SCHEMA_VERSION}",
            path=path,
            line=where.line,
            column=where.column,
        )
    try:
        return Report.model_validate(data)
    except ValidationError as error:
        first = schema_issue(error.errors()[0], document.positions, path)
        raise DataFileError(
            f"{first.field}: {first.message} "
            f"({error.error_count()} problem(s); run htreport validate)",
            path=path,
            line=first.line,
            column=first.column,
        ) from None


def load(path: str | Path) -> Report:
    """Load a structured report file (YAML or JSON)."""
    path = Path(path)
    return loads(read_data_file(path), format_of(path), path=str(path), utf8_decoded=True)


def dump(
    report: Report,
    path: str | Path,
    *,
    fmt: Format | None = None,
    force: bool = False,
    schema_ref: str = "url",
) -> None:
    """Write a report to `path` atomically (format from the suffix unless given).

    Raises OutputExistsError if `path` exists (unless `force`), OutputError if it cannot be
    written; nothing is left half-written (see `store.atomic`)."""
    dump_data(to_data(report), path, fmt=fmt, force=force, schema_ref=schema_ref)
