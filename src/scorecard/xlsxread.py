"""A small streaming reader for .xlsx workbooks that refuses what it cannot trust.

Returns arrive by email from many hands, so the reader checks a file before inflating
anything and never lets one bad file stop the run: every refusal is an `XlsxError` with
a stable code, which `returns.py` turns into a Problem.

- Before inflating: a file that is not a zip archive is refused (`not-a-workbook`); an
  OLE compound file (signature D0CF11E0) is an encrypted .xlsx (`encrypted`) or a
  legacy .xls (`legacy-xls`); each member's declared size and compression ratio are
  checked (`too-large`), and inflation is bounded by the declared size.
- XML is parsed with expat (sheets through ElementTree's pull parser, which builds each
  cell in C and is the faster of the two here); a DOCTYPE or entity declaration is
  refused before parsing, so nothing is expanded and no external entity is fetched.
- A sheet's <dimension> is checked before its rows are read, and reading stops at the
  first cell beyond the row, column or cell-count limit (`too-large`), so memory stays
  bounded whatever the sheet claims.
- Only regular files are opened: a folder, a pipe (which would block), a device or a
  link that loops is refused (`unreadable-file`), as is a file that cannot be opened.
- Values are honest: an error cell is an `ErrorValue` ("#DIV/0!"), never a blank; whole
  numbers are ints; a formula without a cached result is flagged (`Cell.no_cached_value`);
  every cell keeps its reference ("G12").

Fast paths, for speed at scale: a small sheet whose every cell is a plain stored value
(`_read_plain`), and small shared-strings and styles parts (`_plain`), are checked whole
by expat and then read with regular expressions; anything a pattern cannot read exactly
as the parser would (a formula, rich text, a prefix, a comment, an odd attribute, a
limit) is left to the parsers, which remain the reference
(`tests/unit/test_xlsxread_plain.py` holds the two to the same result). Parts met again
byte for byte (returns made from one template share their styles, workbook and
relationships) are parsed once per process.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from types import TracebackType
from typing import IO, Any
from xml.etree import ElementTree
from xml.parsers import expat

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """What the reader accepts; anything beyond is refused as `too-large`."""

    max_file_bytes: int = 100_000_000
    max_member_bytes: int = 100_000_000  # declared uncompressed size of one member
    max_total_bytes: int = 300_000_000  # declared uncompressed size of all members
    max_ratio: float = 200.0  # uncompressed / compressed, for members over ratio_floor
    ratio_floor: int = 1_000_000
    max_members: int = 10_000
    max_rows: int = 100_000
    max_cols: int = 1_000
    max_cells: int = 1_000_000  # stored cells in one sheet (a return has a few thousand)


DEFAULT_LIMITS = Limits()


class XlsxError(Exception):
    """A workbook or sheet the reader refuses; `code` is a stable problem code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ErrorValue:
    """An Excel error value held in a cell: #DIV/0!, #REF!, #N/A, #VALUE!..."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(slots=True)
class Cell:
    """One stored cell: its reference, value and, if it holds one, its formula.

    `value` is an int or float (numbers), str (text, formula text results, dates as
    ISO text), bool, `ErrorValue`, or None (a formula with no cached result).
    """

    ref: str
    row: int
    col: int
    value: Any
    formula: str | None = None
    style: int = 0  # index into the workbook's cell formats: see XlsxBook.number_format

    @property
    def no_cached_value(self) -> bool:
        return self.formula is not None and self.value is None


@dataclass(frozen=True)
class SheetInfo:
    name: str
    state: str  # visible, hidden or veryHidden
    part: str  # the member holding the sheet's XML


@dataclass
class SheetData:
    """A sheet read into memory: cells by (row, col), and why reading stopped, if it did."""

    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    dimension: str | None = None
    stopped: XlsxError | None = None
    merged: list[str] = field(default_factory=list)  # merged ranges, "G5:H5"

    _rows: dict[int, dict[int, Cell]] | None = field(default=None, repr=False, compare=False)
    _rows_of: int = field(default=-1, repr=False, compare=False)

    def rows(self) -> dict[int, dict[int, Cell]]:
        """Cells by row and column, both in order (made once; do not change it)."""
        if self._rows is not None and self._rows_of == len(self.cells):
            return self._rows
        items = self.cells.items()
        if any(a >= b for a, b in pairwise(self.cells)):
            items = sorted(items)  # cells out of the order Excel writes them
        out: dict[int, dict[int, Cell]] = {}
        for (r, c), cell in items:
            row = out.get(r)
            if row is None:
                row = out[r] = {}
            row[c] = cell
        self._rows, self._rows_of = out, len(self.cells)
        return out

    def get(self, row: int, col: int) -> Cell | None:
        return self.cells.get((row, col))


# --- references -----------------------------------------------------------------------

_COL_CACHE: dict[str, int] = {}


def col_index(letters: str) -> int:
    """``A`` -> 1, ``XFD`` -> 16384."""
    index = _COL_CACHE.get(letters)
    if index is None:
        index = 0
        for ch in letters.upper():
            if not "A" <= ch <= "Z":
                raise ValueError(f"'{letters}' is not a column")
            index = index * 26 + ord(ch) - 64
        _COL_CACHE[letters] = index
    return index


def col_letters(index: int) -> str:
    """1 -> ``A``, 16384 -> ``XFD``."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    return f"{col_letters(col)}{row}"


