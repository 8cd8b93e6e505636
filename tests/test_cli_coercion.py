"""Command-line values read without pydantic where plain (htreport.cli.coercion): every
option of every command converts each value exactly as typer's own converter does, the same
result or the same error, and a command that needs no model imports no pydantic to read its
options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param

from htreport.cli import app
from htreport.cli.coercion import PlainRuntimeParam, _converter_for

from .test_startup import loaded

#: Values a shell can hand an option: plain ones, and every kind the plain converter must
#: leave to typer (whitespace, signs, underscores, exponents, other digits, empty text).
SAMPLES: list[Any] = [
    "x",
    "",
    "-",
    "yaml",
    "JSON",
    "json",
    "text",
    "0",
    "1",
    "2",
    "007",
    "12",
    " 3",
    "3 ",
    "+3",
    "-1",
    "1_000",
    "1.5",
    "0.5",
    ".5",
    "1.",
    "1e3",
    "inf",
    "nan",
    "１２",
    "٣",
    "a b",
    "é",
    "~",
    True,
    False,
    7,
    0,
    1,
    -3,
    10**30,
    2.5,
]


def all_params() -> list[tuple[str, Any]]:
    command = typer.main.get_command(app)
    found: list[tuple[str, Any]] = []

    def walk(node: Any, path: str) -> None:
        for param in node.params:
            found.append((f"{path} {param.name}", param))
        for name, sub in getattr(node, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(command, "htreport")
    return found


def outcome(converter: Any, value: Any, param: Any, ctx: Context) -> tuple[str, Any]:
    try:
        converted = converter.coerce(value, param=param, ctx=ctx)
        return "value", (type(converted), repr(converted))  # repr: nan equals nan
    except BadParameter as error:
        return "error", error.format_message()


PARAMS = all_params()


def test_most_options_get_the_plain_converter():
    plain = [name for name, param in PARAMS if _converter_for(param) is not None]
    assert len(plain) > 0.9 * len(PARAMS), "typer's parameters changed shape"


@pytest.mark.parametrize("name,param", PARAMS, ids=[name for name, _ in PARAMS])
def test_every_option_converts_values_as_typer_does(name, param, tmp_path):
    plain = _converter_for(param)
    if plain is None:
        pytest.skip("typer's own converter")
    assert isinstance(plain, PlainRuntimeParam)
    typer_converter = build_runtime_param(param.type_descriptor)
    ctx = Context(typer.main.get_command(app))
    multiple = param.multiple or param.nargs == -1
    values = [tuple(SAMPLES[i : i + 3]) for i in range(0, len(SAMPLES), 3)] if multiple else []
    values += SAMPLES if not multiple else [(), ("x",), ("1", "2")]
    unreadable = tmp_path / "locked"
    unreadable.write_text("x")
    unreadable.chmod(0)
    values += [str(tmp_path), str(unreadable)] if not multiple else [(str(tmp_path),)]
    for value in values:
        expected = outcome(typer_converter, value, param, ctx)
        assert outcome(plain, value, param, ctx) == expected, f"{name}: {value!r}"


def test_a_value_typer_would_refuse_is_refused_in_typer_s_words():
    (jobs,) = [param for name, param in PARAMS if name == "htreport extract jobs"]
    ctx = Context(typer.main.get_command(app))
    plain = _converter_for(jobs)
    with pytest.raises(BadParameter, match="greater than or equal to 1"):
        plain.coerce("0", param=jobs, ctx=ctx)
    with pytest.raises(BadParameter, match="valid integer"):
        plain.coerce("1.5", param=jobs, ctx=ctx)
    assert plain.coerce("4", param=jobs, ctx=ctx) == 4


def test_a_command_without_models_reads_its_options_without_pydantic(tmp_path):
    assert loaded(["cache", "info"], {"pydantic", "typer._adapters"}) == []


def test_a_path_option_still_gets_typer_s_checks(tmp_path):
    paths = [
        param
        for name, param in PARAMS
        if param.type_descriptor.annotation is Path and _converter_for(param) is not None
    ]
    assert paths
    ctx = Context(typer.main.get_command(app))
    for param in paths:
        value = _converter_for(param).coerce(str(tmp_path), param=param, ctx=ctx)
        assert value == tmp_path and isinstance(value, Path)


def test_a_typer_of_another_shape_keeps_its_own_converters(runner, monkeypatch):
    from htreport.cli import coercion

    def another_shape(param):
        raise TypeError("RuntimeParam.__init__() got an unexpected keyword argument")

    monkeypatch.setattr(coercion, "_converter_for", another_shape)
    refused = runner.invoke(app, ["extract", "nope.txt", "--jobs", "0"])
    assert refused.exit_code == 2
    assert "greater than or equal to 1" in refused.output
    listed = runner.invoke(app, ["query", "deliverables", "--lead", "RCMP", "-F", "json", "nope"])
    assert listed.exit_code == 2 and "nope" in listed.output
