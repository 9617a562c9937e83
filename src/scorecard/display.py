"""Filling a catalogue's display templates: "{value:,.{decimals}f}", "£{value_m:.1f}m".

Pure, and imports nothing of scorecard's but its errors. `derive` fills a reading's
text with these; the workbook fills the report's headings and notes. A template may
name plain fields only (no attribute or index lookups), and one that cannot be filled
raises `DisplayError`, naming what it lacks.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import InputError

# What a reading prints when its derivation names no display template, by unit.
DEFAULT_DISPLAY: Mapping[str, str] = {
    "percent": "{value:.{decimals}f}%",
    "percent_points": "{value:.{decimals}f}% pts",
    "count": "{value:,.{decimals}f}",
    "rate": "{value:.{decimals}f}",
    "score": "{value:.{decimals}f}",
    "money": "£{value_m:.1f}m",
    "number": "{value:,.{decimals}f}",
    "text": "{value}",
}


class DisplayError(InputError, ValueError):
    """A catalogue display template cannot be filled (a ValueError too, as it always was)."""


class SafeFormatter(string.Formatter):
    """str.format limited to plain field names: no attribute or index lookups."""

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if not field_name.isidentifier():
            raise KeyError(field_name)
        return kwargs[field_name], field_name


_FORMATTER = SafeFormatter()


def format_display(template: str, fields: dict[str, Any]) -> str:
    """Fill a catalogue display template; a bad template names the field it lacks."""
    try:
        return _FORMATTER.vformat(template, (), fields)
    except (KeyError, IndexError, ValueError, TypeError) as exc:
        raise DisplayError(f"display '{template}' cannot be filled: {exc!r}") from None
