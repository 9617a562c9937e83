"""The Instructions sheet: how to fill the return, and the sign-off block."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..catalogue import Catalogue, Owner
from ..form import INSTRUCTIONS_SHEET, SIGN_OFF_LABELS
from ..periods import FinancialYear
from .styles import PROTECT, TemplateStyles, form_words


def write_instructions(
    wb: Any, st: TemplateStyles, catalogue: Catalogue, year: FinancialYear, owner: Owner
) -> None:
    ws = wb.add_worksheet(INSTRUCTIONS_SHEET)
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 80)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.hide_gridlines(2)
    org = catalogue.organisation.name
    w = form_words(catalogue)
    ws.write_string(0, 0, f"{org}: {w['return']} for {owner.name}, {year}", st.title)
    row = 2
    for label, text in _instruction_lines(w, year, owner, _required_statuses(catalogue)):
        ws.write(row, 0, label, st.label)
        ws.write(row, 1, text, st.text)
        ws.set_row(row, max(40, 13.5 * (len(text) // 75 + 1)))  # wrapped in 80 columns
        row += 1
    _sign_off_block(ws, st, row + 1)
    ws.protect("", PROTECT)


def _required_statuses(catalogue: Catalogue) -> str:
    """The organisation's own rule, in words: " (for every indicator: when Red)"."""
    rule = catalogue.organisation.commentary.required_for
    labels = [
        style.label if (style := catalogue.organisation.statuses.get(status)) else str(status)
        for status in rule
    ]
    return f" (for most indicators: when {' or '.join(labels)})" if labels else ""


def _instruction_lines(
    w: dict[str, str], year: FinancialYear, owner: Owner, required: str
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
            "Commentary",
            f"On the Commentary sheet, in the column of the {w['period']} you report, say in "
            "a sentence or two what each figure shows and why: what changed, what is being "
            "done, when it will recover. The board reads these words beside the figure, as "
            "you write them; the figure's standing notes (its source and period) are added "
            "by the performance team. A comment is required where the sheet's 'Comment "
            f"required' column names the indicator's status{required}.",
        ),
        (
            "Changes",
            f"To correct an earlier {w['period']}, type the new figure over the old one and "
            f"say why on the Commentary sheet, in this {w['period']}'s column. The latest "
            "return wins.",
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


def _sign_off_block(ws: Any, st: TemplateStyles, row: int) -> None:
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
