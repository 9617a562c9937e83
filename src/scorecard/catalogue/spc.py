"""The catalogue's settings for statistical process control (issue 15), at organisation
or indicator level: an indicator's `spc` overrides, field by field, what the
organisation's says."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..periods import Month


class SpcSettings(BaseModel):
    """Whether an indicator gets an XmR chart with its Variation and Assurance marks, and
    the rule's parameters (NHSRplotthedots' defaults; MDC's Excel tool runs 6 points)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    # What each point is: `auto` takes each month's own figure from the derivation (a
    # count, a month's numerator over its denominator); `as_given` charts the figure as
    # returned, for an indicator whose returned figure is the month's own, not rolling.
    series: Literal["auto", "as_given"] = "auto"
    run_length: Annotated[int, Field(ge=3, le=15)] = 7
    screen_outliers: bool = True
    minimum_points: Annotated[int, Field(ge=2, le=120)] = 13
    baseline_points: Annotated[int, Field(ge=2, le=120)] | None = None
    rebase: list[str] = []  # months (YYYY-MM) where the process changed: limits restart
    # Months of figures each return carries for the chart, up to its year's first month.
    history_months: Annotated[int, Field(ge=0, le=60)] = 24

    @field_validator("rebase")
    @classmethod
    def _months(cls, months: list[str]) -> list[str]:
        for text in months:
            Month.parse(text)
        return months

    @property
    def rebase_months(self) -> tuple[Month, ...]:
        return tuple(sorted(Month.parse(text) for text in self.rebase))

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
