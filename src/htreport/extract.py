"""The extraction pipeline: source file -> Document -> parsers -> validated Report."""

from __future__ import annotations

from pathlib import Path

from .departments import registry
from .document import Document
from .models import Annex, Metadata, Report, Source
from .parsers import annex as annex_parser
from .sources import read_source


def extract(path: str | Path, *, encoding: str | None = None) -> Report:
    """Extract a report from a text or PDF file (`-` reads stdin)."""
    return extract_document(read_source(Path(path), encoding=encoding))


def extract_document(document: Document) -> Report:
    """Run every parser over an already-read Document."""
    from . import __version__

    departments = registry()
    warnings = list(document.warnings)
    annex = annex_parser.parse(document, departments)
    warnings += annex.warnings
    metadata = _metadata(document)
    if annex.annex is not None:
        _assign_default_keys(annex.annex, metadata.fiscal_year or Path(document.path).stem)
    return Report(
        source=Source(
            file=Path(document.path).name,
            sha256=document.sha256,
            format=document.format,
            encoding=document.encoding,
            extractor=f"htreport {__version__}",
        ),
        metadata=metadata,
        annex=annex.annex,
        joins=annex.joins,
        warnings=sorted(warnings, key=lambda w: (w.line or 0, w.code)),
    )


def _metadata(document: Document) -> Metadata:
    try:
        from .parsers import metadata as metadata_parser
    except ImportError:  # pragma: no cover - the metadata parser lands with issue 3
        return Metadata()
    return metadata_parser.parse(document)


def _assign_default_keys(annex: Annex, year: str) -> None:
    """A deliverable seen for the first time is keyed by the report year and its id.

    `htreport diff` carries keys forward to later years that match it."""
    for pillar in annex.pillars:
        for objective in pillar.objectives:
            for task in objective.tasks:
                for deliverable in task.deliverables:
                    deliverable.key = f"{year}/{deliverable.id}"
