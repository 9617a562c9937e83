"""The XmR arithmetic held to NHSRplotthedots: its deviations vignette's figures and its
point-type test cases (tests/testthat/test-ptd_calculate_point_type.R), rule by rule and
in precedence, then the chart's icons, assurance, rebasing and the minimum of points."""

from __future__ import annotations

import pytest

from scorecard.periods import Month
from scorecard.spc import (
    AssuranceType,
    PointType,
    Rule,
    SpcOptions,
    SpcState,
    Variation,
    analyse,
)
from scorecard.spc.xmr import (
    Limits,
    assurance,
    limits,
    one_side,
    part_of,
    part_of_two_in_three,
    point_type,
    special_causes,
    trend,
    two_in_three,
)

# vignettes/deviations.Rmd: 18 daily points, one outlier
VIGNETTE = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]


@pytest.mark.parametrize(
    ("screen", "upper", "mean", "lower"),
    [(True, 4.6, 1.94, -0.72), (False, 6.95, 1.94, -3.06)],
    ids=["screened (the package's default)", "not screened (the MDC Excel tool)"],
)
def test_the_vignettes_limits(screen: bool, upper: float, mean: float, lower: float) -> None:
    lim = limits([float(v) for v in VIGNETTE], screen=screen)
    assert (round(lim.upper, 2), round(lim.mean, 2), round(lim.lower, 2)) == (upper, mean, lower)


def test_screening_leaves_out_the_outliers_ranges_and_recomputes_once() -> None:
    lim = limits([float(v) for v in VIGNETTE], screen=True)
    assert lim.screened == (4, 5)  # the ranges into and out of the 10
    assert lim.mean_range == pytest.approx(1.0)  # the 15 ranges left are all 1


@pytest.mark.parametrize("screen", [True, False])
def test_the_vignettes_outlier_is_the_one_special_point(screen: bool) -> None:
    lim = limits([float(v) for v in VIGNETTE], screen=screen)
    found = special_causes([float(v) for v in VIGNETTE], lim)
    assert found.rule[4] is Rule.ABOVE_UPPER
    assert [r for i, r in enumerate(found.rule) if i != 4] == [Rule.COMMON] * 17
    assert point_type(found.rule[4], +1) is PointType.IMPROVEMENT


def test_a_baseline_fixes_the_limits_on_the_first_points() -> None:
    values = [1.0, 2.0, 1.0, 2.0, 50.0, 60.0]
    lim = limits(values, screen=False, baseline=4)
    assert lim.mean == 1.5 and lim.mean_range == 1.0


# ptd_seven_point_one_side_mean
@pytest.mark.parametrize(
    ("sides", "expected"),
    [
        ([], []),
        ([1] * 6, [0] * 6),
        ([1] * 6 + [-1], [0] * 7),
        ([1] * 8 + [-1], [0, 0, 0, 0, 0, 0, 1, 1, 0]),
        ([-1] * 8 + [1], [0, 0, 0, 0, 0, 0, 1, 1, 0]),
        ([1, 1, 1, 0, 1, 1, 1, 1], [0] * 8),  # a point on the mean breaks the run
    ],
)
def test_one_side_of_the_mean(sides: list[int], expected: list[int]) -> None:
    assert one_side(sides) == expected


def test_the_run_length_is_a_setting() -> None:
    assert one_side([1] * 6, run=6) == [0, 0, 0, 0, 0, 1]
    assert trend([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], run=6) == [0, 0, 0, 0, 0, 1]


# ptd_part_of_seven_trend
@pytest.mark.parametrize(
    ("ends", "expected"),
    [
        ([], []),
        ([0] * 6, [0] * 6),
        ([0] * 6 + [1, 0], [1] * 7 + [0]),
        ([0] * 7 + [1, 0], [0] + [1] * 7 + [0]),
        ([0] * 6 + [-1, 0], [1] * 7 + [0]),
        ([0] * 7 + [-1, 0], [0] + [1] * 7 + [0]),
    ],
)
def test_part_of_a_run(ends: list[int], expected: list[int]) -> None:
    assert part_of(ends) == expected


