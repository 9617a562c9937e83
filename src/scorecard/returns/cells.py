"""One month cell, judged by its measure's unit: the figure it holds, or why it cannot be used.

What each unit accepts comes from `scorecard.form.UNIT_RULES`, the table the template's
guidance is written from. A number typed as text ('12,345', '65.8%', '£1,200') is read
when it can only mean one thing, with an info note; n/a is taken with its reason.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from typing import Any

from ..catalogue import Measure
from ..form import MAX_CELL_TEXT, UNIT_RULES, UnitRule
from ..periods import Month
from ..textfit import direction_controls, plain_text, utf16_units
from ..xlsx import Cell, ErrorValue, XlsxBook, shown_text
from .problems import clip, show
from .record import Entry, Origin, ReturnRecord

# Excel keeps 15 significant digits: a figure this large is a typing or formula accident.
MAX_FIGURE = 1e15
TEXT_UNIT = "text"  # the unit whose figures are words, taken as typed
# Serial day numbers Excel can show as dates (to 9999-12-31).
MAX_SERIAL_DATE = 2958466
# n/a, then its reason: brackets are the reason's own unless they wrap the whole of it.
# What Excel shows for a formula that failed; text reading so is no one's words.
EXCEL_ERRORS = frozenset(
    (
        "#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
        "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#GETTING_DATA",
    )
)  # fmt: skip
# =HYPERLINK("address", "words"): the address when it is written in the formula.
HYPERLINK_RE = re.compile(r'^\s*(?:_xlfn\.)?HYPERLINK\s*\(\s*(?:"((?:[^"]|"")*)")?', re.I)
NA_RE = re.compile(r"^\s*n\s*/\s*a(?![a-z0-9])[\s:;,.\-\u2013\u2014]*(.*?)\s*$", re.I | re.S)
PLAIN_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$")
GROUPED_NUMBER_RE = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


def na_reason(text: str) -> str | None:
    """The reason given with an n/a ('' for none), or None when the text is not n/a:
    "n/a (survey not run)" -> "survey not run"; "n/a - lag (processing)" keeps its
    bracket."""
    na = NA_RE.match(text)
    if na is None:
        return None
    reason = na.group(1).strip()
    if reason.startswith("(") and reason.endswith(")") and _wrapped(reason):
        reason = reason[1:-1].strip()
    return reason


def _wrapped(text: str) -> bool:
    """Whether the bracket opening `text` is the one that closes it."""
    depth = 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return i == len(text) - 1
    return False


def cell_text(value: Any) -> str:
    """A cell's value as text: 12 for 12.0, '' for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def words_in(cell: Cell, book: XlsxBook) -> str:
    """The words a cell shows, as the lead saw them: text as typed (line breaks kept), a
    number or a date as its format shows it ("15 Jul 2008", not 39644)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float):
        return shown_text(value, book.number_format(cell.style), book.date1904)
    return str(value).strip()


def too_long(what: str, length: int) -> str:
    """The words of a `text-too-long` problem (`length` as Excel counts it)."""
    return (
        f"the {what} is {length:,} characters (as Excel counts them: an emoji is two), "
        f"more than a cell of the master can hold ({MAX_CELL_TEXT:,}): it is kept whole "
        "in --json, and the master shows its beginning and says it is cut"
    )


def fit_words(raw: str, what: str) -> tuple[str, list[tuple[str, str]]]:
    """Words as they can be shown (`textfit.plain_text`), and the notes, (code, message),
    on what was done: direction overrides removed, a text longer than a cell."""
    text = plain_text(raw)
    notes = []
    controls = direction_controls(raw)
    if controls:
        notes.append(
            (
                "direction-controls",
                f"the {what} held {', '.join(controls)}, which make(s) the words after it "
                "read in another order than typed ('gnp.exe' shown as 'exe.png'): removed",
            )
        )
    length = utf16_units(text)
    if length > MAX_CELL_TEXT:
        notes.append(("text-too-long", too_long(what, length)))
    return text, notes


def error_shown(cell: Cell) -> str | None:
    """The Excel error a cell shows (#N/A, #DIV/0!...), stored as one or as its text."""
    value = cell.value
    if isinstance(value, ErrorValue):
        return value.text
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        return value.strip().upper()
    return None


def formula_words(cell: Cell, shown: str) -> tuple[str, str]:
    """The words a formula cell gives (what it showed when saved; a link's address
    kept as text), and the note saying so."""
    formula = cell.formula or ""
    said = f"=({clip(formula, 60)})"
    link = HYPERLINK_RE.match(formula)
    if link is None:
        return shown, (
            f"the comment is a formula {said}: the words it showed when the file was saved "
            "are used; type the words themselves, so that they cannot change"
        )
    if link.group(1) is None:
        return shown, (
            f"the comment is a link {said} whose address is not written in it: only its "
            "words are used; type the address into the comment"
        )
    address = link.group(1).replace('""', '"')
    text = address if shown.strip() in ("", address) else f"{shown} ({address})"
    return text, (
        f"the comment is a link {said}: its words are used with its address as text, "
        "never as a link"
    )


def serial_date(serial: float, date1904: bool) -> date:
    """The day an Excel serial number stands for."""
    base = date(1904, 1, 1) if date1904 else date(1899, 12, 30)
    return base + timedelta(days=int(serial))


class _Judge:
    """One cell of a row being judged: what a rejection or a note is worded with."""

    __slots__ = ("cell", "key", "measure", "month", "origin", "ret", "rule")

    def __init__(
        self,
        cell: Cell,
        measure: Measure,
        ret: ReturnRecord,
        key: str,
        month: Month,
        origin: Origin,
    ) -> None:
        self.cell, self.measure, self.rule = cell, measure, UNIT_RULES[measure.unit]
        self.ret, self.key, self.month, self.origin = ret, key, month, origin

    def reject(self, code: str, message: str) -> Entry:
        ref = self.cell.ref
        self.ret.add(code, message, cell=ref, key=self.key, month=self.month)
        return Entry(None, ref, None, message, self.origin)

    def note(self, code: str, message: str) -> None:
        self.ret.add(code, message, cell=self.cell.ref, key=self.key, month=self.month)

    def take(self, value: float | str | None, not_available: str | None = None) -> Entry:
        return Entry(value, self.cell.ref, not_available, None, self.origin)


def interpret(
    cell: Cell,
    measure: Measure,
    book: XlsxBook,
    ret: ReturnRecord,
    key: str,
    month: Month,
    origin: Origin,
) -> Entry | None:
    """The figure a cell holds, or a rejected figure with the problem noted."""
    judge = _Judge(cell, measure, ret, key, month, origin)
    name = measure.name
    value = cell.value
    if cell.no_cached_value:
        return judge.reject(
            "formula-no-value",
            f"{name}: the formula ={cell.formula} has no saved result: open the file in "
            "Excel so it calculates, save it, and send it again (or type the figure)",
        )
    if isinstance(value, ErrorValue):
        return judge.reject(
            "excel-error",
            f"{name}: the cell shows the Excel error {value.text}: correct the formula or "
            "type the figure",
        )
    if isinstance(value, str):
        return _from_text(value, judge)
    if isinstance(value, bool):
        if measure.unit == TEXT_UNIT:
            return judge.take(str(value).upper())
        return judge.reject(
            "not-a-number",
            f"{name}: {str(value).upper()} is not a number: type {judge.rule.request}",
        )
    if isinstance(value, int | float):
        return _from_number(value, book, judge)
    # a date kept as text, or anything unforeseen
    return judge.reject("not-a-number", f"{name}: '{clip(str(value))}' is not a number")


def _from_text(value: str, judge: _Judge) -> Entry | None:
    """Text in a cell: n/a with its reason, a text figure, or a number typed as text."""
    name = judge.measure.name
    text = value.strip()
    if not text:
        return None
    reason = na_reason(text)
    if reason is not None:
        if not reason:
            judge.note(
                "na-without-reason",
                f"{name}: n/a given without a reason: add one, e.g. 'n/a - survey not run'",
            )
        return judge.take(None, reason or "n/a (no reason given)")
    if judge.measure.unit == TEXT_UNIT:
        text, notes = fit_words(text, "text answer")
        for code, message in notes:
            judge.note(code, message)
        return judge.take(text)
    number = number_from_text(text, judge.rule)
    if number is None:
        return judge.reject(
            "not-a-number",
            f"{name}: '{clip(text)}' is not a number: type {judge.rule.request}, or n/a "
            "and a reason",
        )
    judge.note(
        "number-as-text", f"{name}: '{clip(text)}' was typed as text: read as {show(number)}"
    )
    return _check_range(number, judge) or judge.take(number)


def _from_number(value: float, book: XlsxBook, judge: _Judge) -> Entry:
    """A number in a cell, as its format shows it: a date is not a figure, and 0.658
    formatted as a percentage is 65.8."""
    name, style = judge.measure.name, judge.cell.style
    if judge.measure.unit == TEXT_UNIT:
        return judge.take(words_in(judge.cell, book))
    if book.is_date_format(style) and math.isfinite(value) and 0 <= value < MAX_SERIAL_DATE:
        day = serial_date(value, book.date1904)
        return judge.reject(
            "not-a-number",
            f"{name}: {day.isoformat()} is a date, not a number: type {judge.rule.request}",
        )
    if judge.rule.percent and book.is_percent_format(style):
        shown = round(value * 100, 9)
        shown = int(shown) if float(shown).is_integer() else shown
        judge.note(
            "percent-as-fraction",
            f"{name}: {show(value)} is formatted as a percentage, so it is read as "
            f"{show(shown)} (type 65.8, not 65.8%)",
        )
        value = shown
    return _check_range(value, judge) or judge.take(value)


def _check_range(value: float, judge: _Judge) -> Entry | None:
    """The rejection of a number its unit does not allow, or None."""
    name, rule = judge.measure.name, judge.rule
    if not math.isfinite(value):
        return judge.reject("not-a-number", f"{name}: {value} is not a number")
    if abs(value) >= MAX_FIGURE:
        return judge.reject(
            "number-too-large",
            f"{name}: {show(value)} is too large to be a monthly figure (Excel keeps 15 "
            f"digits): check the cell and type {rule.request}",
        )
    if rule.at_least_zero and value < 0:
        if rule.whole:
            return judge.reject(
                "negative-count", f"{name}: {show(value)} is negative: a count is 0 or more"
            )
        return judge.reject(
            "negative-value", f"{name}: {show(value)} is negative: type {rule.request}"
        )
    if rule.whole and value != int(value):
        return judge.reject(
            "not-a-whole-number",
            f"{name}: {show(value)} is not a whole number: a count is a whole number",
        )
    if rule.at_most is not None and value > rule.at_most:
        return judge.reject(
            "percent-over-100",
            f"{name}: {show(value)} is over {show(rule.at_most)}: type the percentage from "
            f"0 to {show(rule.at_most)} (65.8 for 65.8%)",
        )
    return None


def number_from_text(text: str, rule: UnitRule) -> int | float | None:
    """A number typed as text, when it can only mean one thing; else None."""
    t = text.replace("\u00a0", " ").strip()
    if rule.percent and t.endswith("%"):
        t = t[:-1].rstrip()
    if rule.prefix and t.startswith(rule.prefix):
        t = t[len(rule.prefix) :].lstrip()
    if GROUPED_NUMBER_RE.match(t):
        t = t.replace(",", "")
    elif not PLAIN_NUMBER_RE.match(t):
        return None
    number = float(t)
    if number.is_integer() and "." not in t:
        return int(number)
    return number
