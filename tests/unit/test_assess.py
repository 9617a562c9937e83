"""The assessment rule against every coloured row of the July 2008 report."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from scorecard.assess import assess, assess_against, direction_of_travel
from scorecard.catalogue import Target
from scorecard.model import Reading, Status
from scorecard.periods import Month
from tests.unit.engine_helpers import JULY_2008, REPORT_SCHEME, indicator

TARGET = TypeAdapter(Target)


def target(**spec: object) -> Target:
    return TARGET.validate_python(spec)


def level(v: float) -> Target:
    return target(kind="level", value=v)


def parts_reading(*values: float) -> Reading:
    parts = tuple(Reading(text=f"{v}", value=v) for v in values)
    return Reading(
        text=" ".join(p.text for p in parts),
        parts=parts,
        part_names=tuple(f"p{i}" for i in range(len(values))),
    )


# (report row, target, reading, polarity, the report's colour; BLUE where 10% or better)
REPORT_ROWS = [
    (
        "CPA & SPI 1.1 victim satisfaction",
        level(78.9),
        Reading("77.0%", 77.0),
        "higher_is_better",
        Status.AMBER,
    ),
    (
        "CPA & SPI 1.2 satisfaction gap",
        level(3.8),
        Reading("4.2% pts", 4.2),
        "lower_is_better",
        Status.AMBER,
    ),
    (
        "CPA & SPI 5.2 serious acquisitive crime",
        target(kind="reduction", percent=4),
        Reading("down 17,829", 210_648, 228_477),
        "lower_is_better",
        Status.BLUE,
    ),
    (
        "CPA & SPI 6.2 SAC sanction detection rate",
        level(11.8),
        Reading("11.1%", 11.1),
        "higher_is_better",
        Status.AMBER,
    ),
    (
        "PP incidents scene management",
        level(90),
        Reading("98.7%", 98.7),
        "higher_is_better",
        Status.GREEN,
    ),
    (
        "PP explosive officers in time",
        level(95),
        Reading("100%", 100),
        "higher_is_better",
        Status.GREEN,
    ),
    (
        "PP Royal Residences intrusions",
        target(kind="zero"),
        Reading("0", 0),
        "lower_is_better",
        Status.GREEN,
    ),
    (
        "PP security events satisfactory",
        level(85),
        Reading("100%", 100),
        "higher_is_better",
        Status.BLUE,
    ),
    (
        "PP security co-ordinator in 3 days",
        level(85),
        Reading("98.4%", 98.4),
        "higher_is_better",
        Status.BLUE,
    ),
    (
        "PP staff trained to level 2",
        target(
            kind="parts", parts=[{"kind": "level", "value": 25}, {"kind": "level", "value": 21}]
        ),
        parts_reading(11.5, 12.8),
        "higher_is_better",
        Status.RED,
    ),
    (
        "CPA & SPI 5.5 gun crime",
        target(kind="reduction", percent=3),
        Reading("down 616", 2_543, 3_159),
        "lower_is_better",
        Status.BLUE,
    ),
    (
        "CPA domestic violence arrests",
        level(67),
        Reading("65.8%", 65.8),
        "higher_is_better",
        Status.AMBER,
    ),
    (
        "CPA under-20 victims of serious violence",
        target(kind="reduction", percent=6),
        Reading("1,132 fewer", 21_068, 22_200),
        "lower_is_better",
        Status.RED,
    ),
    (
        "PP young victims per 1,000",
        target(kind="improve"),
        Reading("-13.3%", 42.3, 48.8),
        "lower_is_better",
        Status.BLUE,
    ),
    (
        "CPA criminal network disruptions",
        level(29.2),
        Reading("30.8", 30.75),
        "higher_is_better",
        Status.GREEN,
    ),
    ("CPA assets recovered", level(208), Reading("206", 206), "higher_is_better", Status.AMBER),
    (
        "SPI 8.1 value of assets recovered",
        level(3_500_000),
        Reading("£2.9m", 2_900_000),
        "higher_is_better",
        Status.RED,
    ),
    (
        "CPA Class A trafficking detections",
        target(kind="parts", parts=[{"kind": "level", "value": v} for v in (210, 136, 47)]),
        parts_reading(207, 137, 50),
        "higher_is_better",
        Status.AMBER,
    ),
]


@pytest.mark.parametrize(
    ("row", "tgt", "reading", "polarity", "colour"), REPORT_ROWS, ids=[r[0] for r in REPORT_ROWS]
)
def test_report_rows_get_the_reports_colour(row, tgt, reading, polarity, colour):
    assert assess_against(tgt, reading, polarity, REPORT_SCHEME).status == colour


def test_organisers_satisfaction_missing_is_red_because_the_catalogue_says_so():
    ind = indicator(
        unit="percent",
        polarity="higher_is_better",
        derive={"method": "as_given", "measure": "offences"},
        targets={"2008/09": {"kind": "level", "value": 80}},
        when_missing={"status": "RED", "reason": "survey being developed"},
    )
    result = assess(ind, Reading("N/A", available=False), JULY_2008, REPORT_SCHEME)
    assert result.status == Status.RED
    assert "survey being developed" in result.explanation


def test_missing_data_is_not_available_by_default_never_red():
    ind = indicator(
        targets={"2008/09": {"kind": "level", "value": 80}}, polarity="higher_is_better"
    )
    missing = Reading("Not available", available=False, reason="no figure for Jul 2008")
    result = assess(ind, missing, JULY_2008, REPORT_SCHEME)
    assert result.status == Status.NOT_AVAILABLE
    assert "Jul 2008" in result.explanation


def test_explanation_spells_out_the_arithmetic():
    result = assess_against(level(78.9), Reading("77.0%", 77.0), "higher_is_better", REPORT_SCHEME)
    assert result.explanation == (
        "77.0% against a target of 78.9 is 97.6% of target: AMBER, within 10.0% below target."
    )
    assert result.ratio == pytest.approx(77.0 / 78.9)


@pytest.mark.parametrize(
    ("ratio_value", "status"),
    [
        (110, Status.BLUE),
        (109.99, Status.GREEN),
        (100, Status.GREEN),
        (99.99, Status.AMBER),
        (90, Status.AMBER),
        (89.99, Status.RED),
    ],
)
def test_band_edges(ratio_value, status):
    assert (
        assess_against(
            level(100), Reading("x", ratio_value), "higher_is_better", REPORT_SCHEME
        ).status
        == status
    )


def test_lower_is_better_level_at_zero_is_best():
    assert (
        assess_against(level(3.8), Reading("0", 0.0), "lower_is_better", REPORT_SCHEME).status
        == Status.BLUE
    )


def test_zero_target_above_zero_is_red():
    result = assess_against(target(kind="zero"), Reading("1", 1), "lower_is_better", REPORT_SCHEME)
    assert result.status == Status.RED


@pytest.mark.parametrize(
    ("previous", "current", "status"),
    [
        (1000, 960, Status.GREEN),  # exactly the 4% asked
        (1000, 956, Status.BLUE),  # 4.4%: 10% better than target
        (1000, 970, Status.RED),  # 3%: 75% of the reduction asked
        (1000, 1010, Status.RED),  # gone the wrong way
        (1000, 1000, Status.RED),
    ],  # no change at all
)
def test_reduction_targets(previous, current, status):
    r = assess_against(
        target(kind="reduction", percent=4),
        Reading("x", current, previous),
        "lower_is_better",
        REPORT_SCHEME,
    )
    assert r.status == status


@pytest.mark.parametrize(
    ("kind", "polarity", "previous", "current", "said"),
    [
        (
            "reduction",
            "lower_is_better",
            1000,
            1095.9,
            "A rise of 9.59% (1,000 to 1,095.9) against a 5% reduction target",
        ),
        (
            "increase",
            "higher_is_better",
            100,
            97,
            "A fall of 3% (100 to 97) against a 5% increase target",
        ),
    ],
)
def test_a_change_the_wrong_way_is_said_in_words(kind, polarity, previous, current, said):
    """Not "A -9.59% reduction ... is -191.8% of target"."""
    r = assess_against(
        target(kind=kind, percent=5), Reading("x", current, previous), polarity, REPORT_SCHEME
    )
    assert r.status == Status.RED
    assert r.explanation.startswith(said)
    assert "the change went the wrong way" in r.explanation
    assert "-" not in r.explanation.split("target", 1)[0]  # no negative reduction
    assert "of target" not in r.explanation


def test_increase_target():
    t = target(kind="increase", percent=1)
    assert (
        assess_against(t, Reading("x", 101, 100), "higher_is_better", REPORT_SCHEME).status
        == Status.GREEN
    )
    assert (
        assess_against(t, Reading("x", 99, 100), "higher_is_better", REPORT_SCHEME).status
        == Status.RED
    )


def test_improve_target_got_worse_is_red():
    r = assess_against(
        target(kind="improve"), Reading("x", 50, 40), "lower_is_better", REPORT_SCHEME
    )
    assert r.status == Status.RED


def test_multi_part_first_part_decides_when_the_catalogue_says_so():
    t = target(
        kind="parts",
        combine="first",
        parts=[{"kind": "level", "value": 136}, {"kind": "level", "value": 210}],
    )
    r = assess_against(t, parts_reading(137, 150), "higher_is_better", REPORT_SCHEME)
    assert r.status == Status.GREEN
    assert r.part_statuses == (Status.GREEN, Status.RED)


def test_no_target_and_baseline_are_neutral_with_a_reason():
    none = indicator(targets={"2008/09": {"kind": "none"}})
    base = indicator(targets={"2008/09": {"kind": "baseline"}})
    assert assess(none, Reading("1", 1), JULY_2008, REPORT_SCHEME).status == Status.NO_TARGET
    result = assess(base, Reading("1", 1), JULY_2008, REPORT_SCHEME)
    assert result.status == Status.BASELINE
    assert "baseline" in result.explanation


def test_targets_are_per_financial_year():
    ind = indicator(
        polarity="higher_is_better",
        targets={
            "2008/09": {"kind": "level", "value": 100},
            "2009/10": {"kind": "level", "value": 200},
        },
    )
    reading = Reading("100", 100)
    assert assess(ind, reading, JULY_2008, REPORT_SCHEME).status == Status.GREEN
    assert assess(ind, reading, Month(2009, 7), REPORT_SCHEME).status == Status.RED
    assert assess(ind, reading, Month(2010, 7), REPORT_SCHEME).status == Status.NO_TARGET


def test_data_from_before_the_target_year_is_not_assessed():
    ind = indicator(
        polarity="higher_is_better",
        unit="percent",
        period={"ends": "year", "year_end_month": 3},
        derive={"method": "as_given", "measure": "offences"},
        targets={"2008/09": {"kind": "level", "value": 50}},
    )
    result = assess(ind, Reading("55.2%", 55.2), JULY_2008, REPORT_SCHEME)
    assert result.status == Status.NOT_AVAILABLE
    assert "Mar 2008" in result.explanation


def test_data_issue_wins_over_everything():
    ind = indicator(targets={"2008/09": {"kind": "none"}})
    r = Reading("Not available", available=False, data_issue=True, reason="Jul 2008: #REF!")
    result = assess(ind, r, JULY_2008, REPORT_SCHEME)
    assert result.status == Status.DATA_ISSUE
    assert "#REF!" in result.explanation


def test_direction_of_travel_follows_polarity():
    trend = ((Month(2008, 6), 10.0), (Month(2008, 7), 8.0))
    assert direction_of_travel(trend, "lower_is_better") == "better"
    assert direction_of_travel(trend, "higher_is_better") == "worse"
    assert (
        direction_of_travel(((Month(2008, 6), 8.0), (Month(2008, 7), 8.0)), "higher_is_better")
        == "same"
    )
    assert (
        direction_of_travel(((Month(2008, 6), None), (Month(2008, 7), 8.0)), "higher_is_better")
        is None
    )


# --- properties ----------------------------------------------------------------------

RANK = {Status.BLUE: 0, Status.GREEN: 1, Status.AMBER: 2, Status.RED: 3}
positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(target_value=positive, actual=positive, step=st.floats(min_value=0, max_value=1))
def test_moving_toward_target_never_worsens_status(target_value, actual, step):
    for polarity in ("higher_is_better", "lower_is_better"):
        closer = actual + (target_value - actual) * step
        if closer <= 0:
            continue
        before = assess_against(level(target_value), Reading("x", actual), polarity, REPORT_SCHEME)
        after = assess_against(level(target_value), Reading("x", closer), polarity, REPORT_SCHEME)
        if before.status in (Status.AMBER, Status.RED):
            assert RANK[after.status] <= RANK[before.status]


@given(target_value=positive, actual=positive)
def test_flipping_polarity_and_inverting_values_gives_the_same_status(target_value, actual):
    straight = assess_against(
        level(target_value), Reading("x", actual), "higher_is_better", REPORT_SCHEME
    )
    flipped = assess_against(
        level(1 / target_value), Reading("x", 1 / actual), "lower_is_better", REPORT_SCHEME
    )
    assert math.isclose(straight.ratio, flipped.ratio, rel_tol=1e-9)
    # Rounding in 1/x can move a ratio sitting on a band edge; away from edges they agree.
    edges = [b.min_ratio for b in REPORT_SCHEME.bands]
    if all(abs(straight.ratio - e) > 1e-9 for e in edges):
        assert straight.status == flipped.status


@given(
    previous=st.integers(min_value=1, max_value=10**7),
    current=st.integers(min_value=0, max_value=10**7),
    better=st.integers(min_value=0, max_value=10**6),
)
def test_a_larger_reduction_never_worsens_status(previous, current, better):
    t = target(kind="reduction", percent=4)
    lower = max(current - better, 0)
    a = assess_against(t, Reading("x", current, previous), "lower_is_better", REPORT_SCHEME)
    b = assess_against(t, Reading("x", lower, previous), "lower_is_better", REPORT_SCHEME)
    assert RANK[b.status] <= RANK[a.status]


def test_a_part_may_run_the_other_way_from_its_indicator():
    ind = indicator(
        unit="percent",
        polarity="lower_is_better",
        measures=[
            {"name": "offences", "label": "Offences"},
            {"name": "share", "label": "Share", "unit": "percent"},
        ],
        derive={
            "method": "parts",
            "parts": [
                {"name": "level", "derive": {"method": "as_given", "measure": "offences"}},
                {
                    "name": "share",
                    "polarity": "higher_is_better",
                    "derive": {"method": "as_given", "measure": "share"},
                },
            ],
        },
        targets={
            "2008/09": {
                "kind": "parts",
                "parts": [{"kind": "level", "value": 10}, {"kind": "level", "value": 1.25}],
            }
        },
    )
    result = assess(ind, parts_reading(9.0, 1.4), JULY_2008, REPORT_SCHEME)
    # 9 under a ceiling of 10 (lower is better) and 1.4 over a floor of 1.25: both met.
    assert result.part_statuses == (Status.BLUE, Status.BLUE)
    flipped = assess(ind, parts_reading(9.0, 1.0), JULY_2008, REPORT_SCHEME)
    assert flipped.part_statuses == (Status.BLUE, Status.RED)


def test_a_value_of_several_parts_is_explained_by_its_named_parts():
    """Not "76.9% 72.8% 4.2% pts against a target of 3.8% pts"."""
    named = "A gap of 4.2% pts (white users 76.9% satisfied, BME users 72.8%)"
    reading = Reading("76.9% 72.8% 4.2% pts", 4.2, fields={"explained": named})
    r = assess_against(level(3.8), reading, "lower_is_better", REPORT_SCHEME)
    assert r.explanation.startswith(f"{named} against a target of 3.8")
    plain = assess_against(level(3.8), Reading("4.2% pts", 4.2), "lower_is_better", REPORT_SCHEME)
    assert plain.explanation.startswith("4.2% pts against")
