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


def apply(scheme: Scheme, facts: Facts) -> Verdict:
    if facts.ratio >= 1 - 1e-9:
        return Verdict(Status.GREEN, "on or better than target")
    tolerance = facts.tolerance or scheme.default
    if tolerance is not None and facts.within(tolerance):
        within = f"off target but within the tolerance of {tolerance.describe()}"
        return Verdict(Status.AMBER, within)
    told = f" of {tolerance.describe()}" if tolerance is not None else ""
    return Verdict(Status.RED, f"off target by more than the tolerance{told}")
