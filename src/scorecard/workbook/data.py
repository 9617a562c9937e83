"""The Data sheet: every indicator's figures as one filterable table, with the cells of
the returns each figure came from."""

from __future__ import annotations

import re
from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..model import Source
from ..result import IndicatorResult, RunResult
from .layout import Column, Grid, add_table, page_setup, widths
from .objective import NO_COMMENTARY
from .styles import Styles
from .texts import ReportTexts

DATA_COLUMNS = (
    Column("Key", 16),
    Column("Label", 13),
    Column("Indicator", 40),
    Column("Objective", 30),
    Column("Owner", 20),
    Column("Target", 16),
    Column("Value", 22),
    Column("Numeric value", 13),
    Column("Numeric target", 13),
    Column("Ratio", 8),
    Column("Status", 14),
    Column("Period", 18),
    Column("Direction", 10),
    Column("Direction long term", 10),
    Column("Explanation", 50),
    Column("Sources", 50),
    Column("Commentary", 50),
    Column("Commentary from", 30),
)
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def write_data(sheet: Worksheet, run: RunResult, texts: ReportTexts, styles: Styles) -> None:
    """Fill `sheet` with the table of every indicator, one row each."""
    catalogue = run.catalogue
    objectives = {o.key: o.title for o in catalogue.objectives}
    owners = {o.key: o.name for o in catalogue.owners}
    grid = Grid(sheet, styles, widths(DATA_COLUMNS))
    add_table(grid, "Indicators", len(run.results), DATA_COLUMNS)
    for row, result in enumerate(run.results, 1):
        for col, text in _strings(result, objectives, owners).items():
            grid.text(row, col, text, "cell")
        grid.number(row, 7, result.reading.value if result.reading.available else None, "number")
        grid.number(row, 8, result.assessment.target_value, "number")
        grid.number(row, 9, result.assessment.ratio, "ratio")
    page_setup(grid, texts, header_row=0)


def _strings(
    result: IndicatorResult, objectives: dict[str, str], owners: dict[str, str]
) -> dict[int, str]:
    """The row's text cells by column; the numbers (7 to 9) are written as numbers."""
    indicator, reading = result.indicator, result.reading
    short, long = result.direction, result.direction_long
    return {
        0: indicator.key,
        1: indicator.label,
        2: indicator.title,
        3: objectives.get(indicator.objective, indicator.objective),
        4: owners.get(indicator.owner, indicator.owner),
        5: result.target,
        6: reading.text,
        10: str(result.status),
        11: reading.period,
        12: short or "",
        13: long or "",
        14: result.assessment.explanation,
        15: source_text(reading.sources),
        16: _commentary(result),
        17: _commentary_source(result),
    }


def _commentary(result: IndicatorResult) -> str:
    if result.commentary is not None:
        return result.commentary.text
    return NO_COMMENTARY if result.commentary_required else ""


def _commentary_source(result: IndicatorResult) -> str:
    commentary = result.commentary
    if commentary is None:
        return ""
    who = f" (signed off by {commentary.given_by})" if commentary.given_by else ""
    return f"{commentary.source}{who}"


def source_text(sources: tuple[Source, ...]) -> str:
    """Sources grouped by file and sheet, runs of cells down a column as ranges.

    ``a.xlsx: Return!G5:G28, F12; b.xlsx: Return!G9``
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for source in sources:
        groups.setdefault((source.file, source.sheet), []).append(source.cell)
    return "; ".join(
        f"{file}: {sheet}!{', '.join(_cell_runs(cells))}" for (file, sheet), cells in groups.items()
    )


def _cell_runs(cells: list[str]) -> list[str]:
    runs: list[list[Any]] = []  # [column, first row, last row] or [cell]
    for cell in cells:
        match = _CELL_REF.match(cell)
        if match is None:
            runs.append([cell])
            continue
        column, number = match.group(1), int(match.group(2))
        last = runs[-1] if runs else None
        if last is not None and len(last) == 3 and last[0] == column and last[2] + 1 == number:
            last[2] = number
        else:
            runs.append([column, number, number])
    return [
        run[0]
        if len(run) == 1
        else f"{run[0]}{run[1]}"
        if run[1] == run[2]
        else f"{run[0]}{run[1]}:{run[0]}{run[2]}"
        for run in runs
    ]
