"""Build the departmental return workbooks from the catalogue: one per owner per year.

Each workbook has three sheets:

- **Instructions**: how to fill the return, what "n/a" means, and a sign-off block
  (name, role, date) in shaded input cells.
- **Return**: one row per measure the owner returns (Key, Indicator, Measure, Measure
  label, Unit, Guidance), one column per month headed ``YYYY-MM`` — first the earlier
  months the rolling figures need ("history", shaded blue), then the financial year's
  months (shaded yellow) — and a Commentary column. Only the cells the catalogue needs
  are inputs; the rest are grey and locked. Every input cell is unlocked, shaded and
  validated for its unit (a whole number >= 0 for counts, 0-100 for percentages, any
  number for money, rates and scores; "n/a" and a reason always allowed). The sheet is
  protected without a password.
- **_meta** (very hidden): owner, financial year, template version and the catalogue's
  fingerprint, so the reader recognises a return from another owner, another year or an
  older catalogue.

The reader (`scorecard.returns`) finds rows by key and months by header, never by position;
both take the form's layout from `scorecard.form`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from .catalogue import (
    Catalogue,
    Indicator,
    Measure,
    Owner,
    measure_months,
    owner_rows,
    template_months,
)
from .errors import OutputError
from .form import (
    COMMENTARY_HEADER,
    FIXED_HEADERS,
    INSTRUCTIONS_SHEET,
    META_FIELDS,
    META_MARKER,
    META_SHEET,
    RETURN_SHEET,
    SIGN_OFF_LABELS,
    TEMPLATE_VERSION,
    UNIT_RULES,
    UnitRule,
)
from .periods import FinancialYear, Month

TEXT_ROW_HEIGHT = 120
TITLE_ROW = 0  # zero-based rows, as xlsxwriter counts
NOTE_ROW = 1
BAND_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4

_WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,
}

YEAR_FILL = "#FFF2CC"  # the financial year's input cells
HISTORY_FILL = "#DDEBF7"  # earlier months the rolling figures need
SIGN_FILL = "#E2EFDA"  # sign-off and commentary inputs
UNUSED_FILL = "#D9D9D9"  # months this row does not need: locked
HEADER_FILL = "#1F4E79"

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


# --- writing ----------------------------------------------------------------------------

_WORDS = {
    "monthly": {
        "return": "monthly return",
        "period": "month",
        "periods": "months",
        "history": "the rolling 12-month figures need",
    },
    "quarterly": {
        "return": "quarterly return",
        "period": "quarter",
        "periods": "quarters",
        "history": "the figures are compared with",
    },
}


def _words(catalogue: Catalogue) -> dict[str, str]:
    """How the instructions name the organisation's reporting period."""
    return _WORDS[catalogue.organisation.frequency]


