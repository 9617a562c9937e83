"""How a sheet is laid out: cells written with the height their rows need, the page set
up for print, the legend and footnotes under a table, Excel tables, and sheet names."""

from __future__ import annotations

import functools
import math
import re
import textwrap
import unicodedata
from typing import Any, NamedTuple

from xlsxwriter.worksheet import Worksheet

from ..catalogue import Objective
from ..form import MAX_CELL_TEXT
from ..model import RAG_STATUSES, Status
from ..textfit import cut_to_fit, cut_to_units
from .celltext import CUT_MARK, cell_text, text_units
from .styles import CELL, FORMATS, RICH, Styles
from .texts import ReportTexts

RESERVED_SHEETS = ("Summary", "Data", "Issues", "History", "Changes", "Charts", "SPC data")
MAX_SHEET_NAME = 31
_ILLEGAL_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")

# --- row heights -------------------------------------------------------------------------
# Neither Excel nor LibreOffice fits a row to wrapped text reliably when it opens a file,
# so each row is given the height its tallest cell needs, estimated generously from the
# text, the column's width and the font size (a little spare room beats a clipped note).


# The tallest row Excel and LibreOffice allow, in points: what a row cannot show in it is
# cut, with a mark, where the sheet says where the rest is (`Grid.cut_mark`).
MAX_ROW_HEIGHT = 409.0


@functools.lru_cache(maxsize=8192)  # a master repeats its words: statuses, units, "n/a"
def text_lines(text: str, width: float, size: float, bold: bool = False) -> int:
    """Lines `text` takes when wrapped in a column `width` characters wide."""
    # Calibrated on LibreOffice's DejaVu Sans, wider than Excel's Calibri: safe for both.
    per_line = max(4, int(width * 11 / size * (1.0 if bold else 1.1)))
    lines = 0
    for part in text.split("\n"):
        if not part.isascii() and (columns := text_columns(part)) > len(part):
            # wide glyphs (CJK) take two columns each, and wrap between any two of them
            lines += max(1, math.ceil(columns * 1.1 / per_line))
        elif len(part) <= per_line and "\t" not in part:
            lines += 1  # what wrap() would say, without wrapping: most cells are short
        else:
            lines += max(1, len(textwrap.wrap(part, per_line, break_on_hyphens=False)))
    return lines


