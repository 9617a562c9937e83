"""One indicator's SPC for a report month, from the catalogue's settings. Pure."""

from __future__ import annotations

from dataclasses import replace

from ..catalogue import Indicator, Organisation, SpcSettings, spc_settings
from ..model import Figures
from ..periods import FinancialYear, Month
from .chart import SpcOptions, SpcResult, SpcState, analyse, direction_of
from .events import chart_kind, event_chart
from .series import counts_events, monthly_series, series_target


def spc_options(settings: SpcSettings) -> SpcOptions:
    """The catalogue's settings as the arithmetic takes them, each rule resolved from
    the field or else the profile."""
    return SpcOptions(
        profile=settings.profile,
        chart=settings.chart,
        shift_points=settings.rule("shift_points"),
        trend_points=settings.rule("trend_points"),
        two_in_three=settings.rule("two_in_three"),
        assurance_ties=settings.rule("assurance_ties"),
        screen_outliers=settings.rule("screen_outliers"),
        screen_mean=settings.rule("screen_mean"),
        minimum_points=settings.rule("minimum_points"),
        baseline_points=settings.baseline_points,
        rebase=settings.rebase_months,
    )


def indicator_spc(
    indicator: Indicator, figures: Figures, month: Month, organisation: Organisation
) -> SpcResult | None:
    """The indicator's XmR chart and icons for the report `month`; None where the
    catalogue does not ask for SPC (or the indicator is a text answer)."""
    settings = spc_settings(organisation.spc, indicator.spc)
    if not settings.enabled or indicator.unit == "text":
        return None
    fy_start = organisation.financial_year_start
    end = indicator.period.end_for(month, fy_start)
    series = monthly_series(indicator, figures, end, organisation, settings)
    options = spc_options(settings)
    if not series.points:
        return SpcResult(
            SpcState.NO_SERIES,
            reason=series.reason or "no monthly figures",
            options=options,
            gaps=series.gaps,
        )
    year = FinancialYear.containing(month, fy_start)
    target = series_target(
        indicator, indicator.target_for(year), series.points, end, organisation, year
    )
    direction = direction_of(indicator.polarity)
    kind = chart_kind(options.chart, series.points, counts=counts_events(indicator))
    if kind != "xmr":
        events = event_chart(
            series.points,
            kind,
            direction=direction,
            options=options,
            target=target.value,
            target_reason=target.reason,
        )
        return replace(events, gaps=series.gaps)
    chart = analyse(
        series.points,
        direction=direction,
        options=options,
        target=target.value,
        target_reason=target.reason,
        label=series.label,
    )
    return replace(chart, target_basis=target.basis, gaps=series.gaps)