# ptd_seven_point_trend
@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], []),
        ([1, 2, 3, 4, 5, 6], [0] * 6),
        ([1, 2, 3, 3, 4, 5, 6], [0] * 7),  # a tie breaks the trend
        ([1, 2, 3, 4, 5, 6, 7], [0, 0, 0, 0, 0, 0, 1]),
        ([2, 1, 2, 3, 4, 5, 6, 7, 3], [0, 0, 0, 0, 0, 0, 0, 1, 0]),
        ([7, 6, 5, 4, 3, 2, 1], [0, 0, 0, 0, 0, 0, -1]),
        ([2, 7, 6, 5, 4, 3, 2, 1, 3], [0, 0, 0, 0, 0, 0, 0, -1, 0]),
    ],
)
def test_trend(values: list[float], expected: list[int]) -> None:
    assert trend([float(v) for v in values]) == expected


# ptd_two_in_three
@pytest.mark.parametrize(
    ("near", "sides", "expected"),
    [
        ([], [], []),
        ([1, 0, 1], [1, 1, 1], [1, 1, 1]),
        ([0, 1, 1], [1, 1, 1], [1, 1, 1]),
        ([1, 1, 0], [1, 1, 1], [1, 1, 1]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 1, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 1, 1, 1, 1, 0, 0]),
        # the three points must all be on one side of the mean
        ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
        ([0, 1, 1], [1, -1, 1], [0, 0, 0]),
        ([1, 1, 0], [1, -1, 1], [0, 0, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], [0] * 7),
        ([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1], [0] * 7),
    ],
)
def test_two_in_three(near: list[int], sides: list[int], expected: list[int]) -> None:
    assert two_in_three(near, sides) == expected


# ptd_part_of_two_in_three: only the points beyond two sigma are marked
@pytest.mark.parametrize(
    ("near", "expected"),
    [
        ([1, 0, 1], [1, 0, 1]),
        ([0, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [0, 0, 1, 0, 1, 0, 0]),
        ([1, 0, 0, 1], [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [0, 0, 0, 1, 1]),
    ],
)
def test_part_of_two_in_three(near: list[int], expected: list[int]) -> None:
    hits = two_in_three(near, [1] * len(near))
    assert part_of_two_in_three(hits, near) == expected


# Each rule alone, on points placed against fixed limits: mean 0, two sigma at +/-2,
# limits at +/-3.
LIM = Limits(mean=0.0, mean_range=3 / 2.66, lower=-3.0, upper=3.0, near_lower=-2.0, near_upper=2.0)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param([0.5, 4.0, 0.5], {1: Rule.ABOVE_UPPER}, id="above the upper limit"),
        pytest.param([-0.5, -4.0, 0.5], {1: Rule.BELOW_LOWER}, id="below the lower limit"),
        pytest.param(
            [-1.8, -1.2, -0.6, 0.1, 0.7, 1.3, 1.9, -0.2],
            dict.fromkeys(range(7), Rule.TREND_UP),
            id="seven rising",
        ),
        pytest.param(
            [1.9, 1.3, 0.7, 0.1, -0.6, -1.2, -1.8, 0.2],
            dict.fromkeys(range(7), Rule.TREND_DOWN),
            id="seven falling",
        ),
        pytest.param(
            [0.5, 2.5, 1.0, 2.5, -0.5],
            {1: Rule.TWO_IN_THREE_ABOVE, 3: Rule.TWO_IN_THREE_ABOVE},
            id="two in three high",
        ),
        pytest.param(
            [0.5, -2.5, -2.5, -0.5, 0.5],
            {1: Rule.TWO_IN_THREE_BELOW, 2: Rule.TWO_IN_THREE_BELOW},
            id="two in three low",
        ),
        pytest.param(
            [-0.5, 0.5, 0.3, 0.5, 0.3, 0.5, 0.3, 0.5, -0.5],
            dict.fromkeys(range(1, 8), Rule.RUN_ABOVE),
            id="seven above the mean",
        ),
        pytest.param(
            [0.5, -0.5, -0.3, -0.5, -0.3, -0.5, -0.3, -0.5, 0.5],
            dict.fromkeys(range(1, 8), Rule.RUN_BELOW),
            id="seven below the mean",
        ),
        pytest.param(
            [0.5, 0.3, 0.5, 0.0, 0.5, 0.3, 0.5, 0.3], {}, id="a point on the mean breaks the run"
        ),
        pytest.param(
            [0.5, -0.5, 0.5, 2.5, -0.5, 2.5, 0.5], {}, id="two beyond two sigma, split by the mean"
        ),
    ],
)
def test_each_rule_alone(values: list[float], expected: dict[int, Rule]) -> None:
    found = special_causes(values, LIM)
    assert found.rule == [expected.get(i, Rule.COMMON) for i in range(len(values))]


