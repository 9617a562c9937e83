"""The Variation and Assurance columns of an objective sheet (NHS "Making Data Count").

Each mark is a word with a letter or symbol that reads without colour (a board pack is
often printed in black and white), on the MDC colour: common cause grey, improvement
blue, concern orange, neutral purple; assurance passing blue, failing orange, hit and
miss grey. A row with too few points says "Insufficient data", never an icon.
"""

from __future__ import annotations

from typing import Any

from ..result import IndicatorResult
from ..spc import AssuranceType, SpcResult, SpcState, Variation

SPC_HEADINGS = ("Variation (SPC)", "Assurance (SPC)")
SPC_WIDTHS = (15.0, 15.0)
# Under the footnotes of an objective sheet with the SPC columns.
SPC_NOTE = (
    "Variation and Assurance: statistical process control (NHS Making Data Count) on each "
    "month's own figure: ○ common cause, ▲ H / ▼ L a special cause of improvement, concern "
    "or neutral; P consistently passing, F consistently failing, ~ hit and miss the target. "
    "The Charts sheet has each chart."
)

# MDC's colours, as NHSRplotthedots has them (ptd_spc_colours)
COMMON = "#A6A6A6"
IMPROVEMENT = "#00B0F0"
CONCERN = "#E46C0A"
NEUTRAL = "#490092"
TARGET = "#DE1B1B"

VARIATION_TEXT: dict[Variation, tuple[str, str]] = {
    Variation.COMMON: ("○ Common cause", "spc_common"),
    Variation.IMPROVEMENT_HIGH: ("▲ H Improvement", "spc_improvement"),
    Variation.IMPROVEMENT_LOW: ("▼ L Improvement", "spc_improvement"),
    Variation.CONCERN_HIGH: ("▲ H Concern", "spc_concern"),
    Variation.CONCERN_LOW: ("▼ L Concern", "spc_concern"),
    Variation.NEUTRAL_HIGH: ("▲ H Neutral", "spc_neutral"),
    Variation.NEUTRAL_LOW: ("▼ L Neutral", "spc_neutral"),
}
ASSURANCE_TEXT: dict[AssuranceType, tuple[str, str]] = {
    AssuranceType.PASS: ("P Consistently passing", "spc_pass"),
    AssuranceType.FAIL: ("F Consistently failing", "spc_fail"),
    AssuranceType.HIT_AND_MISS: ("~ Hit and miss", "spc_hit_and_miss"),
}
INSUFFICIENT = "Insufficient data"
NO_VARIATION = "No variation: not an XmR series"  # rare events: the JSON says why

_MARK: dict[str, Any] = {
    "font_size": 9,
    "bold": True,
    "text_wrap": True,
    "align": "center",
    "valign": "vcenter",
    "border": 1,
    "border_color": "#A6A6A6",
    "pattern": 1,
}
# Cell formats, added to the workbook's table of formats (styles.FORMATS).
SPC_FORMATS: dict[str, dict[str, Any]] = {
    "spc_common": {**_MARK, "bg_color": COMMON, "font_color": "#000000"},
    "spc_improvement": {**_MARK, "bg_color": IMPROVEMENT, "font_color": "#000000"},
    "spc_concern": {**_MARK, "bg_color": CONCERN, "font_color": "#000000"},
    "spc_neutral": {**_MARK, "bg_color": NEUTRAL, "font_color": "#FFFFFF"},
    "spc_pass": {**_MARK, "bg_color": IMPROVEMENT, "font_color": "#000000"},
    "spc_fail": {**_MARK, "bg_color": CONCERN, "font_color": "#000000"},
    "spc_hit_and_miss": {**_MARK, "bg_color": COMMON, "font_color": "#000000"},
    # no mark: the reason, small and plain
    "spc_none": {
        "font_size": 8,
        "italic": True,
        "text_wrap": True,
        "align": "center",
        "valign": "vcenter",
        "border": 1,
        "border_color": "#A6A6A6",
        "font_color": "#595959",
    },
}


def variation_cell(chart: SpcResult | None) -> tuple[str, str]:
    """The Variation cell's text and format name."""
    if chart is None or chart.state is SpcState.NO_SERIES:
        return ("Not charted" if chart is not None else "", "spc_none")
    if chart.state is SpcState.NO_VARIATION:
        return (NO_VARIATION, "spc_none")
    if chart.events is not None and chart.state is SpcState.INSUFFICIENT:
        return (f"{INSUFFICIENT} ({chart.events} events)", "spc_none")
    if chart.state is SpcState.INSUFFICIENT or chart.variation is None:
        return (f"{INSUFFICIENT} ({len(chart.points)} points)", "spc_none")
    return VARIATION_TEXT[chart.variation]


def assurance_cell(chart: SpcResult | None) -> tuple[str, str]:
    """The Assurance cell's text and format name: the mark, or why there is none."""
    if chart is None or chart.state is SpcState.NO_SERIES:
        return ("", "spc_none")
    if chart.state is SpcState.INSUFFICIENT:
        return (INSUFFICIENT, "spc_none")
    if chart.state is SpcState.NO_VARIATION:
        return ("", "spc_none")
    if chart.assurance is None:
        return (chart.assurance_reason or "No assurance", "spc_none")
    return ASSURANCE_TEXT[chart.assurance]


def spc_cells(result: IndicatorResult) -> list[tuple[str, str]]:
    """The row's two SPC cells, Variation then Assurance."""
    return [variation_cell(result.spc), assurance_cell(result.spc)]
