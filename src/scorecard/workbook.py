"""RunResult -> the master workbook: Summary, one sheet per objective, Data and Issues.

Three promises shape this module:

- Every string from the catalogue or a return is written with ``write_string`` (and the
  workbook is opened with ``strings_to_formulas``, ``strings_to_urls`` and
  ``strings_to_numbers`` off besides), so a title such as ``=HYPERLINK(...)`` or a note
  such as ``+44 20 7230 1212`` stays literal text.
- Each objective sheet stands alone: its status colours are conditional formats on the
  status text of its own cells, its legend and footnotes sit under its table, and no
  formula, conditional format, validation or defined name refers to another sheet. A
  board-pack copy of one sheet keeps its look and its rules.
- The same inputs give the same bytes (fixed creation date and author, fixed zip
  timestamps), and the file is written beside its target and moved into place, so a
  failed run leaves the previous output intact.

All formats are defined in one place, `Styles`, built from the catalogue's status table.
"""

from __future__ import annotations

import functools
import math
import re
import textwrap
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from . import rules
from .catalogue import Catalogue, Objective, Organisation
from .display import DisplayError, format_display
from .errors import Level, OutputError
from .gcpause import collector_paused
from .model import RAG_STATUSES, Source, Status
from .output import atomic_output, reason
from .periods import TREND_POINTS, Month, fill_period_words, period_words
from .result import IndicatorResult, RunResult

WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    # Zip members get xlsxwriter's fixed 1980-01-01 timestamp whatever the time zone.
    "in_memory": True,
}

AUTHOR = "scorecard"
SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
DIRECTION_TEXT = {"better": "▲ better", "same": "► same", "worse": "▼ worse"}
YEAR_TO_DATE_TEXT = "year to date"  # no short-term direction: see compile.assess_all
SUMMARY_FILES_ON_PAGE = 12  # more returns than this: the inputs list gets its own page
RESERVED_SHEETS = ("Summary", "Data", "Issues", "History")
MAX_SHEET_NAME = 31
MAX_CELL_TEXT = 32_767
_ILLEGAL_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")

# --- the style table: every colour and format of the workbook ---------------------------


@dataclass(frozen=True)
class StatusLook:
    """How one status reads and looks: its cell text, legend wording and colours."""

    status: Status
    label: str
    legend: str
    fill: str
    font: str


# The report's traffic lights; neutral states (no colour in the report) in greys.
_DEFAULT_LOOKS: dict[Status, tuple[str, str, str, str]] = {
    Status.GREEN: ("GREEN", "On target", "#00B050", "#000000"),
    Status.AMBER: ("AMBER", "Marginally below target", "#FFC000", "#000000"),
    Status.RED: ("RED", "Well below target", "#FF0000", "#FFFFFF"),
    # "Blue background of green traffic light": the green light is the text.
    Status.BLUE: ("BLUE", "", "#0070C0", "#66FF66"),
    Status.NO_TARGET: (
        "No target",
        "No target set for the year: shown, not assessed",
        "#F2F2F2",
        "#595959",
    ),
    Status.BASELINE: (
        "Baseline",
        "Baseline year: this year's figure sets the baseline",
        "#E7E6E6",
        "#404040",
    ),
    Status.NOT_AVAILABLE: (
        "Not available",
        "No figure for the period yet: not assessed",
        "#D9D9D9",
        "#404040",
    ),
    Status.DATA_ISSUE: (
        "Data issue",
        "A figure in a return could not be used: see Issues",
        "#BFBFBF",
        "#000000",
    ),
}
# Legend order as the report has it: the three lights, the blue background, then the rest.
LEGEND_ORDER = (
    Status.GREEN,
    Status.AMBER,
    Status.RED,
    Status.BLUE,
    Status.NO_TARGET,
    Status.BASELINE,
    Status.NOT_AVAILABLE,
    Status.DATA_ISSUE,
)


