"""Data files: load and dump with positions, validate, schemas, the corpus and its cache."""