def write_templates(catalogue: Catalogue, year: FinancialYear, out_dir: Path) -> list[Path]:
    """Write one return workbook per owner, ``<owner-key>.xlsx``, into `out_dir`."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {out_dir}: {exc.strerror}") from None
    needed = measure_months(catalogue, year.months)
    paths = []
    for owner in catalogue.owners:
        path = out_dir / f"{owner.key}.xlsx"
        _write_one(catalogue, year, owner, needed, path)
        paths.append(path)
    return paths


def _write_one(
    catalogue: Catalogue,
    year: FinancialYear,
    owner: Owner,
    needed: dict[tuple[str, str], set[Month]],
    path: Path,
) -> None:
    workbook = xlsxwriter.Workbook(str(path), _WORKBOOK_OPTIONS)
    workbook.set_properties(
        {
            "title": f"{owner.name}: {_words(catalogue)['return']} {year}",
            "subject": f"{catalogue.organisation.name} performance scorecard",
            "author": "scorecard",
            "company": catalogue.organisation.name,
            "comments": f"template version {TEMPLATE_VERSION}",
            "created": datetime(year.start_year, year.start_month, 1),
        }
    )
    styles = _Styles(workbook)
    months = template_months(catalogue, year, owner.key)
    _instructions(workbook, styles, catalogue, year, owner)
    _return_sheet(workbook, styles, catalogue, year, owner, months, needed)
    _meta(workbook, catalogue, year, owner, months)
    try:
        workbook.close()
    except (OSError, xlsxwriter.exceptions.FileCreateError) as exc:
        raise OutputError(f"cannot write {path}: {exc}") from None


class _Styles:
    """Every format the templates use, defined once."""

    def __init__(self, wb: Any) -> None:
        base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
        self.title = wb.add_format({**base, "bold": True, "font_size": 14})
        self.heading = wb.add_format({**base, "bold": True, "font_size": 11})
        self.text = wb.add_format({**base, "text_wrap": True})
        self.note = wb.add_format({**base, "italic": True, "font_color": "#595959"})
        self.label = wb.add_format({**base, "bold": True, "align": "right"})
        self.header = wb.add_format(
            {
                **base,
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": HEADER_FILL,
                "border": 1,
                "text_wrap": True,
                "align": "center",
            }
        )
        self.band_history = wb.add_format(
            {**base, "bold": True, "bg_color": HISTORY_FILL, "border": 1, "align": "center"}
        )
        self.band_year = wb.add_format(
            {**base, "bold": True, "bg_color": YEAR_FILL, "border": 1, "align": "center"}
        )
        self.fixed = wb.add_format({**base, "text_wrap": True, "border": 1})
        self.key = wb.add_format({**base, "border": 1, "font_name": "Consolas"})
        cell = {**base, "border": 1, "locked": False}
        self.year_input = wb.add_format({**cell, "bg_color": YEAR_FILL, "num_format": "#,##0.##"})
        self.history_input = wb.add_format(
            {**cell, "bg_color": HISTORY_FILL, "num_format": "#,##0.##"}
        )
        self.text_input = wb.add_format({**cell, "bg_color": YEAR_FILL, "text_wrap": True})
        self.history_text_input = wb.add_format(
            {**cell, "bg_color": HISTORY_FILL, "text_wrap": True}
        )
        self.comment_input = wb.add_format({**cell, "bg_color": SIGN_FILL, "text_wrap": True})
        self.sign_input = wb.add_format({**cell, "bg_color": SIGN_FILL})
        self.sign_date = wb.add_format({**cell, "bg_color": SIGN_FILL, "num_format": "d mmm yyyy"})
        self.unused = wb.add_format({**base, "border": 1, "bg_color": UNUSED_FILL})


_PROTECT = {
    "format_columns": True,
    "format_rows": True,
    "autofilter": True,
    "sort": True,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}


def _instructions(
    wb: Any, st: _Styles, catalogue: Catalogue, year: FinancialYear, owner: Owner
) -> None:
    ws = wb.add_worksheet(INSTRUCTIONS_SHEET)
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 80)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.hide_gridlines(2)
    org = catalogue.organisation.name
    w = _words(catalogue)
    ws.write_string(0, 0, f"{org}: {w['return']} for {owner.name}, {year}", st.title)
    row = 2
    for label, text in _instruction_lines(w, year, owner):
        ws.write(row, 0, label, st.label)
        ws.write(row, 1, text, st.text)
        ws.set_row(row, 40)
        row += 1
    _sign_off_block(ws, st, row + 1)
    ws.protect("", _PROTECT)


def _instruction_lines(
    w: dict[str, str], year: FinancialYear, owner: Owner
) -> list[tuple[str, str]]:
    """The Instructions sheet's paragraphs: (label, text)."""
    return [
        (
            "What",
            f"Each {w['period']}, fill in the Return sheet with your figures for the "
            f"{w['period']} just ended, and any corrections to earlier {w['periods']}.",
        ),
        (
            "Where",
            f"Only the shaded cells can be changed. Yellow cells are the {w['periods']} of "
            f"{year}; blue cells are earlier {w['periods']} that {w['history']}; grey "
            f"cells are {w['periods']} this row does not need.",
        ),
        (
            "How",
            f"Type the figure for the {w['period']} itself, not a running total, unless "
            "the measure label says 'so far this year' or 'rolling': the scorecard works "
            "out totals, rates and averages. Counts are whole numbers; percentages are "
            "typed as the number (65.8 for 65.8%); money in pounds.",
        ),
        (
            "n/a",
            "If a figure is not available, type n/a followed by the reason, e.g. "
            f"'n/a - survey not run this {w['period']}'. A blank cell means the figure has "
            "not been sent, and the performance team will chase it.",
        ),
        (
            "Changes",
            f"To correct an earlier {w['period']}, type the new figure over the old one and "
            "say why in the Commentary column. The latest return wins.",
        ),
        (
            "Keep",
            "Do not rename sheets, change the Key, Measure or month headings, or copy "
            "rows between returns: rows are matched by their key, not their position.",
        ),
        (
            "Send",
            f"Save the file as {owner.key}.xlsx and send it to the performance team, "
            "who file it as returns/<YYYY-MM>/"
            f"{owner.key}.xlsx for the report month.",
        ),
    ]


def _sign_off_block(ws: Any, st: _Styles, row: int) -> None:
    """The sign-off heading and its name, role and date inputs, from `row` down."""
    ws.write(row, 0, "Sign-off", st.heading)
    ws.write(row, 1, "The person accountable for these figures confirms them.", st.note)
    row += 1
    for label in SIGN_OFF_LABELS:
        ws.write(row, 0, label, st.label)
        if label == "Date":
            ws.write_blank(row, 1, None, st.sign_date)
            ws.data_validation(
                row,
                1,
                row,
                1,
                {
                    "validate": "date",
                    "criteria": "between",
                    "minimum": datetime(2000, 1, 1),
                    "maximum": datetime(2100, 12, 31),
                    "input_title": "Date signed",
                    "input_message": "e.g. 12/08/2008",
                    "error_title": "Not a date",
                    "error_message": "Type the date you signed off.",
                },
            )
        else:
            ws.write_blank(row, 1, None, st.sign_input)
            ws.data_validation(
                row,
                1,
                row,
                1,
                {
                    "validate": "length",
                    "criteria": "<=",
                    "value": 200,
                    "input_title": label,
                    "input_message": f"Your {label.lower()}.",
                },
            )
        row += 1


