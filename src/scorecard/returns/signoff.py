"""The sign-off date typed as text ("5/12/2026"), read as a date the organisation's way.

A date typed into a cell Excel did not take as a date stays text, and reads differently
in the UK (5 December) and the US (May 12). The catalogue says which comes first
(`organisation.date_order`, day first unless it says otherwise); the date is then kept
as a date (ISO, as a real date cell is), with a note saying how it was read. Text that is
no date, or a date the lead cannot have meant (before the return's month began, or after
the year it belongs to), is a warning, and is shown as typed.
"""

from __future__ import annotations

import re
from datetime import date

from ..errors import Level
from ..form import INSTRUCTIONS_SHEET
from .problems import clip
from .record import ReturnRecord

_NUMERIC = re.compile(r"^(\d{1,4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}  # fmt: skip
_DAY_NAME = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$", re.I)
_NAME_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$", re.I)


def read_sign_off_date(ret: ReturnRecord, day_first: bool = True) -> None:
    """The sign-off Date, where typed as text, read as a date (ISO) with an info note;
    a warning where it is no date or not one the lead can have meant."""
    typed = ret.sign_off.get("Date", "")
    if not typed or _is_iso(typed):
        return
    read = text_date(typed, day_first)
    order = "day first" if day_first else "month first"

    def note(level: Level, message: str) -> None:
        ret.add("sign-off-date", message, sheet=INSTRUCTIONS_SHEET, level=level)

    if read is None:
        note(
            Level.WARNING,
            f"the sign-off date '{clip(typed)}' is not a date: it is shown as typed; ask "
            "for the date the return was signed off, typed as a date (5/12/2026)",
        )
        return
    month = ret.folder
    earliest, latest = date(month.year, month.month, 1), date(month.year + 1, month.month, 28)
    if not earliest <= read <= latest:
        note(
            Level.WARNING,
            f"the sign-off date '{clip(typed)}', typed as text, reads as {read:%d %b %Y} "
            f"({order}, as the catalogue says), which cannot be the sign-off of the "
            f"{ret.folder.label} return: it is shown as typed; ask for the right date",
        )
        return
    ret.sign_off["Date"] = read.isoformat()
    note(
        Level.INFO,
        f"the sign-off date '{clip(typed)}' was typed as text: read as {read:%d %b %Y} "
        f"({order}, as the catalogue's date_order says)",
    )


def text_date(text: str, day_first: bool = True) -> date | None:
    """A date typed as text: 5/12/2026, 5.12.26, 2026-12-05, 5 Dec 2026, Dec 5, 2026;
    None if it is no date."""
    text = " ".join(text.split())
    found = _NUMERIC.match(text)
    if found:
        a, b, c = (int(part) for part in found.groups())
        if len(found.group(1)) == 4:
            year, month, day = a, b, c
        else:
            year = c + 2000 if len(found.group(3)) == 2 else c
            day, month = (a, b) if day_first else (b, a)
        return _date(year, month, day)
    named = _DAY_NAME.match(text)
    if named:
        month_number = _MONTHS.get(named.group(2).casefold())
        return _date(int(named.group(3)), month_number, int(named.group(1)))
    named = _NAME_DAY.match(text)
    if named:
        month_number = _MONTHS.get(named.group(1).casefold())
        return _date(int(named.group(3)), month_number, int(named.group(2)))
    return None


def _date(year: int, month: int | None, day: int) -> date | None:
    if month is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _is_iso(text: str) -> bool:
    """A date cell's date, as the reader keeps it (2008-08-12)."""
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10
