"""The indicator catalogue: its schema, and loading it with every error at once.

The catalogue holds everything organisation-specific: objectives, owners, indicators,
their measures, derivations, periods and targets per financial year, the assessment
scheme and the report's wording. Code never hard-wires any of it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import CatalogueError, Problem
from .model import FinancialYear, Month, Status
from .rules import Scheme, ratio_bands
from .rules.base import Tolerance
from .yamlsafe import YamlDocument, YamlLoadError, load_yaml

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
    label: str
    legend: str = ""
    fill: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]
    font: Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")] = "#000000"


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


class Organisation(Strict):
    name: str
    short_name: str = ""
    financial_year_start: Annotated[int, Field(ge=1, le=12)] = 4
    frequency: Literal["monthly", "quarterly"] = "monthly"
    populations: dict[Name, Population] = {}
    scheme: Scheme
    statuses: dict[Status, StatusStyle] = {}
    sources: dict[str, str] = {}
    report: ReportTexts = ReportTexts()


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

    ends: Literal["month", "quarter", "year"] = "month"
    lag_months: Annotated[int, Field(ge=0, le=24)] = 0
    year_end_month: Annotated[int, Field(ge=1, le=12)] = 3
    label: str = ""  # how the report names the period, e.g. "rolling 12 months to {end_short}"


class _Derive(Strict):
    display: str = ""  # a format string over the derivation's fields
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

    @field_validator("targets")
    @classmethod
    def _years(cls, targets: dict[str, Any]) -> dict[str, Any]:
        for year in targets:
            FinancialYear.parse(year)
        return targets

    def target_for(self, year: FinancialYear) -> Target | None:
        return self.targets.get(str(year))


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

    def financial_year(self, month: Month) -> FinancialYear:
        return FinancialYear.containing(month, self.organisation.financial_year_start)

    def return_fingerprint(self, owner: str) -> str:
        """SHA-256 of what an owner's return must hold: its rows, measures and units.

        Templates carry it so the reader can tell a return made from an older layout.
        Editing wording, notes or targets leaves it alone, so the leads' templates stay
        current; adding, removing or re-uniting a measure changes it.
        """
        prints = self._memoised("return_fingerprints", dict)
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


# --- loading ------------------------------------------------------------------------


def load_catalogue(path: str | Path) -> Catalogue:
    """Load and validate a catalogue; raise `CatalogueError` with every problem found."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(
            [Problem("catalogue-unreadable", f"cannot read catalogue: {exc.strerror}", file=name)]
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogueError(
            [Problem("catalogue-encoding", f"not UTF-8 text (byte {exc.start})", file=name)]
        ) from None
    return parse_catalogue(text, name, fingerprint=hashlib.sha256(raw).hexdigest())


class _Head(Strict):
    """Everything but the indicators, which are validated one by one."""

    organisation: Organisation
    owners: list[Owner]
    objectives: list[Objective]
    indicators: list[Any]


def parse_catalogue(text: str, name: str = "<catalogue>", fingerprint: str = "") -> Catalogue:
    """Validate catalogue text; raise `CatalogueError` with every problem found."""
    try:
        doc = load_yaml(text)
    except YamlLoadError as exc:
        raise CatalogueError(
            [Problem("catalogue-yaml", f.message, file=name, line=f.line) for f in exc.faults]
        ) from None
    if not isinstance(doc.data, dict):
        raise CatalogueError(
            [
                Problem(
                    "catalogue-shape",
                    "the catalogue must be a mapping with organisation, owners, objectives "
                    "and indicators",
                    file=name,
                    line=1,
                )
            ]
        )
    problems: list[Problem] = []
    head: _Head | None = None
    try:
        head = _Head.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(_schema_problems(exc, doc, name))
    indicators: list[tuple[int, Indicator]] = []
    raw = doc.data.get("indicators")
    for i, item in enumerate(raw if isinstance(raw, list) else []):
        try:
            indicators.append((i, Indicator.model_validate(item)))
        except ValidationError as exc:
            problems.extend(_schema_problems(exc, doc, name, prefix=("indicators", i)))
    problems.extend(_reference_problems_raw(doc, name))
    if head is not None:
        problems.extend(_cross_check(head, indicators, doc, name))
    if problems:
        raise CatalogueError(_dedupe(problems))
    assert head is not None
    return Catalogue(
        organisation=head.organisation,
        owners=head.owners,
        objectives=head.objectives,
        indicators=[ind for _, ind in indicators],
        fingerprint=fingerprint or _hash_text(text),
        path=name,
    )


def _hash_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for p in problems:
        ident = (p.line, p.key, p.message)
        if ident not in seen:
            seen.add(ident)
            out.append(p)
    return sorted(out, key=lambda p: (p.line or 0, p.message))


def _indicator_key(doc: YamlDocument, path: tuple[Any, ...]) -> str | None:
    if len(path) >= 2 and path[0] == "indicators" and isinstance(path[1], int):
        items = doc.data.get("indicators")
        if isinstance(items, list) and path[1] < len(items) and isinstance(items[path[1]], dict):
            key = items[path[1]].get("key")
            return str(key) if key is not None else f"indicator #{path[1] + 1}"
    return None


