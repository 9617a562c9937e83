"""The Return sheet: found by name or by its Key header, read row by row.

Figures are found by their row's Key and Measure and their column's ``YYYY-MM`` header,
never by position, so rows may be sorted, moved or inserted. A row that cannot be
matched to one of the owner's measures is rejected whole; each of its month cells is
then judged by `cells.interpret`, except a plain number in range, taken here.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..catalogue import Catalogue, Indicator, Measure
from ..form import (
    COMMENTARY_HEADER,
    COMMENTARY_SHEET,
    FIXED_HEADERS,
    INSTRUCTIONS_SHEET,
    KEY_HEADER,
    META_SHEET,
    RETURN_SHEET,
    UNIT_RULES,
)
from ..model import Source
from ..periods import Month
from ..xlsx import Cell, SheetData, XlsxBook, cell_ref, split_ref
from .cells import (
    MAX_FIGURE,
    MAX_SERIAL_DATE,
    TEXT_UNIT,
    cell_text,
    interpret,
    serial_date,
    words_in,
)
from .record import Comment, Entries, Entry, Origin, Pair, ReturnRecord, make_entries
from .stray import LOOK_CELLS, form_columns, holds_something, outside_columns, report_stray

MAX_HEADER_SCAN = 30
MONTH_NAMES = {
    name: i + 1
    for i, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
MONTH_TEXT_RE = re.compile(r"^([A-Za-z]{3})[a-z]*[\s\-/]+(\d{2}|\d{4})$")

Rows = dict[int, dict[int, Cell]]


# --- finding the sheet and its header -----------------------------------------------------


def find_return_sheet(book: XlsxBook, ret: ReturnRecord) -> SheetData | None:
    """The Return sheet, or a renamed one with the Key header (a warning); None if there
    is neither (the return cannot be used)."""
    if book.sheet(RETURN_SHEET) is not None:
        ret.sheet = RETURN_SHEET
        data = book.read_sheet(RETURN_SHEET)
        _check_whole(data, ret)
        return data
    for info in book.sheets:
        if info.name in (META_SHEET, INSTRUCTIONS_SHEET, COMMENTARY_SHEET):
            continue
        # A look first: a pasted extract is not read whole to learn it is not the form.
        data = book.read_sheet(info.name, max_cells=LOOK_CELLS)
        if header_row(data) is not None:
            if data.stopped is not None:
                data = book.read_sheet(info.name)
            ret.sheet = info.name
            ret.add(
                "sheet-renamed",
                f"no sheet named '{RETURN_SHEET}': read the figures from sheet '{info.name}', "
                f"which has the Key header; please keep the sheet name '{RETURN_SHEET}'",
                sheet=info.name,
            )
            _check_whole(data, ret)
            return data
    ret.add(
        "sheet-missing",
        f"no '{RETURN_SHEET}' sheet, and no sheet with a '{KEY_HEADER}' header "
        f"(sheets: {', '.join(book.sheet_names) or 'none'}): use the template",
    )
    ret.usable = False
    return None


def _check_whole(data: SheetData, ret: ReturnRecord) -> None:
    """A return sheet cut short at the reader's limits is not used at all."""
    if data.stopped is not None:
        ret.usable = False
        ret.add(
            data.stopped.code,
            f"{data.stopped.message}: none of its figures are used; send the return with "
            "only the template's rows and columns",
            sheet=data.name,
        )


def header_row(data: SheetData) -> int | None:
    """The row of the Key header, in the first `MAX_HEADER_SCAN` rows."""
    for row, cells in data.rows().items():
        if row > MAX_HEADER_SCAN:
            return None
        for cell in cells.values():
            if isinstance(cell.value, str) and cell.value.strip().casefold() == "key":
                return row
    return None


def month_of_header(cell: Cell, book: XlsxBook) -> Month | None:
    """The month a header cell names: 2008-07, 'Jul 2008', 'July-08', or a date."""
    value = cell.value
    if isinstance(value, str):
        text = value.strip()
        try:
            return Month.parse(text)
        except ValueError:
            pass
        match = MONTH_TEXT_RE.match(text)
        if match and match.group(1).lower() in MONTH_NAMES:
            year = int(match.group(2))
            year = year + 2000 if year < 100 else year
            return Month(year, MONTH_NAMES[match.group(1).lower()])
        return None
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and book.is_date_format(cell.style)
        and 0 < value < MAX_SERIAL_DATE
    ):
        day = serial_date(value, book.date1904)
        return Month(day.year, day.month)
    return None