def status_looks(organisation: Organisation) -> dict[Status, StatusLook]:
    """Each status's look: the catalogue's `organisation.statuses`, else the report's."""
    looks = {}
    for status in Status:
        label, legend, fill, font = _DEFAULT_LOOKS[status]
        if status == Status.BLUE:
            legend = _blue_legend(organisation)
        style = organisation.statuses.get(status)
        if style is not None:
            label, fill, font = style.label or label, style.fill, style.font
            legend = style.legend or legend
        looks[status] = StatusLook(status, label, legend, fill, font)
    return looks


def _blue_legend(organisation: Organisation) -> str:
    bands = getattr(organisation.scheme, "bands", None) or []
    blue = next((b for b in bands if b.status == Status.BLUE), None)
    better = f"{(blue.min_ratio - 1) * 100:g}%" if blue is not None else "10%"
    return f"Blue background of green traffic light: {better} or better than target"


def scheme_statuses(scheme: Any) -> frozenset[Status]:
    """The traffic lights a scheme can give: its rule module says."""
    return rules.statuses(scheme)


def shown_statuses(catalogue: Catalogue, results: list[IndicatorResult]) -> tuple[Status, ...]:
    """The statuses the legend, the status rules and the counts show, in legend order.

    Every traffic light the catalogue's schemes (the organisation's and any indicator's
    own) can give, every neutral state, and anything this run gave besides: an
    organisation whose rule has no BLUE never sees BLUE in its legend.
    """
    schemes = [catalogue.organisation.scheme, *(i.scheme for i in catalogue.indicators)]
    possible = set().union(*(scheme_statuses(s) for s in schemes if s is not None))
    given = {r.status for r in results}
    return tuple(s for s in LEGEND_ORDER if s not in RAG_STATUSES or s in possible or s in given)


_BORDER: dict[str, Any] = {"border": 1, "border_color": "#A6A6A6"}
_CELL: dict[str, Any] = {"font_size": 10, "text_wrap": True, "valign": "vcenter", **_BORDER}
_FORMATS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14},
    "subtitle": {"bold": True, "font_size": 12, "font_color": "#1F3864"},
    "period": {"italic": True, "font_size": 10},
    "heading": {"bold": True, "font_size": 11, "font_color": "#1F3864"},
    "header": {**_CELL, "bold": True, "align": "center", "bg_color": "#D9E1F2"},
    "id": {**_CELL, "align": "center"},
    "indicator": {**_CELL, "valign": "top"},
    "indicator_title": {**_CELL, "valign": "top", "bold": True},
    "centre": {**_CELL, "align": "center"},
    "status": {**_CELL, "bold": True, "align": "center"},
    "trend": {**_CELL, "text_wrap": False, "align": "center", "font_size": 12},
    "better": {**_CELL, "align": "center", "font_color": "#00803C"},
    "same": {**_CELL, "align": "center", "font_color": "#595959"},
    "worse": {**_CELL, "align": "center", "font_color": "#C00000"},
    "explanation": {**_CELL, "font_size": 9},
    "text": {"font_size": 10, "text_wrap": True, "valign": "top"},
    "note": {"font_size": 9, "text_wrap": True, "valign": "top", "font_color": "#404040"},
    "note_plain": {"font_size": 9, "font_color": "#404040"},
    "plain": {"font_size": 10},
    "mono": {"font_size": 9, "font_name": "Courier New", "valign": "top"},
    "count": {**_CELL, "align": "center"},
    "count_total": {**_CELL, "align": "center", "bold": True},
    "row_total": {**_CELL, "bold": True},
    "cell": {**_CELL, "valign": "top"},
    "number": {**_CELL, "valign": "top", "num_format": "#,##0.####"},
    "ratio": {**_CELL, "valign": "top", "num_format": "0.000"},
}
# Fragments of the indicator cell's rich string: the title, and its notes beneath.
_RICH: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 10},
    "notes": {"font_size": 8, "italic": True},
}


