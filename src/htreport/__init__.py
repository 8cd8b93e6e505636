"""htreport: Canada's anti-trafficking annual reports as structured, queryable data.

    >>> import htreport
    >>> report = htreport.extract("data/raw/nap-2014-2015-annual-report.txt")
    >>> len(report.deliverables())
    72
"""

from __future__ import annotations

__version__ = "0.1.0"

# The function `extract` shadows the submodule of the same name on purpose; it must be bound
# here, eagerly, or a later `import htreport.extract` would rebind the name to the module.
from .errors import ExitCode, HtreportError
from .extract import extract, extract_document
from .io import dump, dumps, load, loads
from .models import Report

__all__ = [
    "ExitCode",
    "HtreportError",
    "Report",
    "__version__",
    "dump",
    "dumps",
    "extract",
    "extract_document",
    "load",
    "loads",
]