def test_precedence_outside_the_limits_wins_over_every_other_rule() -> None:
    # seven rising, all above the mean, two beyond two sigma and the last out
    values = [0.2, 0.4, 0.6, 0.8, 2.2, 2.5, 3.5]
    found = special_causes(values, LIM)
    assert found.rule[6] is Rule.ABOVE_UPPER
    assert set(found.hits[6]) == {Rule.ABOVE_UPPER, Rule.TREND_UP, Rule.RUN_ABOVE}
    # a trend beats two in three and the run: point 5 is part of all three
    assert found.rule[5] is Rule.TREND_UP
    assert found.hits[5] == (Rule.TREND_UP, Rule.TWO_IN_THREE_ABOVE, Rule.RUN_ABOVE)
    assert found.rule[:5] == [Rule.TREND_UP] * 5


def test_precedence_two_in_three_wins_over_a_run() -> None:
    values = [0.5, 0.3, 0.5, 0.3, 2.5, 0.3, 2.5, -0.5]
    found = special_causes(values, LIM)
    assert found.rule == [
        Rule.RUN_ABOVE,
        Rule.RUN_ABOVE,
        Rule.RUN_ABOVE,
        Rule.RUN_ABOVE,
        Rule.TWO_IN_THREE_ABOVE,
        Rule.RUN_ABOVE,
        Rule.TWO_IN_THREE_ABOVE,
        Rule.COMMON,
    ]


def test_the_reference_special_cause_type_case() -> None:
    """test-ptd_calculate_point_type.R's `ptd_special_cause_type` case, without its mocks:
    a trend of 1:8 rising is the trend, the precedence beyond."""
    values = [float(v) for v in range(1, 9)]
    lim = Limits(mean=4.5, mean_range=1.0, lower=-100, upper=100, near_lower=-50, near_upper=50)
    found = special_causes(values, lim)
    assert found.rule == [Rule.TREND_UP] * 8


@pytest.mark.parametrize(
    ("rule", "direction", "expected"),
    [
        (Rule.ABOVE_UPPER, 1, PointType.IMPROVEMENT),
        (Rule.ABOVE_UPPER, -1, PointType.CONCERN),
        (Rule.TREND_DOWN, 1, PointType.CONCERN),
        (Rule.TREND_DOWN, -1, PointType.IMPROVEMENT),
        (Rule.RUN_BELOW, 0, PointType.NEUTRAL_LOW),
        (Rule.TWO_IN_THREE_ABOVE, 0, PointType.NEUTRAL_HIGH),
        (Rule.COMMON, 1, PointType.COMMON),
    ],
)
def test_point_type_by_polarity(rule: Rule, direction: int, expected: PointType) -> None:
    assert point_type(rule, direction) is expected


# test-ptd_calculate_assurance_type.R: limits (1, 3), (5, 7), (1, 5) against a target of 4
@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        (1, [AssuranceType.FAIL, AssuranceType.PASS, AssuranceType.HIT_AND_MISS]),
        (-1, [AssuranceType.PASS, AssuranceType.FAIL, AssuranceType.HIT_AND_MISS]),
        (0, [None, None, None]),
    ],
)
def test_assurance(direction: int, expected: list[AssuranceType | None]) -> None:
    found = [
        assurance(4.0, Limits(mean, 0.0, low, high, low, high), direction)
        for low, mean, high in ((1, 2, 3), (5, 6, 7), (1, 4, 5))
    ]
    assert found == expected


# --- the chart of one indicator ---------------------------------------------------------


FIRST = Month(2006, 8)


def series(values: list[float]) -> list[tuple[Month, float]]:
    return [(FIRST + i, v) for i, v in enumerate(values)]


NOISE = [10.0, 12.0, 11.0, 13.0, 10.0, 12.0, 11.0, 13.0, 10.0, 12.0, 11.0, 13.0]


def test_fewer_than_the_minimum_is_insufficient_data_and_no_icon() -> None:
    chart = analyse(series(NOISE), direction=1, target=11.0)
    assert chart.state is SpcState.INSUFFICIENT
    assert chart.variation is None and chart.assurance is None
    assert "12 points, fewer than the 13" in chart.reason
    assert len(chart.points) == 12  # the points are still given


