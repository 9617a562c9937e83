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

from ..form import COMMENTARY_SHEET, INSTRUCTIONS_SHEET, RETURN_SHEET, SIGN_OFF_LABELS
from ..xlsx import Cell, SheetData, XlsxBook
from .cells import cell_text
from .problems import clip
from .record import ReturnRecord

STRAY_SHOWN = 10  # cells reported one by one; the rest are counted in one more line
FORM_SHEETS = (INSTRUCTIONS_SHEET, RETURN_SHEET, COMMENTARY_SHEET)

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


# --- sheets that are not the form's, and the form's other sheets --------------------------

# A sheet that is not one of the form's is looked at this far (its first cells), never
# read whole: a pasted extract of a million cells costs a look and a count, not a cell
# each. A copy of the Return form (a few thousand cells) fits in the look.
LOOK_CELLS = 20_000


def report_other_sheet(ret: ReturnRecord, book: XlsxBook, data: SheetData) -> None:
    """A sheet that is not one of the form's (a lead's added "Corrections"): its first
    cells with something in them are named, the rest counted; none is used. `data` is a
    bounded look at the sheet (`LOOK_CELLS` cells); a sheet larger than the look has the
    rest of its values counted in its XML, not read."""
    info = book.sheet(data.name)
    hidden = info is not None and info.state != "visible"
    held = sorted((c for c in data.cells.values() if holds_something(c)), key=_place)
    listed = held + [c for c in data.beyond if holds_something(c)]
    if data.stopped is None:
        total = len(listed) + max(0, data.beyond_count - len(data.beyond))
        about = ""
    else:
        total = max(len(listed), book.count_values(data.name))
        about = "about "
    what = f"{'hidden ' if hidden else ''}sheet '{data.name}'"
    why = (
        f": the sheet is not one of the return form's ({', '.join(FORM_SHEETS)}), so "
        "nothing on it is used; if it belongs to the return, type it in the form (figures "
        "on the Return sheet, words on the Commentary sheet), else delete the sheet"
    )
    for n, cell in enumerate(listed[:STRAY_SHOWN]):
        ret.add(
            "stray-cell",
            f"{cell.ref} on {what} holds '{clip(_held(cell), 40)}'"
            + (why if n == 0 else ": not used"),
            cell=cell.ref,
            sheet=data.name,
        )
    if total > STRAY_SHOWN:
        looked = " (counted, not read: too large to be part of a return)" if about else ""
        ret.add(
            "stray-cell",
            f"{about}{total - STRAY_SHOWN:,} more cell(s) with something in them on {what} "
            f"are not used{looked}",
            sheet=data.name,
        )


def _place(cell: Cell) -> tuple[int, int]:
    return cell.row, cell.col


def report_instructions_stray(ret: ReturnRecord, data: SheetData) -> None:
    """Cells with something in them outside the Instructions sheet's form (a note typed
    beside the instructions, "NB June assets revised to 260"): each named, not used.

    The form is what the template writes: the title in A1, the paragraphs' labels and
    texts in A:B from row 3, the sign-off heading and its rows down to the last label.
    Nothing is reported if the sheet has no sign-off labels (not the template's)."""
    labels = {label.casefold() for label in SIGN_OFF_LABELS}
    rows = data.rows()
    label_rows = [r for r, cells in rows.items() if _text(cells.get(1)).casefold() in labels]
    if not label_rows:
        return
    heading = next(
        (r for r, cells in rows.items() if _text(cells.get(1)).casefold() == "sign-off"), None
    )
    last = max(label_rows)
    blank = {(1, 2), (2, 1), (2, 2)}  # beside the title, and the row under it
    if heading is not None:
        blank |= {(heading - 1, 1), (heading - 1, 2)}  # the row before the sign-off
    stray = [
        cell
        for r, cells in rows.items()
        for c, cell in cells.items()
        if (r > last or c > 2 or (r, c) in blank) and holds_something(cell)
    ]
    if stray or data.beyond:
        report_stray(ret, data, stray)


def report_meta_stray(ret: ReturnRecord, data: SheetData) -> None:
    """Cells beyond the hidden _meta sheet's two columns (name, value): not used."""
    stray = [
        cell
        for cells in data.rows().values()
        for c, cell in cells.items()
        if c > 2 and holds_something(cell)
    ]
    if stray or data.beyond:
        report_stray(ret, data, stray)


def _text(cell: Cell | None) -> str:
    return cell.value.strip() if cell is not None and isinstance(cell.value, str) else ""
