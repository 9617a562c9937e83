"""The workbook's parts other than sheets: relationships, workbook, shared strings, styles.

Each is parsed by expat; shared strings (larger, and different in every return) by
ElementTree's C tree builder over expat. Parts met again byte for byte (returns made
from one template share their styles, workbook and relationships) are parsed once per
process.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import struct
import zipfile
import zlib
from array import array
from collections.abc import Sequence
from typing import IO, Any, NamedTuple, overload
from xml.etree import ElementTree

from .cells import SheetInfo, unescape
from .errors import XlsxError
from .safexml import (
    CHUNK,
    INFLATE_ERRORS,
    cannot_inflate,
    ended_elements,
    local_name,
    not_well_formed,
    parse_bytes,
    parse_stream,
    refuse_doctype,
    safe_parser,
)

SMALL_PART_BYTES = 4 << 20  # parts up to this size are read whole and remembered
# A workbook file up to this size is read once and its parts inflated from memory (a
# return is tens of KB); a larger one has each part read through `zipfile`.
WHOLE_FILE_BYTES = 1 << 20


class Relationship(NamedTuple):
    type: str
    target: str  # resolved against the part's folder


class WorkbookPart(NamedTuple):
    part: str
    sheets: list[SheetInfo]
    date1904: bool
    shared_strings: str | None  # the part holding them, if any
    styles: str | None


class NumberKinds(NamedTuple):
    """What a cell's number format shows its number as."""

    is_percent: bool
    is_date: bool


class Package:
    """The zip archive of a workbook: its members by name, opened with damage reported."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = {info.filename.lower(): info.filename for info in archive.infolist()}
        self.exact = set(self.names.values())
        self._file: bytes | None = None  # the whole file, once read (b"": too large)

    def member(self, part: str) -> str | None:
        if part in self.exact:
            return part
        return self.names.get(part.lower())

    def open(self, part: str) -> IO[bytes]:
        name = self.member(part)
        if name is None:
            raise XlsxError("corrupt-workbook", f"the workbook is damaged: {part} is missing")
        try:
            return self.archive.open(name)
        except (
            zipfile.BadZipFile,
            NotImplementedError,
            RuntimeError,
            ValueError,
            EOFError,
            OSError,
        ) as exc:
            raise XlsxError(
                "corrupt-workbook", f"the workbook is damaged: cannot open {part} ({exc})"
            ) from None

    def small(self, part: str) -> bytes | None:
        """A part's bytes, if it is small enough to hold whole (else None: stream it)."""
        name = self.member(part)
        if name is None or self.archive.getinfo(name).file_size > SMALL_PART_BYTES:
            return None
        inflated = self.inflated(self.archive.getinfo(name))
        if inflated is not None:
            return inflated
        # A chunk at a time: zipfile inflates a read() of everything in one go, so a part
        # that lies about its size would fill memory before its CRC is checked; read a
        # chunk at a time, it stops at the declared size.
        chunks = []
        with self.open(name) as stream:
            try:
                while chunk := stream.read(CHUNK):
                    chunks.append(chunk)
            except INFLATE_ERRORS as exc:
                raise cannot_inflate(part, exc) from None
        return b"".join(chunks)

    def _whole_file(self) -> bytes:
        """The file's bytes, read once, if it is small (a return is tens of KB)."""
        if self._file is None:
            self._file = b""
            handle: Any = self.archive.fp
            try:
                size = os.fstat(handle.fileno()).st_size
                if size <= WHOLE_FILE_BYTES:
                    handle.seek(0)
                    data = handle.read(size + 1)
                    self._file = data if len(data) == size else b""
            except (OSError, ValueError, AttributeError):
                self._file = b""
        return self._file

    def inflated(self, info: zipfile.ZipInfo) -> bytes | None:
        """A member inflated from the file read whole, without `zipfile`'s objects: its
        declared size is the cap and its CRC is checked. None for anything unusual
        (encrypted, another method, a header that disagrees, a size or CRC that does
        not match): `zipfile` then reads it and words what is wrong."""
        data = self._whole_file()
        if not data or info.flag_bits & 0x1 or info.compress_type not in (0, 8):
            return None
        start = info.header_offset
        head = data[start : start + 30]
        if len(head) < 30 or head[:4] != b"PK\x03\x04":
            return None
        name_length, extra_length = struct.unpack("<HH", head[26:30])
        name = data[start + 30 : start + 30 + name_length]
        if name not in (
            info.orig_filename.encode("utf-8"),
            info.orig_filename.encode("cp437", "replace"),
        ):
            return None
        begin = start + 30 + name_length + extra_length
        stored = data[begin : begin + info.compress_size]
        if len(stored) != info.compress_size:
            return None
        if info.compress_type == 0:
            out = stored
        else:
            inflater = zlib.decompressobj(-15)
            try:
                out = inflater.decompress(stored, info.file_size + 1)
            except zlib.error:
                return None
            if not inflater.eof:
                return None
        if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
            return None
        return out

    def parse(self, part: str, parser: Any, xml: bytes | None) -> None:
        """Parse the part (already read whole as `xml`, or streamed)."""
        if xml is not None:
            parse_bytes(xml, parser, part)
            return
        with self.open(part) as stream:
            parse_stream(stream, parser, part)