_REF_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})\Z")


_DIGITS = "0123456789"


def split_ref(ref: str) -> tuple[int, int]:
    """``G12`` -> (12, 7): row, column."""
    letters = ref.rstrip(_DIGITS)
    digits = ref[len(letters) :]
    col = _COL_CACHE.get(letters)
    if col is None or not digits:
        match = _REF_RE.match(ref)
        if not match:
            raise ValueError(f"'{ref}' is not a cell reference")
        return int(match.group(2)), col_index(match.group(1))
    return int(digits), col


# --- text -------------------------------------------------------------------------------

_ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """OOXML escapes control characters in strings as ``_xHHHH_``."""
    if "_x" not in text:
        return text
    return _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _number(text: str) -> int | float:
    if text.isdigit():
        return int(text)
    value = float(text)
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


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


def _strip_format_literals(code: str) -> str:
    """A format code without quoted text, escaped characters and [colour] sections."""
    return _LITERALS_RE.sub("", code)


def _local(name: str) -> str:
    return name.rpartition(":")[2]


# --- XML parsing ------------------------------------------------------------------------


def _parser(namespaces: bool = False) -> Any:
    """An expat parser that refuses DTDs and entity declarations outright.

    With `namespaces`, prefixes must be declared, as ElementTree (the sheet reader's
    parser) requires."""
    parser = expat.ParserCreate(namespace_separator="}") if namespaces else expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = _CHUNK

    def refuse(*_args: Any) -> None:
        raise XlsxError(
            "corrupt-workbook",
            "the workbook's XML declares a DOCTYPE or entities, which no Excel file does; "
            "refused (it may be crafted to exhaust memory)",
        )

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _parse_stream(stream: IO[bytes], parser: Any, part: str) -> None:
    try:
        while True:
            chunk = stream.read(_CHUNK)
            parser.Parse(chunk, not chunk)
            if not chunk:
                break
    except expat.ExpatError as exc:
        raise XlsxError(
            "corrupt-workbook",
            f"the workbook is damaged: {part} is not well-formed XML "
            f"(line {exc.lineno}, column {exc.offset}): open it in Excel and save it again",
        ) from None
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        raise XlsxError(
            "corrupt-workbook", f"the workbook is damaged: cannot inflate {part} ({exc})"
        ) from None


# --- the workbook -----------------------------------------------------------------------


