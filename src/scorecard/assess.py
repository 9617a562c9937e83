"""Assess a reading against its target. Pure functions on plain data: no I/O, no Excel.

The performance ratio says how far performance is from target, whatever the target's
kind; the organisation's scheme (a rule from `rules/`, chosen in the catalogue) turns the
ratio and the other facts (distance, direction of travel, forecast) into a status.

- level, higher is better: actual / target; lower is better: target / actual
- profile: a level target that depends on the quarter or month reported
- reduction (increase) target: achieved reduction (increase) / target reduction (increase)
- improve on the period before: actual / previous, or previous / actual
- zero target (lower is better): on target at zero, RED above it
- several parts: each part is assessed; the worst decides unless the catalogue says "first"
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from . import rules
from .catalogue import (
    BaselineTarget,
    ImproveTarget,
    IncreaseTarget,
    Indicator,
    LevelTarget,
    NoTarget,
    PartsTarget,
    ProfileTarget,
    ReductionTarget,
    Target,
    ZeroTarget,
)
from .model import RAG_ORDER, Assessment, Reading, Status
from .periods import FinancialYear, Month
from .rules.base import Facts, Tolerance, pct_agreeing


@dataclass(frozen=True)
class Rule:
    """How an indicator is judged: its scheme, polarity, tolerance and period."""

    scheme: Any
    polarity: str = "higher_is_better"
    tolerance: Tolerance | None = None
    end: Month | None = None  # the last month the reading covers (for profiled targets)
    year: FinancialYear | None = None
    part_polarities: tuple[str | None, ...] = ()  # parts that run the other way


def assess(
    indicator: Indicator,
    reading: Reading,
    month: Month,
    scheme: Any,
    fy_start: int = 4,
) -> Assessment:
    """Status, ratio and explanation for `indicator` reading `reading` in `month`."""
    year = FinancialYear.containing(month, fy_start)
    target = indicator.target_for(year)
    if reading.data_issue:
        return Assessment(
            Status.DATA_ISSUE, f"Data problem in the return: {reading.reason or 'see Issues'}"
        )
    if target is None or isinstance(target, NoTarget):
        return Assessment(Status.NO_TARGET, f"No target is set for {year}.")
    if isinstance(target, BaselineTarget):
        return Assessment(
            Status.BASELINE, f"{year} is a baseline year: this year's figure sets the baseline."
        )
    if indicator.not_assessed:
        return Assessment(Status.NOT_AVAILABLE, f"Not assessed: {indicator.not_assessed}")
    if not reading.available:
        reason = reading.reason or "no figure"
        if indicator.when_missing is not None:
            wm = indicator.when_missing
            return Assessment(wm.status, f"{wm.status} while data is missing: {wm.reason}")
        return Assessment(Status.NOT_AVAILABLE, f"Not available: {reason}.")
    end = indicator.period.end_for(month, fy_start)
    if end < year.first:
        return Assessment(
            Status.NOT_AVAILABLE,
            f"The latest figure is for the period to {end.label}, before {year} began: "
            f"{year} data is not yet available, so it is not assessed against the {year} target.",
        )
    rule = Rule(
        scheme=indicator.scheme or scheme,
        polarity=indicator.polarity,
        tolerance=indicator.tolerance,
        end=end,
        year=FinancialYear.containing(end, fy_start),
        part_polarities=tuple(p.polarity for p in getattr(indicator.derive, "parts", None) or ()),
    )
    return judge(target, reading, rule)


def assess_against(
    target: Target,
    reading: Reading,
    polarity: str,
    scheme: Any,
    *,
    tolerance: Tolerance | None = None,
    end: Month | None = None,
    year: FinancialYear | None = None,
) -> Assessment:
    """Assess an available reading against one target under a scheme."""
    return judge(target, reading, Rule(scheme, polarity, tolerance, end, year))


def judge(target: Target, reading: Reading, rule: Rule) -> Assessment:
    """Assess an available reading against one target under a rule."""
    if isinstance(target, PartsTarget):
        return _assess_parts(target, reading, rule)
    if isinstance(target, NoTarget):
        return Assessment(Status.NO_TARGET, "No target is set for this part.")
    if isinstance(target, BaselineTarget):
        return Assessment(Status.BASELINE, "Baseline year for this part.")
    if isinstance(target, ZeroTarget):
        return _assess_zero(reading)
    year_end = target.value if isinstance(target, LevelTarget) else None
    if isinstance(target, ProfileTarget):
        year_end = target.year_end
        if rule.end is None or rule.year is None:
            return Assessment(Status.NOT_AVAILABLE, "A profiled target needs the period reported.")
        value, name = target.value_for(rule.end, rule.year)
        text = f"{_num(value)} ({name} profile)"
        target = LevelTarget(kind="level", value=value, text=text)
    measured = performance_ratio(target, reading, rule.polarity)
    if measured is None:
        return Assessment(
            Status.NOT_AVAILABLE,
            f"{said(reading)} cannot be compared with {target_text(target)}: "
            "the figure for the period before is missing or zero.",
        )
    ratio, description = measured
    facts = Facts(
        ratio=ratio,
        actual=reading.value,
        target=_target_value(target, reading),
        polarity=rule.polarity,
        short_term=travel(reading.value, reading.last_period, rule.polarity),
        long_term=travel(reading.value, reading.last_year, rule.polarity),
        forecast_ratio=(
            _level_ratio(reading.forecast, year_end, rule.polarity == "lower_is_better")
            if reading.forecast is not None and year_end is not None
            else None
        ),
        forecast=reading.forecast,
        tolerance=rule.tolerance,
    )
    verdict = rules.apply(rule.scheme, facts)
    if math.isfinite(ratio) and ratio < 0:
        # A change the wrong way: no per cent "of target" (-191.8%) says it as well as words.
        explanation = (
            f"{description}: the change went the wrong way, away from the target: "
            f"{verdict.status}, {verdict.words}."
        )
    elif math.isfinite(ratio):
        shown = pct_agreeing(ratio, rules.edges(rule.scheme))
        explanation = f"{description} is {shown} of target: {verdict.status}, {verdict.words}."
    else:
        explanation = f"{description}: at zero, better than any target: {verdict.status}, " + (
            f"{verdict.words}."
        )
    return Assessment(verdict.status, explanation, ratio=ratio, target_value=facts.target)


def performance_ratio(target: Target, reading: Reading, polarity: str) -> tuple[float, str] | None:
    """The performance ratio, and a sentence saying what was compared with what."""
    value, previous = reading.value, reading.previous
    if value is None:
        return None
    lower = polarity == "lower_is_better"
    if isinstance(target, LevelTarget):
        desc = f"{said(reading)} against a target of {target_text(target)}"
        return _level_ratio(value, target.value, lower), desc + (
            " (lower is better)" if lower else ""
        )
    if previous is None or previous == 0:
        return None
    change_pct = (value - previous) / previous * 100
    if isinstance(target, ReductionTarget):
        achieved = -change_pct
        moved = (
            f"A {_num(achieved)}% reduction" if achieved >= 0 else f"A rise of {_num(-achieved)}%"
        )
        desc = (
            f"{moved} ({_num(previous)} to {_num(value)}) against a "
            f"{_num(target.percent)}% reduction target"
        )
        return achieved / target.percent, desc
    if isinstance(target, IncreaseTarget):
        moved = (
            f"A {_num(change_pct)}% increase"
            if change_pct >= 0
            else f"A fall of {_num(-change_pct)}%"
        )
        desc = (
            f"{moved} ({_num(previous)} to {_num(value)}) against a "
            f"{_num(target.percent)}% increase target"
        )
        return change_pct / target.percent, desc
    if isinstance(target, ImproveTarget):
        desc = f"{_num(value)} against {_num(previous)} in the period before"
        if lower:
            return (math.inf if value == 0 else previous / value), desc + " (lower is better)"
        return value / previous, desc
    return None


def said(reading: Reading) -> str:
    """The value as an explanation names it: its parts named where the catalogue says how
    (`explained`), else as the report prints it."""
    explained = reading.fields.get("explained")
    return explained if isinstance(explained, str) and explained else reading.text


def _level_ratio(value: float, target: float, lower: bool) -> float:
    if lower:
        return math.inf if value == 0 else target / value
    if target == 0:
        return math.inf if value > 0 else 1.0
    return value / target


def _assess_zero(reading: Reading) -> Assessment:
    if reading.value is not None and reading.value <= 0:
        return Assessment(
            Status.GREEN,
            f"{said(reading)} against a target of 0: on target, GREEN.",
            ratio=1.0,
            target_value=0.0,
        )
    return Assessment(
        Status.RED,
        f"{said(reading)} against a target of 0: above a zero target, RED.",
        ratio=0.0,
        target_value=0.0,
    )


def _assess_parts(target: PartsTarget, reading: Reading, rule: Rule) -> Assessment:
    if len(reading.parts) != len(target.parts):
        return Assessment(Status.NOT_AVAILABLE, "The value does not have one part per target.")
    polarities = rule.part_polarities or (None,) * len(target.parts)
    results = [
        judge(t, part, replace(rule, polarity=polarity or rule.polarity, part_polarities=()))
        if part.available
        else Assessment(Status.NOT_AVAILABLE, f"{name}: not available")
        for t, part, name, polarity in zip(
            target.parts, reading.parts, reading.part_names, polarities, strict=True
        )
    ]
    statuses = tuple(r.status for r in results)
    rated = [(i, r) for i, r in enumerate(results) if r.status.is_rag]
    lines = "; ".join(
        f"{name}: {r.explanation.rstrip('.')}"
        for name, r in zip(_part_words(reading), results, strict=True)
    )
    if not rated:
        return Assessment(
            Status.NOT_AVAILABLE, f"No part can be assessed ({lines}).", part_statuses=statuses
        )
    if target.combine == "first":
        index, decider = rated[0]
        how = "the first part decides"
    else:
        index, decider = max(rated, key=lambda ir: (RAG_ORDER[ir[1].status], -ir[0]))
        how = "the worst part decides"
    return Assessment(
        decider.status,
        f"{decider.status}: {how} ({_part_words(reading)[index]}). {lines}.",
        ratio=decider.ratio,
        target_value=decider.target_value,
        part_statuses=statuses,
    )


# --- wording -------------------------------------------------------------------------


def _part_words(reading: Reading) -> tuple[str, ...]:
    """How board text names each part: its label, else its name."""
    return reading.part_labels or reading.part_names


def target_text(target: Target) -> str:
    """The target as the report words it: the catalogue's text, or one made from it."""
    if target.text is not None:
        return target.text
    if isinstance(target, LevelTarget):
        return _num(target.value)
    if isinstance(target, ReductionTarget):
        return f"{_num(target.percent)}% reduction"
    if isinstance(target, IncreaseTarget):
        return f"{_num(target.percent)}% increase"
    if isinstance(target, ZeroTarget):
        return "0"
    if isinstance(target, ImproveTarget):
        return "Improve on last year"
    if isinstance(target, BaselineTarget):
        return "baseline"
    if isinstance(target, ProfileTarget):
        values = target.quarters or target.months or []
        return "Profile " + " / ".join(_num(v) for v in values)
    if isinstance(target, PartsTarget):
        return " ".join(target_text(t) for t in target.parts)
    return "No target"


