"""Every value a figure has had: the ledger's history, as rows, CSV, JSON or a pandas
DataFrame.

A row is one figure of one return version: a value repeated unchanged by the next
month's return is listed once, under the return that first sent it, so the history
reads as the figure's revisions.
"""

from __future__ import annotations

import csv
import importlib
import io
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from .records import HistoryRow
from .store import Ledger

COLUMNS = tuple(f.name for f in fields(HistoryRow))

_SQL = """
SELECT f.key, f.measure, f.month, f.value, f.not_available, f.problem,
       r.path, r.sheet, f.cell, r.folder, r.first_seen, r.sha256,
       r.sign_name, r.sign_role, r.sign_date, coalesce(c.text, '')
FROM figures AS f
JOIN returns AS r ON r.id = f.return_id
LEFT JOIN comments AS c ON c.return_id = f.return_id AND c.key = f.key AND c.month = f.month
WHERE r.usable = 1 {where}
ORDER BY f.key, f.measure, f.month, r.first_seen, r.id
"""


def history(
    ledger: Ledger, key: str | None = None, *, month: str | None = None, measure: str | None = None
) -> list[HistoryRow]:
    """Every value each figure has had (of indicator `key`, `measure`, `month` where
    given), oldest first; a value sent again unchanged is listed once."""
    where, args = [], []
    for column, wanted in (("f.key", key), ("f.month", month), ("f.measure", measure)):
        if wanted is not None:
            where.append(f" AND {column} = ?")
            args.append(wanted)
    rows = ledger.conn.execute(_SQL.format(where="".join(where)), args)
    out: list[HistoryRow] = []
    last: dict[tuple[str, str, str], tuple[Any, ...]] = {}
    for row in rows:
        said = (row[3], row[4], row[5])
        figure = (row[0], row[1], row[2])
        if last.get(figure) == said:
            continue  # the same again, from a later return
        last[figure] = said
        out.append(HistoryRow(*row))
    return out


def history_csv(rows: list[HistoryRow]) -> str:
    """The rows as CSV, a header line first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if v is None else v for v in asdict(row).values()])
    return buffer.getvalue()


def history_json(rows: list[HistoryRow]) -> list[dict[str, Any]]:
    """The rows as JSON-ready dicts."""
    return [asdict(row) for row in rows]


def history_frame(
    ledger: str | Path,
    key: str | None = None,
    *,
    month: str | None = None,
    measure: str | None = None,
) -> Any:
    """`history` as a pandas DataFrame, one row per value a figure has had (needs the
    ``pandas`` extra: ``pip install scorecard[pandas]``); `first_seen` as UTC times."""
    try:
        # Imported by name: pandas is an optional extra, typed as Any here.
        pandas = importlib.import_module("pandas")
    except ImportError:
        from ..errors import InputError

        raise InputError("history_frame needs pandas: pip install 'scorecard[pandas]'") from None
    with Ledger(ledger) as opened:
        rows = history(opened, key, month=month, measure=measure)
    frame = pandas.DataFrame([asdict(row) for row in rows], columns=list(COLUMNS))
    frame["first_seen"] = pandas.to_datetime(frame["first_seen"], utc=True)
    return frame
