"""Reading one sheet's cells: within the limits, honest about every value.

ElementTree's parser (expat underneath, each element built in C) reads the sheet: a part
of a few MB (every return) whole, then walked by the tree's own iterator; a larger one a
chunk at a time through the pull parser, each row cleared when it ends, so memory holds
about one chunk of it at a time. Both hand the same elements, in the same order, to one
reading of rows and cells (`SheetReader`): Python looks at each cell once, when its row
is read. A cell that holds nothing but a style (the template's grey months) is placed
and counted against the limits, but not kept: it holds no figure and no word. A cell
beyond the row or column limit is not part of the sheet read: the first few are kept
aside (`SheetData.beyond`) and all counted, so one stray keystroke at XFD1048576 is a
cell to report, not a reason to refuse the sheet. What bounds the memory is the count of
cells: reading stops at the first cell over the cell-count limit (`too-large`), the rows
before it delivered. The sheet's stated size (<dimension>) is not trusted for anything.

Values are honest: an error cell is an `ErrorValue` ("#DIV/0!"), never a blank; whole
numbers are ints (exact beyond 2**53 when stored as digits); a formula without a cached
result keeps its formula and no value (`Cell.no_cached_value`); every cell keeps its
reference ("G12") and its style index.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any
from xml.etree import ElementTree

from .cells import (
    COLUMNS,
    DIGITS,
    Cell,
    ErrorValue,
    SheetInfo,
    cell_ref,
    parse_number,
    split_ref,
    unescape,
)
from .errors import Limits, XlsxError
from .parts import item_text
from .safexml import CHUNK, INFLATE_ERRORS, ended_elements, refuse_doctype

# What each element means to the reader, by its local name (any namespace, as Excel's
# strict and transitional namespaces both occur). Kinds below _ROW are looked at only
# inside their row (or cell).
_CELL, _VALUE, _FORMULA, _INLINE, _OTHER, _ROW, _MERGE, _SHEET_DATA = range(8)
_LOCAL_KINDS = {
    "c": _CELL,
    "v": _VALUE,
    "f": _FORMULA,
    "is": _INLINE,
    "row": _ROW,
    "mergeCell": _MERGE,
    "sheetData": _SHEET_DATA,
}
_KINDS: dict[str, int] = {}  # full tag -> kind, as met
_REFS: dict[str, tuple[int, int]] = {}  # cell reference -> (row, column), as met
_STYLES: dict[str | None, int] = {None: 0}  # s="..." -> style index, as met
_MEMO_MAX = 200_000
_TEXT_TYPES = ("inlineStr", "str")
BEYOND_KEPT = 20  # cells beyond the limits kept aside to be reported, of any number met
_new_tuple: Any = tuple.__new__  # a Cell made at C speed, as `make_cell` makes it


def _kind(tag: str) -> int:
    kind = _KINDS.get(tag)
    if kind is None:
        if len(_KINDS) >= _MEMO_MAX:
            _KINDS.clear()
        kind = _KINDS[tag] = _LOCAL_KINDS.get(tag.rpartition("}")[2], _OTHER)
    return kind


class SheetReader:
    """Turns the end events of a worksheet's XML into rows of cells."""

    def __init__(
        self,
        info: SheetInfo,
        shared: Sequence[str],
        limits: Limits,
        merged: list[str],
        beyond: list[Cell] | None = None,
    ) -> None:
        self.info = info
        self.shared = shared
        self.limits = limits
        self.merged = merged
        self.beyond: list[Cell] = [] if beyond is None else beyond
        self.beyond_count = 0  # cells beyond the row or column limit, kept or not
        self.done: list[list[Cell]] = []  # rows completed, not yet delivered
        self.row: list[Cell] = []  # the row being read
        self.row_no = 0
        self.col = 0
        self.count = 0  # cells and merged ranges met so far

    def too_many(self) -> XlsxError:
        return XlsxError(
            "too-large",
            f"sheet '{self.info.name}' holds more than {self.limits.max_cells:,} cells, "
            "beyond the reader's limit; stopped reading it",
        )

    def damaged(self, what: str) -> XlsxError:
        return XlsxError("corrupt-workbook", f"the workbook is damaged: {what}")

    def take(self, elements: Iterable[Any]) -> list[list[Cell]]:
        """Process ended elements, in document order; return the rows completed so far."""
        kinds = _KINDS
        for el in elements:
            kind = kinds.get(el.tag)
            if kind is None:
                kind = _kind(el.tag)
            if kind < _ROW:
                continue  # cells are read when their row ends
            if kind == _ROW:
                self.read_row(el)
            elif kind == _MERGE:
                self.count += 1
                if self.count > self.limits.max_cells:
                    raise self.too_many()
                ref = el.get("ref", "")
                if ref:
                    self.merged.append(ref[:32])
                el.clear()
            elif kind == _SHEET_DATA:
                self.outside_rows(el)
        done, self.done = self.done, []
        return done

    def read_row(self, el: Any) -> None:
        """A row has ended: its cells, in order, each checked against the limits. Written
        out, with no call per cell; a cell's tag is known by identity once met."""
        row_no = self.row_no = self.row_number(el)
        kinds, refs, styles, shared = _KINDS, _REFS, _STYLES, self.shared
        limits = self.limits
        max_rows, max_cols, max_cells = limits.max_rows, limits.max_cols, limits.max_cells
        cells = self.row
        make = _new_tuple
        cell_tag = value_tag = None
        count = self.count
        col = 0
        for c in el:
            tag = c.tag
            if tag is not cell_tag:
                if _kind(tag) != _CELL:
                    continue
                cell_tag = tag  # the parser gives each name one string: compared by identity
            ref = c.get("r")
            if ref:
                key = refs.get(ref)
                row, col = key if key is not None else self.place(ref)
                if not row:  # row 0: no reference, as for a cell without one
                    row, ref = row_no, cell_ref(row_no, col)
            else:  # placed by its row and the cell before
                row, col = row_no, col + 1
                ref = cell_ref(row, col)
            outside = col > max_cols or row > max_rows  # read, then set aside
            count += 1
            if count > max_cells:
                self.count = count
                raise self.too_many()
            size = len(c)
            type_text = c.get("t")
            if not size and type_text is None:
                continue  # a cell that holds nothing but a style: nothing to read
            raw = formula = None
            if size == 1 and ((v := c[0]).tag is value_tag or kinds.get(v.tag) == _VALUE):
                raw = v.text  # the usual cell: one <v>
                value_tag = v.tag
            elif size:
                raw, formula = self.contents(c)
            style_text = c.get("s")
            style = styles.get(style_text)
            if style is None:
                style = _style(style_text)
            if raw is None:
                value: Any = "" if type_text in _TEXT_TYPES and formula is None else None
            elif type_text is None and raw.isdigit():
                value = int(raw)
            elif type_text == "s" and raw.isdigit() and int(raw) < len(shared):
                value = shared[int(raw)]
            else:
                value = self.value(type_text, raw, ref)
            if outside:
                self.set_aside(make(Cell, (ref, row, col, value, formula, style)))
                continue
            cells.append(make(Cell, (ref, row, col, value, formula, style)))
        self.end_row(el, count)

    def row_number(self, el: Any) -> int:
        """A row's number: its r="...", else the one after the row before."""
        number = el.get("r")
        if number and number.isascii() and number.isdigit():
            return int(number)
        return self.row_no + 1

    def set_aside(self, cell: Cell) -> None:
        """A cell beyond the row or column limit: counted, and kept if among the first."""
        self.beyond_count += 1
        if len(self.beyond) < BEYOND_KEPT:
            self.beyond.append(cell)

    def end_row(self, el: Any, count: int) -> None:
        """A row read: its cells delivered, its element let go, the count kept."""
        self.count = count
        if self.row:
            self.done.append(self.row)
            self.row = []
        el.clear()

    def outside_rows(self, el: Any) -> None:
        """Cells written straight in <sheetData>, not in a row: no Excel file has them."""
        for child in el:
            if _kind(child.tag) == _CELL:
                raise self.damaged(f"sheet '{self.info.name}' has a cell outside a row")

    def place(self, ref: str) -> tuple[int, int]:
        """A cell reference as (row, column); a reference that is not one is damage."""
        key = _REFS.get(ref)
        if key is None:
            letters = ref.rstrip(DIGITS)
            col = COLUMNS.get(letters)
            try:
                if col is None or len(letters) == len(ref):
                    key = split_ref(ref)
                else:
                    key = (int(ref[len(letters) :]), col)
            except ValueError:
                raise self.damaged(
                    f"sheet '{self.info.name}' has a cell reference '{ref[:20]}'"
                ) from None
            if len(_REFS) >= _MEMO_MAX:
                _REFS.clear()
            _REFS[ref] = key
        return key

    def contents(self, el: Any) -> tuple[str | None, str | None]:
        """A cell's stored value (its <v>, or an inline string's text) and formula."""
        raw: str | None = None
        formula: str | None = None
        kinds = _KINDS
        for child in el:
            kind = kinds.get(child.tag)
            if kind is None:
                kind = _kind(child.tag)
            if kind == _VALUE:
                raw = child.text
            elif kind == _FORMULA:
                formula = child.text or ""
            elif kind == _INLINE:
                raw = item_text(child)
        return raw, formula

    def value(self, kind: str | None, raw: str, ref: str) -> Any:
        """A stored value by the cell's type (t="...")."""
        if kind is None or kind == "n":
            try:
                return int(raw) if raw.isdigit() else parse_number(raw)
            except ValueError:
                raise self.damaged(
                    f"cell {self.info.name}!{ref} holds '{raw[:40]}' as a number"
                ) from None
        if kind == "s":
            try:
                index = int(raw)
                if index < 0:
                    raise IndexError(index)
                return self.shared[index]
            except (ValueError, IndexError):
                raise self.damaged(
                    f"cell {self.info.name}!{ref} points at shared string {raw[:20]}, "
                    "which does not exist"
                ) from None
        if kind == "str" or kind == "inlineStr":
            return unescape(raw)
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "e":
            return ErrorValue(raw.strip())
        return raw  # "d": an ISO 8601 date, kept as text


