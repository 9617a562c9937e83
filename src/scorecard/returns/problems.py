"""Making a return's problems, and how problem messages show what a cell held. The codes
and their levels are registered in `scorecard.codes`.
"""

from __future__ import annotations

from typing import Any

from ..codes import level_of
from ..errors import Level, Problem


def make_problem(
    code: str,
    message: str,
    *,
    file: str,
    sheet: str | None = None,
    cell: str | None = None,
    key: str | None = None,
    month: str | None = None,
    level: Level | None = None,
) -> Problem:
    """A problem of `code`, at the level the code has unless `level` is given."""
    return Problem(
        code,
        message,
        level=level or level_of(code),
        file=file,
        sheet=sheet,
        cell=cell,
        key=key,
        month=month,
    )


def show(value: Any) -> str:
    """A value as a message shows it: 12,345 and 65.8, not 12345.0."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.10g}" if abs(value) < 1e15 else repr(value)
    return str(value)


def clip(text: str, length: int = 40) -> str:
    """Text on one line, cut to `length` characters."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def possessive(name: str) -> str:
    """``crime's``, ``surveys'``: a name's possessive, as a message words it."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"
