"""Text fit for a cell: every string the workbook writes passes through `cell_text`."""

from __future__ import annotations

import re

from ..form import MAX_CELL_TEXT
from ..textfit import cut_to_units, plain_text, utf16_units

# What a cut text ends with: the reader has reported it (`text-too-long`), and the JSON
# keeps it whole.
CUT_MARK = " […cut: the whole text is in the JSON output]"

# What a text cut to the tallest row of an objective sheet ends with: the Data sheet of
# the master has it whole (as far as a cell holds), and the JSON output all of it.
OVERFLOW_MARK = " […continued in the master's Data sheet]"

_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def cell_text(text: object) -> str:
    """Text fit for a cell: lone surrogates replaced, control characters and direction
    overrides removed (line breaks kept), at most Excel's 32,767 characters counted as
    it counts them, in UTF-16 units (a longer text is cut, and says so)."""
    value = str(text)
    if not value.isascii() and _SURROGATE_RE.search(value):
        value = value.encode("utf-8", "replace").decode("utf-8")
    return cut_to_units(plain_text(value), MAX_CELL_TEXT, CUT_MARK)


def text_units(text: str) -> int:
    """A text's length as a cell counts it (UTF-16 units)."""
    return utf16_units(text)
