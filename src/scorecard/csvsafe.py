"""CSV that a spreadsheet cannot run: every CSV scorecard writes goes through here.

A spreadsheet opening a CSV runs a field that starts with ``=``, ``+``, ``-`` or ``@``
as a formula (and some strip a leading tab or carriage return first), so a lead's
comment such as ``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` would run on the reader's
machine: OWASP's "CSV injection". Such a field is written with a leading apostrophe,
which spreadsheets show as text; a plain number (``-7.8``, ``+3``) is left as it is.
Imports nothing of scorecard's.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A number as a spreadsheet reads it, and nothing else: sign, digits, one point, exponent.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutral(value: object) -> object:
    """`value` safe for a CSV field: text a spreadsheet would run as a formula gets a
    leading apostrophe; numbers, None and other text are returned as they are."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """Rows as CSV text, a header line first, every field made `neutral` (None as
    an empty field)."""
    buffer = io.StringIO()
    # CRLF (RFC 4180), so a field holding a carriage return or line feed is quoted.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutral(name) for name in header])
    for row in rows:
        writer.writerow(["" if v is None else neutral(v) for v in row])
    return buffer.getvalue()
