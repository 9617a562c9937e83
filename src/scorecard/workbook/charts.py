"""The Charts sheet: a native Excel line chart (XmR) per indicator with enough points.

Each chart draws the month's values, the mean, the process limits and the target in the
series' terms, and marks the special-cause points by their type (improvement blue
triangles, concern orange squares, neutral purple diamonds: a shape as well as a colour,
for a pack printed in black and white). The charts read their figures from the hidden
"SPC data" sheet, as values, never formulas; Excel and LibreOffice both draw them. Two
charts across, two rows of them to a printed page.
"""

from __future__ import annotations

import math
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..result import IndicatorResult, RunResult
from ..spc import PointType, SpcResult
from .celltext import cell_text
from .layout import Grid, page_setup
from .spc import COMMON, CONCERN, IMPROVEMENT, NEUTRAL, TARGET, assurance_cell, variation_cell
from .styles import Styles
from .texts import ReportTexts

CHARTS_SHEET = "Charts"
DATA_SHEET = "SPC data"
CHART_WIDTHS = (2.0, 70.0, 2.0, 70.0)  # a margin and a chart, twice
CHART_ROWS = 14  # rows of 15 points under each chart's caption
CHART_SIZE = (520, 255)  # pixels: the chart's width and height
FIRST_BAND = 4
DATA_HEADERS = ("Month", "Value", "Mean", "Lower limit", "Upper limit", "Target")
# The marked points: a series each, markers only, by point type.
MARKS: tuple[tuple[str, tuple[PointType, ...], str, str], ...] = (
    ("Improvement", (PointType.IMPROVEMENT,), IMPROVEMENT, "triangle"),
    ("Concern", (PointType.CONCERN,), CONCERN, "square"),
    ("Neutral", (PointType.NEUTRAL_HIGH, PointType.NEUTRAL_LOW), NEUTRAL, "diamond"),
)
LEGEND_TEXT = (
    "Statistical process control (NHS Making Data Count): each chart plots the month's own "
    "figure with its mean and process limits (mean ± 2.66 × the mean moving range). Marked "
    "points are special causes: outside the limits, a run of rising or falling points, two "
    "of three beyond two sigma on one side, or a run on one side of the mean. Variation: "
    "○ common cause, ▲ H / ▼ L improvement or concern (by which way is better), neutral "
    "where neither is. Assurance: P consistently passing, F consistently failing, ~ hit "
    "and miss (the target lies within the limits)."
)


def charted(run: RunResult) -> list[IndicatorResult]:
    """The rows that get a chart: SPC with enough points for limits."""
    return [r for r in run.results if r.spc is not None and r.spc.ok]


def write_charts(workbook: Workbook, run: RunResult, texts: ReportTexts, styles: Styles) -> None:
    """The Charts sheet and its hidden data sheet, where any row has a chart."""
    rows = charted(run)
    if not rows:
        return
    sheet = workbook.add_worksheet(CHARTS_SHEET)
    data = workbook.add_worksheet(DATA_SHEET)
    data.hide()
    grid = Grid(sheet, styles, CHART_WIDTHS)
    grid.text(0, 1, f"{texts.organisation}: {texts.title}", "title")
    grid.text(1, 1, f"Statistical process control charts, {texts.month_long}", "subtitle")
    grid.wide(2, 1, LEGEND_TEXT, "note")
    breaks = []
    data_row = 0
    for i, result in enumerate(rows):
        band, side = divmod(i, 2)
        top = FIRST_BAND + band * (CHART_ROWS + 1)
        if side == 0 and band and band % 2 == 0:
            breaks.append(top)
        col = 1 + side * 2
        grid.text(top, col, caption(result), "note")
        grid.need(top, 40)
        first, last = write_data(data, data_row, result)
        chart = line_chart(workbook, result, first, last)
        sheet.insert_chart(top + 1, col, chart, {"x_offset": 4, "y_offset": 4})
        data_row = last + 2
        for r in range(top + 1, top + 1 + CHART_ROWS):
            grid.need(r, 15)
    sheet.set_h_pagebreaks(breaks)
    # The title and the legend at the top of every printed page of charts.
    page_setup(grid, texts, header_row=2, titles_from=0)


def caption(result: IndicatorResult) -> str:
    """Above a chart: what it is, its marks, its lines and the target's basis."""
    chart = result.spc
    assert chart is not None
    last = chart.segments[-1].limits
    ind = result.indicator
    target = ""
    if chart.target is not None:
        target = f"; target {_number(chart.target)} ({chart.target_basis})"
    return cell_text(
        f"{ind.label} {ind.title}: {chart.series}\n"
        f"Variation: {variation_cell(chart)[0]}; assurance: {assurance_cell(chart)[0]}. "
        f"Mean {_number(last.mean)}, limits {_number(last.lower)} to {_number(last.upper)}"
        f"{target}"
    )