def sniff(head: bytes) -> str:
    """What the first bytes of a file suggest it is, in words for a message."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] == b"<":
        lowered = stripped[:200].lower()
        if b"<html" in lowered or b"<!doctype html" in lowered:
            return "an HTML page (perhaps saved from a browser as .xls)"
        return "an XML file (perhaps an Excel 2003 XML spreadsheet)"
    if head[:4] == b"%PDF":
        return "a PDF document"
    if not head:
        return "an empty file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "a binary file of an unknown kind"
    return "a text file (perhaps CSV)"


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _open_file(path: Path) -> IO[bytes]:
    """Open a file for reading: the one place the reader opens a file by its path."""
    return path.open("rb")


def unreadable(path: Path) -> str | None:
    """Why `path` cannot be read as a workbook file, in words; None if it is a regular file.

    Nothing is opened: a pipe would block the reader until something writes to it.
    """
    try:
        mode = path.stat().st_mode  # follows links
    except OSError as exc:
        if path.is_symlink():
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            if isinstance(exc, FileNotFoundError):
                return f"the file is a link to {target}, which does not exist"
            return (
                f"the file is a link to {target} that cannot be followed ({_reason(exc)}): "
                "a link that leads back to itself?"
            )
        return f"cannot open the file: {_reason(exc)}"
    if stat.S_ISDIR(mode):
        return "this is a folder, not a workbook file: put the workbook itself in the month folder"
    if not stat.S_ISREG(mode):
        return (
            "this is not an ordinary file (a pipe, socket or device), so it is not read: "
            "save the workbook as a file"
        )
    return None


def _ole_kind(path: Path, limits: Limits) -> str:
    """'encrypted' for a password-protected .xlsx, 'legacy-xls' for an Excel 97-2003 file.

    Both are OLE compound files; their directory names the streams in UTF-16LE: an
    encrypted package holds "EncryptedPackage", an old workbook "Workbook" or "Book".
    """
    with _open_file(path) as handle:
        data = handle.read(limits.max_file_bytes)
    if (
        "EncryptedPackage".encode("utf-16-le") in data
        or "EncryptionInfo".encode("utf-16-le") in data
    ):
        return "encrypted"
    if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data:
        return "legacy-xls"
    return "ole-other"


class XlsxBook:
    """An open .xlsx workbook: its sheets, and their rows on demand.

    Opening checks the file and reads the workbook part, its relationships and the
    shared strings; rows are read when asked for, one chunk at a time.
    """

    def __init__(self, path: str | Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = Path(path)
        self.limits = limits
        self.date1904 = False
        # style index -> (is a percent format, is a date format): a return asks of every
        # figure, and a workbook has a few dozen styles.
        self._style_kinds: dict[int, tuple[bool, bool]] = {}
        self.sheets: list[SheetInfo] = []
        self.shared: list[str] = []
        self.formats: list[str] = []  # number format code of each cell format (cellXfs)
        self._zip = self._open_zip()
        try:
            self._names = {info.filename.lower(): info.filename for info in self._zip.infolist()}
            self._read_workbook()
            self._read_shared_strings()
            self._read_styles()
        except BaseException:
            self._zip.close()
            raise

    # context manager ------------------------------------------------------------------

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    # checks before inflating ------------------------------------------------------------

    def _open_zip(self) -> zipfile.ZipFile:
        limits = self.limits
        problem = unreadable(self.path)
        if problem is not None:
            raise XlsxError("unreadable-file", problem)
        try:
            size = self.path.stat().st_size
            with _open_file(self.path) as handle:
                head = handle.read(512)
        except OSError as exc:
            raise XlsxError(
                "unreadable-file", f"cannot open the file: {_reason(exc)}; send it again"
            ) from None
        if head[:8] == OLE_SIGNATURE:
            kind = _ole_kind(self.path, limits)
            if kind == "encrypted":
                raise XlsxError(
                    "encrypted",
                    "the workbook is password-protected (encrypted), so it cannot be read: "
                    "remove the password (File > Info > Protect Workbook) and send it again",
                )
            if kind == "legacy-xls":
                raise XlsxError(
                    "legacy-xls",
                    "this is an old-format Excel 97-2003 workbook (.xls): fill in the .xlsx "
                    "template, or save this file as Excel Workbook (.xlsx)",
                )
            raise XlsxError(
                "not-a-workbook",
                "this is an old-format Office file but not a workbook: send the .xlsx return",
            )
        if size > limits.max_file_bytes:
            raise XlsxError(
                "too-large",
                f"the file is {size:,} bytes, over the limit of {limits.max_file_bytes:,}",
            )
        if head[:4] not in ZIP_SIGNATURES:
            raise XlsxError(
                "not-a-workbook",
                f"not an Excel workbook (.xlsx): it looks like {sniff(head)}; "
                "fill in the .xlsx template and send that",
            )
        try:
            archive = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise XlsxError(
                "corrupt-workbook",
                f"the workbook is damaged (cut short in sending?): its zip archive cannot be "
                f"read ({exc}); save it again and send it",
            ) from None
        try:
            self._check_members(archive)
        except BaseException:
            archive.close()
            raise
        return archive

    def _check_members(self, archive: zipfile.ZipFile) -> None:
        limits = self.limits
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise XlsxError(
                "too-large",
                f"the workbook has {len(infos):,} parts, over the limit of {limits.max_members:,}",
            )
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise XlsxError(
                    "encrypted",
                    f"part {info.filename} is encrypted: remove the password and send it again",
                )
            if info.file_size > limits.max_member_bytes:
                raise XlsxError(
                    "too-large",
                    f"part {info.filename} inflates to {info.file_size:,} bytes, over the "
                    f"limit of {limits.max_member_bytes:,}",
                )
            if info.file_size > limits.ratio_floor:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > limits.max_ratio:
                    raise XlsxError(
                        "too-large",
                        f"part {info.filename} would inflate {ratio:,.0f} times "
                        f"({info.compress_size:,} to {info.file_size:,} bytes): refused as a "
                        "possible zip bomb",
                    )
            total += info.file_size
        if total > limits.max_total_bytes:
            raise XlsxError(
                "too-large",
                f"the workbook inflates to {total:,} bytes, over the limit of "
                f"{limits.max_total_bytes:,}",
            )

    # parts ------------------------------------------------------------------------------

    def _member(self, part: str) -> str | None:
        if part in self._names.values():
            return part
        return self._names.get(part.lower())

    def _open(self, part: str) -> IO[bytes]:
        name = self._member(part)
        if name is None:
            raise XlsxError("corrupt-workbook", f"the workbook is damaged: {part} is missing")
        try:
            return self._zip.open(name)
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

    def _parse_part(
        self,
        part: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        text: Callable[[str], None] | None = None,
    ) -> None:
        parser = _parser()
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text
        with self._open(part) as stream:
            _parse_stream(stream, parser, part)

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationships of `part`: id -> (type, resolved target)."""
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", name + ".rels")
        found: dict[str, tuple[str, str]] = {}
        if self._member(rels_part) is None:
            return found
        xml = self._small_part(rels_part)
        key = (folder, xml)
        known = _PARSED["rels"].get(key) if xml is not None else None
        if known is not None:
            return dict(known)

        def start(tag: str, attrs: dict[str, str]) -> None:
            if _local(tag) == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                if target.startswith("/"):
                    resolved = target.lstrip("/")
                else:
                    resolved = posixpath.normpath(posixpath.join(folder, target))
                found[attrs.get("Id", "")] = (attrs.get("Type", ""), resolved)

        self._parse_part(rels_part, start)
        if xml is not None:
            _remember("rels", key, dict(found))
        return found

    def _mimetype(self) -> str:
        name = self._member("mimetype")
        if name is None:
            return ""
        with self._open(name) as stream:
            return stream.read(200).decode("ascii", "replace")

    @property
    def has_macros(self) -> bool:
        """The workbook carries a VBA project (an .xlsm). The reader never runs it."""
        return any(name.endswith("vbaproject.bin") for name in self._names)

    def _read_workbook(self) -> None:
        office = [t for kind, t in self._rels("").values() if kind.endswith("/officeDocument")]
        part = office[0] if office else "xl/workbook.xml"
        if part.lower().endswith(".bin"):
            raise XlsxError(
                "not-a-workbook",
                "this is a binary Excel workbook (.xlsb): save it as Excel Workbook (.xlsx)",
            )
        if self._member(part) is None:
            if self._member("word/document.xml"):
                what = "a Word document"
            elif self._member("ppt/presentation.xml"):
                what = "a PowerPoint presentation"
            elif self._member("content.xml"):
                mimetype = self._mimetype()
                what = (
                    "an OpenDocument spreadsheet (.ods): save it as Excel Workbook (.xlsx)"
                    if "spreadsheet" in mimetype
                    else "an OpenDocument file"
                )
            else:
                what = "a zip archive"
            raise XlsxError(
                "not-a-workbook",
                f"not an Excel workbook (.xlsx): it is {what}; fill in the .xlsx template",
            )
        self._workbook_part = part
        rels = self._rels(part)
        self._shared_part = next(
            (t for kind, t in rels.values() if kind.endswith("/sharedStrings")), None
        )
        self._styles_part = next((t for kind, t in rels.values() if kind.endswith("/styles")), None)
        sheets: list[tuple[str, str, str]] = []
        xml = self._small_part(part)
        known = _PARSED["workbook"].get(xml) if xml is not None else None
        if known is not None:
            sheets[:], self.date1904 = known
        else:

            def start(tag: str, attrs: dict[str, str]) -> None:
                local = _local(tag)
                if local == "sheet":
                    rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
                    sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), rid))
                elif local == "workbookPr":
                    self.date1904 = attrs.get("date1904", "0") in ("1", "true")

            self._parse_part(part, start)
            if xml is not None:
                _remember("workbook", xml, (tuple(sheets), self.date1904))
        for name, state, rid in sheets:
            kind, target = rels.get(rid, ("", ""))
            if kind.endswith("/worksheet"):
                self.sheets.append(SheetInfo(name, state, target))
            # chartsheets and dialog sheets hold no cells: left out

    def _small_part(self, part: str) -> bytes | None:
        """A part's bytes, if it is small enough to hold whole (else None: stream it)."""
        name = self._member(part)
        if name is None:
            return None
        try:
            if self._zip.getinfo(name).file_size > _PLAIN_MAX_BYTES:
                return None
            return self._zip.read(name)
        except Exception:  # damaged: the parser says how
            return None

    @staticmethod
    def _plain(xml: bytes | None, odd: re.Pattern[bytes]) -> bool:
        """Whether patterns can read `xml` as the parser would: well-formed, UTF-8 and
        free of `odd` markup (see `_read_plain`)."""
        if xml is None or not _plain_prolog(xml) or odd.search(xml):
            return False
        parser = _parser()
        try:
            parser.Parse(xml, True)
        except (expat.ExpatError, XlsxError):
            return False
        return True

    def _read_shared_strings(self) -> None:
        if self._shared_part is None or self._member(self._shared_part) is None:
            return
        xml = self._small_part(self._shared_part)
        known = _PARSED["strings"].get(xml) if xml is not None else None
        if known is not None:
            self.shared = list(known)
            return
        if self._plain(xml, _ODD_STRINGS_RE):
            assert xml is not None
            found = _PLAIN_STRING_RE.findall(xml)
            if len(found) == xml.count(b"<si"):
                self.shared = [_unescape(_xml_text(raw)) for raw in found]
                _remember("strings", xml, tuple(self.shared))
                return
        strings = self.shared
        buf: list[str] = []
        state = {"skip": 0, "in_t": False}

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = _local(tag)
            if local == "t":
                state["in_t"] = True
            elif local in ("rPh", "phoneticPr"):
                state["skip"] += 1
            elif local == "si":
                buf.clear()

        def end(tag: str) -> None:
            local = _local(tag)
            if local == "t":
                state["in_t"] = False
            elif local in ("rPh", "phoneticPr"):
                state["skip"] -= 1
            elif local == "si":
                strings.append(_unescape("".join(buf)))

        def text(data: str) -> None:
            if state["in_t"] and not state["skip"]:
                buf.append(data)

        self._parse_part(self._shared_part, start, end, text)
        if xml is not None:
            _remember("strings", xml, tuple(strings))

    def _read_styles(self) -> None:
        if self._styles_part is None or self._member(self._styles_part) is None:
            return
        xml = self._small_part(self._styles_part)
        known = _PARSED["styles"].get(xml) if xml is not None else None
        if known is not None:
            self.formats = list(known)
            return
        if self._plain(xml, _ODD_STYLES_RE):
            assert xml is not None
            formats = self._plain_formats(xml)
            if formats is not None:
                self.formats = formats
                _remember("styles", xml, tuple(formats))
                return
        custom: dict[int, str] = {}
        ids: list[int] = []
        depth = {"cellXfs": False}

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = _local(tag)
            if local == "numFmt":
                number = attrs.get("numFmtId", "")
                if number.isascii() and number.isdigit():
                    custom[int(number)] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                depth["cellXfs"] = True
            elif local == "xf" and depth["cellXfs"]:
                number = attrs.get("numFmtId", "0")
                ids.append(int(number) if number.isascii() and number.isdigit() else 0)

        def end(tag: str) -> None:
            if _local(tag) == "cellXfs":
                depth["cellXfs"] = False

        self._parse_part(self._styles_part, start, end)
        self.formats = [custom.get(i, BUILTIN_FORMATS.get(i, "General")) for i in ids]
        if xml is not None:
            _remember("styles", xml, tuple(self.formats))

    @staticmethod
    def _plain_formats(xml: bytes) -> list[str] | None:
        """Each cell format's number format, read by patterns; None if they cannot."""
        numbers = _PLAIN_NUMFMT_RE.findall(xml)
        if len(numbers) != len(_ANY_NUMFMT_RE.findall(xml)):
            return None
        custom = {int(number): _xml_text(code) for number, code in numbers}
        if xml.count(b"<cellXfs") != 1:
            return None
        section = _CELL_XFS_RE.search(xml)
        if section is None:
            return None
        ids: list[int] = []
        for attrs in _XF_RE.findall(section.group(0)):
            if b"'" in attrs:
                return None  # single-quoted attributes: the parser reads them
            number = _NUMFMT_ID_RE.search(attrs)
            if attrs.count(b"numFmtId") != (1 if number else 0):
                return None  # an entity, spaces, a prefix: the parser reads it
            text = number.group(1) if number else b"0"
            ids.append(int(text) if text.isdigit() else 0)
        return [custom.get(i, BUILTIN_FORMATS.get(i, "General")) for i in ids]

    def number_format(self, style: int) -> str:
        """The number format code of a cell's style ("0.0%", "d mmm yyyy", "General")."""
        return self.formats[style] if 0 <= style < len(self.formats) else "General"

    def is_percent_format(self, style: int) -> bool:
        return self._kinds(style)[0]

    def is_date_format(self, style: int) -> bool:
        return self._kinds(style)[1]

    def _kinds(self, style: int) -> tuple[bool, bool]:
        kinds = self._style_kinds.get(style)
        if kinds is None:
            code = _strip_format_literals(self.number_format(style))
            lower = code.lower()
            kinds = ("%" in code, any(ch in lower for ch in "dmy") and "general" not in lower)
            self._style_kinds[style] = kinds
        return kinds

    # sheets -----------------------------------------------------------------------------

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def sheet(self, name: str) -> SheetInfo | None:
        return next((s for s in self.sheets if s.name == name), None)

    def iter_rows(self, name: str, merged: list[str] | None = None) -> Iterator[list[Cell]]:
        """The sheet's stored cells, row by row (each row in column order).

        Raises `XlsxError` ("too-large") on meeting a cell beyond the limits; the rows
        before it have been yielded. The sheet's merged ranges are appended to `merged`.
        """
        info = self.sheet(name)
        if info is None:
            raise XlsxError("sheet-missing", f"the workbook has no sheet '{name}'")
        reader = _SheetReader(info, self.shared, self.limits)
        if merged is not None:
            reader.merged = merged
        parser: ElementTree.XMLPullParser = ElementTree.XMLPullParser(events=("end",))
        with self._open(info.part) as stream:
            try:
                first = True
                while True:
                    chunk = stream.read(_CHUNK)
                    if first:
                        _refuse_doctype(chunk, info.part)
                        first = False
                    if chunk:
                        parser.feed(chunk)
                    else:
                        parser.close()
                    rows = reader.take(parser.read_events())  # type: ignore[arg-type]
                    if rows:
                        yield from rows
                    if not chunk:
                        break
            except ElementTree.ParseError as exc:
                line, column = exc.position
                raise XlsxError(
                    "corrupt-workbook",
                    f"the workbook is damaged: sheet '{name}' is not well-formed XML "
                    f"(line {line}, column {column}): open it in Excel and save it again",
                ) from None
            except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
                raise XlsxError(
                    "corrupt-workbook",
                    f"the workbook is damaged: cannot inflate sheet '{name}' ({exc})",
                ) from None
            except XlsxError:
                # Rows completed before the limit are still delivered.
                yield from reader.done
                raise
        if reader.row:
            yield reader.row

    def read_sheet(self, name: str) -> SheetData:
        """The whole sheet in memory; a sheet cut short keeps its first rows and says why."""
        info = self.sheet(name)
        if info is not None:
            data = self._read_plain(info)
            if data is not None:
                return data
        return self.read_streamed(name)

    def read_streamed(self, name: str) -> SheetData:
        """`read_sheet` by the streaming parser alone: the reference for the fast path."""
        data = SheetData(name)
        try:
            for row in self.iter_rows(name, data.merged):
                for cell in row:
                    data.cells[(cell.row, cell.col)] = cell
        except XlsxError as exc:
            if exc.code != "too-large":
                raise
            data.stopped = exc
        return data

    def _read_plain(self, info: SheetInfo) -> SheetData | None:
        """The sheet read at C speed, when every cell in it is a plain stored value.

        A return is a few hundred cells, each ``<c r="G12" s="3"><v>123</v></c>``; parsing
        them one event at a time costs ten times what the XML does. So a small sheet is
        checked whole by expat (well-formed, no DOCTYPE) and its cells are taken with one
        regular expression. Anything else (a formula, an inline string, a prefix, an
        attribute out of order, a comment, a limit reached, more than `_PLAIN_MAX_BYTES`)
        gives None, and the streaming reader reads the sheet: it is the reference, and
        this path gives exactly its cells.
        """
        name = self._member(info.part)
        if name is None:
            return None
        try:
            member = self._zip.getinfo(name)
            if member.file_size > _PLAIN_MAX_BYTES:
                return None
            xml = self._zip.read(name)
        except Exception:  # damaged: the streaming reader says how
            return None
        if len(xml) > _PLAIN_MAX_BYTES or not _plain_prolog(xml):
            return None
        _refuse_doctype(xml[:_CHUNK], info.part)
        parser = _parser(namespaces=True)
        try:
            parser.Parse(xml, True)
        except expat.ExpatError:
            return None  # the streaming reader words the error
        if _ODD_MARKUP_RE.search(xml):
            return None
        try:
            text = xml.decode("utf-8")
        except UnicodeDecodeError:
            return None
        found = _PLAIN_CELL_TEXT_RE.findall(text)
        merges = _PLAIN_MERGE_RE.findall(xml)
        limits = self.limits
        if (
            len(found) != len(_ANY_CELL_TAG_RE.findall(xml))
            or len(merges) != len(_ANY_MERGE_TAG_RE.findall(xml))
            or len(found) + len(merges) > limits.max_cells
            or xml.count(b"<row") > limits.max_rows
        ):
            return None
        dimensions = _DIMENSION_REF_RE.findall(xml)
        numbers = _ROW_NUMBER_RE.findall(xml)
        if len(dimensions) != len(_ANY_DIMENSION_TAG_RE.findall(xml)) or len(numbers) != len(
            _ANY_ROW_TAG_RE.findall(xml)
        ):
            return None
        for ref in dimensions:
            if b"&" in ref or not ref.isascii():
                return None  # what the parser makes of it is the streaming reader's to say
            try:
                row, col = split_ref(ref.rpartition(b":")[2].decode("ascii"))
            except ValueError:
                continue  # the streaming reader ignores it too
            if row > limits.max_rows or col > limits.max_cols:
                return None
        if any(int(number) > limits.max_rows for number in numbers):
            return None
        data = SheetData(info.name)
        data.merged.extend(ref.decode("utf-8")[:32] for ref in merges if ref)
        cells = data.cells
        rows: dict[int, dict[int, Cell]] = {}
        in_order = True
        last_row = last_col = 0
        cols = _COL_CACHE
        shared = self.shared
        styles: dict[str, int] = {"": 0}
        max_rows, max_cols = limits.max_rows, limits.max_cols
        numbers: dict[str, int] = {}
        for ref, letters, digits, style_text, kind, raw, inline in found:
            col = cols.get(letters)
            if col is None:
                col = col_index(letters)
            row = numbers.get(digits)
            if row is None:
                row = numbers[digits] = int(digits)
            if row > max_rows or col > max_cols or not row:
                return None  # row 0 means "no reference" to the streaming reader
            style = styles.get(style_text)
            if style is None:
                style = styles[style_text] = int(style_text)
            value: Any
            if not kind or kind == "n":
                if inline:
                    return None  # an <is> in a number cell: the streaming reader's corner
                if not raw:  # no <v>, or an empty one: no value, as the streaming reader has it
                    value = None
                elif raw.isascii() and raw.isdigit():
                    value = int(raw)  # what _number() makes of it, without the call
                else:
                    try:
                        value = _number(raw)
                    except ValueError:
                        return None
            elif kind == "s":
                if inline:
                    return None
                if not raw:
                    value = None
                else:
                    try:
                        index = int(raw)
                        value = shared[index]
                    except (ValueError, IndexError):
                        return None
                    if index < 0:
                        return None
            elif kind == "inlineStr":
                if raw:
                    return None  # a <v> in an inline string: the streaming reader's corner
                value = _unescape(_text_entities(inline))
            elif not raw and not inline:
                value = "" if kind == "str" else None
            else:
                return None  # booleans, errors, formula text, dates: the streaming reader
            cell = Cell(ref, row, col, value, None, style)
            cells[(row, col)] = cell
            if in_order:
                if row > last_row:
                    rows[row] = {col: cell}
                elif row == last_row and col > last_col:
                    rows[row][col] = cell
                else:
                    in_order = False  # rows() sorts them when asked
                last_row, last_col = row, col
        if in_order:
            data._rows, data._rows_of = rows, len(cells)
        return data


