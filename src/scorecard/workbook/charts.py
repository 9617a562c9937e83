"""The Charts sheet: a native Excel line chart (XmR) per indicator with enough points.

Each chart draws the month's values, the mean, the process limits and the target in the
series' terms, and marks the special-cause points by their type (improvement blue
triangles, concern orange squares, neutral purple diamonds: a shape as well as a colour,
for a pack printed in black and white). The charts read their figures from the hidden
"SPC data" sheet, as values, never formulas; Excel and LibreOffice both draw them. Two
charts across, two rows of them to a printed page.

The axis reads in the measure's own unit and scale with round ticks (`chartscale`). A
line that is constant (a segment's mean and limits, the target) is written as its two
ends and drawn across the blanks between, and only the values carry the months (the
other series share the axis): a chart is a few hundred cached points, not thousands.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.workbook import Workbook

from ..result import IndicatorResult, RunResult
from ..spc import PointType, SpcResult
from .celltext import cell_text
from .chartdata import (
    CENTRE,
    FIRST_MARK,
    LOWER,
    TARGET_COLUMN,
    UPPER,
    VALUE,
    Block,
    ChartData,
)
from .chartscale import Scale, axis, plotted, scale_of, words
from .layout import Grid, page_setup
from .spc import COMMON, CONCERN, IMPROVEMENT, NEUTRAL, TARGET, assurance_cell, variation_cell
from .styles import Styles
from .texts import ReportTexts, footer

CHARTS_SHEET = "Charts"
DATA_SHEET = "SPC data"
CHART_WIDTHS = (2.0, 70.0, 2.0, 70.0)  # a margin and a chart, twice
# Two bands of caption and chart to a printed page, under the repeated title and legend
# (about 440 points of an A4 landscape page are left for them): 50 + 11 x 15 points each.
CAPTION_HEIGHT = 50  # points: four or five lines of the caption
CHART_ROWS = 11  # rows of 15 points under each chart's caption
CHART_SIZE = (520, 200)  # pixels: 150 pt of its 165 pt of rows, a gap before the next caption
FIRST_BAND = 4
# The marked points: a series each, markers only, by point type.
MARKS: tuple[tuple[str, tuple[PointType, ...], str, str], ...] = (
    ("Improvement", (PointType.IMPROVEMENT,), IMPROVEMENT, "triangle"),
    ("Concern", (PointType.CONCERN,), CONCERN, "square"),
    ("Neutral", (PointType.NEUTRAL_HIGH, PointType.NEUTRAL_LOW), NEUTRAL, "diamond"),
)
PLAIN = Scale()  # an axis of plain numbers
# Under a T or G chart's caption: what it assumes of monthly counts (the JSON's `note`
# says it whole).
EVENTS_NOTE = (
    "The returns give counts by month, not dates: each month's events are taken as spread "
    "evenly through it, so the days between them are estimates."
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
    figures = ChartData(data, rows)
    for i, result in enumerate(rows):
        band, side = divmod(i, 2)
        top = FIRST_BAND + band * (CHART_ROWS + 1)
        if side == 0 and band and band % 2 == 0:
            breaks.append(top)
        col = 1 + side * 2
        grid.text(top, col, caption(result), "note")
        grid.need(top, CAPTION_HEIGHT)
        chart = line_chart(workbook, result, figures.add(result))
        place = {"x_offset": 4, "y_offset": 4, "description": alt_text(result)}
        sheet.insert_chart(top + 1, col, chart, place)
        for r in range(top + 1, top + 1 + CHART_ROWS):
            grid.need(r, 15)
    sheet.set_h_pagebreaks(breaks)
    # The title and the legend at the top of every printed page of charts.
    page_setup(grid, texts, header_row=2, titles_from=0)
    # Not the report's "Rolling 12 months" footer: these charts plot each month's own.
    sheet.set_footer(
        footer(texts.organisation, f"Each month's own figure (not rolling), to {texts.month_long}")
    )


def caption(result: IndicatorResult) -> str:
    """Above a chart: what it is, its marks, its lines in the axis's unit, the target's
    basis, and for a chart of events what it assumes."""
    chart = result.spc
    assert chart is not None
    scale = scale_of(result.indicator, chart)
    last = chart.segments[-1].limits
    ind = result.indicator
    target = ""
    if chart.target is not None:
        target = f"; target {words(chart.target, scale)} ({chart.target_basis})"
    floor = ""
    if scale.floor_at_zero and last.lower < 0:
        floor = " (below zero: drawn at zero)"
    note = f"\n{EVENTS_NOTE}" if chart.kind != "xmr" else ""
    return cell_text(
        f"{ind.label} {ind.title}: {chart.series}\n"
        f"Variation: {variation_cell(chart)[0]}; assurance: {assurance_cell(chart)[0]}. "
        f"{centre_name(chart)} {words(last.mean, scale)}, limits "
        f"{words(last.lower, scale)}{floor} to {words(last.upper, scale)}{target}{note}"
    )


def alt_text(result: IndicatorResult) -> str:
    """The chart's text alternative (the drawing's description, which a screen reader and
    the tagged PDF give): what is plotted over which months, the lines drawn, and the
    months a rule marked, so the chart's message is there without seeing it."""
    chart = result.spc
    assert chart is not None
    ind = result.indicator
    first, last = chart.points[0].month, chart.points[-1].month
    lines = f"its {centre_name(chart).lower()}, process limits"
    lines += " and target" if chart.target is not None else ""
    marked = [p for p in chart.points if p.type is not PointType.COMMON]
    special = "; ".join(f"{p.month.long} ({p.rule.value.replace('_', ' ')})" for p in marked[:12])
    if len(marked) > 12:
        special += f"; and {len(marked) - 12} more"
    told = f" Points marked by a rule: {special}." if marked else " No point marked by a rule."
    kind = {"t": "T chart", "g": "G chart"}.get(chart.kind, "Line chart")
    text = (
        f"{kind} of {ind.label} {ind.title}: {chart.series}, {len(chart.points)} points "
        f"from {first.long} to {last.long}, with {lines}.{told} The caption above gives "
        "the marks, mean and limits; the SPC data sheet holds every figure."
    )
    return cell_text(text)[:1000]


