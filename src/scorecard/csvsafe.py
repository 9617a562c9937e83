"""Text fit for a CSV field that a spreadsheet will open: never read as a formula.

A spreadsheet takes a field starting with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a tab or carriage return) as a formula, so text from a return could run one on the
reader's machine (OWASP's "CSV injection"). Such a field gets a leading apostrophe,
which spreadsheets show as text; a plain number ("-3.5") is left as it is, so figures
stay figures. Pure; imports nothing of scorecard's.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(field: str) -> str:
    """`field` as a spreadsheet will show it, as text: an apostrophe before a field that
    would start a formula, unless the field is a plain number."""
    if field.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(field):
        return "'" + field
    return field
