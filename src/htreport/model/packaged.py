"""The data files shipped inside the package (the column and department registries)."""

from __future__ import annotations

from importlib import resources
from typing import Any


def packaged_yaml(name: str) -> Any:
    """The data of `src/htreport/data/<name>`, parsed with the C loader where libyaml is there
    (the pure-Python loader takes 15 times as long, longer than the rest of a registry)."""
    import yaml

    text = resources.files("htreport").joinpath(f"data/{name}").read_text("utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
