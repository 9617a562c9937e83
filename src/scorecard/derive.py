"""Derive each indicator's reported value from its monthly figures. Pure: no I/O.

`derive(indicator, figures, month, organisation)` returns a `Reading`: the number that
is assessed, the comparable figure for the period before, the text the report prints
("down 17,829 offences (-7.8%) 28.04 per 1,000 population") and the trend. A window
with a missing month is never summed into a smaller total: the reading is not available
and names the missing months.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from .catalogue import (
    AsGiven,
    Change,
    Derivation,
    FytdAverage,
    FytdTotal,
    Gap,
    Indicator,
    NotCollected,
    Organisation,
    Parts,
    PopulationRate,
    RollingRate,
    RollingTotal,
    TextAnswer,
)
from .display import DEFAULT_DISPLAY, format_display
from .model import Figure, Figures, Reading, Source
from .periods import (
    PERIOD_MONTHS,
    TREND_POINTS,
    FinancialYear,
    Month,
    describe_months,
    month_range,
    window,
)


@dataclass
class _Context:
    indicator: Indicator
    figures: Figures
    organisation: Organisation
    end: Month
    fy: FinancialYear
    sources: list[Source] = field(default_factory=list)
    missing: list[Month] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    data_issue: bool = False

    def series(self, ref: str) -> dict[Month, Figure]:
        own, _, other = ref.partition(".")
        key = (own, other) if other else (self.indicator.key, own)
        return self.figures.get(key, {})

    def numbers(self, ref: str, months: list[Month]) -> list[float] | None:
        """The measure's figures for `months`, or None (noting why) if any is missing."""
        series = self.series(ref)
        values: list[float] = []
        ok = True
        sources = self.sources
        for m in months:
            fig = series.get(m)
            if fig is not None:
                value = fig.value
                if fig.source is not None:
                    sources.append(fig.source)  # deduplicated once, in derive()
                if value.__class__ is int or value.__class__ is float:
                    values.append(float(value))
                    continue
            if fig is None or not fig.is_number:
                ok = False
                if m not in self.missing:
                    self.missing.append(m)
                if fig is not None and fig.problem:
                    self.data_issue = True
                    self._reason(f"{m.label}: {fig.problem}")
                elif fig is not None and fig.not_available:
                    self._reason(f"{m.label}: {fig.not_available}")
                continue
            values.append(float(fig.value))  # type: ignore[arg-type]
        return values if ok else None

    def text(self, ref: str, month: Month) -> str | None:
        fig = self.series(ref).get(month)
        if fig is not None and fig.source is not None:
            self.sources.append(fig.source)
        if fig is None or fig.value is None or fig.problem:
            self.missing.append(month)
            if fig is not None and fig.problem:
                self.data_issue = True
                self._reason(f"{month.label}: {fig.problem}")
            return None
        return str(fig.value).strip()

    def _reason(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)

    def periods(self, months: list[Month]) -> list[Month]:
        """The months of `months` that carry figures: every month, or quarter ends."""
        return self.organisation.reporting_months(months)

    def population(self, name: str | None) -> float | None:
        return self.organisation.populations[name].value if name else None


def derive(
    indicator: Indicator,
    figures: Figures,
    month: Month,
    organisation: Organisation,
    *,
    with_trend: bool = True,
) -> Reading:
    """The indicator's reading for the report month `month`."""
    fy_start = organisation.financial_year_start
    end = indicator.period.end_for(month, fy_start)
    ctx = _Context(indicator, figures, organisation, end, FinancialYear.containing(end, fy_start))
    reading = _derive(indicator.derive, ctx)
    period = _period_label(indicator, reading, ctx)
    forecast = None
    if indicator.forecast is not None:
        fig = ctx.series(indicator.forecast.measure).get(end)
        forecast = float(fig.value) if fig is not None and fig.is_number else None  # type: ignore[arg-type]
    reading = replace(
        reading,
        period=period,
        forecast=forecast,
        sources=tuple(dict.fromkeys(ctx.sources)),
        missing=tuple(sorted(set(ctx.missing))),
        data_issue=ctx.data_issue,
    )
    if not reading.available and not reading.reason:
        reading = replace(reading, reason=_missing_reason(reading, ctx))
    if with_trend and indicator.unit != "text" and not isinstance(indicator.derive, NotCollected):
        trend = _trend(indicator, figures, month, organisation)
        step = PERIOD_MONTHS[organisation.frequency]
        by_month = dict(trend)
        reading = replace(
            reading,
            trend=trend,
            last_period=by_month.get(month - step),
            last_year=by_month.get(month - 12),
        )
    return reading


