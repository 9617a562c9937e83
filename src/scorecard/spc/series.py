"""The series an indicator's XmR chart runs on, and its target in the series' terms. Pure.

SPC runs on each month's own figure, never on a rolling 12-month value: overlapping
windows share eleven months of twelve, so their points are not independent and would
fake a trend. So the series is read from the returned monthly figures, by derivation:
a count (rolling totals, changes, year-to-date averages and totals), a rate per head of
the month's count, or a month's numerator over its denominator (rolling rates). A figure
returned as given is charted only where the catalogue says it is the month's own
(`spc.series: as_given`); a survey's rolling percentage is not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..catalogue import (
    AsGiven,
    BaselineTarget,
    Change,
    FytdAverage,
    FytdTotal,
    Gap,
    ImproveTarget,
    IncreaseTarget,
    Indicator,
    LevelTarget,
    NoTarget,
    Organisation,
    PartsTarget,
    PopulationRate,
    ProfileTarget,
    ReductionTarget,
    RollingRate,
    RollingTotal,
    SpcSettings,
    Target,
    ZeroTarget,
)
from ..model import Figure, Figures
from ..periods import FinancialYear, Month, month_range, window

Points = list[tuple[Month, float]]


@dataclass(frozen=True)
class MonthlySeries:
    """Each period's own figure up to the reported period's end, and what it is."""

    points: Points
    label: str  # "offences in the month"
    gaps: tuple[Month, ...] = ()  # months with no figure, left out
    reason: str = ""  # why there is none


def _number(fig: Figure | None) -> float | None:
    if fig is None or not fig.is_number:
        return None
    return float(fig.value)  # type: ignore[arg-type]


def _measure(indicator: Indicator, figures: Figures, ref: str) -> dict[Month, Figure]:
    own, _, other = ref.partition(".")
    key = (own, other) if other else (indicator.key, own)
    return figures.get(key, {})


def _months(series: list[dict[Month, Figure]], end: Month, org: Organisation) -> list[Month]:
    """The reporting months from the first with a figure up to `end`."""
    starts = [min(m for m in s if m <= end) for s in series if any(m <= end for m in s)]
    if not starts:
        return []
    return org.reporting_months(month_range(min(starts), end))


def monthly_series(
    indicator: Indicator, figures: Figures, end: Month, org: Organisation, settings: SpcSettings
) -> MonthlySeries:
    """The indicator's series of its own monthly figures, ending at `end`."""
    d = indicator.derive
    if isinstance(d, RollingTotal | Change | FytdAverage | FytdTotal):
        return _one(indicator, figures, d.measure, end, org, "in the month")
    if isinstance(d, PopulationRate):
        per = d.per / org.populations[d.population].value
        found = _one(
            indicator, figures, d.measure, end, org, f"per {d.per:,} population in the month"
        )
        return MonthlySeries([(m, v * per) for m, v in found.points], found.label, found.gaps)
    if isinstance(d, RollingRate):
        return _ratio(indicator, figures, d, end, org)
    if isinstance(d, AsGiven | Gap):
        if settings.series != "as_given":
            return MonthlySeries(
                [],
                "",
                reason="the figure is returned as given and may be a rolling value; "
                "`spc: {series: as_given}` charts it where each month's figure is its own",
            )
        if isinstance(d, AsGiven):
            return _one(indicator, figures, d.measure, end, org, "as returned")
        return _gap(indicator, figures, d, end, org)
    return MonthlySeries([], "", reason=f"no monthly figure to chart ({d.method})")


def _combined(
    indicator: Indicator,
    figures: Figures,
    refs: list[str],
    combine: Callable[..., float | None],
    end: Month,
    org: Organisation,
    label: str,
) -> MonthlySeries:
    """Each month's point from the month's figures of `refs`, combined; a month missing
    one of them (or one `combine` cannot use) is a gap."""
    measures = [_measure(indicator, figures, ref) for ref in refs]
    points, gaps = [], []
    for month in _months(measures, end, org):
        values = [_number(m.get(month)) for m in measures]
        value = None if None in values else combine(*values)
        if value is None:
            gaps.append(month)
        else:
            points.append((month, value))
    return MonthlySeries(points, label, tuple(gaps))


