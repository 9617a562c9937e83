"""Where an output may go: ``-`` for standard output, else a regular file that is not
scorecard's record.

An output never replaces the ledger (nor its WAL and shared-memory files), nor any
SQLite database (told by its header: a ledger kept elsewhere, a backup, another tool's
data), nor anything that is not a regular file or a folder (a device, a FIFO): scorecard
cannot destroy its own record, nor write a workbook into a pipe that is not standard
output. (A file option naming a folder is refused by its option's type; a folder option,
the site's, names one.) Imports nothing of scorecard's but its errors.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputError

STDOUT = "-"
SQLITE_MAGIC = b"SQLite format 3\0"
LEDGER_COMPANIONS = ("", "-wal", "-shm", "-journal")


def is_stdout(path: Path | str | None) -> bool:
    """Whether an output option names standard output (``-``)."""
    return path is not None and str(path) == STDOUT


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _same(path: Path, other: Path) -> bool:
    try:
        return os.path.samefile(path, other)
    except OSError:
        return path.resolve() == other.resolve()


def refusal(path: Path, ledgers: Iterable[Path] = ()) -> str | None:
    """Why an output may not be written to `path` (None where it may): one of
    `ledgers` or its companion files, an SQLite database, or not a regular file."""
    for ledger in ledgers:
        for suffix in LEDGER_COMPANIONS:
            if _same(path, ledger.with_name(ledger.name + suffix)):
                return f"is the ledger ({ledger}), scorecard's record, which it never overwrites"
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # not there, or under a file or a closed folder: writing it says why
    if stat.S_ISDIR(mode):
        return None  # a folder output (the site), or one that says so when written
    if not stat.S_ISREG(mode):
        return f"is {_kind(mode)}, not a file scorecard may write"
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError:
        return None  # unreadable: writing it says why
    if header == SQLITE_MAGIC:
        return "is an SQLite database (a ledger or its backup?), which scorecard never overwrites"
    return None


def check_destination(option: str, path: Path | None, ledgers: Iterable[Path] = ()) -> None:
    """`OutputError` naming `option` where `path` may not be written (see `refusal`);
    standard output (``-``) and no path pass."""
    if path is None or is_stdout(path):
        return
    why = refusal(path, ledgers)
    if why is not None:
        raise OutputError(f"{option} {path} {why}: name another file")
