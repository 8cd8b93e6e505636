"""Exports of a corpus for other tools: SQLite and CSV, one module per target."""
