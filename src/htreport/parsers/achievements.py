"""Key Achievements lists: the Foreword's, each Part's, and department blocks.

A list heading is a paragraph of its own that ends with a colon and names key achievements or
key partnerships:

- "Key achievements in support of the National Action Plan in 2014-2015 include:"
- "2014-2015 Key Achievements:"
- "Key GAC Achievement:", "Key GAC Partnerships:" (the words between "Key" and the noun name
  the department, resolved through the registry).

Its items are the bullets that follow it (bullets already whole again, see `prose`). A heading
followed by no bullet has one item: the paragraph under it.
"""

from __future__ import annotations

import re

from htreport.model.departments import Registry
from htreport.model.report import Achievement
from htreport.parsers.prose import Block, departments_named

_HEADING = re.compile(
    r"^(?:(?P<year>\d{4}\s*[-–/]\s*\d{2,4})\s+)?key\s+(?:(?P<who>[\w&.'’ -]+?)\s+)??"
    r"(?P<noun>achievements?|partnerships?)\b(?P<rest>[^:]*):$",
    re.IGNORECASE,
)
_MAX_HEADING_WORDS = 25


def is_heading(block: Block) -> bool:
    """True when `block` introduces a Key Achievements (or Key Partnerships) list."""
    return (
        block.kind == "paragraph"
        and len(block.text.split()) <= _MAX_HEADING_WORDS
        and bool(_HEADING.match(block.text))
    )


def parse(blocks: list[Block], registry: Registry) -> list[Achievement]:
    """Every item of every Key Achievements list in `blocks`, in report order."""
    achievements: list[Achievement] = []
    for position, block in enumerate(blocks):
        if not is_heading(block):
            continue
        heading_departments = _heading_departments(block.text, registry)
        for item in _items(blocks, position):
            departments = list(heading_departments)
            departments += [
                d for d in departments_named(item.text, registry) if d not in departments
            ]
            achievements.append(
                Achievement(
                    section=block.section,
                    heading=block.text,
                    departments=departments,
                    text=item.text,
                    footnotes=item.footnotes,
                    provenance=item.provenance,
                )
            )
    return achievements


def _items(blocks: list[Block], position: int) -> list[Block]:
    following = blocks[position + 1 :]
    if not following:
        return []
    if following[0].kind == "paragraph":
        return [] if is_heading(following[0]) else [following[0]]
    items = []
    for block in following:
        if block.kind != "bullet":
            break
        items.append(block)
    return items


def _heading_departments(text: str, registry: Registry) -> list[str]:
    match = _HEADING.match(text)
    who = (match.group("who") or "").strip() if match else ""
    if not who:
        return []
    found = registry.lookup(who)
    return [found.department] if found else departments_named(who, registry)
