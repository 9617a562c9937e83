"""The pipeline: catalogue + returns -> readings -> assessments -> RunResult.

Data flows one way. This module reads nothing itself beyond asking `returns` for the
figures, and writes nothing: `workbook` turns the RunResult into the master.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .assess import (
    assess,
    direction_of_travel,
    period_target_text,
    target_text,
    travel,
)
from .catalogue import Catalogue
from .derive import derive
from .gcpause import collector_paused
from .model import Figures
from .periods import Month
from .result import IndicatorResult, RunResult


def assess_all(catalogue: Catalogue, figures: Figures, month: Month) -> list[IndicatorResult]:
    """Derive and assess every indicator of the catalogue for the report month."""
    org = catalogue.organisation
    results = []
    for indicator in catalogue.indicators:
        reading = derive(indicator, figures, month, org)
        assessment = assess(indicator, reading, month, org.scheme, org.financial_year_start)
        year = catalogue.financial_year(month)
        target = indicator.target_for(year)
        end = indicator.period.end_for(month, org.financial_year_start)
        if target is None:
            wording = "No target"
        elif end in year:
            wording = period_target_text(target, end, year)
        else:
            wording = target_text(target)
        value = reading.value if reading.available else None
        results.append(
            IndicatorResult(
                indicator=indicator,
                reading=reading,
                assessment=assessment,
                target=wording,
                # A running total always rises on the period before: only last year compares.
                direction=None
                if indicator.is_year_to_date(year)
                else direction_of_travel(reading.trend, indicator.polarity),
                direction_long=travel(value, reading.last_year, indicator.polarity),
            )
        )
    return results


def compile_report(
    catalogue: Catalogue,
    returns_dir: str | Path,
    month: Month | None = None,
    *,
    workers: int | None = None,
    timeout: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache_dir: str | Path | None = None,
) -> RunResult:
    """Read the returns for `month` (default: the latest with returns) and assess them.

    Each return is read in a worker process (`workers` at once, each stopped after
    `timeout` seconds; see `returns.read_returns`), so no file can stop the run.
    `progress(done, total)` is told as returns are read. With `cache_dir`, returns read
    by an earlier run and unchanged since are taken from there (`scorecard.cache`).
    """
    from .cache import ReturnCache
    from .returns import latest_month, read_returns

    cache = ReturnCache.for_catalogue(cache_dir, catalogue)

    if month is None:
        month = latest_month(returns_dir)
    # Reading builds hundreds of thousands of long-lived figures; the cyclic collector
    # would walk them all again and again for nothing (none of them form cycles).
    with collector_paused():
        read = read_returns(
            catalogue,
            returns_dir,
            month,
            workers=workers,
            timeout=timeout,
            progress=progress,
            cache=cache,
        )
        results = assess_all(catalogue, read.figures, month)
    if cache is not None:
        cache.prune()
    return RunResult(
        catalogue=catalogue,
        month=month,
        results=results,
        problems=list(read.problems),
        chase=list(read.chase),
        files=list(read.files),
    )
