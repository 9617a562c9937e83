"""Charts for rare events (issue 24): the time or the opportunities between events, for a
count whose XmR chart has no variation (domestic homicides, disruptions). Pure.

The returns carry counts by month, not the events' dates, so the events are placed: a
month's k events are spread evenly through it, the j-th at (j + 1/2) / k of its days (a
quarter's through the quarter's days). The days between consecutive events follow, the
first event of a month measured from the last of the month before with one. That is
the one assumption the chart makes, and its note says so.

- **T chart** (time between events), as Making Data Count and qicharts2 draw it: the
  days between events transformed, y = t^(1/3.6), an XmR chart on the transformed
  values (its limits and rules), the centre line and limits transformed back, a lower
  limit below zero shown as zero.
- **G chart** (opportunities between events, each day an opportunity): the whole days
  between events; limits from the geometric distribution as qicharts2 sets them, the
  mean g plus or minus three times sqrt(g (g + 1)), the lower at zero or above; the
  centre line, and the side of it the shift rule reads, the median.
"""

from __future__ import annotations

import calendar
import math
import statistics
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from ..periods import Month
from .xmr import LIMIT, Limits

T_POWER = 3.6  # the T chart's transform: y = t ** (1 / 3.6)


@dataclass(frozen=True)
class Intervals:
    """The gaps between the events placed from monthly counts."""

    points: list[tuple[Month, float]]  # (the month of the event ending it, days since the last)
    events: int
    days_since_last: float | None  # from the last event to the end of the last period
    last_event: Month | None


def whole_counts(series: list[tuple[Month, float]]) -> bool:
    """Whether every figure is a count of events: a whole number, zero or more."""
    return all(v >= 0 and float(v).is_integer() for _, v in series)


def _days(first: Month, months: int) -> tuple[int, int]:
    """The day number (proleptic ordinal) a run of `months` starts on, and its days."""
    start = first - (months - 1)
    covered = [start + i for i in range(months)]
    return _ordinal(start), sum(calendar.monthrange(m.year, m.month)[1] for m in covered)


def _ordinal(month: Month) -> int:
    return date(month.year, month.month, 1).toordinal()


def intervals(series: list[tuple[Month, float]]) -> Intervals:
    """The days between consecutive events, each month's (or quarter's) events spread
    evenly through it."""
    stamps: list[tuple[Month, float]] = []
    end = 0.0
    for i, (month, count) in enumerate(series):
        period = month.minus(series[i - 1][0]) if i else _first_period(series)
        start, days = _days(month, period)
        end = start + days
        k = int(count)
        stamps.extend((month, start + (j + 0.5) * days / k) for j in range(k))
    points = [(b[0], b[1] - a[1]) for a, b in pairwise(stamps)]
    return Intervals(
        points=points,
        events=len(stamps),
        days_since_last=end - stamps[-1][1] if stamps else None,
        last_event=stamps[-1][0] if stamps else None,
    )


def _first_period(series: list[tuple[Month, float]]) -> int:
    """The months the first point covers: as many as the step to the next point."""
    return series[1][0].minus(series[0][0]) if len(series) > 1 else 1


def mean_days_per_period(series: list[tuple[Month, float]]) -> float:
    """The mean number of days a point of the series covers (a month's, or a quarter's)."""
    period = _first_period(series)
    spans = [_days(month, period)[1] for month, _ in series]
    return sum(spans) / len(spans)


def t_forward(days: float) -> float:
    return float(days ** (1 / T_POWER))


def _back(value: float) -> float:
    # a transformed limit below zero has no time to stand for: the limit is zero
    return float(max(value, 0.0) ** T_POWER)


def t_shown(lim: Limits) -> Limits:
    """A T chart's transformed limits back in days."""
    return Limits(
        mean=_back(lim.mean),
        mean_range=lim.mean_range,
        lower=_back(lim.lower),
        upper=_back(lim.upper),
        near_lower=_back(lim.near_lower),
        near_upper=_back(lim.near_upper),
        screened=lim.screened,
    )


def g_limits(values: list[float], baseline: int | None = None) -> Limits:
    """A G chart's limits from the geometric distribution (qicharts2's `qic.g`): the mean
    g of the whole days between events, sigma sqrt(g (g + 1)), limits at three sigma
    (the lower not below zero), the centre line the median."""
    fixed = values[:baseline] if baseline else values
    mean = sum(fixed) / len(fixed)
    sigma = math.sqrt(mean * (mean + 1))
    return Limits(
        mean=statistics.median(fixed),
        # sigma as the XmR arithmetic carries it (the mean moving range / 1.128)
        mean_range=sigma * LIMIT / 3,
        lower=max(mean - 3 * sigma, 0.0),
        upper=mean + 3 * sigma,
        near_lower=max(mean - 2 * sigma, 0.0),
        near_upper=mean + 2 * sigma,
    )


def g_value(days: float) -> float:
    """The opportunities (whole days) between two events."""
    return float(math.floor(days))


def between_target(target: float | None, days_per_period: float) -> tuple[float | None, str]:
    """A count's target per period as days between events; None where the target is
    zero (no time between events meets it) or there is none."""
    if target is None:
        return None, ""
    if target <= 0:
        return None, "a target of no events: every event misses it"
    days = days_per_period / target
    return days, f"{target:g} events a period, one every {days:.1f} days"


def assumption(kind: str, found: Intervals, series: list[tuple[Month, float]]) -> str:
    """What the chart assumes of monthly counts, and the time since the last event."""
    what = (
        "the days between events, transformed as Making Data Count does (y = t^(1/3.6)), "
        "limits from an XmR chart of the transformed values, transformed back"
        if kind == "t"
        else "the whole days between events (each day an opportunity), limits from the "
        "geometric distribution, the centre line the median"
    )
    since = ""
    if found.days_since_last is not None and found.last_event is not None:
        since = (
            f" The last event was in {found.last_event.label}: "
            f"about {found.days_since_last:.0f} days to the end of {series[-1][0].label}."
        )
    return (
        f"{'T' if kind == 't' else 'G'} chart of {what}. The returns give counts by month, "
        "not the events' dates: each month's events are taken as spread evenly through "
        "it (k events at (j + 1/2)/k of its days), so the days between are estimates." + since
    )
