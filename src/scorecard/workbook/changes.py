"""Changes since the last pack, as the ledger found them: on the Summary, the statuses
that changed and the first restated figures; on a Changes sheet of their own, every
restated figure when there are more than the Summary holds."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from ..result import Changes, Restatement, RunResult
from .layout import Column, Grid, add_table, page_setup, widths
from .styles import Styles
from .texts import ReportTexts

CHANGES_ON_SUMMARY = 8  # more restated figures than this: all of them on a Changes sheet
CHANGES_SHEET = "Changes"
CHANGE_COLUMNS = (
    Column("Indicator", 16),
    Column("Measure", 16),
    Column("Month", 9),
    Column("In the pack", 14),
    Column("Now", 14),
    Column("From", 40),
    Column("Lead's comment", 60),
)


def needs_sheet(run: RunResult) -> bool:
    """Whether the restated figures need a Changes sheet of their own."""
    return run.changes is not None and len(run.changes.restated) > CHANGES_ON_SUMMARY


def restatement_line(change: Restatement) -> str:
    """``SPI 5.2 offences, Jun 2008: 1,035 -> 560 (file: Return!AF5): "why"``"""
    line = f"{change.label} {change.measure}, {change.month.label}: {change.old} -> {change.new}"
    if change.where:
        line += f" ({change.where})"
    return line + (f': "{change.comment}"' if change.comment else "")


def changes_block(grid: Grid, row: int, run: RunResult) -> int:
    """The Summary's lines on what changed since the last pack; the row after them."""
    changes = run.changes
    if changes is None:
        return row
    grid.text(row, 0, "Changes", "heading")
    grid.wide(row, 1, _since(changes), "text")
    row += 1
    for status in changes.statuses:
        grid.wide(row, 1, f"{status.label}: {status.describe()}", "text")
        row += 1
    shown = changes.restated if not needs_sheet(run) else changes.restated[:CHANGES_ON_SUMMARY]
    for change in shown:
        grid.wide(row, 1, restatement_line(change), "text")
        row += 1
    if len(shown) < len(changes.restated):
        more = len(changes.restated) - len(shown)
        grid.wide(row, 1, f"and {more} more: see the {CHANGES_SHEET} sheet", "text")
        row += 1
    return row


def _since(changes: Changes) -> str:
    when = changes.compiled_at[:16].replace("T", " ")
    n = len(changes.restated)
    said = f"{n} figure{'s' if n != 1 else ''} restated" if n else "no figure restated"
    return f"{said} since the {changes.pack_month.label} pack (compiled {when} UTC)"


def write_changes(sheet: Worksheet, run: RunResult, texts: ReportTexts, styles: Styles) -> None:
    """Fill `sheet` with every figure restated since the last pack."""
    assert run.changes is not None
    grid = Grid(sheet, styles, widths(CHANGE_COLUMNS))
    restated = run.changes.restated
    add_table(grid, "Restated", len(restated), CHANGE_COLUMNS)
    for row, change in enumerate(restated, 1):
        values = (
            change.label,
            change.measure,
            change.month.label,
            change.old,
            change.new,
            change.where,
            change.comment,
        )
        for col, value in enumerate(values):
            grid.text(row, col, value, "cell")
    page_setup(grid, texts, header_row=0)
