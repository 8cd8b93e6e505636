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

_EXPORTS = {
    "ExitCode": "errors",
    "HtreportError": "errors",
    "Report": "model.report",
    "extract": "pipeline",
    "extract_document": "pipeline",
    "dump": "store.io",
    "dumps": "store.io",
    "load": "store.io",
    "loads": "store.io",
    "to_pandas": "analysis.frames",
}

__all__ = [
    "__version__",
    "ExitCode",
    "HtreportError",
    "Report",
    "dump",
    "dumps",
    "extract",
    "extract_document",
    "load",
    "loads",
    "to_pandas",
]

if TYPE_CHECKING:
    from htreport.analysis.frames import to_pandas
    from htreport.errors import ExitCode, HtreportError
    from htreport.model.report import Report
    from htreport.pipeline import extract, extract_document
    from htreport.store.io import dump, dumps, load, loads


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'htreport' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
