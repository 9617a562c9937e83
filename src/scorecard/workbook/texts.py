"""The report's wording for one run: titles, headings, notes and the page footer, with
the month and the year filled into the catalogue's templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..display import DisplayError, format_display
from ..periods import TREND_POINTS
from ..result import RunResult
from .celltext import cell_text

AUTHOR = "scorecard"  # the workbook's author, and who the sheets say compiled them
STATUS_COL = 4  # the objective table's status column; its heading also heads the legend


@dataclass(frozen=True)
class ReportTexts:
    """The report's wording for this run, with the month and year filled in."""

    organisation: str
    title: str
    period: str
    month_long: str
    headings: tuple[str, ...]  # the objective table's column headings
    footnotes: tuple[str, ...]
    legend_note: str
    footer: str

    @property
    def status_heading(self) -> str:
        return self.headings[STATUS_COL]


def fill(template: str, fields: dict[str, Any]) -> str:
    """The template filled; one that cannot be filled is shown as written."""
    try:
        return format_display(template, fields)
    except DisplayError:
        return template


def report_texts(run: RunResult) -> ReportTexts:
    """The wording of `run`'s report, from the catalogue's `organisation.report`."""
    org = run.catalogue.organisation
    report = org.report
    fields = {
        "month_long": run.month.long,
        "month_label": run.month.label,
        "month_short": run.month.short,
        "month": str(run.month),
        "year": str(run.year),
        "organisation": org.name,
    }
    period = fill(report.period_note, fields)
    step = "quarter" if org.frequency == "quarterly" else "month"
    headings = (
        fill(report.id_heading, fields),
        fill(report.indicator_heading, fields),
        fill(report.target_heading, fields),
        fill(report.value_heading, fields),
        fill(report.status_heading, fields),
        f"Trend ({TREND_POINTS[org.frequency]} {step}s)",
        f"Direction: last {step}",
        f"Direction: same {step} last year",
        "Explanation",
    )
    footnotes = tuple(fill(f, fields) for f in report.footnotes)
    return ReportTexts(
        organisation=org.name,
        title=fill(report.title, fields),
        period=period,
        month_long=run.month.long,
        headings=headings,
        footnotes=footnotes,
        legend_note=fill(report.legend_note, fields),
        footer=footer(org.name, period),
    )


def footer(organisation: str, period: str) -> str:
    """Organisation left, period centre, page number right; within Excel's 255 characters."""

    def esc(text: str, limit: int) -> str:
        return shorten(" ".join(cell_text(text).split()), limit).replace("&", "&&")

    return f"&L&8{esc(organisation, 80)}&C&8{esc(period, 100)}&R&8Page &P of &N"


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters: whole clauses if they fit, else whole words."""
    if len(text) <= limit:
        return text
    for mark in (". ", "; ", ", "):
        cut = text[:limit].rfind(mark)
        if cut > limit // 3:
            return text[:cut]
    cut = text[: limit - 1].rfind(" ")
    return text[: cut if cut > 0 else limit - 1] + "…"
