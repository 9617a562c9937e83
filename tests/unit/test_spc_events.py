"""Charts for rare events (issue 24): the events placed from monthly counts, the T chart
(transformed as Making Data Count and qicharts2 do), the G chart (geometric limits), the
choice `auto` makes, and the marks read the right way round (a longer gap is fewer
events); then the axis of the master's charts (issue 20, item 4)."""

from __future__ import annotations

import math
from dataclasses import replace
from itertools import pairwise

import pytest

from scorecard.catalogue import SpcSettings
from scorecard.periods import Month
from scorecard.spc import AssuranceType, SpcState, Variation
from scorecard.spc.events import chart_kind, event_chart
from scorecard.spc.indicator import spc_options
from scorecard.spc.rare import g_limits, intervals, mean_days_per_period, t_forward
from scorecard.workbook.chartscale import Scale, axis, nice_step, words

PTD = spc_options(SpcSettings())
JAN = Month(2008, 1)


def months(counts: list[float], first: Month = JAN) -> list[tuple[Month, float]]:
    return [(first + i, c) for i, c in enumerate(counts)]


def test_a_months_events_are_spread_evenly_through_it() -> None:
    # Jan 2008: one event, mid-month (day 15.5 of 31); Mar 2008: two, at 1/4 and 3/4
    found = intervals(months([1, 0, 2]))
    assert found.events == 3
    (feb_gap_month, first_gap), (_, second_gap) = found.points
    assert feb_gap_month == Month(2008, 3)  # a gap belongs to the event that ends it
    assert first_gap == pytest.approx((31 - 15.5) + 29 + 31 * 0.25)  # 2008 is a leap year
    assert second_gap == pytest.approx(31 * 0.5)
    assert found.days_since_last == pytest.approx(31 * 0.25)
    assert found.last_event == Month(2008, 3)


def test_a_quarterly_series_spreads_over_the_quarter() -> None:
    quarters = [(Month(2008, 6), 1.0), (Month(2008, 9), 1.0)]  # Apr-Jun, Jul-Sep
    (_, gap), *_ = intervals(quarters).points
    assert gap == pytest.approx(91 / 2 + 92 / 2)
    assert mean_days_per_period(quarters) == pytest.approx((91 + 92) / 2)


# qicharts2's qic.t by hand: y^(1/3.6), an I chart, the lines back-transformed
GAPS = [20.0, 35.0, 12.0, 50.0, 28.0, 41.0, 16.0, 30.0, 25.0, 60.0, 22.0, 33.0, 18.0, 45.0]


def test_the_t_chart_is_an_xmr_chart_of_the_transformed_gaps() -> None:
    counts = [1.0] * 15  # one event a month: every gap is a month's days
    unscreened = replace(PTD, screen_outliers=False)
    chart = event_chart(months(counts), "t", direction=-1, options=unscreened, target=None)
    assert chart.kind == "t" and chart.events == 15 and len(chart.points) == 14
    y = [t_forward(p.value) for p in chart.points]
    mean = sum(y) / len(y)
    mr = sum(abs(b - a) for a, b in pairwise(y)) / (len(y) - 1)
    lim = chart.segments[0].limits
    assert lim.mean == pytest.approx(mean**3.6)
    assert lim.upper == pytest.approx((mean + 2.66 * mr) ** 3.6)
    assert lim.lower == pytest.approx(max(mean - 2.66 * mr, 0) ** 3.6)


def test_a_t_chart_lower_limit_below_zero_is_zero() -> None:
    series = [(JAN + i, 1.0 if i % 3 else 0.0) for i in range(40)]  # gaps of 1 and 2 months
    rough = event_chart(series, "t", direction=-1, options=PTD, target=None)
    assert rough.segments[0].limits.lower >= 0


def test_the_g_chart_takes_its_limits_from_the_geometric_distribution() -> None:
    lim = g_limits(GAPS)
    g = sum(GAPS) / len(GAPS)
    assert lim.upper == pytest.approx(g + 3 * math.sqrt(g * (g + 1)))
    assert lim.lower == 0  # g - 3 sigma is below zero
    assert lim.mean == pytest.approx(sorted(GAPS)[6] / 2 + sorted(GAPS)[7] / 2)  # the median