def period_target_text(target: Target, end: Month, year: FinancialYear) -> str:
    """The target for the period reported: a profile names its value for that period."""
    if isinstance(target, ProfileTarget):
        value, name = target.value_for(end, year)
        base = target.text or _num(value)
        return f"{base} ({name}: {_num(value)})" if target.text else f"{_num(value)} ({name})"
    return target_text(target)


def _target_value(target: Target, reading: Reading) -> float | None:
    if isinstance(target, LevelTarget):
        return target.value
    if isinstance(target, ReductionTarget) and reading.previous is not None:
        return reading.previous * (1 - target.percent / 100)
    if isinstance(target, IncreaseTarget) and reading.previous is not None:
        return reading.previous * (1 + target.percent / 100)
    if isinstance(target, ImproveTarget):
        return reading.previous
    return None


def travel(now: float | None, before: float | None, polarity: str) -> str | None:
    """better / same / worse, from `before` to `now`, by polarity."""
    if now is None or before is None or polarity == "none":
        return None
    if math.isclose(now, before, rel_tol=1e-9, abs_tol=1e-12):
        return "same"
    better = now < before if polarity == "lower_is_better" else now > before
    return "better" if better else "worse"


def direction_of_travel(trend: tuple[tuple[Month, float | None], ...], polarity: str) -> str | None:
    """better / same / worse: the latest point of the trend against the one before."""
    if len(trend) < 2:
        return None
    return travel(trend[-1][1], trend[-2][1], polarity)


def _num(x: float) -> str:
    if float(x).is_integer() and abs(x) >= 1:
        return f"{x:,.0f}"
    return f"{x:,.2f}".rstrip("0").rstrip(".") if abs(x) < 100 else f"{x:,.1f}"
