"""XML parsing that refuses what no Excel file holds: DOCTYPEs and entity declarations.

Every part is parsed by expat (directly, or under ElementTree); a DOCTYPE (the only
place entities can be declared) is refused before parsing starts, so nothing is
expanded and no external entity is fetched.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO, Any
from xml.etree import ElementTree
from xml.parsers import expat

from .errors import XlsxError

CHUNK = 1 << 16

_PROLOG_RE = re.compile(rb"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*", re.S)
_ROOT_START_RE = re.compile(rb"<[A-Za-z_]")


def _doctype_refused(*_args: Any) -> None:
    raise XlsxError(
        "corrupt-workbook",
        "the workbook's XML declares a DOCTYPE or entities, which no Excel file does; "
        "refused (it may be crafted to exhaust memory)",
    )


def _entity_refused(*_args: Any) -> int:
    _doctype_refused()
    return 0


def safe_parser() -> Any:
    """An expat parser (no namespace processing) that refuses DTDs and entities outright."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    parser.StartDoctypeDeclHandler = _doctype_refused
    parser.EntityDeclHandler = _doctype_refused
    parser.ExternalEntityRefHandler = _entity_refused
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def not_well_formed(part: str, line: int, column: int) -> XlsxError:
    return XlsxError(
        "corrupt-workbook",
        f"the workbook is damaged: {part} is not well-formed XML "
        f"(line {line}, column {column}): open it in Excel and save it again",
    )


def cannot_inflate(part: str, exc: BaseException) -> XlsxError:
    return XlsxError("corrupt-workbook", f"the workbook is damaged: cannot inflate {part} ({exc})")


INFLATE_ERRORS = (zipfile.BadZipFile, EOFError, OSError, zlib.error)


def parse_stream(stream: IO[bytes], parser: Any, part: str) -> None:
    """Feed `stream` to `parser` a chunk at a time; damage becomes `corrupt-workbook`."""
    try:
        while True:
            chunk = stream.read(CHUNK)
            parser.Parse(chunk, not chunk)
            if not chunk:
                break
    except expat.ExpatError as exc:
        raise not_well_formed(part, exc.lineno, exc.offset) from None
    except INFLATE_ERRORS as exc:
        raise cannot_inflate(part, exc) from None


def parse_bytes(xml: bytes, parser: Any, part: str) -> None:
    """`parse_stream` for a part already read whole."""
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise not_well_formed(part, exc.lineno, exc.offset) from None


def refuse_doctype(head: bytes, part: str) -> None:
    """Refuse a part whose root element is not the first thing after its prolog.

    A DOCTYPE (the only place entities can be declared) can only come before the root
    element; requiring the root element right after the XML declaration, comments and
    processing instructions refuses it, however long the prolog. `head` is the part's
    first chunk.
    """
    if not head:
        return  # the parser reports an empty part
    text = head
    if text.startswith(b"\xef\xbb\xbf"):
        text = text[3:]
    elif text.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = text.decode("utf-16", errors="replace").encode("utf-8")
    prolog = _PROLOG_RE.match(text)
    rest = text[prolog.end() :] if prolog else text
    if not _ROOT_START_RE.match(rest):
        raise XlsxError(
            "corrupt-workbook",
            f"{part} declares a DOCTYPE or entities, or does not start with its content, "
            "which no Excel file does; refused (it may be crafted to exhaust memory)",
        )


def local_name(name: str) -> str:
    """``x:sheet`` or ``{namespace}sheet`` -> ``sheet``."""
    return name.rpartition("}")[2].rpartition(":")[2]


def ended_elements(stream: IO[bytes], part: str, *, prune: bool = False) -> Iterator[list[Any]]:
    """The part's elements in the order they end, a chunk of the stream at a time (so
    memory holds about a chunk), its DOCTYPE refused before any is parsed. ElementTree's
    ParseError and the inflating errors are the caller's to word.

    With `prune`, the root's children that have ended are let go once the caller has
    taken them (for a part that is a long list under its root, such as shared strings:
    a cleared element still costs its place in its parent)."""
    parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(
        events=("start", "end") if prune else ("end",)
    )
    root: Any = None
    first = True
    while True:
        chunk = stream.read(CHUNK)
        if first:
            refuse_doctype(chunk, part)
            first = False
        if chunk:
            parser.feed(chunk)
        else:
            parser.close()
        events: Iterator[tuple[str, Any]] = parser.read_events()  # type: ignore[assignment]
        if prune:
            ended = []
            for event, element in events:
                if event == "end":
                    ended.append(element)
                elif root is None:
                    root = element
            yield ended
            if root is not None:
                # An element still open stays in the root until it ends: keep the last.
                del root[:-1]
        else:
            yield [element for _event, element in events]
        if not chunk:
            return
