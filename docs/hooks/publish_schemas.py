"""MkDocs hook: publish schemas/ in the site at schemas/<version>/, the URL data files cite."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from htreport.settings import SCHEMA_VERSION


def on_post_build(config: Any) -> None:
    source = Path(config["config_file_path"]).parent / "schemas"
    target = Path(config["site_dir"]) / "schemas" / SCHEMA_VERSION
    target.mkdir(parents=True, exist_ok=True)
    for schema in sorted(source.glob("*.json")):
        shutil.copyfile(schema, target / schema.name)
