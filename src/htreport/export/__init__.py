"""Exports of a corpus for other tools: SQLite (+ datasette), CSV (+ Data Package), Parquet."""