def _missing_reason(reading: Reading, ctx: _Context) -> str:
    parts = []
    if reading.missing:
        parts.append("no figure for " + describe_months(list(reading.missing)))
    parts.extend(ctx.reasons)
    return "; ".join(parts) or "not available"


def _trend(
    indicator: Indicator, figures: Figures, month: Month, organisation: Organisation
) -> tuple[tuple[Month, float | None], ...]:
    points = []
    step = PERIOD_MONTHS[organisation.frequency]
    fy_start = organisation.financial_year_start
    for back in range(TREND_POINTS[organisation.frequency] - 1, -1, -1):
        at = month - back * step
        # Only the value: what derive() adds to a reading (words, sources) is not needed.
        end = indicator.period.end_for(at, fy_start)
        ctx = _Context(
            indicator, figures, organisation, end, FinancialYear.containing(end, fy_start)
        )
        r = _derive(indicator.derive, ctx)
        points.append((at, r.value if r.available else None))
    return tuple(points)


def _period_label(indicator: Indicator, reading: Reading, ctx: _Context) -> str:
    fields = _base_fields(indicator, ctx)
    if indicator.period.label:
        return format_display(indicator.period.label, fields)
    if indicator.period.ends == "quarter":
        quarter = ctx.end.minus(ctx.fy.first) // 3 + 1
        return f"Q{quarter} {ctx.fy}"
    d = indicator.derive
    if isinstance(d, Parts):
        d = d.parts[0].derive
    if isinstance(d, RollingTotal | RollingRate | PopulationRate | Change):
        return f"{d.months} months to {ctx.end.label}"
    if isinstance(d, FytdAverage | FytdTotal):
        return f"{ctx.fy.first.label} to {ctx.end.label}"
    if isinstance(d, NotCollected):
        return ""
    if indicator.period.ends == "year":
        return f"year to {ctx.end.label}"
    return ctx.end.label


def _base_fields(indicator: Indicator, ctx: _Context) -> dict[str, Any]:
    return {
        "decimals": indicator.decimals,
        "end_short": ctx.end.short,
        "end_label": ctx.end.label,
        "end_long": ctx.end.long,
        "fy": str(ctx.fy),
        "fy_first_label": ctx.fy.first.label,
    }


def _text(derive: Derivation, ctx: _Context, fields: dict[str, Any]) -> str:
    unit = ctx.indicator.unit
    template = derive.display or DEFAULT_DISPLAY[unit]
    return format_display(template, {**_base_fields(ctx.indicator, ctx), **fields})


def _unavailable(derive: Derivation, reason: str = "") -> Reading:
    return Reading(text=derive.not_available_text, available=False, reason=reason)


def _number_reading(
    derive: Derivation,
    ctx: _Context,
    value: float,
    previous: float | None = None,
    extra: dict[str, Any] | None = None,
) -> Reading:
    fields: dict[str, Any] = {"value": value, **(extra or {})}
    if ctx.indicator.unit == "money":
        fields["value_m"] = value / 1_000_000
    text = _text(derive, ctx, fields)
    if derive.explained:  # the value in words that name its parts, for the explanation
        fields["explained"] = format_display(
            derive.explained, {**_base_fields(ctx.indicator, ctx), **fields}
        )
    return Reading(text=text, value=value, previous=previous, fields=fields)


def _as_given(d: AsGiven, ctx: _Context) -> Reading:
    values = ctx.numbers(d.measure, [ctx.end])
    return _unavailable(d) if values is None else _number_reading(d, ctx, values[0])


def _text_answer(d: TextAnswer, ctx: _Context) -> Reading:
    text = ctx.text(d.measure, ctx.end)
    if not text:
        return _unavailable(d)
    return Reading(text=text, fields={"value": text})


def _rolling_total(d: RollingTotal, ctx: _Context) -> Reading:
    values = ctx.numbers(d.measure, ctx.periods(window(ctx.end, d.months)))
    return _unavailable(d) if values is None else _number_reading(d, ctx, sum(values))


