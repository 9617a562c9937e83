"""The pack's objective tables: every objective in one sheet, pages made up as the
report makes them up (see `flow`).

At the top of every printed page, as the report's pages have them: the organisation,
title and month, the period, the legend in one line, the footnotes and the column
headings (the sheet's print titles). Then each objective's heading and its rows; an
objective that runs on to the next page has its heading repeated there, "(continued)".
Hashes, paths and sign-offs are not here: they are the master's Summary's.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..board import disagreement
from ..catalogue import Objective
from ..model import RAG_STATUSES, Status
from ..periods import fill_period_words, period_words
from ..result import IndicatorResult, RunResult
from ..workbook import StatusLook, status_looks
from ..workbook.objective import commentary_runs
from ..workbook.texts import ReportTexts
from .columns import SPC_NOTE, Layout, cell, layout, pack_notes
from .flow import Page, Section, make_pages
from .measure import HEIGHT_SCALE, PAGE_HEIGHT
from .sheet import Cell, PackSheet
from .styles import PackStyles

TEXT_UNIT = "text"
CONTINUED = "(continued)"
TITLE_ROWS = 5  # title, period, legend, footnotes, column headings
PAGE_SAFETY = 10.0  # points of each page left free: LibreOffice's rounding, and ours


def write_report(
    sheet: Worksheet, run: RunResult, texts: ReportTexts, styles: PackStyles
) -> list[Page]:
    """Fill `sheet` with every objective's table; return the pages it prints on."""
    table = layout(run, texts)
    grid = PackSheet(sheet, styles, table.widths)
    _titles(grid, run, texts, table)
    sections = _sections(run)
    rows = [[_row(run, table, r) for r in results] for _, results in sections]
    heights = [
        Section(grid.measure([_heading(objective.title, table)]), tuple(map(grid.measure, cells)))
        for (objective, _), cells in zip(sections, rows, strict=True)
    ]
    titles = sum(grid.heights.get(r, 0.0) for r in range(TITLE_ROWS))
    room = (PAGE_HEIGHT / HEIGHT_SCALE) * 100 / table.scale - titles - PAGE_SAFETY
    longest = max((o.title for o, _ in sections), key=len, default="")
    continued = grid.measure([_heading(f"{longest} {CONTINUED}", table)])
    pages = make_pages(heights, room, continued)
    row, breaks = TITLE_ROWS, []
    for page in pages:
        if row > TITLE_ROWS:
            breaks.append(row)
        for item in page.items:
            objective = sections[item.section][0]
            if item.is_heading:
                title = f"{objective.title} {CONTINUED}" if item.continued else objective.title
                grid.put(row, _heading(title, table))
            else:
                for one in rows[item.section][item.row]:
                    grid.put(row, one)
            row += 1
    grid.finish()
    if breaks:
        sheet.set_h_pagebreaks(breaks)
    _page_setup(sheet, texts, table)
    return pages


def _sections(run: RunResult) -> list[tuple[Objective, list[IndicatorResult]]]:
    by_objective: dict[str, list[IndicatorResult]] = {}
    for result in run.results:
        by_objective.setdefault(result.indicator.objective, []).append(result)
    return [(o, by_objective[o.key]) for o in run.catalogue.objectives if o.key in by_objective]


def _heading(title: str, table: Layout) -> Cell:
    return Cell(0, "objective", title, span=len(table.widths))


def _row(run: RunResult, table: Layout, result: IndicatorResult) -> list[Cell]:
    """The cells of one indicator's row."""
    indicator = result.indicator
    org = run.catalogue.organisation
    end = indicator.period.end_for(run.month, org.financial_year_start)
    notes = fill_period_words(indicator.notes, period_words(end, org.financial_year_start))
    owner = {o.key: o.name for o in run.catalogue.owners}.get(indicator.owner, indicator.owner)
    runs = [("title", indicator.title), ("notes", notes), *commentary_runs(result, owner)]
    looks = dict(run_looks(run))
    cells = [
        Cell(table.column("id"), "id", indicator.label),
        Cell(table.column("indicator"), "indicator", runs=tuple(runs)),
    ]
    target = table.column("target")
    if indicator.unit == TEXT_UNIT:
        # A text answer is the value itself: laid across the row, as the report lays it.
        span = len(table.widths) - target
        return [*cells, Cell(target, "narrative", result.reading.text, span=span)]
    ytd = indicator.is_year_to_date(run.year)
    reconcile = disagreement(result) if "explanation" not in table.names else ""
    if reconcile:
        cells[1] = cells[1]._replace(runs=(*cells[1].runs, ("reading", reconcile)))
    for col, name in enumerate(table.names):
        if name in ("id", "indicator"):
            continue
        if name == "status":
            cells.append(Cell(col, "status", status=result.status))
            continue
        text, style = cell(name, result, ytd, looks)
        cells.append(Cell(col, style, text))
    return cells


def run_looks(run: RunResult) -> dict[Status, StatusLook]:
    """Each status's look, as the catalogue says."""
    return status_looks(run.catalogue.organisation)


def _titles(grid: PackSheet, run: RunResult, texts: ReportTexts, table: Layout) -> None:
    grid.wide(0, 0, f"{texts.organisation}: {texts.title}, {texts.month_long}", "page_title")
    grid.wide(1, 0, texts.period, "period")
    present = {r.status for r in run.results}
    grid.rich_line(2, 0, legend_fragments(grid.styles, present, texts), "legend_row")
    notes = [n for n in texts.footnotes if n] + [pack_notes(run.catalogue.organisation.frequency)]
    if any(c in table.names for c in ("spc", "variation", "assurance")):
        notes.append(SPC_NOTE)
    grid.wide(3, 0, "   ".join(notes), "note")
    for col, heading in enumerate(table.headings):
        grid.text(4, col, heading, "header")


def legend_fragments(
    styles: PackStyles, present: set[Status], texts: ReportTexts
) -> list[tuple[Any, str]]:
    """The legend in one line: each traffic light's colour, its symbol where it shows one,
    and its wording; any other status the rows show by its label."""
    out: list[tuple[Any, str]] = [(styles.rich["legend_heading"], f"{texts.status_heading}:  ")]
    for status in styles.shown:
        look = styles.looks[status]
        if status not in RAG_STATUSES and (look.show != "label" or status not in present):
            continue
        out.append((styles.legend_mark[status], "■"))
        if look.show == "symbol":
            out.append((styles.legend_symbol[status], look.symbol))
        out.append((styles.rich["legend"], f" {look.legend or look.label}     "))
    return out


def _page_setup(sheet: Worksheet, texts: ReportTexts, table: Layout) -> None:
    """A4 landscape at the table's scale, the title rows on every page, the footer."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.set_print_scale(table.scale)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.center_horizontally()
    sheet.set_footer(texts.footer)
    sheet.repeat_rows(0, TITLE_ROWS - 1)
    sheet.freeze_panes(TITLE_ROWS, 0)
