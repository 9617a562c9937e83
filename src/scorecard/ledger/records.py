"""What the ledger keeps, as plain records: a return version with its figures and
comments, a pack with its inputs and rows, and what a history query gives back.

Months are ``YYYY-MM`` text and times ISO 8601 UTC text (``2008-08-05T10:00:00.000000Z``),
so that the ledger's rows sort and compare as stored, and read the same in any tool.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

Value = float | int | str | None
Identity = tuple[str, str, str]  # (sha256, path, folder): one version of one return


def now_text() -> str:
    """The time now, as the ledger stores it."""
    return time_text(datetime.now(UTC))


def shown_time(text: str) -> str:
    """A stored time as a person reads it: ``2008-08-05 10:00:03 UTC``."""
    return f"{text[:19].replace('T', ' ')} UTC"


def time_text(when: datetime) -> str:
    """A time as the ledger stores it: UTC, to the microsecond, fixed width."""
    if when.tzinfo is None:
        when = when.astimezone()  # a time typed without a zone is the local one
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class FigureRow(NamedTuple):
    """One month's figure of one measure as a return held it (a tuple: a compile makes
    hundreds of thousands, and the ledger stores its first seven fields as they are)."""

    key: str
    measure: str
    month: str
    value: Value
    not_available: str | None = None  # the reason typed with n/a
    problem: str | None = None  # why the reader rejected the cell
    cell: str = ""
    file: str = ""  # only for a pack's figures: a return's figures are its own
    sheet: str = ""


@dataclass(frozen=True)
class CommentRow:
    """The lead's words on one indicator for one month, and where they were typed."""

    key: str
    month: str
    text: str
    cell: str = ""


@dataclass(frozen=True)
class ReturnVersion:
    """One return as read: whose, which folder, its bytes' SHA-256, its sign-off, and
    (when the ledger does not hold it yet) every figure and comment it held."""

    path: str
    sha256: str
    folder: str
    owner: str
    sheet: str = "Return"
    usable: bool = True  # False: refused (wrong owner or year, a second copy...)
    sign_name: str = ""
    sign_role: str = ""
    sign_date: str = ""
    # Iterables, so that a compile streams a return's figures into the ledger as it
    # takes them from the return's cache entry, never holding every row at once.
    figures: Iterable[FigureRow | tuple[Any, ...]] = ()  # each in FigureRow's order
    comments: Iterable[CommentRow] = ()
    record: bytes | None = None  # the rest of what it held, for merging it again

    @property
    def identity(self) -> Identity:
        return (self.sha256, self.path, self.folder)


@dataclass(frozen=True)
class StoredVersion:
    """A return version as the ledger holds it."""

    id: int
    path: str
    sha256: str
    folder: str
    owner: str
    sheet: str
    usable: bool
    sign_name: str
    sign_role: str
    sign_date: str
    first_seen: str


@dataclass(frozen=True)
class PackRow:
    """One indicator's row of a pack: its value as shown, as a number, and its status."""

    key: str
    text: str
    value: float | None
    status: str


@dataclass(frozen=True)
class PackRecord:
    """A master written: for which month, from which catalogue and returns, what it said.

    The figures it assessed are its used inputs' figures merged (the latest wins), but
    for `figures`: those the compile made otherwise (a locked month's figure kept, two
    returns disagreeing, the reader's marks for a refused return or a missing row, which
    have no file), each with the file and sheet it came from. `unused`: inputs refused
    (a second copy in a folder, another owner's file), not merged.
    """

    month: str
    fingerprint: str
    catalogue: str
    master: str
    inputs: tuple[Identity, ...]
    rows: tuple[PackRow, ...]
    figures: tuple[FigureRow, ...] = ()
    as_of: str | None = None  # a pack rebuilt from the ledger: what it knew at this time
    unused: frozenset[Identity] = frozenset()
    outline: bytes | None = None  # how its returns were merged, for merging them again


@dataclass(frozen=True)
class Pack:
    """A pack as the ledger holds it."""

    id: int
    month: str
    compiled_at: str
    fingerprint: str
    catalogue: str
    master: str
    as_of: str | None
    inputs: tuple[StoredVersion, ...] = ()
    delta: bool = False  # its figures: its inputs' merged, and only the others stored

    def describe(self) -> str:
        """One line: which month, when, from how many returns, written where."""
        rebuilt = f", rebuilt as of {shown_time(self.as_of)}" if self.as_of else ""
        return (
            f"pack {self.id}: {self.month} compiled {shown_time(self.compiled_at)}{rebuilt} "
            f"from {len(self.inputs)} return(s), catalogue {self.fingerprint[:12]}: {self.master}"
        )


@dataclass(frozen=True)
class HistoryRow:
    """One value a figure has had: from which return and cell, first seen when, signed
    off by whom, with the lead's comment on it."""

    key: str
    measure: str
    month: str
    value: Value
    not_available: str | None
    problem: str | None
    file: str
    sheet: str
    cell: str
    folder: str
    first_seen: str
    sha256: str
    signed_by: str
    role: str
    signed_on: str
    comment: str

    def describe(self) -> str:
        """One line: the figure, its value, where from, when, by whom, and why."""
        who = self.signed_by or "not signed off"
        if self.role:
            who += f", {self.role}"
        if self.signed_on:
            who += f", {self.signed_on[:10]}"
        line = (
            f"{self.key} {self.measure} {self.month}: {self.shown()} from {self.file}: "
            f"{self.sheet}!{self.cell}, first seen {shown_time(self.first_seen)} ({who})"
        )
        return line + (f': "{self.comment}"' if self.comment else "")

    def shown(self) -> str:
        """The value as a person reads it."""
        if self.problem:
            return f"rejected ({self.problem})"
        if self.not_available is not None:
            return f"n/a ({self.not_available})" if self.not_available else "n/a"
        if isinstance(self.value, float) and self.value.is_integer():
            return f"{int(self.value):,}"
        if isinstance(self.value, int | float):
            return f"{self.value:,}"
        return "" if self.value is None else str(self.value)