def _plain_prolog(xml: bytes) -> bool:
    """The part is UTF-8 (or declares no other encoding) and has no CR to normalise."""
    if xml.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\r" in xml:
        return False
    if b"\x00" in xml:
        return False  # UTF-16 or UTF-32 without a byte-order mark
    instructions = xml.count(b"<?")
    if instructions > 1 or (instructions == 1 and not xml.startswith(b"<?xml ")):
        return False  # a processing instruction is not markup a pattern can skip
    if instructions:
        declaration = xml[: xml.find(b"?>") + 2].lower()
        if b"encoding" in declaration and b"utf-8" not in declaration:
            return False
    return True


_PLAIN_MAX_BYTES = 4 << 20
# Shared strings as one run of text each (rich text and phonetic runs go to the parser).
_PLAIN_STRING_RE = re.compile(rb'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>')
_ODD_STRINGS_RE = re.compile(rb"<!--|<!\[CDATA\[|<[^\s<>/!?:]+:(?:si|t|r|rPh)[\s>/]")
_PLAIN_NUMFMT_RE = re.compile(rb'<numFmt numFmtId="([0-9]{1,9})" formatCode="([^"\t\n]*)" ?/>')
_ANY_NUMFMT_RE = re.compile(rb"<numFmt[\s>/]")
_CELL_XFS_RE = re.compile(rb"<cellXfs[\s>].*?</cellXfs>|<cellXfs[^>]*/>", re.S)
_XF_RE = re.compile(rb"""<xf(?=[\s>/])((?:[^>"']+|"[^"]*"|'[^']*')*)>""")
_NUMFMT_ID_RE = re.compile(rb'\snumFmtId="([^"&]*)"')
_ODD_STYLES_RE = re.compile(rb"<!--|<!\[CDATA\[|<[^\s<>/!?:]+:(?:numFmt|cellXfs|xf)[\s>/]")
# A stored cell as Excel, LibreOffice, openpyxl and xlsxwriter write a plain value: the
# reference (whole, letters, digits) first, then the style, then the type, then at most
# a <v> or an inline string's one <t>.
_PLAIN_CELL_TEXT_RE = re.compile(
    r'<c r="(([A-Z]{1,3})([0-9]{1,7}))"(?: s="([0-9]{1,9})")?(?: t="([A-Za-z]{1,9})")?'
    r'(?: ?/>|>(?:<v>([^<&]*)</v>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)'
)
_TEXT_ENTITY_RE = re.compile(r"&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(lt|gt|amp|quot|apos));")
_TEXT_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _text_entity(match: re.Match[str]) -> str:
    hexa, decimal, name = match.groups()
    if name:
        return _TEXT_ENTITIES[name]
    return chr(int(hexa, 16) if hexa else int(decimal))


