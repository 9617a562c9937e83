"""A pack sheet written cell by cell, each row given the height its text needs as the
page prints it (see `measure`), so that the pages can be made up before printing."""

from __future__ import annotations

from typing import Any, NamedTuple

from xlsxwriter.worksheet import Worksheet

from ..model import Status
from ..textfit import cut_to_fit
from ..workbook.celltext import OVERFLOW_MARK, cell_text
from ..workbook.layout import MAX_ROW_HEIGHT, fit_runs
from .measure import ROW_PADDING, column_points, line_height, text_height
from .styles import FORMATS, RICH, PackStyles, size_of

MIN_ROW = 12.0  # points: the shortest row the pack prints


class Cell(NamedTuple):
    """One cell of a row, as data: written once its row is known, measured before."""

    col: int
    style: str
    text: str = ""
    span: int = 1
    runs: tuple[tuple[str, str], ...] = ()  # rich text: (RICH name, text)
    status: Status | None = None


class PackSheet:
    """A worksheet of the pack, with each row's height kept as it is written."""

    def __init__(self, sheet: Worksheet, styles: PackStyles, widths: tuple[float, ...]) -> None:
        self.sheet, self.styles, self.widths = sheet, styles, widths
        self.points = tuple(column_points(w) for w in widths)
        self.heights: dict[int, float] = {}
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)

    def need(self, row: int, height: float) -> None:
        """Row `row` needs at least `height` points."""
        self.heights[row] = max(self.heights.get(row, MIN_ROW), height)

    def span_points(self, col: int, span: int) -> float:
        return sum(self.points[col : col + span])

    def text(self, row: int, col: int, text: object, style: str, span: int = 1) -> None:
        """`text` as a string in `style`; with `span` > 1, across that many merged columns."""
        fmt, width = self.styles[style], self.span_points(col, span)
        value = _fit_text(cell_text(text), width, FORMATS[style])
        if span > 1:
            self.sheet.merge_range(row, col, row, col + span - 1, "", fmt)
        if value:
            self.sheet.write_string(row, col, value, fmt)
        elif span == 1:
            self.sheet.write_blank(row, col, None, fmt)
        self.need(row, _height(value, width, FORMATS[style]))

    def wide(self, row: int, col: int, text: object, style: str) -> None:
        """Text across the columns from `col` to the last."""
        self.text(row, col, text, style, span=len(self.widths) - col)

    def status(self, row: int, col: int, status: Status, *, as_label: bool = False) -> None:
        """A status cell: its label, shown as the organisation says (or always the label)."""
        look = self.styles.looks[status]
        fmt = (self.styles.label if as_label else self.styles.status)[status]
        self.sheet.write_string(row, col, cell_text(look.label), fmt)
        shown = look.label if as_label or look.show == "label" else look.symbol
        self.need(row, _height(shown, self.points[col], {"font_size": 9, "bold": True}))

    def runs(self, row: int, col: int, runs: list[tuple[str, str]], style: str) -> None:
        """Rich text in runs of (RICH name, text), each on a line of its own but a
        comment's words, which follow their label."""
        runs = _fit(_clean(runs), self.points[col])
        if len(runs) <= 1:
            alone = "indicator_title" if runs and runs[0][0] == "title" else style
            self.text(row, col, runs[0][1] if runs else "", alone)
            return
        fragments: list[Any] = []
        for i, (name, text) in enumerate(runs):
            fragments += [
                self.styles.rich[name],
                text if i == 0 or _follows(runs, i) else "\n" + text,
            ]
        self.sheet.write_rich_string(row, col, *fragments, self.styles[style])
        self.need(row, _runs_height(_lines(runs), self.points[col]))

    def rich_line(self, row: int, col: int, fragments: list[tuple[Any, str]], style: str) -> None:
        """A line of differently formatted fragments across the sheet from `col`."""
        span = len(self.widths) - col
        self.sheet.merge_range(row, col, row, col + span - 1, "", self.styles[style])
        flat = [item for fmt, text in fragments for item in (fmt, text)]
        self.sheet.write_rich_string(row, col, *flat, self.styles[style])
        text = "".join(t for _, t in fragments)
        self.need(row, _height(text, self.span_points(col, span), FORMATS[style]))

    def put(self, row: int, cell: Cell) -> None:
        """Write `cell` in row `row`."""
        if cell.status is not None:
            self.status(row, cell.col, cell.status)
        elif cell.runs:
            self.runs(row, cell.col, list(cell.runs), cell.style)
        else:
            self.text(row, cell.col, cell.text, cell.style, cell.span)

    def measure(self, cells: list[Cell]) -> float:
        """The height a row of `cells` needs, without writing it."""
        return max((self._cell_height(c) for c in cells), default=MIN_ROW)

    def _cell_height(self, cell: Cell) -> float:
        if cell.status is not None:
            look = self.styles.looks[cell.status]
            shown = look.label if look.show == "label" else look.symbol
            return _height(shown, self.points[cell.col], {"font_size": 9, "bold": True})
        if cell.runs:
            width = self.points[cell.col]
            return _runs_height(_lines(_fit(_clean(cell.runs), width)), width)
        width = self.span_points(cell.col, cell.span)
        props = FORMATS[cell.style]
        return _height(_fit_text(cell_text(cell.text), width, props), width, props)

    def finish(self) -> None:
        for row, height in sorted(self.heights.items()):
            self.sheet.set_row(row, round(min(height, MAX_ROW_HEIGHT), 2))


