"""An indicator's monthly series as an inline SVG line chart, written here: no chart
library, no script.

The chart is a picture of the table printed beneath it (the same months, the same
figures), so its text alternative is short: what is plotted, over which months, and
where the table is. Lines are drawn in colours that stand at 3:1 or more against the
page, and each kind of line differs in its dash as well as its colour (never by colour
alone). The SPC limits, where the indicator is charted, are drawn segment by segment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from html import escape

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 48
SERIES = "#1D4F91"  # the figures
CENTRE = "#4D4D4D"  # the mean
LIMIT = "#6B6B6B"  # the process limits
TARGET = "#B3261E"
SPECIAL = "#B35900"  # a point SPC marks as a special cause
GRID = "#D0D0D0"


@dataclass(frozen=True)
class ChartLine:
    """A line drawn across the chart: the mean, a limit, or the target."""

    name: str
    values: tuple[float | None, ...]  # one per month; None leaves a gap
    colour: str
    dash: str = ""  # SVG stroke-dasharray


@dataclass(frozen=True)
class ChartData:
    """What a chart shows: months, the figures, and the lines beside them."""

    title: str  # says what is plotted
    months: tuple[str, ...]
    values: tuple[float | None, ...]
    lines: tuple[ChartLine, ...] = ()
    special: frozenset[int] = field(default_factory=frozenset)  # months SPC marks
    floor: float | None = None  # the axis never goes below it (a count's limits: zero)
    money: bool = False  # the axis in pounds, millions as £m, as the table words money


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis ticks from at or below `low` to at or above `high`: steps of 1, 2,
    2.5 or 5 times a power of ten."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, 2.5, 5, 10) if s * power >= raw)
    tick = math.floor(low / step) * step
    ticks = [round(tick, 10)]
    while tick < high - step * 1e-9:
        tick += step
        ticks.append(round(tick, 10))
    return ticks


def tick_text(value: float, money: bool = False, millions: bool = False) -> str:
    """An axis label: thousands separated, no trailing zeros; money with its £, in
    millions (£2.5m) where the axis reaches a million."""
    if millions:
        value /= 1_000_000
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    if not money:
        return text
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    return f"{sign}£{digits}{'m' if millions else ''}"


@dataclass(frozen=True)
class Frame:
    """The plot's scales: month index to x, value to y."""

    count: int
    low: float
    high: float

    def x(self, index: int) -> float:
        return LEFT + (index + 0.5) * (WIDTH - LEFT - RIGHT) / max(self.count, 1)

    def y(self, value: float) -> float:
        plot_h = HEIGHT - TOP - BOTTOM
        return TOP + plot_h - (value - self.low) / (self.high - self.low) * plot_h


def render_chart(chart: ChartData, chart_id: str) -> str:
    """The chart as an SVG element (text, safe to embed), labelled for screen readers by
    its title and description."""
    chart = _floored(chart)
    numbers = [v for v in chart.values if v is not None and math.isfinite(v)]
    for line in chart.lines:
        numbers.extend(v for v in line.values if v is not None and math.isfinite(v))
    ticks = nice_ticks(min(numbers), max(numbers)) if numbers else [0.0, 1.0]
    frame = Frame(len(chart.months), ticks[0], ticks[-1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(chart.title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_description(chart))}</desc>',
        *_axes(frame, ticks, chart),
    ]
    for line in chart.lines:
        parts.extend(_polylines(line.values, frame, line.colour, line.dash, 1.5))
    parts.extend(_polylines(chart.values, frame, SERIES, "", 2.5))
    parts.extend(_points(chart, frame))
    parts.append("</svg>")
    return "".join(parts)


def _floored(chart: ChartData) -> ChartData:
    """The chart with its lines held at the floor: a count's lower limit below zero is
    drawn at zero (the table gives it as computed)."""
    floor = chart.floor
    if floor is None:
        return chart

    def held(values: tuple[float | None, ...]) -> tuple[float | None, ...]:
        return tuple(v if v is None or v >= floor else floor for v in values)

    lines = tuple(replace(line, values=held(line.values)) for line in chart.lines)
    return replace(chart, lines=lines)


def _axes(frame: Frame, ticks: list[float], chart: ChartData) -> list[str]:
    """Grid lines with their values, month labels (at most 13), and the two axes."""
    months = chart.months
    millions = chart.money and max(abs(ticks[0]), abs(ticks[-1])) >= 1_000_000
    parts = []
    for tick in ticks:
        at = frame.y(tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{at:.1f}" y2="{at:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{at + 4:.1f}" text-anchor="end" '
            f'class="tick">{escape(tick_text(tick, chart.money, millions))}</text>'
        )
    step = max(1, math.ceil(len(months) / 13))
    for index, month in enumerate(months):
        if index % step == 0:
            parts.append(
                f'<text x="{frame.x(index):.1f}" y="{HEIGHT - BOTTOM + 18}" '
                f'text-anchor="middle" class="tick">{escape(month)}</text>'
            )
    bottom = HEIGHT - BOTTOM
    parts.append(
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{bottom}" stroke="#000000"/>'
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" y2="{bottom}" stroke="#000000"/>'
    )
    return parts


def _points(chart: ChartData, frame: Frame) -> list[str]:
    """A dot per figure; a square (not only a colour) where SPC marks a special cause."""
    parts = []
    for index, value in enumerate(chart.values):
        if value is None or not math.isfinite(value):
            continue
        x, y = frame.x(index), frame.y(value)
        if index in chart.special:
            parts.append(
                f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" '
                f'fill="{SPECIAL}" stroke="#000000" stroke-width="1"/>'
            )
        else:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{SERIES}"/>')
    return parts


def _description(chart: ChartData) -> str:
    shown = [m for m, v in zip(chart.months, chart.values, strict=True) if v is not None]
    span = f"{shown[0]} to {shown[-1]}" if shown else "no month with a figure"
    extra = [line.name for line in chart.lines]
    beside = f", with {', '.join(extra)}" if extra else ""
    marks = (
        f"; {len(chart.special)} point(s) marked as special cause (squares)"
        if chart.special
        else ""
    )
    return f"Line chart, {span}{beside}{marks}. The table below gives every figure."


def _polylines(
    values: tuple[float | None, ...], frame: Frame, colour: str, dash: str, width: float
) -> list[str]:
    """A line through `values`, broken where a month has none."""
    runs: list[list[str]] = [[]]
    for index, value in enumerate(values):
        if value is None or not math.isfinite(value):
            runs.append([])
        else:
            runs[-1].append(f"{frame.x(index):.1f},{frame.y(value):.1f}")
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return [
        f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
        f'stroke-width="{width}"{dashed}/>'
        for run in runs
        if len(run) > 1
    ]
