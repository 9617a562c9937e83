"""The text a number shows in Excel under its cell's number format.

Where a cell that should hold words (a comment, a narrative) holds a number, the lead saw
that number through its format: "15 Jul 2008" for 39644 formatted "d mmm yyyy", "65.8%"
for 0.658 formatted "0.0%". Those words are what the lead typed, so they are what is read.
The common formats are rendered here: dates and times, percentages, fixed decimals with
or without thousands separators; any other code shows the number as Excel's General does.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from ..periods import LONG_MONTH_NAMES

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DATE_TOKEN_RE = re.compile(
    r'"([^"]*)"|\\(.)|\[[^\]]*\]|(am/pm|a/p)|(y+|m+|d+|h+|s+)|(.)', re.IGNORECASE
)
_FIXED_RE = re.compile(r"^([^#0]*?)([#0,]*0(?:\.(0+))?)(%?)([^#0]*)$")
_LITERALS_RE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
# Serial day numbers Excel can show as dates (to 9999-12-31).
_MAX_SERIAL = 2958466


def general(value: float) -> str:
    """A number as Excel's General format shows it: whole numbers without a point, others
    to ten significant digits."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


def shown_text(value: float, code: str, date1904: bool = False) -> str:
    """The text Excel shows for `value` under the number format `code`."""
    sections = code.split(";")
    section = sections[0]
    if value < 0 and len(sections) > 1 and sections[1].strip():
        section, value = sections[1], -value
    bare = _LITERALS_RE.sub("", section).lower()
    if bare.strip() in ("", "general", "@"):
        return general(value)
    if any(ch in bare for ch in "dmyhs") and 0 <= value < _MAX_SERIAL:
        return _date_text(value, section, date1904)
    fixed = _FIXED_RE.match(section.strip())
    if fixed:
        before, digits, decimals, percent, after = fixed.groups()
        number = value * 100 if percent else value
        separator = "," if "," in digits else ""
        text = f"{number:{separator}.{len(decimals or '')}f}{percent}"
        return _literal(before) + text + _literal(after)
    return general(value)


def _literal(text: str) -> str:
    """The literal characters around a number's digits: quotes and escapes removed,
    [colour] and the padding and spacing codes (_x, *x) dropped."""
    text = re.sub(r"\[[^\]]*\]|_.|\*.", "", text)
    return re.sub(r'"([^"]*)"|\\(.)', lambda m: m.group(1) or m.group(2) or "", text)


def _date_text(serial: float, code: str, date1904: bool) -> str:
    base = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    moment = base + timedelta(days=serial)
    moment = moment.replace(microsecond=0) + timedelta(seconds=round(moment.microsecond / 1e6))
    tokens = list(_DATE_TOKEN_RE.finditer(code))
    twelve_hour = any(t.group(3) for t in tokens)
    out: list[str] = []
    for i, token in enumerate(tokens):
        quoted, escaped, ampm, part, other = token.groups()
        if quoted is not None:
            out.append(quoted)
        elif escaped is not None:
            out.append(escaped)
        elif ampm is not None:
            pm = moment.hour >= 12
            out.append(("PM" if pm else "AM") if len(ampm) > 3 else ("P" if pm else "A"))
        elif part is not None:
            out.append(_date_part(part.lower(), moment, twelve_hour, _is_minutes(tokens, i)))
        elif other is not None:
            out.append(other)
    return "".join(out)


def _is_minutes(tokens: list[re.Match[str]], i: int) -> bool:
    """Whether an "m" token means minutes: just after hours or just before seconds."""
    parts = [(j, t.group(4).lower()) for j, t in enumerate(tokens) if t.group(4)]
    place = next(k for k, (j, _) in enumerate(parts) if j == i)
    before = parts[place - 1][1] if place > 0 else ""
    after = parts[place + 1][1] if place + 1 < len(parts) else ""
    return before.startswith("h") or after.startswith("s")


def _date_part(part: str, moment: datetime, twelve_hour: bool, minutes: bool) -> str:
    kind, width = part[0], len(part)
    if kind == "y":
        return f"{moment.year % 100:02d}" if width <= 2 else f"{moment.year:04d}"
    if kind == "m" and minutes and width <= 2:
        return f"{moment.minute:0{width}d}"
    if kind == "m":
        if width >= 5:
            return LONG_MONTH_NAMES[moment.month - 1][0]
        if width == 4:
            return LONG_MONTH_NAMES[moment.month - 1]
        if width == 3:
            return LONG_MONTH_NAMES[moment.month - 1][:3]
        return f"{moment.month:0{width}d}"
    if kind == "d":
        if width >= 4:
            return _DAYS[moment.weekday()]
        if width == 3:
            return _DAYS[moment.weekday()][:3]
        return f"{moment.day:0{width}d}"
    if kind == "h":
        hour = (moment.hour % 12 or 12) if twelve_hour else moment.hour
        return f"{hour:0{min(width, 2)}d}"
    return f"{moment.second:0{min(width, 2)}d}"