def _style(text: str | None) -> int:
    number = int(text) if text and text.isascii() and text.isdigit() else 0
    if len(_STYLES) >= _MEMO_MAX:
        _STYLES.clear()
        _STYLES[None] = 0
    _STYLES[text] = number
    return number


def iter_sheet_rows(stream: IO[bytes], reader: SheetReader) -> Iterator[list[Cell]]:
    """The sheet's stored cells, row by row, from the part's `stream`.

    Raises `XlsxError` ("too-large") on meeting a cell beyond the limits, after the rows
    before it; "corrupt-workbook" for XML that is not well-formed or damaged data.
    """
    with _sheet_faults(reader):
        try:
            for elements in ended_elements(stream, reader.info.part):
                yield from reader.take(elements)
        except XlsxError:
            yield from reader.done  # rows completed before the limit are still delivered
            raise
    if reader.row:
        yield reader.row


def sheet_rows_of(xml: bytes, reader: SheetReader) -> Iterator[list[Cell]]:
    """`iter_sheet_rows` for a part read whole (a few MB at most): the same reading of
    the same elements, in the same order, without the parser's queue of events."""
    with _sheet_faults(reader):
        refuse_doctype(xml[:CHUNK], reader.info.part)
        parser = ElementTree.XMLParser()
        parser.feed(xml)
        root = parser.close()
        try:
            # The tree's own iterator, in C. It meets a row before its cells, where the
            # stream meets it after them; either way a row is read whole, and rows and
            # merged ranges are met in the same order.
            rows = reader.take(root.iter())
        except XlsxError:
            yield from reader.done  # rows completed before the limit are still delivered
            raise
    yield from rows
    if reader.row:
        yield reader.row


@contextmanager
def _sheet_faults(reader: SheetReader) -> Iterator[None]:
    """Damage met while reading a sheet, as the `XlsxError` that names it."""
    name = reader.info.name
    try:
        yield
    except ElementTree.ParseError as exc:
        line, column = exc.position
        raise XlsxError(
            "corrupt-workbook",
            f"the workbook is damaged: sheet '{name}' is not well-formed XML "
            f"(line {line}, column {column}): open it in Excel and save it again",
        ) from None
    except INFLATE_ERRORS as exc:
        raise XlsxError(
            "corrupt-workbook", f"the workbook is damaged: cannot inflate sheet '{name}' ({exc})"
        ) from None