def text_columns(text: str) -> int:
    """The width of `text` in columns: two for a wide (East Asian) character, one else."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def fit_height(text: str, room: float, width: float, size: float, bold: bool, mark: str) -> str:
    """`text` if it fits `room` points wrapped in `width` columns; else its beginning, cut
    on a space where there is one, with `mark`, that does."""
    lines = max(1, int(room // line_height(size)))
    return cut_to_fit(text, lambda t: text_lines(t, width, size, bold) <= lines, mark)


def line_height(size: float) -> float:
    """The height, in points, of one line of text in a font of `size` points."""
    return size * 1.3


class Grid:
    """A worksheet written cell by cell, keeping the height each row needs."""

    def __init__(self, sheet: Worksheet, styles: Styles, widths: tuple[float, ...]) -> None:
        self.sheet, self.styles, self.widths = sheet, styles, widths
        self.heights: dict[int, float] = {}
        # Where a sheet says where the rest of a text too tall for its row is: wrapped text
        # is then cut to the tallest row, with this mark; else kept whole, and clipped.
        self.cut_mark: str | None = None
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)

    def need(self, row: int, height: float) -> None:
        """Row `row` needs at least `height` points."""
        self._need(row, height)

    def _need(self, row: int, height: float) -> None:
        self.heights[row] = max(self.heights.get(row, 0.0), height)

    def _lines(self, text: str, width: float, props: dict[str, Any]) -> float:
        size = props.get("font_size", 11)
        if props.get("text_wrap") and width:
            lines = text_lines(text, width, size, props.get("bold", False))
        else:
            lines = text.count("\n") + 1
        return lines * line_height(size)

    def text(self, row: int, col: int, text: object, style: str, span: int = 1) -> None:
        """Write `text` as a string; with `span` > 1, across that many merged columns."""
        value, fmt = cell_text(text), self.styles[style]
        props = FORMATS[style]
        if self.cut_mark and props.get("text_wrap"):
            value = fit_height(
                value,
                MAX_ROW_HEIGHT - 4,
                sum(self.widths[col : col + span]),
                props.get("font_size", 11),
                props.get("bold", False),
                self.cut_mark,
            )
        if span > 1:
            self.sheet.merge_range(row, col, row, col + span - 1, "", fmt)
        if value:
            self.sheet.write_string(row, col, value, fmt)
        elif span == 1:
            self.sheet.write_blank(row, col, None, fmt)
        width = sum(self.widths[col : col + span])
        self._need(row, self._lines(value, width, FORMATS[style]) + 4)

    def wide(self, row: int, col: int, text: object, style: str) -> None:
        """Text across the columns from `col` to the last: a legend line or a footnote."""
        self.text(row, col, text, style, span=len(self.widths) - col)

    def swatch(self, row: int, col: int, status: Status) -> None:
        self.sheet.write_string(
            row, col, cell_text(self.styles.looks[status].label), self.styles.swatch[status]
        )
        self._need(row, line_height(CELL["font_size"]) + 4)

    def number(self, row: int, col: int, value: float | None, style: str) -> None:
        if value is not None and math.isfinite(value):
            self.sheet.write_number(row, col, value, self.styles[style])
        else:
            self.sheet.write_blank(row, col, None, self.styles[style])

    def runs(self, row: int, col: int, runs: list[tuple[str, str]], style: str) -> None:
        """Text in runs of (rich-text style name, text) in one cell, each on a line of its
        own but a comment's words, which follow their label; a lone run is written plainly
        in `style`."""
        runs = fit_runs([(name, t) for name, text in runs if (t := _run_text(name, text))])
        if self.cut_mark:
            runs = _fit_height(runs, self.widths[col], self.cut_mark)
        if len(runs) <= 1:
            self.text(row, col, runs[0][1] if runs else "", style)
            return
        fragments: list[Any] = []
        lines: list[tuple[str, dict[str, Any]]] = []  # each line's text and its first run's type
        for i, (name, text) in enumerate(runs):
            follows_label = name == "comment" and i > 0 and runs[i - 1][0] == "comment_label"
            fragments += [self.styles.rich[name], text if i == 0 or follows_label else "\n" + text]
            if follows_label:
                lines[-1] = (lines[-1][0] + text, lines[-1][1])
            else:
                lines.append((text, RICH[name]))
        self.sheet.write_rich_string(row, col, *fragments, self.styles["indicator"])
        width = self.widths[col]
        height = sum(
            text_lines(text, width, props["font_size"], props.get("bold", False))
            * line_height(props["font_size"])
            for text, props in lines
        )
        self._need(row, height + 4)

    def title_and_notes(self, row: int, col: int, title: object, notes: object) -> None:
        """The title in bold with its notes beneath in smaller type, in one cell."""
        title_text, notes_text = cell_text(title), cell_text(notes).strip()
        if not (title_text and notes_text):
            style = "indicator_title" if title_text else "indicator"
            self.text(row, col, title_text or notes_text, style)
            return
        self.runs(row, col, [("title", title_text), ("notes", notes_text)], "indicator")

    def finish(self) -> None:
        for row, height in sorted(self.heights.items()):
            self.sheet.set_row(row, round(min(max(height, 15.0), MAX_ROW_HEIGHT), 2))


def fit_runs(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Runs whose text, with the line breaks between them, fits one cell: the last ones
    cut (and saying so) where the whole would not."""
    room = MAX_CELL_TEXT - len(runs)  # a line break before each run but the first, or so
    out = []
    for name, text in runs:
        size = text_units(text)
        if size > room:
            out.append((name, cut_to_units(text, max(room, len(CUT_MARK)), CUT_MARK)))
            break
        out.append((name, text))
        room -= size
    return out


