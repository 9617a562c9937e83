"""The pack's type sizes and cell formats, in one place.

The board reads the pack on paper or a screen at A4: body text at 9 points, the notes
and commentary under a title and the footnotes at 8, nothing under 7. Every size here is
what prints (the pack prints at 100%, its columns chosen to fit the page). The fonts asked for are
Calibri (the workbook's default: LibreOffice prints it in Carlito, its metric-compatible
free twin, where Calibri is missing) and, for symbols Calibri lacks, DejaVu Sans.
"""

from __future__ import annotations

from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

from ..model import Status
from ..workbook import StatusLook

TITLE_SIZE = 12.0
BODY_SIZE = 9.0  # the table's cells, the indicator's title, the board summary's tables
NOTE_SIZE = 8.0  # standing notes, the owner's commentary
FOOTNOTE_SIZE = 8.0  # the footnotes at the top of each page
HEADER_SIZE = 8.5
OBJECTIVE_SIZE = 10.0
MARK_SIZE = 8.0  # the compact marks: direction, SPC, the sparkline
SPARK_SIZE = 8.0

INK = "#000000"
NAVY = "#1F3864"  # headings; 12.6:1 on white
GREY_TEXT = "#404040"  # notes; 10.4:1 on white
HEADER_FILL = "#D9E1F2"
OBJECTIVE_FILL = "#EDF1F9"
RULE = "#A6A6A6"

_BORDER: dict[str, Any] = {"border": 1, "border_color": RULE}
_CELL: dict[str, Any] = {"font_size": BODY_SIZE, "text_wrap": True, "valign": "top", **_BORDER}

# Cell formats by name; `size` and `bold` are read back to measure text (see `size_of`).
FORMATS: dict[str, dict[str, Any]] = {
    "page_title": {"bold": True, "font_size": TITLE_SIZE, "font_color": NAVY},
    "period": {"italic": True, "font_size": HEADER_SIZE},
    "section": {"bold": True, "font_size": OBJECTIVE_SIZE + 1, "font_color": NAVY},
    "text": {"font_size": BODY_SIZE, "text_wrap": True, "valign": "top"},
    "note": {
        "font_size": FOOTNOTE_SIZE,
        "text_wrap": True,
        "valign": "top",
        "font_color": GREY_TEXT,
    },
    "legend_row": {"font_size": HEADER_SIZE, "text_wrap": True, "valign": "vcenter"},
    "header": {
        **_CELL,
        "font_size": HEADER_SIZE,
        "bold": True,
        "align": "center",
        "valign": "vcenter",
        "bg_color": HEADER_FILL,
    },
    "objective": {
        **_CELL,
        "font_size": OBJECTIVE_SIZE,
        "bold": True,
        "valign": "vcenter",
        "font_color": NAVY,
        "bg_color": OBJECTIVE_FILL,
    },
    "id": {**_CELL, "align": "center"},
    "cell": {**_CELL},
    "centre": {**_CELL, "align": "center"},
    "indicator": {**_CELL},
    "indicator_title": {**_CELL, "bold": True},  # a title with no notes under it
    "narrative": {**_CELL, "font_size": BODY_SIZE - 0.5},
    "mark": {**_CELL, "font_size": MARK_SIZE, "align": "center"},
    "spark": {
        **_CELL,
        "font_size": SPARK_SIZE,
        "font_name": "DejaVu Sans",
        "text_wrap": False,
        "align": "center",
        "valign": "vcenter",
    },
    "explanation": {**_CELL, "font_size": NOTE_SIZE + 0.5},
    "count": {**_CELL, "align": "center", "valign": "vcenter"},
}
# Runs of the indicator cell's rich text: the title, its notes, the owner's words.
RICH: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": BODY_SIZE},
    "notes": {"italic": True, "font_size": NOTE_SIZE, "font_color": GREY_TEXT},
    "comment_label": {"bold": True, "font_size": NOTE_SIZE, "font_color": NAVY},
    "comment": {"font_size": NOTE_SIZE, "font_color": NAVY},
    "no_comment": {"bold": True, "italic": True, "font_size": NOTE_SIZE, "font_color": "#C00000"},
    "reading": {"italic": True, "font_size": NOTE_SIZE, "font_color": INK},
    "legend_heading": {"bold": True, "font_size": HEADER_SIZE, "font_color": NAVY},
    "legend": {"font_size": HEADER_SIZE},
}


def size_of(props: dict[str, Any]) -> tuple[float, bool]:
    """A format's font size and weight, as the measuring needs them."""
    return float(props.get("font_size", 11)), bool(props.get("bold", False))


class PackStyles:
    """The pack's formats, made once per workbook, and each status's cell and swatch."""

    def __init__(
        self,
        workbook: xlsxwriter.Workbook,
        looks: dict[Status, StatusLook],
        shown: tuple[Status, ...],
    ) -> None:
        self.looks = looks
        self.shown = shown  # the statuses the legend shows, in its order
        self.fmt: dict[str, Format] = {n: workbook.add_format(p) for n, p in FORMATS.items()}
        self.rich: dict[str, Format] = {n: workbook.add_format(p) for n, p in RICH.items()}
        # A status cell holds the status's label (for copy-paste and screen readers) and
        # shows it as the organisation says: the label, a symbol, or nothing.
        self.status: dict[Status, Format] = {
            s: workbook.add_format(
                {
                    **_CELL,
                    "bold": True,
                    "align": "center",
                    "valign": "vcenter",
                    "pattern": 1,
                    "bg_color": look.fill,
                    "font_color": look.font,
                    **({"num_format": look.number_format} if look.number_format else {}),
                }
            )
            for s, look in looks.items()
        }
        # The same, always showing the label: the board summary's tables and legends.
        self.label: dict[Status, Format] = {
            s: workbook.add_format(
                {
                    **_CELL,
                    "bold": True,
                    "align": "center",
                    "valign": "vcenter",
                    "pattern": 1,
                    "bg_color": look.fill,
                    "font_color": look.font,
                }
            )
            for s, look in looks.items()
        }
        self.legend_mark: dict[Status, Format] = {
            s: workbook.add_format({"font_size": BODY_SIZE + 2, "font_color": look.fill})
            for s, look in looks.items()
        }
        self.legend_symbol: dict[Status, Format] = {
            s: workbook.add_format({"font_size": BODY_SIZE + 2, "font_color": look.font})
            for s, look in looks.items()
        }

    def __getitem__(self, name: str) -> Format:
        return self.fmt[name]
