"""What a return must carry: the months each derivation reads, each owner's rows and columns.

Pure functions of the catalogue, shared by the template writer (which lays the form out)
and the reader (which knows which cells to expect and which months to chase).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..periods import PERIOD_MONTHS, FinancialYear, Month, is_quarter_end, month_range, window
from ..rules import looks_back
from .schema import (
    AsGiven,
    Catalogue,
    Change,
    Derivation,
    FytdAverage,
    FytdTotal,
    Gap,
    Indicator,
    Measure,
    Parts,
    PopulationRate,
    RollingRate,
    RollingTotal,
    TextAnswer,
)
from .spc import spc_settings


def required_months(
    indicator: Indicator,
    month: Month,
    fy_start: int = 4,
    frequency: str = "monthly",
    looks_back: tuple[int, ...] = (),
) -> list[Month]:
    """Every month whose figures the reading for `month` uses (for the template and chase).

    `looks_back` adds the readings the assessment rule compares with (12 for the same
    period last year). For a quarterly organisation only quarter ends carry figures.
    """
    found: set[Month] = set()
    for at in (month, *(month - back for back in looks_back)):
        end = indicator.period.end_for(at, fy_start)
        _collect_months(indicator.derive, end, fy_start, found)
    if indicator.forecast is not None:
        found.add(indicator.period.end_for(month, fy_start))
    if frequency == "quarterly":
        found = {m for m in found if is_quarter_end(m, fy_start)}
    return sorted(found)


def _collect_months(derive: Derivation, end: Month, fy_start: int, found: set[Month]) -> None:
    """Every calendar month the derivation may look at (quarterly ones use their ends)."""
    if isinstance(derive, AsGiven | TextAnswer | Gap):
        found.add(end)
    elif isinstance(derive, RollingTotal | RollingRate | PopulationRate):
        found.update(window(end, derive.months))
    elif isinstance(derive, Change):
        found.update(window(end, derive.months * 2))
    elif isinstance(derive, FytdAverage | FytdTotal):
        found.update(month_range(FinancialYear.containing(end, fy_start).first, end))
    elif isinstance(derive, Parts):
        for part in derive.parts:
            _collect_months(part.derive, end, fy_start, found)


def measure_refs(indicator: Indicator) -> list[tuple[str, str]]:
    """The (indicator key, measure name) pairs the indicator's derivation reads."""
    found: list[tuple[str, str]] = []

    def walk(derive: Any) -> None:
        for attr in ("measure", "numerator", "denominator", "minuend", "subtrahend"):
            ref = getattr(derive, attr, None)
            if ref:
                own, _, other = ref.partition(".")
                pair = (own, other) if other else (indicator.key, own)
                if pair not in found:
                    found.append(pair)
        for part in getattr(derive, "parts", None) or []:
            walk(part.derive)

    walk(indicator.derive)
    return found


def _forecast_measure(indicator: Indicator) -> str | None:
    forecast = getattr(indicator, "forecast", None)
    return forecast.measure if forecast is not None else None


def measure_months(
    catalogue: Catalogue, report_months: Iterable[Month]
) -> dict[tuple[str, str], set[Month]]:
    """For each (indicator key, measure), the months that reports for `report_months` read.

    A quarterly organisation reports, and returns figures, at quarter ends only.
    """
    org = catalogue.organisation
    start = org.financial_year_start
    frequency = getattr(org, "frequency", "monthly")
    months = org.reporting_months(list(report_months))
    needed: dict[tuple[str, str], set[Month]] = {}
    for ind in catalogue.indicators:
        refs = measure_refs(ind)
        forecast = _forecast_measure(ind)
        if not refs and forecast is None:
            continue
        reads: set[Month] = set()
        ends: set[Month] = set()
        back = looks_back(ind.scheme or org.scheme, PERIOD_MONTHS[frequency])
        for month in months:
            reads.update(required_months(ind, month, start, frequency, back))
            ends.add(ind.period.end_for(month, start))
        for ref in refs:
            needed.setdefault(ref, set()).update(reads)
        if forecast is not None:  # a year-end forecast, returned with each period's figures
            needed.setdefault((ind.key, forecast), set()).update(ends)
    return needed