def _text_entities(raw: str) -> str:
    """Character data as a parser gives it (the part already passed expat)."""
    return _TEXT_ENTITY_RE.sub(_text_entity, raw) if "&" in raw else raw


def _xml_text(raw: bytes) -> str:
    """Character data as a parser gives it (the part already passed expat)."""
    return _text_entities(raw.decode("utf-8"))


_ANY_CELL_TAG_RE = re.compile(rb"<c[\s>/]")
_PLAIN_MERGE_RE = re.compile(rb'<mergeCell ref="([^"&<\t\n]*)" ?/>')
_ANY_MERGE_TAG_RE = re.compile(rb"<mergeCell[\s>/]")
_DIMENSION_REF_RE = re.compile(rb'<dimension ref="([^"]*)"')
_ROW_NUMBER_RE = re.compile(rb'<row r="([0-9]+)"')
_ANY_ROW_TAG_RE = re.compile(rb"<row[\s>/]")
_ANY_DIMENSION_TAG_RE = re.compile(rb"<dimension[\s>/]")
# Markup a regular expression cannot read as a parser does: comments, CDATA, and the
# elements that hold cells written with a prefix (<x:c>, <x:row>...).
_ODD_MARKUP_RE = re.compile(
    rb"<!--|<!\[CDATA\[|<[^\s<>/!?:]+:(?:c|v|f|is|row|sheetData|mergeCell|dimension)[\s>/]"
)


