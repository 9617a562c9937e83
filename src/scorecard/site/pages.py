"""What each page shows, as plain data for its template: the run's rows, figures,
sources and words, gathered once per page from the compiled result.

Nothing here writes HTML: the templates do, with autoescaping, so that every word from
a return or the catalogue reaches the page as text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..catalogue import Objective
from ..model import Source, Status
from ..periods import Month, fill_period_words, period_words
from ..result import IndicatorResult, RunResult
from ..spc import PointType, SpcPoint, SpcResult, SpcState
from ..workbook.objective import DIRECTION_TEXT, explanation
from ..workbook.spc import assurance_cell, variation_cell
from ..workbook.styles import LEGEND_ORDER, StatusLook, status_looks
from .chart import CENTRE, LIMIT, TARGET, ChartData, ChartLine, tick_text
from .colours import seen_on_white

CSV_NAME = "scorecard.csv"
STYLE_NAME = "style.css"


def objective_path(key: str) -> str:
    return f"objectives/{key}.html"


def indicator_path(key: str) -> str:
    return f"indicators/{key}.html"


@dataclass(frozen=True)
class StatusMark:
    """A status as the pages show it: its words, and a mark in its colour beside them."""

    css: str  # the class that colours the mark
    label: str
    legend: str
    colour: str


def status_marks(run: RunResult) -> dict[Status, StatusMark]:
    """Each status's words (the catalogue's label) and mark colour, dark enough to see."""
    looks: dict[Status, StatusLook] = status_looks(run.catalogue.organisation)
    return {
        status: StatusMark(
            css=f"st-{status.value.lower().replace('_', '-')}",
            label=look.label,
            legend=look.legend,
            colour=seen_on_white(look.fill),
        )
        for status, look in looks.items()
    }


def number_text(value: float | None) -> str:
    """A figure for a table: thousands separated, at most four decimals, no trailing zeros."""
    if value is None or not math.isfinite(value):
        return ""
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def line_text(value: float | None) -> str:
    """A computed line (a mean, a process limit) for a table: about four significant
    figures (3,017,492 and 11.69, not 3,017,491.6667), since its later digits are noise."""
    if value is None or not math.isfinite(value):
        return ""
    size = abs(value)
    decimals = 0 if size >= 1000 else 1 if size >= 100 else 2 if size >= 10 else 3
    return number_text(round(value, decimals))


def source_cell(source: Source) -> dict[str, str]:
    """A figure's source: the file, and the sheet and cell as a spreadsheet names them."""
    return {"file": source.file, "cell": f"{source.sheet}!{source.cell}"}


def row(result: IndicatorResult, marks: dict[Status, StatusMark], run: RunResult) -> dict[str, Any]:
    """An indicator's row of an objective's table (and of the board's lists)."""
    variation, _ = variation_cell(result.spc)
    assurance, _ = assurance_cell(result.spc)
    looks = status_looks(run.catalogue.organisation)
    return {
        "key": result.indicator.key,
        "label": result.indicator.label,
        "title": result.indicator.title,
        "href": indicator_path(result.indicator.key),
        "target": result.target,
        "value": result.reading.text,
        "status": marks[result.status],
        "direction": DIRECTION_TEXT.get(result.direction or "", ""),
        "direction_long": DIRECTION_TEXT.get(result.direction_long or "", ""),
        "variation": variation,
        "assurance": assurance,
        "explanation": explanation(result, looks),
    }


def objective_page(
    run: RunResult, objective: Objective, marks: dict[Status, StatusMark]
) -> dict[str, Any]:
    """An objective's page: the report's table, each row linking to its indicator."""
    results = [r for r in run.results if r.indicator.objective == objective.key]
    return {
        "objective": objective,
        "rows": [row(r, marks, run) for r in results],
        "with_spc": run.has_spc,
    }


def index_page(run: RunResult, marks: dict[Status, StatusMark]) -> dict[str, Any]:
    """The index's counts by objective and status, and the legend."""
    by_objective = run.counts_by_objective()
    totals = run.counts()
    shown = [s for s in LEGEND_ORDER if totals[s]]
    return {
        "objectives": [
            {
                "title": o.title,
                "href": objective_path(o.key),
                "counts": [by_objective[o.key][s] for s in shown],
                "total": sum(by_objective[o.key].values()),
            }
            for o in run.catalogue.objectives
        ],
        "columns": [marks[s] for s in shown],
        "totals": [totals[s] for s in shown],
        "total": len(run.results),
        "legend": [marks[s] for s in shown],
    }


def indicator_page(
    run: RunResult, result: IndicatorResult, marks: dict[Status, StatusMark]
) -> dict[str, Any]:
    """An indicator's page: its row, the owner's words and sign-off, the series as a
    chart and a table, each figure's source, and its revisions since the last pack."""
    indicator = result.indicator
    objective = run.catalogue.objective(indicator.objective)
    owners = {o.key: o.name for o in run.catalogue.owners}
    sign_offs = [s for s in run.sign_offs if s.owner == indicator.owner]
    start = run.catalogue.organisation.financial_year_start
    end = indicator.period.end_for(run.month, start)
    return {
        "row": row(result, marks, run),
        "indicator": indicator,
        "notes": fill_period_words(indicator.notes, period_words(end, start)),
        "objective": {"title": objective.title, "href": objective_path(objective.key)},
        "owner": owners.get(indicator.owner, indicator.owner),
        "period": result.reading.period,
        "commentary": result.commentary,
        "commentary_required": result.commentary_required,
        "commentary_source": source_cell(result.commentary.source) if result.commentary else None,
        "sign_offs": sign_offs,
        "series": series(result),
        "spc_reason": _spc_reason(result.spc),
        "sources": [source_cell(s) for s in result.reading.sources],
        "revisions": revisions(run, indicator.key),
        "ledger_read": run.changes is not None,
    }