class Styles:
    """Every format of the workbook, created once from the table above and the looks."""

    def __init__(
        self,
        workbook: xlsxwriter.Workbook,
        looks: dict[Status, StatusLook],
        shown: tuple[Status, ...] = LEGEND_ORDER,
    ) -> None:
        self.looks = looks
        self.shown = shown  # the statuses in the legend, the rules and the counts
        self.fmt: dict[str, Format] = {n: workbook.add_format(p) for n, p in _FORMATS.items()}
        self.rich: dict[str, Format] = {n: workbook.add_format(p) for n, p in _RICH.items()}
        # A fixed swatch for legends and count headings (not a status cell: no rule needed).
        self.swatch: dict[Status, Format] = {
            s: workbook.add_format(
                {
                    **_CELL,
                    "bold": True,
                    "align": "center",
                    "bg_color": look.fill,
                    "font_color": look.font,
                }
            )
            for s, look in looks.items()
        }
        # The conditional formats that colour a status cell by its text.
        self.rule: dict[Status, Format] = {
            s: workbook.add_format(
                {"bg_color": look.fill, "font_color": look.font, "bold": True, "pattern": 1}
            )
            for s, look in looks.items()
        }

    def __getitem__(self, name: str) -> Format:
        return self.fmt[name]


# --- row heights -------------------------------------------------------------------------
# Neither Excel nor LibreOffice fits a row to wrapped text reliably when it opens a file,
# so each row is given the height its tallest cell needs, estimated generously from the
# text, the column's width and the font size (a little spare room beats a clipped note).


@functools.lru_cache(maxsize=8192)  # a master repeats its words: statuses, units, "n/a"
def _text_lines(text: str, width: float, size: float, bold: bool = False) -> int:
    """Lines `text` takes when wrapped in a column `width` characters wide."""
    # Calibrated on LibreOffice's DejaVu Sans, wider than Excel's Calibri: safe for both.
    per_line = max(4, int(width * 11 / size * (1.0 if bold else 1.1)))
    lines = 0
    for part in text.split("\n"):
        if len(part) <= per_line and "\t" not in part:
            lines += 1  # what wrap() would say, without wrapping: most cells are short
        else:
            lines += max(1, len(textwrap.wrap(part, per_line, break_on_hyphens=False)))
    return lines


def _line_height(size: float) -> float:
    return size * 1.3


class _Grid:
    """A worksheet written cell by cell, keeping the height each row needs."""

    def __init__(self, sheet: Worksheet, styles: Styles, widths: tuple[float, ...]) -> None:
        self.sheet, self.styles, self.widths = sheet, styles, widths
        self.heights: dict[int, float] = {}
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)

    def _need(self, row: int, height: float) -> None:
        self.heights[row] = max(self.heights.get(row, 0.0), height)

    def _lines(self, text: str, width: float, props: dict[str, Any]) -> float:
        size = props.get("font_size", 11)
        if props.get("text_wrap") and width:
            lines = _text_lines(text, width, size, props.get("bold", False))
        else:
            lines = text.count("\n") + 1
        return lines * _line_height(size)

    def text(self, row: int, col: int, text: object, style: str, span: int = 1) -> None:
        """Write `text` as a string; with `span` > 1, across that many merged columns."""
        value, fmt = _s(text), self.styles[style]
        if span > 1:
            self.sheet.merge_range(row, col, row, col + span - 1, "", fmt)
        if value:
            self.sheet.write_string(row, col, value, fmt)
        elif span == 1:
            self.sheet.write_blank(row, col, None, fmt)
        width = sum(self.widths[col : col + span])
        self._need(row, self._lines(value, width, _FORMATS[style]) + 4)

    def wide(self, row: int, col: int, text: object, style: str) -> None:
        """Text across the columns from `col` to the last: a legend line or a footnote."""
        self.text(row, col, text, style, span=len(self.widths) - col)

    def swatch(self, row: int, col: int, status: Status) -> None:
        self.sheet.write_string(
            row, col, _s(self.styles.looks[status].label), self.styles.swatch[status]
        )
        self._need(row, _line_height(_CELL["font_size"]) + 4)

    def number(self, row: int, col: int, value: float | None, style: str) -> None:
        if value is not None and math.isfinite(value):
            self.sheet.write_number(row, col, value, self.styles[style])
        else:
            self.sheet.write_blank(row, col, None, self.styles[style])

    def title_and_notes(self, row: int, col: int, title: object, notes: object) -> None:
        """The title in bold with its notes beneath in smaller type, in one cell."""
        title, notes = _s(title), _s(notes).strip()
        if not (title and notes):
            self.text(row, col, title or notes, "indicator_title" if title else "indicator")
            return
        self.sheet.write_rich_string(
            row,
            col,
            self.styles.rich["title"],
            title,
            self.styles.rich["notes"],
            "\n" + notes,
            self.styles["indicator"],
        )
        width = self.widths[col]
        height = sum(
            _text_lines(text, width, props["font_size"], props.get("bold", False))
            * _line_height(props["font_size"])
            for text, props in ((title, _RICH["title"]), (notes, _RICH["notes"]))
        )
        self._need(row, height + 4)

    def finish(self) -> None:
        for row, height in sorted(self.heights.items()):
            self.sheet.set_row(row, round(max(height, 15.0), 2))


