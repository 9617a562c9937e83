"""Cross-checks of a catalogue that one schema model cannot see alone.

Duplicate keys and dangling references (checked on the raw data, so they are found even
where the schema failed), measures and populations a derivation names, and whether each
target fits its derivation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import Level, Problem
from ..form import UNIT_RULES
from ..model import Status
from ..periods import FinancialYear
from ..yamlsafe import YamlDocument
from .schema import Catalogue, CatalogueHead, Indicator


def indicator_key(doc: YamlDocument, path: tuple[Any, ...]) -> str | None:
    if len(path) >= 2 and path[0] == "indicators" and isinstance(path[1], int):
        items = doc.data.get("indicators")
        if isinstance(items, list) and path[1] < len(items) and isinstance(items[path[1]], dict):
            key = items[path[1]].get("key")
            return str(key) if key is not None else f"indicator #{path[1] + 1}"
    return None


def reference_problems(doc: YamlDocument, name: str) -> list[Problem]:
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


class _Findings:
    """The problems found, each placed on its line of the catalogue."""

    def __init__(self, doc: YamlDocument, name: str) -> None:
        self.doc, self.name = doc, name
        self.problems: list[Problem] = []

    def add(self, code: str, message: str, path: tuple[Any, ...], key: str | None = None) -> None:
        line = self.doc.line_of(path)
        self.problems.append(Problem(code, message, file=self.name, line=line, key=key))


def cross_check(
    cat: CatalogueHead, indicators: list[tuple[int, Indicator]], doc: YamlDocument, name: str
) -> list[Problem]:
    """What the schema cannot see alone: duplicates, references, targets against rules."""
    found = _Findings(doc, name)
    for kind, keys in (
        ("owner", [o.key for o in cat.owners]),
        ("objective", [o.key for o in cat.objectives]),
    ):
        first: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key in first:
                found.add(
                    "catalogue-duplicate", f"duplicate {kind} key '{key}'", (f"{kind}s", i, "key")
                )
            first.setdefault(key, i)
    measures = {(ind.key, m.name) for _, ind in indicators for m in ind.measures}
    for i, ind in indicators:
        base: tuple[Any, ...] = ("indicators", i)
        _check_references(found, ind, base, measures, cat.organisation.populations)
        _check_rules(found, ind, base, ind.scheme or cat.organisation.scheme, measures)
    return found.problems


def _check_references(
    found: _Findings,
    ind: Indicator,
    base: tuple[Any, ...],
    measures: set[tuple[str, str]],
    populations: Mapping[str, Any],
) -> None:
    """Measures listed twice, and measures and populations the derivation names."""
    names = [m.name for m in ind.measures]
    for dup in {n for n in names if names.count(n) > 1}:
        found.add(
            "catalogue-duplicate", f"measure '{dup}' is listed twice", (*base, "measures"), ind.key
        )
    for ref, rpath in _measure_refs(ind.derive, (*base, "derive")):
        own, _, other = ref.partition(".")
        if ((own, other) if other else (ind.key, own)) not in measures:
            found.add(
                "catalogue-unknown-measure",
                f"derivation uses measure '{ref}', which is not listed under measures",
                rpath,
                ind.key,
            )
    for pop, ppath in _population_refs(ind.derive, (*base, "derive")):
        if pop not in populations:
            found.add(
                "catalogue-unknown-population",
                f"population '{pop}' is not defined under organisation.populations "
                f"(known: {', '.join(populations) or 'none'})",
                ppath,
                ind.key,
            )


def _check_rules(
    found: _Findings,
    ind: Indicator,
    base: tuple[Any, ...],
    scheme: Any,
    measures: set[tuple[str, str]],
) -> None:
    """Targets that fit the derivation, and what the assessment rule needs of the indicator."""
    for year, year_target in ind.targets.items():
        for message in _target_fit(ind, ind.derive, year_target):
            found.add("catalogue-target-mismatch", message, (*base, "targets", year), ind.key)
    if scheme.kind == "forecast" and ind.forecast is None:
        found.add(
            "catalogue-scheme",
            "a forecast rule needs the indicator to collect a forecast: add "
            "forecast: {measure: <name>} and that measure",
            (*base, "scheme") if ind.scheme else (*base, "key"),
            ind.key,
        )
    if ind.forecast is not None and (ind.key, ind.forecast.measure) not in measures:
        found.add(
            "catalogue-unknown-measure",
            f"forecast measure '{ind.forecast.measure}' is not listed under measures",
            (*base, "forecast", "measure"),
            ind.key,
        )
    if (
        scheme.kind == "tolerance"
        and scheme.default is None
        and ind.tolerance is None
        and any(t.kind not in ("none", "baseline", "zero") for t in ind.targets.values())
    ):
        found.add(
            "catalogue-scheme",
            "the tolerance rule needs a tolerance: set tolerance: {amount: N} or "
            "{percent: N} on the indicator, or a default on the scheme",
            (*base, "key"),
            ind.key,
        )
    if ind.when_missing and ind.when_missing.status in (Status.DATA_ISSUE,):
        found.add(
            "catalogue-schema",
            "when_missing cannot be DATA_ISSUE",
            (*base, "when_missing"),
            ind.key,
        )


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
    rule = UNIT_RULES[ind.unit]
    if kind == "profile" and rule.at_most is not None:
        values = target.quarters or target.months or []
        if any(not 0 <= v <= rule.at_most for v in values):
            problems.append(f"a percentage profile must be 0-{rule.at_most:g}, not {values}")
    if kind == "level" and rule.at_most is not None and not 0 <= target.value <= rule.at_most:
        problems.append(f"a percentage target must be 0-{rule.at_most:g}, not {target.value}")
    if kind == "level" and target.value < 0 and rule.at_least_zero:
        problems.append(f"a {ind.unit} target cannot be negative")
    return problems


def missing_targets(catalogue: Catalogue, year: FinancialYear) -> list[Problem]:
    """A `targets-missing` warning for each rated row with no target for `year`: at a
    new financial year, the catalogue not yet given that year's targets would otherwise
    turn every rated row into "No target" without a word."""
    problems = []
    for ind in catalogue.indicators:
        if str(year) in ind.targets or not ind.can_be_rated():
            continue
        has = sorted(ind.targets)
        problems.append(
            Problem(
                "targets-missing",
                f"{ind.label or ind.key}: no target for {year} in the catalogue "
                + (f"(it has {', '.join(has)})" if has else "(it has none for any year)")
                + f": add its {year} target, or `{{kind: none}}` if it has none this year",
                level=Level.WARNING,
                file=catalogue.path or None,
                key=ind.key,
            )
        )
    return problems
