"""Assessment rules: each kind of published RAG scheme is one small module.

A rule module defines a pydantic `Scheme` model (its settings as written in the
catalogue, with a literal `kind`), and `apply(scheme, facts) -> Verdict`. To add a kind:
write the module, add it to `MODULES` below, and test it at and around its thresholds.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

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


def looks_back(scheme: Any, step: int) -> tuple[int, ...]:
    """Months back whose readings the rule compares with (so returns must carry them)."""
    module = MODULES[scheme.kind]
    return tuple(module.looks_back(scheme, step)) if hasattr(module, "looks_back") else ()


def apply(scheme: Any, facts: Facts) -> Verdict:
    """The status this scheme gives to these facts."""
    return MODULES[scheme.kind].apply(scheme, facts)


__all__ = ["MODULES", "Facts", "Scheme", "Verdict", "apply", "looks_back"]
