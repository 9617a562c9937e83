"""Assessment rules: each kind of published RAG scheme is one small module.

A rule module defines a pydantic `Scheme` model (its settings as written in the
catalogue, with a literal `kind`), `apply(scheme, facts) -> Verdict`, `statuses(scheme)`
(the traffic lights it can give, for the legend) and, if it compares with earlier
periods, `looks_back(scheme, step)`. To add a kind: write the module, add it to `MODULES`
and `Scheme` below, and test it at and around its thresholds.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from ..model import Status
from . import distance_direction, forecast, ratio_bands, tolerance
from .base import Facts, Verdict

MODULES = {
    m.Scheme.model_fields["kind"].default: m
    for m in (ratio_bands, tolerance, distance_direction, forecast)
}

Scheme = Annotated[
    ratio_bands.Scheme | tolerance.Scheme | distance_direction.Scheme | forecast.Scheme,
    Field(discriminator="kind"),
]


def statuses(scheme: Any) -> frozenset[Status]:
    """The traffic lights this scheme can give (a zero target gives GREEN or RED too)."""
    return frozenset(MODULES[scheme.kind].statuses(scheme)) | {Status.GREEN, Status.RED}


def looks_back(scheme: Any, step: int) -> tuple[int, ...]:
    """Months back whose readings the rule compares with (so returns must carry them)."""
    module = MODULES[scheme.kind]
    return tuple(module.looks_back(scheme, step)) if hasattr(module, "looks_back") else ()


def edges(scheme: Any) -> tuple[float, ...]:
    """The performance ratios at which this scheme's status changes (on target: 1)."""
    module = MODULES[scheme.kind]
    found: tuple[float, ...] = module.edges(scheme) if hasattr(module, "edges") else ()
    return tuple(sorted({1.0, *found}))


def apply(scheme: Any, facts: Facts) -> Verdict:
    """The status this scheme gives to these facts."""
    verdict: Verdict = MODULES[scheme.kind].apply(scheme, facts)
    return verdict


__all__ = ["MODULES", "Facts", "Scheme", "Verdict", "apply", "looks_back", "statuses"]
