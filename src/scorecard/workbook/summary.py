"""The Summary sheet: the legend, counts of each status by objective, the returns still
to chase and the problems found, the notes, and every input's fingerprint."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from xlsxwriter.worksheet import Worksheet

from ..catalogue import Catalogue
from ..errors import Level
from ..model import SignOff, Status
from ..result import RunResult
from .changes import changes_block
from .layout import Grid, footnotes, legend, page_setup
from .styles import Styles
from .texts import AUTHOR, ReportTexts

SUMMARY_FILES_ON_PAGE = 12  # more returns than this: the inputs list gets its own page


def write_summary(sheet: Worksheet, run: RunResult, texts: ReportTexts, styles: Styles) -> None:
    """Fill `sheet` with the run's summary."""
    statuses = [s for s in Status if s in styles.shown]  # the report's order: BLUE first
    grid = Grid(sheet, styles, (16, 58, *(11,) * len(statuses), 9))
    grid.text(0, 0, texts.organisation, "title")
    grid.text(1, 0, f"{texts.title}: {texts.month_long}", "subtitle")
    grid.text(2, 0, texts.period, "period")
    row = legend(grid, 4, texts) + 1
    legend_end = row - 1
    row = _counts(grid, row, run, statuses) + 1
    row = _returns_and_problems(grid, row, run) + 1
    if run.changes is not None:  # the ledger's: what changed since the last pack
        row = changes_block(grid, row, run) + 1
    row = _sign_offs(grid, row, run) + 1
    row = _notes(grid, row, texts, run.catalogue) + 1
    # A long list of inputs (a quarterly organisation's two years of returns) starts a
    # page of its own, so the summary above still prints at a readable size.
    long_list = len(run.files) > SUMMARY_FILES_ON_PAGE
    if long_list:
        sheet.set_h_pagebreaks([row])
    row = _inputs(grid, row, run)
    grid.text(row + 1, 0, f"Compiled by {AUTHOR} for {texts.month_long}.", "note_plain")
    page_setup(grid, texts, header_row=None, pages_tall=0 if long_list else 1)
    if long_list:
        # The inputs' own page starts, like every page of the pack, with the title,
        # period and legend.
        sheet.repeat_rows(0, legend_end)


def _counts(grid: Grid, row: int, run: RunResult, statuses: list[Status]) -> int:
    """Counts of each status per objective, and in all; return the row after the table."""
    total_col = 2 + len(statuses)
    grid.text(row, 0, "Assessments by objective", "heading")
    row += 1
    grid.text(row, 1, "Objective", "header")
    for i, status in enumerate(statuses):
        grid.swatch(row, 2 + i, status)
    grid.text(row, total_col, "Total", "header")
    row += 1
    table = run.counts_by_objective()
    for objective in run.catalogue.objectives:
        counts = table[objective.key]
        grid.text(row, 1, objective.title, "cell")
        for i, status in enumerate(statuses):
            grid.number(row, 2 + i, counts[status], "count")
        grid.number(row, total_col, sum(counts.values()), "count_total")
        row += 1
    totals = run.counts()
    grid.text(row, 1, "All objectives", "row_total")
    for i, status in enumerate(statuses):
        grid.number(row, 2 + i, totals[status], "count_total")
    grid.number(row, total_col, len(run.results), "count_total")
    return row + 1


def _returns_and_problems(grid: Grid, row: int, run: RunResult) -> int:
    """Returns still to chase, and the problems found; return the row after them."""
    grid.text(row, 0, "Returns", "heading")
    row += 1
    for item in run.chase:
        grid.wide(row, 1, item.describe(), "text")
        row += 1
    if not run.chase:
        grid.wide(row, 1, "All returns received", "text")
        row += 1
    grid.wide(row, 1, problem_line(run), "text")
    return row + 1


