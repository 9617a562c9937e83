"""Build bad inputs from the valid samples: nothing hostile is committed, it is all made here.

Three levels of editing a return, from the lead's to the attacker's:

- `edit_book`: openpyxl, as a lead would change the workbook in Excel;
- `edit_part` / `set_cell_xml`: one part of the zip rewritten (values openpyxl cannot
  write, such as NaN, or XML no spreadsheet program writes);
- `raw_zip`: a zip archive written byte by byte, so that its headers can lie.

And files that are not workbooks at all: OLE compound files (`ole_file`: an encrypted
package or an Excel 97-2003 workbook), an OpenDocument spreadsheet, deflate streams that
inflate to gigabytes from a few megabytes (`deflate_bomb`).
"""

from __future__ import annotations

import functools
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from scorecard.xlsx import OLE_SIGNATURE, open_workbook

REPO = Path(__file__).parents[2]
SAMPLES = REPO / "samples" / "returns" / "2008-07"
CONFIG = REPO / "config" / "indicators.yaml"
OWNERS = (
    "central-operations",
    "counter-terrorism",
    "specialist-crime",
    "surveys",
    "territorial-policing",
)
TP = "territorial-policing"
RETURN_PART = "xl/worksheets/sheet2.xml"  # the Return sheet in every sample
GIB = 1 << 30


# --- where things are in the samples ------------------------------------------------------


@functools.cache
def locate(owner: str, key: str, measure: str, month: str) -> str:
    """The cell of the sample return where `owner` typed `key` `measure` for `month`."""
    with open_workbook(SAMPLES / f"{owner}.xlsx") as book:
        data = book.read_sheet("Return")
    rows = data.rows()
    header = next(r for r, cells in rows.items() if any(c.value == "Key" for c in cells.values()))
    col = next(c for c, cell in rows[header].items() if cell.value == month)
    row = next(
        r
        for r, cells in rows.items()
        if r > header
        and cells.get(1) is not None
        and cells[1].value == key
        and cells.get(3) is not None
        and cells[3].value == measure
    )
    return rows[header][col].ref.rstrip("0123456789") + str(row)


def row_of(owner: str, key: str, measure: str) -> int:
    return int(re.sub(r"^[A-Z]+", "", locate(owner, key, measure, "2008-07")))


# --- editing a return ---------------------------------------------------------------------


def edit_book(path: Path, change: Callable[[openpyxl.Workbook], Any], *, vba: bool = False) -> None:
    """Open with openpyxl, change, save: as a lead editing the return in Excel."""
    wb = openpyxl.load_workbook(path, keep_vba=vba)
    change(wb)
    wb.save(path)


