"""Derivation rebuilds the report's published figures from monthly counts."""

from __future__ import annotations

import pytest

from scorecard.catalogue import Period, required_months
from scorecard.derive import derive, format_display
from scorecard.model import Figure
from scorecard.periods import Month, fill_period_words, month_range, period_words
from tests.unit.engine_helpers import JULY_2008, ORGANISATION, indicator, monthly, spread

CURRENT = month_range(Month(2007, 8), Month(2008, 7))
PREVIOUS = month_range(Month(2006, 8), Month(2007, 7))


def change_indicator(display: str, population: str | None = "london", **extra):
    derive_spec = {"method": "change", "measure": "offences", "display": display}
    if population:
        derive_spec["population"] = population
    return indicator(derive=derive_spec, **extra)


def two_years(previous: int, current: int):
    return {**spread(previous, PREVIOUS), **spread(current, CURRENT)}


def test_serious_acquisitive_crime_reproduces_the_report():
    ind = change_indicator(
        "{direction} {abs_change:,.0f} offences ({change_pct:+.1f}%) {rate:.2f} per 1,000 "
        "population"
    )
    figures = monthly("test", "offences", two_years(228_477, 210_648))
    reading = derive(ind, figures, JULY_2008, ORGANISATION)
    assert reading.text == "down 17,829 offences (-7.8%) 28.04 per 1,000 population"
    assert (reading.value, reading.previous) == (210_648, 228_477)
    assert reading.period == "12 months to Jul 2008"
    assert len(reading.sources) == 24


def test_gun_crime_reproduces_the_report():
    ind = change_indicator(
        "{direction} {abs_change:,.0f} offences ({change_pct:+.1f}%) {rate:.2f} per 1,000 "
        "population"
    )
    reading = derive(
        ind, monthly("test", "offences", two_years(3_159, 2_543)), JULY_2008, ORGANISATION
    )
    assert reading.text == "down 616 offences (-19.5%) 0.34 per 1,000 population"


def test_domestic_homicide_uses_the_reports_other_wording():
    ind = change_indicator(
        "up by {abs_change:,.0f} offences ({abs_pct:.0f}%) {rate:.3f} per 1,000 pop"
    )
    reading = derive(ind, monthly("test", "offences", two_years(20, 26)), JULY_2008, ORGANISATION)
    assert reading.text == "up by 6 offences (30%) 0.003 per 1,000 pop"


def test_young_victims_rate_uses_the_youth_population():
    ind = change_indicator("{change_pct:+.1f}% ({rate:.1f} per 1,000)", population="youth")
    reading = derive(
        ind, monthly("test", "offences", two_years(89_830, 77_880)), JULY_2008, ORGANISATION
    )
    assert reading.text == "-13.3% (42.3 per 1,000)"


def test_rolling_rate_of_two_measures():
    ind = indicator(
        unit="percent",
        polarity="higher_is_better",
        measures=[
            {"name": "arrests", "label": "Arrests"},
            {"name": "offences", "label": "Offences"},
        ],
        derive={
            "method": "rolling_rate",
            "numerator": "arrests",
            "denominator": "offences",
            "display": "{numerator:,.0f} arrests ({value:.1f}%)",
        },
    )
    figures = {
        **monthly("test", "arrests", spread(34_894, CURRENT)),
        **monthly("test", "offences", spread(53_030, CURRENT)),
    }
    assert derive(ind, figures, JULY_2008, ORGANISATION).text == "34,894 arrests (65.8%)"


def test_financial_year_to_date_average():
    ind = indicator(
        unit="number",
        polarity="higher_is_better",
        derive={
            "method": "fytd_average",
            "measure": "offences",
            "display": "{value:.1f} (monthly average)",
        },
    )
    april_to_july = month_range(Month(2008, 4), JULY_2008)
    figures = monthly("test", "offences", dict(zip(april_to_july, [29, 33, 28, 33], strict=True)))
    reading = derive(ind, figures, JULY_2008, ORGANISATION)
    assert reading.text == "30.8 (monthly average)"
    assert reading.value == 30.75
    assert reading.period == "Apr 2008 to Jul 2008"


def test_money_average_in_millions():
    ind = indicator(
        unit="money",
        polarity="higher_is_better",
        derive={
            "method": "fytd_average",
            "measure": "offences",
            "display": "£{value_m:.1f}m (monthly average)",
        },
    )
    months = month_range(Month(2008, 4), JULY_2008)
    figures = monthly(
        "test",
        "offences",
        dict(zip(months, [2_100_000, 3_900_000, 2_450_000, 3_150_000], strict=True)),
    )
    assert derive(ind, figures, JULY_2008, ORGANISATION).text == "£2.9m (monthly average)"


def test_gap_between_two_survey_parts_a_month_behind():
    ind = indicator(
        unit="percent_points",
        polarity="lower_is_better",
        period={"lag_months": 1},
        measures=[
            {"name": "white", "label": "White", "unit": "percent"},
            {"name": "bme", "label": "BME", "unit": "percent"},
        ],
        derive={
            "method": "gap",
            "minuend": "white",
            "subtrahend": "bme",
            "display": "{minuend:.1f}% {subtrahend:.1f}% {value:.1f}% pts",
            "explained": "a gap of {value:.1f}% pts (white {minuend:.1f}%, BME {subtrahend:.1f}%)",
        },
    )
    june = Month(2008, 6)
    figures = {**monthly("test", "white", {june: 76.94}), **monthly("test", "bme", {june: 72.76})}
    reading = derive(ind, figures, JULY_2008, ORGANISATION)
    assert reading.text == "76.9% 72.8% 4.2% pts"
    assert reading.fields["explained"] == "a gap of 4.2% pts (white 76.9%, BME 72.8%)"
    assert reading.period == "Jun 2008"


