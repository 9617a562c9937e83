"""The Commentary sheet: a row per indicator of the owner, a column per report month.

The lead's words on each month's figure, as the board will read them beside it. A year's
workbook keeps every month's words, so next month's return carries this month's as they
were sent; the reader takes each month's words from the latest return that has them.
"""

from __future__ import annotations

from typing import Any

from ..catalogue import Catalogue, Indicator, Owner
from ..form import COMMENTARY_FIXED_HEADERS, COMMENTARY_SHEET, MAX_CELL_TEXT
from ..model import RAG_STATUSES, Status
from ..periods import FinancialYear
from .styles import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    NOTE_ROW,
    PROTECT,
    TITLE_ROW,
    TemplateStyles,
    form_words,
)

COMMENT_WIDTH = 45
COMMENT_ROW_HEIGHT = 60


def write_commentary_sheet(
    wb: Any, st: TemplateStyles, catalogue: Catalogue, year: FinancialYear, owner: Owner
) -> None:
    """The owner's Commentary sheet for `year`."""
    ws = wb.add_worksheet(COMMENTARY_SHEET)
    indicators = [i for i in catalogue.indicators if i.owner == owner.key]
    months = catalogue.organisation.reporting_months(year.months)  # the year's report months
    w = form_words(catalogue)
    ws.write_string(TITLE_ROW, 0, f"{owner.name}: commentary for {year}", st.title)
    ws.write(NOTE_ROW, 0, commentary_note(w), st.note)
    for col, width in enumerate((14, 50, 18)):
        ws.set_column(col, col, width)
    first_month_col = len(COMMENTARY_FIXED_HEADERS)
    ws.set_column(first_month_col, first_month_col + len(months) - 1, COMMENT_WIDTH)
    for col, header in enumerate(COMMENTARY_FIXED_HEADERS):
        ws.write_string(HEADER_ROW, col, header, st.header)
    for i, month in enumerate(months):
        ws.write_string(HEADER_ROW, first_month_col + i, str(month), st.header)
    ws.set_row(HEADER_ROW, 30)
    for r, indicator in enumerate(indicators):
        row = FIRST_DATA_ROW + r
        _indicator_row(ws, st, row, indicator, catalogue, year)
        for i, _month in enumerate(months):
            ws.write_blank(row, first_month_col + i, None, st.comment_input)
        if months:
            ws.data_validation(
                row, first_month_col, row, first_month_col + len(months) - 1, _validation(w)
            )
        ws.set_row(row, COMMENT_ROW_HEIGHT)
    ws.freeze_panes(FIRST_DATA_ROW, first_month_col)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(HEADER_ROW)
    ws.repeat_columns(0, 1)
    ws.protect("", PROTECT)


def commentary_note(w: dict[str, str]) -> str:
    """What the sheet asks of the lead, in its note row."""
    return (
        f"In the column of the {w['period']} you report, say in a sentence or two what the "
        "figure shows and why: what changed, what is being done, when it will recover. "
        "The board reads these words beside the figure, as you write them. Where the "
        "'Comment required' column names a status, a comment is required when the "
        "indicator has it."
    )


def required_words(indicator: Indicator, catalogue: Catalogue, year: FinancialYear) -> str:
    """When a comment on the indicator is required in `year`, in the organisation's
    words: never a colour the row cannot have (no target that year, or words)."""
    org = catalogue.organisation
    rule = indicator.commentary or org.commentary
    rated = indicator.rated_in(year)
    labels = [
        _label(status, catalogue)
        for status in rule.required_for
        if rated or status not in RAG_STATUSES
    ]
    if not labels:
        return ""
    names = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
    return f"when {names}"


def _label(status: Status, catalogue: Catalogue) -> str:
    style = catalogue.organisation.statuses.get(status)
    return style.label if style is not None else str(status)


def _indicator_row(
    ws: Any,
    st: TemplateStyles,
    row: int,
    indicator: Indicator,
    catalogue: Catalogue,
    year: FinancialYear,
) -> None:
    title = f"{indicator.label}: {indicator.title}" if indicator.label else indicator.title
    ws.write_string(row, 0, indicator.key, st.key)
    ws.write_string(row, 1, title, st.fixed)
    ws.write_string(row, 2, required_words(indicator, catalogue, year), st.fixed)


def _validation(w: dict[str, str]) -> dict[str, Any]:
    return {
        "validate": "length",
        "criteria": "<=",
        "value": MAX_CELL_TEXT,
        "input_title": "Commentary",
        "input_message": f"Your words on this {w['period']}'s figure, as the board will read them."[
            :255
        ],
        "error_title": "Too long",
        "error_message": f"A cell holds at most {MAX_CELL_TEXT:,} characters.",
    }
