"""One indicator's XmR chart: its points, segments, variation and assurance. Pure.

`analyse` takes a monthly series (each month's own figure) with the catalogue's settings
and returns an `SpcResult`, the value the writers show. A rebase month starts a new
segment with limits of its own; the rules run within each segment; the icons read the
last one. Fewer points than the minimum in that segment: "insufficient data", no icon.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from ..periods import Month
from .xmr import (
    AssuranceType,
    Limits,
    PointType,
    Rule,
    RuleSet,
    assurance,
    limits,
    point_type,
    special_causes,
)


class Variation(StrEnum):
    """The variation icon: the last point's type, high or low as the icon draws it."""

    COMMON = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"
    NEUTRAL_HIGH = "neutral_high"
    NEUTRAL_LOW = "neutral_low"

    @property
    def kind(self) -> str:
        """common_cause, improvement, concern or neutral."""
        return self.value.rsplit("_", 1)[0] if self is not Variation.COMMON else self.value


class SpcState(StrEnum):
    OK = "ok"
    INSUFFICIENT = "insufficient_data"
    NO_SERIES = "no_series"  # nothing to chart: no month's own figure (a rolling value...)
    NO_VARIATION = "no_variation"  # the moving ranges are all zero: limits have no width


NO_VARIATION_REASON = (
    "no variation to set limits by: the moving ranges are all zero{screened}, so every "
    "change would be a signal; a count of rare events wants a chart of the time between "
    "them (a G or T chart), not an XmR chart"
)


CHART_NAMES = {"xmr": "XmR", "t": "T", "g": "G"}


@dataclass(frozen=True)
class SpcOptions:
    """The catalogue's settings for one indicator, as the arithmetic takes them: the
    profile's rules (NHSRplotthedots' by default), each as the catalogue resolved it."""

    profile: str = "ptd"
    chart: str = "xmr"  # the kind the catalogue asks for: xmr, t, g or auto
    shift_points: int = 7
    trend_points: int = 7
    two_in_three: str = "within_limits"  # or beyond_two_sigma (MDC, 2023)
    assurance_ties: str = "strict"  # or inclusive (MDC)
    screen_outliers: bool = True
    screen_mean: bool = False  # screening also takes the outliers out of the mean
    minimum_points: int = 13
    baseline_points: int | None = None
    rebase: tuple[Month, ...] = ()

    @property
    def rules(self) -> RuleSet:
        return RuleSet(
            shift_points=self.shift_points,
            trend_points=self.trend_points,
            two_in_three_beyond_limits=self.two_in_three == "beyond_two_sigma",
        )

    @property
    def run_length(self) -> int | None:
        """The one run length, where the shift and the trend have the same."""
        return self.shift_points if self.shift_points == self.trend_points else None


@dataclass(frozen=True)
class Method:
    """How a kind of chart sets its limits: the scale its rules run on (`forward`), its
    limits there, and those limits as the chart shows them (`shown`)."""

    kind: str
    forward: Callable[[float], float]
    limits: Callable[[list[float], SpcOptions], Limits]
    shown: Callable[[Limits], Limits]


def _xmr_limits(values: list[float], options: SpcOptions) -> Limits:
    return limits(
        values,
        screen=options.screen_outliers,
        baseline=options.baseline_points,
        screen_mean=options.screen_mean,
    )


def _same(value: Any) -> Any:
    return value


XMR = Method("xmr", _same, _xmr_limits, _same)


@dataclass(frozen=True)
class SpcPoint:
    """One month of the chart: its value, its segment's lines and its rule hits."""

    month: Month
    value: float
    mean: float
    lower: float
    upper: float
    rule: Rule  # the rule that names the point, by precedence
    hits: tuple[Rule, ...]  # every rule the point is part of
    type: PointType
    screened: bool = False  # its moving range was left out of the limits

    @property
    def special(self) -> bool:
        return self.rule is not Rule.COMMON


@dataclass(frozen=True)
class SpcSegment:
    """The points from one rebase to the next, and their limits."""

    first: Month
    last: Month
    points: int
    limits: Limits


@dataclass(frozen=True)
class SpcResult:
    """What the writers show: the chart's points, the icons, and why any is missing."""

    state: SpcState
    reason: str = ""  # why there is no chart, or no icon
    series: str = ""  # what each point is ("offences in the month")
    points: tuple[SpcPoint, ...] = ()
    segments: tuple[SpcSegment, ...] = ()
    variation: Variation | None = None
    assurance: AssuranceType | None = None
    assurance_reason: str = ""  # why there is no assurance icon
    target: float | None = None  # the target in the series' terms
    target_basis: str = ""  # how it was stated ("2007/08's monthly mean less 4%")
    options: SpcOptions = SpcOptions()
    gaps: tuple[Month, ...] = ()  # months without a figure, left out of the series
    kind: str = "xmr"  # the chart drawn: xmr, t (time between events) or g
    note: str = ""  # what a chart of events assumes of monthly counts
    events: int | None = None  # a chart of events: how many the counts hold

    @property
    def profile(self) -> str:
        """The rule profile the marks were made by (ptd or mdc)."""
        return self.options.profile

    @property
    def chart_name(self) -> str:
        """The chart's kind as a board reads it: XmR, T or G."""
        return CHART_NAMES.get(self.kind, self.kind)

    @property
    def ok(self) -> bool:
        return self.state is SpcState.OK


