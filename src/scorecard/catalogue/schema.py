"""The catalogue's schema: organisation, owners, objectives, indicators and targets.

Pydantic models, frozen, that reject unknown fields; `load` turns YAML into them and
`checks` cross-checks what one model cannot see alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from ..model import Status
from ..periods import FinancialYear, Month, PeriodEnds, period_end, reporting_months
from ..rules import Scheme, ratio_bands
from ..rules.base import Tolerance
from .spc import SpcSettings

T = TypeVar("T")

KEY_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"

Key = Annotated[str, Field(pattern=KEY_PATTERN, max_length=60)]
Name = Annotated[str, Field(pattern=NAME_PATTERN, max_length=40)]
Unit = Literal["percent", "percent_points", "count", "rate", "score", "money", "number", "text"]
Polarity = Literal["higher_is_better", "lower_is_better", "none"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- organisation -----------------------------------------------------------------


class Population(Strict):
    value: Annotated[int, Field(gt=0)]
    source: Annotated[str, Field(min_length=1)]


# The assessment schemes live in `rules/`, one module per kind.
RatioBandsScheme = ratio_bands.Scheme
Band = ratio_bands.Band


class StatusStyle(Strict):
    """How a status looks: its label (the cell's text, kept for copy-paste and screen
    readers), legend wording and colours, and what its Assessment cell shows: the label,
    a symbol in the font colour on the fill ("●": the report's green light on blue), or
    nothing (the report leaves neutral rows blank)."""

    label: str
    legend: str = ""
    fill: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]
    font: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")] = "#000000"
    show: Literal["label", "symbol", "none"] = "label"
    symbol: Annotated[str, Field(max_length=3)] = "●"


class ReportTexts(Strict):
    title: str = "Performance Assessment"
    id_heading: str = "Performance Indicator ID"
    indicator_heading: str = "Indicator"
    target_heading: str = "{year} TARGET"
    value_heading: str = "Rolling 12 months"
    status_heading: str = "Performance Assessment"
    period_note: str = "Rolling 12 months = 12 months ending {month_long} unless otherwise stated."
    legend_note: str = ""
    footnotes: list[str] = []


class CommentaryRule(Strict):
    """When the owner's commentary on a month's figure is required: for which statuses
    (Spider Impact requires a note when red). A row of such a status without one is a
    `commentary-missing` warning, and the master says "No commentary" there."""

    required_for: list[Status] = []


class LedgerSettings(Strict):
    """Where the ledger lives and which months are locked (see `scorecard.ledger`).

    `path` is relative to the catalogue's folder (default: ``scorecard-ledger.sqlite``
    beside the returns folder). A month in `locked_months` keeps the figures of its last
    pack: a later change is a `locked-month-changed` warning, and the locked figure stands.
    """

    path: str = ""
    locked_months: list[Annotated[str, Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]] = []


PackColumn = Literal[
    "id",
    "indicator",
    "target",
    "value",
    "status",
    "trend",
    "direction",
    "direction_long",
    "spc",
    "variation",
    "assurance",
    "explanation",
]
REPORT_COLUMNS: tuple[PackColumn, ...] = ("id", "indicator", "target", "value", "status")
PACK_COLUMNS: tuple[PackColumn, ...] = (*REPORT_COLUMNS, "trend", "direction", "spc")


class PackSettings(Strict):
    """What the board pack prints of each objective's table: the report's five columns
    first (ID, indicator, target, value, status), then the analysis columns chosen, each
    as a compact mark: `trend` (a sparkline), `direction` (against the period before),
    `direction_long` (against the same period last year), `spc` (variation and
    assurance in one cell), `variation`, `assurance`, `explanation` (the sentence). The
    master keeps every column. `language` is the PDF's, for screen readers (BCP 47)."""

    columns: list[PackColumn] = list(PACK_COLUMNS)
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")] = "en-GB"

    @field_validator("columns")
    @classmethod
    def _report_first(cls, columns: list[str]) -> list[str]:
        if tuple(columns[: len(REPORT_COLUMNS)]) != REPORT_COLUMNS:
            raise ValueError(
                f"the pack's columns start with the report's five: {', '.join(REPORT_COLUMNS)}"
            )
        twice = sorted({c for c in columns if columns.count(c) > 1})
        if twice:
            raise ValueError(f"a column is listed twice: {', '.join(twice)}")
        return columns


