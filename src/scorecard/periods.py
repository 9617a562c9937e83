"""Months, financial years and the periods a report's figures cover. Pure: no I/O.

The ground floor of the calendar: every stage (the catalogue, the returns, derivation,
assessment, the writers) names months and periods through these, and this module
imports nothing of scorecard's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LONG_MONTH_NAMES = (
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
    _index: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1-12, not {self.month}")
        # Months key the dictionaries of figures: hashed and compared millions of times
        # in a large compile, so both use one precomputed number.
        object.__setattr__(self, "_index", self.year * 12 + self.month - 1)

    def __hash__(self) -> int:
        return self._index

    def __reduce__(self) -> tuple[Any, ...]:
        # Unpickled (from a worker) as the one object for that month, so that looking
        # it up in a dictionary of figures finds it by identity.
        return (Month.from_index, (self._index,))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is Month:
            return self._index == other._index
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
        return self._index

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
        return f"{LONG_MONTH_NAMES[self.month - 1]} {self.year}"

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


# How many periods of history the trend shows: 13 months, or 8 quarters (two years).
TREND_POINTS = {"monthly": 13, "quarterly": 8}
# Months in one reporting period.
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3}

Frequency = Literal["monthly", "quarterly"]
PeriodEnds = Literal["month", "quarter", "year"]


def window(end: Month, months: int) -> list[Month]:
    """The `months` months ending at `end`, oldest first."""
    return month_range(end - (months - 1), end)


def is_quarter_end(month: Month, fy_start: int) -> bool:
    """Whether `month` closes a financial quarter (2, 5, 8 and 11 months after its start)."""
    return (month.month - fy_start - 2) % 3 == 0


def is_period_end(month: Month, frequency: str, fy_start: int) -> bool:
    """Whether figures are reported for `month`: every month, or each quarter's last."""
    return frequency == "monthly" or is_quarter_end(month, fy_start)


def reporting_months(months: list[Month], frequency: str, fy_start: int) -> list[Month]:
    """The months of `months` that carry figures at this frequency."""
    return [m for m in months if is_period_end(m, frequency, fy_start)]


def period_end(
    month: Month,
    fy_start: int,
    *,
    ends: PeriodEnds = "month",
    lag_months: int = 0,
    year_end_month: int = 3,
) -> Month:
    """The last month a reported figure covers, for a report for `month`.

    ends: ``month`` (the report month less `lag_months`), ``quarter`` (the last complete
    financial quarter), or ``year`` (the last `year_end_month`, e.g. March).
    """
    end = month - lag_months
    if ends == "month":
        return end
    if ends == "year":
        return end - (end.month - year_end_month) % 12
    return end - (end.month - fy_start - 2) % 3


def period_words(end: Month, fy_start: int) -> dict[str, str]:
    """Names of a period ending at `end`, for notes that say it.

    A note written as "Latest data is for the rolling 12 months to {end_short}." stays
    true every month instead of going stale.
    """
    fy = FinancialYear.containing(end, fy_start)
    quarter = end.minus(fy.first) // 3 + 1
    return {
        "end_short": end.short,
        "end_label": end.label,
        "end_long": end.long,
        "end_month_long": end.long.split(" ")[0],
        "fy": str(fy),
        "fy_first_month_long": fy.first.long.split(" ")[0],
        "quarter": f"Q{quarter} {fy}",
    }


def fill_period_words(text: str, words: dict[str, str]) -> str:
    """Replace {end_short} and the like in catalogue text; any other brace stays as is."""
    for name, value in words.items():
        text = text.replace("{" + name + "}", value)
    return text
