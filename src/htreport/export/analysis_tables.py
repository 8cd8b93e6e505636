"""Computed columns and tables of the exports: progress flags per deliverable, and links.

The values are computed by analysis/ (flags.export_flag_values, links.link_rows) and handed to
build_tables by the caller: the flags are never stored in the data files."""

from __future__ import annotations

#: Extra columns of the deliverables table (flag: 1 true, 0 false, NULL undecidable).
FLAG_COLUMNS = {
    "stalled": "INTEGER",
    "long_running": "INTEGER",
    "new_this_year": "INTEGER",
    "completed_this_year": "INTEGER",
    "dropped": "INTEGER",
    "flag_evidence": "TEXT",
}

#: The links table: one row per achievement -> deliverable link (analysis/links.py).
LINK_COLUMNS = {
    "report": "TEXT",
    "source": "TEXT NOT NULL",
    "achievement_line": "INTEGER NOT NULL",
    "achievement_page": "INTEGER",
    "achievement": "TEXT",
    "deliverable": "TEXT NOT NULL",
    "deliverable_line": "INTEGER",
    "deliverable_page": "INTEGER",
    "deliverable_text": "TEXT",
    "score": "REAL NOT NULL",
    "tfidf": "REAL",
    "terms": "REAL",
    "shared_departments": "TEXT",
    "shared_terms": "TEXT",
}
