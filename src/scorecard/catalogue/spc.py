"""The catalogue's settings for statistical process control (issues 15 and 24), at
organisation or indicator level: an indicator's `spc` overrides, field by field, what the
organisation's says.

A rule profile names a whole set of rules: `ptd` is NHS-R's NHSRplotthedots (0.2), `mdc`
is NHS England's current "Making Data Count" tools. Each rule is also a field of its
own, so a catalogue can take a profile and change one rule of it; a field left unset
takes its profile's value (`resolved`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..periods import Month

Profile = Literal["ptd", "mdc"]
ChartKind = Literal["xmr", "t", "g", "auto"]
# Which points count toward "two of three beyond two sigma": only those between two and
# three sigma (`within_limits`, NHSRplotthedots), or every point beyond two sigma,
# those beyond the process limits too (`beyond_two_sigma`, MDC since November 2023).
TwoInThree = Literal["within_limits", "beyond_two_sigma"]
# A target exactly on a process limit: hit and miss (`strict`, NHSRplotthedots), or a
# consistent pass or fail (`inclusive`, MDC's SPC tool from v2.1).
Ties = Literal["strict", "inclusive"]
RunPoints = Annotated[int, Field(ge=3, le=15)]

# Every rule a profile sets, by profile.
PROFILES: dict[str, dict[str, Any]] = {
    "ptd": {
        "two_in_three": "within_limits",
        "assurance_ties": "strict",
        "screen_outliers": True,
        "screen_mean": False,
        "shift_points": 7,
        "trend_points": 7,
        "minimum_points": 13,
    },
    "mdc": {
        "two_in_three": "beyond_two_sigma",
        "assurance_ties": "inclusive",
        "screen_outliers": False,
        "screen_mean": True,
        "shift_points": 7,
        "trend_points": 7,
        "minimum_points": 15,
    },
}


class SpcSettings(BaseModel):
    """Whether an indicator gets an SPC chart with its Variation and Assurance marks, by
    which profile of rules, and each rule where the catalogue changes its profile's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    profile: Profile = "ptd"
    # xmr: an XmR chart of each month's figure; t: the time between events (a count of
    # rare events); g: the opportunities (days) between events; auto: XmR, or T where a
    # count's XmR chart has no variation to set limits by.
    chart: ChartKind = "xmr"
    # What each point is: `auto` takes each month's own figure from the derivation (a
    # count, a month's numerator over its denominator); `as_given` charts the figure as
    # returned, for an indicator whose returned figure is the month's own, not rolling.
    series: Literal["auto", "as_given"] = "auto"
    two_in_three: TwoInThree | None = None
    assurance_ties: Ties | None = None
    screen_outliers: bool | None = None
    # With screening on: the mean recomputed without the outlying points (mdc) or not.
    screen_mean: bool | None = None
    shift_points: RunPoints | None = None
    trend_points: RunPoints | None = None
    # Both of the above at once (the setting before issue 24; it keeps working).
    run_length: RunPoints | None = None
    minimum_points: Annotated[int, Field(ge=2, le=120)] | None = None
    baseline_points: Annotated[int, Field(ge=2, le=120)] | None = None
    rebase: list[str] = []  # months (YYYY-MM) where the process changed: limits restart
    # Months of figures each return carries for the chart, up to its year's first month.
    history_months: Annotated[int, Field(ge=0, le=60)] = 24

    @model_validator(mode="before")
    @classmethod
    def _run_length_is_both(cls, data: Any) -> Any:
        """`run_length` sets the shift and the trend where the same level does not set
        them itself, so that it overrides an organisation's `shift_points` as a whole."""
        if isinstance(data, dict) and data.get("run_length") is not None:
            data = dict(data)
            data.setdefault("shift_points", data["run_length"])
            data.setdefault("trend_points", data["run_length"])
        return data

    @field_validator("rebase")
    @classmethod
    def _months(cls, months: list[str]) -> list[str]:
        for text in months:
            Month.parse(text)
        return months

    @property
    def rebase_months(self) -> tuple[Month, ...]:
        return tuple(sorted(Month.parse(text) for text in self.rebase))

    def rule(self, name: str) -> Any:
        """The rule `name` as set here, else as the profile sets it."""
        value = getattr(self, name)
        return PROFILES[self.profile][name] if value is None else value

    def over(self, base: SpcSettings | None) -> SpcSettings:
        """These settings over `base`: the fields written here win, the rest are base's."""
        if base is None:
            return self
        return base.model_copy(update={name: getattr(self, name) for name in self.model_fields_set})


def spc_settings(organisation: SpcSettings | None, indicator: SpcSettings | None) -> SpcSettings:
    """An indicator's settings: its own over the organisation's over the defaults."""
    if indicator is not None:
        return indicator.over(organisation)
    return organisation if organisation is not None else SpcSettings()
