"""Assess a reading against its target. Pure functions on plain data: no I/O, no Excel.

The performance ratio says how far performance is from target, whatever the target's
kind; the organisation's scheme (from the catalogue) turns the ratio into a status.

- level, higher is better: actual / target; lower is better: target / actual
- reduction (increase) target: achieved reduction (increase) / target reduction (increase)
- improve on the period before: actual / previous, or previous / actual
- zero target (lower is better): on target at zero, RED above it
- several parts: each part is assessed; the worst decides unless the catalogue says "first"
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .catalogue import (
    BaselineTarget,
    ImproveTarget,
    IncreaseTarget,
    Indicator,
    LevelTarget,
    NoTarget,
    PartsTarget,
    RatioBandsScheme,
    ReductionTarget,
    Target,
    ZeroTarget,
)
from .derive import period_end
from .model import RAG_ORDER, Assessment, FinancialYear, Month, Reading, Status

# Ratios are compared after rounding away binary noise, so 0.9 * 100 / 100 is 0.9.
_ROUND = 9


def assess(
    indicator: Indicator,
    reading: Reading,
    month: Month,
    scheme: Any,
    fy_start: int = 4,
) -> Assessment:
    """Status, ratio and explanation for `indicator` reading `reading` in `month`."""
    year = FinancialYear.containing(month, fy_start)
    scheme = indicator.scheme or scheme
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
    end = period_end(indicator.period, month, fy_start)
    if end < year.first:
        return Assessment(
            Status.NOT_AVAILABLE,
            f"The latest figure is for the period to {end.label}, before {year} began: "
            f"{year} data is not yet available, so it is not assessed against the {year} target.",
        )
    return assess_against(target, reading, indicator.polarity, scheme)


def assess_against(target: Target, reading: Reading, polarity: str, scheme: Any) -> Assessment:
    """Assess an available reading against one target under a scheme."""
    if isinstance(target, PartsTarget):
        return _assess_parts(target, reading, polarity, scheme)
    if isinstance(target, NoTarget):
        return Assessment(Status.NO_TARGET, "No target is set for this part.")
    if isinstance(target, BaselineTarget):
        return Assessment(Status.BASELINE, "Baseline year for this part.")
    if isinstance(target, ZeroTarget):
        return _assess_zero(target, reading)
    measured = performance_ratio(target, reading, polarity)
    if measured is None:
        return Assessment(
            Status.NOT_AVAILABLE,
            f"{reading.text} cannot be compared with {target_text(target)}: "
            "the figure for the period before is missing or zero.",
        )
    ratio, description = measured
    status, band = rule_for(scheme)(ratio, scheme)
    if math.isfinite(ratio):
        explanation = f"{description} is {_pct(ratio)} of target: {status}, {band}."
    else:
        explanation = f"{description}: at zero, better than any target: {status}, {band}."
    return Assessment(status, explanation, ratio=ratio, target_value=_target_value(target, reading))


def performance_ratio(target: Target, reading: Reading, polarity: str) -> tuple[float, str] | None:
    """The performance ratio, and a sentence saying what was compared with what."""
    value, previous = reading.value, reading.previous
    if value is None:
        return None
    lower = polarity == "lower_is_better"
    if isinstance(target, LevelTarget):
        desc = f"{reading.text} against a target of {target_text(target)}"
        if lower:
            desc += " (lower is better)"
            if value == 0:
                return math.inf, desc
            return target.value / value, desc
        if target.value == 0:
            return (math.inf if value > 0 else 1.0), desc
        return value / target.value, desc
    if previous is None or previous == 0:
        return None
    change_pct = (value - previous) / previous * 100
    if isinstance(target, ReductionTarget):
        achieved = -change_pct
        desc = (
            f"A {_num(achieved)}% reduction ({_num(previous)} to {_num(value)}) against a "
            f"{_num(target.percent)}% reduction target"
        )
        return achieved / target.percent, desc
    if isinstance(target, IncreaseTarget):
        desc = (
            f"A {_num(change_pct)}% increase ({_num(previous)} to {_num(value)}) against a "
            f"{_num(target.percent)}% increase target"
        )
        return change_pct / target.percent, desc
    if isinstance(target, ImproveTarget):
        desc = f"{_num(value)} against {_num(previous)} in the period before"
        if lower:
            return (math.inf if value == 0 else previous / value), desc + " (lower is better)"
        return value / previous, desc
    return None


def _assess_zero(target: ZeroTarget, reading: Reading) -> Assessment:
    if reading.value is not None and reading.value <= 0:
        return Assessment(
            Status.GREEN,
            f"{reading.text} against a target of 0: on target, GREEN.",
            ratio=1.0,
            target_value=0.0,
        )
    return Assessment(
        Status.RED,
        f"{reading.text} against a target of 0: above a zero target, RED.",
        ratio=0.0,
        target_value=0.0,
    )


def _assess_parts(target: PartsTarget, reading: Reading, polarity: str, scheme: Any) -> Assessment:
    if len(reading.parts) != len(target.parts):
        return Assessment(Status.NOT_AVAILABLE, "The value does not have one part per target.")
    results = [
        assess_against(t, part, polarity, scheme)
        if part.available
        else Assessment(Status.NOT_AVAILABLE, f"{name}: not available")
        for t, part, name in zip(target.parts, reading.parts, reading.part_names, strict=True)
    ]
    statuses = tuple(r.status for r in results)
    rated = [(i, r) for i, r in enumerate(results) if r.status.is_rag]
    lines = "; ".join(
        f"{name}: {r.explanation.rstrip('.')}"
        for name, r in zip(reading.part_names, results, strict=True)
    )
    if not rated:
        return Assessment(
            Status.NOT_AVAILABLE, f"No part can be assessed ({lines}).", part_statuses=statuses
        )
    if target.combine == "first":
        index, decider = rated[0]
        rule = "the first part decides"
    else:
        index, decider = max(rated, key=lambda ir: (RAG_ORDER[ir[1].status], -ir[0]))
        rule = "the worst part decides"
    return Assessment(
        decider.status,
        f"{decider.status}: {rule} ({reading.part_names[index]}). {lines}.",
        ratio=decider.ratio,
        target_value=decider.target_value,
        part_statuses=statuses,
    )


# --- schemes: each kind is one function from a ratio to (status, wording) ------------


def _ratio_bands(ratio: float, scheme: RatioBandsScheme) -> tuple[Status, str]:
    r = round(ratio, _ROUND) if math.isfinite(ratio) else ratio
    for band in scheme.bands:
        if r >= band.min_ratio:
            return band.status, _band_words(band.min_ratio)
    lowest = scheme.bands[-1].min_ratio
    return scheme.below, f"more than {_pct(1 - lowest)} below target"


def _band_words(min_ratio: float) -> str:
    if min_ratio > 1:
        return f"{_pct(min_ratio - 1)} or better than target"
    if min_ratio == 1:
        return "on target"
    return f"within {_pct(1 - min_ratio)} below target"


RULES: dict[str, Callable[[float, Any], tuple[Status, str]]] = {
    "ratio_bands": _ratio_bands,
}


def rule_for(scheme: Any) -> Callable[[float, Any], tuple[Status, str]]:
    return RULES[scheme.kind]


# --- wording -------------------------------------------------------------------------


def target_text(target: Target) -> str:
    """The target as the report words it: the catalogue's text, or one made from it."""
    if target.text:
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
    if isinstance(target, PartsTarget):
        return " ".join(target_text(t) for t in target.parts)
    return "No target"


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


def direction_of_travel(trend: tuple[tuple[Month, float | None], ...], polarity: str) -> str | None:
    """better / same / worse: the latest figure against the one a month before."""
    if len(trend) < 2 or trend[-1][1] is None or trend[-2][1] is None:
        return None
    now, before = trend[-1][1], trend[-2][1]
    if polarity == "none":
        return None
    if math.isclose(now, before, rel_tol=1e-9, abs_tol=1e-12):
        return "same"
    better = now > before if polarity != "lower_is_better" else now < before
    return "better" if better else "worse"


def _pct(ratio: float) -> str:
    if not math.isfinite(ratio):
        return "far beyond"
    return f"{ratio * 100:.1f}%"


def _num(x: float) -> str:
    if float(x).is_integer() and abs(x) >= 1:
        return f"{x:,.0f}"
    return f"{x:,.2f}".rstrip("0").rstrip(".") if abs(x) < 100 else f"{x:,.1f}"
