"""What the reader holds of a return: a file to read, one workbook's figures before the
merge, and what the returns for a report month add up to.

A figure is kept as an `Entry` until the returns are merged. Entries are tuples (named
ones), because a worker sends ~300 a return back to the parent and each later return
replaces most of the one before: `Figure`s are made only for the figures that survive
the merge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple, cast

from ..cache import ReturnCache
from ..codes import level_of
from ..errors import Level, Problem
from ..form import RETURN_SHEET
from ..model import ChaseItem, Figure, Figures, ReturnFile, Source
from ..periods import Month
from .problems import clip, show

Pair = tuple[str, str]  # (indicator key, measure name): a row of a return


class Origin(NamedTuple):
    """Where a return's figures came from: one object shared by all its entries."""

    file: str  # the path as problems name it
    sheet: str


class Entry(NamedTuple):
    """A figure as the reader keeps it until the returns are merged."""

    value: float | str | None
    cell: str
    not_available: str | None  # the reason given with n/a
    problem: str | None  # why the cell was rejected
    origin: Origin

    def describe(self) -> str:
        """What the entry says, as a message words it."""
        if self.problem:
            return "a rejected entry"
        if self.not_available is not None:
            return f"n/a ({self.not_available})"
        if isinstance(self.value, str):
            return f"'{clip(self.value)}'"
        return show(self.value)

    def where(self) -> str:
        """Where the entry came from, as `Source` prints it."""
        return f"{self.origin.file}: {self.origin.sheet}!{self.cell}"

    def figure(self) -> Figure:
        origin = self.origin
        return Figure(
            self.value,
            Source(origin.file, origin.sheet, self.cell),
            self.not_available,
            self.problem,
        )


# What an entry says (value, n/a reason, problem), at C speed: compared for every month
# two returns both hold.
ENTRY_SAYS = itemgetter(*(Entry._fields.index(f) for f in ("value", "not_available", "problem")))

# tuple.__new__(Entry, row): an entry made at C speed (the constructor is a Python call).
_new_entry = cast(Callable[[type[Entry], Iterable[Any]], Entry], tuple.__new__)


def make_entries(rows: Iterable[Iterable[Any]]) -> Iterator[Entry]:
    """Entries from rows of (value, cell, not_available, problem, origin), in bulk."""
    return map(_new_entry, repeat(Entry), rows)


# A row's entries by month index (Month.index): plain numbers as keys, hashed in C, since a
# large compile looks them up a million times.
Entries = dict[int, Entry]


class Comment(NamedTuple):
    """The owner's words on an indicator for one month, and the cell they were typed in."""

    text: str
    source: Source


# (indicator key, month index): the commentary of one indicator for one report month
CommentKey = tuple[str, int]


class Job(NamedTuple):
    """A return file found in a month folder, to be read."""

    path: Path
    display: str  # the path as problems name it
    folder: Month


@dataclass(frozen=True)
class Remembered:
    """A file the cache holds a return for, under `key`: loaded when its turn comes, so
    memory holds one month folder's returns at a time, not every remembered one."""

    cache: ReturnCache
    key: str
    job: Job


@dataclass
class ReturnRecord:
    """What one workbook held, before returns are merged."""

    path: Path
    display: str
    folder: Month
    sha256: str = ""
    owner: str | None = None
    sheet: str = RETURN_SHEET
    usable: bool = True  # False: wrong owner or year; figures counted as rejected
    figures: dict[Pair, Entries] = field(default_factory=dict)
    rows: dict[Pair, int] = field(default_factory=dict)
    month_cols: dict[Month, int] = field(default_factory=dict)
    used: int = 0
    rejected: int = 0
    commentary: dict[CommentKey, Comment] = field(default_factory=dict)
    sign_off: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        code: str,
        message: str,
        *,
        cell: str | None = None,
        key: str | None = None,
        month: Month | None = None,
        sheet: str | None = None,
        level: Level | None = None,
    ) -> None:
        self.problems.append(
            Problem(
                code,
                message,
                level=level or level_of(code),
                file=self.display,
                sheet=sheet if sheet is not None else (self.sheet if cell else None),
                cell=cell,
                key=key,
                month=month.label if month else None,
            )
        )

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (a worker sends each return back) with its entries as plain tuples:
        a NamedTuple pickles as a call of its constructor, several times slower."""
        state = self.__dict__.copy()
        state["figures"] = {
            pair: (list(series), list(map(tuple, series.values())))
            for pair, series in self.figures.items()
        }
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["figures"] = {
            pair: dict(zip(indexes, make_entries(rows), strict=True))
            for pair, (indexes, rows) in state["figures"].items()
        }
        self.__dict__.update(state)

    def as_file(self) -> ReturnFile:
        return ReturnFile(
            path=self.display,
            owner=self.owner or "",
            month=self.folder,
            sha256=self.sha256,
            figures_read=self.used,
            figures_rejected=self.rejected,
            usable=self.usable and self.owner is not None,
        )


Pending = ReturnRecord | Job | Remembered  # a return refused unread, to read, or remembered


@dataclass
class FolderOutline:
    """One month folder as the merge took it: its own problems, then each return in
    order, either one merged (its index in `ReturnsRead.files`) or one refused before
    it could be opened (no SHA-256, so held whole: it is small). With the returns
    themselves, enough to merge the folders again exactly (`--as-of`)."""

    month: Month
    problems: list[Problem]
    items: list[int | ReturnRecord]


@dataclass
class ReturnsRead:
    """What the returns for a report month hold: figures with provenance, and problems.

    Every non-blank month cell of a readable return is either used (`figures_used`) or
    rejected with a problem saying why (`figures_rejected`).
    """

    month: Month
    figures: Figures = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    chase: list[ChaseItem] = field(default_factory=list)
    files: list[ReturnFile] = field(default_factory=list)
    figures_used: int = 0
    figures_rejected: int = 0
    commentary: dict[CommentKey, Comment] = field(default_factory=dict)
    sign_offs: dict[str, dict[str, str]] = field(default_factory=dict)  # by display path
    # Figures the merge itself made, as no return holds them (two returns for one owner
    # and month disagreeing): (row, month index). The ledger keeps these with the pack.
    adjusted: set[tuple[Pair, int]] = field(default_factory=set)
    opening: int = 0  # the problems of the returns folder itself come first: how many
    outline: list[FolderOutline] = field(default_factory=list)

    def comment_for(self, key: str, month: Month) -> Comment | None:
        """The latest return's words on indicator `key` for `month`, if any."""
        return self.commentary.get((key, month.index))

    @property
    def ok(self) -> bool:
        return not any(p.level == Level.ERROR for p in self.problems)


@dataclass
class MergeState:
    """The merge so far: each row's entries (latest wins), each owner's latest return."""

    entries: dict[Pair, Entries] = field(default_factory=dict)
    latest: dict[str, ReturnRecord] = field(default_factory=dict)  # their latest used return
    refused: dict[str, ReturnRecord] = field(default_factory=dict)  # latest not usable