# Parts already parsed, by their exact bytes: the returns of a month are made from a few
# templates, so most share their styles, workbook and relationships parts byte for byte.
# Only successful parses are kept; the same bytes always parse the same way.
# Each kind of part is kept apart, so that shared strings (different in most returns)
# do not push out the styles and workbook parts (the same in most).
_PARSED: dict[str, dict[Any, Any]] = {"strings": {}, "styles": {}, "workbook": {}, "rels": {}}
_PARSED_MAX = 256  # of each kind


def _remember(kind: str, key: Any, value: Any) -> None:
    known = _PARSED[kind]
    if len(known) >= _PARSED_MAX:
        known.clear()
    known[key] = value


_TAGS: dict[str, str] = {}


def _local_tag(tag: str) -> str:
    """``{namespace}c`` -> ``c``, cached: tags repeat millions of times."""
    local = _TAGS.get(tag)
    if local is None:
        local = _TAGS[tag] = tag.rpartition("}")[2]
    return local


_PROLOG_RE = re.compile(rb"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*", re.S)


_ROOT_START_RE = re.compile(rb"<[A-Za-z_]")


def _refuse_doctype(head: bytes, part: str) -> None:
    """Refuse a part whose root element is not the first thing after its prolog.

    A DOCTYPE (the only place entities can be declared) can only come before the root
    element; requiring the root element right after the XML declaration, comments and
    processing instructions refuses it, however long the prolog.
    """
    if not head:
        return  # the parser reports an empty part
    text = head
    if text.startswith(b"\xef\xbb\xbf"):
        text = text[3:]
    elif text.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = text.decode("utf-16", errors="replace").encode("utf-8")
    rest = text[_PROLOG_RE.match(text).end() :]  # type: ignore[union-attr]
    if not _ROOT_START_RE.match(rest):
        raise XlsxError(
            "corrupt-workbook",
            f"{part} declares a DOCTYPE or entities, or does not start with its content, "
            "which no Excel file does; refused (it may be crafted to exhaust memory)",
        )


