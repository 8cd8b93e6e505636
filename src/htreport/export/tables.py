"""The export tables: their columns, keys, labels and descriptions, shared by every export.

Each table is declared once here; SQLite, CSV (with its Data Package), Parquet and the datasette
metadata are all generated from these declarations, and descriptions, types, `required` and
enums come from the pydantic models wherever a column mirrors a model field (`mirror`).
Adding a table is one entry in `TABLES` and one place in `export.rows` that emits its rows.
"""

from __future__ import annotations

from htreport.export.columns import Column, ColumnType, Table, mirror
from htreport.model.report import (
    Achievement,
    Deliverable,
    ExtractionWarning,
    Footnote,
    Lead,
    Metadata,
    Objective,
    PillarBlock,
    Source,
    Statistic,
    SubItem,
    Task,
)


def _id(description: str) -> Column:
    return Column("id", "integer", True, description)


def _label(description: str) -> Column:
    return Column("label", "string", True, description)


def _ref(name: str, table: str, description: str, *, column: str = "id") -> Column:
    kind: ColumnType = "string" if column == "code" else "integer"
    return Column(name, kind, True, description, references=(table, column))


def _line(model: str) -> Column:
    return Column("line", "integer", False, f"First source line of the {model}.")


def _page(model: str) -> Column:
    return Column("page", "integer", False, f"First PDF page of the {model}, if a PDF.")


_REPORT_ID = _ref("report_id", "reports", "The report (row of reports) it comes from.")
_REPORT_YEAR = Column(
    "report", "string", False, "Fiscal year of the report, e.g. 2014-2015 (as in queries)."
)

#: Progress flags of a deliverable (computed by htreport.analysis.flags, passed in by the
#: caller: export does not import analysis). NULL when the corpus cannot decide the flag.
FLAG_RULES = {
    "stalled": "the same in_progress, on_hold or not_started status in consecutive report years",
    "long_running": "started 3 or more fiscal years before the report year, not completed",
    "new_this_year": "no match in the previous year's report",
    "completed_this_year": "completed now, not completed (or absent) the previous year",
    "dropped": "no match in the next year's report",
}
_FLAG_COLUMNS = (
    *(
        Column(
            name,
            "boolean",
            False,
            f"Progress flag: {rule}. Empty when the corpus lacks the year it needs.",
        )
        for name, rule in FLAG_RULES.items()
    ),
    Column(
        "flag_evidence",
        "string",
        False,
        "Why each decided flag holds or not, with the report years that decided it.",
    ),
)

