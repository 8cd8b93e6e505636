"""Query filters: what `--lead`, `--status`, `--year` and the others select, checked and
normalised once, then turned into one test per filter.

Plain Python, not a pydantic model: a warm query reads its records from the cache and needs
no model at all, so reading its options should not import pydantic either.

    >>> from htreport.analysis.filters import Filters
    >>> Filters.parse(year=["2014-15"], status=["In progress"]).year
    ['2014-2015']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from htreport.errors import UsageError
from htreport.model import fiscal
from htreport.model.departments import Match, registry
from htreport.model.records import RECORD_FIELDS, STATISTIC_UNITS
from htreport.model.vocabulary import Pillar, Section, Status

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


def check_units(filters: Filters, known: Iterable[str]) -> None:
    """Refuse a --unit no statistic has (`dollars`), rather than silently match nothing.

    `known` is the units of the corpus; the units the extractor writes are always known."""
    valid = sorted({*STATISTIC_UNITS, *known}, key=str.casefold)
    folded = {unit.casefold(): unit for unit in valid}
    for value in filters.unit:
        if value not in folded:
            hint = UNIT_SYNONYMS.get(value)
            raise UsageError(f"--unit: {unknown_value_message('unit', value, valid, hint)}")


@dataclass(frozen=True, slots=True)
class Filters:
    """Query filters. Each list is an OR of its values; different filters combine with AND.

    Built with keyword arguments (`Filters(lead=["RCMP"])`), each checked and normalised as it
    is given; a bad value raises UsageError naming the option (`--status: unknown status ...`).
    """

    lead: list[str] = field(default_factory=list)
    status: list[Status] = field(default_factory=list)
    pillar: list[Pillar] = field(default_factory=list)
    task: list[str] = field(default_factory=list)
    year: list[str] = field(default_factory=list)
    start: list[str] = field(default_factory=list)
    new: bool | None = None
    grep: str | None = None
    section: list[Section] = field(default_factory=list)
    unit: list[str] = field(default_factory=list)
    min: float | None = None  # noqa: A003 - named after the --min option
    max: float | None = None  # noqa: A003

    _leads: list[Match] = field(default_factory=list, init=False, repr=False, compare=False)
    _pattern: Any = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name, check in _CHECKS.items():  # in the order of the fields: the first bad one
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, check(value, name))
        departments = registry()
        leads = [found for value in self.lead if (found := departments.lookup(value))]
        object.__setattr__(self, "_leads", leads)
        pattern = linear_regex(self.grep) if self.grep is not None else None
        object.__setattr__(self, "_pattern", pattern)

    @classmethod
    def parse(cls, **options: Any) -> Filters:
        """Build filters from option values; a bad value raises UsageError naming the option.

        Empty lists and None are ignored, so CLI options can be passed through as they are."""
        given = {name: value for name, value in options.items() if value not in (None, [], ())}
        filters = cls(**{name: value for name, value in given.items() if name in _CHECKS})
        for name in given:  # after the values, as pydantic reported them
            if name not in _CHECKS:
                raise UsageError(f"--{name}: unknown filter")
        return filters

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
        for name, key in _MEMBERSHIP.items():
            if chosen := getattr(self, name):
                tests.append(_member_test(key, {getattr(v, "value", v) for v in chosen}))
        if self.new is not None:
            wanted_new = self.new
            tests.append(lambda r: r["new"] is wanted_new)
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


#: Filters that keep a record when its field (the value) holds one of the values asked for.
_MEMBERSHIP = {
    "status": "status",
    "pillar": "pillar",
    "task": "task",
    "year": "report",
    "start": "start",
    "section": "section",
}


def _member_test(key: str, wanted: set[str]) -> Callable[[Record], bool]:
    return lambda record: record[key] in wanted


def _listed(values: Any, name: str) -> list[Any]:
    if not isinstance(values, list | tuple | set | frozenset):
        raise UsageError(f"--{name}: must be a list")
    return list(values)


def _texts(values: Any, name: str) -> list[str]:
    for value in _listed(values, name):
        if not isinstance(value, str):
            raise UsageError(f"--{name}: must be text")
    return list(values)


def _known_leads(values: Any, name: str) -> list[str]:
    departments = registry()
    for value in _texts(values, name):
        if departments.lookup(value) is None:
            raise UsageError(
                f"--{name}: {unknown_value_message(name, value, departments.all_names())}"
            )
    return list(values)


def _choices(vocabulary: Any) -> Callable[[Any, str], list[Any]]:
    valid = [member.value for member in vocabulary]

    def check(values: Any, name: str) -> list[Any]:
        normalised = []
        for value in _listed(values, name):
            text = value.value if hasattr(value, "value") else str(value)
            choice = _choice(text)
            if choice not in valid:
                raise UsageError(f"--{name}: {unknown_value_message(name, text, valid)}")
            normalised.append(vocabulary(choice))
        return normalised

    return check


def _task_ids(values: Any, name: str) -> list[str]:
    for value in _texts(values, name):
        if not re.fullmatch(r"\d+\.\d+", value.strip()):
            raise UsageError(f"--{name}: {value!r} is not a task id such as 3.11")
    return [value.strip() for value in values]


def _fiscal_years(values: Any, name: str) -> list[str]:
    normalised = []
    for value in _texts(values, name):
        start = fiscal.parse(value)
        if start is None:
            raise UsageError(
                f"--{name}: {value!r} is not a fiscal year such as 2014-2015 or 2014-15"
            )
        normalised.append(fiscal.full(start) if name == "year" else fiscal.short(start))
    return normalised


_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


def _flag(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().casefold() in _TRUE | _FALSE:
        return value.strip().casefold() in _TRUE
    raise UsageError(f"--{name}: must be true or false")


def _pattern(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise UsageError(f"--{name}: must be text")
    try:
        linear_regex(value)
    except ValueError as error:
        raise UsageError(f"--{name}: invalid regular expression {value!r}: {error}") from None
    return value


def _units(values: Any, name: str) -> list[str]:
    return [value.strip().casefold() for value in _texts(values, name)]


def _number(value: Any, name: str) -> float:
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise UsageError(f"--{name}: must be a number")


#: Each filter's check, in the order of the fields (the first bad value is the one reported).
_CHECKS: dict[str, Callable[[Any, str], Any]] = {
    "lead": _known_leads,
    "status": _choices(Status),
    "pillar": _choices(Pillar),
    "task": _task_ids,
    "year": _fiscal_years,
    "start": _fiscal_years,
    "new": _flag,
    "grep": _pattern,
    "section": _choices(Section),
    "unit": _units,
    "min": _number,
    "max": _number,
}


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


@lru_cache(maxsize=64)  # a filter checks its pattern, then keeps it: compiled once
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
        for name in fields:
            value = record.get(name)
            if isinstance(value, list):
                if any(pattern.search(str(item)) for item in value):
                    return True
            elif value is not None and pattern.search(str(value)):
                return True
        return False

    return test