def _height(text: str, width: float, props: dict[str, Any]) -> float:
    size, bold = size_of(props)
    if props.get("text_wrap"):
        return text_height(text or " ", width, size, bold) + 2 * ROW_PADDING
    lines = text.count("\n") + 1
    return lines * line_height(size, text) + 2 * ROW_PADDING


def _clean(runs: Any) -> list[tuple[str, str]]:
    return [(name, cell_text(text)) for name, text in runs if cell_text(text).strip()]


def _follows(runs: list[tuple[str, str]], i: int) -> bool:
    """Whether run `i` follows the one before on its line: a comment after its label."""
    return runs[i][0] == "comment" and i > 0 and runs[i - 1][0] == "comment_label"


def _lines(runs: list[tuple[str, str]]) -> list[tuple[str, dict[str, Any]]]:
    """The lines the runs print as: each run's text and its format."""
    lines: list[tuple[str, dict[str, Any]]] = []
    for i, (name, text) in enumerate(runs):
        if _follows(runs, i):
            lines[-1] = (lines[-1][0] + text, lines[-1][1])
        else:
            lines.append((text, RICH[name]))
    return lines


def _runs_height(lines: list[tuple[str, dict[str, Any]]], width: float) -> float:
    height = sum(text_height(text, width, *size_of(props)) for text, props in lines)
    return height + 2 * ROW_PADDING


def _fit(runs: list[tuple[str, str]], width: float) -> list[tuple[str, str]]:
    """Runs whose text fits one cell (`fit_runs`, as the master cuts them) and the
    tallest row, one under another in `width` points."""
    return _fit_height(fit_runs(runs), width)


def _fit_height(runs: list[tuple[str, str]], width: float) -> list[tuple[str, str]]:
    room = MAX_ROW_HEIGHT - 2 * ROW_PADDING
    out: list[tuple[str, str]] = []
    for i, (name, text) in enumerate(runs):
        size, bold = size_of(RICH[name])
        shown = text if i == 0 or _follows(runs, i) else "\n" + text
        height = text_height(shown.lstrip("\n"), width, size, bold)
        if height <= room:
            out.append((name, text))
            room -= height
            continue
        if room >= line_height(size, text):
            out.append((name, _cut_to_height(text, room, width, size, bold)))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + OVERFLOW_MARK)
        break
    return out


def _fit_text(text: str, width: float, props: dict[str, Any]) -> str:
    """Wrapped text cut, saying so, where it would pass the tallest row."""
    if not props.get("text_wrap"):
        return text
    size, bold = size_of(props)
    return _cut_to_height(text, MAX_ROW_HEIGHT - 2 * ROW_PADDING, width, size, bold)


def _cut_to_height(text: str, room: float, width: float, size: float, bold: bool) -> str:
    """`text` if it fits `room` points; else its longest beginning that does with the
    mark saying where the rest is (cut on a space where there is one near)."""
    return cut_to_fit(text, lambda t: text_height(t, width, size, bold) <= room, OVERFLOW_MARK)
