"""Column and table declarations of the exports, with `mirror` (a column holding a model
field: type, `required`, enum and description from the pydantic model). The tables themselves
are declared in `export.tables`."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel

#: Column types, named as in Frictionless Table Schema; each export maps them to its own.
ColumnType = Literal["integer", "number", "string", "boolean", "date", "array"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its type, whether it is always filled, its allowed values and meaning."""

    name: str
    type: ColumnType
    required: bool = False
    description: str | None = None
    enum: tuple[str, ...] = ()
    references: tuple[str, str] | None = None  # (table, column): a foreign key
    items: Literal["string", "integer"] = "string"  # element type of an array column
    #: A number the model keeps exact (a whole number of up to 30 digits, or a fraction):
    #: exports whose number type is a float store it in an exact type instead (Parquet).
    exact: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """One table: columns in order, primary key, label column, indexes, full-text search."""

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: str = "id"
    label: str = "label"  # the column datasette shows for a row and for foreign keys to it
    indexes: tuple[tuple[str, ...], ...] = ()
    search: tuple[str, ...] = ()  # columns indexed by FTS5, in a `<name>_fts` table
    facets: tuple[str, ...] = ()  # default facets in datasette
    array_facets: tuple[str, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the annotation without None, whether None was allowed)."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(members) < len(typing.get_args(annotation))
        if len(members) == 1:
            return members[0], optional
        return tuple(members), optional
    return annotation, False


def _column_type(
    annotation: Any,
) -> tuple[ColumnType, tuple[str, ...], Literal["string", "integer"]]:
    if isinstance(annotation, tuple):  # int | float
        return "number", (), "string"
    origin = typing.get_origin(annotation)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return "array", (), "integer" if item is int else "string"
    if origin is Literal:
        return "string", tuple(str(a) for a in typing.get_args(annotation)), "string"
    if isinstance(annotation, type):
        if issubclass(annotation, StrEnum):
            return "string", tuple(member.value for member in annotation), "string"
        if issubclass(annotation, bool):
            return "boolean", (), "string"
        if issubclass(annotation, int):
            return "integer", (), "string"
        if issubclass(annotation, float):
            return "number", (), "string"
        if issubclass(annotation, date):
            return "date", (), "string"
    return "string", (), "string"


def mirror(
    model: type[BaseModel],
    field: str,
    name: str | None = None,
    *,
    description: str | None = None,
) -> Column:
    """A column holding `model.field`: type, `required`, enum and description from the model."""
    info = model.model_fields[field]
    annotation, optional = _unwrap(info.annotation)
    kind, enum, items = _column_type(annotation)
    required = info.is_required() and not optional or kind == "array"
    text = description or info.description
    if text is None and enum:
        text = f"One of: {', '.join(enum)}."
    exact = isinstance(annotation, tuple) and int in annotation  # int | float: whole stays whole
    return Column(name or field, kind, required, text, enum, items=items, exact=exact)
