"""The results as CSV: one row per indicator, the JSON output's fields, every field
neutralised so that a spreadsheet opening the file runs no formula from a return."""

from __future__ import annotations

import csv
import io
from typing import Any

from ..csvsafe import neutralise
from ..jsonout import run_to_json
from ..result import RunResult

COLUMNS = (
    "key",
    "label",
    "title",
    "objective",
    "owner",
    "target",
    "value",
    "numeric_value",
    "numeric_target",
    "ratio",
    "status",
    "explanation",
    "period",
    "direction_short",
    "direction_long",
    "variation",
    "assurance",
    "commentary",
    "commentary_by",
    "commentary_source",
    "sources",
)


def csv_rows(run: RunResult) -> list[dict[str, Any]]:
    """Each indicator's row as the JSON gives it, flattened to the CSV's columns."""
    rows = []
    for item in run_to_json(run)["indicators"]:
        commentary = item["commentary"] or {}
        spc = item["spc"] or {}
        where = (
            f"{commentary['file']}: {commentary['sheet']}!{commentary['cell']}"
            if commentary
            else ""
        )
        rows.append(
            {
                **{c: item.get(c) for c in COLUMNS},
                "variation": spc.get("variation"),
                "assurance": spc.get("assurance"),
                "commentary": commentary.get("text"),
                "commentary_by": commentary.get("given_by"),
                "commentary_source": where,
                "sources": "; ".join(item["sources"]),
            }
        )
    return rows


def field_text(value: Any) -> str:
    """A field as the CSV writes it: numbers in full (repr), None empty, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return neutralise(str(value))


def results_csv(run: RunResult) -> str:
    """The results as CSV text, a header row first, lines ending CRLF (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in csv_rows(run):
        writer.writerow([field_text(item[c]) for c in COLUMNS])
    return buffer.getvalue()
