"""Build catalogue objects for engine tests without a YAML file."""

from __future__ import annotations

from typing import Any

from scorecard.catalogue import Indicator, Organisation, RatioBandsScheme
from scorecard.model import Figure, Figures, Source
from scorecard.periods import Month

REPORT_SCHEME = RatioBandsScheme.model_validate(
    {
        "kind": "ratio_bands",
        "bands": [
            {"status": "BLUE", "min_ratio": 1.10},
            {"status": "GREEN", "min_ratio": 1.00},
            {"status": "AMBER", "min_ratio": 0.90},
        ],
        "below": "RED",
    }
)

ORGANISATION = Organisation.model_validate(
    {
        "name": "Test Force",
        "financial_year_start": 4,
        "populations": {
            "london": {"value": 7_512_400, "source": "ONS 2006 mid-year estimate"},
            "youth": {"value": 1_841_000, "source": "ONS 2006 mid-year estimate, 0-19"},
        },
        "scheme": REPORT_SCHEME.model_dump(),
    }
)

JULY_2008 = Month(2008, 7)


def indicator(**fields: Any) -> Indicator:
    """An indicator with sensible defaults; `fields` override them."""
    base: dict[str, Any] = {
        "key": "test",
        "label": "T 1",
        "objective": "obj",
        "owner": "own",
        "title": "Test indicator",
        "unit": "count",
        "polarity": "lower_is_better",
        "measures": [{"name": "offences", "label": "Offences"}],
        "derive": {"method": "rolling_total", "measure": "offences"},
        "targets": {"2008/09": {"kind": "none"}},
    }
    base.update(fields)
    return Indicator.model_validate(base)


def monthly(
    key: str, measure: str, values: dict[Month, float | None], sheet: str = "Return"
) -> Figures:
    series = {
        m: Figure(v, Source(f"{key}.xlsx", sheet, f"G{i + 5}"))
        for i, (m, v) in enumerate(sorted(values.items()))
    }
    return {(key, measure): series}


def spread(total: int, months: list[Month]) -> dict[Month, float]:
    """Split `total` over `months` unevenly (as real months are) but exactly."""
    weights = [1.0 + 0.08 * ((i * 7) % 5 - 2) for i in range(len(months))]
    scale = total / sum(weights)
    values = [int(w * scale) for w in weights]
    values[-1] += total - sum(values)
    return dict(zip(months, map(float, values), strict=True))
