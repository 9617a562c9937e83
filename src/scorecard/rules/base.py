"""What every rule is given, and what it returns."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..model import Status


class SchemeModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Tolerance(SchemeModel):
    """How far off target still counts as AMBER: an amount, or a percentage of target."""

    amount: Annotated[float, Field(ge=0)] | None = None
    percent: Annotated[float, Field(ge=0, le=100)] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Tolerance:
        if (self.amount is None) == (self.percent is None):
            raise ValueError("a tolerance is either an amount or a percent, not both or neither")
        return self

    def describe(self) -> str:
        """'10%' or '2': how far off target, as the scheme states it."""
        return f"{self.percent:g}%" if self.percent is not None else f"{self.amount:g}"

    def within_words(self) -> str:
        return f"within {self.describe()} of target"

    def off_words(self) -> str:
        return f"more than {self.describe()} off target"


@dataclass(frozen=True)
class Facts:
    """What is known about an indicator's performance when its rule is applied.

    ratio: performance ratio (1.0 = exactly on target, higher = better, whatever the
    polarity); actual/target: the compared numbers where the target is a level;
    long_term / short_term: better, same or worse than the same period last year / the
    period before; forecast_ratio: the year-end forecast's ratio to the year-end target.
    """

    ratio: float
    actual: float | None = None
    target: float | None = None
    polarity: str = "higher_is_better"
    short_term: str | None = None
    long_term: str | None = None
    forecast_ratio: float | None = None
    forecast: float | None = None
    tolerance: Tolerance | None = None

    def shortfall(self) -> float | None:
        """How far the actual falls short of the target, in the target's own units."""
        if self.actual is None or self.target is None:
            return None
        if self.polarity == "lower_is_better":
            return self.actual - self.target
        return self.target - self.actual

    def within(self, tolerance: Tolerance) -> bool:
        """On target, or short of it by no more than `tolerance`."""
        if self.ratio >= 1 - 1e-9:
            return True
        shortfall = self.shortfall()
        if shortfall is None or self.target is None:
            # Change targets: measure the tolerance on the ratio itself.
            if tolerance.percent is None:
                return False
            return round(self.ratio, 9) >= 1 - tolerance.percent / 100
        limit = (
            tolerance.amount
            if tolerance.amount is not None
            else abs(self.target) * (tolerance.percent or 0) / 100
        )
        return round(shortfall, 9) <= round(limit, 9)


@dataclass(frozen=True)
class Verdict:
    status: Status
    words: str  # why, for the explanation: "within 10.0% below target"


def pct(ratio: float) -> str:
    if not math.isfinite(ratio):
        return "far beyond"
    return f"{ratio * 100:.1f}%"


def pct_agreeing(ratio: float, edges: tuple[float, ...]) -> str:
    """`ratio` as a percentage with the digits it needs to fall on the same side of every
    band edge as the ratio itself (as the rules round it, to 9 places): 99.996%, not a
    100.0% that would contradict an AMBER beside it."""
    if not math.isfinite(ratio):
        return "far beyond"
    exact = round(ratio, 9)
    for digits in range(1, 8):
        shown = round(ratio * 100, digits)
        if all((shown >= round(edge * 100, 9)) == (exact >= edge) for edge in edges):
            return f"{shown:.{digits}f}%"
    nearest = min(edges, key=lambda edge: abs(edge - exact))
    side = "just above" if exact >= nearest else "just below"
    return f"{side} {nearest * 100:g}%"
