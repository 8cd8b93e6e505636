"""The HTML reader: a web page (Government of Canada template or plain) -> a `Document`.

The page is parsed with lxml, which tolerates broken markup and gives each element its source
line (`sourceline`), the provenance of every line and cell. What the reader gives:

- the content of `<main>` (else `<body>`), without site furniture: `<header>`, `<nav>`,
  `<footer>` and `<aside>` outside the content, skip links, breadcrumbs, the language toggle,
  search, "Report a problem", "Date modified", scripts and visually hidden helper text;
- headings (`<h1>`-`<h6>`) as lines of kind "heading", paragraphs as lines, list items as
  `- item` lines of kind "item" (what the text path gives);
- footnote references (`<sup>` around a number, as the web template writes them) as superscript
  marks (`³`), and the footnote list (`<aside class="wb-fnote">`, a `<dl>` of `<dd id="fn3">`)
  as footnote lines `³ text`, placed after the block that first refers to them (as a printed
  page puts them at its foot), without the "Return to footnote 3 referrer" links;
- `<abbr>` as its text (the acronym), never its title;
- tables as rows of `Cell`s (see `htreport.readers.html_tables`).

The `<h1>` (else the `<title>`, without a " - Public Safety Canada" suffix) is the title hint.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from htreport.document import Document, Line
from htreport.errors import SourceError
from htreport.model.plain import ExtractionWarning
from htreport.readers.html_tables import TableReader
from htreport.readers.notes import Note, mark, place_footnotes
from htreport.readers.text import decode

HtmlElement = Any  # lxml's element type; lxml ships no type information

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
#: Elements that hold blocks (their text runs are lines of their own).
_BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details div dl dt fieldset "
    "figcaption figure form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary "
    "table tbody td tfoot th thead tr ul".split()
)
#: Never text: code, media, forms.
_SKIPPED_TAGS = frozenset(
    "script style noscript template head title meta link svg math iframe object embed video "
    "audio canvas img picture source map button input select textarea label".split()
)
#: Ids of the Government of Canada web template's furniture (WET / Canada.ca).
_FURNITURE_IDS = frozenset(
    "wb-tphp wb-bnr wb-srch wb-lng wb-sm wb-bc wb-sec wb-info wb-dtmd wb-glb-mn wb-share "
    "gc-pft archived-bnr skip-links skiplinks breadcrumb breadcrumbs".split()
)
#: Classes of furniture: hidden helper text, breadcrumbs, page details, share and report links.
_FURNITURE_CLASSES = frozenset(
    "wb-inv wb-sl breadcrumb breadcrumbs pagedetails gc-pft gc-main-footer gc-sub-footer "
    "gc-contextual gc-subway wb-share sr-only visually-hidden skip-link skiplink "
    "skip-to-content".split()
)
_FURNITURE_PREFIXES = ("gc-",)
_FURNITURE_TEXT = re.compile(r"^(?:skip to\b.*|date modified:?.*|report a problem.*)$", re.I)
#: " - Public Safety Canada": the last separator and what follows it (no separator after it).
_TITLE_SUFFIX = re.compile(r"(?<!\s)\s++[-–—|]\s++(?P<tail>[^-–—|]*+)$")
_SITE_NAME = re.compile(r"canada|gc\.ca|government", re.I)
_SPACE = re.compile(r"\s+")
#: libxml2 stops building the tree this deep (which also keeps the tree walk's recursion safe).
_MAX_DEPTH = 256
_FOOTNOTE_ID = re.compile(r"^(?:fn|footnote|note)[-_:]?(\d{1,3})$", re.I)
_FOOTNOTE_LABEL = re.compile(r"^\s*+(?:(?:footnote|note)\s*+)?(\d{1,3})\s*+$", re.I)


def read_html(data: bytes, *, name: str, encoding: str | None = None) -> Document:
    """Read an HTML page into lines and table rows with HTML source lines as provenance."""
    text, used = decode(data, name, encoding or _declared_charset(data))
    parser = etree.HTMLParser(recover=True, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(text, parser)
    except (etree.ParserError, ValueError) as error:
        raise SourceError(f"cannot be read as HTML: {error}", path=name) from None
    if root is None:
        raise SourceError("has no HTML content", path=name)
    page = _Page()
    content = _content_root(root)
    page.walk(content)
    for notes in root.iter("aside", "section", "div", "dl", "ol"):
        if _is_footnote_list(notes) and not _within(notes, content):
            page.footnote_list(notes)  # a footnote list after <main>
    page.place_footnotes()
    too_deep = next((e for e in parser.error_log if "Excessive depth" in e.message), None)
    if not any(line.text.strip() for line in page.lines):
        if too_deep is not None:
            raise SourceError(
                f"elements nested more than {_MAX_DEPTH} deep; the page cannot be read",
                path=name,
                line=too_deep.line,
            )
        raise SourceError("holds no text outside the page's header, menus and footer", path=name)
    warnings = list(page.tables.warnings)
    if too_deep is not None:
        warnings.append(
            ExtractionWarning(
                code="html-too-deep",
                message=f"elements nested more than {_MAX_DEPTH} deep: the page was read up "
                "to there, the rest is lost",
                line=too_deep.line,
            )
        )
    if page.tables.count == 0:
        warnings.append(
            ExtractionWarning(
                code="no-table",
                message="the page has no <table>, so it has no action items chart to read",
                line=content.sourceline,
            )
        )
    last_line = text.count("\n") + 1
    if not _ends_page(text):
        warnings.append(
            ExtractionWarning(
                code="truncated-html",
                message="the page ends without </html>: it may be cut short; "
                "everything up to its end was read",
                line=last_line,
            )
        )
    return Document(
        path=name,
        format="html",
        sha256=hashlib.sha256(data).hexdigest(),
        lines=page.lines,
        encoding=used,
        title_hint=_title(root, content),
        warnings=warnings,
    )


def read_html_fragment(
    fragment: str, *, first_line: int, first_table: int
) -> tuple[list[Line], int, list[ExtractionWarning]]:
    """The lines of a piece of HTML inside another document (a raw HTML table in Markdown).

    Lines are numbered from `first_line` (the fragment's line in that document) and tables from
    `first_table`; returns the lines, how many tables it held, and warnings."""
    parser = etree.HTMLParser(recover=True, remove_comments=True, remove_pis=True)
    # leading newlines make lxml's sourceline the line in the enclosing document
    root = etree.fromstring("\n" * (first_line - 1) + fragment, parser)
    page = _Page()
    page.tables.count = first_table
    if root is not None:
        page.walk(_content_root(root))
    return page.lines, page.tables.count - first_table, list(page.tables.warnings)


def _declared_charset(data: bytes) -> str | None:
    """The charset a page declares (`<meta charset>` or its http-equiv form) when it is not
    UTF-8 and the bytes are not valid UTF-8; None otherwise (UTF-8 is then required)."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    # every byte is a latin-1 character, and <meta> is ASCII: enough to read the declaration
    head = etree.fromstring(data[:16384].decode("latin-1"), etree.HTMLParser(recover=True))
    if head is None:
        return None
    for meta in head.iter("meta"):
        charset = meta.get("charset")
        if not charset and (meta.get("http-equiv") or "").lower() == "content-type":
            content = meta.get("content") or ""
            charset = content.lower().partition("charset=")[2].strip(" ;\"'")
        if charset:
            try:
                return codecs.lookup(charset.strip()).name
            except LookupError:
                return None
    return None


def _ends_page(text: str) -> bool:
    return text.rstrip()[-7:].lower() == "</html>"


def _content_root(root: HtmlElement) -> HtmlElement:
    for path in ("//main", "//*[@role='main']"):
        found = root.xpath(path)
        if found:
            return found[0]
    body = root.find("body")
    return body if body is not None else root


def _title(root: HtmlElement, content: HtmlElement) -> str | None:
    for element in content.iter("h1"):
        if not any(_is_furniture(e) for e in (element, *element.iterancestors())):
            text = _squash(_plain_text(element))
            if text:
                return text
    title = root.find(".//title")
    if title is not None and title.text:
        text = _squash(title.text)
        suffix = _TITLE_SUFFIX.search(text)
        if suffix and _SITE_NAME.search(suffix.group("tail")) and suffix.start():
            return text[: suffix.start()]
        return text
    return None


def _classes(element: HtmlElement) -> list[str]:
    return (element.get("class") or "").split()


def _is_furniture(element: HtmlElement) -> bool:
    """Site furniture: never report content."""
    tag = element.tag
    if not isinstance(tag, str) or tag in _SKIPPED_TAGS:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    identifier = (element.get("id") or "").lower()
    if identifier in _FURNITURE_IDS or identifier.startswith(_FURNITURE_PREFIXES):
        return True
    for name in _classes(element):
        lowered = name.lower()
        if lowered in _FURNITURE_CLASSES or lowered.startswith(_FURNITURE_PREFIXES):
            return True
    if tag == "nav" or element.get("role") in ("navigation", "banner", "contentinfo", "search"):
        return True
    if tag in ("header", "footer") and not _inside(element, ("main", "article")):
        return True
    if tag == "aside" and not _is_footnote_list(element):
        return True
    return _is_return_link(element)


def _inside(element: HtmlElement, tags: tuple[str, ...]) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def _within(element: HtmlElement, container: HtmlElement) -> bool:
    while element is not None:
        if element is container:
            return True
        element = element.getparent()
    return False


def _is_footnote_list(element: HtmlElement) -> bool:
    classes = [name.lower() for name in _classes(element)]
    role = element.get("role") or ""
    return (
        "wb-fnote" in classes
        or "footnotes" in classes
        or role == "doc-endnotes"
        or (element.get("id") or "").lower() in ("fn", "footnotes")
    )


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _plain_text(element: HtmlElement) -> str:
    return "".join(_inline_pieces(element, breaks=" "))


def _inline_pieces(element: HtmlElement, *, breaks: str) -> Iterator[str]:
    """The text of `element` and its descendants, as a reader sees it (no furniture)."""
    if element.text:
        yield element.text
    for child in element:
        if not _is_furniture(child):
            if child.tag == "br":
                yield breaks
            elif child.tag == "sup":
                yield _sup_text(child)
            elif child.tag in ("ul", "ol") and breaks == "\n":
                for item in child:
                    if item.tag == "li" and not _is_furniture(item):
                        text = _squash("".join(_inline_pieces(item, breaks=" ")))
                        yield f"\n• {text}"
                yield "\n"
            elif child.tag in _BLOCKS and breaks == "\n":
                yield "\n"
                yield from _inline_pieces(child, breaks=breaks)
                yield "\n"
            else:
                yield from _inline_pieces(child, breaks=breaks)
        if child.tail:
            yield child.tail


def _cell_text(element: HtmlElement) -> str:
    return "".join(_inline_pieces(element, breaks="\n"))


def _sup_text(sup: HtmlElement) -> str:
    """A footnote reference (a number, maybe in a link) as superscript digits; else its text."""
    text = _squash("".join(_inline_pieces(sup, breaks=" ")))
    if text.isdigit() and len(text) <= 3:
        return mark(int(text))
    return text


@dataclass
class _Page:
    """The lines of one page as they are read, its footnotes and its tables."""

    lines: list[Line] = field(default_factory=list)
    footnotes: dict[int, Note] = field(default_factory=dict)
    tables: TableReader = field(default_factory=lambda: TableReader(_cell_text))

    def emit(
        self, text: str, lineno: int, kind: str | None = None, level: int | None = None
    ) -> None:
        text = _squash(text)
        if text and not (len(text.split()) <= 8 and _FURNITURE_TEXT.match(text)):
            self.lines.append(Line(text=text, lineno=lineno, kind=kind, level=level))

    def walk(self, element: HtmlElement) -> None:
        """Emit the lines of a block element's content, in reading order."""
        run: list[str] = []
        run_line = element.sourceline or 1

        def flush() -> None:
            if run:
                self.emit("".join(run), run_line)
                run.clear()

        if element.text and element.text.strip():
            run.append(element.text)
        for child in element:
            if _is_furniture(child):
                if child.tail and child.tail.strip():
                    if not run:
                        run_line = child.sourceline or run_line
                    run.append(child.tail)
                continue
            tag = child.tag
            if tag in _BLOCKS or _is_footnote_list(child):
                flush()
                self.block(child)
                run_line = child.sourceline or run_line
            else:
                if not run:
                    run_line = child.sourceline or run_line
                if tag == "br":
                    run.append(" ")
                elif tag == "sup":
                    run.append(_sup_text(child))
                else:
                    run.extend(_inline_pieces(child, breaks=" "))
            if child.tail and (child.tail.strip() or run):
                if not run:
                    run_line = child.sourceline or run_line
                run.append(child.tail)
        flush()

    def block(self, element: HtmlElement) -> None:
        tag = element.tag
        lineno = element.sourceline or 1
        if _is_footnote_list(element):
            self.footnote_list(element)
        elif tag in _HEADINGS:
            self.emit(_plain_text(element), lineno, kind="heading", level=_HEADINGS[tag])
        elif tag in ("ul", "ol"):
            self.list_items(element)
        elif tag == "table" and _is_layout_table(element):
            for cell in element.iter("td", "th"):  # a table that only places other blocks
                if _nearest_table(cell) is element:
                    self.walk(cell)
        elif tag == "table":
            self.lines.extend(self.tables.read(element, self.emit_prose_row))
        elif tag == "pre":
            for offset, text in enumerate((element.text_content() or "").splitlines()):
                self.emit(text, lineno + offset)
        elif tag == "hr":
            return
        else:
            self.walk(element)

    def emit_prose_row(self, text: str, lineno: int) -> Line | None:
        text = _squash(text)
        return Line(text=text, lineno=lineno) if text else None

    def list_items(self, element: HtmlElement) -> None:
        for item in element:
            if item.tag != "li" or _is_furniture(item):
                if item.tag in ("ul", "ol"):  # a list nested without its <li>
                    self.list_items(item)
                continue
            before = len(self.lines)
            self.walk(item)
            if len(self.lines) > before:  # the item's first line is the bullet
                first = self.lines[before]
                self.lines[before] = Line(text=f"- {first.text}", lineno=first.lineno, kind="item")

    def footnote_list(self, element: HtmlElement) -> None:
        """The template's footnotes: `<dd id="fn3">` (or `<li id="fn3">`) entries."""
        for entry in element.iter("dd", "li"):
            number = _footnote_number(entry)
            if number is None:
                continue
            text = _squash("".join(_inline_pieces(entry, breaks=" ")))
            if text:
                self.footnotes[number] = Note(number, text, entry.sourceline or 1)

    def place_footnotes(self) -> None:
        self.lines = place_footnotes(self.lines, self.footnotes)


def _is_layout_table(table: HtmlElement) -> bool:
    """A table used for layout: marked so, or with a table inside one of its own cells."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    return any(
        _nearest_table(inner.getparent()) is table
        for inner in table.iter("table")
        if inner is not table
    )


def _nearest_table(element: HtmlElement) -> HtmlElement | None:
    while element is not None and element.tag != "table":
        element = element.getparent()
    return element


def _footnote_number(entry: HtmlElement) -> int | None:
    match = _FOOTNOTE_ID.match(entry.get("id") or "")
    if match:
        return int(match.group(1))
    label = entry.getprevious()
    if entry.tag == "dd" and label is not None and label.tag == "dt":
        found = _FOOTNOTE_LABEL.match(label.text_content() or "")
        if found:
            return int(found.group(1))
    return None


def _is_return_link(element: HtmlElement) -> bool:
    """The web template's "Return to footnote 3 referrer" link (or the paragraph holding it),
    or pandoc's "↩" back link."""
    classes = (element.get("class") or "").split()
    if "fn-rtn" in classes or "footnote-back" in classes or element.get("role") == "doc-backlink":
        return True
    href = element.get("href") or ""
    return element.tag == "a" and (href.endswith("-rf") or href.startswith("#fnref"))