class _Columns(NamedTuple):
    key: int
    measure: int
    commentary: int | None


def _header_columns(book: XlsxBook, rows: Rows, header: int, ret: ReturnRecord) -> _Columns | None:
    """The Key, Measure and Commentary columns; the month columns go in `ret.month_cols`.
    None (the return cannot be used) if a heading is missing."""
    key_col = measure_col = comment_col = None
    for col, cell in sorted(rows[header].items()):
        label = cell.value.strip().casefold() if isinstance(cell.value, str) else ""
        if label == "key" and key_col is None:
            key_col = col
        elif label == "measure" and measure_col is None:
            measure_col = col
        elif label == COMMENTARY_HEADER.casefold() and comment_col is None:
            comment_col = col
        else:
            month = month_of_header(cell, book)
            if month is None:
                continue
            if month in ret.month_cols:
                ret.add(
                    "duplicate-column",
                    f"{month.label} heads two columns; the one at {cell.ref} is ignored",
                    cell=cell.ref,
                    month=month,
                )
                continue
            ret.month_cols[month] = col
    if key_col is None or measure_col is None or not ret.month_cols:
        missing = [
            name
            for name, found in (("Measure", measure_col), ("month", ret.month_cols or None))
            if found is None
        ]
        ret.add(
            "header-missing",
            f"the header row {header} has no {' or '.join(missing)} heading: restore the "
            "template's headings",
            cell=f"A{header}",
        )
        ret.usable = False
        return None
    return _Columns(key_col, measure_col, comment_col)


# --- the rows -----------------------------------------------------------------------------


@dataclass
class _SheetContext:
    """What every row of a return sheet is read with."""

    book: XlsxBook
    origin: Origin  # shared by the sheet's entries
    month_cols: list[tuple[Month, int]]  # in month order
    columns: _Columns
    hidden: dict[tuple[int, int], str]  # month cells under a merge -> problem
    indicators: dict[str, Indicator]
    seen: dict[Pair, str]  # rows read so far -> the cell of their key
    columns_of_form: set[int]  # the header's columns: fixed headings and months
    stray: list[Cell]  # cells in rows that are no indicator's and hold no figure


def read_return_sheet(
    catalogue: Catalogue, book: XlsxBook, data: SheetData, ret: ReturnRecord
) -> None:
    """Every row's figures into `ret`, and every fault found as a problem."""
    header = header_row(data)
    if header is None:
        if data.stopped is None:  # else the sheet's size is the problem, already named
            ret.add(
                "header-missing",
                f"no '{KEY_HEADER}' header in the first {MAX_HEADER_SCAN} rows",
                sheet=data.name,
            )
        ret.usable = False
        return
    rows = data.rows()
    columns = _header_columns(book, rows, header, ret)
    if columns is None:
        return
    context = _SheetContext(
        book,
        Origin(ret.display, ret.sheet),
        sorted(ret.month_cols.items()),
        columns,
        merged_over_figures(data, header, rows, columns.key, ret),
        catalogue.indicator_map,
        {},
        form_columns(
            rows[header],
            (*FIXED_HEADERS, COMMENTARY_HEADER),
            lambda cell: month_of_header(cell, book) is not None,
        ),
        [],
    )
    for row_no, cells in rows.items():
        if row_no <= header:
            continue
        _read_row(ret, cells, row_no, context)
    if ret.usable:
        stray = outside_columns(rows, context.columns_of_form) + context.stray
        report_stray(ret, data, stray, rows[header])


