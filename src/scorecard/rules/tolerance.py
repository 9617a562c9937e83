"""Per-indicator tolerance (Reigate & Banstead).

"Green = on or above target; Amber = within agreed tolerance; Red = below target".
The tolerance is set per indicator (`tolerance: {amount: 2}` or `{percent: 5}`), with
the scheme's `default` for indicators that set none.
"""

from __future__ import annotations

from typing import Literal

from ..model import Status
from .base import Facts, SchemeModel, Tolerance, Verdict


class Scheme(SchemeModel):
    kind: Literal["tolerance"] = "tolerance"
    default: Tolerance | None = None


def statuses(scheme: Scheme) -> frozenset[Status]:
    return frozenset({Status.GREEN, Status.AMBER, Status.RED})


def apply(scheme: Scheme, facts: Facts) -> Verdict:
    if facts.ratio >= 1 - 1e-9:
        return Verdict(Status.GREEN, "on or better than target")
    tolerance = facts.tolerance or scheme.default
    if tolerance is not None and facts.within(tolerance):
        return Verdict(Status.AMBER, f"off target but {tolerance.within_words()} (tolerance)")
    if tolerance is None:
        return Verdict(Status.RED, "off target, with no tolerance set")
    return Verdict(Status.RED, f"{tolerance.off_words()}: beyond the tolerance")
