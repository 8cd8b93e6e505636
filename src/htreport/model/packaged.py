"""The data files shipped inside the package (the column and department registries).

The registries are written in YAML, with comments, for people to edit. Beside each one the
package ships its data compiled to JSON (`<name>.compiled.json`, written by
`scripts/compile-registries`) with the SHA-256 of the YAML it was compiled from: reading it
needs neither yaml (about 8 ms to import) nor a YAML parse. A compiled copy whose hash does
not match (a registry edited since) is ignored and the YAML is parsed, so an edit always
counts; a test keeps the shipped copies current."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from htreport.settings import PACKAGE_DATA_DIR

#: The registries that have compiled copies.
REGISTRIES = ("columns.yaml", "departments.yaml")


def packaged_yaml(name: str) -> Any:
    """The data of `src/htreport/data/<name>`."""
    text = _read(name)
    compiled = _compiled(name, text)
    return compiled if compiled is not None else parse_yaml(text)


def parse_yaml(text: str) -> Any:
    """YAML parsed with the C loader where libyaml is there (the pure-Python loader takes 15
    times as long, longer than the rest of a registry)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def compiled_name(name: str) -> str:
    return f"{name.removesuffix('.yaml')}.compiled.json"


def compile_yaml(text: str) -> str:
    """The text of the compiled copy of a registry whose YAML is `text`."""
    copy = {"source_sha256": _digest(text), "data": parse_yaml(text)}
    return json.dumps(copy, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def _compiled(name: str, text: str) -> Any:
    try:
        copy = json.loads(_read(compiled_name(name)))
    except (FileNotFoundError, ValueError):
        return None
    if not isinstance(copy, dict) or copy.get("source_sha256") != _digest(text):
        return None
    return copy.get("data")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(name: str) -> str:
    return (PACKAGE_DATA_DIR / name).read_text("utf-8")