def test_several_parts():
    ind = indicator(
        unit="count",
        polarity="higher_is_better",
        measures=[{"name": n, "label": n} for n in ("total", "cocaine", "heroin")],
        derive={
            "method": "parts",
            "display": "{total} {cocaine} {heroin} (monthly average)",
            "parts": [
                {
                    "name": n,
                    "derive": {"method": "fytd_average", "measure": n, "display": "{value:.0f}"},
                }
                for n in ("total", "cocaine", "heroin")
            ],
        },
    )
    months = month_range(Month(2008, 4), JULY_2008)
    figures = {}
    for name, avg in (("total", 207), ("cocaine", 137), ("heroin", 50)):
        figures |= monthly("test", name, dict.fromkeys(months, float(avg)))
    reading = derive(ind, figures, JULY_2008, ORGANISATION)
    assert reading.text == "207 137 50 (monthly average)"
    assert [p.value for p in reading.parts] == [207, 137, 50]


def test_a_gap_in_a_rolling_window_is_not_available_naming_the_months():
    ind = change_indicator("{value}")
    values = two_years(228_477, 210_648)
    for m in (Month(2007, 11), Month(2007, 12), Month(2008, 2)):
        del values[m]
    reading = derive(ind, monthly("test", "offences", values), JULY_2008, ORGANISATION)
    assert not reading.available
    assert reading.value is None
    assert reading.text == "Not available"
    assert reading.reason == "no figure for Nov 2007 to Dec 2007, Feb 2008"


def test_a_rejected_figure_makes_a_data_issue_not_a_smaller_total():
    ind = change_indicator("{value}")
    figures = monthly("test", "offences", two_years(228_477, 210_648))
    series = figures[("test", "offences")]
    series[Month(2008, 3)] = Figure(None, problem="'twelve' is not a number")
    reading = derive(ind, figures, JULY_2008, ORGANISATION)
    assert reading.data_issue and not reading.available
    assert "Mar 2008: 'twelve' is not a number" in reading.reason


def test_not_available_marked_by_the_lead_carries_its_reason():
    ind = indicator(
        unit="percent",
        derive={"method": "as_given", "measure": "offences", "not_available_text": "N/A"},
    )
    figures = {("test", "offences"): {JULY_2008: Figure(None, not_available="survey not run")}}
    reading = derive(ind, figures, JULY_2008, ORGANISATION)
    assert reading.text == "N/A"
    assert "survey not run" in reading.reason
    assert not reading.data_issue


def test_trend_has_thirteen_months():
    ind = indicator(derive={"method": "rolling_total", "measure": "offences"})
    values = dict.fromkeys(month_range(Month(2006, 1), JULY_2008), 10.0)
    reading = derive(ind, monthly("test", "offences", values), JULY_2008, ORGANISATION)
    assert [m for m, _ in reading.trend] == month_range(Month(2007, 7), JULY_2008)
    assert all(v == 120 for _, v in reading.trend)


@pytest.mark.parametrize(
    ("period", "end"),
    [
        ({}, Month(2008, 7)),
        ({"lag_months": 1}, Month(2008, 6)),
        ({"ends": "year", "year_end_month": 3}, Month(2008, 3)),
        ({"ends": "quarter"}, Month(2008, 6)),
        ({"ends": "quarter", "lag_months": 1}, Month(2008, 6)),
        ({"ends": "year", "year_end_month": 7}, Month(2008, 7)),
    ],
)
def test_period_end(period, end):
    assert Period.model_validate(period).end_for(JULY_2008, 4) == end


def test_required_months_of_a_change_go_back_two_years():
    ind = change_indicator("{value}")
    months = required_months(ind, JULY_2008)
    assert months[0] == Month(2006, 8) and months[-1] == JULY_2008 and len(months) == 24


def test_display_templates_cannot_reach_attributes():
    with pytest.raises(ValueError, match="cannot be filled"):
        format_display("{value.__class__}", {"value": 1})


def test_notes_name_the_period_of_the_report_month():
    survey = indicator(period={"lag_months": 1})
    bcs = indicator(period={"ends": "year", "year_end_month": 3})
    pas = indicator(period={"ends": "quarter"})

    def words_for(ind, month):
        end = ind.period.end_for(month, ORGANISATION.financial_year_start)
        return period_words(end, ORGANISATION.financial_year_start)

    note = "Latest data is for the rolling 12 months to {end_short}."
    assert fill_period_words(note, words_for(survey, JULY_2008)) == (
        "Latest data is for the rolling 12 months to Jun-08."
    )
    words = words_for(survey, Month(2008, 9))
    assert fill_period_words(note, words).endswith("to Aug-08.")
    assert (
        fill_period_words("Data year to {end_label}.", words_for(bcs, JULY_2008))
        == "Data year to Mar 2008."
    )
    assert fill_period_words("{quarter} data", words_for(pas, JULY_2008)) == ("Q1 2008/09 data")
    assert (
        fill_period_words(
            "{fy_first_month_long} to {end_long}",
            words_for(indicator(), JULY_2008),
        )
        == "April to July 2008"
    )
    # Other braces are the author's text, left alone.
    assert fill_period_words("{unknown} {value.__class__}", words) == "{unknown} {value.__class__}"
