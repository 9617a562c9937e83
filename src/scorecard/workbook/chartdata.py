"""The hidden "SPC data" sheet the charts read their figures from, as values.

One row per month, the months written once in column A and shared by every XmR chart
(its categories are those rows of column A); each chart a block of columns: the value,
the centre line, the limits, the target and the marked points. A constant line (a
segment's centre and limits, the target) is written at its two ends only: the chart
draws across the blanks between. A chart of events (T or G) has a point per gap between
events, not per month, so its block carries its own column of labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.worksheet import Worksheet

from ..result import IndicatorResult
from ..spc import PointType, SpcResult
from .celltext import cell_text
from .chartscale import Scale, scale_of

FIRST_ROW = 2  # under a row of block titles and a row of column headers
COLUMNS = ("Value", "Mean", "Lower limit", "Upper limit", "Target")
# The marked points: a column each, by point type.
MARKED: tuple[tuple[str, tuple[PointType, ...]], ...] = (
    ("Improvement", (PointType.IMPROVEMENT,)),
    ("Concern", (PointType.CONCERN,)),
    ("Neutral", (PointType.NEUTRAL_HIGH, PointType.NEUTRAL_LOW)),
)
VALUE, CENTRE, LOWER, UPPER, TARGET_COLUMN = range(5)
FIRST_MARK = len(COLUMNS)


@dataclass(frozen=True)
class Block:
    """Where one chart's figures are: its rows, its first column, its labels' column."""

    first: int
    last: int
    col: int  # the value's column; the others follow it (COLUMNS, then MARKED)
    categories: int
    labels: list[str]  # the categories' labels, first row to last


class ChartData:
    """Writes each chart's block beside the last, the months once."""

    def __init__(self, sheet: Worksheet, results: list[IndicatorResult]) -> None:
        self.sheet = sheet
        months = sorted(
            {p.month for r in results if r.spc and r.spc.kind == "xmr" for p in r.spc.points}
        )
        self.row_of = {month: FIRST_ROW + i for i, month in enumerate(months)}
        self.labels = [month.label for month in months]
        sheet.write_string(FIRST_ROW - 1, 0, "Month")
        for month, row in self.row_of.items():
            sheet.write_string(row, 0, month.label)
        self.next_col = 1

    def add(self, result: IndicatorResult) -> Block:
        """One chart's block, in the axis's scale; where it is."""
        chart = result.spc
        assert chart is not None
        start = self.next_col
        if chart.kind == "xmr":
            rows = [self.row_of[p.month] for p in chart.points]
            categories, col = 0, start
        else:
            rows = [FIRST_ROW + i for i in range(len(chart.points))]
            categories, col = start, start + 1
            self.sheet.write_string(FIRST_ROW - 1, categories, "Event month")
            for row, point in zip(rows, chart.points, strict=True):
                self.sheet.write_string(row, categories, point.month.label)
        self.next_col = col + len(COLUMNS) + len(MARKED)
        ind = result.indicator
        self.sheet.write_string(0, start, cell_text(f"{ind.label} ({ind.key})"))
        headers = (*COLUMNS, *(name for name, _ in MARKED))
        for offset, header in enumerate(headers):
            self.sheet.write_string(FIRST_ROW - 1, col + offset, header)
        self._figures(chart, rows, col, scale_of(ind, chart))
        labels = (
            [self.labels[row - FIRST_ROW] for row in range(rows[0], rows[-1] + 1)]
            if categories == 0
            else [p.month.label for p in chart.points]
        )
        return Block(rows[0], rows[-1], col, categories, labels)

    def _figures(self, chart: SpcResult, rows: list[int], col: int, scale: Scale) -> None:
        write = self.sheet.write_number
        div, floor = scale.divisor, scale.floor_at_zero
        ends = segment_ends(chart)
        last = len(chart.points) - 1
        for i, (row, point) in enumerate(zip(rows, chart.points, strict=True)):
            write(row, col + VALUE, point.value / div)
            if i in ends:
                lower = max(point.lower, 0.0) if floor else point.lower
                write(row, col + CENTRE, point.mean / div)
                write(row, col + LOWER, lower / div)
                write(row, col + UPPER, point.upper / div)
            if chart.target is not None and i in (0, last):
                write(row, col + TARGET_COLUMN, chart.target / div)
            for offset, (_, types) in enumerate(MARKED, FIRST_MARK):
                if point.type in types:
                    write(row, col + offset, point.value / div)


def segment_ends(chart: SpcResult) -> set[int]:
    """The indexes of each segment's first and last point."""
    ends: set[int] = set()
    start = 0
    for segment in chart.segments:
        ends.update((start, start + segment.points - 1))
        start += segment.points
    return ends