# --- writing safely ----------------------------------------------------------------------


def _s(text: object) -> str:
    """Text fit for a cell: lone surrogates replaced, at most Excel's 32,767 characters."""
    value = str(text)
    if not value.isascii() and _SURROGATE_RE.search(value):
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value[:MAX_CELL_TEXT]


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def write_workbook(run: RunResult, path: Path) -> Path:
    """Write the master workbook for `run` to `path` (atomically); return `path`."""
    path = Path(path)
    with atomic_output(path) as tmp, collector_paused():
        workbook = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        try:
            _build(workbook, run)
        except BaseException:
            workbook.fileclosed = True  # nothing to save: the temporary file is discarded
            raise
        try:
            workbook.close()
        except XlsxWriterException as exc:
            raise OutputError(f"cannot write {path}: {reason(exc)}") from None
    return path


# --- the workbook ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Texts:
    """The report's wording for this run, with the month and year filled in."""

    organisation: str
    title: str
    period: str
    month_long: str
    headings: tuple[str, ...]
    footnotes: tuple[str, ...]
    legend_note: str
    footer: str


def _fill(template: str, fields: dict[str, Any]) -> str:
    try:
        return format_display(template, fields)
    except DisplayError:
        return template


def _texts(run: RunResult) -> _Texts:
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
    period = _fill(report.period_note, fields)
    step = "quarter" if org.frequency == "quarterly" else "month"
    headings = (
        _fill(report.id_heading, fields),
        _fill(report.indicator_heading, fields),
        _fill(report.target_heading, fields),
        _fill(report.value_heading, fields),
        _fill(report.status_heading, fields),
        f"Trend ({TREND_POINTS[org.frequency]} {step}s)",
        f"Direction: last {step}",
        f"Direction: same {step} last year",
        "Explanation",
    )
    footnotes = tuple(_fill(f, fields) for f in report.footnotes)
    return _Texts(
        organisation=org.name,
        title=_fill(report.title, fields),
        period=period,
        month_long=run.month.long,
        headings=headings,
        footnotes=footnotes,
        legend_note=_fill(report.legend_note, fields),
        footer=_footer(org.name, period),
    )


def _footer(organisation: str, period: str) -> str:
    """Organisation left, period centre, page number right; within Excel's 255 characters."""

    def esc(text: str, limit: int) -> str:
        return _shorten(" ".join(_s(text).split()), limit).replace("&", "&&")

    return f"&L&8{esc(organisation, 80)}&C&8{esc(period, 100)}&R&8Page &P of &N"


