"""The Commentary sheet: the owner's words on each indicator, a column per report month.

A row per indicator (found by its Key), a column per month (found by its ``YYYY-MM``
header), so a year's workbook keeps each month's words; the latest return's words for a
month are the ones used. Every comment is either taken or reported with why: a row whose
key is not the owner's indicator, words for a month after the return's, an Excel error
or a formula with no saved result. A comment longer than a cell of the master can hold is
taken whole and reported (`text-too-long`): `--json` keeps it all, the master its start.
"""

from __future__ import annotations

from ..catalogue import Catalogue
from ..form import COMMENTARY_FIXED_HEADERS, COMMENTARY_SHEET
from ..model import Source
from ..periods import Month
from ..xlsx import Cell, XlsxBook
from .cells import cell_text, error_shown, fit_words, formula_words, words_in
from .problems import clip
from .record import Comment, ReturnRecord
from .sheet import header_row, month_of_header
from .stray import form_columns, holds_something, outside_columns, report_stray


def read_commentary_sheet(catalogue: Catalogue, book: XlsxBook, ret: ReturnRecord) -> None:
    """Each month's comment on each of the owner's indicators into `ret.commentary`."""
    if book.sheet(COMMENTARY_SHEET) is None:
        return  # a return made from a version 1 template: its comments are on the Return sheet
    data = book.read_sheet(COMMENTARY_SHEET)
    header = header_row(data)
    if header is None:
        return
    rows = data.rows()
    key_col = next(
        (c for c, cell in rows[header].items() if cell_text(cell.value).casefold() == "key"), 1
    )
    months = {
        col: month
        for col, cell in rows[header].items()
        if (month := month_of_header(cell, book)) is not None
    }
    indicators = catalogue.indicator_map
    form = form_columns(rows[header], COMMENTARY_FIXED_HEADERS, lambda cell: cell.col in months)
    stray = outside_columns(rows, form)
    for row_no, cells in rows.items():
        if row_no <= header:
            continue
        key = cell_text(cells[key_col].value) if key_col in cells else ""
        said = [(months[col], cell) for col, cell in cells.items() if col in months]
        said = [(month, cell) for month, cell in said if holds_something(cell)]
        indicator = indicators.get(key)
        if not said:
            if indicator is None:  # a row of no indicator, with no words for a month
                stray += [c for col, c in cells.items() if col in form and holds_something(c)]
            continue
        if indicator is None or (ret.owner is not None and indicator.owner != ret.owner):
            _misplaced(ret, key, said[0][1], len(said), known=indicator is not None)
            continue
        for month, cell in said:
            _take(ret, key, month, cell, book)
    report_stray(ret, data, stray, rows[header])


def _take(ret: ReturnRecord, key: str, month: Month, cell: Cell, book: XlsxBook) -> None:
    def report(code: str, message: str) -> None:
        ret.add(code, message, cell=cell.ref, key=key, month=month, sheet=COMMENTARY_SHEET)

    if cell.no_cached_value:
        report(
            "formula-no-value",
            f"the comment is a formula (={clip(cell.formula or '')}) with no saved result: "
            "type the words instead",
        )
        return
    error = error_shown(cell)
    if error is not None:
        report(
            "excel-error",
            f"the comment cell shows the Excel error {error}, not words: it is not used; "
            "type the words instead",
        )
        return
    if month > ret.folder:
        report(
            "future-month",
            f"a comment for {month.label}, after {ret.folder.label}, is not used: "
            "send it in that month's return",
        )
        return
    text = words_in(cell, book)
    if cell.formula is not None:
        text, said = formula_words(cell, text)
        report("comment-formula", said)
    text, notes = fit_words(text, "comment")
    for code, message in notes:
        report(code, message)
    source = Source(ret.display, COMMENTARY_SHEET, cell.ref)
    ret.commentary[(key, month.index)] = Comment(text, source)


def _misplaced(ret: ReturnRecord, key: str, first: Cell, count: int, *, known: bool) -> None:
    """Comments on a row that is not one of this owner's indicators: reported, not used."""
    if known:
        ret.add(
            "wrong-owner",
            f"{key} is another owner's indicator: its {count} comment(s) here are not used; "
            "its owner should send them",
            cell=first.ref,
            key=key,
            sheet=COMMENTARY_SHEET,
        )
        return
    ret.add(
        "unknown-key",
        f"'{clip(key) or '(no key)'}' is not an indicator key of the catalogue: its {count} "
        "comment(s) are not used; check the key against the template",
        cell=first.ref,
        key=key or None,
        sheet=COMMENTARY_SHEET,
    )
