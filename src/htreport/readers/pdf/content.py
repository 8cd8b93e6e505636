"""Page content streams read by one regular expression into the objects pdfminer's parser gives.

Most of a PDF's reading time is pdfminer's `PDFContentParser` walking the content streams
byte by byte in Python (0.62 s of the shipped report's 1.08 s). `ContentParser` reads a
page's streams with one regular expression instead and hands pdfminer's interpreter the same
(position, object) sequence that `PDFContentParser.nextobject` would: the same numbers,
strings, names (interned by pdfminer), keywords, arrays and dictionaries, with the same
quirks (an unknown escape drops its character, an odd hex digit is its own byte, an
unmatched `]` is ignored). Where pdfminer's result hangs on something not reproduced here,
the page goes to pdfminer's own parser, so the objects are the same either way:
inline images, strict mode, a token that runs from one stream into the next, a
backslash-CR-LF split between two of pdfminer's reads, and anything pdfminer would raise on
(an odd dictionary, an octal escape over 255). `tests/test_pdf_content.py` compares both on
every fixture PDF's streams and on thousands of generated and mangled ones.

The interpreter is pdfminer's own, run with this parser (`Interpreter`).
"""

from __future__ import annotations

import re
import types
from typing import Any

from pdfminer import settings
from pdfminer.pdfinterp import PDFContentParser, PDFPageInterpreter
from pdfminer.pdftypes import stream_value
from pdfminer.psparser import KWD, LIT, PSEOF, literal_name

_DELIMITED = rb"[^#/%\[\]()<>{}\s]"
#: One token after any blanks; the group that matched tells which kind (`match.lastindex`).
_TOKEN = re.compile(
    rb"[\s\x00]*+(?:"
    rb"([-+0-9][0-9]*+(?:\.[0-9]*+)?|\.[0-9]*+)"  # 1 number
    rb"|(\((?:[^()\\])*+\))"  # 2 string without escapes or nested parentheses
    rb"|([A-Za-z]" + _DELIMITED + rb"*+)"  # 3 keyword
    rb"|(/" + _DELIMITED + rb"*+)(?!#)"  # 4 name
    rb"|(\[)"  # 5
    rb"|(\])"  # 6
    rb"|(<<)"  # 7
    rb"|(>>)"  # 8
    rb"|(<[0-9a-fA-F\s]*+)"  # 9 hex string, ended by the first other character
    rb"|(/(?:" + _DELIMITED + rb"|\#[0-9a-fA-F]{0,2})*+)"  # 10 name with # escapes
    rb"|(\()"  # 11 string with escapes or nested parentheses
    rb"|(%[^\r\n]*+)"  # 12 comment
    rb"|(>)"  # 13 a lone '>' (pdfminer reads it and gives nothing)
    rb"|(\{)"  # 14
    rb"|(\})"  # 15
    rb"|([\s\S])"  # 16 any other byte: a one-character keyword
    rb")"
)
_NUMBER = rb"[-+]?(?:[0-9]++(?:\.[0-9]*+)?|\.[0-9]++)"  # one that converts
_HEX = rb"<[0-9a-fA-F]*+>"
_PLAIN_STRING = rb"\((?:[^()\\])*+\)"
#: An array of numbers, hex strings without blanks and strings without escapes or nested
#: parentheses (a TJ operand, nearly always), read at once. Anything else in an array (a
#: '>>' after a hex string, a lone sign) goes token by token.
_SIMPLE_ARRAY = re.compile(
    rb"\[((?:[\s\x00]*+(?:" + _NUMBER + rb"|" + _HEX + rb"|" + _PLAIN_STRING + rb"))*+)"
    rb"[\s\x00]*+\]"
)
_ELEMENT = re.compile(rb"(" + _NUMBER + rb")|(<[0-9a-fA-F]*+)>|(\((?:[^()\\])*+)\)")
_NAME_ESCAPE = re.compile(rb"#([0-9a-fA-F]{0,2})")
_PENDING_ESCAPE = re.compile(rb"#[0-9a-fA-F]{0,2}\Z")
_HEX_BLANKS = re.compile(rb"\s")
_STRING_STOP = re.compile(rb"[()\\]")
_ESCAPES = {
    ord("b"): b"\x08",
    ord("t"): b"\t",
    ord("n"): b"\n",
    ord("f"): b"\x0c",
    ord("r"): b"\r",
    ord("("): b"(",
    ord(")"): b")",
    ord("\\"): b"\\",
}
_OCTAL = frozenset(b"01234567")
_INLINE_IMAGE = (KWD(b"BI"), KWD(b"ID"))
_OPENS = {5: "a", 7: "d", 14: "p"}
_CLOSES = {6: "a", 15: "p"}