def _rolling_rate(d: RollingRate, ctx: _Context) -> Reading:
    months = ctx.periods(window(ctx.end, d.months))
    num = ctx.numbers(d.numerator, months)
    den = ctx.numbers(d.denominator, months)
    if num is None or den is None:
        return _unavailable(d)
    if sum(den) == 0:
        return _unavailable(d, f"{d.denominator} is zero over {describe_months(months)}")
    n, m = sum(num), sum(den)
    return _number_reading(d, ctx, n / m * d.scale, extra={"numerator": n, "denominator": m})


def _change(d: Change, ctx: _Context) -> Reading:
    current = ctx.numbers(d.measure, ctx.periods(window(ctx.end, d.months)))
    previous = ctx.numbers(d.measure, ctx.periods(window(ctx.end - d.months, d.months)))
    if current is None or previous is None:
        return _unavailable(d)
    cur, prev = sum(current), sum(previous)
    change = cur - prev
    pct = change / prev * 100 if prev else None
    population = ctx.population(d.population)
    fields: dict[str, Any] = {
        "current": cur,
        "previous": prev,
        "change": change,
        "abs_change": abs(change),
        "change_pct": pct if pct is not None else float("nan"),
        "abs_pct": abs(pct) if pct is not None else float("nan"),
        "direction": "down" if change < 0 else "up" if change > 0 else "no change",
        "fewer_more": "fewer" if change < 0 else "more" if change > 0 else "no change in",
    }
    if population:
        fields["rate"] = cur / population * d.per
        fields["previous_rate"] = prev / population * d.per
    return _number_reading(d, ctx, cur, prev, fields)


def _population_rate(d: PopulationRate, ctx: _Context) -> Reading:
    values = ctx.numbers(d.measure, ctx.periods(window(ctx.end, d.months)))
    if values is None:
        return _unavailable(d)
    total = sum(values)
    rate = total / ctx.organisation.populations[d.population].value * d.per
    return _number_reading(d, ctx, rate, extra={"total": total, "rate": rate})


def _fytd_months(ctx: _Context) -> list[Month]:
    return ctx.periods(month_range(ctx.fy.first, ctx.end))


def _fytd_average(d: FytdAverage, ctx: _Context) -> Reading:
    months = _fytd_months(ctx)
    values = ctx.numbers(d.measure, months)
    if values is None:
        return _unavailable(d)
    total = sum(values)
    return _number_reading(
        d, ctx, total / len(months), extra={"total": total, "months": len(months)}
    )


def _fytd_total(d: FytdTotal, ctx: _Context) -> Reading:
    months = _fytd_months(ctx)
    values = ctx.numbers(d.measure, months)
    if values is None:
        return _unavailable(d)
    return _number_reading(d, ctx, sum(values), extra={"months": len(months)})


def _gap(d: Gap, ctx: _Context) -> Reading:
    a = ctx.numbers(d.minuend, [ctx.end])
    b = ctx.numbers(d.subtrahend, [ctx.end])
    if a is None or b is None:
        return _unavailable(d)
    return _number_reading(d, ctx, a[0] - b[0], extra={"minuend": a[0], "subtrahend": b[0]})


def _not_collected(d: NotCollected, ctx: _Context) -> Reading:
    return _unavailable(d, "not collected: no return carries this indicator yet")


def _parts(d: Parts, ctx: _Context) -> Reading:
    parts = tuple(_derive(p.derive, ctx) for p in d.parts)
    names = tuple(p.name for p in d.parts)
    available = all(p.available for p in parts)
    fields: dict[str, object] = {name: part.text for name, part in zip(names, parts, strict=True)}
    template = d.display or " ".join("{" + n + "}" for n in names)
    text = format_display(template, {**_base_fields(ctx.indicator, ctx), **fields})
    first = parts[0]
    if not any(p.available for p in parts):
        text = d.not_available_text
    return Reading(
        text=text,
        value=first.value if first.available else None,
        parts=parts,
        part_names=names,
        part_labels=tuple(p.label or p.name for p in d.parts),
        available=available,
        fields=fields,
    )


_DERIVERS: dict[type, Callable[[Any, _Context], Reading]] = {
    AsGiven: _as_given,
    TextAnswer: _text_answer,
    RollingTotal: _rolling_total,
    RollingRate: _rolling_rate,
    Change: _change,
    PopulationRate: _population_rate,
    FytdAverage: _fytd_average,
    FytdTotal: _fytd_total,
    Gap: _gap,
    NotCollected: _not_collected,
    Parts: _parts,
}


def _derive(d: Derivation, ctx: _Context) -> Reading:
    return _DERIVERS[type(d)](d, ctx)