class _SheetReader:
    """Turns the end events of a worksheet's XML into rows of cells.

    ElementTree builds each <c> element in C; Python looks at it once, at its end, and
    the row is cleared when it ends, so memory holds one row at a time.
    """

    def __init__(self, info: SheetInfo, shared: list[str], limits: Limits) -> None:
        self.info = info
        self.shared = shared
        self.limits = limits
        self.done: list[list[Cell]] = []
        self.row: list[Cell] = []
        self.row_no = 0
        self.col = 0
        self.count = 0  # cells and merged ranges met so far
        self.merged: list[str] = []

    def _too_large(self, where: str) -> XlsxError:
        return XlsxError(
            "too-large",
            f"sheet '{self.info.name}' reaches {where}, beyond the reader's limit of "
            f"{self.limits.max_rows:,} rows and {self.limits.max_cols:,} columns; "
            "stopped reading it",
        )

    def _too_many(self) -> XlsxError:
        return XlsxError(
            "too-large",
            f"sheet '{self.info.name}' holds more than {self.limits.max_cells:,} cells, "
            "beyond the reader's limit; stopped reading it",
        )

    def take(self, events: Iterable[tuple[str, Any]]) -> list[list[Cell]]:
        """Process parser events; return the rows completed so far."""
        max_rows, max_cols = self.limits.max_rows, self.limits.max_cols
        max_cells = self.limits.max_cells
        tags = _TAGS
        cols = _COL_CACHE
        append = self.row.append
        for _event, el in events:
            tag = el.tag
            local = tags.get(tag)
            if local is None:
                local = tags[tag] = tag.rpartition("}")[2]
            if local == "c":
                ref = el.get("r")
                if ref:
                    letters = ref.rstrip(_DIGITS)
                    col = cols.get(letters)
                    if col is None or len(letters) == len(ref):
                        row, col = self._split(ref)
                    else:
                        row = int(ref[len(letters) :])
                else:  # placed by its row (known at the row's end) and the cell before
                    row, col = 0, self.col + 1
                    ref = ""
                if col > max_cols or row > max_rows:
                    raise self._too_large(ref or cell_ref(self.row_no + 1, col))
                self.count += 1
                if self.count > max_cells:
                    raise self._too_many()
                self.col = col
                append(self._cell(el, ref, row, col))
            elif local == "row":
                number = el.get("r")
                self.row_no = (
                    int(number)
                    if number and number.isascii() and number.isdigit()
                    else self.row_no + 1
                )
                if self.row_no > max_rows:
                    raise self._too_large(f"row {self.row_no:,}")
                for cell in self.row:
                    if not cell.row:
                        cell.row, cell.ref = self.row_no, cell_ref(self.row_no, cell.col)
                if self.row:
                    self.done.append(self.row)
                    self.row = []
                    append = self.row.append
                self.col = 0
                el.clear()
            elif local == "mergeCell":
                self.count += 1
                if self.count > max_cells:
                    raise self._too_many()
                ref = el.get("ref", "")
                if ref:
                    self.merged.append(ref[:32])
                el.clear()
            elif local == "dimension":
                ref = el.get("ref", "")
                last = ref.rpartition(":")[2]
                try:
                    row, col = split_ref(last)
                except ValueError:
                    continue
                if row > max_rows or col > max_cols:
                    raise self._too_large(f"{last} (its stated size is {ref})")
        done, self.done = self.done, []
        return done

    def _split(self, ref: str) -> tuple[int, int]:
        try:
            return split_ref(ref)
        except ValueError:
            raise XlsxError(
                "corrupt-workbook",
                f"the workbook is damaged: sheet '{self.info.name}' has a cell reference "
                f"'{ref[:20]}'",
            ) from None

    def _cell(self, el: Any, ref: str, row: int, col: int) -> Cell:
        kind = el.get("t", "n")
        style = el.get("s")
        raw: str | None = None
        formula: str | None = None
        tags = _TAGS
        for child in el:
            local = tags.get(child.tag) or _local_tag(child.tag)
            if local == "v":
                raw = child.text
            elif local == "f":
                formula = child.text or ""
            elif local == "is":
                raw = _inline_text(child)
        value: Any
        if raw is None:
            value = "" if kind in ("inlineStr", "str") and formula is None else None
        elif kind == "n":
            try:
                value = _number(raw)
            except ValueError:
                raise XlsxError(
                    "corrupt-workbook",
                    f"the workbook is damaged: cell {self.info.name}!{ref} holds "
                    f"'{raw[:40]}' as a number",
                ) from None
        elif kind == "s":
            try:
                index = int(raw)
                if index < 0:
                    raise IndexError(index)
                value = self.shared[index]
            except (ValueError, IndexError):
                raise XlsxError(
                    "corrupt-workbook",
                    f"the workbook is damaged: cell {self.info.name}!{ref} points at "
                    f"shared string {raw[:20]}, which does not exist",
                ) from None
        elif kind in ("str", "inlineStr"):
            value = _unescape(raw)
        elif kind == "b":
            value = raw.strip() in ("1", "true")
        elif kind == "e":
            value = ErrorValue(raw.strip())
        else:  # "d": an ISO 8601 date, kept as text
            value = raw
        number = int(style) if style and style.isascii() and style.isdigit() else 0
        return Cell(ref, row, col, value, formula, number)


def _inline_text(el: Any) -> str:
    """The text of an inline string: its <t>, or its runs' <t>s; phonetic runs left out."""
    parts = []
    for child in el:
        local = _local_tag(child.tag)
        if local == "t":
            parts.append(child.text or "")
        elif local == "r":
            parts.extend(t.text or "" for t in child if _local_tag(t.tag) == "t")
    return "".join(parts)


def open_workbook(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> XlsxBook:
    """Open a workbook for reading; raises `XlsxError` if it is refused."""
    return XlsxBook(path, limits)