def _shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters: whole clauses if they fit, else whole words."""
    if len(text) <= limit:
        return text
    for mark in (". ", "; ", ", "):
        cut = text[:limit].rfind(mark)
        if cut > limit // 3:
            return text[:cut]
    cut = text[: limit - 1].rfind(" ")
    return text[: cut if cut > 0 else limit - 1] + "…"


def _build(workbook: xlsxwriter.Workbook, run: RunResult) -> None:
    org = run.catalogue.organisation
    texts = _texts(run)
    styles = Styles(workbook, status_looks(org), shown_statuses(run.catalogue, run.results))
    workbook.set_properties(
        {
            "title": _s(f"{texts.title}: {texts.month_long}"),
            "subject": _s(texts.period),
            "author": AUTHOR,
            "company": _s(org.name),
            "created": _created(run.month),
        }
    )
    names = sheet_names(run.catalogue.objectives)
    _summary_sheet(workbook.add_worksheet("Summary"), run, texts, styles)
    for objective in run.catalogue.objectives:
        results = [r for r in run.results if r.indicator.objective == objective.key]
        sheet = workbook.add_worksheet(names[objective.key])
        _objective_sheet(sheet, run, objective, results, texts, styles)
    _data_sheet(workbook.add_worksheet("Data"), run, texts, styles)
    _issues_sheet(workbook.add_worksheet("Issues"), run, texts, styles)


def _created(month: Month) -> datetime:
    """The workbook's fixed creation date: the first of the month after the report month."""
    after = month + 1
    return datetime(after.year, after.month, 1)


def sheet_names(objectives: list[Objective]) -> dict[str, str]:
    """A legal, unique sheet name for each objective, from its sheet_name or its title."""
    used = {name.casefold() for name in RESERVED_SHEETS}
    names: dict[str, str] = {}
    for number, objective in enumerate(objectives, 1):
        base = _legal_name(objective.sheet_name or objective.title) or f"Objective {number}"
        name, copy = base, 2
        while name.casefold() in used:
            suffix = f" ({copy})"
            name = _legal_name(base, MAX_SHEET_NAME - len(suffix)) + suffix
            copy += 1
        used.add(name.casefold())
        names[objective.key] = name
    return names


def _legal_name(text: str, limit: int = MAX_SHEET_NAME) -> str:
    """Illegal characters dropped, cut at a word boundary to `limit` characters."""
    name = " ".join(_ILLEGAL_SHEET_CHARS.sub(" ", _s(text)).split())
    if len(name) > limit:
        cut = name[:limit]
        if name[limit] != " " and " " in cut:
            cut = cut[: cut.rfind(" ")]
        name = cut
    return name.strip(" '.,;:-&")


def _page_setup(grid: _Grid, texts: _Texts, header_row: int | None, pages_tall: int = 0) -> None:
    sheet = grid.sheet
    grid.finish()
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, pages_tall)  # one page wide; 0: as many tall as needed
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.center_horizontally()
    sheet.set_footer(texts.footer)
    if header_row is not None:
        # repeat_rows makes a sheet-local defined name, _xlnm.Print_Titles, that refers
        # only to this sheet's own header row: a copied sheet takes it along intact.
        sheet.repeat_rows(header_row)
        sheet.freeze_panes(header_row + 1, 0)


def _legend(grid: _Grid, row: int, texts: _Texts) -> int:
    """The legend as the report has it, with coloured swatches; return the next free row."""
    grid.text(row, 0, texts.headings[_STATUS_COL], "heading")
    row += 1
    for status in grid.styles.shown:
        grid.swatch(row, 0, status)
        grid.wide(row, 1, grid.styles.looks[status].legend, "text")
        row += 1
    if texts.legend_note and texts.legend_note not in {
        look.legend for look in grid.styles.looks.values()
    }:
        grid.wide(row, 1, texts.legend_note, "note")
        row += 1
    return row


def _footnotes(grid: _Grid, row: int, texts: _Texts) -> int:
    for note in (texts.period, *texts.footnotes):
        if note:
            grid.wide(row, 1, note, "note")
            row += 1
    return row


