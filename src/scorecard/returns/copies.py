"""A second sheet that carries the return form: a lead's edited copy is never ignored.

A lead copies the Return sheet ("Return (2)"), corrects a figure on the copy and sends
the workbook. The reader reads one sheet (the one named Return, else the first with the
Key header); any other sheet with the form's Key header and rows of the owner's keys is a
problem naming both sheets and which was read (`sheet-copy`), and each of its figures
that differs from the read sheet's is reported (`copy-differs`), so the lead can say
which is right. The copy's own faults are not reported: it is not read for figures. A
sheet that is neither (a lead's "Corrections") has what it holds reported, cell by cell
from a bounded look, and none of it used.
"""

from __future__ import annotations

from ..catalogue import Catalogue
from ..errors import Level
from ..form import COMMENTARY_SHEET, INSTRUCTIONS_SHEET, META_SHEET
from ..periods import Month
from ..xlsx import SheetData, XlsxBook
from .record import Entry, ReturnRecord
from .sheet import header_row, read_return_sheet
from .stray import LOOK_CELLS, report_other_sheet

DIFFERENCES_SHOWN = 10  # differing figures reported one by one; the rest are counted
NOT_FORM_SHEETS = (META_SHEET, INSTRUCTIONS_SHEET, COMMENTARY_SHEET)


def check_copies(catalogue: Catalogue, book: XlsxBook, ret: ReturnRecord) -> None:
    """Every other sheet with the form's header and keys, compared with the one read;
    any other sheet's contents reported (`report_other_sheet`), from a bounded look."""
    for info in book.sheets:
        if info.name in NOT_FORM_SHEETS or info.name == ret.sheet:
            continue
        data = book.read_sheet(info.name, max_cells=LOOK_CELLS)
        if data.stopped is None and header_row(data) is not None:
            copy = ReturnRecord(ret.path, ret.display, ret.folder, owner=ret.owner, sheet=data.name)
            read_return_sheet(catalogue, book, data, copy)
            if copy.rows:  # the form, with at least one row of the owner's indicators
                _report_copy(ret, copy, data)
                continue
        report_other_sheet(ret, book, data)


def _report_copy(ret: ReturnRecord, copy: ReturnRecord, data: SheetData) -> None:
    differences = _differences(ret, copy)
    read, other = ret.sheet, data.name
    if differences:
        said = f"{len(differences)} figure(s) on it differ from those on '{read}' (listed below)"
    else:
        said = f"its figures are the same as those on '{read}'"
    ret.add(
        "sheet-copy",
        f"two sheets carry the return form: '{read}' was read and '{other}' was not; "
        f"{said}; keep one sheet named '{read}' with the right figures, delete the other, "
        "and send the return again",
        sheet=other,
        level=Level.ERROR if differences else Level.WARNING,
    )
    for key, measure, month, mine, theirs in differences[:DIFFERENCES_SHOWN]:
        ret.add(
            "copy-differs",
            f"{key} {measure}, {month.label}: {_says(mine)} on '{read}' "
            f"({_cell(mine)}, used), {_says(theirs)} on '{other}' ({_cell(theirs)}, not used)",
            cell=theirs.cell if theirs else None,
            key=key,
            month=month,
            sheet=other,
        )
    if len(differences) > DIFFERENCES_SHOWN:
        ret.add(
            "copy-differs",
            f"{len(differences) - DIFFERENCES_SHOWN:,} more figure(s) on '{other}' differ "
            f"from those on '{read}'",
            sheet=other,
        )


Difference = tuple[str, str, Month, Entry | None, Entry | None]


def _differences(ret: ReturnRecord, copy: ReturnRecord) -> list[Difference]:
    """(key, measure, month, read sheet's entry, copy's entry) where the two disagree."""
    found: list[Difference] = []
    for pair in sorted(set(ret.figures) | set(copy.figures)):
        mine, theirs = ret.figures.get(pair, {}), copy.figures.get(pair, {})
        for index in sorted(set(mine) | set(theirs)):
            a, b = mine.get(index), theirs.get(index)
            if _said(a) != _said(b):
                found.append((*pair, Month.from_index(index), a, b))
    return found


def _said(entry: Entry | None) -> tuple[object, ...]:
    if entry is None:
        return ()
    return (entry.value, entry.not_available, entry.problem is not None)


def _says(entry: Entry | None) -> str:
    return "blank" if entry is None else entry.describe()


def _cell(entry: Entry | None) -> str:
    return "no cell" if entry is None else entry.cell
