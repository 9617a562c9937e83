"""Distance plus direction of travel (Havering, 2013/14).

"Green = on or within 10% of the target; Amber = more than 10% off the target and
performance improved or maintained compared to the same quarter last year; Red = more
than 10% off the target and performance not improved".
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ..model import Status
from .base import Facts, SchemeModel, Tolerance, Verdict


class Scheme(SchemeModel):
    kind: Literal["distance_direction"] = "distance_direction"
    within_percent: Annotated[float, Field(ge=0, le=100)] = 10
    compare: Literal["long_term", "short_term"] = "long_term"


def looks_back(scheme: Scheme, step: int) -> tuple[int, ...]:
    """The same period last year, or the period before, must be returned too."""
    return (12,) if scheme.compare == "long_term" else (step,)


def statuses(scheme: Scheme) -> frozenset[Status]:
    return frozenset({Status.GREEN, Status.AMBER, Status.RED})


def apply(scheme: Scheme, facts: Facts) -> Verdict:
    tolerance = facts.tolerance or Tolerance(percent=scheme.within_percent)
    if facts.within(tolerance):
        if facts.ratio >= 1 - 1e-9:
            return Verdict(Status.GREEN, "on or better than target")
        return Verdict(Status.GREEN, tolerance.within_words())
    direction = facts.long_term if scheme.compare == "long_term" else facts.short_term
    against = "the same period last year" if scheme.compare == "long_term" else "the period before"
    off = tolerance.off_words()
    if direction in ("better", "same"):
        verb = "improved" if direction == "better" else "maintained"
        return Verdict(Status.AMBER, f"{off}, but performance {verb} against {against}")
    if direction is None:
        return Verdict(Status.RED, f"{off}, and no figure for {against} shows improvement")
    return Verdict(Status.RED, f"{off}, and performance worse than {against}")
