"""Every value a figure has had: the ledger's history, as rows, CSV, JSON or a pandas
DataFrame.

A row is one figure of one return version: a value repeated unchanged by the next
month's return is listed once, under the return that first sent it, so the history
reads as the figure's revisions.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from ..csvsafe import csv_text
from .records import HistoryRow
from .store import Ledger

COLUMNS = tuple(f.name for f in fields(HistoryRow))

# Each figure with the lead's words in the same return: on the figure's own month (c),
# and in the return's own month column (o), where a lead says why an earlier month
# was revised.
_SQL = """
SELECT f.key, f.measure, f.month, f.value, f.not_available, f.problem,
       r.path, r.sheet, f.cell, r.folder, r.first_seen, r.sha256,
       r.sign_name, r.sign_role, r.sign_date, coalesce(c.text, ''), coalesce(o.text, '')
FROM figures AS f
JOIN returns AS r ON r.id = f.return_id
LEFT JOIN comments AS c ON c.return_id = f.return_id AND c.key = f.key AND c.month = f.month
LEFT JOIN comments AS o ON o.return_id = f.return_id AND o.key = f.key AND o.month = r.folder
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
    words: dict[tuple[str, str, str], str] = {}  # each figure's words as last listed
    for row in rows:
        said = (row[3], row[4], row[5])
        figure = (row[0], row[1], row[2])
        own, in_its_month = row[15], row[16]
        if last.get(figure) == said:
            words[figure] = own
            continue  # the same again, from a later return
        comment = why(own, in_its_month, words.get(figure), revision=figure in last)
        last[figure], words[figure] = said, own
        out.append(HistoryRow(*(*row[:15], comment)))
    return out


def why(own: str, in_its_month: str, before: str | None, *, revision: bool) -> str:
    """The lead's words on a value, as the master's Changes line takes them: for a
    first value, the comment on its month; for a revision, the comment on the revised
    month where the lead rewrote it, else the reason given in the revising return's own
    month column (where the template asks for it)."""
    if not revision or (own and own != before):
        return own
    return in_its_month or own


def history_csv(rows: list[HistoryRow]) -> str:
    """The rows as CSV, a header line first; no field a spreadsheet would run."""
    return csv_text(COLUMNS, (asdict(row).values() for row in rows))


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
