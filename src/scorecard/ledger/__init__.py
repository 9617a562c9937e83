"""The ledger: a record of every return read and every pack written, kept in SQLite.

Where the JSON cache (`scorecard.cache`) remembers file contents for speed and may be
deleted at any time, the ledger is a record: never pruned, never needed to compile.
Each compile records, in one transaction, each return it read (path, SHA-256, owner,
month folder, sign-off, when first seen), each figure and comment of a return version
it did not hold yet, and the pack it wrote (month, time, catalogue fingerprint, inputs,
every indicator's value and status). Locked months are kept here too.

``schema`` (versions and migrations, opening a file safely: its header checked on
every open, the whole file by `integrity` on demand), ``records`` (the plain
records in and out), ``store`` (the `Ledger`), ``history`` (every value a figure has
had). The pipeline's side (what to record, rebuilding a past pack) is
`scorecard.revisions`: this package imports nothing of the pipeline.
"""

from __future__ import annotations

from .history import COLUMNS, history, history_csv, history_frame, history_json
from .records import (
    CommentRow,
    FigureRow,
    HistoryRow,
    Identity,
    Pack,
    PackRecord,
    PackRow,
    ReturnVersion,
    StoredVersion,
    now_text,
    shown_time,
    time_text,
)
from .schema import SCHEMA_VERSION, LedgerDamaged, LedgerError, LedgerNewer, integrity
from .store import Ledger

__all__ = [
    "COLUMNS",
    "SCHEMA_VERSION",
    "CommentRow",
    "FigureRow",
    "HistoryRow",
    "Identity",
    "Ledger",
    "LedgerDamaged",
    "LedgerError",
    "LedgerNewer",
    "Pack",
    "PackRecord",
    "PackRow",
    "ReturnVersion",
    "StoredVersion",
    "history",
    "history_csv",
    "history_frame",
    "history_json",
    "integrity",
    "now_text",
    "shown_time",
    "time_text",
]
