"""htreport: Canada's anti-trafficking annual reports as structured, queryable data.

    >>> import htreport
    >>> report = htreport.extract("data/raw/nap-2014-2015-annual-report.txt")
    >>> len(report.deliverables())
    72

The public names are imported on first use, so that `htreport --help` does not pay for
pydantic and the parsers. (The pipeline module is `htreport.pipeline`, not `htreport.extract`,
so no submodule import can shadow the `extract` function.)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from htreport.settings import VERSION as __version__

#: Public names -> the module that defines them (imported on first use).
_EXPORTS = {
    "ExitCode": "errors",
    "HtreportError": "errors",
    "Report": "model.report",
    "Corpus": "store.corpus",
    "Filters": "analysis.filters",
    "extract": "pipeline",
    "extract_document": "pipeline",
    "dump": "store.io",
    "dumps": "store.io",
    "load": "store.io",
    "loads": "store.io",
    "to_pandas": "analysis.frames",
    "load_corpus": "store.corpus",
    "find_structured_files": "store.discovery",
    "validate": "store.validate",
    "validate_file": "store.validate",
    "validate_text": "store.validate",
}
#: Modules reachable as attributes without importing them by hand (`htreport.query.run`).
_MODULES = {
    "query": "analysis.query",
    "diff": "analysis.diff",
    "history": "analysis.history",
    "summary": "analysis.summary",
    "matching": "analysis.matching",
    "analysis": "analysis",
    "export": "export",
    "model": "model",
    "pipeline": "pipeline",
    "readers": "readers",
    "parsers": "parsers",
    "render": "render",
    "store": "store",
    "errors": "errors",
    "settings": "settings",
}

__all__ = [
    "__version__",
    "Corpus",
    "ExitCode",
    "Filters",
    "HtreportError",
    "Report",
    "dump",
    "dumps",
    "extract",
    "extract_document",
    "find_structured_files",
    "load",
    "load_corpus",
    "loads",
    "to_pandas",
    "validate",
    "validate_file",
    "validate_text",
]

if TYPE_CHECKING:
    from htreport.analysis.filters import Filters
    from htreport.analysis.frames import to_pandas
    from htreport.errors import ExitCode, HtreportError
    from htreport.model.report import Report
    from htreport.pipeline import extract, extract_document
    from htreport.store.corpus import Corpus, load_corpus
    from htreport.store.discovery import find_structured_files
    from htreport.store.io import dump, dumps, load, loads
    from htreport.store.validate import validate, validate_file, validate_text


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    elif name in _MODULES:
        value = import_module(f".{_MODULES[name]}", __name__)
    else:
        raise AttributeError(f"module 'htreport' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*__all__, *_MODULES})