def _schema_problems(
    exc: ValidationError, doc: YamlDocument, name: str, prefix: tuple[Any, ...] = ()
) -> list[Problem]:
    problems = []
    for error in exc.errors():
        if not prefix and error["loc"][:1] == ("indicators",) and len(error["loc"]) > 2:
            continue  # indicators are validated one by one
        data_path = _data_path(doc.data, (*prefix, *error["loc"]))
        where = ".".join(str(p) for p in data_path) or "catalogue"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = f"unknown field '{data_path[-1]}'"
            where = ".".join(str(p) for p in data_path[:-1]) or "catalogue"
        elif error["type"] == "missing":
            message = f"missing required field '{data_path[-1]}'"
            where = ".".join(str(p) for p in data_path[:-1]) or "catalogue"
        elif error["type"] == "union_tag_invalid":
            field = str(error["ctx"].get("discriminator", "kind")).strip("'")
            message = (
                f"unknown {field} '{error['ctx'].get('tag')}': expected one of "
                f"{error['ctx'].get('expected_tags')}"
            )
        elif error["type"] == "union_tag_not_found":
            field = str(error["ctx"].get("discriminator", "kind")).strip("'")
            message = f"missing '{field}': say which {field} this is"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        problems.append(
            Problem(
                "catalogue-schema",
                f"{where}: {message}",
                file=name,
                line=doc.line_of(data_path),
                key=_indicator_key(doc, data_path),
            )
        )
    return problems


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Map a pydantic error location onto the data's own path.

    Pydantic inserts the tag of a discriminated union ('as_given', 'reduction') into the
    location; it is not a key of the data, so it is dropped. A missing or unknown field
    is kept as the last step, though it has no node of its own.
    """
    out: list[Any] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and part in (node.get("method"), node.get("kind")):
            continue
        elif isinstance(node, dict) and isinstance(part, str):
            out.append(part)
            node = None
    return tuple(out)


def _reference_problems_raw(doc: YamlDocument, name: str) -> list[Problem]:
    """Duplicate keys and dangling references, checked on raw data when the schema failed."""
    data = doc.data
    problems: list[Problem] = []
    owners = {o.get("key") for o in data.get("owners") or [] if isinstance(o, dict)}
    objectives = {o.get("key") for o in data.get("objectives") or [] if isinstance(o, dict)}
    seen: dict[Any, int] = {}
    for i, ind in enumerate(data.get("indicators") or []):
        if not isinstance(ind, dict):
            continue
        key = ind.get("key")
        path: tuple[Any, ...] = ("indicators", i)
        if key in seen:
            problems.append(
                Problem(
                    "catalogue-duplicate",
                    f"duplicate indicator key '{key}' (first on line "
                    f"{doc.line_of(('indicators', seen[key]))})",
                    file=name,
                    line=doc.line_of((*path, "key")),
                    key=str(key),
                )
            )
        else:
            seen[key] = i
        if "objective" in ind and ind["objective"] not in objectives:
            problems.append(_missing_ref(doc, name, path, "objective", ind, objectives))
        if "owner" in ind and ind["owner"] not in owners:
            problems.append(_missing_ref(doc, name, path, "owner", ind, owners))
    return problems


def _missing_ref(
    doc: YamlDocument,
    name: str,
    path: tuple[Any, ...],
    field: str,
    ind: dict[str, Any],
    known: set[Any],
) -> Problem:
    return Problem(
        f"catalogue-unknown-{field}",
        f"{field} '{ind[field]}' is not defined under {field}s "
        f"(known: {', '.join(sorted(str(k) for k in known if k)) or 'none'})",
        file=name,
        line=doc.line_of((*path, field)),
        key=str(ind.get("key")),
    )


def _cross_check(
    cat: _Head, indicators: list[tuple[int, Indicator]], doc: YamlDocument, name: str
) -> list[Problem]:
    problems: list[Problem] = []

    def add(code: str, message: str, path: tuple[Any, ...], key: str | None = None) -> None:
        problems.append(Problem(code, message, file=name, line=doc.line_of(path), key=key))

    keyed = (
        ("owner", [o.key for o in cat.owners]),
        ("objective", [o.key for o in cat.objectives]),
    )
    for kind, keys in keyed:
        first: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key in first:
                add("catalogue-duplicate", f"duplicate {kind} key '{key}'", (f"{kind}s", i, "key"))
            first.setdefault(key, i)
    measures = {(ind.key, m.name): m for _, ind in indicators for m in ind.measures}
    populations = cat.organisation.populations
    for i, ind in indicators:
        base: tuple[Any, ...] = ("indicators", i)
        names = [m.name for m in ind.measures]
        for dup in {n for n in names if names.count(n) > 1}:
            add(
                "catalogue-duplicate",
                f"measure '{dup}' is listed twice",
                (*base, "measures"),
                ind.key,
            )
        for ref, rpath in _measure_refs(ind.derive, (*base, "derive")):
            own, _, other = ref.partition(".")
            target = (own, other) if other else (ind.key, own)
            if target not in measures:
                add(
                    "catalogue-unknown-measure",
                    f"derivation uses measure '{ref}', which is not listed under measures",
                    rpath,
                    ind.key,
                )
        for pop, ppath in _population_refs(ind.derive, (*base, "derive")):
            if pop not in populations:
                add(
                    "catalogue-unknown-population",
                    f"population '{pop}' is not defined under organisation.populations "
                    f"(known: {', '.join(populations) or 'none'})",
                    ppath,
                    ind.key,
                )
        for year, year_target in ind.targets.items():
            tpath = (*base, "targets", year)
            for message in _target_fit(ind, ind.derive, year_target):
                add("catalogue-target-mismatch", message, tpath, ind.key)
        scheme = ind.scheme or cat.organisation.scheme
        if scheme.kind == "forecast" and ind.forecast is None:
            add(
                "catalogue-scheme",
                "a forecast rule needs the indicator to collect a forecast: add "
                "forecast: {measure: <name>} and that measure",
                (*base, "scheme") if ind.scheme else (*base, "key"),
                ind.key,
            )
        if ind.forecast is not None and (ind.key, ind.forecast.measure) not in measures:
            add(
                "catalogue-unknown-measure",
                f"forecast measure '{ind.forecast.measure}' is not listed under measures",
                (*base, "forecast", "measure"),
                ind.key,
            )
        if (
            scheme.kind == "tolerance"
            and scheme.default is None
            and ind.tolerance is None
            and any(t.kind not in ("none", "baseline") for t in ind.targets.values())
        ):
            add(
                "catalogue-scheme",
                "the tolerance rule needs a tolerance: set tolerance: {amount: N} or "
                "{percent: N} on the indicator, or a default on the scheme",
                (*base, "key"),
                ind.key,
            )
        if ind.when_missing and ind.when_missing.status in (Status.DATA_ISSUE,):
            add(
                "catalogue-schema",
                "when_missing cannot be DATA_ISSUE",
                (*base, "when_missing"),
                ind.key,
            )
    return problems


def _measure_refs(derive: Any, path: tuple[Any, ...]) -> list[tuple[str, tuple[Any, ...]]]:
    refs = []
    for field in ("measure", "numerator", "denominator", "minuend", "subtrahend"):
        value = getattr(derive, field, None)
        if value is not None:
            refs.append((value, (*path, field)))
    for j, part in enumerate(getattr(derive, "parts", []) or []):
        refs.extend(_measure_refs(part.derive, (*path, "parts", j, "derive")))
    return refs


def _population_refs(derive: Any, path: tuple[Any, ...]) -> list[tuple[str, tuple[Any, ...]]]:
    refs = []
    if getattr(derive, "population", None):
        refs.append((derive.population, (*path, "population")))
    for j, part in enumerate(getattr(derive, "parts", []) or []):
        refs.extend(_population_refs(part.derive, (*path, "parts", j, "derive")))
    return refs


_COMPARES = ("change",)


def _target_fit(ind: Indicator, derive: Any, target: Any) -> list[str]:
    """Why `target` cannot apply to an indicator with this derivation, unit and polarity."""
    kind = target.kind
    problems: list[str] = []
    if kind == "parts":
        if derive.method != "parts":
            return [f"a target with {len(target.parts)} parts needs a 'parts' derivation"]
        if len(target.parts) != len(derive.parts):
            return [
                f"target has {len(target.parts)} parts but the derivation has {len(derive.parts)}"
            ]
        for sub_target, part in zip(target.parts, derive.parts, strict=True):
            as_part = ind.model_copy(update={"polarity": part.polarity or ind.polarity})
            problems.extend(
                f"part '{part.name}': {m}" for m in _target_fit(as_part, part.derive, sub_target)
            )
        return problems
    if kind in ("none", "baseline"):
        return []
    if ind.polarity == "none":
        return [f"a {kind} target needs a polarity (higher_is_better or lower_is_better)"]
    if ind.unit == "text" or derive.method == "text":
        return [f"a {kind} target cannot apply to a text answer"]
    if kind == "reduction" and ind.polarity != "lower_is_better":
        problems.append("a reduction target needs polarity lower_is_better")
    if kind == "increase" and ind.polarity != "higher_is_better":
        problems.append("an increase target needs polarity higher_is_better")
    if kind == "zero" and ind.polarity != "lower_is_better":
        problems.append("a zero target needs polarity lower_is_better")
    if kind in ("reduction", "increase", "improve") and derive.method not in (
        *_COMPARES,
        "not_collected",
    ):
        problems.append(
            f"a {kind} target compares with the period before, so it needs a 'change' "
            f"derivation (this one is '{derive.method}')"
        )
    if kind == "profile" and ind.unit == "percent":
        values = target.quarters or target.months or []
        if any(not 0 <= v <= 100 for v in values):
            problems.append(f"a percentage profile must be 0-100, not {values}")
    if kind == "level" and ind.unit in ("percent",) and not 0 <= target.value <= 100:
        problems.append(f"a percentage target must be 0-100, not {target.value}")
    if kind == "level" and target.value < 0 and ind.unit in ("count", "money", "rate"):
        problems.append(f"a {ind.unit} target cannot be negative")
    return problems
