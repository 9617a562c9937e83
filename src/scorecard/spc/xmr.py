"""The XmR chart's arithmetic, as NHS-R's NHSRplotthedots does it. Pure: floats in, out.

One function per step, each the reference's own: the limits of one segment
(`ptd_spc_standard`), each special-cause rule (`ptd_seven_point_trend`,
`ptd_two_in_three`, `ptd_seven_point_one_side_mean` and their "part of" spreads), the
rules in precedence (`ptd_special_cause_type`), and the assurance against a target
(`ptd_calculate_assurance_type`). Where NHS England's current Making Data Count tools
differ, the difference is a parameter (`RuleSet`): the shift and trend lengths, whether
points beyond the limits count toward two in three (MDC since November 2023), whether a
target on a limit is a consistent pass or fail (MDC's tool from v2.1), and whether
screening the moving ranges also takes the outlying points out of the mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

LIMIT = 2.66  # 3 sigma, with sigma estimated as the mean moving range / 1.128
NEAR_LIMIT = 2 * (LIMIT / 3)  # 2 sigma
SCREEN = 3.267  # a moving range above this times their mean is screened out (Nelson 1982)


class Rule(StrEnum):
    """Which special-cause rule a point is part of; the precedence is the order below."""

    ABOVE_UPPER = "above_upper_limit"
    BELOW_LOWER = "below_lower_limit"
    TREND_UP = "trend_increasing"
    TREND_DOWN = "trend_decreasing"
    TWO_IN_THREE_ABOVE = "two_in_three_above"
    TWO_IN_THREE_BELOW = "two_in_three_below"
    RUN_ABOVE = "run_above_mean"
    RUN_BELOW = "run_below_mean"
    COMMON = "common_cause"

    @property
    def side(self) -> int:
        """+1 for a rule that says high (or rising), -1 low (or falling), 0 none."""
        if self in _HIGH:
            return 1
        return -1 if self in _LOW else 0


_HIGH = frozenset({Rule.ABOVE_UPPER, Rule.TREND_UP, Rule.TWO_IN_THREE_ABOVE, Rule.RUN_ABOVE})
_LOW = frozenset({Rule.BELOW_LOWER, Rule.TREND_DOWN, Rule.TWO_IN_THREE_BELOW, Rule.RUN_BELOW})


@dataclass(frozen=True)
class Limits:
    """A segment's centre line and process limits, and the moving ranges screened out."""

    mean: float
    mean_range: float  # the mean moving range, after screening
    lower: float
    upper: float
    near_lower: float  # two sigma
    near_upper: float
    screened: tuple[int, ...] = ()  # indexes of the points whose moving range was screened


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def limits(
    values: list[float],
    *,
    screen: bool = True,
    baseline: int | None = None,
    screen_mean: bool = False,
) -> Limits:
    """The mean of the first `baseline` points (all where None), the moving ranges, their
    mean (screened once above 3.267 times it, where `screen`), and the limits. With
    `screen_mean`, the mean leaves out the outlying points too: of each screened range's
    two points, the one further from the first mean."""
    fixed = values[:baseline] if baseline else values
    mean = sum(fixed) / len(fixed)
    ranges = [abs(b - a) for a, b in pairwise(fixed)]
    mean_range = sum(ranges) / len(ranges) if ranges else 0.0
    screened: tuple[int, ...] = ()
    if screen and ranges:
        # The reference keeps a range strictly below the bound, and recomputes once.
        kept = [r for r in ranges if r < SCREEN * mean_range]
        screened = tuple(i + 1 for i, r in enumerate(ranges) if r >= SCREEN * mean_range)
        mean_range = sum(kept) / len(kept) if kept else 0.0
        if screen_mean and screened:
            mean = _mean_without_outliers(fixed, screened, mean)
    return Limits(
        mean=mean,
        mean_range=mean_range,
        lower=mean - LIMIT * mean_range,
        upper=mean + LIMIT * mean_range,
        near_lower=mean - NEAR_LIMIT * mean_range,
        near_upper=mean + NEAR_LIMIT * mean_range,
        screened=screened,
    )


def _mean_without_outliers(values: list[float], screened: tuple[int, ...], mean: float) -> float:
    """The mean of `values` without the outlier of each screened moving range (of the
    range's two points, the further from `mean`)."""
    out = {i if abs(values[i] - mean) >= abs(values[i - 1] - mean) else i - 1 for i in screened}
    kept = [v for i, v in enumerate(values) if i not in out]
    return sum(kept) / len(kept) if kept else mean


def trend(values: list[float], run: int = 7) -> list[int]:
    """+1 (-1) at each point that ends `run` points strictly rising (falling), else 0."""
    out = [0] * len(values)
    streak, way = 0, 0  # how many steps in a row have gone `way`
    for i in range(1, len(values)):
        step = _sign(values[i] - values[i - 1])
        streak = streak + 1 if step == way and step != 0 else (1 if step != 0 else 0)
        way = step
        if streak >= run - 1:
            out[i] = way
    return out


def one_side(sides: list[int], run: int = 7) -> list[int]:
    """1 at each point that ends `run` points on one side of the mean (0 breaks a run)."""
    out, streak = [0] * len(sides), 0
    for i, side in enumerate(sides):
        streak = streak + 1 if side != 0 and i and side == sides[i - 1] else int(side != 0)
        out[i] = int(streak >= run)
    return out


