"""Errors that stop a run, and problems that are collected and reported together.

An exception is for what stops the run (no catalogue, no writable output). A fault in
the data is a `Problem`: a value with a stable code, a level and the place it was found,
so that every fault is reported at once and nothing stops at the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ScorecardError(Exception):
    """Root of every error scorecard raises on purpose."""


class InputError(ScorecardError):
    """An input (catalogue, option, return) cannot be used at all."""


class OutputError(ScorecardError):
    """The output cannot be written."""


class CatalogueError(InputError):
    """The catalogue is unreadable or invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0].format() if problems else "invalid catalogue"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Problem:
    """One fault found in an input, with where it was found.

    `format()` gives the one-line message the performance team reads:
    ``file: sheet!cell: [code] message (key, month)``.
    """

    code: str
    message: str
    level: Level = Level.ERROR
    file: str | None = None
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None
    key: str | None = None
    month: str | None = None
    comment: str | None = None  # the lead's words that explain it (a revision's reason)

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.sheet or self.cell:
            parts.append(f"{self.sheet}!{self.cell}" if self.cell else str(self.sheet))
        return ": ".join(parts)

    def format(self, *, level: bool = False) -> str:
        """The one line the performance team reads; with `level`, the problem's level
        (error, warning, info) before its code, as the command line prints it."""
        where = self.location()
        context = ", ".join(x for x in (self.key, self.month) if x)
        text = (
            f"{self.level} [{self.code}] {self.message}"
            if level
            else f"[{self.code}] {self.message}"
        )
        if context and context not in self.message:
            text += f" ({context})"
        return f"{where}: {text}" if where else text

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "level": str(self.level),
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "sheet": self.sheet,
            "cell": self.cell,
            "key": self.key,
            "month": self.month,
            "comment": self.comment,
            "text": self.format(),
        }
