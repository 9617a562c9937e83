"""Rule profiles (issue 24): `ptd` is NHSRplotthedots 0.2 (every vector of
tests/unit/test_spc.py runs under it, its default), `mdc` NHS England's current Making
Data Count tools. One table of cases, one per rule that differs: each case gives what
each profile marks, and the case checks that the two differ, so each fails under the
other profile."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from scorecard.catalogue import SpcSettings, spc_settings
from scorecard.catalogue.spc import PROFILES
from scorecard.periods import Month
from scorecard.spc import AssuranceType, Rule, SpcOptions, SpcState, analyse, rule_reason
from scorecard.spc.indicator import spc_options
from scorecard.spc.xmr import Limits, assurance, limits, special_causes

PTD = spc_options(SpcSettings(profile="ptd"))
MDC = spc_options(SpcSettings(profile="mdc"))
PROFILE = {"ptd": PTD, "mdc": MDC}
# mean 0, two sigma at +/-2, limits at +/-3
LIM = Limits(mean=0.0, mean_range=3 / 2.66, lower=-3.0, upper=3.0, near_lower=-2.0, near_upper=2.0)
VIGNETTE = [1.0, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
FIRST = Month(2006, 5)


def months(values: list[float]) -> list[tuple[Month, float]]:
    return [(FIRST + i, v) for i, v in enumerate(values)]


def test_ptd_is_the_default_and_the_behaviour_before_profiles() -> None:
    assert SpcOptions() == PTD  # the arithmetic's defaults, which every ptd vector uses
    assert spc_options(SpcSettings()) == PTD


def test_mdc_resolves_every_rule_from_its_profile() -> None:
    assert (MDC.two_in_three, MDC.assurance_ties) == ("beyond_two_sigma", "inclusive")
    assert (MDC.screen_outliers, MDC.screen_mean, MDC.minimum_points) == (False, True, 15)
    assert (MDC.shift_points, MDC.trend_points) == (7, 7)
    assert set(PROFILES["ptd"]) == set(PROFILES["mdc"])


def test_each_field_overrides_its_profile_and_an_indicator_the_organisation() -> None:
    org = SpcSettings(enabled=True, profile="mdc", shift_points=6)
    own = SpcSettings.model_validate({"screen_outliers": True, "trend_points": 8})
    got = spc_options(spc_settings(org, own))
    assert (got.profile, got.two_in_three, got.screen_outliers) == ("mdc", "beyond_two_sigma", True)
    assert (got.shift_points, got.trend_points) == (6, 8)
    # an indicator back on ptd keeps the organisation's explicit shift
    back = spc_options(spc_settings(org, SpcSettings.model_validate({"profile": "ptd"})))
    assert (back.two_in_three, back.shift_points, back.minimum_points) == ("within_limits", 6, 13)


def test_run_length_still_sets_both_and_overrides_a_shift_above_it() -> None:
    org = SpcSettings(enabled=True, shift_points=6, trend_points=8)
    own = SpcSettings.model_validate({"run_length": 5})
    got = spc_options(spc_settings(org, own))
    assert (got.shift_points, got.trend_points, got.run_length) == (5, 5, 5)
    assert spc_options(org).run_length is None  # no single run length to report


# --- one case per difference: what each profile marks ----------------------------------


def two_in_three_case(options: SpcOptions) -> Any:
    # one point between two and three sigma, the next beyond the limit, all above
    return special_causes([0.5, 2.5, 3.5, 0.5], LIM, options.rules).rule[1]


def ties_case(options: SpcOptions) -> Any:
    # higher is better: a target on the lower limit is met by the whole process, on the
    # upper missed by it
    inclusive = options.assurance_ties == "inclusive"
    return tuple(assurance(t, LIM, 1, inclusive=inclusive) for t in (-3.0, 3.0))


def screening_case(options: SpcOptions) -> Any:
    lim = limits(VIGNETTE, screen=options.screen_outliers, screen_mean=options.screen_mean)
    return (round(lim.lower, 2), round(lim.mean, 2), round(lim.upper, 2))


def screened_mean_case(options: SpcOptions) -> Any:
    # screening turned on under each profile: mdc also leaves the 10 out of the mean
    lim = limits(VIGNETTE, screen=True, screen_mean=options.screen_mean)
    return round(lim.mean, 4)


def minimum_points_case(options: SpcOptions) -> Any:
    noise = [10.0, 12, 11, 13] * 3 + [10.0, 12]  # 14 points
    return analyse(months(noise), direction=1, options=options).state


CASES = [
    pytest.param(
        two_in_three_case, Rule.COMMON, Rule.TWO_IN_THREE_ABOVE, id="two in three (2023 rule)"
    ),
    pytest.param(
        ties_case,
        (AssuranceType.HIT_AND_MISS, AssuranceType.HIT_AND_MISS),
        (AssuranceType.PASS, AssuranceType.FAIL),
        id="assurance ties",
    ),
    pytest.param(
        screening_case, (-0.72, 1.94, 4.6), (-3.06, 1.94, 6.95), id="screening (the vignette)"
    ),
    pytest.param(screened_mean_case, 1.9444, round(25 / 17, 4), id="screened mean"),
    pytest.param(minimum_points_case, SpcState.OK, SpcState.INSUFFICIENT, id="minimum points (15)"),
]


@pytest.mark.parametrize(("case", "ptd", "mdc"), CASES)
def test_each_rule_difference_marks_by_its_profile(case: Any, ptd: Any, mdc: Any) -> None:
    assert ptd != mdc  # so each case fails under the other profile
    assert case(PTD) == ptd
    assert case(MDC) == mdc


# The lengths are not a difference of the profiles' defaults (7 and 7 in both); MDC sets
# them apart (each 6 to 8), and so can either profile.
@pytest.mark.parametrize("profile", ["ptd", "mdc"])
def test_shift_and_trend_lengths_are_set_apart(profile: str) -> None:
    tuned = replace(PROFILE[profile], shift_points=6, trend_points=8)
    shift = special_causes([-0.5, 0.5, 0.3, 0.5, 0.3, 0.5, 0.3, -0.5], LIM, tuned.rules)
    assert shift.rule[1:7] == [Rule.RUN_ABOVE] * 6
    rising = special_causes([-1.8, -1.2, -0.6, 0.1, 0.7, 1.3, 1.9, -0.2], LIM, tuned.rules)
    assert Rule.TREND_UP not in rising.rule  # 7 rising is not a trend of 8
    as_before = special_causes([-0.5, 0.5, 0.3, 0.5, 0.3, 0.5, 0.3, -0.5], LIM, PTD.rules)
    assert Rule.RUN_ABOVE not in as_before.rule  # 6 is not a shift of 7


def test_a_points_reason_names_its_rule_and_the_profiles_parameter() -> None:
    assert rule_reason(Rule.RUN_BELOW, replace(MDC, shift_points=6)) == (
        "shift: part of 6 points in a row below the mean"
    )
    assert "MDC, 2023" in rule_reason(Rule.TWO_IN_THREE_ABOVE, MDC)
    assert "between two and three sigma" in rule_reason(Rule.TWO_IN_THREE_ABOVE, PTD)
    assert rule_reason(Rule.ABOVE_UPPER, PTD) == "above the upper process limit"
