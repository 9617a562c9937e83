"""An open workbook: its sheets, their cells on demand, and what their formats mean."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType

from .cells import Cell, SheetData, SheetInfo
from .errors import DEFAULT_LIMITS, Limits, XlsxError
from .parts import (
    NumberKinds,
    Package,
    format_kinds,
    read_number_formats,
    read_shared_strings,
    read_workbook,
)
from .preflight import open_archive
from .safexml import CHUNK, INFLATE_ERRORS, cannot_inflate
from .sheet import SheetReader, iter_sheet_rows, sheet_rows_of


class XlsxBook:
    """An open .xlsx workbook: its sheets, and their rows on demand.

    Opening checks the file (see `preflight`) and reads the workbook part, its
    relationships, the shared strings and the styles; a sheet is read when asked for.
    """

    def __init__(self, path: str | Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = Path(path)
        self.limits = limits
        # style index -> (is a percent format, is a date format): a return asks of every
        # figure, and a workbook has a few dozen styles.
        self._number_kinds: dict[int, NumberKinds] = {}
        archive = open_archive(self.path, limits)
        try:
            self._package = Package(archive)
            workbook = read_workbook(self._package)
            self.sheets: list[SheetInfo] = workbook.sheets
            self.date1904 = workbook.date1904
            self.shared: Sequence[str] = read_shared_strings(self._package, workbook.shared_strings)
            # number format code of each cell format (cellXfs)
            self.formats: list[str] = read_number_formats(self._package, workbook.styles)
        except BaseException:
            archive.close()
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
        self._package.archive.close()

    @property
    def has_macros(self) -> bool:
        """The workbook carries a VBA project (an .xlsm). The reader never runs it."""
        return any(name.endswith("vbaproject.bin") for name in self._package.names)

    # number formats ---------------------------------------------------------------------

    def number_format(self, style: int) -> str:
        """The number format code of a cell's style ("0.0%", "d mmm yyyy", "General")."""
        return self.formats[style] if 0 <= style < len(self.formats) else "General"

    def number_kinds(self, style: int) -> NumberKinds:
        """(is_percent, is_date): what the cell's number format shows its number as."""
        kinds = self._number_kinds.get(style)
        if kinds is None:
            kinds = self._number_kinds[style] = format_kinds(self.number_format(style))
        return kinds

    def is_percent_format(self, style: int) -> bool:
        return self.number_kinds(style).is_percent

    def is_date_format(self, style: int) -> bool:
        return self.number_kinds(style).is_date

    # sheets -----------------------------------------------------------------------------

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def sheet(self, name: str) -> SheetInfo | None:
        return next((s for s in self.sheets if s.name == name), None)

    def iter_rows(self, name: str, merged: list[str] | None = None) -> Iterator[list[Cell]]:
        """The sheet's stored cells, row by row (each row in column order).

        Raises `XlsxError` ("too-large") on meeting more cells than the limit; the rows
        before it have been yielded. Cells beyond the row and column limits are left
        out. The sheet's merged ranges are appended to `merged`.
        """
        yield from self._rows(self._reader(name, [] if merged is None else merged))

    def _reader(
        self,
        name: str,
        merged: list[str],
        beyond: list[Cell] | None = None,
        max_cells: int | None = None,
    ) -> SheetReader:
        info = self.sheet(name)
        if info is None:
            raise XlsxError("sheet-missing", f"the workbook has no sheet '{name}'")
        limits = self.limits
        if max_cells is not None and max_cells < limits.max_cells:
            limits = dataclasses.replace(limits, max_cells=max_cells)
        return SheetReader(info, self.shared, limits, merged, beyond)

    def _rows(self, reader: SheetReader) -> Iterator[list[Cell]]:
        info = reader.info
        xml = self._package.small(info.part)
        if xml is not None:
            yield from sheet_rows_of(xml, reader)
            return
        with self._package.open(info.part) as stream:
            yield from iter_sheet_rows(stream, reader)

    def read_sheet(self, name: str, max_cells: int | None = None) -> SheetData:
        """The whole sheet in memory; a sheet cut short keeps its first rows and says why.

        `max_cells`: a look at the sheet's start, stopped (as `too-large`) after that many
        cells, however many the limits allow."""
        data = SheetData(name)
        cells = data.cells
        reader = self._reader(name, data.merged, data.beyond, max_cells)
        try:
            for row in self._rows(reader):
                for cell in row:
                    cells[(cell.row, cell.col)] = cell
        except XlsxError as exc:
            if exc.code != "too-large":
                raise
            data.stopped = exc
        data.beyond_count = reader.beyond_count
        return data

    def count_values(self, name: str) -> int:
        """How many cells of the sheet store a value or a formula, counted in the XML as
        it inflates (a chunk at a time, no cell made): a bounded look at a sheet too
        large to read cell by cell. A cell with both a formula and its value counts as
        two; an empty string as one."""
        info = self.sheet(name)
        if info is None:
            raise XlsxError("sheet-missing", f"the workbook has no sheet '{name}'")
        count = 0
        tail = b""
        with self._package.open(info.part) as stream:
            try:
                while chunk := stream.read(CHUNK):
                    # Counted up to the last tag's start; a tag split between chunks
                    # is met whole with the next.
                    text = tail + chunk
                    cut = text.rfind(b"<")
                    if cut < 0 or len(text) - cut > _TAIL:
                        cut = len(text)
                    count += len(_STORED_RE.findall(text, 0, cut))
                    tail = text[cut:]
            except INFLATE_ERRORS as exc:
                raise cannot_inflate(info.part, exc) from None
        return count + len(_STORED_RE.findall(tail))


# A cell's stored value, inline string or formula ends with one of these closing tags
# (any namespace prefix): what `count_values` counts.
_STORED_RE = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:v|is|f)>")
_TAIL = 64  # longer than any closing tag counted


def open_workbook(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> XlsxBook:
    """Open a workbook for reading; raises `XlsxError` if it is refused."""
    return XlsxBook(path, limits)
