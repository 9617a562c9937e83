"""The text a number shows under its number format: what a lead saw in a text cell."""

from __future__ import annotations

import pytest

from scorecard.xlsx import shown_text

JULY_15 = 39644  # 15 July 2008, in Excel's 1900 date system


@pytest.mark.parametrize(
    ("value", "code", "shown"),
    [
        (JULY_15, "d mmm yyyy", "15 Jul 2008"),
        (JULY_15, "dd/mm/yyyy", "15/07/2008"),
        (JULY_15, "mmmm yyyy", "July 2008"),
        (JULY_15, "d-mmm-yy", "15-Jul-08"),
        (JULY_15, "dddd d mmmm", "Tuesday 15 July"),
        (JULY_15 + 0.75, "yyyy-mm-dd hh:mm:ss", "2008-07-15 18:00:00"),
        (JULY_15 + 0.5, "h:mm AM/PM", "12:00 PM"),
        (JULY_15, '[$-809]d "of" mmmm', "15 of July"),
        (0.658, "0.0%", "65.8%"),
        (0.5, "0%", "50%"),
        (1234567.891, "#,##0.00", "1,234,567.89"),
        (42, "0", "42"),
        (3.5, '"£"#,##0.00', "£3.50"),
        (-5, "#,##0;(#,##0)", "(5)"),
        (2, '0.0 "pts"', "2.0 pts"),
        (12.5, "General", "12.5"),
        (1 / 3, "General", "0.3333333333"),
        (12.0, "@", "12"),
        (7, "0.00E+00", "7"),  # a format not rendered here: shown as General shows it
    ],
)
def test_a_number_reads_as_its_format_shows_it(value: float, code: str, shown: str) -> None:
    assert shown_text(value, code) == shown


def test_the_1904_date_system() -> None:
    assert shown_text(JULY_15 - 1462, "d mmm yyyy", date1904=True) == "15 Jul 2008"
