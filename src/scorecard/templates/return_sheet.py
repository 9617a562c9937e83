"""The Return sheet: one row per measure, one column per month, validated inputs."""

from __future__ import annotations

from typing import Any, NamedTuple

from xlsxwriter.utility import xl_rowcol_to_cell

from ..catalogue import Catalogue, Indicator, Measure, Owner, behind_words, owner_rows
from ..form import FIXED_HEADERS, MAX_CELL_TEXT, RETURN_SHEET, UNIT_RULES, UnitRule
from ..periods import FinancialYear, Month, describe_months
from .styles import (
    BAND_ROW,
    FIRST_DATA_ROW,
    HEADER_ROW,
    NOTE_ROW,
    PROTECT,
    TEXT_ROW_HEIGHT,
    TITLE_ROW,
    TemplateStyles,
    form_words,
)

_NA = 'LOWER(LEFT(TRIM({c}),3))="n/a"'


def _validation_formula(rule: UnitRule) -> str:
    """A custom validation formula over cell {c}: the unit's number test, or text "n/a"."""
    if rule.at_most is not None:
        test = f"AND({{c}}>=0,{{c}}<={rule.at_most:g})"
    elif rule.whole:
        test = "AND({c}>=0,{c}=INT({c}))"
    elif rule.at_least_zero:
        test = "{c}>=0"
    else:
        return "=OR(ISNUMBER({c})," + _NA + ")"
    return "=IF(ISNUMBER({c})," + test + "," + _NA + ")"


def write_return_sheet(
    wb: Any,
    st: TemplateStyles,
    catalogue: Catalogue,
    year: FinancialYear,
    owner: Owner,
    months: list[Month],
    needed: dict[tuple[str, str], set[Month]],
    due: Due | None = None,
) -> None:
    """The Return sheet; with `due` (a template made for one month's return), the
    cells due in that return are marked and each row's Due cell names its months."""
    ws = wb.add_worksheet(RETURN_SHEET)
    rows = owner_rows(catalogue, owner.key)
    first_month_col = len(FIXED_HEADERS)
    last_col = first_month_col + len(months) - 1
    ws.write_string(TITLE_ROW, 0, f"{owner.name}: return for {year}", st.title)
    w = form_words(catalogue)
    note = (
        _note(w, due)
        if rows
        else ("Nothing to return: none of this owner's indicators is collected by return yet.")
    )
    ws.write(NOTE_ROW, 0, note, st.note)
    widths = [
        max([14, *(len(ind.key) + 2 for ind, _ in rows)]),
        44,
        max([12, *(len(m.name) + 2 for _, m in rows)]),
        34,
        14,
        40,
        30,
    ]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.set_column(first_month_col, last_col, 9.5)
    _return_headings(ws, st, year, months, w)
    frequency = catalogue.organisation.frequency
    for r, (ind, measure) in enumerate(rows):
        row = FIRST_DATA_ROW + r
        pair = (ind.key, measure.name)
        now = None if due is None else due.months.get(pair, set())
        _return_row(ws, st, row, ind, measure, widths, _due_words(ind, frequency, due, now))
        wanted = needed.get(pair) or set(year.months)
        _month_inputs(ws, st, row, measure, year, months, wanted, now or set())
    last_row = FIRST_DATA_ROW + max(len(rows), 1) - 1
    ws.autofilter(HEADER_ROW, 0, last_row, last_col)
    ws.freeze_panes(FIRST_DATA_ROW, first_month_col)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_print_scale(75)
    ws.repeat_rows(BAND_ROW, HEADER_ROW)
    ws.repeat_columns(0, 1)
    ws.protect("", PROTECT)
    ws.activate()


def _note(w: dict[str, str], due: Due | None) -> str:
    """The line under the title: how to fill the form (for one month's return, if made
    for one)."""
    if due is not None:
        return (
            f"For the {due.month.label} return: fill the cells with an orange border, "
            f"the figures due this {w['period']} (the Due column names them); earlier "
            "shaded cells only where still blank. Type n/a and a reason if a figure is "
            "not available."
        )
    return (
        f"Fill the shaded cells: yellow for the {w['periods']} of the year, blue for earlier "
        f"{w['periods']} that {w['history']}. Type n/a and a reason if a figure is not "
        "available. The Due column says which month's figure each row carries."
    )


def _return_headings(
    ws: Any, st: TemplateStyles, year: FinancialYear, months: list[Month], w: dict[str, str]
) -> None:
    """The bands over the month columns and the header row the reader finds by its Key."""
    first_month_col = len(FIXED_HEADERS)
    history = [m for m in months if m < year.first]
    if history:
        _band(ws, first_month_col, len(history), f"Earlier {w['periods']}", st.band_history)
    _band(ws, first_month_col + len(history), len(months) - len(history), str(year), st.band_year)
    for col, header in enumerate(FIXED_HEADERS):
        ws.write_string(HEADER_ROW, col, header, st.header)
    for i, month in enumerate(months):
        ws.write_string(HEADER_ROW, first_month_col + i, str(month), st.header)
    ws.set_row(HEADER_ROW, 30)


