"""Text fit for a cell: every string the workbook writes passes through `cell_text`."""

from __future__ import annotations

import re

MAX_CELL_TEXT = 32_767  # Excel's limit on the characters of one cell

_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def cell_text(text: object) -> str:
    """Text fit for a cell: lone surrogates replaced, at most Excel's 32,767 characters."""
    value = str(text)
    if not value.isascii() and _SURROGATE_RE.search(value):
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value[:MAX_CELL_TEXT]