class _Unsure(Exception):
    """pdfminer's own parser must read this page: its objects depend on what is not copied here."""


def page_objects(streams: list[bytes]) -> list[tuple[int, Any]]:
    """The (position, object) pairs pdfminer's `PDFContentParser.nextobject` gives for the
    decoded content streams `streams` of one page, in order; `_Unsure` where it cannot tell.

    Objects are put on `current`, the list of the innermost open array, dictionary or
    procedure, or at the top level the results themselves (pdfminer hands those on at once).
    """
    results: list[tuple[int, Any]] = []
    context: list[tuple[int, str, list]] = []
    current = results
    kind = ""  # of the innermost open container: "a", "d", "p" or "" at the top
    keywords: dict[bytes, Any] = {}
    match = _TOKEN.match
    last = len(streams) - 1
    for number, data in enumerate(streams):
        position = 0
        end = len(data)
        while True:
            found = match(data, position)
            if found is None:  # only blanks are left: the last alternative takes any byte
                break
            group: int = found.lastindex  # type: ignore[assignment]  # every alternative is a group
            start = found.start(group)
            position = found.end()
            if group == 1:
                text = found.group(1)
                try:
                    current.append((start, float(text) if b"." in text else int(text)))
                except ValueError:
                    pass  # pdfminer drops what does not convert: a lone sign or point
            elif group == 9:
                if position == end:
                    raise _Unsure  # not ended in this stream
                current.append((start, _hex(data[start + 1 : position])))
            elif group == 3 or group == 16:
                token = found.group(group)
                keyword = keywords.get(token)
                if keyword is None:
                    if token == b"true" or token == b"false":
                        current.append((start, token == b"true"))
                        continue
                    keyword = keywords[token] = KWD(token)
                    if keyword in _INLINE_IMAGE:
                        raise _Unsure
                current.append((start, keyword))
            elif group == 2:
                current.append((start, data[start + 1 : position - 1]))
            elif group == 5 and (simple := _SIMPLE_ARRAY.match(data, start)) is not None:
                position = simple.end()
                current.append((start, _simple_array(simple.group(1))))
            elif group == 5 or group == 7 or group == 14:  # [ << {
                context.append((start, kind, current))
                kind, current = _OPENS[group], []
            elif group == 6 or group == 15:  # ] }
                if kind == _CLOSES[group]:
                    objects = [obj for _, obj in current]
                    opened, kind, current = context.pop()
                    current.append((opened, objects))
            elif group == 8:  # >>
                if kind == "d":
                    if len(current) % 2:
                        raise _Unsure  # pdfminer raises PSSyntaxError
                    items = [obj for _, obj in current]
                    opened, kind, current = context.pop()
                    pairs = zip(items[::2], items[1::2], strict=True)
                    mapping = {literal_name(k): v for k, v in pairs if v is not None}
                    current.append((opened, mapping))
            elif group == 4:
                if position == end and position - start == 1 and number != last:
                    raise _Unsure  # a bare '/' ending a stream runs on into the next
                current.append((start, LIT(_name(data[start + 1 : position]))))
            elif group == 10:
                body = data[start + 1 : position]
                if position == end and _PENDING_ESCAPE.search(body):
                    raise _Unsure  # a '#' escape still open at a stream's end reads on
                body = _NAME_ESCAPE.sub(_name_byte, body)
                current.append((start, LIT(_name(body))))
            elif group == 11:
                value, position = _string(data, position)
                current.append((start, value))
            elif group == 13 and position == end and number != last:
                raise _Unsure  # pdfminer pairs a lone '>' with one opening the next stream
    return results


