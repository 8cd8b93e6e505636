"""The command line's stand-in for pydantic's plugin loader (htreport.cli.pydantic_plugins):
no `importlib.metadata` when no plugin is installed, and an installed plugin still runs.

`htreport validate` is the command that builds the models here (`extract` no longer needs
them, see tests/test_plain_records.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .test_startup import ROOT, TEXT_REPORT, loaded

DATA_FILE = ROOT / "data" / "structured" / "2014-2015.yaml"

PLUGIN = """
import os

class Plugin:
    def new_schema_validator(self, schema, schema_type, path, kind, config, settings):
        with open(os.environ["PLUGIN_MARKER"], "a", encoding="utf-8") as marker:
            marker.write(path.name + "\\n")
        return None, None, None

plugin = Plugin()
"""


def validate_json(tmp_path: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "htreport", "validate", str(DATA_FILE), "-F", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, **env},
        cwd=tmp_path,
    )
    return result.stdout


def install_fake_plugin(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A distribution declaring a pydantic plugin that notes each validator it is asked for;
    the environment that puts it on the path, and the file it writes to."""
    site = tmp_path / "site"
    info = site / "fakeplugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fakeplugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pydantic]\nfake = fakeplugin_module:plugin\n")
    (site / "fakeplugin_module.py").write_text(PLUGIN)
    marker = tmp_path / "calls.txt"
    env = {"PYTHONPATH": str(site), "PLUGIN_MARKER": str(marker)}
    return env, marker


def test_commands_without_plugins_never_import_importlib_metadata():
    for args in (
        ["extract", str(TEXT_REPORT), "--quiet", "--format", "json"],
        ["validate", str(DATA_FILE), "--format", "json"],
    ):
        assert loaded(args, {"importlib.metadata", "email"}) == [], args


def test_an_installed_pydantic_plugin_is_loaded_and_called(tmp_path):
    env, marker = install_fake_plugin(tmp_path)
    with_plugin = validate_json(tmp_path, env)
    called = marker.read_text().split()
    assert "Report" in called and "Statistic" in called
    marker.unlink()
    without = validate_json(tmp_path, {"PLUGIN_MARKER": str(marker)})
    assert not marker.exists()
    assert json.loads(with_plugin) == json.loads(without)


def test_plugins_disabled_by_name_go_to_pydantic_s_loader(tmp_path):
    env, marker = install_fake_plugin(tmp_path)
    validate_json(tmp_path, {**env, "PYDANTIC_DISABLE_PLUGINS": "fake"})
    assert not marker.exists()
    validate_json(tmp_path, {**env, "PYDANTIC_DISABLE_PLUGINS": "other"})
    assert marker.exists()


def test_a_loader_called_with_arguments_is_answered_by_pydantics_own(monkeypatch):
    # a future pydantic whose get_plugins takes arguments gets its own loader's answer
    import types

    from htreport.cli import pydantic_plugins

    calls = []
    real = types.SimpleNamespace(get_plugins=lambda *a, **k: calls.append((a, k)) or ["p"])
    monkeypatch.setattr(pydantic_plugins, "_real_loader", lambda: real)
    assert pydantic_plugins._get_plugins("x", y=1) == ["p"]
    assert calls == [(("x",), {"y": 1})]
