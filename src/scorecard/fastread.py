"""The .xlsx reader of `xlsxread`, with python-calamine reading the cell values.

Same interface (`open_workbook`, a book with `sheets`, `sheet`, `read_sheet`, `iter_rows`,
`number_format`...), same `Cell` values, same refusals: `FastBook` is an `XlsxBook`, so a
file is opened and checked by xlsxread (not a zip, encrypted, legacy .xls, declared sizes
and compression ratios, DOCTYPEs) before anything is inflated, and only then is a sheet
handed to calamine. Calamine is about five times faster at turning a sheet's XML into
values, but on its own it is not honest enough for returns: an error cell comes back as
'' (so #DIV/0! would pass for a blank), whole numbers come back as floats, a formula
without a saved result is indistinguishable from a blank, and a sparse sheet with cells
at A1 and XFD1048576 makes it allocate the whole grid and can abort the process. So for
each sheet this reader:

1. reads the sheet's XML (its size already checked) and refuses a DOCTYPE, as xlsxread;
2. scans it with regular expressions (C speed, no Python per byte) for every cell's
   reference, style and type, its merged ranges and its <dimension>;
3. checks the limits (rows, columns, cells) and the density of the grid calamine will
   allocate, before calamine sees the sheet;
4. takes the values from calamine, and the cells calamine cannot tell honestly
   (error cells, formulas, ISO dates, numbers shown as dates, integers beyond 2**53) from
   xlsxread's own cell parser, so they come out exactly as xlsxread gives them;
5. turns whole numbers into ints, as xlsxread does.

Anything out of the ordinary (a namespace prefix, a cell or row without a reference,
attributes in an unusual order, text whose whitespace calamine would trim, a sheet past
a limit, a sheet calamine cannot parse) is read by xlsxread itself, so the result is
always xlsxread's result. `tests/unit/test_fastread.py` checks that both readers give
identical cells.

What it gains (benchmarks/README.md): about twice as fast as xlsxread on a dense sheet
of 100,000 cells or more; nothing on a return of a few hundred cells, where calamine's
own parse (~1 ms for a 28 KB sheet) and building a `Cell` per cell in Python cost what
xlsxread's whole read does.

python-calamine is optional: without it `open_workbook` returns xlsxread's reader.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from .xlsxread import (
    DEFAULT_LIMITS,
    Cell,
    Limits,
    SheetData,
    XlsxBook,
    XlsxError,
    _refuse_doctype,
    _SheetReader,
    col_index,
)
from .xlsxread import open_workbook as _open_xlsxread

try:  # optional: `pip install python-calamine`
    from python_calamine import CalamineWorkbook
except ImportError:  # pragma: no cover - exercised where calamine is not installed
    CalamineWorkbook = None

__all__ = ["AVAILABLE", "FastBook", "open_workbook"]

AVAILABLE = CalamineWorkbook is not None

# A cell's start tag as Excel, LibreOffice, openpyxl and xlsxwriter write it: the
# reference first, then the style, then the type. (The patterns run over the sheet's
# text, so the groups they return are the strings the cells keep.)
_CELL_RE = re.compile(r'<c r="(([A-Z]{1,3})([0-9]{1,7}))"(?: s="([0-9]{1,9})")?(?: t="(\w{1,9})")?')
_ANY_CELL_RE = re.compile(r"<c[\s>/]")
# A cell whose start tag has a style or type after some other attribute.
_ODD_CELL_RE = re.compile(r'<c r="[^"]*"(?: s="[^"]*")?+(?: t="[^"]*")?+[^>]*?\s[st]=')
_ROW_RE = re.compile(r"<row[\s>/]")
_ROW_REF_RE = re.compile(r'<row r="[0-9]')
_MERGE_RE = re.compile(r'<mergeCell ref="([^"&]*)"')
_ANY_MERGE_RE = re.compile(r"<mergeCell[\s>/]")
_DIMENSION_RE = re.compile(r'<dimension ref="([^"]*)"')
_PREFIX_RE = re.compile(r"<[A-Za-z_][\w.-]*:worksheet[\s>]")
# A formula cell: <f> comes first in a cell (the schema's order is f, v, is).
_FORMULA_CELL_RE = re.compile(r'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<f[\s>/]')
# Text a parser might trim or normalise differently: leading or trailing whitespace in
# a <t> that does not say xml:space="preserve".
_LOOSE_TEXT_RE = re.compile(r"<t>(?:\s|[^<]*\s</t>)")
_LOOSE_BYTES_RE = re.compile(rb"<t>(?:\s|[^<]*\s</t>)")
_BIG = 2**53
# Calamine allocates its grid densely from A1: a sheet whose grid would hold more than
# this many times its stored cells (plus a margin) is read by xlsxread, which streams.
_DENSITY = 4
_DENSITY_MARGIN = 50_000
# Sheets with more cells than this are streamed by xlsxread, which holds one row of XML
# at a time; the fast path holds the sheet's text and a tuple per cell.
_FAST_MAX_CELLS = 500_000


class _Fallback(Exception):
    """This sheet is for xlsxread: the fast path cannot vouch for it."""


class FastBook(XlsxBook):
    """An `XlsxBook` whose sheets are read by python-calamine, honestly."""

    def __init__(self, path: str | Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self._calamine: Any = None
        self._strings_trusted: bool | None = None
        # xlsxread opens and checks the file, and parses the workbook, its relationships,
        # shared strings and styles (so a damaged or crafted part is refused as it is).
        super().__init__(path, limits)

    def close(self) -> None:
        if self._calamine is not None:
            with contextlib.suppress(Exception):  # already closed
                self._calamine.close()
            self._calamine = None
        super().close()

    # sheets -----------------------------------------------------------------------------

    def read_sheet(self, name: str) -> SheetData:
        info = self.sheet(name)
        if info is None:
            raise XlsxError("sheet-missing", f"the workbook has no sheet '{name}'")
        try:
            return self._read_fast(name, info.part)
        except _Fallback:
            return super().read_sheet(name)

    def iter_rows(self, name: str, merged: list[str] | None = None) -> Iterator[list[Cell]]:
        info = self.sheet(name)
        if info is None:
            raise XlsxError("sheet-missing", f"the workbook has no sheet '{name}'")
        try:
            data = self._read_fast(name, info.part)
        except _Fallback:
            if merged is None:
                yield from super().iter_rows(name)
            else:
                yield from super().iter_rows(name, merged)
            return
        if merged is not None:
            merged.extend(data.merged)
        row: list[Cell] = []
        for cell in data.cells.values():
            if row and cell.row != row[-1].row:
                yield row
                row = []
            row.append(cell)
        if row:
            yield row

    # the fast path ----------------------------------------------------------------------

    def _sheet_text(self, part: str) -> str:
        with self._open(part) as stream:
            try:
                xml = stream.read()
            except Exception:  # damaged: xlsxread says how
                raise _Fallback from None
        _refuse_doctype(xml[:65536], part)
        if b"\r" in xml or b"_x" in xml:
            raise _Fallback  # line ends and _xHHHH_ escapes: xlsxread's reading of them
        try:
            return xml.decode("utf-8")
        except UnicodeDecodeError:
            raise _Fallback from None  # UTF-16, or damaged

    def _trust_strings(self) -> bool:
        """Whether calamine reads the shared strings exactly as xlsxread does."""
        if self._strings_trusted is None:
            part = self._shared_part
            if part is None or self._member(part) is None:
                self._strings_trusted = True
            else:
                with self._open(part) as stream:
                    xml = stream.read()
                self._strings_trusted = not (
                    b"\r" in xml or b"_x" in xml or (b"<t>" in xml and _LOOSE_BYTES_RE.search(xml))
                )
        return self._strings_trusted

    def _book(self) -> Any:
        if self._calamine is None:
            fp = self._zip.fp  # the file xlsxread checked, not whatever the path holds now
            if fp is None:
                raise _Fallback
            fp.seek(0)
            data = fp.read(self.limits.max_file_bytes + 1)
            if len(data) > self.limits.max_file_bytes:
                raise _Fallback
            try:
                self._calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
            except Exception:
                raise _Fallback from None
        return self._calamine

    def _read_fast(self, name: str, part: str) -> SheetData:
        if CalamineWorkbook is None:
            raise _Fallback
        text = self._sheet_text(part)
        limits = self.limits
        tags = text.count("<c ") + text.count("<c>") + text.count("<c/")
        if tags > min(_FAST_MAX_CELLS, getattr(limits, "max_cells", _FAST_MAX_CELLS)):
            raise _Fallback  # counted without building anything: xlsxread streams it
        found = _CELL_RE.findall(text)
        if (
            len(found) != len(_ANY_CELL_RE.findall(text))
            or _ODD_CELL_RE.search(text)
            or _PREFIX_RE.search(text, 0, 4096)
            or len(_ROW_RE.findall(text)) != len(_ROW_REF_RE.findall(text))
            or ("<t>" in text and _LOOSE_TEXT_RE.search(text))
        ):
            raise _Fallback
        merged = [ref[:32] for ref in _MERGE_RE.findall(text)]
        if len(merged) != len(_ANY_MERGE_RE.findall(text)):
            raise _Fallback
        if len(found) + len(merged) > getattr(limits, "max_cells", len(found) + len(merged)):
            raise _Fallback  # xlsxread stops at the limit and says so
        dimension = _DIMENSION_RE.search(text, 0, 4096)
        if dimension is not None:
            first, _, last = dimension.group(1).partition(":")
            rows_cols = [_split(ref) for ref in (first, last or first)]
            (top, left), (bottom, right) = rows_cols
            if (
                bottom > limits.max_rows
                or right > limits.max_cols
                or (bottom - top + 1) * (right - left + 1) > _DENSITY * len(found) + _DENSITY_MARGIN
            ):
                raise _Fallback  # refused (xlsxread's words for it), or too sparse
        data = SheetData(name)
        data.merged.extend(merged)
        if not found:
            return data
        # Every reference as numbers, and the grid's extent, before calamine sees it.
        refs, letters_seen, digits_seen, styles, kinds = zip(*found, strict=True)
        rows = list(map(int, digits_seen))
        cols = {letters: col_index(letters) for letters in set(letters_seen)}
        max_row, max_col = max(rows), max(cols.values())
        if max_row > limits.max_rows or max_col > limits.max_cols:
            raise _Fallback  # xlsxread delivers the rows before the limit, and says why
        if max_row * max_col > _DENSITY * len(refs) + _DENSITY_MARGIN:
            raise _Fallback  # sparse: calamine would allocate the whole grid
        try:
            grid = self._book().get_sheet_by_name(name).to_python(skip_empty_area=False)
        except _Fallback:
            raise
        except Exception:
            raise _Fallback from None
        formulas = set(_FORMULA_CELL_RE.findall(text)) if "<f" in text else ()
        strings_ok = None
        cells = data.cells
        slow: set[str] = set()  # cells for xlsxread's own cell parser
        height = len(grid)
        style_of = {"": 0}
        for ref, row, letters, style, kind in zip(
            refs, rows, letters_seen, styles, kinds, strict=True
        ):
            col = cols[letters]
            value: Any = ""
            if row <= height:
                line = grid[row - 1]
                if col <= len(line):
                    value = line[col - 1]
            if kind == "" or kind == "n":
                if value.__class__ is float:
                    if value.is_integer():
                        if -_BIG < value < _BIG:
                            value = int(value)
                        else:
                            slow.add(ref)  # xlsxread keeps "12345678901234567890" exact
                elif value == "":
                    value = None
                elif value.__class__ is not int:
                    slow.add(ref)  # a number calamine read as a date or a time
            elif kind == "s":
                if strings_ok is None:
                    strings_ok = self._trust_strings()
                    if not strings_ok:
                        raise _Fallback
                if value == "" or value.__class__ is not str:
                    slow.add(ref)  # an empty string, or no <v> at all
            elif kind == "str" or kind == "inlineStr":
                if value.__class__ is not str:
                    slow.add(ref)
            elif kind == "b":
                if value == "":
                    value = None
                elif value.__class__ is not bool:
                    slow.add(ref)
            else:  # errors ("e"), ISO dates ("d"), anything else
                slow.add(ref)
            if formulas and ref in formulas:
                slow.add(ref)
            number = style_of.get(style)
            if number is None:
                number = style_of[style] = int(style)
            cells[(row, col)] = Cell(ref, row, col, value, None, number)
        if len(cells) != len(refs):
            raise _Fallback  # a cell given twice: xlsxread keeps the last, in its place
        if slow:
            self._read_slow(name, text, slow, cells)
        return data

    def _read_slow(
        self, name: str, text: str, refs: set[str], cells: dict[tuple[int, int], Cell]
    ) -> None:
        """The cells calamine cannot tell honestly, read by xlsxread's own cell parser."""
        info = self.sheet(name)
        assert info is not None
        reader = _SheetReader(info, self.shared, self.limits)
        done = 0
        for element in _cell_elements(text, refs):
            try:
                el = ElementTree.fromstring(element)
            except ElementTree.ParseError:
                raise _Fallback from None
            ref = el.get("r", "")
            row, col = _key(ref)
            cells[(row, col)] = reader._cell(el, ref, row, col)
            done += 1
        if done != len(refs):
            raise _Fallback  # a reference given twice, or a cell the patterns missed


