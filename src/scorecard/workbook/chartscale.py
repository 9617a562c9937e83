"""What an SPC chart's value axis reads (issue 20, item 4): round ticks, the measure's
own unit and scale (counts as counts, money as the table shows it, £m), a title that
says what is plotted, and a count's lower limit never below zero. Pure: from the
indicator and its SPC result to numbers and words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..catalogue import Indicator, PopulationRate, RollingRate
from ..spc import SpcResult

NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
TICKS = 5  # about this many steps between the axis's ends
# Units whose figures are never below zero: a limit below zero is drawn at zero.
NOT_NEGATIVE = frozenset({"count", "money", "percent", "rate", "number"})


@dataclass(frozen=True)
class Scale:
    """The value axis: what a figure is divided by, its format, its unit in words."""

    divisor: float = 1.0
    prefix: str = ""  # in the tick labels' number format: '"£"'
    suffix: str = ""  # '"m"', '"%"'
    unit: str = ""  # "£m", "%", "days": for the caption
    floor_at_zero: bool = False


def words(value: float, scale: Scale) -> str:
    """A figure as the caption says it, in the axis's scale: "£3.02m", "10.7%", "15 days"."""
    number = _number(value / scale.divisor)
    if scale.unit == "£m":
        return f"£{number}m"
    if scale.unit == "%":
        return f"{number}%"
    return f"{number} {scale.unit}" if scale.unit else number


def _number(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:,.0f}"


def nice_step(span: float) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `TICKS` steps."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / TICKS
    power = 10.0 ** math.floor(math.log10(raw))
    return next(step * power for step in NICE_STEPS if step * power >= raw * 0.999)


def _decimals(step: float) -> int:
    """The decimals a tick label needs to show `step` exactly (2.5 needs one)."""
    for digits in range(0, 7):
        if abs(round(step, digits) - step) < step * 1e-9:
            return digits
    return 6


def scale_of(indicator: Indicator, chart: SpcResult) -> Scale:
    """The value axis's scale for the indicator's measure."""
    if chart.kind != "xmr":
        return Scale(unit="days", floor_at_zero=True)
    derive = indicator.derive
    if isinstance(derive, RollingRate):
        if derive.scale == 100:
            return Scale(suffix='"%"', unit="%", floor_at_zero=True)
        return Scale(floor_at_zero=True)
    if isinstance(derive, PopulationRate):
        return Scale(unit=f"per {derive.per:,} population", floor_at_zero=True)
    if indicator.unit == "money":
        return Scale(divisor=1e6, prefix='"£"', suffix='"m"', unit="£m", floor_at_zero=True)
    return Scale(floor_at_zero=indicator.unit in NOT_NEGATIVE)


def axis(values: list[float], scale: Scale) -> dict[str, Any]:
    """The value axis's min, max and major unit: round steps around `values` (already
    divided by the scale's divisor), a step to spare at either end, not below zero for
    a figure that cannot be; its number format with the decimals the step needs."""
    low, high = min(values), max(values)
    span = high - low or abs(high) or 1.0
    step = nice_step(span)
    bottom = math.floor(low / step) * step
    top = math.ceil(high / step) * step
    if bottom == low:
        bottom -= step
    if top == high:
        top += step
    if scale.floor_at_zero:
        bottom = max(bottom, 0.0)
    digits = _decimals(step)
    number = "#,##0" + ("." + "0" * digits if digits else "")
    fmt = f"{scale.prefix}{number}{scale.suffix}"
    return {
        "min": round(bottom, digits + 1),
        "max": round(top, digits + 1),
        "major_unit": step,
        "num_format": fmt,
    }


def plotted(indicator: Indicator, chart: SpcResult) -> str:
    """What the chart plots, in words: the measure's own label, for the month."""
    derive = indicator.derive
    own = {m.name: m.label for m in indicator.measures}
    measure = own.get(str(getattr(derive, "measure", "")), "")
    if chart.kind != "xmr":
        what = measure or indicator.title
        return f"days between events ({chart.chart_name} chart): {what}"
    if isinstance(derive, RollingRate):
        word = "percentage" if derive.scale == 100 else "rate"
        return f"each month's own {word} (not the rolling 12 months)"
    if isinstance(derive, PopulationRate) and measure:
        return f"{measure}, per {derive.per:,} population"
    if indicator.unit == "money" and measure:
        return measure.replace(" (£)", "") + " (£m)"
    return measure or f"{indicator.title} ({chart.series})"