TABLES: tuple[Table, ...] = (
    Table(
        "reports",
        "One row per structured report file.",
        (
            _id("Row number of the report in this export."),
            _label("Fiscal year and title, e.g. 2014-2015: National Action Plan ..."),
            mirror(Metadata, "fiscal_year"),
            mirror(Metadata, "title"),
            mirror(Metadata, "plan"),
            mirror(Metadata, "edition"),
            mirror(Metadata, "edition_number"),
            mirror(Metadata, "period_start"),
            mirror(Metadata, "period_end"),
            mirror(Metadata, "publisher"),
            mirror(Source, "file", "source_file"),
            mirror(Source, "sha256", "source_sha256"),
            mirror(Source, "format", "source_format"),
            mirror(Source, "extractor"),
            Column("path", "string", True, "The structured data file this row was loaded from."),
        ),
        indexes=(("fiscal_year",),),
        facets=("fiscal_year", "plan"),
    ),
    Table(
        "departments",
        "The department registry, plus any code named by a file but unknown to the registry.",
        (
            Column("code", "string", True, "Canonical department code, e.g. CBSA."),
            _label("Code and English name, e.g. CBSA: Canada Border Services Agency."),
            Column("name_en", "string", True, "English name."),
            Column("name_fr", "string", False, "French name."),
            Column("kind", "string", False, "e.g. department, agency; unknown if not registered."),
        ),
        primary_key="code",
        facets=("kind",),
    ),
    Table(
        "programs",
        "Programs of a department that are named as leads, e.g. ESDC's TFWP.",
        (
            _id("Row number."),
            _label("Department and program, e.g. ESDC (TFWP)."),
            Column("code", "string", True, "Canonical program code, e.g. TFWP."),
            _ref("department", "departments", "The department it belongs to.", column="code"),
        ),
        indexes=(("department",),),
    ),
    Table(
        "pillars",
        "One pillar block of a report's Annex A chart.",
        (
            _id("Row number."),
            _label("Report year and pillar, e.g. 2014-2015 prevention."),
            _REPORT_ID,
            mirror(PillarBlock, "pillar"),
            mirror(PillarBlock, "heading"),
            _line("pillar heading"),
        ),
        indexes=(("report_id",),),
        facets=("pillar",),
    ),
    Table(
        "objectives",
        "One objective under a pillar.",
        (
            _id("Row number."),
            _label("Report year and objective, e.g. 2014-2015 objective 1.1."),
            _ref("pillar_id", "pillars", "The pillar block it stands under."),
            _REPORT_ID,
            mirror(Objective, "id", "objective"),
            mirror(Objective, "text"),
            _line("objective"),
        ),
        indexes=(("pillar_id",), ("report_id",)),
    ),
    Table(
        "tasks",
        "One task under an objective.",
        (
            _id("Row number."),
            _label("Report year and task, e.g. 2014-2015 task 1.11."),
            _ref("objective_id", "objectives", "The objective it stands under."),
            _REPORT_ID,
            mirror(Task, "id", "task"),
            mirror(Task, "text"),
            _line("task"),
        ),
        indexes=(("objective_id",), ("report_id",), ("task",)),
    ),
    Table(
        "deliverables",
        "One row of the Annex A chart: an action item with its status and leads.",
        (
            _id("Row number."),
            _label("Report year and deliverable, e.g. 2014-2015 1.11.2."),
            _REPORT_ID,
            _ref("task_id", "tasks", "The task it belongs to."),
            _REPORT_YEAR,
            mirror(Deliverable, "id", "deliverable"),
            mirror(Deliverable, "key"),
            mirror(PillarBlock, "pillar"),
            mirror(Objective, "id", "objective", description="Objective id, e.g. 1.1."),
            mirror(Task, "id", "task", description="Task id, e.g. 1.11."),
            mirror(Deliverable, "text"),
            mirror(Deliverable, "new"),
            mirror(Deliverable, "start"),
            mirror(Deliverable, "timeline"),
            mirror(Deliverable, "status"),
            mirror(Deliverable, "status_detail"),
            mirror(
                Deliverable,
                "leads",
                description="Lead departments as labels, e.g. ESDC (TFWP), a JSON array "
                "(one row each in deliverable_leads).",
            ),
            mirror(Deliverable, "lead_note"),
            _line("row"),
            Column("end_line", "integer", False, "Last source line of the row."),
            _page("row"),
            *_FLAG_COLUMNS,
        ),
        indexes=(
            ("report_id",),
            ("task_id",),
            ("report",),
            ("pillar",),
            ("task",),
            ("status",),
            ("start",),
            ("new",),
            ("key",),
        ),
        search=("text",),
        facets=("report", "status", "pillar"),
        array_facets=("leads",),
    ),
    Table(
        "deliverable_items",
        "One entry of a list inside a deliverable cell.",
        (
            _id("Row number."),
            _label("Deliverable and position, e.g. 2014-2015 1.11.2 item 1."),
            _ref("deliverable_id", "deliverables", "The deliverable it belongs to."),
            Column("position", "integer", True, "Position in the list, from 1."),
            mirror(SubItem, "text"),
            mirror(SubItem, "start", description="Start fiscal year, e.g. 2014-15."),
            mirror(SubItem, "status"),
            mirror(SubItem, "status_detail"),
        ),
        indexes=(("deliverable_id",),),
        facets=("status",),
    ),
    Table(
        "deliverable_leads",
        "One lead of a deliverable (the deliverables.leads array, one row per lead).",
        (
            _id("Row number."),
            _label("Deliverable and lead, e.g. 2014-2015 1.11.2: ESDC (TFWP)."),
            _ref("deliverable_id", "deliverables", "The deliverable it leads."),
            Column("position", "integer", True, "Position among the deliverable's leads, from 1."),
            _ref(
                "department",
                "departments",
                mirror(Lead, "department").description or "",
                column="code",
            ),
            mirror(Lead, "program"),
            mirror(Lead, "raw"),
        ),
        indexes=(("deliverable_id",), ("department", "program")),
        facets=("department",),
    ),
    Table(
        "statistics",
        "One quantitative claim in a report's prose.",
        (
            _id("Row number."),
            _label("Report year, value and what is counted, e.g. 2014-2015: 31454 victims."),
            _REPORT_ID,
            _REPORT_YEAR,
            mirror(Statistic, "section"),
            mirror(Statistic, "value"),
            mirror(Statistic, "unit"),
            mirror(Statistic, "counted"),
            mirror(Statistic, "qualifiers", description="Qualifiers of the number, a JSON array."),
            mirror(Statistic, "time_ref"),
            mirror(
                Statistic,
                "departments",
                description="Canonical codes of departments the paragraph names, a JSON array "
                "(one row each in statistic_departments).",
            ),
            mirror(Statistic, "raw"),
            mirror(Statistic, "sentence", description="The sentence the number stands in."),
            _line("sentence"),
            _page("sentence"),
        ),
        indexes=(("report_id",), ("report",), ("section",)),
        search=("sentence",),
        facets=("report", "section", "unit"),
        array_facets=("departments",),
    ),
    Table(
        "statistic_departments",
        "One department named with a statistic.",
        (
            _id("Row number."),
            _label("Statistic and department."),
            _ref("statistic_id", "statistics", "The statistic."),
            _ref("department", "departments", "A department code.", column="code"),
        ),
        indexes=(("statistic_id",), ("department",)),
        facets=("department",),
    ),
    Table(
        "achievements",
        "One item of a Key Achievements list.",
        (
            _id("Row number."),
            _label("Report year, section and the item's first words."),
            _REPORT_ID,
            _REPORT_YEAR,
            mirror(Achievement, "section"),
            mirror(Achievement, "heading"),
            mirror(
                Achievement,
                "departments",
                description="Canonical codes of departments named, a JSON array "
                "(one row each in achievement_departments).",
            ),
            mirror(Achievement, "text"),
            mirror(Achievement, "footnotes", description="Numbers of the footnotes, a JSON array."),
            _line("item"),
            _page("item"),
        ),
        indexes=(("report_id",), ("report",), ("section",)),
        search=("text",),
        facets=("report", "section"),
        array_facets=("departments",),
    ),
    Table(
        "achievement_departments",
        "One department named in an achievement.",
        (
            _id("Row number."),
            _label("Achievement and department."),
            _ref("achievement_id", "achievements", "The achievement."),
            _ref("department", "departments", "A department code.", column="code"),
        ),
        indexes=(("achievement_id",), ("department",)),
        facets=("department",),
    ),
    Table(
        "links",
        "A key achievement and a deliverable of the same report it most plausibly reports on "
        "(docs/analysis.md: method, precision and recall), with the evidence of its score.",
        (
            _id("Row number."),
            _label(
                "Report year, achievement line and deliverable, e.g. 2014-2015 line 60 -> 3.11.2."
            ),
            _REPORT_ID,
            _REPORT_YEAR,
            _ref("achievement_id", "achievements", "The key achievement."),
            _ref("deliverable_id", "deliverables", "The deliverable it is linked to."),
            Column("deliverable", "string", True, "Deliverable id, e.g. 3.11.2."),
            Column("score", "number", True, "0.6 tfidf + 0.2 departments + 0.2 terms, in [0, 1]."),
            Column("tfidf", "number", True, "TF-IDF cosine similarity of the two texts."),
            Column("terms", "number", True, "rapidfuzz token-set ratio of the key terms, 0-1."),
            Column(
                "shared_departments",
                "array",
                True,
                "Lead departments of the deliverable the achievement names, a JSON array.",
            ),
            Column("shared_terms", "array", True, "Key terms both texts use, a JSON array."),
        ),
        indexes=(("report_id",), ("achievement_id",), ("deliverable_id",)),
        facets=("report",),
    ),
    Table(
        "footnotes",
        "One footnote of a report.",
        (
            _id("Row number."),
            _label("Report year and footnote number."),
            _REPORT_ID,
            mirror(Footnote, "number"),
            mirror(Footnote, "text"),
            _line("footnote"),
        ),
        indexes=(("report_id",),),
    ),
    Table(
        "warnings",
        "What the extractor could not parse or resolve in a report, kept for review.",
        (
            _id("Row number."),
            _label("Report year and warning code."),
            _REPORT_ID,
            mirror(ExtractionWarning, "code"),
            mirror(ExtractionWarning, "message"),
            mirror(ExtractionWarning, "line"),
            mirror(ExtractionWarning, "page"),
        ),
        indexes=(("report_id",),),
        facets=("code",),
    ),
)

#: The tables by name, in creation order (a table's foreign keys point to earlier tables).
TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}

#: The exported tables, in creation order (also the CSV and Parquet file names).
TABLE_NAMES = tuple(TABLES_BY_NAME)