def merged_over_figures(
    data: SheetData, header: int, rows: Rows, key_col: int, ret: ReturnRecord
) -> dict[tuple[int, int], str]:
    """Month cells hidden under a merge (all but its first cell): (row, col) -> problem.

    Merging keeps only the first cell's value, so the months under the rest of a merge
    cannot be read; each merge over figures is one problem.
    """
    hidden: dict[tuple[int, int], str] = {}
    month_cols = sorted(set(ret.month_cols.values()))
    data_rows = sorted(r for r in rows if r > header)
    for ref in data.merged:
        first, _, last = ref.partition(":")
        try:
            (r1, c1), (r2, c2) = split_ref(first), split_ref(last or first)
        except ValueError:
            continue
        # Only the data rows and month columns inside the range: a merge may be huge.
        in_rows = data_rows[bisect_left(data_rows, r1) : bisect_right(data_rows, r2)]
        in_cols = month_cols[bisect_left(month_cols, c1) : bisect_right(month_cols, c2)]
        covered = [(r, c) for r in in_rows for c in in_cols if (r, c) != (r1, c1)]
        if not covered:
            continue
        message = (
            f"cells {ref} are merged over monthly figures: only {first}'s value is kept, so "
            f"{len(covered)} figure(s) under the merge cannot be read; unmerge the cells "
            "and type each month's figure"
        )
        keys = {cell_text(rows[r][key_col].value) for r, _ in covered if key_col in rows[r]}
        first_month = next(m for m, c in ret.month_cols.items() if c == covered[0][1])
        ret.add(
            "merged-cells",
            message,
            cell=ref,
            key=keys.pop() if len(keys) == 1 else None,
            month=first_month,
        )
        for place in covered:
            hidden[place] = message
    return hidden


class _Row(NamedTuple):
    """A data row, as far as telling which measure it holds needs."""

    number: int
    key: str
    key_ref: str  # the key's cell, where a problem with the whole row points
    measure_name: str
    filled: list[tuple[Month, Cell]]  # its non-blank month cells
    cells: dict[int, Cell]  # all of them, by column


def _old_form_comment(ret: ReturnRecord, key: str, cell: Cell, context: _SheetContext) -> None:
    """A version 1 template's Commentary column: a row's words, for the return's month.

    An indicator with several measures may have a comment on each row: all are kept."""
    text = words_in(cell, context.book)
    if not text:
        return
    place = (key, ret.folder.index)
    before = ret.commentary.get(place)
    if before is not None:
        if text in before.text.split("\n"):
            return
        text = f"{before.text}\n{text}"
    source = before.source if before else Source(*context.origin, cell.ref)
    ret.commentary[place] = Comment(text, source)


def _read_row(
    ret: ReturnRecord, cells: dict[int, Cell], row_no: int, context: _SheetContext
) -> None:
    key_col, measure_col, comment_col = context.columns
    key_cell = cells.get(key_col)
    filled = []
    for month, col in context.month_cols:
        cell = cells.get(col)
        if cell is None:
            continue
        value = cell.value
        # not blank (inline: this runs for every month cell)
        if cell.formula is not None or (
            value is not None and (value.__class__ is not str or value.strip())
        ):
            filled.append((month, cell))
    if not ret.usable:
        ret.rejected += len(filled)  # the file-level problem says why
        return
    row = _Row(
        row_no,
        cell_text(key_cell.value) if key_cell else "",
        key_cell.ref if key_cell else f"A{row_no}",
        cell_text(cells[measure_col].value) if measure_col in cells else "",
        filled,
        cells,
    )
    measure = _row_measure(ret, row, context)
    if measure is None:
        return
    pair = (row.key, measure.name)
    context.seen[pair] = row.key_ref
    ret.rows[pair] = row_no
    if comment_col is not None and comment_col in cells:
        _old_form_comment(ret, row.key, cells[comment_col], context)
    series = ret.figures.setdefault(pair, {})
    if context.hidden:
        for month, col in context.month_cols:
            problem = context.hidden.get((row_no, col))
            if problem is not None and month <= ret.folder:
                series[month.index] = Entry(
                    None, cell_ref(row_no, col), None, problem, context.origin
                )
    future = _read_figures(ret, series, filled, measure, row.key, context)
    if future:
        ret.rejected += len(future)
        first_month, first_cell = future[0]
        ret.add(
            "future-month",
            f"{measure.name}: {len(future)} figure(s) for months after {ret.folder.label} "
            f"(from {first_month.label}) are ignored: send them in that month's return",
            cell=first_cell.ref,
            key=row.key,
            month=first_month,
        )