def test_a_long_gap_is_an_improvement_where_fewer_events_are_better() -> None:
    quiet = [1.0] * 14 + [0.0] * 10 + [1.0]  # one a month, then ten months without
    chart = event_chart(months(quiet), "g", direction=-1, options=PTD, target=None)
    assert chart.ok and chart.points[-1].value > chart.segments[0].limits.upper
    assert chart.variation is Variation.IMPROVEMENT_HIGH


def test_a_zero_target_is_consistently_failed_by_a_process_with_events() -> None:
    chart = event_chart(months([1.0] * 16), "t", direction=-1, options=PTD, target=0.0)
    assert chart.target is None and chart.assurance is AssuranceType.FAIL


def test_too_few_events_say_so_and_what_the_chart_assumes() -> None:
    chart = event_chart(months([0.0] * 24 + [1.0, 0.0, 1.0]), "t", direction=0, options=PTD,
                        target=None)  # fmt: skip
    assert chart.state is SpcState.INSUFFICIENT and chart.events == 2
    assert "2 events from Jan 2008 to Mar 2010, so 1 gap between events" in chart.reason
    assert "spread evenly" in chart.note and "counts by month" in chart.note


def test_a_t_chart_wants_counts() -> None:
    chart = event_chart(months([1.5] * 20), "t", direction=-1, options=PTD, target=None)
    assert chart.state is SpcState.NO_SERIES and "whole number" in chart.reason


def test_auto_keeps_an_xmr_chart_for_a_flat_percentage() -> None:
    """A month's percentage that does not move (87% each month) is no count of events:
    `auto` leaves it an XmR chart (with no variation), never a T chart of 87 "events"."""
    flat = months([87.0] * 14)
    assert chart_kind("auto", flat, counts=False) == "xmr"
    assert chart_kind("auto", flat, counts=True) == "t"


@pytest.mark.parametrize(
    ("asked", "counts", "kind"),
    [
        ("auto", [1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 2], "t"),  # screened: no width
        ("auto", [0] * 24 + [1, 0, 1], "t"),
        ("auto", [10, 12, 11, 13, 10, 12, 11, 13], "xmr"),  # a count with variation
        ("auto", [1.5, 1.5, 1.5], "xmr"),  # not counts of events
        ("g", [10, 12, 11, 13], "g"),
        ("xmr", [0] * 24, "xmr"),
    ],
)
def test_auto_picks_a_t_chart_for_a_count_of_rare_events(
    asked: str, counts: list[float], kind: str
) -> None:
    assert chart_kind(asked, months([float(c) for c in counts])) == kind


# --- the axis of the master's charts ---------------------------------------------------


@pytest.mark.parametrize(
    ("span", "step"),
    [(6.0, 2.0), (0.9, 0.2), (3_000.0, 1_000.0), (12.0, 2.5), (37.0, 10.0), (4.0, 1.0)],
)
def test_ticks_are_round_steps(span: float, step: float) -> None:
    assert nice_step(span) == pytest.approx(step)


def test_the_axis_ends_on_whole_steps_and_a_count_not_below_zero() -> None:
    got = axis([25.13, 27.41, 31.9, -2.0], Scale(floor_at_zero=True))
    assert got["min"] == 0 and got["max"] % got["major_unit"] == 0
    free = axis([25.13, 27.41, 31.9, -2.0], Scale())
    assert free["min"] < 0  # a measure that can be negative keeps its limit


def test_money_reads_as_the_table_shows_it() -> None:
    money = Scale(divisor=1e6, prefix='"£"', suffix='"m"', unit="£m", floor_at_zero=True)
    got = axis([v / 1e6 for v in (700_000.0, 5_200_000.0)], money)
    assert got["num_format"] == '"£"#,##0"m"' and got["major_unit"] == 1
    assert words(2_900_000.0, money) == "£2.9m"
    assert words(10.5, Scale(suffix='"%"', unit="%")) == "10.5%"