class Organisation(Strict):
    name: str
    short_name: str = ""
    financial_year_start: Annotated[int, Field(ge=1, le=12)] = 4
    frequency: Literal["monthly", "quarterly"] = "monthly"
    # How a date typed as text is read ("5/12/2026"): 5 December where days come first,
    # as in the UK; May 12 where months do.
    date_order: Literal["day_first", "month_first"] = "day_first"
    populations: dict[Name, Population] = {}
    scheme: Scheme
    statuses: dict[Status, StatusStyle] = {}
    sources: dict[str, str] = {}
    report: ReportTexts = ReportTexts()
    commentary: CommentaryRule = CommentaryRule()
    spc: SpcSettings | None = None  # XmR charts beside the RAG status (issue 15)
    ledger: LedgerSettings = LedgerSettings()
    pack: PackSettings = PackSettings()  # the board pack's columns (the master has all)

    def reporting_months(self, months: list[Month]) -> list[Month]:
        """The months of `months` that carry figures: every month, or quarter ends."""
        return reporting_months(months, self.frequency, self.financial_year_start)


class Owner(Strict):
    key: Key
    name: str
    contact: str = ""


class Objective(Strict):
    key: Key
    title: str
    sheet_name: Annotated[str, Field(max_length=31)] = ""


# --- indicators ---------------------------------------------------------------------


class Measure(Strict):
    """A monthly raw figure that an owner returns."""

    name: Name
    label: str
    unit: Unit = "count"
    guidance: str = ""


class Period(Strict):
    """Which month the reported figure ends at, relative to the report month.

    ends: ``month`` (the report month less `lag_months`), ``quarter`` (the last
    complete financial quarter), or ``year`` (the last `year_end_month`, e.g. March).
    """

    ends: PeriodEnds = "month"
    lag_months: Annotated[int, Field(ge=0, le=24)] = 0
    year_end_month: Annotated[int, Field(ge=1, le=12)] = 3
    label: str = ""  # how the report names the period, e.g. "rolling 12 months to {end_short}"

    def end_for(self, month: Month, fy_start: int) -> Month:
        """The last month the reported figure covers, for a report for `month`."""
        return period_end(
            month,
            fy_start,
            ends=self.ends,
            lag_months=self.lag_months,
            year_end_month=self.year_end_month,
        )


class _Derive(Strict):
    display: str = ""  # a format string over the derivation's fields
    # How an explanation names a value the display shows in several parts, over the same
    # fields: "a gap of {value:.1f}% pts (white users {minuend:.1f}%, BME {subtrahend:.1f}%)"
    explained: str = ""
    not_available_text: str = "Not available"


class AsGiven(_Derive):
    method: Literal["as_given"]
    measure: str


class TextAnswer(_Derive):
    method: Literal["text"]
    measure: str


class RollingTotal(_Derive):
    method: Literal["rolling_total"]
    measure: str
    months: Annotated[int, Field(ge=1, le=60)] = 12


class RollingRate(_Derive):
    method: Literal["rolling_rate"]
    numerator: str
    denominator: str
    months: Annotated[int, Field(ge=1, le=60)] = 12
    scale: float = 100.0


class Change(_Derive):
    """Rolling total against the same length of time just before it."""

    method: Literal["change"]
    measure: str
    months: Annotated[int, Field(ge=1, le=60)] = 12
    population: str | None = None
    per: Annotated[int, Field(gt=0)] = 1000


class PopulationRate(_Derive):
    method: Literal["rate"]
    measure: str
    months: Annotated[int, Field(ge=1, le=60)] = 12
    population: str
    per: Annotated[int, Field(gt=0)] = 1000


class FytdAverage(_Derive):
    method: Literal["fytd_average"]
    measure: str


class FytdTotal(_Derive):
    method: Literal["fytd_total"]
    measure: str


class Gap(_Derive):
    method: Literal["gap"]
    minuend: str
    subtrahend: str


class NotCollected(_Derive):
    """Nobody returns it yet (a new national indicator, a survey not yet run)."""

    method: Literal["not_collected"]


class Part(Strict):
    name: Name
    label: str = ""
    derive: Derivation
    polarity: Polarity | None = None  # where a part runs the other way from the indicator


