"""Ratio bands (the July 2008 report): the performance ratio, banded.

BLUE at 10% or better than target, GREEN on target, AMBER within 10% below, RED below.
"""

from __future__ import annotations

import itertools
import math
from typing import Annotated, Literal

from pydantic import Field, field_validator

from ..model import Status
from .base import Facts, SchemeModel, Verdict, pct


class Band(SchemeModel):
    """A status given when the performance ratio is at least `min_ratio`."""

    status: Literal[Status.BLUE, Status.GREEN, Status.AMBER]
    min_ratio: Annotated[float, Field(gt=0)]


class Scheme(SchemeModel):
    kind: Literal["ratio_bands"] = "ratio_bands"
    bands: list[Band]
    below: Literal[Status.RED, Status.AMBER] = Status.RED

    @field_validator("bands")
    @classmethod
    def _bands_in_order(cls, bands: list[Band]) -> list[Band]:
        order = [Status.BLUE, Status.GREEN, Status.AMBER]
        ranks = [order.index(b.status) for b in bands]
        if ranks != sorted(ranks) or len(set(ranks)) != len(ranks):
            raise ValueError(
                "bands must run from best to worst status (BLUE, GREEN, AMBER), each once"
            )
        ratios = [b.min_ratio for b in bands]
        if any(a <= b for a, b in itertools.pairwise(ratios)):
            raise ValueError(
                "bands out of order: each band's min_ratio must be lower than the one before "
                f"(got {', '.join(f'{b.status}={b.min_ratio}' for b in bands)})"
            )
        if not any(b.status == Status.GREEN for b in bands):
            raise ValueError("bands must include GREEN (on target)")
        return bands


def statuses(scheme: Scheme) -> frozenset[Status]:
    return frozenset({band.status for band in scheme.bands} | {scheme.below})


def edges(scheme: Scheme) -> tuple[float, ...]:
    """The ratios at which the status changes: each band's minimum."""
    return tuple(band.min_ratio for band in scheme.bands)


def apply(scheme: Scheme, facts: Facts) -> Verdict:
    ratio = round(facts.ratio, 9) if math.isfinite(facts.ratio) else facts.ratio
    for band in scheme.bands:
        if ratio >= band.min_ratio:
            return Verdict(band.status, _band_words(band.min_ratio))
    lowest = scheme.bands[-1].min_ratio
    return Verdict(scheme.below, f"more than {pct(1 - lowest)} below target")


def _band_words(min_ratio: float) -> str:
    if min_ratio > 1:
        return f"{pct(min_ratio - 1)} or better than target"
    if min_ratio == 1:
        return "on target"
    return f"within {pct(1 - min_ratio)} below target"
