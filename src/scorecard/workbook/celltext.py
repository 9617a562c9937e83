"""Text fit for a cell: every string the workbook writes passes through `cell_text`."""

from __future__ import annotations

import re

from ..form import MAX_CELL_TEXT

# What a cut text ends with: the reader has reported it (`text-too-long`), and the JSON
# keeps it whole.
CUT_MARK = " […cut: the whole text is in the JSON output]"

_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def cell_text(text: object) -> str:
    """Text fit for a cell: lone surrogates replaced, at most Excel's 32,767 characters
    (a longer text is cut, and says so)."""
    value = str(text)
    if not value.isascii() and _SURROGATE_RE.search(value):
        value = value.encode("utf-8", "replace").decode("utf-8")
    if len(value) > MAX_CELL_TEXT:
        value = value[: MAX_CELL_TEXT - len(CUT_MARK)] + CUT_MARK
    return value
