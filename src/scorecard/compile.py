"""The pipeline: catalogue + returns -> readings -> assessments -> RunResult.

Data flows one way. This module reads nothing itself beyond asking `returns` for the
figures, and writes nothing: `workbook` turns the RunResult into the master.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .assess import (
    assess,
    direction_of_travel,
    period_target_text,
    target_text,
    travel,
)
from .catalogue import Catalogue, Indicator
from .derive import derive
from .errors import Level, Problem
from .model import Assessment, ChaseItem, Figures, Reading, ReturnFile, Status
from .periods import FinancialYear, Month


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's row of the report."""

    indicator: Indicator
    reading: Reading
    assessment: Assessment
    target: str
    direction: str | None  # better / same / worse against the period before
    direction_long: str | None = None  # ... against the same period last year

    @property
    def status(self) -> Status:
        return self.assessment.status


@dataclass
class RunResult:
    """Everything the master workbook and the JSON output show."""

    catalogue: Catalogue
    month: Month
    results: list[IndicatorResult]
    problems: list[Problem] = field(default_factory=list)
    chase: list[ChaseItem] = field(default_factory=list)
    files: list[ReturnFile] = field(default_factory=list)

    @property
    def year(self) -> FinancialYear:
        return self.catalogue.financial_year(self.month)

    @property
    def ok(self) -> bool:
        return not any(p.level == Level.ERROR for p in self.problems)

    def counts(self) -> dict[Status, int]:
        counts = {s: 0 for s in Status}
        for r in self.results:
            counts[r.status] += 1
        return counts

    def counts_by_objective(self) -> dict[str, dict[Status, int]]:
        table: dict[str, dict[Status, int]] = {
            o.key: {s: 0 for s in Status} for o in self.catalogue.objectives
        }
        for r in self.results:
            table[r.indicator.objective][r.status] += 1
        return table


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


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a compile makes hundreds of thousands of
    long-lived objects, none in cycles, and each collection would walk them all again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
