"""Every colour and format of the workbook, defined in one place.

The status looks (each status's cell text, legend wording and colours: the catalogue's
`organisation.statuses`, else the July 2008 report's), the legend's order, the statuses
a run shows, the table of cell formats, and `Styles`, which makes them all once per
workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

from .. import rules
from ..catalogue import Catalogue, Organisation
from ..model import RAG_STATUSES, Status
from ..result import IndicatorResult
from .spc import SPC_FORMATS


@dataclass(frozen=True)
class StatusLook:
    """How one status reads and looks: its cell text, legend wording and colours."""

    status: Status
    label: str
    legend: str
    fill: str
    font: str
    show: str = "label"  # what a status cell shows: its label, a symbol, or nothing
    symbol: str = "●"

    @property
    def number_format(self) -> str | None:
        """The format that shows a status cell's text as the organisation says: the
        label as it is, the symbol in its place, or nothing (the text stays in the cell)."""
        if self.show == "symbol":
            return ';;;"' + self.symbol.replace('"', "") + '"'
        if self.show == "none":
            return ";;;"
        return None


# The report's traffic lights; neutral states (no colour in the report) in greys.
_DEFAULT_LOOKS: dict[Status, tuple[str, str, str, str]] = {
    Status.GREEN: ("GREEN", "On target", "#00B050", "#000000"),
    Status.AMBER: ("AMBER", "Marginally below target", "#FFC000", "#000000"),
    Status.RED: ("RED", "Well below target", "#FF0000", "#000000"),  # 5.3:1; white is 4.0
    # "Blue background of green traffic light": a catalogue shows the green light as a
    # symbol (3:1 for a mark); the label, as text, is white (5.1:1; the green is 3.9).
    Status.BLUE: ("BLUE", "", "#0070C0", "#FFFFFF"),
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
        show, symbol = "label", "●"
        if style is not None:
            label, fill, font = style.label or label, style.fill, style.font
            legend = style.legend or legend
            show, symbol = style.show, style.symbol
        looks[status] = StatusLook(status, label, legend, fill, font, show, symbol)
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
CELL: dict[str, Any] = {"font_size": 10, "text_wrap": True, "valign": "vcenter", **_BORDER}
FORMATS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14},
    "subtitle": {"bold": True, "font_size": 12, "font_color": "#1F3864"},
    "period": {"italic": True, "font_size": 10},
    "heading": {"bold": True, "font_size": 11, "font_color": "#1F3864"},
    "header": {**CELL, "bold": True, "align": "center", "bg_color": "#D9E1F2"},
    "id": {**CELL, "align": "center"},
    "indicator": {**CELL, "valign": "top"},
    "indicator_title": {**CELL, "valign": "top", "bold": True},
    "centre": {**CELL, "align": "center"},
    "status": {**CELL, "bold": True, "align": "center"},
    # 13 block characters at 10 points fit the column (at 12 they ran past its borders)
    "trend": {**CELL, "text_wrap": False, "align": "center", "font_size": 10},
    "better": {**CELL, "align": "center", "font_color": "#00803C"},
    "same": {**CELL, "align": "center", "font_color": "#595959"},
    "worse": {**CELL, "align": "center", "font_color": "#C00000"},
    "explanation": {**CELL, "font_size": 9},
    "text": {"font_size": 10, "text_wrap": True, "valign": "top"},
    "note": {"font_size": 9, "text_wrap": True, "valign": "top", "font_color": "#404040"},
    "note_plain": {"font_size": 9, "font_color": "#404040"},
    "plain": {"font_size": 10},
    "mono": {"font_size": 9, "font_name": "Courier New", "valign": "top"},
    "count": {**CELL, "align": "center"},
    "count_total": {**CELL, "align": "center", "bold": True},
    "row_total": {**CELL, "bold": True},
    "cell": {**CELL, "valign": "top"},
    "number": {**CELL, "valign": "top", "num_format": "#,##0.####"},
    "ratio": {**CELL, "valign": "top", "num_format": "0.000"},
    "legend_row": {"font_size": 9, "valign": "vcenter", "text_wrap": True},
    # a text answer laid across the row, as the report lays it
    "narrative": {**CELL, "valign": "top", "align": "left", "font_size": 9},
}
# The Variation and Assurance marks (issue 15): their table is the SPC columns' own.
FORMATS.update(SPC_FORMATS)
# Fragments of the indicator cell's rich string: the title, its standing notes beneath,
# and the owner's commentary for the month.
RICH: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 10},
    "notes": {"font_size": 8, "italic": True},
    # the month's commentary: the owner's words, marked as theirs
    "comment_label": {"font_size": 8, "bold": True, "font_color": "#1F3864"},
    "comment": {"font_size": 8, "font_color": "#1F3864"},
    "no_comment": {"font_size": 8, "bold": True, "italic": True, "font_color": "#C00000"},
    # the legend across the top of an objective sheet
    "legend_heading": {"font_size": 9, "bold": True, "font_color": "#1F3864"},
    "legend": {"font_size": 9},
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
        self.fmt: dict[str, Format] = {n: workbook.add_format(p) for n, p in FORMATS.items()}
        self.rich: dict[str, Format] = {n: workbook.add_format(p) for n, p in RICH.items()}
        # A fixed swatch for legends and count headings (not a status cell: no rule needed).
        # A status shown as a symbol shows it there too; one shown as nothing keeps its
        # label, so the legend still says what the blank means.
        self.swatch: dict[Status, Format] = {
            s: workbook.add_format(
                {
                    **CELL,
                    "bold": True,
                    "align": "center",
                    "bg_color": look.fill,
                    "font_color": look.font,
                    **({"num_format": look.number_format} if look.show == "symbol" else {}),
                }
            )
            for s, look in looks.items()
        }
        # The legend's marks: each light's colour as a square, and its symbol where it has one.
        self.legend_mark: dict[Status, Format] = {
            s: workbook.add_format({"font_size": 12, "font_color": look.fill})
            for s, look in looks.items()
        }
        self.legend_symbol: dict[Status, Format] = {
            s: workbook.add_format({"font_size": 12, "font_color": look.font})
            for s, look in looks.items()
        }
        # The conditional formats that colour a status cell by its text, and show it as
        # the organisation says.
        self.rule: dict[Status, Format] = {
            s: workbook.add_format(
                {
                    "bg_color": look.fill,
                    "font_color": look.font,
                    "bold": True,
                    "pattern": 1,
                    **({"num_format": look.number_format} if look.number_format else {}),
                }
            )
            for s, look in looks.items()
        }

    def __getitem__(self, name: str) -> Format:
        return self.fmt[name]
