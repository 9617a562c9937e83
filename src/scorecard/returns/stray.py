"""Cells outside the form: a stray keystroke is reported, never a reason to refuse a return.

A form sheet's own area is the columns its header row names (the fixed headings and the
months) and, below the header, the rows of its indicators. A cell with something in it
anywhere else (a column with no heading of the form, a row that is no indicator's and
holds no figure, or far beyond the reader's rows and columns) is not used: each is
reported with its address and what it holds (`stray-cell`, a warning), so nothing typed
in a return is lost in silence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..xlsx import Cell, SheetData
from .cells import cell_text
from .problems import clip
from .record import ReturnRecord

STRAY_SHOWN = 10  # cells reported one by one; the rest are counted in one more line

Rows = dict[int, dict[int, Cell]]


def holds_something(cell: Cell) -> bool:
    """A cell with a value or a formula (a blank or all-spaces cell holds nothing)."""
    value = cell.value
    return cell.formula is not None or (
        value is not None and not (isinstance(value, str) and not value.strip())
    )


def form_columns(
    header: dict[int, Cell], fixed: Iterable[str], is_month: Callable[[Cell], bool]
) -> set[int]:
    """The header row's columns that belong to the form: a fixed heading or a month."""
    names = {name.casefold() for name in fixed}
    return {
        col
        for col, cell in header.items()
        if cell_text(cell.value).strip().casefold() in names or is_month(cell)
    }


def outside_columns(rows: Rows, columns: set[int]) -> list[Cell]:
    """Cells with something in them, in any row, in a column the form does not have."""
    return [
        cell
        for cells in rows.values()
        for col, cell in cells.items()
        if col not in columns and holds_something(cell)
    ]


def report_stray(
    ret: ReturnRecord, data: SheetData, stray: list[Cell], header: dict[int, Cell] | None = None
) -> None:
    """Each stray cell of the sheet, and those beyond the reader's limits, as a warning.

    A column the lead added with a heading of its own (`header`, the header row) is one
    warning for the column, naming its first cell and value."""
    shown = sorted(stray, key=lambda c: (c.row, c.col))
    headed = {} if header is None else header
    columns: dict[int, list[Cell]] = {}
    for cell in shown:
        if cell.col in headed:
            columns.setdefault(cell.col, []).append(cell)
    lines = [_column_line(headed[col], cells) for col, cells in columns.items()]
    singles = [c for c in shown if c.col not in columns]
    far = [c for c in data.beyond if holds_something(c)]
    listed = [*singles, *far]
    lines += [(c.ref, _cell_line(c)) for c in listed]
    total = len(lines) + max(0, data.beyond_count - len(data.beyond))
    for ref, message in lines[:STRAY_SHOWN]:
        ret.add("stray-cell", message, cell=ref, sheet=data.name)
    if total > STRAY_SHOWN:
        ret.add(
            "stray-cell",
            f"{total - STRAY_SHOWN:,} more cell(s) outside the form's rows and columns are "
            "not used",
            cell=listed[-1].ref if listed else None,
            sheet=data.name,
        )


def _cell_line(cell: Cell) -> str:
    return (
        f"{cell.ref} holds '{clip(_held(cell), 40)}', outside the form's rows and columns: "
        "not used; if it belongs to the return, type it in the form's cells (words on the "
        "Commentary sheet), else delete it"
    )


def _column_line(heading: Cell, cells: list[Cell]) -> tuple[str, str]:
    """A column the lead added: one line, at its first cell below the heading."""
    below = [c for c in cells if c.row != heading.row] or cells
    first = below[0]
    column = first.ref.rstrip("0123456789")
    return first.ref, (
        f"column {column}, headed '{clip(_held(heading), 40)}', is not one of the form's: "
        f"its {len(below)} cell(s) are not used (from {first.ref}: "
        f"'{clip(_held(first), 40)}'); put figures in the month columns and words on the "
        "Commentary sheet"
    )


def _held(cell: Cell) -> str:
    if cell.no_cached_value:
        return f"={cell.formula}"
    return cell_text(cell.value)
