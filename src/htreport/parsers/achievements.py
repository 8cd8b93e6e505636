"""Key Achievements lists: the Foreword's, each Part's, and department blocks.

A list heading is a paragraph of its own that names key achievements or key partnerships and
ends with a colon (a heading marked as one by HTML or Markdown needs no colon; nor does a short
line followed by a list):

- "Key achievements in support of the National Action Plan in 2014-2015 include:"
- "2014-2015 Key Achievements:"
- "Key GAC Achievement:", "Key GAC Partnerships:" (the words between "Key" and the noun name
  the department, resolved through the registry).

Its items are the list items that follow it (bullets, or lines a reader marked as items; whole
again, see `prose`). Some reports write the achievements as paragraphs instead; then:

- a heading that announces a list ("... include:", "... are:", "the following:") takes only
  list items: the sentence after it, when the list itself is missing, is not an achievement;
- a heading that is a title ("Key GAC Achievement:") takes the paragraph under it, or, when
  the source marks its headings (HTML, Markdown), every paragraph up to the next heading;
- a paragraph that speaks of the list rather than adding to it ("These achievements and others
  ... are outlined in the following pages") is never an item.

A heading with no item gives an `empty-achievements` warning at its line.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from htreport.document import warning_at
from htreport.model.departments import Registry
from htreport.model.plain import Achievement, ExtractionWarning
from htreport.parsers.prose import Block, departments_named

_HEADING = re.compile(
    r"^(?:(?P<year>\d{4}\s*[-–/]\s*\d{2,4})\s+)?key\s+(?:(?P<who>[\w&.'’ -]+?)\s+)??"
    r"(?P<noun>achievements?|partnerships?)\b(?P<rest>[^:]*)(?P<colon>:?)$",
    re.IGNORECASE,
)
_ANNOUNCES_LIST = re.compile(
    r"\b(?:include[sd]?|including|are|were|is|was|follows?|following|below)\s*:$", re.I
)
_ABOUT_THE_LIST = re.compile(
    r"^(?:these|those|such|the\s+(?:above|following))\s+(?:key\s+)?(?:achievements?|partnerships?"
    r"|results|accomplishments|initiatives)\b|\b(?:outlined|described|detailed|presented|listed)"
    r"\s+(?:in\s+the\s+following\s+(?:pages|sections?)|below|above)\b",
    re.I,
)
_MAX_HEADING_WORDS = 25
_MAX_BARE_HEADING_WORDS = 8


class AchievementsResult(NamedTuple):
    achievements: list[Achievement]
    warnings: list[ExtractionWarning]


def is_heading(block: Block, following: Block | None = None) -> bool:
    """True when `block` introduces a Key Achievements (or Key Partnerships) list."""
    if block.kind != "paragraph" or len(block.text.split()) > _MAX_HEADING_WORDS:
        return False
    match = _HEADING.match(block.text)
    if not match:
        return False
    if match.group("colon") or block.is_heading:
        return True
    short = len(block.text.split()) <= _MAX_BARE_HEADING_WORDS
    return short and following is not None and following.kind == "bullet"


def parse(blocks: list[Block], registry: Registry) -> AchievementsResult:
    """Every item of every Key Achievements list in `blocks`, in report order."""
    achievements: list[Achievement] = []
    warnings: list[ExtractionWarning] = []
    for position, block in enumerate(blocks):
        following = blocks[position + 1] if position + 1 < len(blocks) else None
        if not is_heading(block, following):
            continue
        items = _items(blocks, position)
        if not items:
            warnings.append(
                warning_at(
                    block.lines[0],
                    "empty-achievements",
                    f"no achievement follows the heading {block.text!r}",
                )
            )
        heading_departments = _heading_departments(block.text, registry)
        for item in items:
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
    return AchievementsResult(achievements, warnings)


def _items(blocks: list[Block], position: int) -> list[Block]:
    heading = blocks[position]
    following = blocks[position + 1 :]
    if not following:
        return []
    if following[0].kind == "bullet":
        items = []
        for block in following:
            if block.kind != "bullet":
                break
            items.append(block)
        return items
    if _ANNOUNCES_LIST.search(heading.text):
        return []  # a list was announced and none follows: the list is missing
    paragraphs = []
    for block in following:
        if block.kind != "paragraph" or block.is_heading or is_heading(block):
            break
        if _ABOUT_THE_LIST.search(block.text):
            break
        paragraphs.append(block)
        if not heading.is_heading:
            break  # without marked headings, where the section ends is unknown: one paragraph
    return paragraphs


def _heading_departments(text: str, registry: Registry) -> list[str]:
    match = _HEADING.match(text)
    who = (match.group("who") or "").strip() if match else ""
    if not who:
        return []
    found = registry.lookup(who)
    return [found.department] if found else departments_named(who, registry)
