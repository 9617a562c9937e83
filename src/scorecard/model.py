"""Plain data shared by every stage: months, figures, readings and assessments.

Nothing here does I/O. The catalogue's own schema lives in `catalogue.py`; these are
the values that flow from the returns, through derivation and assessment, to the
workbook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LONG_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; months add and subtract as whole numbers."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1-12, not {self.month}")
        # Months key the dictionaries of figures: hashed and compared millions of times
        # in a large compile, so both use one precomputed number.
        object.__setattr__(self, "_index", self.year * 12 + self.month - 1)

    def __hash__(self) -> int:
        return self._index  # type: ignore[no-any-return]

    def __reduce__(self) -> tuple[Any, ...]:
        # Unpickled (from a worker) as the one object for that month, so that looking
        # it up in a dictionary of figures finds it by identity.
        return (Month.from_index, (self._index,))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is Month:
            return self._index == other._index  # type: ignore[attr-defined,no-any-return]
        return NotImplemented

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse ``YYYY-MM``."""
        match = _MONTH_RE.match(text.strip())
        if not match:
            raise ValueError(f"'{text}' is not a month: write it as YYYY-MM, e.g. 2008-07")
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 1-12, not {month}")
        return cls.from_index(year * 12 + month - 1)

    @property
    def index(self) -> int:
        return self._index  # type: ignore[no-any-return]

    @classmethod
    def from_index(cls, index: int) -> Month:
        found = _BY_INDEX.get(index)
        if found is None:
            found = cls(index // 12, index % 12 + 1)
            if cls is Month:
                _BY_INDEX[index] = found  # months are immutable: one object serves
        return found

    def __add__(self, months: int) -> Month:
        return Month.from_index(self.index + months)

    def __sub__(self, months: int) -> Month:
        return Month.from_index(self.index - months)

    def minus(self, other: Month) -> int:
        """Whole months from `other` to this month."""
        return self.index - other.index

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """``Jul 2008``."""
        return f"{_MONTH_NAMES[self.month - 1]} {self.year}"

    @property
    def short(self) -> str:
        """``Jul-08``, as the report writes survey periods."""
        return f"{_MONTH_NAMES[self.month - 1]}-{self.year % 100:02d}"

    @property
    def long(self) -> str:
        """``July 2008``."""
        return f"{_LONG_MONTH_NAMES[self.month - 1]} {self.year}"

    @property
    def name(self) -> str:
        """``Jul``."""
        return _MONTH_NAMES[self.month - 1]


_BY_INDEX: dict[int, Month] = {}


def months_of(indexes: list[int]) -> list[Month]:
    """The months of these indexes, each the one object for its month (fast in bulk)."""
    try:
        return list(map(_BY_INDEX.__getitem__, indexes))
    except KeyError:
        return [Month.from_index(i) for i in indexes]


def month_range(first: Month, last: Month) -> list[Month]:
    """Every month from `first` to `last`, both included."""
    return [Month.from_index(i) for i in range(first.index, last.index + 1)]


def describe_months(months: list[Month]) -> str:
    """Name months compactly: 'Aug 2007 to Mar 2008' for a run, commas otherwise."""
    runs: list[list[Month]] = []
    for m in sorted(set(months)):
        if runs and runs[-1][-1] + 1 == m:
            runs[-1].append(m)
        else:
            runs.append([m])
    return ", ".join(r[0].label if len(r) == 1 else f"{r[0].label} to {r[-1].label}" for r in runs)


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A financial year named by its first calendar year: 2008 is "2008/09"."""

    start_year: int
    start_month: int = 4

    @classmethod
    def parse(cls, text: str, start_month: int = 4) -> FinancialYear:
        match = re.match(r"^(\d{4})/(\d{2})$", text.strip())
        if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
            raise ValueError(f"'{text}' is not a financial year: write it as 2008/09")
        return cls(int(match.group(1)), start_month)

    @classmethod
    def containing(cls, month: Month, start_month: int = 4) -> FinancialYear:
        year = month.year if month.month >= start_month else month.year - 1
        return cls(year, start_month)

    @property
    def first(self) -> Month:
        return Month(self.start_year, self.start_month)

    @property
    def last(self) -> Month:
        return self.first + 11

    @property
    def months(self) -> list[Month]:
        return month_range(self.first, self.last)

    def __contains__(self, month: object) -> bool:
        return isinstance(month, Month) and self.first <= month <= self.last

    def __str__(self) -> str:
        if self.start_month == 1:
            return str(self.start_year)
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"


class Status(StrEnum):
    """The outcome of assessing one indicator for one report month."""

    BLUE = "BLUE"
    GREEN = "GREEN"
    AMBER = "AMBER"
    RED = "RED"
    NO_TARGET = "NO_TARGET"
    BASELINE = "BASELINE"
    NOT_AVAILABLE = "NOT_AVAILABLE"
    DATA_ISSUE = "DATA_ISSUE"

    @property
    def is_rag(self) -> bool:
        return self in RAG_STATUSES


RAG_STATUSES = (Status.BLUE, Status.GREEN, Status.AMBER, Status.RED)
# Order from best to worst, used when the worst part of a multi-part target decides.
RAG_ORDER = {Status.BLUE: 0, Status.GREEN: 1, Status.AMBER: 2, Status.RED: 3}


@dataclass(frozen=True)
class Source:
    """Where a figure came from: file, sheet and cell."""

    file: str
    sheet: str
    cell: str

    def __str__(self) -> str:
        return f"{self.file}: {self.sheet}!{self.cell}"


@dataclass(frozen=True)
class Figure:
    """One monthly figure as returned: a number, or not available with a reason."""

    value: float | str | None
    source: Source | None = None
    not_available: str | None = None  # reason given by the lead ("n/a: survey not run")
    problem: str | None = None  # why the reader rejected what the cell held

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, int | float) and not isinstance(self.value, bool)


# Monthly figures of one measure, by month.
Series = dict[Month, Figure]
# Every measure's series, keyed by (indicator key, measure name).
Figures = dict[tuple[str, str], Series]


@dataclass(frozen=True)
class Reading:
    """An indicator's reported value for the report month, derived from its figures.

    `value` is the number assessed against a level target; `previous` is the
    comparable figure for the period before (the previous 12 months, last year), so
    that change targets can be assessed; `parts` hold multi-part values.
    """

    text: str
    value: float | None = None
    previous: float | None = None
    parts: tuple[Reading, ...] = ()
    part_names: tuple[str, ...] = ()
    period: str = ""
    available: bool = True
    missing: tuple[Month, ...] = ()
    reason: str = ""
    sources: tuple[Source, ...] = ()
    data_issue: bool = False
    last_period: float | None = None  # the same reading a period (month, quarter) before
    last_year: float | None = None  # the same reading twelve months before
    forecast: float | None = None  # the owner's year-end forecast, where one is collected
    trend: tuple[tuple[Month, float | None], ...] = ()
    fields: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_pct(self) -> float | None:
        if self.value is None or not self.previous:
            return None
        return (self.value - self.previous) / self.previous * 100


@dataclass(frozen=True)
class Assessment:
    """An indicator's status for the report month, with the arithmetic that led to it."""

    status: Status
    explanation: str
    ratio: float | None = None
    target_value: float | None = None
    part_statuses: tuple[Status, ...] = ()


@dataclass(frozen=True)
class ReturnFile:
    """A return workbook that was read: who sent it, for which month, and its SHA-256."""

    path: str
    owner: str
    month: Month | None
    sha256: str
    figures_read: int = 0
    figures_rejected: int = 0


@dataclass(frozen=True)
class ChaseItem:
    """An owner whose figures for some months the report needs have not arrived."""

    owner: str
    owner_name: str
    months: tuple[Month, ...]

    def describe(self) -> str:
        return f"{self.owner_name}: no return for {describe_months(list(self.months))}"
