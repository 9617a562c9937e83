"""Plain data shared by every stage: figures, readings, statuses and assessments.

Nothing here does I/O. The catalogue's own schema lives in `catalogue/`; these are
the values that flow from the returns, through derivation and assessment, to the
workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .periods import Month, describe_months


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
    part_labels: tuple[str, ...] = ()  # how board text names each part ("Sergeants & PCs")
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
    usable: bool = True  # False: refused (wrong owner or year, a second copy...), not merged


@dataclass(frozen=True)
class ChaseItem:
    """An owner whose figures for some months the report needs have not arrived: no
    return for the report month, one that could not be used, or one that arrived
    without some of them."""

    owner: str
    owner_name: str
    months: tuple[Month, ...]  # every month whose figures are missing
    report_month: Month | None = None
    state: str = "missing"  # the report month's return: missing, refused or received

    def describe(self) -> str:
        month = self.report_month
        others = [m for m in self.months if m != month]
        if month is None:
            return f"{self.owner_name}: no return for {describe_months(list(self.months))}"
        if self.state == "received":
            return (
                f"{self.owner_name}: return for {month.label} received, figures missing for "
                f"{describe_months(list(self.months))}"
            )
        said = (
            f"the return for {month.label} could not be used (see Issues)"
            if self.state == "refused"
            else f"no return for {month.label}"
        )
        also = f"; figures also missing for {describe_months(others)}" if others else ""
        return f"{self.owner_name}: {said}{also}"


@dataclass(frozen=True)
class Commentary:
    """The owner's words on an indicator's figure for a report month, as the lead typed
    them, and who gave them: the return they came from and the person who signed it off."""

    text: str
    month: Month
    owner: str
    source: Source
    given_by: str = ""  # the sign-off's name
    role: str = ""


@dataclass(frozen=True)
class SignOff:
    """Who signed off an owner's return for a month, as the Instructions sheet says."""

    owner: str
    owner_name: str
    file: str
    month: Month | None
    name: str = ""
    role: str = ""
    date: str = ""  # ISO date, or the text typed