class Due(NamedTuple):
    """A template made for one month's return: the months due in it, by row."""

    month: Month
    months: dict[tuple[str, str], set[Month]]


def _due_words(ind: Indicator, frequency: str, due: Due | None, now: set[Month] | None) -> str:
    """The Due cell: which month each return carries, and what is due in this one."""
    words = behind_words(ind, frequency)
    if due is None:
        return words[:1].upper() + words[1:]
    listed = describe_months(sorted(now)) if now else "nothing new"
    return f"In the {due.month.label} return: {listed} ({words})"


def _return_row(
    ws: Any,
    st: TemplateStyles,
    row: int,
    ind: Indicator,
    measure: Measure,
    widths: list[int],
    due_text: str,
) -> None:
    """A row's fixed columns (key, indicator, measure, label, unit, guidance, due) and
    height."""
    title = f"{ind.label}: {ind.title}" if ind.label else ind.title
    unit = UNIT_RULES[measure.unit].label
    ws.write_string(row, 0, ind.key, st.key)
    ws.write_string(row, 1, title, st.fixed)
    ws.write_string(row, 2, measure.name, st.key)
    ws.write_string(row, 3, measure.label, st.fixed)
    ws.write_string(row, 4, unit, st.fixed)
    ws.write_string(row, 5, measure.guidance, st.fixed)
    ws.write_string(row, 6, due_text, st.fixed)
    height = _height(
        [
            (title, widths[1]),
            (measure.label, widths[3]),
            (unit, widths[4]),
            (measure.guidance, widths[5]),
            (due_text, widths[6]),
        ]
    )
    # A text answer needs room to be read in its narrow month column.
    ws.set_row(row, max(height, TEXT_ROW_HEIGHT) if measure.unit == "text" else height)


def _month_inputs(
    ws: Any,
    st: TemplateStyles,
    row: int,
    measure: Measure,
    year: FinancialYear,
    months: list[Month],
    wanted: set[Month],
    due: set[Month],
) -> None:
    """A row's month cells: inputs, validated for the unit, where it needs them (those
    due in this return marked); else grey."""
    first_month_col = len(FIXED_HEADERS)
    inputs = []
    for i, month in enumerate(months):
        col = first_month_col + i
        if month in wanted or month in due:
            style = _input_style(st, measure, month < year.first, month in due)
            ws.write_blank(row, col, None, style)
            inputs.append(col)
        else:
            ws.write_blank(row, col, None, st.unused)
    for first, last in _runs(inputs):
        ws.data_validation(row, first, row, last, _validation(measure, row, first))


def _height(texts: list[tuple[str, float]]) -> float:
    """A row height that shows wrapped text: Excel does not grow rows written by code."""
    lines = max(max(1, -(-len(text) // max(int(width) - 2, 1))) for text, width in texts)
    return 13.5 * min(lines, 6)


def _band(ws: Any, col: int, width: int, text: str, fmt: Any) -> None:
    if width <= 0:
        return
    if width == 1:
        ws.write_string(BAND_ROW, col, text, fmt)
    else:
        ws.merge_range(BAND_ROW, col, BAND_ROW, col + width - 1, text, fmt)


def _input_style(st: TemplateStyles, measure: Measure, history: bool, due: bool) -> Any:
    if due:
        if measure.unit == "text":
            return st.history_text_due if history else st.text_due
        return st.history_due if history else st.year_due
    if measure.unit == "text":
        return st.history_text_input if history else st.text_input
    return st.history_input if history else st.year_input


def _runs(cols: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for col in cols:
        if runs and runs[-1][1] == col - 1:
            runs[-1] = (runs[-1][0], col)
        else:
            runs.append((col, col))
    return runs


def _validation(measure: Measure, row: int, col: int) -> dict[str, Any]:
    """The data validation for an input cell whose top-left cell is (row, col)."""
    what = measure.label or measure.name
    if measure.unit == "text":
        return {
            "validate": "length",
            "criteria": "<=",
            "value": MAX_CELL_TEXT,
            "input_title": "Text answer",
            "input_message": f"{what[:150]}: type the answer, or n/a and a reason."[:255],
            "error_title": "Too long",
            "error_message": f"A cell holds at most {MAX_CELL_TEXT:,} characters.",
        }
    rule = UNIT_RULES[measure.unit]
    formula, words = _validation_formula(rule), rule.words
    cell = xl_rowcol_to_cell(row, col)
    return {
        "validate": "custom",
        "value": formula.format(c=cell),
        "input_title": UNIT_RULES[measure.unit].label[:32],
        "input_message": f"{what[:120]}: {words}, or n/a and a reason (n/a - survey not run)."[
            :255
        ],
        "error_title": "Not accepted",
        "error_message": f"Type {words}, or n/a followed by the reason."[:255],
    }
