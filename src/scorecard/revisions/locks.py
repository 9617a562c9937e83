"""Locked months: once a month's pack has gone to the board, its figures stand. A later
return that changes one is a `locked-month-changed` warning with both values, and the
locked figure is kept unless the compile is told to accept revisions."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Level, Problem
from ..ledger import Ledger
from ..model import Figure
from ..periods import Month
from ..returns import ReturnsRead
from .knowledge import describe, known_at, pack_figures, says

Pair = tuple[str, str]


@dataclass
class Lock:
    """A locked month's figures, as its last pack (or the ledger at the lock) had them."""

    month: Month
    since: str  # how the message names the lock
    figures: dict[Pair, Figure]


def locks_for(ledger: Ledger, configured: list[str], month: Month) -> list[Lock]:
    """The locked months up to `month`: those locked in the ledger (`scorecard lock`)
    and those the catalogue names, each with the figures that stand."""
    times = ledger.locks()
    locked = {m: f"locked {at[:16].replace('T', ' ')} UTC" for m, at in times.items()}
    for name in configured:
        locked.setdefault(name, "locked by the catalogue")
    out = []
    for name, since in sorted(locked.items()):
        locked_month = Month.parse(name)
        if locked_month > month:
            continue
        at = times.get(name)
        pack = ledger.last_pack(month=name, at=at)
        if pack is not None:
            held = pack_figures(ledger, pack, name)
        elif at is not None:
            held = known_at(ledger, at, locked_month).figures
        else:
            continue  # locked by the catalogue, never compiled: nothing stands yet
        figures = {
            pair: series[locked_month] for pair, series in held.items() if locked_month in series
        }
        out.append(Lock(locked_month, since, figures))
    return out


@dataclass
class LockKeeper:
    """Between the merge and the assessment: keeps each locked figure (noted in the
    merge's `adjusted`), and says what changed."""

    locks: list[Lock]
    accept: bool = False

    def __call__(self, read: ReturnsRead) -> None:
        for lock in self.locks:
            for pair, old in lock.figures.items():
                series = read.figures.setdefault(pair, {})
                new = series.get(lock.month)
                if says(new) == says(old):
                    continue
                read.problems.append(self.problem(lock, pair, old, new))
                if self.accept:
                    continue
                series[lock.month] = old
                read.figures[pair] = dict(sorted(series.items()))
                read.adjusted.add((pair, lock.month.index))  # not as a return holds it

    def problem(self, lock: Lock, pair: Pair, old: Figure, new: Figure | None) -> Problem:
        where = f" ({new.source})" if new is not None and new.source else ""
        then = (
            "the new figure is taken (--accept-revisions)"
            if self.accept
            else "the locked figure is kept; compile with --accept-revisions to take the new one"
        )
        source = new.source if new is not None else None
        return Problem(
            "locked-month-changed",
            f"{pair[1]}: {lock.month.label} is locked ({lock.since}) at {describe(old)}; "
            f"the returns now say {describe(new)}{where}: {then}",
            level=Level.WARNING,
            file=source.file if source else None,
            sheet=source.sheet if source else None,
            cell=source.cell if source else None,
            key=pair[0],
            month=lock.month.label,
        )