def _row_measure(ret: ReturnRecord, row: _Row, context: _SheetContext) -> Measure | None:
    """The owner's measure the row holds; None, with the row rejected, if there is none."""
    key, count = row.key, len(row.filled)

    def reject_row(code: str, message: str) -> None:
        ret.rejected += count
        ret.add(code, message, cell=row.key_ref, key=key or None)

    if not key:
        if row.filled:
            reject_row(
                "row-without-key",
                f"row {row.number} has {count} figure(s) but no key, so they cannot be "
                "matched to an indicator: ignored",
            )
        else:
            _stray_row(row, context)
        return None
    indicator = context.indicators.get(key)
    if indicator is None:
        if row.filled or row.measure_name:
            reject_row(
                "unknown-key",
                f"'{key}' is not an indicator key of the catalogue: its {count} "
                "figure(s) are ignored; check the key against the template",
            )
        else:
            _stray_row(row, context)
        return None
    measure = next((m for m in indicator.measures if m.name == row.measure_name), None)
    if measure is None:
        known = ", ".join(m.name for m in indicator.measures) or "none"
        reject_row(
            "unknown-measure",
            f"'{row.measure_name}' is not a measure of {key} (measures: {known}): its "
            f"{count} figure(s) are ignored",
        )
        return None
    if ret.owner is not None and indicator.owner != ret.owner:
        reject_row(
            "wrong-owner",
            f"{key} is returned by {indicator.owner}, not {ret.owner}: its {count} "
            f"figure(s) here are ignored; {indicator.owner} should send them",
        )
        return None
    first = context.seen.get((key, measure.name))
    if first is not None:
        reject_row(
            "duplicate-row",
            f"{key} {measure.name} appears twice (first at {first}): this row's "
            f"{count} figure(s) are ignored",
        )
        return None
    return measure


def _stray_row(row: _Row, context: _SheetContext) -> None:
    """A row that is no indicator's and holds no figure: what it holds is stray (the
    cells outside the form's columns are found with the rest of the sheet's)."""
    form = context.columns_of_form
    context.stray.extend(
        cell for col, cell in row.cells.items() if col in form and holds_something(cell)
    )


def _read_figures(
    ret: ReturnRecord,
    series: Entries,
    filled: list[tuple[Month, Cell]],
    measure: Measure,
    key: str,
    context: _SheetContext,
) -> list[tuple[Month, Cell]]:
    """A row's month cells into `series`; returns the cells after the return's month."""
    book, origin, hidden, folder = context.book, context.origin, context.hidden, ret.folder
    # The plain case, a number in range in a cell formatted as a number, is most of a
    # return: it is taken here; anything else is `interpret`'s to judge and word.
    rule = UNIT_RULES[measure.unit]
    plain = measure.unit != TEXT_UNIT
    percent, whole, at_least_zero = rule.percent, rule.whole, rule.at_least_zero
    at_most = MAX_FIGURE if rule.at_most is None else rule.at_most
    future: list[tuple[Month, Cell]] = []
    indexes: list[int] = []  # the entries, in month order, made at once at the end
    rows: list[tuple[Any, ...]] = []
    used = rejected = 0
    for month, cell in filled:
        if month > folder:
            future.append((month, cell))
            continue
        if hidden and (cell.row, cell.col) in hidden:
            rejected += 1  # a value stored under a merge: Excel would not show it
            continue
        value = cell.value
        kind = value.__class__
        if plain and (kind is int or kind is float) and cell.formula is None:
            is_percent, is_date = book.number_kinds(cell.style)
            if (
                not is_date
                and not (percent and is_percent)
                and -MAX_FIGURE < value < at_most
                and (value >= 0 or not at_least_zero)
                and (not whole or kind is int or value.is_integer())
            ):
                indexes.append(month.index)
                rows.append((value, cell.ref, None, None, origin))
                used += 1
                continue
        entry = interpret(cell, measure, book, ret, key, month, origin)
        if entry is None:
            continue
        indexes.append(month.index)
        rows.append(entry)
        if entry.problem:
            rejected += 1
        else:
            used += 1
    series.update(zip(indexes, make_entries(rows), strict=True))
    ret.used += used
    ret.rejected += rejected
    return future
