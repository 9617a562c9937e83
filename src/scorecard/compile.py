"""The pipeline: catalogue + returns -> readings -> assessments -> RunResult.

Data flows one way. This module reads nothing itself beyond asking `returns` for the
figures, and writes nothing: `workbook` turns the RunResult into the master.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .assess import (
    assess,
    direction_of_travel,
    period_target_text,
    target_text,
    travel,
)
from .catalogue import Catalogue, missing_targets
from .derive import derive
from .errors import Level, Problem
from .form import COMMENTARY_SHEET
from .gcpause import collector_paused
from .model import Commentary, Figures, SignOff
from .periods import Month
from .result import IndicatorResult, RunResult
from .returns import ReturnsRead
from .spc import indicator_spc

if TYPE_CHECKING:
    from .cache import ReturnCache


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
    from .returns import latest_month

    if month is None:
        month = latest_month(returns_dir)
    cache = ReturnCache.for_catalogue(cache_dir, catalogue)
    read = read_month(
        catalogue,
        returns_dir,
        month,
        workers=workers,
        timeout=timeout,
        progress=progress,
        cache=cache,
    )
    return compile_read(catalogue, read, month)


def read_month(
    catalogue: Catalogue,
    returns_dir: str | Path,
    month: Month,
    *,
    workers: int | None = None,
    timeout: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: ReturnCache | None = None,
) -> ReturnsRead:
    """The returns up to `month` read and merged (`returns.read_returns`): the figures,
    problems and chase list, and every return merged (`ReturnsRead.files`, with what
    the ledger needs to find each again). The cache's stale entries are pruned."""
    from .returns import read_returns

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
    if cache is not None:
        cache.prune()
    return read


def compile_read(
    catalogue: Catalogue,
    read: ReturnsRead,
    month: Month,
    results: list[IndicatorResult] | None = None,
) -> RunResult:
    """The run for `month` from returns already read (and `results`, if assessed)."""
    if results is None:
        with collector_paused():
            results = assessed(catalogue, read.figures, month)
    results = add_commentary(catalogue, results, read, month)
    return RunResult(
        catalogue=catalogue,
        month=month,
        results=results,
        problems=[
            *missing_targets(catalogue, catalogue.financial_year(month)),
            *read.problems,
            *commentary_problems(catalogue, results, read, month),
        ],
        chase=list(read.chase),
        files=list(read.files),
        sign_offs=sign_offs(catalogue, read, month),
    )


def assessed(catalogue: Catalogue, figures: Figures, month: Month) -> list[IndicatorResult]:
    """Every indicator derived, assessed and, where the catalogue asks, charted (SPC)."""
    return add_spc(catalogue, assess_all(catalogue, figures, month), figures, month)


def add_spc(
    catalogue: Catalogue, results: list[IndicatorResult], figures: Figures, month: Month
) -> list[IndicatorResult]:
    """Each row with its XmR chart and icons, where the catalogue asks for SPC."""
    org = catalogue.organisation
    return [replace(r, spc=indicator_spc(r.indicator, figures, month, org)) for r in results]


def add_commentary(
    catalogue: Catalogue, results: list[IndicatorResult], read: ReturnsRead, month: Month
) -> list[IndicatorResult]:
    """Each row with the owner's words for the report month, and whether it needs them."""
    org = catalogue.organisation
    out = []
    for result in results:
        indicator = result.indicator
        comment = read.comment_for(indicator.key, month)
        commentary = None
        if comment is not None:
            signed = read.sign_offs.get(comment.source.file, {})
            commentary = Commentary(
                text=comment.text,
                month=month,
                owner=indicator.owner,
                source=comment.source,
                given_by=signed.get("Name", ""),
                role=signed.get("Role", ""),
            )
        required = indicator.commentary_required(result.status, org)
        out.append(replace(result, commentary=commentary, commentary_required=required))
    return out


def commentary_problems(
    catalogue: Catalogue, results: list[IndicatorResult], read: ReturnsRead, month: Month
) -> list[Problem]:
    """A `commentary-missing` warning for each row whose status needs the owner's words."""
    returns = {f.owner: f.path for f in read.files if f.month == month}
    problems = []
    for result in results:
        if not result.commentary_required or result.commentary is not None:
            continue
        indicator = result.indicator
        owner = catalogue.owner(indicator.owner)
        status = catalogue.organisation.statuses.get(result.status)
        name = status.label if status is not None else str(result.status)
        problems.append(
            Problem(
                "commentary-missing",
                f"{indicator.label or indicator.key}: {name} for {month.label} and no commentary "
                f"from {owner.name}: the catalogue asks for the owner's words at this status; "
                f"ask for a sentence on the {COMMENTARY_SHEET} sheet",
                level=Level.WARNING,
                file=returns.get(indicator.owner),
                sheet=COMMENTARY_SHEET if indicator.owner in returns else None,
                key=indicator.key,
                month=month.label,
            )
        )
    return problems


def sign_offs(catalogue: Catalogue, read: ReturnsRead, month: Month) -> list[SignOff]:
    """Who signed off each return of the report month, in the order they were read."""
    names = {o.key: o.name for o in catalogue.owners}
    return [
        SignOff(
            owner=f.owner,
            owner_name=names.get(f.owner, f.owner),
            file=f.path,
            month=f.month,
            name=read.sign_offs.get(f.path, {}).get("Name", ""),
            role=read.sign_offs.get(f.path, {}).get("Role", ""),
            date=read.sign_offs.get(f.path, {}).get("Date", ""),
        )
        for f in read.files
        if f.month == month
    ]
