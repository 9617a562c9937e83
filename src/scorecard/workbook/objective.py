"""One sheet per objective: its indicators' table, coloured by status on its own cells.

Above the table, as the report's pages have them, the organisation, title and period,
the objective, the legend and the footnotes: with the column headings they are the
sheet's print titles, repeated at the top of every printed page, so that every page of
the pack reads like the report's and a copy of the sheet stands alone."""

from __future__ import annotations

import math
import re

from xlsxwriter.worksheet import Worksheet

from ..board import is_yearly
from ..catalogue import Objective
from ..model import Status
from ..periods import Month, fill_period_words, period_words
from ..result import IndicatorResult, RunResult
from .celltext import OVERFLOW_MARK
from .layout import Grid, page_setup, top_legend
from .spc import SPC_HEADINGS, SPC_NOTE, SPC_WIDTHS, spc_cells
from .styles import StatusLook, Styles
from .texts import AUTHOR, STATUS_COL, ReportTexts

SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
DIRECTION_TEXT = {"better": "▲ better", "same": "► same", "worse": "▼ worse"}
YEAR_TO_DATE_TEXT = "year to date"  # no short-term direction: see compile.assess_all
OBJECTIVE_WIDTHS = (13, 48, 15, 22, 14, 15, 11, 11, 38)
TEXT_UNIT = "text"  # an indicator whose value is a narrative
COMMENTARY_LABEL = "Owner's commentary"
NO_COMMENTARY = "No commentary"
LEGEND_ROW = 3
FOOTNOTES_ROW = 4
HEADER_ROW = 5
_STATUS_WORD = re.compile(r"\b(?:BLUE|GREEN|AMBER|RED)\b")


def write_objective(
    sheet: Worksheet,
    run: RunResult,
    objective: Objective,
    results: list[IndicatorResult],
    texts: ReportTexts,
    styles: Styles,
) -> None:
    """Fill `sheet` with `objective`'s indicators, one row each."""
    with_spc = run.has_spc  # Variation and Assurance columns (issue 15)
    grid = Grid(sheet, styles, OBJECTIVE_WIDTHS + (SPC_WIDTHS if with_spc else ()))
    grid.cut_mark = OVERFLOW_MARK  # a comment or text answer taller than a row can be
    grid.text(0, 0, f"{texts.organisation}: {texts.title}", "title")
    grid.text(1, 0, objective.title, "subtitle")
    grid.text(2, 0, texts.period, "period")
    top_legend(grid, LEGEND_ROW, texts, {r.status for r in results})
    notes = [n for n in texts.footnotes if n] + ([SPC_NOTE] if with_spc else [])
    grid.wide(FOOTNOTES_ROW, 0, "   ".join(notes), "note")
    for col, heading in enumerate(texts.headings + (SPC_HEADINGS if with_spc else ())):
        grid.text(HEADER_ROW, col, heading, "header")
    row = HEADER_ROW + 1
    for result in results:
        _indicator_row(grid, row, result, run)
        row += 1
    if results:
        _status_rules(sheet, HEADER_ROW + 1, row - 1, styles)
    else:
        grid.text(row, 1, "No indicators under this objective", "cell")
        row += 1
    grid.wide(
        row,
        1,
        f"Compiled by {AUTHOR} for {texts.month_long}; catalogue SHA-256 "
        f"{run.catalogue.fingerprint[:16]}; inputs listed on the Summary sheet.",
        "note",
    )
    page_setup(grid, texts, header_row=HEADER_ROW, titles_from=0)