# --- Summary -----------------------------------------------------------------------------


def _summary_sheet(sheet: Worksheet, run: RunResult, texts: _Texts, styles: Styles) -> None:
    catalogue = run.catalogue
    owners = {o.key: o.name for o in catalogue.owners}
    statuses = [s for s in Status if s in styles.shown]  # the report's order: BLUE first
    total_col = 2 + len(statuses)
    grid = _Grid(sheet, styles, (16, 58, *(11,) * len(statuses), 9))
    grid.text(0, 0, texts.organisation, "title")
    grid.text(1, 0, f"{texts.title}: {texts.month_long}", "subtitle")
    grid.text(2, 0, texts.period, "period")
    row = _legend(grid, 4, texts) + 1

    # Counts of each status per objective.
    grid.text(row, 0, "Assessments by objective", "heading")
    row += 1
    grid.text(row, 1, "Objective", "header")
    for i, status in enumerate(statuses):
        grid.swatch(row, 2 + i, status)
    grid.text(row, total_col, "Total", "header")
    row += 1
    table = run.counts_by_objective()
    for objective in catalogue.objectives:
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
    row += 2

    # Returns still to chase, and problems.
    grid.text(row, 0, "Returns", "heading")
    row += 1
    for item in run.chase:
        grid.wide(row, 1, item.describe(), "text")
        row += 1
    if not run.chase:
        grid.wide(row, 1, "All returns received", "text")
        row += 1
    grid.wide(row, 1, _problem_line(run), "text")
    row += 2

    # Footnotes, and the sources the catalogue explains (iQuanta, MSF...).
    grid.text(row, 0, "Notes", "heading")
    row = _footnotes(grid, row + 1, texts)
    for name, description in catalogue.organisation.sources.items():
        grid.wide(row, 1, f"{name}: {description}", "note")
        row += 1
    row += 1

    # Fingerprints of every input, so a figure can be traced to the exact file. A long
    # list (a quarterly organisation's two years of returns) starts a page of its own, so
    # the summary above still prints at a readable size.
    long_list = len(run.files) > SUMMARY_FILES_ON_PAGE
    if long_list:
        sheet.set_h_pagebreaks([row])
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
    grid.text(row + 1, 0, f"Compiled by {AUTHOR} for {texts.month_long}.", "note_plain")
    _page_setup(grid, texts, header_row=None, pages_tall=0 if long_list else 1)


def _problem_line(run: RunResult) -> str:
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


# --- one sheet per objective -------------------------------------------------------------

_OBJECTIVE_WIDTHS = (13, 48, 15, 22, 14, 15, 11, 11, 38)
_HEADER_ROW = 3
_STATUS_COL = 4


def _objective_sheet(
    sheet: Worksheet,
    run: RunResult,
    objective: Objective,
    results: list[IndicatorResult],
    texts: _Texts,
    styles: Styles,
) -> None:
    grid = _Grid(sheet, styles, _OBJECTIVE_WIDTHS)
    grid.text(0, 0, f"{texts.organisation}: {texts.title}", "title")
    grid.text(1, 0, objective.title, "subtitle")
    grid.text(2, 0, texts.period, "period")
    for col, heading in enumerate(texts.headings):
        grid.text(_HEADER_ROW, col, heading, "header")
    row = _HEADER_ROW + 1
    for result in results:
        _indicator_row(grid, row, result, run)
        row += 1
    if results:
        _status_rules(sheet, _HEADER_ROW + 1, row - 1, styles)
    else:
        grid.text(row, 1, "No indicators under this objective", "cell")
        row += 1
    row = _legend(grid, row + 1, texts)
    row = _footnotes(grid, row + 1, texts)
    grid.wide(
        row,
        1,
        f"Compiled by {AUTHOR} for {texts.month_long}; catalogue SHA-256 "
        f"{run.catalogue.fingerprint[:16]}; inputs listed on the Summary sheet.",
        "note",
    )
    _page_setup(grid, texts, header_row=_HEADER_ROW)


