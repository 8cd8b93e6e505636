"""The extraction pipeline: source file -> Document -> parsers -> validated Report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from htreport.document import Document, SourceFormat
from htreport.model.departments import registry
from htreport.model.report import Annex, Report, Source
from htreport.model.textclean import file_name_text
from htreport.parsers import achievements as achievements_parser
from htreport.parsers import annex as annex_parser
from htreport.parsers import footnotes as footnotes_parser
from htreport.parsers import metadata as metadata_parser
from htreport.parsers import prose
from htreport.parsers import statistics as statistics_parser
from htreport.parsers.sections import find_sections
from htreport.readers import read_source
from htreport.settings import VERSION


def extract(
    path: str | Path,
    *,
    encoding: str | None = None,
    source_format: SourceFormat | None = None,
) -> Report:
    """Extract a report from a text, Markdown, HTML or PDF file (`-` reads stdin).

    The reader is chosen by the file's content; `source_format` ("text", "markdown", "html",
    "pdf") chooses it instead."""
    document = read_source(Path(path), encoding=encoding, source_format=source_format)
    return extract_document(document)


def extract_document(document: Document) -> Report:
    """Run every parser over an already-read Document."""

    departments = registry()
    warnings = list(document.warnings)
    reading_order = _reading_order(document)
    annex = annex_parser.parse(document, departments)
    warnings += annex.warnings
    sections = find_sections(document)
    blocks = prose.assemble(document, sections)
    metadata = metadata_parser.parse(document, sections)
    warnings += metadata.warnings
    footnotes = footnotes_parser.parse(document, sections, blocks)
    warnings += footnotes.warnings
    statistics = statistics_parser.parse(
        blocks + prose.footnote_blocks(document, sections), departments
    )
    warnings += statistics.warnings
    achievements = achievements_parser.parse(blocks, departments)
    warnings += achievements.warnings
    if annex.annex is not None:
        _assign_default_keys(annex.annex, metadata.metadata.fiscal_year or Path(document.path).stem)
    return Report(
        source=Source(
            file=file_name_text(Path(document.path).name),
            sha256=document.sha256,
            format=document.format,
            encoding=document.encoding,
            extractor=f"htreport {VERSION}",
        ),
        metadata=metadata.metadata,
        annex=annex.annex,
        achievements=achievements.achievements,
        statistics=sorted(statistics.statistics, key=lambda s: reading_order(s.provenance.line)),
        footnotes=footnotes.footnotes,
        joins=annex.joins,
        warnings=sorted(warnings, key=lambda w: (w.line or 0, w.code)),
    )


def _reading_order(document: Document) -> Callable[[int], int]:
    """Where a source line first stands in the document's reading order.

    Lines are numbered as the source numbers them; a reader may place a line elsewhere (an
    HTML or Markdown footnote after the paragraph that refers to it, as a page puts it at its
    foot), so records sort by reading order, not by line number."""
    position: dict[int, int] = {}
    for index, line in enumerate(document.lines):
        position.setdefault(line.lineno, index)
    return lambda lineno: position.get(lineno, lineno)


def _assign_default_keys(annex: Annex, year: str) -> None:
    """A deliverable seen for the first time is keyed by the report year and its id.

    `htreport diff` carries keys forward to later years that match it."""
    for pillar in annex.pillars:
        for objective in pillar.objectives:
            for task in objective.tasks:
                for deliverable in task.deliverables:
                    deliverable.key = f"{year}/{deliverable.id}"
