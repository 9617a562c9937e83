"""The return form's contract: what the template writer lays out and the reader expects.

Sheet names, the header row's texts, the sign-off labels, the hidden metadata's fields,
and one table of what each unit accepts. Both `templates` (which writes the form) and
`returns` (which reads it) take these from here, so reading never imports writing and a
change to the form is made once.
"""

from __future__ import annotations

from typing import NamedTuple

# 2: the month's commentary on a sheet of its own, a column per month (version 1 had one
# Commentary column on the Return sheet, which the reader still reads).
TEMPLATE_VERSION = "2"

RETURN_SHEET = "Return"
INSTRUCTIONS_SHEET = "Instructions"
META_SHEET = "_meta"
KEY_HEADER = "Key"
# "Due": which month's figure the row carries in each return (a survey a month behind),
# and, in a template made for a month, the months due in that month's return.
FIXED_HEADERS = ("Key", "Indicator", "Measure", "Measure label", "Unit", "Guidance", "Due")
COMMENTARY_HEADER = "Commentary"  # version 1: the Return sheet's column of comments
COMMENTARY_SHEET = "Commentary"  # the owner's words on each indicator, a column per month
COMMENTARY_FIXED_HEADERS = ("Key", "Indicator", "Comment required")
MAX_CELL_TEXT = 32_767  # Excel's limit on the text of one cell
SIGN_OFF_LABELS = ("Name", "Role", "Date")
META_MARKER = "scorecard return"
META_FIELDS = (
    "kind",
    "owner",
    "owner_name",
    "financial_year",
    "template_version",
    "catalogue_fingerprint",
    "first_month",
    "last_month",
)


class UnitRule(NamedTuple):
    """What a monthly figure of one unit may be, and how the form says so."""

    label: str  # the Unit column's words
    words: str  # what to type, in a sentence
    whole: bool = False  # a whole number
    at_least_zero: bool = False
    at_most: float | None = None
    percent: bool = False  # 65.8 for 65.8%: a cell formatted as percent is read x100
    prefix: str = ""  # a sign the lead may type before the number ("£")
    ask: str = ""  # what a problem asks the lead to type, where `words` is not it

    @property
    def request(self) -> str:
        """What a problem message asks the lead to type."""
        return self.ask or f"a number ({self.label})"


UNIT_RULES: dict[str, UnitRule] = {
    "count": UnitRule(
        "number (whole, 0 or more)",
        "a whole number, 0 or more",
        whole=True,
        at_least_zero=True,
        ask="a whole number, 0 or more",
    ),
    "percent": UnitRule(
        "% (0-100)",
        "a percentage from 0 to 100",
        at_least_zero=True,
        at_most=100,
        percent=True,
        ask="a percentage from 0 to 100",
    ),
    "percent_points": UnitRule("% points", "a number of percentage points", percent=True),
    "rate": UnitRule("rate", "a number, 0 or more", at_least_zero=True),
    "score": UnitRule("score", "a score, 0 or more", at_least_zero=True),
    "money": UnitRule(
        "£ (pounds)",
        "an amount in pounds, 0 or more",
        at_least_zero=True,
        prefix="£",
        ask="an amount in pounds",
    ),
    "number": UnitRule("number", "a number"),
    "text": UnitRule("text", "text"),
}