def due_months(catalogue: Catalogue, month: Month) -> dict[tuple[str, str], set[Month]]:
    """For each (indicator key, measure), the months whose figures are new in the return
    for `month`: what its report reads that the previous report did not (a month behind
    for a lagged survey; nothing in a month that adds no figure to a row)."""
    org = catalogue.organisation
    step = PERIOD_MONTHS[getattr(org, "frequency", "monthly")]
    now = measure_months(catalogue, [month])
    before = measure_months(catalogue, [month - step])
    return {
        pair: due
        for pair, months in now.items()
        if (due := {m for m in months - before.get(pair, set()) if m <= month})
    }


def lag_words(indicator: Indicator) -> str:
    """How far behind the report month the indicator's figure is ("a month", "2 months"),
    or "" for a figure of the report month itself (or of a quarter or year)."""
    period = indicator.period
    if period.ends != "month" or not period.lag_months:
        return ""
    return "a month" if period.lag_months == 1 else f"{period.lag_months} months"


def behind_words(indicator: Indicator, frequency: str = "monthly") -> str:
    """Which month's figure each return carries for the indicator's rows, in words."""
    period = indicator.period
    word = "quarter" if frequency == "quarterly" else "month"
    behind = lag_words(indicator)
    if behind == "a month":
        return "a month behind: each return carries the month before its own"
    if behind:
        return f"{behind} behind: each return carries the month {behind} before its own"
    if period.ends == "month":
        return f"each return carries its own {word}'s figure"
    if period.ends == "quarter":
        return "the last complete quarter: due in the return after each quarter ends"
    return "the year's figure: due in the return after the year it covers ends"


def owner_rows(catalogue: Catalogue, owner: str) -> list[tuple[Indicator, Measure]]:
    """The rows of an owner's return, in catalogue order."""
    return [
        (ind, measure)
        for ind in catalogue.indicators
        if ind.owner == owner
        for measure in ind.measures
    ]


def template_months(catalogue: Catalogue, year: FinancialYear, owner: str) -> list[Month]:
    """The month columns of the owner's return: history the year needs, then the year.

    A quarterly organisation's return has a column per quarter end only.
    """
    needed = input_months(catalogue, year)
    first = year.first
    for ind, measure in owner_rows(catalogue, owner):
        months = needed.get((ind.key, measure.name))
        if months:
            first = min(first, min(months))
    columns = month_range(first, year.last)
    if getattr(catalogue.organisation, "frequency", "monthly") == "quarterly":
        columns = catalogue.organisation.reporting_months(columns)
    return columns


# The derivations whose monthly figures make an XmR chart's series (see spc.series).
_SERIES = (RollingTotal, Change, PopulationRate, RollingRate, FytdAverage, FytdTotal)


def spc_months(catalogue: Catalogue, year: FinancialYear) -> dict[tuple[str, str], set[Month]]:
    """For each measure feeding an XmR chart, the months its return carries for it: the
    `spc.history_months` to the year's first month (24: May 2006 to April 2008 for
    2008/09) and the rest of the year. Not required: a blank history month is never
    chased, it only shortens the chart."""
    org = catalogue.organisation
    found: dict[tuple[str, str], set[Month]] = {}
    for ind in catalogue.indicators:
        settings = spc_settings(getattr(org, "spc", None), getattr(ind, "spc", None))
        as_given = settings.series == "as_given" and isinstance(ind.derive, AsGiven | Gap)
        if not settings.enabled or not (isinstance(ind.derive, _SERIES) or as_given):
            continue
        first = year.first - max(settings.history_months - 1, 0)
        months = org.reporting_months(month_range(first, year.last))
        for ref in measure_refs(ind):
            found.setdefault(ref, set()).update(months)
    return found


def input_months(catalogue: Catalogue, year: FinancialYear) -> dict[tuple[str, str], set[Month]]:
    """The months each measure's row of the year's return takes: what the year's reports
    read, and the history of the XmR charts."""
    needed = measure_months(catalogue, year.months)
    for ref, months in spc_months(catalogue, year).items():
        needed[ref] = needed.get(ref, set()) | months
    return needed