def _fit_height(runs: list[tuple[str, str]], width: float, mark: str) -> list[tuple[str, str]]:
    """Runs, one under another, that fit the tallest row: the one that would pass it cut
    (saying where the rest is), those after it left out."""
    room = MAX_ROW_HEIGHT - 4
    out = []
    for name, text in runs:
        props = RICH[name]
        size, bold = props["font_size"], props.get("bold", False)
        height = text_lines(text, width, size, bold) * line_height(size)
        if height <= room:
            out.append((name, text))
            room -= height
            continue
        if room >= line_height(size):
            out.append((name, fit_height(text, room, width, size, bold, mark)))
        elif out:
            last_name, last = out[-1]
            out[-1] = (last_name, last + mark)
        break
    return out


def _run_text(name: str, text: str) -> str:
    """A run's text fit for a cell: notes and words without spaces around them (a title
    as it is; a label keeps the space before the words it names)."""
    return cell_text(text) if name in ("title", "comment_label") else cell_text(text).strip()


# --- print, legend and footnotes ---------------------------------------------------------


def page_setup(
    grid: Grid,
    texts: ReportTexts,
    header_row: int | None,
    pages_tall: int = 0,
    titles_from: int | None = None,
) -> None:
    """Row heights set, A4 landscape one page wide, the footer, and the header row (if
    any; from row `titles_from`, when given) repeated on every page and frozen on screen."""
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
        sheet.repeat_rows(header_row if titles_from is None else titles_from, header_row)
        sheet.freeze_panes(header_row + 1, 0)


def legend(grid: Grid, row: int, texts: ReportTexts) -> int:
    """The legend as the report has it, with coloured swatches; return the next free row."""
    grid.text(row, 0, texts.status_heading, "heading")
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


def top_legend(grid: Grid, row: int, texts: ReportTexts, present: set[Status]) -> None:
    """The legend in one line across the sheet, as the report prints it above each page's
    table: each traffic light's colour (its symbol, where it shows one) and wording, and
    any other status the sheet's rows show by their label."""
    fragments: list[tuple[Any, str]] = [
        (grid.styles.rich["legend_heading"], f"{texts.status_heading}:  ")
    ]
    for status in grid.styles.shown:
        look = grid.styles.looks[status]
        if status not in RAG_STATUSES and (look.show != "label" or status not in present):
            continue
        marks = [(grid.styles.legend_mark[status], "■")]
        if look.show == "symbol":
            marks.append((grid.styles.legend_symbol[status], look.symbol))
        fragments += [*marks, (grid.styles.rich["legend"], f" {look.legend or look.label}     ")]
    text = "".join(t for _, t in fragments)
    grid.sheet.merge_range(row, 0, row, len(grid.widths) - 1, "", grid.styles["legend_row"])
    flat = [item for fmt, t in fragments for item in (fmt, t)]
    grid.sheet.write_rich_string(row, 0, *flat, grid.styles["legend_row"])
    width = sum(grid.widths)
    grid.need(row, text_lines(text, width, 9) * line_height(9) + 4)


def footnotes(grid: Grid, row: int, texts: ReportTexts) -> int:
    """The period note and the catalogue's footnotes; return the next free row."""
    for note in (texts.period, *texts.footnotes):
        if note:
            grid.wide(row, 1, note, "note")
            row += 1
    return row


# --- tables ------------------------------------------------------------------------------


class Column(NamedTuple):
    """One column of an Excel table: its header and its width in characters."""

    header: str
    width: int


def widths(columns: tuple[Column, ...]) -> tuple[float, ...]:
    return tuple(column.width for column in columns)


def add_table(grid: Grid, name: str, rows: int, columns: tuple[Column, ...]) -> None:
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
                {"header": column.header, "header_format": grid.styles["header"]}
                for column in columns
            ],
        },
    )
    for col, column in enumerate(columns):
        grid.text(0, col, column.header, "header")


# --- sheet names -------------------------------------------------------------------------


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
    name = " ".join(_ILLEGAL_SHEET_CHARS.sub(" ", cell_text(text)).split())
    if len(name) > limit:
        cut = name[:limit]
        if name[limit] != " " and " " in cut:
            cut = cut[: cut.rfind(" ")]
        name = cut
    return name.strip(" '.,;:-&")
