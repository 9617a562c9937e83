"""SPC's series is each month's own figure, its target put in the series' terms, and its
settings the catalogue's, organisation over default, indicator over organisation."""

from __future__ import annotations

import pytest

from scorecard.catalogue import SpcSettings, spc_settings
from scorecard.model import Figures
from scorecard.periods import FinancialYear, Month, month_range
from scorecard.spc import AssuranceType, SpcState, indicator_spc
from scorecard.spc.series import monthly_series, series_target
from tests.unit.engine_helpers import JULY_2008, ORGANISATION, indicator, monthly

ON = ORGANISATION.model_copy(update={"spc": SpcSettings(enabled=True)})
MONTHS = month_range(Month(2006, 8), JULY_2008)  # 24 months
YEAR = FinancialYear(2008)


def counts(value: float = 100.0) -> dict[Month, float | None]:
    # a little noise, no pattern: 100, 104, 98, 102, ...
    return {m: value + (4, -2, 2, 0)[i % 4] for i, m in enumerate(MONTHS)}


def test_a_change_charts_the_months_counts_not_the_rolling_total() -> None:
    ind = indicator(derive={"method": "change", "measure": "offences"})
    found = monthly_series(ind, monthly("test", "offences", counts()), JULY_2008, ON, SpcSettings())
    assert [v for _, v in found.points][:4] == [104.0, 98.0, 102.0, 100.0]
    assert len(found.points) == 24 and found.label == "in the month"


def test_a_rolling_rate_charts_each_months_numerator_over_its_denominator() -> None:
    ind = indicator(
        unit="percent",
        measures=[{"name": "arrests", "label": "A"}, {"name": "offences", "label": "O"}],
        derive={"method": "rolling_rate", "numerator": "arrests", "denominator": "offences"},
    )
    figures: Figures = {
        **monthly("test", "arrests", {m: 30.0 for m in MONTHS}),
        **monthly("test", "offences", {m: 40.0 for m in MONTHS[:-1]}),  # July missing
    }
    found = monthly_series(ind, figures, JULY_2008, ON, SpcSettings())
    assert found.points[0][1] == 75.0
    assert found.gaps == (JULY_2008,)


def test_a_figure_as_given_is_charted_only_where_the_catalogue_says_it_is_the_months() -> None:
    ind = indicator(unit="percent", derive={"method": "as_given", "measure": "offences"})
    figures = monthly("test", "offences", counts(70))
    found = monthly_series(ind, figures, JULY_2008, ON, SpcSettings())
    assert not found.points and "may be a rolling value" in found.reason
    own = monthly_series(ind, figures, JULY_2008, ON, SpcSettings(series="as_given"))
    assert len(own.points) == 24


@pytest.mark.parametrize(
    ("target", "value", "basis"),
    [
        ({"kind": "level", "value": 1200}, 100.0, "the 12-month target of 1200 over 12 months"),
        ({"kind": "zero"}, 0.0, "zero"),
        (
            {"kind": "reduction", "percent": 4},
            101.0 * 0.96,
            "the monthly mean of Aug 2006 to Jul 2007 less 4%",
        ),
        ({"kind": "improve"}, 101.0, "the monthly mean of Aug 2006 to Jul 2007"),
    ],
)
def test_the_target_in_the_series_terms(target: dict, value: float, basis: str) -> None:
    ind = indicator(derive={"method": "change", "measure": "offences"}, targets={"2008/09": target})
    found = monthly_series(ind, monthly("test", "offences", counts()), JULY_2008, ON, SpcSettings())
    stated = series_target(ind, ind.target_for(YEAR), found.points, JULY_2008, ON, YEAR)
    assert stated.value == pytest.approx(value) and stated.basis == basis


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ({"kind": "none"}, "no target for 2008/09"),
        ({"kind": "baseline"}, "2008/09 is a baseline year: no target"),
        (
            {"kind": "profile", "quarters": [1, 2, 3, 4]},
            "a profiled target changes through the year",
        ),
    ],
)
def test_a_target_that_cannot_be_stated_says_why(target: dict, reason: str) -> None:
    ind = indicator(derive={"method": "change", "measure": "offences"}, targets={"2008/09": target})
    chart = indicator_spc(ind, monthly("test", "offences", counts()), JULY_2008, ON)
    assert chart is not None and chart.state is SpcState.OK
    assert chart.assurance is None and chart.assurance_reason == reason


