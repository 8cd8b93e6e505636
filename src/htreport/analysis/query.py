"""Filtering, sorting and column selection over flat records (see records.py).

Pure functions over lists of dicts: loading a corpus is corpus.py's job, printing is render's.

    >>> from htreport.analysis.query import Filters, select
    >>> filters = Filters.parse(lead=["CBSA"], status=["ongoing"])
    >>> matching = select(records, "deliverables", filters)  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from htreport.errors import UsageError, plain_message
from htreport.model import fiscal
from htreport.model.departments import Match, registry
from htreport.model.records import RECORD_FIELDS, STATISTIC_UNITS
from htreport.model.report import Pillar, Section, Status
from htreport.store.corpus import Corpus, Entry

Record = dict[str, Any]

#: Which filters make sense for which record kind; others are refused with a usage error.
APPLIES_TO: dict[str, frozenset[str]] = {
    "lead": frozenset(RECORD_FIELDS),
    "status": frozenset({"deliverables"}),
    "pillar": frozenset({"deliverables"}),
    "task": frozenset({"deliverables"}),
    "start": frozenset({"deliverables"}),
    "new": frozenset({"deliverables"}),
    "section": frozenset({"statistics", "achievements"}),
    "unit": frozenset({"statistics"}),
    "min": frozenset({"statistics"}),
    "max": frozenset({"statistics"}),
    "year": frozenset(RECORD_FIELDS),
    "grep": frozenset(RECORD_FIELDS),
}

#: The fields `--grep` searches, per record kind.
GREP_FIELDS: dict[str, tuple[str, ...]] = {
    "deliverables": ("text", "items"),
    "statistics": ("sentence",),
    "achievements": ("text",),
}


def _choice(value: str) -> str:
    return re.sub(r"[\s-]+", "_", value.strip().casefold())


def _error(code: str, message: str) -> PydanticCustomError:
    # the message goes in the context so braces in user input are not read as a template
    return PydanticCustomError(code, "{message}", {"message": message})


#: Words people use for a unit, and the unit htreport records.
UNIT_SYNONYMS = {
    "dollar": "CAD",
    "dollars": "CAD",
    "$": "CAD",
    "cad$": "CAD",
    "us$": "USD",
    "%": "percent",
    "percentage": "percent",
    "number": "count",
    "people": "count",
}


def suggest(value: str, valid: Iterable[str]) -> str | None:
    """The valid value a mistyped one most likely meant (`complete` -> `completed`), if any."""
    from rapidfuzz import fuzz, process, utils

    choices = list(valid)
    best = process.extractOne(
        value, choices, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=75
    )
    if best is None:  # a transposition (RCPM for RCMP) scores low with WRatio on short words
        best = process.extractOne(
            value, choices, scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=70
        )
    return best[0] if best else None


def unknown_value_message(
    option: str, value: str, valid: Sequence[str], hint: str | None = None
) -> str:
    """`unknown status 'complete'; valid values: ...; did you mean 'completed'?`."""
    hint = hint or suggest(value, valid)
    guess = f"; did you mean {hint!r}?" if hint else ""
    return f"unknown {option} {value!r}; valid values: {', '.join(valid)}{guess}"


def _unknown(option: str, value: str, valid: Sequence[str]) -> PydanticCustomError:
    return _error("unknown_value", unknown_value_message(option, value, valid))


def check_units(filters: Filters, known: Iterable[str]) -> None:
    """Refuse a --unit no statistic has (`dollars`), rather than silently match nothing.

    `known` is the units of the corpus; the units the extractor writes are always known."""
    valid = sorted({*STATISTIC_UNITS, *known}, key=str.casefold)
    folded = {unit.casefold(): unit for unit in valid}
    for value in filters.unit:
        if value not in folded:
            hint = UNIT_SYNONYMS.get(value)
            raise UsageError(f"--unit: {unknown_value_message('unit', value, valid, hint)}")


class Filters(BaseModel):
    """Query filters. Each list is an OR of its values; different filters combine with AND."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lead: list[str] = []
    status: list[Status] = []
    pillar: list[Pillar] = []
    task: list[str] = []
    year: list[str] = []
    start: list[str] = []
    new: bool | None = None
    grep: str | None = None
    section: list[Section] = []
    unit: list[str] = []
    min: float | None = None  # noqa: A003 - named after the --min option
    max: float | None = None  # noqa: A003

    _leads: list[Match] = PrivateAttr(default_factory=list)
    _pattern: Any = PrivateAttr(default=None)

    @field_validator("lead")
    @classmethod
    def _known_leads(cls, values: list[str]) -> list[str]:
        departments = registry()
        for value in values:
            if departments.lookup(value) is None:
                raise _unknown("lead", value, departments.all_names())
        return values

    @field_validator("status", mode="before")
    @classmethod
    def _known_statuses(cls, values: Any) -> Any:
        return _normalise_choices(values, "status", [s.value for s in Status])

    @field_validator("pillar", mode="before")
    @classmethod
    def _known_pillars(cls, values: Any) -> Any:
        return _normalise_choices(values, "pillar", [p.value for p in Pillar])

    @field_validator("section", mode="before")
    @classmethod
    def _known_sections(cls, values: Any) -> Any:
        return _normalise_choices(values, "section", [s.value for s in Section])

    @field_validator("unit")
    @classmethod
    def _units(cls, values: list[str]) -> list[str]:
        return [value.strip().casefold() for value in values]

    @field_validator("task")
    @classmethod
    def _task_ids(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.fullmatch(r"\d+\.\d+", value.strip()):
                raise _error("bad_task", f"{value!r} is not a task id such as 3.11")
        return [value.strip() for value in values]

    @field_validator("year", "start")
    @classmethod
    def _fiscal_years(cls, values: list[str], info: Any) -> list[str]:
        normalised = []
        for value in values:
            start = fiscal.parse(value)
            if start is None:
                raise _error(
                    "bad_year", f"{value!r} is not a fiscal year such as 2014-2015 or 2014-15"
                )
            normalised.append(
                fiscal.full(start) if info.field_name == "year" else fiscal.short(start)
            )
        return normalised

    @field_validator("grep")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                linear_regex(value)
            except ValueError as error:
                raise _error(
                    "bad_regex", f"invalid regular expression {value!r}: {error}"
                ) from None
        return value

    def model_post_init(self, __context: Any) -> None:
        departments = registry()
        self._leads = [found for value in self.lead if (found := departments.lookup(value))]
        self._pattern = linear_regex(self.grep) if self.grep is not None else None

    @classmethod
    def parse(cls, **options: Any) -> Filters:
        """Build filters from option values; a bad value raises UsageError naming the option.

        Empty lists and None are ignored, so CLI options can be passed through as they are."""
        given = {name: value for name, value in options.items() if value not in (None, [], ())}
        try:
            return cls(**given)
        except ValidationError as error:
            first = error.errors()[0]
            option = str(first["loc"][0]) if first["loc"] else ""
            message = plain_message(first)
            if first["type"] == "extra_forbidden":
                message = "unknown filter"
            raise UsageError(f"--{option}: {message}") from None

    def active(self) -> list[str]:
        """Names of the filters that are set."""
        return [name for name in APPLIES_TO if getattr(self, name) not in (None, [])]

    def check_applies(self, kind: str) -> None:
        """Refuse filters that mean nothing for `kind` rather than silently ignoring them."""
        for name in self.active():
            if kind not in APPLIES_TO[name]:
                kinds = " and ".join(sorted(APPLIES_TO[name]))
                raise UsageError(f"--{name} does not apply to {kind} (only to {kinds})")

    def predicates(self, kind: str) -> list[Callable[[Record], bool]]:
        """One test per active filter; a record matches when all of them pass."""
        self.check_applies(kind)
        tests: list[Callable[[Record], bool]] = []
        if self._leads:
            tests.append(_lead_test(self._leads, kind))
        if self.status:
            wanted_status = {status.value for status in self.status}
            tests.append(lambda r: r["status"] in wanted_status)
        if self.pillar:
            wanted_pillar = {pillar.value for pillar in self.pillar}
            tests.append(lambda r: r["pillar"] in wanted_pillar)
        if self.task:
            wanted_task = set(self.task)
            tests.append(lambda r: r["task"] in wanted_task)
        if self.year:
            wanted_year = set(self.year)
            tests.append(lambda r: r["report"] in wanted_year)
        if self.start:
            wanted_start = set(self.start)
            tests.append(lambda r: r["start"] in wanted_start)
        if self.new is not None:
            wanted_new = self.new
            tests.append(lambda r: r["new"] is wanted_new)
        if self.section:
            wanted_section = {section.value for section in self.section}
            tests.append(lambda r: r["section"] in wanted_section)
        if self.unit:
            wanted_unit = set(self.unit)
            tests.append(lambda r: str(r["unit"]).casefold() in wanted_unit)
        if self.min is not None:
            low = self.min
            tests.append(lambda r: r["value"] >= low)
        if self.max is not None:
            high = self.max
            tests.append(lambda r: r["value"] <= high)
        if self._pattern is not None:
            tests.append(_grep_test(self._pattern, GREP_FIELDS[kind]))
        return tests


def _normalise_choices(values: Any, option: str, valid: list[str]) -> Any:
    if not isinstance(values, list | tuple):
        return values
    normalised = []
    for value in values:
        text = value.value if hasattr(value, "value") else str(value)
        choice = _choice(text)
        if choice not in valid:
            raise _unknown(option, text, valid)
        normalised.append(choice)
    return normalised


def lead_department(label: str) -> tuple[str, str | None]:
    """Split a lead label from a record (`ESDC (TFWP)`) into department and program."""
    department, _, rest = label.partition(" (")
    return department, (rest[:-1] if rest.endswith(")") else None)


def _lead_test(matches: list[Match], kind: str) -> Callable[[Record], bool]:
    if kind != "deliverables":
        # statistics and achievements name departments only: a program selects its department
        departments = {match.department for match in matches}
        return lambda r: any(code in departments for code in r["departments"])

    class Decided(dict[str, bool]):  # label -> matches, computed once per distinct label
        def __missing__(self, label: str) -> bool:
            department, program = lead_department(label)
            self[label] = any(
                match.department == department
                and (match.program is None or match.program == program)
                for match in matches
            )
            return self[label]

    label_matches = Decided().__getitem__
    return lambda r: any(map(label_matches, r["leads"]))


def linear_regex(pattern: str) -> Any:
    """A user's pattern compiled for RE2, a linear-time engine, ignoring case.

    A `--grep` pattern comes from the user and is run over every record: Python's `re` can take
    exponential time on patterns like `(a+)+$`; RE2 never backtracks, so a query is linear in
    the text whatever the pattern. RE2 has no lookaround and no backreferences: such a pattern
    is refused with RE2's message (a ValueError)."""
    import re2  # google-re2, imported only for a --grep

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as error:
        message = error.args[0] if error.args else str(error)
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        raise ValueError(
            f"{message} (patterns run on RE2: no lookaround or backreferences)"
        ) from None


def _grep_test(pattern: Any, fields: tuple[str, ...]) -> Callable[[Record], bool]:
    def test(record: Record) -> bool:
        for field in fields:
            value = record.get(field)
            if isinstance(value, list):
                if any(pattern.search(str(item)) for item in value):
                    return True
            elif value is not None and pattern.search(str(value)):
                return True
        return False

    return test


def select(records: Iterable[Record], kind: str, filters: Filters) -> list[Record]:
    """The records of `kind` that pass every filter, in their original order."""
    selected = list(records)
    for test in filters.predicates(kind):  # one pass per filter: cheaper than all() per record
        selected = [record for record in selected if test(record)]
    return selected


def matcher(kind: str, filters: Filters) -> Callable[[list[Record]], list[int]]:
    """A function giving the positions of the rows that pass `filters` (tests built once)."""
    tests = filters.predicates(kind)

    def positions(rows: list[Record]) -> list[int]:
        keep: Iterable[int] = range(len(rows))
        for test in tests:
            keep = [i for i in keep if test(rows[i])]
        return list(keep)

    return positions


def check_fields(kind: str, names: Sequence[str], option: str = "--fields") -> None:
    valid = RECORD_FIELDS[kind]
    for name in names:
        if name not in valid:
            raise UsageError(
                f"{option}: unknown field {name!r} for {kind}; valid fields: {', '.join(valid)}"
            )


def parse_field_list(text: str | None) -> list[str]:
    """`a, b,c` -> ['a', 'b', 'c']."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


_DOTTED = re.compile(r"\d+(?:\.\d+)*")


def _sort_value(value: Any) -> tuple:
    """Comparable form of a record value: dotted ids in numeric order, text case-insensitively."""
    if isinstance(value, bool | int | float):
        return (0, float(value))
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    text = str(value)
    if _DOTTED.fullmatch(text):
        return (1, tuple(int(part) for part in text.split(".")))
    return (2, text.casefold())


def sort_records(records: list[Record], kind: str, spec: str | None) -> list[Record]:
    """Sort by comma-separated fields, `-field` for descending; empty values always last."""
    keys = parse_field_list(spec)
    check_fields(kind, [key.lstrip("-") for key in keys], "--sort")
    ordered = list(records)
    for key in reversed(keys):
        name, descending = key.lstrip("-"), key.startswith("-")
        present = [r for r in ordered if r.get(name) not in (None, [])]
        empty = [r for r in ordered if r.get(name) in (None, [])]
        present.sort(key=lambda r: _sort_value(r[name]), reverse=descending)
        ordered = present + empty
    return ordered


def project(records: list[Record], kind: str, fields: Sequence[str] | None) -> list[Record]:
    """Keep only `fields`, in that order (all fields when None or empty)."""
    if not fields:
        return records
    check_fields(kind, fields)
    return [{name: record.get(name) for name in fields} for record in records]


def run(
    records: Iterable[Record],
    kind: str,
    filters: Filters,
    *,
    sort: str | None = None,
    fields: Sequence[str] | None = None,
) -> list[Record]:
    """Filter, sort and project in one call: what `htreport query KIND` prints."""
    if kind not in RECORD_FIELDS:
        raise UsageError(f"unknown record kind {kind!r}; valid kinds: {', '.join(RECORD_FIELDS)}")
    if fields:
        check_fields(kind, fields)
    return project(sort_records(select(records, kind, filters), kind, sort), kind, fields)


def select_entries(corpus: Corpus, kind: str, filters: Filters) -> list[tuple[Entry, int]]:
    """(entry, position) of every record of `kind` that passes `filters`, in corpus order.

    Reads each file's small index unless a filter needs the text (--grep)."""
    matching = matcher(kind, filters)
    part = kind if filters.grep is not None else f"{kind}.index"
    found: list[tuple[Entry, int]] = []
    for entry in corpus.entries:  # file by file, each part let go once read
        rows = entry.records(kind) if filters.grep is not None else entry.index(kind)
        found += [(entry, position) for position in matching(rows)]
        entry.release(part)
    return found


def matched_json_texts(matches: list[tuple[Entry, int]], kind: str) -> Iterator[str]:
    """The JSON text of each match, in order, reading each file's texts once and letting go."""
    for index, (entry, position) in enumerate(matches):
        yield entry.json_texts(kind)[position]
        if index + 1 == len(matches) or matches[index + 1][0] is not entry:
            entry.release(f"{kind}.json")
