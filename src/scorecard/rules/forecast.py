"""Forecast (Medway): "off target but assessed as capable of reaching target within the
year (amber)".

GREEN on target; AMBER off target when the owner's year-end forecast meets the year-end
target; RED otherwise. The indicator must collect a forecast (`forecast: {measure: ...}`).
"""

from __future__ import annotations

from typing import Literal

from ..model import Status
from .base import Facts, SchemeModel, Verdict


class Scheme(SchemeModel):
    kind: Literal["forecast"] = "forecast"


def statuses(scheme: Scheme) -> frozenset[Status]:
    return frozenset({Status.GREEN, Status.AMBER, Status.RED})


def apply(scheme: Scheme, facts: Facts) -> Verdict:
    if facts.ratio >= 1 - 1e-9:
        return Verdict(Status.GREEN, "on target")
    if facts.forecast_ratio is None:
        return Verdict(Status.RED, "off target, and no year-end forecast was returned")
    forecast = f" ({facts.forecast:g})" if facts.forecast is not None else ""
    if facts.forecast_ratio >= 1 - 1e-9:
        return Verdict(
            Status.AMBER, f"off target, but the year-end forecast{forecast} meets the target"
        )
    return Verdict(Status.RED, f"off target, and the year-end forecast{forecast} misses the target")
