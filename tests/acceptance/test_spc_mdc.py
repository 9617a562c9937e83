"""The July 2008 sample compiled with `spc: {profile: mdc}` against an independent
calculation of NHS England's current Making Data Count rules (issue 24): unscreened
limits, the 2023 two-in-three rule (every point beyond two sigma counts), a target on a
limit a consistent pass or fail, shifts and trends of 7, an SPC chart from 15 points.

The calculation below shares no code with `scorecard.spc`: it walks the windows of each
rule directly, as the MDC tool's notes describe them, and the compile must agree with it
point by point (each point's type), limit by limit, and on both marks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scorecard.catalogue import load_catalogue
from scorecard.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def mdc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("mdc")
    text = (ROOT / "config/indicators.yaml").read_text(encoding="utf-8")
    on = "  spc:\n    enabled: true\n"
    assert text.count(on) == 1
    config = folder / "indicators.yaml"
    config.write_text(text.replace(on, on + "    profile: mdc\n"), encoding="utf-8")
    out, data = folder / "master.xlsx", folder / "master.json"
    args = ["--config", str(config), "--returns", str(ROOT / "samples/returns")]
    result = CliRunner().invoke(
        main, ["compile", *args, "--out", str(out), "--json", str(data), "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    payload: dict[str, Any] = json.loads(data.read_text(encoding="utf-8"))
    catalogue = load_catalogue(config)
    polarity = {i.key: i.polarity for i in catalogue.indicators}
    for row in payload["indicators"]:
        row["polarity"] = polarity[row["key"]]
    return payload


# --- the independent calculation ------------------------------------------------------


def mdc_chart(y: list[float], better: int, target: float | None) -> dict[str, Any]:
    """Limits, each point's type, and the two marks, by MDC's rules, in plain loops."""
    n = len(y)
    mean = sum(y) / n
    mr_bar = sum(abs(y[i] - y[i - 1]) for i in range(1, n)) / (n - 1)
    upper, lower = mean + 2.66 * mr_bar, mean - 2.66 * mr_bar
    two_up, two_down = mean + 2.66 * mr_bar * 2 / 3, mean - 2.66 * mr_bar * 2 / 3
    high = [False] * n  # a signal saying "high" at the point, by precedence
    low = [False] * n
    named = [False] * n
    # 1. beyond the process limits
    for i in range(n):
        if y[i] > upper:
            high[i] = named[i] = True
        elif y[i] < lower:
            low[i] = named[i] = True
    # 2. seven points in a row each above (below) the one before
    trend_up, trend_down = [False] * n, [False] * n
    for end in range(6, n):
        window = range(end - 6, end + 1)
        if all(y[i] > y[i - 1] for i in window if i > end - 6):
            for i in window:
                trend_up[i] = True
        if all(y[i] < y[i - 1] for i in window if i > end - 6):
            for i in window:
                trend_down[i] = True
    for i in range(n):
        if not named[i] and (trend_up[i] or trend_down[i]):
            # a point between a rising and a falling run reads the run that follows it
            rising = trend_up[i] and not (trend_down[i] and i + 1 < n and y[i + 1] < y[i])
            high[i], low[i], named[i] = rising, not rising, True
    # 3. two of three beyond two sigma on one side (2023: beyond the limits too)
    for start in range(n - 2):
        window = range(start, start + 3)
        for side, beyond in ((1, lambda v: v > two_up), (-1, lambda v: v < two_down)):
            same_side = all((y[i] - mean) * side > 0 for i in window)
            far = [i for i in window if beyond(y[i])]
            if same_side and len(far) >= 2:
                for i in far:
                    if not named[i]:
                        high[i], low[i] = side > 0, side < 0
                        named[i] = True
    # 4. seven in a row on one side of the mean
    for end in range(6, n):
        window = range(end - 6, end + 1)
        for side in (1, -1):
            if all((y[i] - mean) * side > 0 for i in window):
                for i in window:
                    if not named[i]:
                        high[i], low[i] = side > 0, side < 0
                        named[i] = True
    types = []
    for i in range(n):
        if not named[i]:
            types.append("common_cause")
        elif better == 0:
            types.append("special_cause_neutral_" + ("high" if high[i] else "low"))
        else:
            good = (high[i] and better > 0) or (low[i] and better < 0)
            types.append("special_cause_improvement" if good else "special_cause_concern")
    marks: dict[str, Any] = {"lower": lower, "mean": mean, "upper": upper, "types": types}
    marks["assurance"] = None
    if target is not None and better != 0:
        if (better > 0 and target <= lower) or (better < 0 and target >= upper):
            marks["assurance"] = "consistent_pass"
        elif (better > 0 and target >= upper) or (better < 0 and target <= lower):
            marks["assurance"] = "consistent_fail"
        else:
            marks["assurance"] = "hit_and_miss"
    return marks


BETTER = {"higher_is_better": 1, "lower_is_better": -1}


def test_the_sample_under_mdc_agrees_with_an_independent_calculation(mdc: dict[str, Any]) -> None:
    agreed = []
    for row in mdc["indicators"]:
        spc = row["spc"]
        if not spc or spc["state"] != "ok" or spc["chart"] != "xmr":
            continue
        assert spc["profile"] == "mdc" and len(spc["points"]) >= 15
        values = [p["value"] for p in spc["points"]]
        better = BETTER.get(row["polarity"], 0)
        expected = mdc_chart(values, better, spc["target"])
        (segment,) = spc["segments"]
        assert segment["lower_limit"] == pytest.approx(expected["lower"]), row["key"]
        assert segment["mean"] == pytest.approx(expected["mean"]), row["key"]
        assert segment["upper_limit"] == pytest.approx(expected["upper"]), row["key"]
        assert [p["type"] for p in spc["points"]] == expected["types"], row["key"]
        assert spc["assurance"] == expected["assurance"], row["key"]
        last = expected["types"][-1]
        assert (spc["variation"] == "common_cause") == (last == "common_cause"), row["key"]
        agreed.append(row["key"])
    assert len(agreed) >= 12, agreed


def test_mdc_differs_from_ptd_where_the_issue_says(mdc: dict[str, Any]) -> None:
    """Under mdc the limits are unscreened: a row whose ranges ptd screens has wider
    limits, and every point is charted from 15 points."""
    rows = {r["key"]: r["spc"] for r in mdc["indicators"]}
    homicides = rows["spi-5-4"]  # no variation once screened (ptd): mdc does not screen
    assert homicides["settings"]["screen_outliers"] is False
    assert homicides["settings"]["minimum_points"] == 15