def rule_reason(rule: Rule, options: SpcOptions) -> str:
    """The rule that marked a point, in words, with the parameter the profile gave it."""
    if rule in (Rule.TREND_UP, Rule.TREND_DOWN):
        way = "rising" if rule is Rule.TREND_UP else "falling"
        return f"trend: part of {options.trend_points} points in a row {way}"
    if rule in (Rule.RUN_ABOVE, Rule.RUN_BELOW):
        side = "above" if rule is Rule.RUN_ABOVE else "below"
        return f"shift: part of {options.shift_points} points in a row {side} the mean"
    if rule in (Rule.TWO_IN_THREE_ABOVE, Rule.TWO_IN_THREE_BELOW):
        side = "above" if rule is Rule.TWO_IN_THREE_ABOVE else "below"
        counted = (
            "points beyond the process limits counted (MDC, 2023)"
            if options.two_in_three == "beyond_two_sigma"
            else "points between two and three sigma counted"
        )
        return f"two of three points beyond two sigma {side} the mean ({counted})"
    return {
        Rule.ABOVE_UPPER: "above the upper process limit",
        Rule.BELOW_LOWER: "below the lower process limit",
    }.get(rule, "common cause")


def direction_of(polarity: str) -> int:
    """+1 where higher is better, -1 where lower is, 0 where neither."""
    return {"higher_is_better": 1, "lower_is_better": -1}.get(polarity, 0)


def variation_of(kind: PointType, direction: int) -> Variation:
    """The icon for the last point's type: improvement high where higher is better..."""
    if kind is PointType.COMMON:
        return Variation.COMMON
    if kind is PointType.NEUTRAL_HIGH:
        return Variation.NEUTRAL_HIGH
    if kind is PointType.NEUTRAL_LOW:
        return Variation.NEUTRAL_LOW
    up = direction > 0
    if kind is PointType.IMPROVEMENT:
        return Variation.IMPROVEMENT_HIGH if up else Variation.IMPROVEMENT_LOW
    return Variation.CONCERN_LOW if up else Variation.CONCERN_HIGH


def _segments(series: list[tuple[Month, float]], rebase: tuple[Month, ...]) -> list[list[int]]:
    """The indexes of each segment: a rebase month starts a new one."""
    groups: list[list[int]] = []
    marks = sorted(rebase)
    for i, (month, _) in enumerate(series):
        starts = not groups or any(series[groups[-1][-1]][0] < m <= month for m in marks)
        if starts:
            groups.append([])
        groups[-1].append(i)
    return groups


def _segment(
    series: list[tuple[Month, float]], direction: int, options: SpcOptions, method: Method
) -> tuple[SpcSegment, list[SpcPoint]]:
    """One segment's limits, and its points with their rules (run on the method's scale)."""
    months = [m for m, _ in series]
    values = [v for _, v in series]
    work = [method.forward(v) for v in values]
    lim = method.limits(work, options)
    rules = special_causes(work, lim, options.rules)
    if lim.mean_range == 0:  # limits of no width: no rule can tell signal from noise
        rules = replace(rules, rule=[Rule.COMMON] * len(values), hits=[()] * len(values))
    shown = method.shown(lim)
    points = [
        SpcPoint(
            month=month,
            value=value,
            mean=shown.mean,
            lower=shown.lower,
            upper=shown.upper,
            rule=rules.rule[j],
            hits=rules.hits[j],
            type=point_type(rules.rule[j], direction),
            screened=j in lim.screened,
        )
        for j, (month, value) in enumerate(series)
    ]
    return SpcSegment(months[0], months[-1], len(values), shown), points


def analyse(
    series: list[tuple[Month, float]],
    *,
    direction: int,
    options: SpcOptions = SpcOptions(),
    target: float | None = None,
    target_reason: str = "",
    label: str = "",
    method: Method = XMR,
) -> SpcResult:
    """The chart of `series` (months in order; an XmR chart unless `method` says), with
    the icons where it has enough."""
    if not series:
        return SpcResult(SpcState.NO_SERIES, reason="no monthly figures", series=label)
    points: list[SpcPoint] = []
    segments: list[SpcSegment] = []
    for indexes in _segments(series, options.rebase):
        segment, made = _segment([series[i] for i in indexes], direction, options, method)
        segments.append(segment)
        points.extend(made)
    last = segments[-1]
    chart = SpcResult(
        SpcState.OK,
        series=label,
        points=tuple(points),
        segments=tuple(segments),
        target=target,
        options=options,
        kind=method.kind,
    )
    if last.points < options.minimum_points:
        since = f" since the rebase in {last.first.label}" if len(segments) > 1 else ""
        return replace(
            chart,
            state=SpcState.INSUFFICIENT,
            reason=f"insufficient data: {last.points} points{since}, "
            f"fewer than the {options.minimum_points} the limits need",
        )
    if last.limits.mean_range == 0:
        screened = " once the largest are screened out" if last.limits.screened else ""
        return replace(
            chart,
            state=SpcState.NO_VARIATION,
            reason=NO_VARIATION_REASON.format(screened=screened),
        )
    inclusive = options.assurance_ties == "inclusive"
    found = (
        None if target is None else assurance(target, last.limits, direction, inclusive=inclusive)
    )
    if target is None:
        why = target_reason
    else:
        why = "" if found else "the indicator has no better direction"
    return replace(
        chart,
        variation=variation_of(points[-1].type, direction),
        assurance=found,
        assurance_reason=why,
    )