def _indicator_row(grid: _Grid, row: int, result: IndicatorResult, run: RunResult) -> None:
    indicator = result.indicator
    year = run.year
    org = run.catalogue.organisation
    end = indicator.period.end_for(run.month, org.financial_year_start)
    words = period_words(end, org.financial_year_start)
    grid.text(row, 0, indicator.label, "id")
    grid.title_and_notes(row, 1, indicator.title, fill_period_words(indicator.notes, words))
    grid.text(row, 2, result.target, "centre")
    grid.text(row, 3, result.reading.text, "centre")
    # The status cell carries only text; its colour comes from the conditional formats.
    grid.text(row, 4, grid.styles.looks[result.status].label, "status")
    grid.text(row, 5, sparkline(result.reading.trend), "trend")
    short, long = result.direction, result.direction_long
    if short is None and result.indicator.is_year_to_date(year) and long is not None:
        grid.text(row, 6, YEAR_TO_DATE_TEXT, "same")
    else:
        _direction(grid, row, 6, short)
    _direction(grid, row, 7, long)
    grid.text(row, 8, explanation(result, grid.styles.looks), "explanation")


_STATUS_WORD = re.compile(r"\b(?:BLUE|GREEN|AMBER|RED)\b")


def explanation(result: IndicatorResult, looks: dict[Status, StatusLook]) -> str:
    """The assessment's explanation in the organisation's words: a traffic light it
    names ("GREEN") reads as the status cell beside it does ("On track")."""
    text = result.assessment.explanation
    return _STATUS_WORD.sub(lambda found: looks[Status(found.group(0))].label, text)


def _direction(grid: _Grid, row: int, col: int, direction: str | None) -> None:
    shown = direction if direction in DIRECTION_TEXT else None
    grid.text(row, col, DIRECTION_TEXT[shown] if shown else "", shown or "centre")


def _status_rules(sheet: Worksheet, first: int, last: int, styles: Styles) -> None:
    """Colour the status column by its text, on this sheet's own cells only."""
    for status in styles.shown:
        label = styles.looks[status].label.replace('"', '""')
        sheet.conditional_format(
            first,
            _STATUS_COL,
            last,
            _STATUS_COL,
            {
                "type": "cell",
                "criteria": "==",
                "value": f'"{label}"',
                "format": styles.rule[status],
            },
        )


def sparkline(trend: tuple[tuple[Month, float | None], ...]) -> str:
    """The trend as block characters, lowest to highest; a space for a missing month."""
    values = [v for _, v in trend if v is not None and math.isfinite(v)]
    if not values:
        return ""
    low, high = min(values), max(values)
    marks = []
    for _, value in trend:
        if value is None or not math.isfinite(value):
            marks.append(" ")
        elif high == low:
            marks.append(SPARK_BLOCKS[3])
        else:
            step = round((value - low) / (high - low) * (len(SPARK_BLOCKS) - 1))
            marks.append(SPARK_BLOCKS[step])
    return "".join(marks)


# --- Data and Issues ---------------------------------------------------------------------

_DATA_COLUMNS = (
    ("Key", 16),
    ("Label", 13),
    ("Indicator", 40),
    ("Objective", 30),
    ("Owner", 20),
    ("Target", 16),
    ("Value", 22),
    ("Numeric value", 13),
    ("Numeric target", 13),
    ("Ratio", 8),
    ("Status", 14),
    ("Period", 18),
    ("Direction", 10),
    ("Direction long term", 10),
    ("Explanation", 50),
    ("Sources", 50),
)
_ISSUE_COLUMNS = (
    ("Level", 9),
    ("Code", 22),
    ("File", 36),
    ("Line", 6),
    ("Sheet", 12),
    ("Cell", 7),
    ("Key", 16),
    ("Month", 9),
    ("Message", 70),
)