def _number(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:,.0f}"


def write_data(sheet: Worksheet, row: int, result: IndicatorResult) -> tuple[int, int]:
    """The chart's figures as a block of rows from `row`; its first and last data rows."""
    chart = result.spc
    assert chart is not None
    sheet.write_string(row, 0, cell_text(f"{result.indicator.label} ({result.indicator.key})"))
    headers = (*DATA_HEADERS, *(name for name, *_ in MARKS))
    for col, header in enumerate(headers):
        sheet.write_string(row + 1, col, header)
    first = row + 2
    for i, point in enumerate(chart.points):
        r = first + i
        sheet.write_string(r, 0, point.month.label)
        for col, value in enumerate((point.value, point.mean, point.lower, point.upper), 1):
            sheet.write_number(r, col, value)
        if chart.target is not None:
            sheet.write_number(r, 5, chart.target)
        for col, (_, types, _, _) in enumerate(MARKS, len(DATA_HEADERS)):
            if point.type in types:
                sheet.write_number(r, col, point.value)
    return first, first + len(chart.points) - 1


def y_range(chart: SpcResult) -> dict[str, Any]:
    """The value axis around the points, limits and target (not from zero: a count in
    the thousands would be a flat line), a tenth of the span spare at either end."""
    seen = [v for p in chart.points for v in (p.value, p.lower, p.upper)]
    if chart.target is not None:
        seen.append(chart.target)
    low, high = min(seen), max(seen)
    spare = (high - low) / 10 or abs(high) / 10 or 1.0
    power = math.floor(math.log10(spare))
    step, digits = 10.0**power, max(0, -power)  # bounds that read: whole steps of it
    bounds: dict[str, Any] = {
        "min": round(math.floor((low - spare) / step) * step, digits),
        "max": round(math.ceil((high + spare) / step) * step, digits),
    }
    if max(abs(low), abs(high)) >= 1000:
        bounds["num_format"] = "#,##0"  # thousands read with their commas
    return bounds


def _series(name: str, values: list[Any], categories: list[Any], **look: Any) -> dict[str, Any]:
    """One series of the chart: a line, or markers only."""
    return {"name": name, "categories": categories, "values": values, **look}


def _marker(shape: str, size: int, colour: str) -> dict[str, Any]:
    return {"type": shape, "size": size, "fill": {"color": colour}, "border": {"color": colour}}


def _line(colour: str, width: float, dash: str | None = None) -> dict[str, Any]:
    return {"color": colour, "width": width, **({"dash_type": dash} if dash else {})}


def line_chart(workbook: Workbook, result: IndicatorResult, first: int, last: int) -> Any:
    """The XmR chart of one indicator, from its block of the data sheet."""
    spc = result.spc
    assert spc is not None
    chart: Any = workbook.add_chart({"type": "line"})
    months = [DATA_SHEET, first, 0, last, 0]

    def ref(col: int) -> list[Any]:
        return [DATA_SHEET, first, col, last, col]

    no_marker = {"type": "none"}
    chart.add_series(
        _series(
            "Value", ref(1), months, line=_line(COMMON, 1.5), marker=_marker("circle", 4, COMMON)
        )
    )
    chart.add_series(_series("Mean", ref(2), months, line=_line("#000000", 1.25), marker=no_marker))
    for name, col in (("Lower limit", 3), ("Upper limit", 4)):
        look = _line("#7F7F7F", 1.0, "dash")
        chart.add_series(_series(name, ref(col), months, line=look, marker=no_marker))
    if spc.target is not None:
        look = _line(TARGET, 1.25, "long_dash")
        chart.add_series(_series("Target", ref(5), months, line=look, marker=no_marker))
    for col, (name, types, colour, shape) in enumerate(MARKS, len(DATA_HEADERS)):
        if any(p.type in types for p in spc.points):
            look = {"line": {"none": True}, "marker": _marker(shape, 7, colour)}
            chart.add_series(_series(name, ref(col), months, **look))
    ind = result.indicator
    chart.set_title({"name": chart_text(f"{ind.label}: {ind.title}"), "name_font": {"size": 9}})
    chart.set_legend({"position": "bottom", "font": {"size": 7}})
    chart.set_x_axis({"num_font": {"size": 7, "rotation": -45}, "label_position": "low"})
    axis = {"num_font": {"size": 7}, "major_gridlines": {"visible": False}, **y_range(spc)}
    chart.set_y_axis(axis)
    chart.show_blanks_as("gap")
    chart.set_size({"width": CHART_SIZE[0], "height": CHART_SIZE[1]})
    return chart


def chart_text(text: str) -> str:
    """A chart title from the catalogue, as text: xlsxwriter takes a name that starts
    with "=" for a reference to cells, so such a title starts with a space instead."""
    value = cell_text(text)[:120]
    return " " + value if value.startswith("=") else value