def centre_name(chart: SpcResult) -> str:
    """The centre line's name: a G chart's is the median (qicharts2's), the rest the mean."""
    return "Median" if chart.kind == "g" else "Mean"


def y_range(chart: SpcResult, scale: Scale = PLAIN) -> dict[str, Any]:
    """The value axis around the points, limits and target (not from zero: a count in
    the thousands would be a flat line), in round steps."""
    seen = [v for p in chart.points for v in (p.value, p.lower, p.upper)]
    if chart.target is not None:
        seen.append(chart.target)
    if scale.floor_at_zero:
        seen = [max(v, 0.0) for v in seen]
    return axis([v / scale.divisor for v in seen], scale)


def _series(name: str, values: list[Any], **look: Any) -> dict[str, Any]:
    """One series of the chart: a line, or markers only. Without a cached copy of its
    figures (`values_data: []`): Excel and LibreOffice draw a chart from the cells it
    refers to (openpyxl's charts carry no copy either), and writing the copy was half of
    what the charts cost a compile (issue 25)."""
    return {"name": name, "values": values, "values_data": [], **look}


def _marker(shape: str, size: int, colour: str) -> dict[str, Any]:
    return {"type": shape, "size": size, "fill": {"color": colour}, "border": {"color": colour}}


def _line(colour: str, width: float, dash: str | None = None) -> dict[str, Any]:
    return {"color": colour, "width": width, **({"dash_type": dash} if dash else {})}


def line_chart(workbook: Workbook, result: IndicatorResult, block: Block) -> Any:
    """The SPC chart of one indicator, from its block of the data sheet."""
    spc = result.spc
    assert spc is not None
    chart: Any = workbook.add_chart({"type": "line"})

    def ref(offset: int, col: int | None = None) -> list[Any]:
        at = block.col + offset if col is None else col
        return [DATA_SHEET, block.first, at, block.last, at]

    no_marker = {"type": "none"}
    # Only the values carry the months: a line chart's series share its category axis.
    chart.add_series(
        _series(
            "Value",
            ref(VALUE),
            categories=ref(0, block.categories),
            # the labels themselves, so the axis is typed as text (a string cache)
            categories_data=block.labels,
            line=_line(COMMON, 1.5),
            marker=_marker("circle", 4, COMMON),
        )
    )
    centre = _line("#000000", 1.25)
    chart.add_series(_series(centre_name(spc), ref(CENTRE), line=centre, marker=no_marker))
    for name, offset in (("Lower limit", LOWER), ("Upper limit", UPPER)):
        look = _line("#7F7F7F", 1.0, "dash")
        chart.add_series(_series(name, ref(offset), line=look, marker=no_marker))
    if spc.target is not None:
        look = _line(TARGET, 1.25, "long_dash")
        chart.add_series(_series("Target", ref(TARGET_COLUMN), line=look, marker=no_marker))
    for offset, (name, types, colour, shape) in enumerate(MARKS, FIRST_MARK):
        if any(p.type in types for p in spc.points):
            look = {"line": {"none": True}, "marker": _marker(shape, 7, colour)}
            chart.add_series(_series(name, ref(offset), **look))
    title = plotted(result.indicator, spc)
    chart.set_title(
        {"name": chart_text(f"{result.indicator.label}: {title}"), "name_font": {"size": 9}}
    )
    chart.set_legend({"position": "bottom", "font": {"size": 7}})
    chart.set_x_axis({"num_font": {"size": 7, "rotation": -45}, "label_position": "low"})
    scale = scale_of(result.indicator, spc)
    values_axis = {"num_font": {"size": 7}, "major_gridlines": {"visible": False}}
    chart.set_y_axis({**values_axis, **y_range(spc, scale)})
    # The constant lines are their two ends: drawn across the blank rows between.
    chart.show_blanks_as("span")
    chart.set_size({"width": CHART_SIZE[0], "height": CHART_SIZE[1]})
    return chart


def chart_text(text: str) -> str:
    """A chart title from the catalogue, as text: xlsxwriter takes a name that starts
    with "=" for a reference to cells, so such a title starts with a space instead."""
    value = cell_text(text)[:150]
    return " " + value if value.startswith("=") else value
