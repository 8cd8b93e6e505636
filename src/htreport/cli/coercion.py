"""Command-line values converted without pydantic where the conversion is plain.

typer 0.29 converts every option's value through a pydantic TypeAdapter, which it builds the
first time the option is parsed: any command, even one that never touches a model, imports
pydantic to read `--format json` (about 50 ms, a sixth of a warm query). `install` gives
each option a converter that handles the cases whose result is certain
(a text option, a plain number written in ASCII digits, a path with no checks beyond typer's
own, a `parser=` function) and hands every other value, and every value it cannot vouch for,
to typer's own converter, which then gives its usual result or error. An option typer cannot
describe this way, or a typer without these internals, keeps typer's converter unchanged.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cached_property
from pathlib import Path
from typing import Any, Final

#: Returned when a value is not plain enough to convert here (typer's converter decides).
NOT_PLAIN: Final = object()

_DIGITS = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]*)?")

try:  # typer 0.29's internals; an older or newer typer simply keeps its own converters
    from typer._click.exceptions import ClickException
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_path
    from typer.core import _TyperParameter
except ImportError:  # pragma: no cover - depends on the installed typer
    RuntimeParam = None  # type: ignore[assignment,misc]


def install() -> None:
    """Make every typer parameter of this process take the plain converter where its type
    allows (help and completion options are made while parsing, so this is done where typer
    asks for a parameter's converter). Other typer apps in the process are not changed in
    effect: whatever is not plain is still converted by typer itself."""
    if not _typer_as_known():
        return
    typer_get_runtime_param = _TyperParameter.get_runtime_param

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            try:
                self._runtime_param = _converter_for(self)
            except Exception:  # noqa: BLE001 - a typer of another shape: its own converter
                self._runtime_param = None
        return typer_get_runtime_param(self)

    get_runtime_param._plain = True  # type: ignore[attr-defined]
    _TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]


def _typer_as_known() -> bool:
    """Whether the installed typer has the internals this module was written against (and
    the plain converter is not installed yet)."""
    if RuntimeParam is None:  # pragma: no cover - depends on the installed typer
        return False
    try:
        fields = {field.name for field in dataclasses.fields(RuntimeParam)}
    except TypeError:  # pragma: no cover - depends on the installed typer
        return False
    method = getattr(_TyperParameter, "get_runtime_param", None)
    return (
        fields == {"parameter_info", "annotation"}
        and callable(method)
        and not getattr(method, "_plain", False)
        and "_runtime_param" in getattr(_TyperParameter, "__annotations__", {})
    )


def _converter_for(param: Any) -> Any:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or descriptor.file_annotation is not None:
        return None
    annotation, info = descriptor.annotation, descriptor.parameter_info
    if getattr(info, "click_type", None) is not None:
        return None
    element = annotation
    listed = getattr(annotation, "__origin__", None) is list
    if listed:
        (element,) = getattr(annotation, "__args__", (None,))
    kind = _leaf_kind(element, info)
    if kind is None:
        return None
    return PlainRuntimeParam(
        parameter_info=info, annotation=annotation, descriptor=descriptor, kind=kind, listed=listed
    )


def _leaf_kind(annotation: Any, info: Any) -> str | None:
    if getattr(info, "parser", None) is not None:
        return "parser"
    if annotation is bool:
        return "bool"
    if annotation is str:
        return "str"
    if annotation is int and not getattr(info, "clamp", False):
        return "int"
    if annotation is float and not getattr(info, "clamp", False):
        return "float"
    if annotation is Path and getattr(info, "path_type", None) is None:
        return "path"
    return None


if RuntimeParam is not None:

    class PlainRuntimeParam(RuntimeParam):
        """typer's runtime converter for one parameter, with the plain cases done here."""

        descriptor: Any
        kind: str
        listed: bool

        def __init__(
            self,
            *,
            parameter_info: Any,
            annotation: Any,
            descriptor: Any,
            kind: str,
            listed: bool,
        ) -> None:
            super().__init__(parameter_info=parameter_info, annotation=annotation)
            object.__setattr__(self, "descriptor", descriptor)
            object.__setattr__(self, "kind", kind)
            object.__setattr__(self, "listed", listed)

        @cached_property
        def typer_converter(self) -> Any:
            return build_runtime_param(self.descriptor)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.listed:
                converted: Any = NOT_PLAIN
                if isinstance(value, (list, tuple)):
                    items = [self._leaf(item, param, ctx) for item in value]
                    if all(item is not NOT_PLAIN for item in items):
                        converted = items
            else:
                converted = self._leaf(value, param, ctx)
            if converted is NOT_PLAIN:
                return self.typer_converter._coerce_value(value, param=param, ctx=ctx)
            return converted

        def _leaf(self, value: Any, param: Any, ctx: Any) -> Any:
            kind, info = self.kind, self.parameter_info
            parser: Any = info.parser
            if kind == "parser":
                try:
                    return parser(value)
                except ClickException:
                    raise  # what typer's converter lets through unchanged
                except Exception:  # noqa: BLE001 - typer's converter words the error
                    return NOT_PLAIN
            if kind == "bool":
                return value if type(value) is bool else NOT_PLAIN
            number: int | float
            if kind == "int" and type(value) is int:  # a default, such as --jobs 1
                number = value
            elif type(value) is not str:
                return NOT_PLAIN
            elif kind == "str":
                return value
            elif kind == "path":
                # typer turns the text into a Path with pydantic, which gives Path(value)
                return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
            elif kind == "int" and value.isascii() and _DIGITS.fullmatch(value):
                number = int(value)
            elif kind == "float" and value.isascii() and _DECIMAL.fullmatch(value):
                number = float(value)
            else:
                return NOT_PLAIN
            if (info.min is not None and number < info.min) or (
                info.max is not None and number > info.max
            ):
                return NOT_PLAIN  # out of range: typer's converter gives its error
            return number
