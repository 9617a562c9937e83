"""The Issues sheet: every problem found, one filterable row each, or a line saying none."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from ..result import RunResult
from .layout import Column, Grid, add_table, page_setup, widths
from .styles import Styles
from .texts import ReportTexts

ISSUE_COLUMNS = (
    Column("Level", 9),
    Column("Code", 22),
    Column("File", 36),
    Column("Line", 6),
    Column("Sheet", 12),
    Column("Cell", 7),
    Column("Key", 16),
    Column("Month", 9),
    Column("Message", 70),
)


def write_issues(sheet: Worksheet, run: RunResult, texts: ReportTexts, styles: Styles) -> None:
    """Fill `sheet` with the run's problems."""
    grid = Grid(sheet, styles, widths(ISSUE_COLUMNS))
    if not run.problems:
        grid.text(0, 0, "No problems found", "heading")
        page_setup(grid, texts, header_row=None)
        return
    add_table(grid, "Problems", len(run.problems), ISSUE_COLUMNS)
    for row, problem in enumerate(run.problems, 1):
        values = (
            str(problem.level),
            problem.code,
            problem.file,
            problem.line,
            problem.sheet,
            problem.cell,
            problem.key,
            problem.month,
            problem.message,
        )
        for col, value in enumerate(values):
            if isinstance(value, int):
                grid.number(row, col, value, "cell")
            else:
                grid.text(row, col, value or "", "cell")
    page_setup(grid, texts, header_row=0)