def test_common_cause_and_hit_and_miss() -> None:
    chart = analyse(series([*NOISE, 11.0]), direction=1, target=11.5)
    assert chart.state is SpcState.OK
    assert chart.variation is Variation.COMMON
    assert chart.assurance is AssuranceType.HIT_AND_MISS
    assert chart.segments[0].limits.mean == pytest.approx(11.4615, abs=1e-4)


@pytest.mark.parametrize(
    ("direction", "variation"),
    [(1, Variation.IMPROVEMENT_HIGH), (-1, Variation.CONCERN_HIGH), (0, Variation.NEUTRAL_HIGH)],
)
def test_the_last_points_type_is_the_variation(direction: int, variation: Variation) -> None:
    chart = analyse(
        series([*NOISE, 30.0]), direction=direction, options=SpcOptions(screen_outliers=False)
    )
    assert chart.points[-1].rule is Rule.ABOVE_UPPER
    assert chart.variation is variation


def test_no_target_is_no_assurance_with_the_reason() -> None:
    chart = analyse(series([*NOISE, 11.0]), direction=1, target_reason="no target for 2008/09")
    assert chart.assurance is None and chart.assurance_reason == "no target for 2008/09"


def test_a_rebase_restarts_the_limits_and_the_count() -> None:
    values = [*NOISE, 11.0, 40.0, 42.0, 41.0]
    rebased = Month(2006, 8) + 13
    chart = analyse(series(values), direction=1, options=SpcOptions(rebase=(rebased,)))
    assert [s.points for s in chart.segments] == [13, 3]
    assert chart.points[-1].mean == pytest.approx(41.0)
    assert chart.state is SpcState.INSUFFICIENT
    assert "3 points since the rebase in Sep 2007" in chart.reason


def test_no_figures_is_no_series() -> None:
    assert analyse([], direction=1).state is SpcState.NO_SERIES


# --- what the master shows ----------------------------------------------------------------


def test_a_chart_title_from_the_catalogue_is_never_a_reference() -> None:
    from scorecard.workbook.charts import chart_text

    assert chart_text("=Sheet1!A1") == " =Sheet1!A1"
    assert chart_text("SPI 5.2: Reduce crime") == "SPI 5.2: Reduce crime"


def test_the_value_axis_is_around_the_points_not_from_zero() -> None:
    from scorecard.workbook.charts import y_range

    chart = analyse(series([18_000.0 + v for v in [*NOISE, 11.0]]), direction=-1, target=17_990)
    bounds = y_range(chart)
    assert 17_970 <= bounds["min"] < 17_990 < 18_013 < bounds["max"] <= 18_030
    step = bounds["major_unit"]
    assert step in (1, 2, 2.5, 5, 10)  # round ticks: whole steps from round ends
    assert bounds["min"] % step == 0 and bounds["max"] % step == 0
    assert bounds["num_format"] == "#,##0"


def test_the_marks_read_without_colour() -> None:
    from scorecard.workbook.spc import assurance_cell, variation_cell

    chart = analyse(series([*NOISE, 30.0]), direction=1, target=5.0)
    assert variation_cell(chart) == ("▲ H Improvement", "spc_improvement")
    assert assurance_cell(chart) == ("P Consistently passing", "spc_pass")
    short = analyse(series(NOISE), direction=1)
    assert variation_cell(short) == ("Insufficient data (12 points)", "spc_none")
    assert assurance_cell(short) == ("Insufficient data", "spc_none")
    assert variation_cell(None) == ("", "spc_none")


def test_a_rare_event_count_has_no_limits_to_read_and_says_why() -> None:
    """Domestic homicides, one to three a month: screening leaves only moving ranges of
    zero, so the limits have no width and every change would be a "signal". No icon, no
    special cause, and the reason names the chart a count of rare events wants."""
    values = [1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 2, 2, 2, 2, 1, 2]
    start = Month(2006, 5)
    chart = analyse([(start + i, float(v)) for i, v in enumerate(values)], direction=-1)
    assert chart.state is SpcState.NO_VARIATION and not chart.ok
    assert chart.variation is None and chart.assurance is None
    assert "G or T chart" in chart.reason and "screened out" in chart.reason
    assert all(p.rule is Rule.COMMON and p.hits == () for p in chart.points)
    unscreened = analyse(
        [(start + i, float(v)) for i, v in enumerate(values)],
        direction=-1,
        options=SpcOptions(screen_outliers=False),
    )
    assert unscreened.ok and unscreened.segments[0].limits.mean_range > 0