def _simple_array(body: bytes) -> list[Any]:
    """The objects of a `_SIMPLE_ARRAY`'s inside."""
    objects: list[Any] = []
    for number, hex_string, string in _ELEMENT.findall(body):
        if number:
            objects.append(float(number) if b"." in number else int(number))
        elif hex_string:
            objects.append(_hex(hex_string[1:]))
        else:
            objects.append(string[1:])
    return objects


def _name(body: bytes) -> str | bytes:
    try:
        return str(body, "utf-8")
    except UnicodeDecodeError:
        return body


def _name_byte(match: re.Match[bytes]) -> bytes:
    digits = match.group(1)
    return bytes((int(digits, 16),)) if digits else b""


def _hex(body: bytes) -> bytes:
    """A hex string's bytes; an odd last digit is a byte of its own, as pdfminer reads it."""
    try:
        return bytes.fromhex(body.decode())  # it skips blanks between pairs only
    except ValueError:
        pass
    digits = _HEX_BLANKS.sub(b"", body)
    if len(digits) % 2:
        return bytes.fromhex(digits[:-1].decode()) + bytes((int(digits[-1:], 16),))
    return bytes.fromhex(digits.decode())


def _string(data: bytes, position: int) -> tuple[bytes, int]:
    """A literal string whose '(' ends before `position`, read as pdfminer reads it:
    (its bytes, where it ends)."""
    parts: list[bytes] = []
    depth = 1
    search = _STRING_STOP.search
    end = len(data)
    while True:
        stop = search(data, position)
        if stop is None:
            raise _Unsure  # not ended in this stream
        at = stop.start()
        parts.append(data[position:at])
        char = data[at]
        position = at + 1
        if char == 0x28:  # (
            depth += 1
            parts.append(b"(")
        elif char == 0x29:  # )
            depth -= 1
            if not depth:
                return b"".join(parts), position
            parts.append(b")")
        else:  # a backslash
            if position >= end:
                raise _Unsure
            after = data[position]
            if after in _OCTAL:
                digits = position
                while position < end and position - digits < 3 and data[position] in _OCTAL:
                    position += 1
                code = int(data[digits:position], 8)
                if code > 255 or position >= end:
                    raise _Unsure  # pdfminer fails an assertion; or the string runs on
                parts.append(bytes((code,)))
            elif after in _ESCAPES:
                parts.append(_ESCAPES[after])
                position += 1
            elif after == 0x0D and data[position + 1 : position + 2] == b"\n":
                if (position + 1) % PDFContentParser.BUFSIZ == 0:
                    raise _Unsure  # pdfminer sees the CR and the LF in two reads
                position += 2
            else:
                position += 1  # pdfminer drops the escaped character


class ContentParser(PDFContentParser):
    """pdfminer's content parser, with a page's objects read by `page_objects` up front."""

    def __init__(self, streams: Any) -> None:
        super().__init__(streams)  # raises PSEOF for a page without content, as pdfminer does
        self._objects: list[tuple[int, Any]] | None = None
        if settings.STRICT:
            return
        try:
            decoded = [stream_value(stream).get_data() for stream in streams]
            self._objects = page_objects(decoded)
        except Exception:  # _Unsure, or a stream pdfminer will fail on when it gets there
            self._objects = None
        self._next = 0

    def nextobject(self) -> Any:
        objects = self._objects
        if objects is None:
            return super().nextobject()
        index = self._next
        if index >= len(objects):
            raise PSEOF("Unexpected EOF")
        self._next = index + 1
        return objects[index]


def _execute_with(parser: type) -> Any:
    """pdfminer's `PDFPageInterpreter.execute` with `parser` for `PDFContentParser`: its own
    code and checks (circular forms, unknown operators), whatever pdfminer's version. If a
    version stops naming `PDFContentParser` there, its execute is used as it is."""
    execute = PDFPageInterpreter.execute
    code = execute.__code__
    if "PDFContentParser" not in code.co_names or code.co_freevars:
        return execute
    namespace = dict(execute.__globals__)
    namespace["PDFContentParser"] = parser
    return types.FunctionType(code, namespace, execute.__name__, execute.__defaults__)


class Interpreter(PDFPageInterpreter):
    """pdfminer's page interpreter reading content streams with `ContentParser`."""

    execute = _execute_with(ContentParser)
