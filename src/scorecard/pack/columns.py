"""The columns the pack prints of the objective tables, as the catalogue chooses them
(`organisation.pack.columns`), and what each shows of a row, as a compact mark where
the master has a sentence.

The report's five columns lead (ID, indicator, target, value, status); the indicator's
column takes the room the others leave. Where the chosen columns cannot fit A4
landscape at 100%, the table prints smaller, at the scale that fits.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from ..board import disagreement, is_yearly, variation_mark
from ..catalogue import PackColumn
from ..model import Status
from ..periods import TREND_POINTS
from ..result import IndicatorResult, RunResult
from ..spc import AssuranceType, SpcState
from ..workbook import StatusLook, explanation, sparkline
from ..workbook.texts import ReportTexts
from .measure import PAGE_WIDTH, column_points

# Each column's width in Excel's character units; the indicator's is what is left.
WIDTHS: dict[str, float] = {
    "id": 10,
    "target": 12,
    "value": 17,
    "status": 11,
    "trend": 12,
    "direction": 8.5,
    "direction_long": 9,
    "spc": 12.5,
    "variation": 12,
    "assurance": 11,
    "explanation": 30,
}
MIN_INDICATOR = 34.0
SPC_COLUMNS = frozenset({"spc", "variation", "assurance"})
DIRECTION_TEXT = {"better": "▲ better", "same": "► same", "worse": "▼ worse"}
ASSURANCE_SHORT = {
    AssuranceType.PASS: "P Passing",
    AssuranceType.FAIL: "F Failing",
    AssuranceType.HIT_AND_MISS: "~ Hit and miss",
}
PACK_NOTES = (
    "Trend: {points} {step}s, low to high. ▲ better, ► same, ▼ worse than the {step} before."
)


def pack_notes(frequency: str) -> str:
    """The key to the trend and direction marks, in the organisation's periods."""
    step = "quarter" if frequency == "quarterly" else "month"
    return PACK_NOTES.format(points=TREND_POINTS[frequency], step=step)


SPC_NOTE = (
    "SPC (NHS Making Data Count): ○ common cause, ▲ H / ▼ L special cause; P passing, "
    "F failing, ~ hit and miss the target; charts at the end."
)


class Layout(NamedTuple):
    """The table's columns: their names, headings and widths, and the print scale."""

    names: tuple[PackColumn, ...]
    headings: tuple[str, ...]
    widths: tuple[float, ...]
    scale: int  # per cent

    def column(self, name: str) -> int:
        """The column number of the column `name`."""
        return [str(n) for n in self.names].index(name)


def layout(run: RunResult, texts: ReportTexts) -> Layout:
    """The pack's columns for `run`: the catalogue's choice, without the SPC columns where
    no row has SPC."""
    chosen = [
        c for c in run.catalogue.organisation.pack.columns if c not in SPC_COLUMNS or run.has_spc
    ]
    step = "quarter" if run.catalogue.organisation.frequency == "quarterly" else "month"
    headings = {
        "id": texts.headings[0],
        "indicator": texts.headings[1],
        "target": texts.headings[2],
        "value": texts.headings[3],
        "status": texts.headings[4],
        "trend": texts.headings[5],
        "direction": f"Last {step}",
        "direction_long": f"Same {step} last year",
        "spc": "SPC: variation, assurance",
        "variation": "Variation (SPC)",
        "assurance": "Assurance (SPC)",
        "explanation": "Explanation",
    }
    others = sum(WIDTHS[c] for c in chosen if c != "indicator")
    room = (PAGE_WIDTH - 3.3 * len(chosen)) / 5.61 - 0.5  # characters across the page
    indicator = max(MIN_INDICATOR, math.floor(room - others))
    widths = tuple(indicator if c == "indicator" else WIDTHS[c] for c in chosen)
    printed = sum(column_points(w) for w in widths)
    scale = min(100, math.floor(PAGE_WIDTH / printed * 100))
    return Layout(tuple(chosen), tuple(headings[c] for c in chosen), widths, scale)


def cell(
    name: str, result: IndicatorResult, year_to_date: bool, looks: dict[Status, StatusLook]
) -> tuple[str, str]:
    """What column `name` shows of `result`, and its format name (not id, indicator or
    status: the sheet writes those itself)."""
    yearly = is_yearly(result)
    if name == "target":
        return result.target, "centre"
    if name == "value":
        return result.reading.text, "centre"
    if name == "trend":
        return ("" if yearly else sparkline(result.reading.trend)), "spark"
    if name == "direction":
        if yearly:
            return "", "mark"
        if result.direction is None and year_to_date and result.direction_long is not None:
            return "year to date", "mark"
        return DIRECTION_TEXT.get(result.direction or "", ""), "mark"
    if name == "direction_long":
        return DIRECTION_TEXT.get(result.direction_long or "", ""), "mark"
    if name == "spc":
        marks = [variation_short(result), assurance_short(result)]
        return "\n".join(m for m in marks if m), "mark"
    if name == "variation":
        return variation_short(result), "mark"
    if name == "assurance":
        return assurance_short(result), "mark"
    if name == "explanation":
        said = explanation(result, looks)
        return " ".join(p for p in (said, disagreement(result)) if p), "explanation"
    raise ValueError(f"no pack column {name!r}")


def variation_short(result: IndicatorResult) -> str:
    """The variation mark in a few characters: blank where the row is not charted."""
    chart = result.spc
    if chart is None or chart.state is SpcState.NO_SERIES:
        return ""
    if chart.state is SpcState.NO_VARIATION:
        return "No variation"
    if chart.state is SpcState.INSUFFICIENT:
        return "Too few points"
    return variation_mark(chart)


def assurance_short(result: IndicatorResult) -> str:
    """The assurance mark in a few characters: blank where there is none."""
    chart = result.spc
    if chart is None or not chart.ok or chart.assurance is None:
        return ""
    return ASSURANCE_SHORT[chart.assurance]