def _one(
    indicator: Indicator, figures: Figures, ref: str, end: Month, org: Organisation, label: str
) -> MonthlySeries:
    return _combined(indicator, figures, [ref], lambda a: a, end, org, label)


def _ratio(
    indicator: Indicator, figures: Figures, d: RollingRate, end: Month, org: Organisation
) -> MonthlySeries:
    label = "the month's rate" if d.scale != 100 else "the month's percentage"
    refs = [d.numerator, d.denominator]
    return _combined(
        indicator, figures, refs, lambda a, b: a / b * d.scale if b else None, end, org, label
    )


def _gap(
    indicator: Indicator, figures: Figures, d: Gap, end: Month, org: Organisation
) -> MonthlySeries:
    refs = [d.minuend, d.subtrahend]
    return _combined(indicator, figures, refs, lambda a, b: a - b, end, org, "the gap as returned")


def counts_events(indicator: Indicator) -> bool:
    """Whether the series is a count of events: one measure, a count, charted as it is
    (not a rate per head, nor a month's numerator over its denominator)."""
    d = indicator.derive
    measure = getattr(d, "measure", None)
    if measure is None or isinstance(d, PopulationRate) or "." in str(measure):
        return False
    units = {m.name: m.unit for m in indicator.measures}
    return units.get(str(measure)) == "count"


@dataclass(frozen=True)
class SeriesTarget:
    """The target in the series' terms, how it was stated, or why it cannot be."""

    value: float | None
    basis: str = ""
    reason: str = ""


def series_target(
    indicator: Indicator,
    target: Target | None,
    series: Points,
    end: Month,
    org: Organisation,
    year: FinancialYear,
) -> SeriesTarget:
    """The target a month's figure is held to: a level as it is (a 12-month total's over
    12), zero, or a change on last year as the previous 12 months' monthly mean changed."""
    d = indicator.derive
    months = getattr(d, "months", 12)
    # A quarterly organisation's point is a quarter's figure: a window holds fewer.
    periods = max(1, len(org.reporting_months(window(end, months))))
    if target is None or isinstance(target, NoTarget):
        return SeriesTarget(None, reason=f"no target for {year}")
    if isinstance(target, BaselineTarget):
        return SeriesTarget(None, reason=f"{year} is a baseline year: no target")
    if isinstance(target, ZeroTarget):
        return SeriesTarget(0.0, basis="zero")
    if isinstance(target, LevelTarget):
        if isinstance(d, RollingTotal | Change | PopulationRate) and periods > 1:
            return SeriesTarget(
                target.value / periods,
                basis=f"the {months}-month target of {target.value:g} over {periods} "
                + ("months" if periods == months else "quarters"),
            )
        if isinstance(d, FytdTotal):
            return SeriesTarget(None, reason="a year-to-date total's target has no monthly level")
        return SeriesTarget(target.value, basis="the level target")
    if isinstance(target, ReductionTarget | IncreaseTarget | ImproveTarget):
        return _on_last_year(target, series, org.reporting_months(window(end - months, months)))
    if isinstance(target, ProfileTarget):
        return SeriesTarget(None, reason="a profiled target changes through the year")
    if isinstance(target, PartsTarget):
        return SeriesTarget(None, reason="one target per part: no single series")
    return SeriesTarget(None, reason="the target cannot be put in the series' terms")


def _on_last_year(
    target: ReductionTarget | IncreaseTarget | ImproveTarget,
    series: Points,
    before: list[Month],
) -> SeriesTarget:
    """The mean of the periods `before` (the window the change is measured against), less
    (or plus) the target's per cent."""
    months = len(before)
    by_month = dict(series)
    values = [by_month[m] for m in before if m in by_month]
    if len(values) < len(before):
        return SeriesTarget(
            None,
            reason=f"no figures for all of the {months} periods to {before[-1].label}, "
            "which the change is measured against",
        )
    mean = sum(values) / len(values)
    span = f"{before[0].label} to {before[-1].label}"
    if isinstance(target, ImproveTarget):
        return SeriesTarget(mean, basis=f"the monthly mean of {span}")
    sign = -1 if isinstance(target, ReductionTarget) else 1
    word = "less" if sign < 0 else "plus"
    return SeriesTarget(
        mean * (1 + sign * target.percent / 100),
        basis=f"the monthly mean of {span} {word} {target.percent:g}%",
    )