def _indicator_row(grid: Grid, row: int, result: IndicatorResult, run: RunResult) -> None:
    indicator = result.indicator
    year = run.year
    org = run.catalogue.organisation
    end = indicator.period.end_for(run.month, org.financial_year_start)
    notes = fill_period_words(indicator.notes, period_words(end, org.financial_year_start))
    grid.text(row, 0, indicator.label, "id")
    owner = {o.key: o.name for o in run.catalogue.owners}.get(indicator.owner, indicator.owner)
    grid.runs(
        row,
        1,
        [("title", indicator.title), ("notes", notes), *commentary_runs(result, owner)],
        "indicator_title",
    )
    if indicator.unit == TEXT_UNIT:
        # A text answer is the value itself: laid across the row, as the report lays it.
        grid.text(row, 2, result.reading.text, "narrative", span=len(grid.widths) - 2)
        return
    grid.text(row, 2, result.target, "centre")
    grid.text(row, 3, result.reading.text, "centre")
    # The status cell carries only text; its colour comes from the conditional formats.
    grid.text(row, STATUS_COL, grid.styles.looks[result.status].label, "status")
    yearly = is_yearly(result)  # a year's figure has no monthly trend or direction
    grid.text(row, 5, "" if yearly else sparkline(result.reading.trend), "trend")
    short, long = (None if yearly else result.direction), result.direction_long
    if short is None and result.indicator.is_year_to_date(year) and long is not None:
        grid.text(row, 6, YEAR_TO_DATE_TEXT, "same")
    else:
        _direction(grid, row, 6, short)
    _direction(grid, row, 7, long)
    grid.text(row, 8, explanation(result, grid.styles.looks), "explanation")
    if len(grid.widths) > len(OBJECTIVE_WIDTHS):  # with the SPC columns
        for col, (text, style) in enumerate(spc_cells(result), len(OBJECTIVE_WIDTHS)):
            grid.text(row, col, text, style)


def commentary_runs(result: IndicatorResult, owner_name: str) -> list[tuple[str, str]]:
    """The month's commentary as rich-text runs, marked as the owner's words; "No
    commentary" where the catalogue requires it and none came."""
    commentary = result.commentary
    if commentary is not None:
        return [
            ("comment_label", f"{COMMENTARY_LABEL} ({owner_name}, {commentary.month.label}): "),
            ("comment", commentary.text),
        ]
    if result.commentary_required:
        return [("no_comment", NO_COMMENTARY)]
    return []


def explanation(result: IndicatorResult, looks: dict[Status, StatusLook]) -> str:
    """The assessment's explanation in the organisation's words: a traffic light it
    names ("GREEN") reads as the status cell beside it does ("On track")."""
    text = result.assessment.explanation
    return _STATUS_WORD.sub(lambda found: looks[Status(found.group(0))].label, text)


def _direction(grid: Grid, row: int, col: int, direction: str | None) -> None:
    shown = direction if direction in DIRECTION_TEXT else None
    grid.text(row, col, DIRECTION_TEXT[shown] if shown else "", shown or "centre")


def _status_rules(sheet: Worksheet, first: int, last: int, styles: Styles) -> None:
    """Colour the status column by its text, on this sheet's own cells only."""
    for status in styles.shown:
        label = styles.looks[status].label.replace('"', '""')
        sheet.conditional_format(
            first,
            STATUS_COL,
            last,
            STATUS_COL,
            {
                "type": "cell",
                "criteria": "==",
                "value": f'"{label}"',
                "format": styles.rule[status],
            },
        )


def sparkline(trend: tuple[tuple[Month, float | None], ...]) -> str:
    """The trend as block characters, lowest to highest; a space for a missing month; a
    series that never changes (all zero, say) as a flat line along the foot."""
    values = [v for _, v in trend if v is not None and math.isfinite(v)]
    if not values:
        return ""
    low, high = min(values), max(values)
    marks = []
    for _, value in trend:
        if value is None or not math.isfinite(value):
            marks.append(" ")
        elif high == low:
            marks.append(SPARK_BLOCKS[0])  # a flat series is drawn flat, not as a bar
        else:
            step = round((value - low) / (high - low) * (len(SPARK_BLOCKS) - 1))
            marks.append(SPARK_BLOCKS[step])
    return "".join(marks)