def _return_sheet(
    wb: Any,
    st: _Styles,
    catalogue: Catalogue,
    year: FinancialYear,
    owner: Owner,
    months: list[Month],
    needed: dict[tuple[str, str], set[Month]],
) -> None:
    ws = wb.add_worksheet(RETURN_SHEET)
    rows = owner_rows(catalogue, owner.key)
    first_month_col = len(FIXED_HEADERS)
    comment_col = first_month_col + len(months)
    ws.write_string(TITLE_ROW, 0, f"{owner.name}: return for {year}", st.title)
    w = _words(catalogue)
    note = (
        f"Fill the shaded cells: yellow for the {w['periods']} of the year, blue for earlier "
        f"{w['periods']} that {w['history']}. Type n/a and a reason if a figure is not "
        "available."
    )
    if not rows:
        note = "Nothing to return: none of this owner's indicators is collected by return yet."
    ws.write(NOTE_ROW, 0, note, st.note)
    widths = [
        max([14, *(len(ind.key) + 2 for ind, _ in rows)]),
        44,
        max([12, *(len(m.name) + 2 for _, m in rows)]),
        34,
        14,
        40,
    ]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.set_column(first_month_col, comment_col - 1, 9.5)
    ws.set_column(comment_col, comment_col, 50)
    _return_headings(ws, st, year, months, w)
    for r, (ind, measure) in enumerate(rows):
        row = FIRST_DATA_ROW + r
        _return_row(ws, st, row, ind, measure, widths)
        wanted = needed.get((ind.key, measure.name)) or set(year.months)
        _month_inputs(ws, st, row, measure, year, months, wanted)
        ws.write_blank(row, comment_col, None, st.comment_input)
    last_row = FIRST_DATA_ROW + max(len(rows), 1) - 1
    ws.autofilter(HEADER_ROW, 0, last_row, comment_col)
    ws.freeze_panes(FIRST_DATA_ROW, first_month_col)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_print_scale(75)
    ws.repeat_rows(BAND_ROW, HEADER_ROW)
    ws.repeat_columns(0, 1)
    ws.protect("", _PROTECT)
    ws.activate()


def _return_headings(
    ws: Any, st: _Styles, year: FinancialYear, months: list[Month], w: dict[str, str]
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
    ws.write_string(HEADER_ROW, first_month_col + len(months), COMMENTARY_HEADER, st.header)
    ws.set_row(HEADER_ROW, 30)


def _return_row(
    ws: Any, st: _Styles, row: int, ind: Indicator, measure: Measure, widths: list[int]
) -> None:
    """A row's fixed columns (key, indicator, measure, label, unit, guidance) and height."""
    title = f"{ind.label}: {ind.title}" if ind.label else ind.title
    unit = UNIT_RULES[measure.unit].label
    ws.write_string(row, 0, ind.key, st.key)
    ws.write_string(row, 1, title, st.fixed)
    ws.write_string(row, 2, measure.name, st.key)
    ws.write_string(row, 3, measure.label, st.fixed)
    ws.write_string(row, 4, unit, st.fixed)
    ws.write_string(row, 5, measure.guidance, st.fixed)
    height = _height(
        [
            (title, widths[1]),
            (measure.label, widths[3]),
            (unit, widths[4]),
            (measure.guidance, widths[5]),
        ]
    )
    # A text answer needs room to be read in its narrow month column.
    ws.set_row(row, max(height, TEXT_ROW_HEIGHT) if measure.unit == "text" else height)


def _month_inputs(
    ws: Any,
    st: _Styles,
    row: int,
    measure: Measure,
    year: FinancialYear,
    months: list[Month],
    wanted: set[Month],
) -> None:
    """A row's month cells: inputs, validated for the unit, where it needs them; else grey."""
    first_month_col = len(FIXED_HEADERS)
    inputs = []
    for i, month in enumerate(months):
        col = first_month_col + i
        if month in wanted:
            ws.write_blank(row, col, None, _input_style(st, measure, month < year.first))
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


def _input_style(st: _Styles, measure: Measure, history: bool) -> Any:
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
            "value": 2000,
            "input_title": "Text answer",
            "input_message": f"{what[:150]}: type the answer, or n/a and a reason."[:255],
            "error_title": "Too long",
            "error_message": "Keep the answer under 2,000 characters.",
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


def _meta(
    wb: Any, catalogue: Catalogue, year: FinancialYear, owner: Owner, months: list[Month]
) -> None:
    ws = wb.add_worksheet(META_SHEET)
    values = {
        "kind": META_MARKER,
        "owner": owner.key,
        "owner_name": owner.name,
        "financial_year": str(year),
        "template_version": TEMPLATE_VERSION,
        "catalogue_fingerprint": catalogue.return_fingerprint(owner.key),
        "first_month": str(months[0]) if months else "",
        "last_month": str(months[-1]) if months else "",
    }
    for row, name in enumerate(META_FIELDS):
        ws.write_string(row, 0, name)
        ws.write_string(row, 1, values[name])
    ws.protect("", {})
    ws.very_hidden()