def part_of(ends: list[int], run: int = 7) -> list[int]:
    """1 at each point within `run` points of the end of a run: all of the run's points."""
    return [int(any(ends[i : i + run])) for i in range(len(ends))]


def two_in_three(near: list[int], sides: list[int]) -> list[int]:
    """1 at each point of a window of three on one side of the mean with two or more of
    them beyond two sigma (the reference's `ptd_two_in_three`, whose zero padding means
    only the windows wholly within the series can hit)."""
    n = len(near)
    hits = [
        k
        for k in range(n - 2)
        if near[k] + near[k + 1] + near[k + 2] >= 2
        and abs(sides[k] + sides[k + 1] + sides[k + 2]) == 3
    ]
    out = [0] * n
    for k in hits:
        out[k] = out[k + 1] = out[k + 2] = 1
    return out


def part_of_two_in_three(hits: list[int], near: list[int]) -> list[int]:
    """Only the points of a two-in-three window that are themselves beyond two sigma."""
    return [int(h == 1 and abs(c) == 1) for h, c in zip(hits, near, strict=True)]


@dataclass(frozen=True)
class RuleHits:
    """Every rule each point is part of, and the one that names it (by precedence)."""

    hits: list[tuple[Rule, ...]]
    rule: list[Rule]


@dataclass(frozen=True)
class RuleSet:
    """The special-cause rules' parameters: NHSRplotthedots' by default (`ptd`)."""

    shift_points: int = 7  # points on one side of the mean
    trend_points: int = 7  # points rising or falling
    # Points beyond the process limits count toward two in three (MDC since 2023).
    two_in_three_beyond_limits: bool = False


def special_causes(values: list[float], lim: Limits, rules: RuleSet = RuleSet()) -> RuleHits:
    """Each point's special-cause rules, in the reference's precedence: outside the
    limits, a trend, two in three beyond two sigma, a run on one side of the mean."""
    sides = [_sign(v - lim.mean) for v in values]
    outside = [v > lim.upper or v < lim.lower for v in values]
    counts_out = rules.two_in_three_beyond_limits
    near = [
        int((counts_out or not out) and (v < lim.near_lower or v > lim.near_upper))
        for v, out in zip(values, outside, strict=True)
    ]
    in_trend = part_of(trend(values, rules.trend_points), rules.trend_points)
    in_two = part_of_two_in_three(two_in_three(near, sides), near)
    in_run = part_of(one_side(sides, rules.shift_points), rules.shift_points)
    hits: list[tuple[Rule, ...]] = []
    named: list[Rule] = []
    for i in range(len(values)):
        found: list[Rule] = []
        if outside[i]:
            found.append(Rule.ABOVE_UPPER if sides[i] == 1 else Rule.BELOW_LOWER)
        if in_trend[i]:
            found.append(
                Rule.TREND_UP if _trend_step(values, in_trend, i) == 1 else Rule.TREND_DOWN
            )
        if in_two[i]:
            found.append(Rule.TWO_IN_THREE_ABOVE if sides[i] > 0 else Rule.TWO_IN_THREE_BELOW)
        if in_run[i]:
            found.append(Rule.RUN_ABOVE if sides[i] > 0 else Rule.RUN_BELOW)
        hits.append(tuple(found))
        named.append(found[0] if found else Rule.COMMON)
    return RuleHits(hits=hits, rule=named)


def _trend_step(values: list[float], in_trend: list[int], i: int) -> int:
    """The direction of a trend point: the step after it where the next point is in the
    trend too (so a trend's first point reads its own trend), else the step before."""
    n = len(values)
    if i + 1 < n and in_trend[i + 1]:
        return _sign(values[i + 1] - values[i])
    return _sign(values[i] - values[i - 1]) if i > 0 else 0


class PointType(StrEnum):
    """A point's variation as the board reads it: by the indicator's polarity."""

    COMMON = "common_cause"
    IMPROVEMENT = "special_cause_improvement"
    CONCERN = "special_cause_concern"
    NEUTRAL_HIGH = "special_cause_neutral_high"
    NEUTRAL_LOW = "special_cause_neutral_low"


def point_type(rule: Rule, direction: int) -> PointType:
    """`direction` +1 where higher is better, -1 where lower is, 0 where neither."""
    side = rule.side
    if side == 0:
        return PointType.COMMON
    if direction == 0:
        return PointType.NEUTRAL_HIGH if side > 0 else PointType.NEUTRAL_LOW
    return PointType.IMPROVEMENT if side * direction > 0 else PointType.CONCERN


class AssuranceType(StrEnum):
    """Whether the process, as it runs, will meet the target."""

    PASS = "consistent_pass"
    FAIL = "consistent_fail"
    HIT_AND_MISS = "hit_and_miss"


def assurance(
    target: float, lim: Limits, direction: int, *, inclusive: bool = False
) -> AssuranceType | None:
    """Consistently passing where the whole process beats the target (below the lower
    limit where higher is better, above the upper where lower is), consistently failing
    where the whole process misses it, else hit and miss (the target is within the
    limits); None where the indicator has no better direction. A target exactly on a
    limit is hit and miss, or with `inclusive` (MDC) a consistent pass or fail."""
    if direction == 0:
        return None
    above = target >= lim.upper if inclusive else target > lim.upper
    below = target <= lim.lower if inclusive else target < lim.lower
    if above:
        return AssuranceType.FAIL if direction > 0 else AssuranceType.PASS
    if below:
        return AssuranceType.PASS if direction > 0 else AssuranceType.FAIL
    return AssuranceType.HIT_AND_MISS