# Parts already parsed, by their exact bytes: the returns of a month are made from a few
# templates, so most share their styles, workbook and relationships parts byte for byte.
# Only successful parses are kept; the same bytes always parse the same way. Each kind
# of part is kept apart, so that shared strings (different in most returns) do not push
# out the styles and workbook parts (the same in most).
PARSED: dict[str, dict[Any, Any]] = {"strings": {}, "styles": {}, "workbook": {}, "rels": {}}
PARSED_MAX = 256  # of each kind


def _remember(kind: str, key: Any, value: Any) -> None:
    known = PARSED[kind]
    if len(known) >= PARSED_MAX:
        known.clear()
    known[key] = value


def read_rels(package: Package, part: str) -> dict[str, Relationship]:
    """Relationships of `part` (internal ones): id -> (type, resolved target)."""
    folder, name = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", name + ".rels")
    if package.member(rels_part) is None:
        return {}
    xml = package.small(rels_part)
    key = (folder, xml)
    known = PARSED["rels"].get(key) if xml is not None else None
    if known is not None:
        return dict(known)
    found: dict[str, Relationship] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if local_name(tag) == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                resolved = posixpath.normpath(posixpath.join(folder, target))
            found[attrs.get("Id", "")] = Relationship(attrs.get("Type", ""), resolved)

    parser = safe_parser()
    parser.StartElementHandler = start
    package.parse(rels_part, parser, xml)
    if xml is not None:
        _remember("rels", key, dict(found))
    return found


def _not_a_workbook(package: Package) -> XlsxError:
    if package.member("word/document.xml"):
        what = "a Word document"
    elif package.member("ppt/presentation.xml"):
        what = "a PowerPoint presentation"
    elif package.member("content.xml"):
        mimetype = ""
        if package.member("mimetype") is not None:
            with package.open("mimetype") as stream:
                mimetype = stream.read(200).decode("ascii", "replace")
        what = (
            "an OpenDocument spreadsheet (.ods): save it as Excel Workbook (.xlsx)"
            if "spreadsheet" in mimetype
            else "an OpenDocument file"
        )
    else:
        what = "a zip archive"
    return XlsxError(
        "not-a-workbook",
        f"not an Excel workbook (.xlsx): it is {what}; fill in the .xlsx template",
    )


def read_workbook(package: Package) -> WorkbookPart:
    """The workbook part: its sheets (worksheets only), date system and other parts."""
    office = [
        r.target for r in read_rels(package, "").values() if r.type.endswith("/officeDocument")
    ]
    part = office[0] if office else "xl/workbook.xml"
    if part.lower().endswith(".bin"):
        raise XlsxError(
            "not-a-workbook",
            "this is a binary Excel workbook (.xlsb): save it as Excel Workbook (.xlsx)",
        )
    if package.member(part) is None:
        raise _not_a_workbook(package)
    rels = read_rels(package, part)
    xml = package.small(part)
    known = PARSED["workbook"].get(xml) if xml is not None else None
    if known is None:
        known = _parse_workbook(package, part, xml)
        if xml is not None:
            _remember("workbook", xml, known)
    listed, date1904 = known
    sheets = []
    for name, state, rid in listed:
        rel = rels.get(rid, Relationship("", ""))
        if rel.type.endswith("/worksheet"):
            sheets.append(SheetInfo(name, state, rel.target))
        # chartsheets and dialog sheets hold no cells: left out
    shared = next((r.target for r in rels.values() if r.type.endswith("/sharedStrings")), None)
    styles = next((r.target for r in rels.values() if r.type.endswith("/styles")), None)
    return WorkbookPart(part, sheets, date1904, shared, styles)


def _parse_workbook(
    package: Package, part: str, xml: bytes | None
) -> tuple[tuple[tuple[str, str, str], ...], bool]:
    sheets: list[tuple[str, str, str]] = []
    date1904 = [False]

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = local_name(tag)
        if local == "sheet":
            rid = next((v for k, v in attrs.items() if local_name(k) == "id"), "")
            sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), rid))
        elif local == "workbookPr":
            date1904[0] = attrs.get("date1904", "0") in ("1", "true")

    parser = safe_parser()
    parser.StartElementHandler = start
    package.parse(part, parser, xml)
    return tuple(sheets), date1904[0]


# --- shared strings -----------------------------------------------------------------------

_SKIPPED = ("rPh", "phoneticPr")  # phonetic guides: not the cell's text