def read_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_members(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def edit_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    members = read_members(path)
    members[part] = change(members[part])
    write_members(path, members)


def set_cell_xml(path: Path, ref: str, inner: str, kind: str | None = None) -> None:
    """Replace the Return sheet's cell `ref` with ``<c r=ref s=.. t=kind>inner</c>``."""

    def change(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        pattern = re.compile(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>.*?</c>)', re.S)
        match = pattern.search(text)
        assert match is not None, f"no cell {ref}"
        style = re.search(r'\bs="(\d+)"', match.group("attrs"))
        attrs = f' s="{style.group(1)}"' if style else ""
        if kind:
            attrs += f' t="{kind}"'
        return (
            text[: match.start()] + f'<c r="{ref}"{attrs}>{inner}</c>' + text[match.end() :]
        ).encode()

    edit_part(path, RETURN_PART, change)


def add_rows_xml(path: Path, rows_xml: str, *, dimension: str | None = None) -> None:
    """Append raw <row> XML to the Return sheet; optionally restate its <dimension>."""

    def change(xml: bytes) -> bytes:
        text = xml.decode("utf-8").replace("</sheetData>", rows_xml + "</sheetData>")
        if dimension == "":
            text = re.sub(r"<dimension [^>]*/>", "", text)
        elif dimension is not None:
            text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', text)
        return text.encode()

    edit_part(path, RETURN_PART, change)


# --- zip archives written by hand -----------------------------------------------------------


@dataclass(frozen=True)
class RawMember:
    """One member as it goes into the archive; the headers say what `declared` says."""

    name: str
    data: bytes  # as stored: raw deflate for method 8
    size: int  # declared uncompressed size
    crc: int
    method: int = zipfile.ZIP_DEFLATED


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def member(name: str, data: bytes) -> RawMember:
    return RawMember(name, deflate(data), len(data), zlib.crc32(data))


def raw_zip(members: list[RawMember]) -> bytes:
    """A zip archive whose local and central headers say each member's `size` and `crc`."""
    out = bytearray()
    central = bytearray()
    for m in members:
        name = m.name.encode()
        offset = len(out)
        fields = (20, 0, m.method, 0, 0x21, m.crc, len(m.data), m.size, len(name), 0)
        out += b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields) + name + m.data
        central += (
            b"PK\x01\x02"
            + struct.pack(
                "<HHHHHHIIIHHHHHII",
                20,
                20,
                0,
                m.method,
                0,
                0x21,
                m.crc,
                len(m.data),
                m.size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    end = struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + b"PK\x05\x06" + end)


def sample_members(owner: str = TP) -> list[RawMember]:
    return [member(name, data) for name, data in read_members(SAMPLES / f"{owner}.xlsx").items()]


def with_member(members: list[RawMember], replacement: RawMember) -> list[RawMember]:
    return [replacement if m.name == replacement.name else m for m in members]


SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


@functools.cache
def deflate_bomb(inflated: int, chunk: int = 1 << 20) -> tuple[bytes, int]:
    """A raw deflate stream of a worksheet padded with `inflated` bytes of spaces.

    Made from one compressed chunk repeated: each chunk ends with a full flush, which
    resets the compressor, so every copy compresses to the same bytes. Nothing near
    `inflated` bytes is ever held in memory. Returns (stream, true inflated size).
    """
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(SHEET_HEAD) + c.flush(zlib.Z_FULL_FLUSH)
    filler = b" " * chunk
    piece = c.compress(filler) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(filler) + c.flush(zlib.Z_FULL_FLUSH)
    assert piece == again, "a full flush should make every chunk compress alike"
    copies = inflated // chunk
    stream = head + piece + again + piece * (copies - 2) + c.compress(SHEET_TAIL) + c.flush()
    return stream, len(SHEET_HEAD) + copies * chunk + len(SHEET_TAIL)


def inflate_prefix(stream: bytes, size: int) -> bytes:
    """The first `size` bytes a raw deflate stream inflates to (and no more)."""
    return zlib.decompressobj(-15).decompress(stream, size)


@functools.cache
def million_rows_member(rows: int = 1_000_000, dimension: str = "A1:A1000000") -> RawMember:
    """A Return sheet of `rows` rows, compressed as it is generated (a few MB on disk)."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    crc = 0
    size = 0
    parts = []

    def feed(data: bytes) -> None:
        nonlocal crc, size
        crc = zlib.crc32(data, crc)
        size += len(data)
        parts.append(c.compress(data))

    head = SHEET_HEAD.replace(b"<sheetData>", f'<dimension ref="{dimension}"/><sheetData>'.encode())
    feed(head)
    feed(b'<row r="1"><c r="A1" t="inlineStr"><is><t>Key</t></is></c></row>')
    step = 10_000
    for start in range(2, rows + 1, step):
        end = min(start + step, rows + 1)
        feed(
            "".join(
                f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(start, end)
            ).encode()
        )
    feed(SHEET_TAIL)
    parts.append(c.flush())
    return RawMember(RETURN_PART, b"".join(parts), size, crc)


# --- files that are not .xlsx ---------------------------------------------------------------


def ole_file(*streams: str) -> bytes:
    """An OLE2 compound file (the container of .xls and of encrypted .xlsx) naming `streams`.

    A 512-byte header (signature D0CF11E0A1B11AE1, version 3, 512-byte sectors) and one
    directory sector: the root entry, then one entry per stream, names in UTF-16LE.
    """
    header = bytearray(512)
    header[0:8] = OLE_SIGNATURE
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIII", header, 44, 1, 1, 0, 4096)  # 1 FAT sector, directory at 1
    struct.pack_into("<III", header, 60, 0xFFFFFFFE, 0, 0xFFFFFFFE)
    struct.pack_into("<I", header, 76, 0)  # the FAT is sector 0
    header[80:512] = b"\xff" * 432
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)
    directory = bytearray()
    names = ["Root Entry", *streams]
    for i, name in enumerate(names[:4]):
        entry = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        entry[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", entry, 64, len(encoded), 5 if i == 0 else 2, 1)
        sibling = i + 1 if 0 < i < len(names) - 1 else 0xFFFFFFFF
        child = 1 if i == 0 and len(names) > 1 else 0xFFFFFFFF
        struct.pack_into("<III", entry, 68, 0xFFFFFFFF, sibling, child)
        struct.pack_into("<II", entry, 116, 0xFFFFFFFE, 0)
        directory += entry
    directory += bytes(512 - len(directory))
    return bytes(header + fat + directory)


def ods_file() -> bytes:
    """A minimal OpenDocument spreadsheet: mimetype first and stored, then content.xml."""
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        b'<office:spreadsheet><table:table table:name="Return"><table:table-row>'
        b"<table:table-cell><text:p>Key</text:p></table:table-cell></table:table-row>"
        b"</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    mimetype = b"application/vnd.oasis.opendocument.spreadsheet"
    return raw_zip(
        [
            RawMember(
                "mimetype", mimetype, len(mimetype), zlib.crc32(mimetype), zipfile.ZIP_STORED
            ),
            member("content.xml", content),
            member(
                "META-INF/manifest.xml",
                b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                b'manifest:1.0"/>',
            ),
        ]
    )


def with_macros(path: Path, out: Path) -> None:
    """The return as a macro-enabled workbook (.xlsm) carrying a VBA project."""
    members = read_members(path)
    members["[Content_Types].xml"] = (
        members["[Content_Types].xml"]
        .replace(
            b"spreadsheetml.sheet.main+xml", b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
        )
        .replace(
            b"</Types>",
            b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
            b"</Types>",
        )
    )
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
        b'vbaProject" Target="vbaProject.bin"/></Relationships>',
    )
    # The VBA project is itself an OLE file; its macro text would be in a "Module1" stream.
    members["xl/vbaProject.bin"] = ole_file("VBA", "Module1") + b'Sub Auto_Open()\nShell "calc"\n'
    write_members(out, members)
    path.unlink()


ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    b"</sheetData></worksheet>"
)


def external_entity(xml: bytes, target: str = "file:///etc/passwd") -> bytes:
    """`xml` (a workbook part) with a DOCTYPE declaring an external entity, used in a name."""
    doctype = f'<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "{target}">]>'.encode()
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return b'<?xml version="1.0"?>' + doctype + body.replace(b'name="Return"', b'name="&xxe;"', 1)


# --- a sheet pasted into a return -------------------------------------------------------------

PASTED_PART = "xl/worksheets/sheet9.xml"
STRINGS_PART = "xl/sharedStrings.xml"
_WORKSHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_STRINGS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_SHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_STRINGS_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _streamed(name: str, pieces: Any) -> RawMember:
    """A member compressed as its pieces are made, never held inflated."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    crc = size = 0
    parts = []
    for data in pieces:
        crc = zlib.crc32(data, crc)
        size += len(data)
        parts.append(c.compress(data))
    parts.append(c.flush())
    return RawMember(name, b"".join(parts), size, crc)


def _pasted_rows(cells: int, columns: int, shared: bool) -> Any:
    yield SHEET_HEAD
    rows = -(-cells // columns)
    step = 5_000
    for start in range(1, rows + 1, step):
        out = []
        for r in range(start, min(start + step, rows + 1)):
            row = [f'<row r="{r}">']
            for c in range(min(columns, cells - (r - 1) * columns)):
                ref = f"{chr(65 + c)}{r}"
                n = (r - 1) * columns + c
                row.append(
                    f'<c r="{ref}" t="s"><v>{n}</v></c>'
                    if shared
                    else f'<c r="{ref}"><v>{n}</v></c>'
                )
            row.append("</row>")
            out.append("".join(row))
        yield "".join(out).encode()
    yield SHEET_TAIL


def _strings(count: int, width: int) -> Any:
    head = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    yield head.encode()
    step = 10_000
    for start in range(0, count, step):
        yield "".join(
            f"<si><t>{n:0{width}d}</t></si>" for n in range(start, min(start + step, count))
        ).encode()
    yield b"</sst>"


def pasted_sheet_members(
    owner: str = TP,
    *,
    name: str = "Pasted",
    cells: int = 999_990,
    columns: int = 10,
    shared: bool = True,
    string_width: int = 63,
) -> list[RawMember]:
    """The sample return with a sheet of `cells` filled cells added (a lead pasted a
    data extract into it): each cell a shared string of `string_width` characters (about
    80 bytes of shared strings a cell), or a number with `shared` False."""
    members = read_members(SAMPLES / f"{owner}.xlsx")
    members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(
        b"</sheets>", f'<sheet name="{name}" sheetId="9" r:id="rId99" /></sheets>'.encode()
    )
    rels = f'<Relationship Type="{_WORKSHEET_TYPE}" Target="/{PASTED_PART}" Id="rId99" />'
    if shared:
        rels += f'<Relationship Type="{_STRINGS_TYPE}" Target="/{STRINGS_PART}" Id="rId98" />'
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", rels.encode() + b"</Relationships>"
    )
    types = f'<Override PartName="/{PASTED_PART}" ContentType="{_SHEET_CONTENT}" />'
    if shared:
        types += f'<Override PartName="/{STRINGS_PART}" ContentType="{_STRINGS_CONTENT}" />'
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", types.encode() + b"</Types>"
    )
    out = [member(n, data) for n, data in members.items()]
    out.append(_streamed(PASTED_PART, _pasted_rows(cells, columns, shared)))
    if shared:
        out.append(_streamed(STRINGS_PART, _strings(cells, string_width)))
    return out
