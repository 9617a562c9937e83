"""The results as CSV: one row per indicator, the JSON output's fields, every field
neutralised so that a spreadsheet opening the file runs no formula from a return."""

from __future__ import annotations

from typing import Any

from ..csvsafe import csv_text
from ..jsonout import run_to_json
from ..result import RunResult
from ..workbook.data import source_text

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
    sources = {r.indicator.key: source_text(r.reading.sources) for r in run.results}
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
                # grouped by file, runs of cells as ranges: "a.xlsx: Return!G5:G28, F12"
                "sources": sources[item["key"]],
            }
        )
    return rows


def results_csv(run: RunResult) -> str:
    """The results as CSV text, a header row first, lines ending CRLF (RFC 4180), through
    `csvsafe.csv_text` as every CSV scorecard writes."""
    rows = csv_rows(run)
    return csv_text(COLUMNS, ([item[c] for c in COLUMNS] for item in rows))
