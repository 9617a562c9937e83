"""Each published RAG scheme at, just inside and just outside its thresholds, both ways."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from scorecard.assess import assess_against, travel
from scorecard.catalogue import Target
from scorecard.model import Reading, Status
from scorecard.periods import FinancialYear, Month
from scorecard.rules import Scheme
from scorecard.rules.base import Tolerance

SCHEME = TypeAdapter(Scheme)
TARGET = TypeAdapter(Target)
HI, LO = "higher_is_better", "lower_is_better"


def scheme(**spec):
    return SCHEME.validate_python(spec)


def level(value):
    return TARGET.validate_python({"kind": "level", "value": value})


def status(tgt, reading, polarity, sch, **kw):
    return assess_against(tgt, reading, polarity, sch, **kw).status


# --- tolerance (Reigate & Banstead) -----------------------------------------------------

TOLERANCE = scheme(kind="tolerance")


@pytest.mark.parametrize(
    ("polarity", "actual", "expected"),
    [
        (HI, 100.0, Status.GREEN),  # on target
        (HI, 100.1, Status.GREEN),
        (HI, 98.0, Status.AMBER),  # exactly at the 2-point tolerance
        (HI, 98.01, Status.AMBER),  # just inside
        (HI, 97.99, Status.RED),  # just outside
        (LO, 100.0, Status.GREEN),
        (LO, 99.9, Status.GREEN),
        (LO, 102.0, Status.AMBER),
        (LO, 101.99, Status.AMBER),
        (LO, 102.01, Status.RED),
    ],
)
def test_tolerance_as_an_amount(polarity, actual, expected):
    got = status(
        level(100), Reading("x", actual), polarity, TOLERANCE, tolerance=Tolerance(amount=2)
    )
    assert got == expected


@pytest.mark.parametrize(
    ("polarity", "actual", "expected"),
    [
        (HI, 50.0, Status.GREEN),
        (HI, 47.5, Status.AMBER),  # 5% of 50 = 2.5 below
        (HI, 47.51, Status.AMBER),
        (HI, 47.49, Status.RED),
        (LO, 50.0, Status.GREEN),
        (LO, 52.5, Status.AMBER),
        (LO, 52.49, Status.AMBER),
        (LO, 52.51, Status.RED),
    ],
)
def test_tolerance_as_a_percentage_of_target(polarity, actual, expected):
    got = status(
        level(50), Reading("x", actual), polarity, TOLERANCE, tolerance=Tolerance(percent=5)
    )
    assert got == expected


def test_scheme_default_tolerance_applies_when_the_indicator_sets_none():
    sch = scheme(kind="tolerance", default={"percent": 10})
    assert status(level(100), Reading("x", 91), HI, sch) == Status.AMBER
    assert status(level(100), Reading("x", 89), HI, sch) == Status.RED


def test_tolerance_must_be_an_amount_or_a_percent():
    with pytest.raises(ValueError, match="either an amount or a percent"):
        Tolerance(amount=1, percent=1)


# --- distance plus direction of travel (Havering) ----------------------------------------

HAVERING = scheme(kind="distance_direction", within_percent=10)


@pytest.mark.parametrize(
    ("polarity", "actual", "last_year", "expected"),
    [
        (HI, 100.0, None, Status.GREEN),  # on target
        (HI, 90.0, None, Status.GREEN),  # exactly 10% off: "on or within 10%"
        (HI, 90.01, None, Status.GREEN),  # just inside
        (HI, 89.99, 80.0, Status.AMBER),  # just outside, improved on last year
        (HI, 89.99, 89.99, Status.AMBER),  # just outside, maintained
        (HI, 89.99, 95.0, Status.RED),  # just outside, worse
        (HI, 89.99, None, Status.RED),  # just outside, no figure to show improvement
        (LO, 10.0, None, Status.GREEN),
        (LO, 11.0, None, Status.GREEN),  # exactly 10% over a lower-is-better target
        (LO, 10.99, None, Status.GREEN),
        (LO, 11.01, 12.0, Status.AMBER),  # improved (fell) on last year
        (LO, 11.01, 11.01, Status.AMBER),
        (LO, 11.01, 10.5, Status.RED),  # worse (rose)
    ],
)
def test_distance_and_direction(polarity, actual, last_year, expected):
    target = 100 if polarity == HI else 10
    reading = Reading("x", actual, last_year=last_year)
    assert status(level(target), reading, polarity, HAVERING) == expected


def test_distance_and_direction_can_compare_with_the_period_before():
    sch = scheme(kind="distance_direction", compare="short_term")
    improved = Reading("x", 80, last_period=70, last_year=95)
    assert status(level(100), improved, HI, sch) == Status.AMBER
    assert status(level(100), improved, HI, HAVERING) == Status.RED


def test_explanation_names_the_direction():
    result = assess_against(level(100), Reading("80", 80, last_year=70), HI, HAVERING)
    assert "improved against the same period last year" in result.explanation


# --- forecast (Medway) ---------------------------------------------------------------------

FORECAST = scheme(kind="forecast")


@pytest.mark.parametrize(
    ("polarity", "actual", "forecast", "expected"),
    [
        (HI, 100.0, None, Status.GREEN),
        (HI, 99.9, 100.0, Status.AMBER),  # off target, forecast exactly meets it
        (HI, 99.9, 99.9, Status.RED),  # forecast just misses
        (HI, 99.9, None, Status.RED),  # no forecast returned
        (LO, 20.0, None, Status.GREEN),
        (LO, 20.1, 20.0, Status.AMBER),
        (LO, 20.1, 20.1, Status.RED),
    ],
)
def test_forecast(polarity, actual, forecast, expected):
    target = 100 if polarity == HI else 20
    reading = Reading("x", actual, forecast=forecast)
    assert status(level(target), reading, polarity, FORECAST) == expected


# --- ratio bands at its edges, lower is better ---------------------------------------------

BANDS = scheme(
    kind="ratio_bands",
    bands=[
        {"status": "BLUE", "min_ratio": 1.1},
        {"status": "GREEN", "min_ratio": 1.0},
        {"status": "AMBER", "min_ratio": 0.9},
    ],
)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (100 / 1.1, Status.BLUE),
        (100 / 1.0999, Status.GREEN),
        (100.0, Status.GREEN),
        (100.01, Status.AMBER),
        (100 / 0.9, Status.AMBER),
        (100 / 0.8999, Status.RED),
    ],
)
def test_ratio_bands_lower_is_better(actual, expected):
    assert status(level(100), Reading("x", actual), LO, BANDS) == expected


# --- profiled targets ------------------------------------------------------------------------

FY = FinancialYear(2024)
COUNCIL_TAX = TARGET.validate_python(
    {"kind": "profile", "quarters": [29.0, 56.0, 84.0, 97.0], "cumulative": True}
)


@pytest.mark.parametrize(
    ("end", "collected", "last_year", "expected"),
    [
        (Month(2024, 6), 29.0, 28.0, Status.GREEN),  # Q1 against 29
        (Month(2024, 6), 26.0, 24.0, Status.AMBER),  # Q1: 10.3% short of 29, improved
        (Month(2024, 9), 56.5, 57.0, Status.GREEN),  # Q2 against 56
        (Month(2024, 12), 80.0, 83.0, Status.GREEN),  # Q3: within 10% of 84
        (Month(2025, 3), 85.0, 86.0, Status.RED),  # Q4: 12.4% short of 97, worse
        (Month(2025, 3), 85.0, None, Status.RED),
    ],
)
def test_profiled_target_is_assessed_against_its_quarter(end, collected, last_year, expected):
    reading = Reading(f"{collected}%", collected, last_year=last_year)
    result = assess_against(COUNCIL_TAX, reading, HI, HAVERING, end=end, year=FY)
    assert result.status == expected
    quarter = end.minus(FY.first) // 3 + 1
    assert f"Q{quarter} profile" in result.explanation
    assert result.target_value == COUNCIL_TAX.quarters[quarter - 1]


def test_profile_needs_quarters_or_months():
    with pytest.raises(ValueError, match="either quarters"):
        TARGET.validate_python({"kind": "profile"})


def test_monthly_profile_uses_the_month_reported():
    target = TARGET.validate_python({"kind": "profile", "months": list(range(10, 130, 10))})
    result = assess_against(target, Reading("x", 40), HI, BANDS, end=Month(2024, 7), year=FY)
    assert result.status == Status.GREEN  # July is month 4: target 40
    assert result.target_value == 40


# --- direction of travel ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "before", "polarity", "word"),
    [
        (5, 4, HI, "better"),
        (5, 4, LO, "worse"),
        (4, 4, HI, "same"),
        (3, 4, LO, "better"),
        (None, 4, HI, None),
        (5, None, LO, None),
        (5, 4, "none", None),
    ],
)
def test_travel(now, before, polarity, word):
    assert travel(now, before, polarity) == word


# --- the words agree with the status at every band edge ----------------------------------

EDGE_SCHEMES = {
    "ratio_bands": scheme(
        kind="ratio_bands",
        bands=[
            {"status": "BLUE", "min_ratio": 1.10},
            {"status": "GREEN", "min_ratio": 1.00},
            {"status": "AMBER", "min_ratio": 0.90},
        ],
        below="RED",
    ),
    "tolerance": scheme(kind="tolerance", default={"percent": 5}),
    "distance_direction": scheme(kind="distance_direction", within_percent=10),
}


def shown_percent(explanation: str) -> float:
    import re

    found = re.search(r"is ([\d.]+)% of target", explanation)
    assert found, explanation
    return float(found.group(1))


@pytest.mark.parametrize("kind", sorted(EDGE_SCHEMES))
@pytest.mark.parametrize("edge", [0.90, 0.95, 1.00, 1.10])
@pytest.mark.parametrize("offset", [-2e-4, -1e-5, -1e-7, 0.0, 1e-7, 1e-5, 2e-4])
def test_the_percentage_agrees_with_the_status_at_a_band_edge(kind, edge, offset):
    """ "100.0% of target: AMBER" can no longer be written: the printed percentage has the
    digits it needs to stand on the same side of each of the rule's edges as the ratio."""
    from scorecard import rules

    sch = EDGE_SCHEMES[kind]
    actual = 100 * (edge + offset)
    verdict = assess_against(level(100), Reading("x", actual), HI, sch)
    printed = shown_percent(verdict.explanation) / 100
    for cut in rules.edges(sch):
        assert (printed >= cut) == (round(actual / 100, 9) >= cut), verdict.explanation
    if kind == "ratio_bands":
        # Banding the printed percentage gives the status beside it.
        band = next((b.status for b in sch.bands if round(printed, 9) >= b.min_ratio), sch.below)
        assert band == verdict.status, verdict.explanation
