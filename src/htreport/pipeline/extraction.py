"""The extraction pipeline: source file -> Document -> parsers -> validated Report.

The parsers build plain records (`htreport.model.plain`). `extract` turns them into the
models; `extract_data` gives the JSON data of the report, checked against the schema without
the models when that check can vouch for it (`htreport.model.conformance`), so that
`htreport extract` needs neither pydantic nor the models for a report that is valid as built."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from htreport.document import Document, SourceFormat
from htreport.model import plain
from htreport.model.conformance import conforms
from htreport.model.departments import registry
from htreport.model.plain import Annex, Source
from htreport.model.textclean import file_name_text
from htreport.parsers import achievements as achievements_parser
from htreport.parsers import annex as annex_parser
from htreport.parsers import footnotes as footnotes_parser
from htreport.parsers import metadata as metadata_parser
from htreport.parsers import prose
from htreport.parsers import statistics as statistics_parser
from htreport.parsers.sections import find_sections
from htreport.readers import read_source
from htreport.settings import VERSION, young_collections_rare

if TYPE_CHECKING:
    from htreport.model.report import Report


def extract(
    path: str | Path,
    *,
    encoding: str | None = None,
    source_format: SourceFormat | None = None,
) -> Report:
    """Extract a report from a text, Markdown, HTML or PDF file (`-` reads stdin).

    The reader is chosen by the file's content; `source_format` ("text", "markdown", "html",
    "pdf") chooses it instead."""
    with young_collections_rare():
        return validated(extract_plain(path, encoding=encoding, source_format=source_format))


def extract_document(document: Document) -> Report:
    """Run every parser over an already-read Document."""
    with young_collections_rare():
        return validated(extract_plain_document(document))


def extract_plain(
    path: str | Path,
    *,
    encoding: str | None = None,
    source_format: SourceFormat | None = None,
) -> plain.Report:
    """`extract`, giving the parsers' plain records, not yet validated."""
    with young_collections_rare():
        document = read_source(Path(path), encoding=encoding, source_format=source_format)
        return extract_plain_document(document)


def validated(report: plain.Report) -> Report:
    """The models of a report the parsers built (pydantic's ValidationError if it is invalid)."""
    from htreport.model.report import Report

    return Report.model_validate(report, from_attributes=True)


def report_data(report: plain.Report) -> dict[str, Any]:
    """The JSON data of a report the parsers built, as `store.io.to_data(validated(report))`
    gives it. The models are built only when the schema check cannot vouch for the data."""
    try:
        data: dict[str, Any] = plain.to_json_data(report)
    except plain.NotPlainData:
        pass
    else:
        if conforms(data):
            return data
    return validated(report).model_dump(mode="json", exclude_none=True)


def extract_plain_document(document: Document) -> plain.Report:
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
    return plain.Report(
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
