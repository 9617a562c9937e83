"""Which chart an indicator gets, and the T or G chart of a count of rare events. Pure.

`chart: auto` (or `xmr`, `t`, `g`) in the catalogue: `auto` draws an XmR chart, but a
count of whole events whose moving ranges are all zero once the largest are screened
out (the XmR chart has no variation to set limits by, whatever the profile screens) is
a count of rare events, and gets a T chart of the time between them (`rare`).
"""

from __future__ import annotations

import math
from dataclasses import replace

from ..periods import Month
from .chart import Method, SpcOptions, SpcResult, SpcState, analyse
from .rare import (
    assumption,
    between_target,
    g_limits,
    g_value,
    intervals,
    mean_days_per_period,
    t_forward,
    t_shown,
    whole_counts,
)
from .xmr import Limits, assurance, limits

Points = list[tuple[Month, float]]


def _t_limits(values: list[float], options: SpcOptions) -> Limits:
    return limits(
        values,
        screen=options.screen_outliers,
        baseline=options.baseline_points,
        screen_mean=options.screen_mean,
    )


def _g_limits(values: list[float], options: SpcOptions) -> Limits:
    return g_limits(values, options.baseline_points)


def _same(lim: Limits) -> Limits:
    return lim


def _identity(value: float) -> float:
    return value


METHODS = {
    "t": Method("t", t_forward, _t_limits, t_shown),
    "g": Method("g", _identity, _g_limits, _same),
}
LABELS = {"t": "days between events", "g": "whole days between events"}


def _counted(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def chart_kind(asked: str, series: Points, *, counts: bool = True) -> str:
    """The chart to draw: as asked, or for `auto` a T chart for a count of rare events
    (`counts`: the series is a count of events, not a rate or a percentage)."""
    if asked != "auto":
        return asked
    values = [v for _, v in series]
    rare = len(values) > 1 and whole_counts(series) and limits(values).mean_range == 0
    return "t" if counts and rare else "xmr"


def event_chart(
    series: Points,
    kind: str,
    *,
    direction: int,
    options: SpcOptions,
    target: float | None,
    target_reason: str = "",
) -> SpcResult:
    """The T or G chart of a monthly count: each gap between events a point. Fewer gaps
    than the minimum is "insufficient data"; `direction` is the count's (fewer events is
    better: a longer gap is), `target` the count's per period."""
    if not whole_counts(series):
        return SpcResult(
            SpcState.NO_SERIES,
            reason=f"a {kind.upper()} chart charts counts of events, and a figure here "
            "is not a whole number",
            options=options,
            kind=kind,
        )
    found = intervals(series)
    values = [(m, g_value(d) if kind == "g" else d) for m, d in found.points]
    per_period = mean_days_per_period(series)
    days_target, basis = between_target(target, per_period)
    note = assumption(kind, found, series)
    if len(values) < options.minimum_points:
        return SpcResult(
            SpcState.INSUFFICIENT,
            reason=f"insufficient data: {_counted(found.events, 'event')} from "
            f"{series[0][0].label} to {series[-1][0].label}, so "
            f"{_counted(len(values), 'gap')} between events, fewer than the "
            f"{options.minimum_points} points the limits need",
            series=LABELS[kind],
            options=options,
            kind=kind,
            note=note,
            events=found.events,
        )
    chart = analyse(
        values,
        direction=-direction,
        options=options,
        target=days_target,
        target_reason=target_reason,
        label=LABELS[kind],
        method=METHODS[kind],
    )
    chart = replace(chart, note=note, events=found.events, target_basis=basis)
    if chart.ok and target is not None and target <= 0 and direction != 0:
        # no gap is long enough for no events at all: an infinite gap is the target
        found_mark = assurance(math.inf, chart.segments[-1].limits, -direction)
        chart = replace(chart, assurance=found_mark, assurance_reason="")
    return chart
