"""One indicator's SPC for a report month, from the catalogue's settings. Pure."""

from __future__ import annotations

from dataclasses import replace

from ..catalogue import Indicator, Organisation, spc_settings
from ..model import Figures
from ..periods import FinancialYear, Month
from .chart import SpcOptions, SpcResult, SpcState, analyse, direction_of
from .series import monthly_series, series_target


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
    options = SpcOptions(
        run_length=settings.run_length,
        screen_outliers=settings.screen_outliers,
        minimum_points=settings.minimum_points,
        baseline_points=settings.baseline_points,
        rebase=settings.rebase_months,
    )
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
    chart = analyse(
        series.points,
        direction=direction_of(indicator.polarity),
        options=options,
        target=target.value,
        target_reason=target.reason,
        label=series.label,
    )
    return replace(chart, target_basis=target.basis, gaps=series.gaps)
