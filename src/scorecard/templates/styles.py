"""Every format, fill and setting the return templates use, defined once."""

from __future__ import annotations

from typing import Any

from ..catalogue import Catalogue

TEXT_ROW_HEIGHT = 120
TITLE_ROW = 0  # zero-based rows, as xlsxwriter counts
NOTE_ROW = 1
BAND_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4

WORKBOOK_OPTIONS = {
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
DUE_BORDER = "#C65911"  # the cells due in the month's return, in a template made for it


FORM_WORDS = {
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


def form_words(catalogue: Catalogue) -> dict[str, str]:
    """How the instructions name the organisation's reporting period."""
    return FORM_WORDS[catalogue.organisation.frequency]


class TemplateStyles:
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
        # Due in the month's return (a template made for one month): a thick border.
        due = {**cell, "border": 2, "border_color": DUE_BORDER}
        self.year_due = wb.add_format({**due, "bg_color": YEAR_FILL, "num_format": "#,##0.##"})
        self.history_due = wb.add_format(
            {**due, "bg_color": HISTORY_FILL, "num_format": "#,##0.##"}
        )
        self.text_due = wb.add_format({**due, "bg_color": YEAR_FILL, "text_wrap": True})
        self.history_text_due = wb.add_format({**due, "bg_color": HISTORY_FILL, "text_wrap": True})
        self.comment_input = wb.add_format({**cell, "bg_color": SIGN_FILL, "text_wrap": True})
        self.sign_input = wb.add_format({**cell, "bg_color": SIGN_FILL})
        self.sign_date = wb.add_format({**cell, "bg_color": SIGN_FILL, "num_format": "d mmm yyyy"})
        self.unused = wb.add_format({**base, "border": 1, "bg_color": UNUSED_FILL})


PROTECT = {
    "format_columns": True,
    "format_rows": True,
    "autofilter": True,
    "sort": True,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}
