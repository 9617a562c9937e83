"""What a sheet holds: cells and their values, and cell references."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, NamedTuple

from .errors import XlsxError


@dataclass(frozen=True)
class ErrorValue:
    """An Excel error value held in a cell: #DIV/0!, #REF!, #N/A, #VALUE!..."""

    text: str

    def __str__(self) -> str:
        return self.text


class Cell(NamedTuple):
    """One stored cell: its reference, value and, if it holds one, its formula.

    `value` is an int or float (numbers), str (text, formula text results, dates as
    ISO text), bool, `ErrorValue`, or None (a formula with no cached result). A tuple,
    so that the reader makes each at C speed: it makes one per stored cell.
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
    stopped: XlsxError | None = None
    merged: list[str] = field(default_factory=list)  # merged ranges, "G5:H5"
    # Cells beyond the reader's rows and columns: not part of the sheet's cells, but the
    # first few kept (and all counted), so a stray keystroke far away can be reported.
    beyond: list[Cell] = field(default_factory=list)
    beyond_count: int = 0

    _rows: dict[int, dict[int, Cell]] | None = field(default=None, repr=False, compare=False)
    _rows_of: int = field(default=-1, repr=False, compare=False)

    def rows(self) -> dict[int, dict[int, Cell]]:
        """Cells by row and column, both in order (made once; do not change it)."""
        if self._rows is not None and self._rows_of == len(self.cells):
            return self._rows
        items: Iterable[tuple[tuple[int, int], Cell]] = self.cells.items()
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

COLUMNS: dict[str, int] = {}  # letters -> column number, as met
_COLUMNS_MAX = 100_000
_REF_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})\Z")
DIGITS = "0123456789"


def col_index(letters: str) -> int:
    """``A`` -> 1, ``XFD`` -> 16384."""
    index = COLUMNS.get(letters)
    if index is None:
        index = 0
        for ch in letters.upper():
            if not "A" <= ch <= "Z":
                raise ValueError(f"'{letters}' is not a column")
            index = index * 26 + ord(ch) - 64
        if len(COLUMNS) >= _COLUMNS_MAX:
            COLUMNS.clear()
        COLUMNS[letters] = index
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


def split_ref(ref: str) -> tuple[int, int]:
    """``G12`` -> (12, 7): row, column."""
    letters = ref.rstrip(DIGITS)
    digits = ref[len(letters) :]
    col = COLUMNS.get(letters)
    if col is None or not digits:
        match = _REF_RE.match(ref)
        if not match:
            raise ValueError(f"'{ref}' is not a cell reference")
        return int(match.group(2)), col_index(match.group(1))
    return int(digits), col


# --- values -----------------------------------------------------------------------------

_ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape(text: str) -> str:
    """OOXML escapes control characters in strings as ``_xHHHH_``."""
    if "_x" not in text:
        return text
    return _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)


def parse_number(text: str) -> int | float:
    """A stored number: whole numbers as ints (exact beyond 2**53 when written as digits)."""
    if text.isdigit():
        return int(text)
    value = float(text)
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value