def _table(grid: _Grid, name: str, rows: int, columns: tuple[tuple[str, int], ...]) -> None:
    """An Excel table with filters over the header row and `rows` rows beneath it."""
    grid.sheet.add_table(
        0,
        0,
        max(rows, 1),
        len(columns) - 1,
        {
            "name": name,
            "autofilter": True,
            "style": "Table Style Light 9",
            "columns": [
                {"header": header, "header_format": grid.styles["header"]} for header, _ in columns
            ],
        },
    )
    for col, (header, _) in enumerate(columns):
        grid.text(0, col, header, "header")


def _data_sheet(sheet: Worksheet, run: RunResult, texts: _Texts, styles: Styles) -> None:
    catalogue = run.catalogue
    objectives = {o.key: o.title for o in catalogue.objectives}
    owners = {o.key: o.name for o in catalogue.owners}
    grid = _Grid(sheet, styles, tuple(width for _, width in _DATA_COLUMNS))
    _table(grid, "Indicators", len(run.results), _DATA_COLUMNS)
    for row, result in enumerate(run.results, 1):
        indicator, reading = result.indicator, result.reading
        short, long = result.direction, result.direction_long
        strings = {
            0: indicator.key,
            1: indicator.label,
            2: indicator.title,
            3: objectives.get(indicator.objective, indicator.objective),
            4: owners.get(indicator.owner, indicator.owner),
            5: result.target,
            6: reading.text,
            10: str(result.status),
            11: reading.period,
            12: short or "",
            13: long or "",
            14: result.assessment.explanation,
            15: source_text(reading.sources),
        }
        for col, text in strings.items():
            grid.text(row, col, text, "cell")
        grid.number(row, 7, reading.value if reading.available else None, "number")
        grid.number(row, 8, result.assessment.target_value, "number")
        grid.number(row, 9, result.assessment.ratio, "ratio")
    _page_setup(grid, texts, header_row=0)


_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def source_text(sources: tuple[Source, ...]) -> str:
    """Sources grouped by file and sheet, runs of cells down a column as ranges.

    ``a.xlsx: Return!G5:G28, F12; b.xlsx: Return!G9``
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for source in sources:
        groups.setdefault((source.file, source.sheet), []).append(source.cell)
    return "; ".join(
        f"{file}: {sheet}!{', '.join(_cell_runs(cells))}" for (file, sheet), cells in groups.items()
    )


def _cell_runs(cells: list[str]) -> list[str]:
    runs: list[list[Any]] = []  # [column, first row, last row] or [cell]
    for cell in cells:
        match = _CELL_REF.match(cell)
        if match is None:
            runs.append([cell])
            continue
        column, number = match.group(1), int(match.group(2))
        last = runs[-1] if runs else None
        if last is not None and len(last) == 3 and last[0] == column and last[2] + 1 == number:
            last[2] = number
        else:
            runs.append([column, number, number])
    return [
        run[0]
        if len(run) == 1
        else f"{run[0]}{run[1]}"
        if run[1] == run[2]
        else f"{run[0]}{run[1]}:{run[0]}{run[2]}"
        for run in runs
    ]


def _issues_sheet(sheet: Worksheet, run: RunResult, texts: _Texts, styles: Styles) -> None:
    grid = _Grid(sheet, styles, tuple(width for _, width in _ISSUE_COLUMNS))
    if not run.problems:
        grid.text(0, 0, "No problems found", "heading")
        _page_setup(grid, texts, header_row=None)
        return
    _table(grid, "Problems", len(run.problems), _ISSUE_COLUMNS)
    for row, problem in enumerate(run.problems, 1):
        values = (
            str(problem.level),
            problem.code,
            problem.file,
            problem.line,
            problem.sheet,
            problem.cell,
            problem.key,
            problem.month,
            problem.message,
        )
        for col, value in enumerate(values):
            if isinstance(value, int):
                grid.number(row, col, value, "cell")
            else:
                grid.text(row, col, value or "", "cell")
    _page_setup(grid, texts, header_row=0)
