"""Extraction: source file -> readers -> parsers -> a validated report (and many in parallel)."""

from htreport.pipeline.extraction import extract, extract_document

__all__ = ["extract", "extract_document"]