def _split(ref: str) -> tuple[int, int]:
    """A <dimension> corner as (row, column); anything odd is xlsxread's to judge."""
    ref = ref.replace("$", "")
    digits = ref[len(ref.rstrip("0123456789")) :]
    letters = ref[: len(ref) - len(digits)]
    if not digits or not letters or not (letters.isascii() and letters.isalpha()):
        raise _Fallback
    return int(digits), col_index(letters.upper())


def _key(ref: str) -> tuple[int, int]:
    letters = ref.rstrip("0123456789")
    return int(ref[len(letters) :]), col_index(letters)


_WHOLE_CELL_RE = re.compile(r'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*?(?:/>|>.*?</c>)', re.S)


def _cell_elements(text: str, wanted: set[str]) -> Iterator[str]:
    """The XML of each wanted cell, in document order."""
    left = set(wanted)
    if len(left) <= 8:
        for ref in sorted(left):
            pattern = re.compile(r'<c r="' + ref + r'"[^>]*?(?:/>|>.*?</c>)', re.S)
            match = pattern.search(text)
            if match:
                yield match.group(0)
        return
    for match in _WHOLE_CELL_RE.finditer(text):
        ref = match.group(1)
        if ref in left:
            left.discard(ref)
            yield match.group(0)
            if not left:
                return


def open_workbook(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> XlsxBook:
    """Open a workbook for reading (fast where python-calamine is installed).

    Raises `XlsxError` if it is refused, exactly as `xlsxread.open_workbook` does.
    """
    if CalamineWorkbook is None:
        return _open_xlsxread(path, limits)
    return FastBook(path, limits)
