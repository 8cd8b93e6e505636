"""Extraction: source file -> readers -> parsers -> a validated report (and many in parallel)."""

from htreport.pipeline.extraction import (
    extract,
    extract_document,
    extract_plain,
    extract_plain_document,
    report_data,
    validated,
)

__all__ = [
    "extract",
    "extract_document",
    "extract_plain",
    "extract_plain_document",
    "report_data",
    "validated",
]
