"""The department registry (data/departments.yaml) and resolution of lead cells."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from htreport.model.packaged import packaged_yaml

if TYPE_CHECKING:  # the models (pydantic) load only when a lead cell is parsed
    from htreport.model.plain import Lead


class Department(NamedTuple):
    """A department of the registry (data/departments.yaml), with every name it goes by."""

    code: str
    en: str
    fr: str | None
    kind: str
    names: tuple[str, ...]  # every name that resolves to it: codes, acronyms, former names
    programs: tuple[str, ...]
    #: Codes of the departments it was split into (INAC -> CIRNAC, ISC), and the year it ended.
    succeeded_by: tuple[str, ...] = ()
    until: int | None = None
    #: Codes of the departments it took over from, in part or whole (CIRNAC, ISC <- INAC).
    succeeds: tuple[str, ...] = ()


class Match(NamedTuple):
    """What a name resolves to: a department, or one of its programs."""

    department: str
    program: str | None = None


class ParsedLeads(NamedTuple):
    leads: list[Lead]
    note: str | None
    unresolved: list[str]


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().casefold())


class Registry:
    """Name lookup over the registry: codes, English/French names and acronyms, former names."""

    def __init__(self, data: dict) -> None:
        self.departments: dict[str, Department] = {}
        self._names: dict[str, Match] = {}
        for entry in data["departments"]:
            code = entry["code"]
            names = [code, entry["en"], *entry.get("aliases", []), *entry.get("fr_acronyms", [])]
            if entry.get("fr"):
                names.append(entry["fr"])
            for former in entry.get("former", []):
                names += [former["code"], former["en"]]
                names += [n for n in (former.get("fr"), former.get("fr_acronym")) if n]
            for name in names:
                self._names.setdefault(_key(name), Match(code))
            programs = []
            for program in entry.get("programs", []):
                programs.append(program["code"])
                pnames = [program["code"], program["en"], *program.get("aliases", [])]
                pnames += [program["fr"]] if program.get("fr") else []
                for name in pnames:
                    self._names.setdefault(_key(name), Match(code, program["code"]))
                    # "ESDC TFWP" / "ESDC-TFWP" as one name
                    self._names.setdefault(_key(f"{code} {name}"), Match(code, program["code"]))
            self.departments[code] = Department(
                code=code,
                en=entry["en"],
                fr=entry.get("fr"),
                kind=entry.get("kind", "department"),
                names=tuple(names),
                programs=tuple(programs),
                succeeded_by=tuple(entry.get("succeeded_by", [])),
                until=entry.get("until"),
                succeeds=tuple(entry.get("succeeds", [])),
            )
        self._longest = max(len(name.split()) for name in self._names)

    def lookup(self, name: str) -> Match | None:
        """Resolve one name (case-insensitive); internal spaces in acronyms are forgiven."""
        return self.lookup_key(_key(name))

    def lookup_key(self, key: str) -> Match | None:
        """`lookup` of a name already case-folded, its spaces single (see `_key`)."""
        found = self._names.get(key)
        if found is None and " " in key and len(key) <= 8:
            found = self._names.get(key.replace(" ", ""))  # "IM P" -> "IMP"
        return found

    def program_of(self, department: str, name: str) -> str | None:
        found = self.lookup(name)
        if found and found.department == department and found.program:
            return found.program
        return None

    def all_names(self) -> list[str]:
        """Every code and program a user can filter by, for error messages."""
        names = []
        for dept in self.departments.values():
            names.append(dept.code)
            names += list(dept.programs)
        return names

    def parse_leads(self, cell: str) -> ParsedLeads:
        """Resolve a lead cell such as `ESDC (TFWP) IRCC (IMP)` or `GAC and others, IRCC`."""
        from htreport.model.plain import Lead

        leads: list[Lead] = []
        notes: list[str] = []
        unresolved: list[str] = []
        for kind, text in _tokens(cell):
            if kind == "group":
                if leads and not leads[-1].program:
                    program = self.program_of(leads[-1].department, text)
                    if program:
                        last = leads[-1]
                        leads[-1] = Lead(
                            department=last.department,
                            program=program,
                            raw=f"{last.raw} ({text})",
                        )
                        continue
                notes.append(text)
                continue
            if kind == "note":
                notes.append(text)
                continue
            words = text.split()
            pending: list[str] = []  # a run of words that resolve to nothing
            i = 0
            while i < len(words):
                for size in range(min(self._longest, len(words) - i), 0, -1):
                    name = " ".join(words[i : i + size])
                    found = self.lookup(name)
                    if found:
                        if pending:
                            unresolved.append(" ".join(pending))
                            pending = []
                        leads.append(
                            Lead(department=found.department, program=found.program, raw=name)
                        )
                        i += size
                        break
                else:
                    pending.append(words[i])
                    i += 1
            if pending:
                unresolved.append(" ".join(pending))
        unique: list[Lead] = []
        for lead in leads:
            if all(lead.label() != other.label() for other in unique):
                unique.append(lead)
        return ParsedLeads(unique, "; ".join(notes) or None, unresolved)


_NOTE_PHRASES = re.compile(r"\band others\b|\bet autres\b", re.IGNORECASE)
_SEPARATORS = re.compile(r"(?<!\s)\s*+(?:[,;&/+]|\band\b|\bet\b)\s*", re.IGNORECASE)


def _tokens(cell: str) -> list[tuple[str, str]]:
    """Split a lead cell into ('names', text), ('group', parenthesised text), ('note', text)."""
    tokens: list[tuple[str, str]] = []
    rest = cell
    for match in _NOTE_PHRASES.finditer(cell):
        tokens.append(("note", match.group(0)))
    rest = _NOTE_PHRASES.sub(" ", rest)
    position = 0
    for match in re.finditer(r"\(([^()]*)\)?", rest):
        tokens += [("names", part) for part in _split(rest[position : match.start()])]
        inner = match.group(1).strip()
        if inner:
            tokens.append(("group", inner))
        position = match.end()
    tokens += [("names", part) for part in _split(rest[position:])]
    # notes found by phrase come first in the list above; keep reading order for the rest
    return [t for t in tokens if t[0] != "note"] + [t for t in tokens if t[0] == "note"]


def _split(text: str) -> list[str]:
    return [part for part in _SEPARATORS.split(text) if part and part.strip()]


@cache
def registry() -> Registry:
    """The registry shipped with htreport (loaded once per process)."""
    return Registry(packaged_yaml("departments.yaml"))