def _sign_offs(grid: Grid, row: int, run: RunResult) -> int:
    """Who signed off each return of the month, and the rows whose required commentary
    is missing; return the row after them."""
    grid.text(row, 0, "Sign-off", "heading")
    row += 1
    for signed in run.sign_offs:
        grid.wide(row, 1, sign_off_line(signed), "text")
        row += 1
    if not run.sign_offs:
        grid.wide(row, 1, f"No return for {run.month.label} was read", "text")
        row += 1
    missing = run.missing_commentary()
    if missing:
        grid.text(row, 0, "Commentary", "heading")
        grid.wide(
            row, 1, f"{len(missing)} row(s) need the owner's commentary and have none:", "text"
        )
        row += 1
        owners = {o.key: o.name for o in run.catalogue.owners}
        for result in missing:
            indicator = result.indicator
            label = grid.styles.looks[result.status].label
            grid.wide(
                row,
                1,
                f"{indicator.label or indicator.key} {indicator.title} ({label}): no commentary "
                f"from {owners.get(indicator.owner, indicator.owner)}",
                "text",
            )
            row += 1
    return row


def sign_off_line(signed: SignOff) -> str:
    """``Territorial Policing: signed off by A. Lead, Performance manager, on 12 Aug 2008``"""
    if not signed.name:
        return f"{signed.owner_name}: not signed off ({signed.file})"
    role = f", {signed.role}" if signed.role else ""
    date = f", on {_day(signed.date)}" if signed.date else ", with no date"
    return f"{signed.owner_name}: signed off by {signed.name}{role}{date}"


def _day(text: str) -> str:
    """An ISO date as the report writes dates ("12 Aug 2008"); other text as it is."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.day} {day:%b %Y}"


def _notes(grid: Grid, row: int, texts: ReportTexts, catalogue: Catalogue) -> int:
    """Footnotes, and the sources the catalogue explains (iQuanta, MSF...)."""
    grid.text(row, 0, "Notes", "heading")
    row = footnotes(grid, row + 1, texts)
    for name, description in catalogue.organisation.sources.items():
        grid.wide(row, 1, f"{name}: {description}", "note")
        row += 1
    return row


def _inputs(grid: Grid, row: int, run: RunResult) -> int:
    """Fingerprints of every input, so a figure can be traced to the exact file."""
    catalogue = run.catalogue
    owners = {o.key: o.name for o in catalogue.owners}
    grid.text(row, 0, "Inputs (SHA-256)", "heading")
    row += 1
    grid.text(row, 0, "Catalogue", "text")
    grid.text(row, 1, catalogue.path or "catalogue", "text")
    grid.text(row, 2, catalogue.fingerprint, "mono")
    row += 1
    for used in run.files:
        # The month and the file name say whose return it is; the owner's name is for
        # a file not named after its owner (the owner then comes from its _meta sheet).
        label = f"{used.month.label} return" if used.month else "Return"
        path = used.path
        if Path(path).stem != used.owner:
            path += f" ({owners.get(used.owner, used.owner)})"
        grid.text(row, 0, label, "text")
        grid.text(row, 1, path, "text")
        grid.text(row, 2, used.sha256, "mono")
        row += 1
    if not run.files:
        grid.text(row, 1, "No returns were read", "plain")
        row += 1
    return row


def problem_line(run: RunResult) -> str:
    """What the Issues sheet holds: problems by level, and notes (revisions) apart."""
    problems = [p for p in run.problems if p.level != Level.INFO]
    notes = len(run.problems) - len(problems)
    noted = f"{notes} note{'s' if notes != 1 else ''} for information"
    if not problems:
        return f"No problems found; {noted}: see the Issues sheet" if notes else "No problems found"
    levels: dict[str, int] = {}
    for problem in problems:
        levels[str(problem.level)] = levels.get(str(problem.level), 0) + 1
    detail = ", ".join(f"{n} {level}{'s' if n != 1 else ''}" for level, n in levels.items())
    found = f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found"
    return f"{found} ({detail}){f' and {noted}' if notes else ''}: see the Issues sheet"
