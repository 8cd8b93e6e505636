"""Deliverable records compared across forms of one report (text, PDF, HTML, layouts)."""

from __future__ import annotations


def normalised(record: dict, *, status: bool = True) -> dict:
    """`record` without its place in the source, whitespace folded; without the status fields
    when the form's chart has no Status column."""
    record = {k: v for k, v in record.items() if k not in ("source", "line", "page")}
    record["text"] = " ".join(record["text"].split())
    record["items"] = [" ".join(item.split()) for item in record["items"]]
    if not status:
        record.pop("status")
        record.pop("status_detail")
    return record
