"""Locks that hold when the ledger cannot be written: `--no-ledger`, a ledger busy for
longer than the compile waits, on read-only media, damaged or newer.

A locked month's figures are in the ledger. Where the compile cannot record in it, they
are read from it read-only (a reader is not held up by another compile writing, nor
stopped by read-only media). Where it cannot be read at all (damaged, newer, gone), a
month the catalogue locks cannot be held: the compile stops with one line naming the
month and the way on, `--accept-revisions`, which takes the returns' figures for it and
says so in a `locked-month-unchecked` warning. Never silently.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Level, Problem
from ..ledger import Ledger, LedgerError
from ..periods import Month
from .locks import LockKeeper, locks_for


def held_locks(
    path: Path | None, configured: list[str], month: Month, accept: bool
) -> tuple[LockKeeper | None, list[Problem]]:
    """The locks of the months up to `month`, read only from the ledger at `path` (the
    catalogue's `configured` months and those locked in the ledger), and the warnings
    that go with them. `InputError` where a month the catalogue locks cannot be held
    and `accept` (--accept-revisions) is not given."""
    locked = sorted(Month.parse(m) for m in configured if Month.parse(m) <= month)
    if path is None or not path.exists():
        return None, []  # no ledger, no pack of any month: no figure stands yet
    try:
        with Ledger.reading(path) as ledger:
            return LockKeeper(locks_for(ledger, configured, month), accept), []
    except LedgerError as exc:
        why = str(exc)
    if not locked:
        return None, []
    names = ", ".join(m.label for m in locked)
    if not accept:
        raise InputError(
            f"{names} locked by the catalogue, and the figures that stand are in the ledger, "
            f"which cannot be read ({why}); nothing written: restore the ledger, or compile "
            f"with --accept-revisions to take the returns' figures for {names} as they are"
        )
    return None, [
        Problem(
            "locked-month-unchecked",
            f"{names} locked by the catalogue, but the ledger cannot be read ({why}): the "
            f"returns' figures for {names} are taken unchecked (--accept-revisions)",
            level=Level.WARNING,
            file=str(path),
            month=locked[0].label,
        )
    ]