def _spc_reason(chart: SpcResult | None) -> str:
    if chart is None or chart.state is SpcState.OK:
        return ""
    return chart.reason


def revisions(run: RunResult, key: str) -> dict[str, Any]:
    """The indicator's figures the ledger says were restated since the last pack, with
    the reasons given, and the status change they made."""
    changes = run.changes
    if changes is None:
        return {"pack": "", "restated": [], "statuses": []}
    return {
        "pack": changes.pack_month.label,
        "restated": [r for r in changes.restated if r.key == key],
        "statuses": [c.describe() for c in changes.statuses if c.key == key],
    }


def series(result: IndicatorResult) -> dict[str, Any] | None:
    """The monthly series: the SPC chart's points where the indicator is charted (each
    month's own figure, with the limits), else the reported value month by month."""
    chart = result.spc
    if chart is not None and chart.state is SpcState.OK and chart.points:
        return _spc_series(chart, result)
    trend = [(m, v) for m, v in result.reading.trend]
    if not any(v is not None for _, v in trend):
        return None
    title = (
        f"{result.indicator.title}: {result.reading.period or 'the reported value'}, month by month"
    )
    data = ChartData(
        title=f"{result.indicator.label}: the reported value month by month",
        months=tuple(m.short for m, _ in trend),
        values=tuple(v for _, v in trend),
        money=result.indicator.unit == "money",
    )
    return {
        "title": title,
        "chart": data,
        "with_limits": False,
        "rows": [{"month": m.label, "value": number_text(v)} for m, v in trend],
    }


def _spc_series(chart: SpcResult, result: IndicatorResult) -> dict[str, Any]:
    points: list[SpcPoint | None]
    if chart.kind == "xmr":  # a point a month, a month without a figure left as a gap
        by_month = {p.month: p for p in chart.points}
        months: list[Month] = sorted(set(by_month) | set(chart.gaps))
        points = [by_month.get(m) for m in months]
    else:  # a T or G chart: a point an event, several in a month maybe
        points = list(chart.points)
        months = [p.month for p in chart.points]

    def line(attribute: str) -> tuple[float | None, ...]:
        return tuple(getattr(p, attribute) if p is not None else None for p in points)

    lines = [
        ChartLine("the mean", line("mean"), CENTRE, "8 4"),
        ChartLine("the upper and lower process limits", line("upper"), LIMIT, "2 3"),
        ChartLine("", line("lower"), LIMIT, "2 3"),
    ]
    if chart.target is not None:
        lines.append(ChartLine("the target", (chart.target,) * len(months), TARGET, "12 3 2 3"))
    special = frozenset(
        i for i, p in enumerate(points) if p is not None and p.type is not PointType.COMMON
    )
    what = chart.series or "each month's figure"
    name = f"{chart.chart_name} chart"
    return {
        "title": f"{result.indicator.title}: {what}, with SPC limits ({name})",
        "chart": ChartData(
            title=f"{result.indicator.label}: {what}, {name} with the mean and process limits",
            months=tuple(m.short for m in months),
            values=line("value"),
            lines=tuple(lines),
            special=special,
            floor=0.0 if _never_negative(result, points) else None,
            money=result.indicator.unit == "money",
        ),
        "with_limits": True,
        "target": _target_text(chart.target, result.indicator.unit == "money"),
        "note": chart.note,
        "rows": [_spc_row(m, p) for m, p in zip(months, points, strict=True)],
    }


def _target_text(target: float | None, money: bool) -> str:
    if target is None or not math.isfinite(target):
        return ""
    return tick_text(target, money, money and abs(target) >= 1_000_000)


def _never_negative(result: IndicatorResult, points: list[SpcPoint | None]) -> bool:
    """A count (or money) whose figures are none below zero: its axis stops at zero."""
    unit = result.indicator.unit
    return unit in ("count", "money") and all(p is None or p.value >= 0 for p in points)


def _spc_row(month: Month, point: SpcPoint | None) -> dict[str, str]:
    if point is None:
        return {"month": month.label, "value": "", "mean": "", "lower": "", "upper": "",
                "type": "no figure"}  # fmt: skip
    return {
        "month": month.label,
        "value": number_text(point.value),
        "mean": line_text(point.mean),
        "lower": line_text(point.lower),
        "upper": line_text(point.upper),
        "type": _point_words(point.type),
    }


POINT_WORDS = {
    PointType.COMMON: "common cause",
    PointType.IMPROVEMENT: "special cause: improvement",
    PointType.CONCERN: "special cause: concern",
    PointType.NEUTRAL_HIGH: "special cause: high",
    PointType.NEUTRAL_LOW: "special cause: low",
}


def _point_words(kind: PointType) -> str:
    return POINT_WORDS.get(kind, str(kind))
