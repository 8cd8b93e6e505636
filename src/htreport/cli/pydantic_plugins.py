"""Pydantic's plugin discovery without importing `importlib.metadata` when no plugin exists.

Pydantic looks for plugins (the `pydantic` entry-point group) when it builds its first
validator: it imports `importlib.metadata` (with `email` and more, about 10 ms) and reads the
entry points of every installed distribution (about 8 ms), a fifth of a text extract's
imports. The command line registers, before anything imports pydantic, a stand-in for
pydantic's loader module. On first use it looks at the distributions the way
`importlib.metadata` finds them (`*.dist-info` and `*.egg-info` directories on `sys.path`)
and reads their `entry_points.txt`; only when none of them so much as mentions pydantic and no
other distribution finder is installed does it answer
"no plugins", which is what pydantic itself would find. `PYDANTIC_DISABLE_PLUGINS` is read
on every call as pydantic reads it: `__all__`, `1` or `true` means none; a list of names
goes to pydantic's loader. In every other case (a possible plugin, a zip archive or an egg
on the path, an unreadable file) it hands over to pydantic's
own loader, which then does exactly what it always does. Library users are never affected:
only `htreport.cli.main` installs it.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Iterable
from importlib.machinery import PathFinder
from typing import Any

LOADER = "pydantic.plugin._loader"
_ENTRY_POINTS = "entry_points.txt"
#: The values of PYDANTIC_DISABLE_PLUGINS with which pydantic loads no plugin at all.
_ALL_DISABLED = ("__all__", "1", "true")


def install() -> None:
    """Register the stand-in, unless pydantic's loader is already imported."""
    if LOADER in sys.modules:
        return
    stand_in = types.ModuleType(LOADER, __doc__)
    stand_in.get_plugins = _get_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = _real_attribute  # type: ignore[method-assign]
    sys.modules[LOADER] = stand_in


def _get_plugins(*args: Any, **kwargs: Any) -> Iterable[Any]:
    if args or kwargs:  # a pydantic whose loader takes arguments: its own loader decides
        return _real_loader().get_plugins(*args, **kwargs)
    disabled = os.environ.get("PYDANTIC_DISABLE_PLUGINS")
    if disabled in _ALL_DISABLED:
        return ()  # pydantic's own rule, checked on every call (typer sets it for a while)
    if disabled is None and _no_plugin_possible():
        return ()
    return _real_loader().get_plugins()


def _real_attribute(name: str) -> Any:
    if name.startswith("__"):  # the import system asking whether it is a package
        raise AttributeError(name)
    return getattr(_real_loader(), name)


def _real_loader() -> types.ModuleType:
    module = sys.modules.get(LOADER)
    if module is None or module.__dict__.get("get_plugins") is _get_plugins:
        sys.modules.pop(LOADER, None)
        module = importlib.import_module(LOADER)
    return module


_answer: bool | None = None


def _no_plugin_possible() -> bool:
    global _answer
    if _answer is None:
        _answer = not _plugin_possible()
    return _answer


def _plugin_possible() -> bool:
    """True unless no distribution pydantic's discovery can see declares a pydantic plugin."""
    for finder in sys.meta_path:
        if finder is not PathFinder and hasattr(finder, "find_distributions"):
            return True
    for entry in sys.path:
        root = entry or "."
        if root.lower().endswith(".egg"):
            return True
        try:
            names = os.listdir(root)
        except FileNotFoundError:
            continue
        except OSError:  # a zip archive, or unreadable: importlib.metadata may look inside
            if os.path.exists(root):
                return True
            continue
        for name in names:
            if not name.lower().endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(root, name, _ENTRY_POINTS), "rb") as file:
                    declared = file.read()
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError:
                return True
            if b"pydantic" in declared.lower():
                return True
    return False