def _collect_text(element: Any, out: list[str]) -> None:
    for child in element:
        local = child.tag.rpartition("}")[2]
        if local == "t":
            out.append("".join(child.itertext()))
        elif local not in _SKIPPED:
            _collect_text(child, out)


def item_text(item: Any) -> str:
    """The text of a shared string or inline string: its <t>, or its runs' <t>s."""
    if len(item) == 1:
        only = item[0]
        if not len(only) and only.tag.rpartition("}")[2] == "t":
            return str(only.text or "")
    out: list[str] = []
    _collect_text(item, out)
    return "".join(out)


class PackedStrings(Sequence[str]):
    """Shared strings held as one run of UTF-8 bytes and where each starts: a part of
    tens of MB (a pasted extract) costs about its text, not a Python string each (three
    to four times that). A string is decoded when a cell asks for it."""

    def __init__(self) -> None:
        self.text = bytearray()
        self.starts = array("Q", [0])

    def append(self, value: str) -> None:
        self.text += value.encode("utf-8", "surrogatepass")
        self.starts.append(len(self.text))

    def __len__(self) -> int:
        return len(self.starts) - 1

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        start, end = self.starts[index], self.starts[index + 1]
        return self.text[start:end].decode("utf-8", "surrogatepass")


def parse_strings(stream: IO[bytes], part: str, strings: Any) -> Any:
    """The part's items, streamed (root's finished children let go), appended to
    `strings` (a list, or `PackedStrings`) in the order they end; returns `strings`."""
    try:
        for elements in ended_elements(stream, part, prune=True):
            for element in elements:
                if element.tag.rpartition("}")[2] == "si":
                    strings.append(unescape(item_text(element)))
                    element.clear()
    except ElementTree.ParseError as exc:
        line, column = exc.position
        raise not_well_formed(part, line, column) from None
    except INFLATE_ERRORS as exc:
        raise cannot_inflate(part, exc) from None
    return strings


def strings_of(xml: bytes, part: str) -> tuple[str, ...] | None:
    """A part read whole, parsed whole: its items, or None if an item is not a child of
    the root (then `parse_strings` reads it, in the order the items end)."""
    refuse_doctype(xml[:CHUNK], part)
    parser = ElementTree.XMLParser()
    try:
        parser.feed(xml)
        root = parser.close()
    except ElementTree.ParseError as exc:
        line, column = exc.position
        raise not_well_formed(part, line, column) from None
    items = [el for el in root if el.tag.rpartition("}")[2] == "si"]
    if not items:
        return None
    tag = items[0].tag
    if any(el.tag != tag for el in items) or len(list(root.iter(tag))) != len(items):
        return None
    return tuple(unescape(item_text(el)) for el in items)


def read_shared_strings(package: Package, part: str | None) -> Sequence[str]:
    """The workbook's shared strings, in order (escapes ``_xHHHH_`` undone); a part
    too large to hold whole is read into `PackedStrings`."""
    if part is None or package.member(part) is None:
        return []
    xml = package.small(part)
    if xml is not None:
        known = PARSED["strings"].get(xml)
        if known is None:
            known = strings_of(xml, part)
            if known is None:
                known = tuple(parse_strings(io.BytesIO(xml), part, []))
            _remember("strings", xml, known)
        return list(known)
    with package.open(part) as stream:
        packed: PackedStrings = parse_strings(stream, part, PackedStrings())
        return packed


# --- styles and number formats ------------------------------------------------------------

BUILTIN_FORMATS = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}
_LITERALS_RE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def format_kinds(code: str) -> NumberKinds:
    """Whether a number format code shows a percentage, or a date or time.

    Quoted text, escaped characters and [colour] sections are left out first.
    """
    bare = _LITERALS_RE.sub("", code)
    lower = bare.lower()
    return NumberKinds("%" in bare, any(ch in lower for ch in "dmy") and "general" not in lower)


def read_number_formats(package: Package, part: str | None) -> list[str]:
    """The number format code of each cell format (the styles part's cellXfs), in order."""
    if part is None or package.member(part) is None:
        return []
    xml = package.small(part)
    known = PARSED["styles"].get(xml) if xml is not None else None
    if known is not None:
        return list(known)
    custom: dict[int, str] = {}
    ids: list[int] = []
    inside = [False]  # within <cellXfs>

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = local_name(tag)
        if local == "numFmt":
            number = attrs.get("numFmtId", "")
            if number.isascii() and number.isdigit():
                custom[int(number)] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            inside[0] = True
        elif local == "xf" and inside[0]:
            number = attrs.get("numFmtId", "0")
            ids.append(int(number) if number.isascii() and number.isdigit() else 0)

    def end(tag: str) -> None:
        if local_name(tag) == "cellXfs":
            inside[0] = False

    parser = safe_parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    package.parse(part, parser, xml)
    formats = [custom.get(i, BUILTIN_FORMATS.get(i, "General")) for i in ids]
    if xml is not None:
        _remember("styles", xml, tuple(formats))
    return formats