def test_a_reduction_with_too_little_history_has_no_assurance_and_says_why() -> None:
    ind = indicator(
        derive={"method": "change", "measure": "offences"},
        targets={"2008/09": {"kind": "reduction", "percent": 4}},
    )
    recent = {m: v for m, v in counts().items() if m >= Month(2007, 2)}
    chart = indicator_spc(ind, monthly("test", "offences", recent), JULY_2008, ON)
    assert chart is not None and chart.assurance is None
    assert "no figures for all of the 12 periods to Jul 2007" in chart.assurance_reason


def test_a_level_target_far_above_a_lower_is_better_process_is_consistently_passed() -> None:
    ind = indicator(targets={"2008/09": {"kind": "level", "value": 12 * 150}})
    chart = indicator_spc(ind, monthly("test", "offences", counts()), JULY_2008, ON)
    assert chart is not None and chart.assurance is AssuranceType.PASS


def test_spc_is_off_unless_the_catalogue_asks() -> None:
    ind = indicator()
    assert (
        indicator_spc(ind, monthly("test", "offences", counts()), JULY_2008, ORGANISATION) is None
    )
    off = indicator(spc={"enabled": False})
    assert indicator_spc(off, monthly("test", "offences", counts()), JULY_2008, ON) is None


def test_an_indicators_settings_override_the_organisations_field_by_field() -> None:
    org = SpcSettings(enabled=True, run_length=6, screen_outliers=False)
    own = SpcSettings.model_validate({"minimum_points": 20, "rebase": ["2008-04"]})
    merged = spc_settings(org, own)
    assert (merged.enabled, merged.run_length, merged.screen_outliers) == (True, 6, False)
    assert merged.minimum_points == 20 and merged.rebase_months == (Month(2008, 4),)
    assert spc_settings(None, None) == SpcSettings()


def test_a_bad_rebase_month_is_refused() -> None:
    with pytest.raises(ValueError, match="is not a month"):
        SpcSettings.model_validate({"rebase": ["April 2008"]})


def test_returns_carry_the_charts_history_which_is_never_chased(mini) -> None:
    """With SPC on, a row feeding a chart takes 24 months of figures to April (its
    history inputs), but the months the report needs, and chases, are unchanged."""
    from scorecard.catalogue import measure_months, spc_months, template_months

    on = mini.model_copy(
        update={
            "organisation": mini.organisation.model_copy(update={"spc": SpcSettings(enabled=True)})
        }
    )
    assert template_months(on, YEAR, "ct") == template_months(mini, YEAR, "ct")  # text only
    history = spc_months(on, YEAR)
    assert min(history[("assets-value", "value")]) == Month(2006, 5)  # 24 months to Apr 2008
    assert ("victim-sat", "satisfied") not in history  # as given: not charted
    assert ("ct-milestones", "progress") not in history
    assert measure_months(on, [JULY_2008]) == measure_months(mini, [JULY_2008])


def test_a_rebase_in_the_catalogue_restarts_the_limits() -> None:
    ind = indicator(spc={"rebase": ["2007-08"], "minimum_points": 12, "run_length": 6})
    chart = indicator_spc(ind, monthly("test", "offences", counts()), JULY_2008, ON)
    assert chart is not None and chart.state is SpcState.OK
    assert [(str(s.first), s.points) for s in chart.segments] == [("2006-08", 12), ("2007-08", 12)]
    assert chart.options.run_length == 6 and chart.options.rebase == (Month(2007, 8),)