class Parts(_Derive):
    method: Literal["parts"]
    parts: Annotated[list[Part], Field(min_length=2)]


Derivation = Annotated[
    AsGiven
    | TextAnswer
    | RollingTotal
    | RollingRate
    | Change
    | PopulationRate
    | FytdAverage
    | FytdTotal
    | Gap
    | NotCollected
    | Parts,
    Field(discriminator="method"),
]
Part.model_rebuild()


class _Target(Strict):
    # How the report words the target. Unset: made from the target; "" prints nothing,
    # as the report does for some rows.
    text: str | None = None


class NoTarget(_Target):
    kind: Literal["none"]


class BaselineTarget(_Target):
    kind: Literal["baseline"]


class LevelTarget(_Target):
    kind: Literal["level"]
    value: float


class ZeroTarget(_Target):
    kind: Literal["zero"]


class ReductionTarget(_Target):
    kind: Literal["reduction"]
    percent: Annotated[float, Field(gt=0, le=100)]


class IncreaseTarget(_Target):
    kind: Literal["increase"]
    percent: Annotated[float, Field(gt=0)]


class ImproveTarget(_Target):
    """Better than the comparable figure for the period before."""

    kind: Literal["improve"]


class ProfileTarget(_Target):
    """A target that changes through the year: one value per quarter or per month.

    `cumulative: true` says the values are a year-to-date trajectory (e.g. council tax
    collected: 29%, 56%, 84%, 97%); either way the period reported is assessed against
    its own value, and the last value is the year-end target.
    """

    kind: Literal["profile"]
    quarters: Annotated[list[float], Field(min_length=4, max_length=4)] | None = None
    months: Annotated[list[float], Field(min_length=12, max_length=12)] | None = None
    cumulative: bool = False

    @model_validator(mode="after")
    def _one_profile(self) -> ProfileTarget:
        if (self.quarters is None) == (self.months is None):
            raise ValueError("a profile gives either quarters (4 values) or months (12 values)")
        return self

    def value_for(self, month: Month, fy: FinancialYear) -> tuple[float, str]:
        """The target for the period ending `month`, and its name ("Q2", "Sep")."""
        index = month.minus(fy.first)
        if self.quarters is not None:
            return self.quarters[index // 3], f"Q{index // 3 + 1}"
        assert self.months is not None
        return self.months[index], month.name

    @property
    def year_end(self) -> float:
        values = self.quarters if self.quarters is not None else self.months
        assert values is not None
        return values[-1]


class PartsTarget(_Target):
    kind: Literal["parts"]
    parts: Annotated[list[Target], Field(min_length=2)]
    combine: Literal["worst", "first"] = "worst"


Target = Annotated[
    NoTarget
    | BaselineTarget
    | LevelTarget
    | ZeroTarget
    | ReductionTarget
    | IncreaseTarget
    | ImproveTarget
    | ProfileTarget
    | PartsTarget,
    Field(discriminator="kind"),
]
PartsTarget.model_rebuild()


class WhenMissing(Strict):
    """What a missing value means for this indicator (default: NOT_AVAILABLE)."""

    status: Status
    reason: str


class Forecast(Strict):
    """The owner returns a year-end forecast in this measure, each period."""

    measure: str


class Indicator(Strict):
    key: Key
    label: str
    objective: str
    owner: str
    title: str
    notes: str = ""
    source: str = ""
    unit: Unit
    polarity: Polarity = "higher_is_better"
    decimals: Annotated[int, Field(ge=0, le=4)] = 1
    period: Period = Period()
    measures: list[Measure] = []
    derive: Derivation
    targets: dict[str, Target]
    scheme: Scheme | None = None
    tolerance: Tolerance | None = None
    forecast: Forecast | None = None
    not_assessed: str = ""  # a reason: the value is shown but never coloured
    when_missing: WhenMissing | None = None
    commentary: CommentaryRule | None = None  # the organisation's rule, unless set here
    spc: SpcSettings | None = None  # over the organisation's, field by field

    @field_validator("targets")
    @classmethod
    def _years(cls, targets: dict[str, Any]) -> dict[str, Any]:
        for year in targets:
            FinancialYear.parse(year)
        return targets

    def target_for(self, year: FinancialYear) -> Target | None:
        return self.targets.get(str(year))

    def can_be_rated(self) -> bool:
        """Whether any year's target could give the row a colour: not words, not a figure
        not yet collected, not set aside from assessment."""
        return not self.not_assessed and self.derive.method not in ("text", "not_collected")

    def rated_in(self, year: FinancialYear) -> bool:
        """Whether the row can have a colour (BLUE to RED) in `year`: a target to meet."""
        target = self.target_for(year)
        return (
            self.can_be_rated() and target is not None and target.kind not in ("none", "baseline")
        )

    def commentary_required(self, status: Status, organisation: Organisation) -> bool:
        """Whether the owner must comment on a month's figure of this status."""
        rule = self.commentary or organisation.commentary
        return status in rule.required_for

    def is_year_to_date(self, year: FinancialYear) -> bool:
        """Whether the figure accumulates through the year: a total so far, or a figure
        assessed against a cumulative profile."""
        target = self.target_for(year)
        return isinstance(self.derive, FytdTotal) or (
            isinstance(target, ProfileTarget) and target.cumulative
        )


class Catalogue(Strict):
    organisation: Organisation
    owners: list[Owner]
    objectives: list[Objective]
    indicators: list[Indicator]
    fingerprint: str = ""
    path: str = ""
    # Lookups the reader asks for once per return, made once per catalogue. Each is kept
    # with the lists it was made from, so a `model_copy` with other indicators remakes it.
    _memo: dict[str, tuple[Any, Any, Any]] = PrivateAttr(default_factory=dict)

    def _memoised(self, name: str, make: Callable[[], T]) -> T:
        hit = self._memo.get(name)
        if hit is not None and hit[0] is self.indicators and hit[1] is self.organisation:
            return hit[2]  # type: ignore[no-any-return]
        value = make()
        self._memo[name] = (self.indicators, self.organisation, value)
        return value

    @property
    def indicator_map(self) -> dict[str, Indicator]:
        """Indicators by key (do not change it: it is made once and shared)."""
        return self._memoised("indicator_map", lambda: {i.key: i for i in self.indicators})

    def owner(self, key: str) -> Owner:
        return next(o for o in self.owners if o.key == key)

    def objective(self, key: str) -> Objective:
        return next(o for o in self.objectives if o.key == key)

    def indicator(self, key: str) -> Indicator:
        return next(i for i in self.indicators if i.key == key)

    def indicators_of(self, objective: str) -> list[Indicator]:
        return [i for i in self.indicators if i.objective == objective]

    def target_years(self) -> list[FinancialYear]:
        """The financial years any indicator has a target for, oldest first."""
        start = self.organisation.financial_year_start
        names = {name for ind in self.indicators for name in ind.targets}
        return sorted(FinancialYear.parse(name, start) for name in names)

    def financial_year(self, month: Month) -> FinancialYear:
        return FinancialYear.containing(month, self.organisation.financial_year_start)

    def return_fingerprint(self, owner: str) -> str:
        """SHA-256 of what an owner's return must hold: its rows, measures and units.

        Templates carry it so the reader can tell a return made from an older layout.
        Editing wording, notes or targets leaves it alone, so the leads' templates stay
        current; adding, removing or re-uniting a measure changes it.
        """
        prints: dict[str, str] = self._memoised("return_fingerprints", dict)
        found = prints.get(owner)
        if found is None:
            found = prints[owner] = self._return_fingerprint(owner)
        return found

    def _return_fingerprint(self, owner: str) -> str:
        rows = [
            [ind.key, m.name, m.unit]
            for ind in self.indicators
            if ind.owner == owner
            for m in ind.measures
        ]
        layout = {
            "owner": owner,
            "rows": rows,
            "frequency": self.organisation.frequency,
            "financial_year_start": self.organisation.financial_year_start,
        }
        text = json.dumps(layout, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def summary(self) -> str:
        return (
            f"{len(self.objectives)} objectives, {len(self.indicators)} indicators, "
            f"{len(self.owners)} owners"
        )


class CatalogueHead(Strict):
    """Everything but the indicators, which are validated one by one."""

    organisation: Organisation
    owners: list[Owner]
    objectives: list[Objective]
    indicators: list[Any]
