"""A master workbook as data, to compare one build with another by what it holds.

`describe_workbook` reads a workbook back with openpyxl and keeps what a board member or
a copy-paste would notice: every cell's value and number format, its font, fill,
alignment and border, the merged ranges, conditional formats, data validations, column
widths, row heights, and each sheet's print settings. Run as a script, it writes the
golden files of both bundled samples (`python -m tests.golden`), from the code as it is.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner

from scorecard.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "fixtures" / "golden"

# (name, compile arguments) of each bundled sample
SAMPLES: dict[str, list[str]] = {
    "july-2008": ["--config", "config/indicators.yaml", "--returns", "samples/returns"],
    "council": [
        "--config",
        "samples/council/indicators.yaml",
        "--returns",
        "samples/council/returns",
    ],
}


def _colour(colour: Any) -> Any:
    if colour is None:
        return None
    return colour.rgb if colour.type == "rgb" else f"{colour.type}:{colour.value}"


def _style(cell: Any) -> dict[str, Any]:
    font, fill, align, border = cell.font, cell.fill, cell.alignment, cell.border
    return {
        "format": cell.number_format,
        "font": [font.name, font.sz, font.b, font.i, font.u, _colour(font.color)],
        "fill": [fill.fill_type, _colour(fill.fgColor)] if fill.fill_type else None,
        "align": [align.horizontal, align.vertical, align.wrap_text, align.indent],
        "border": [side.style for side in (border.left, border.right, border.top, border.bottom)],
        "locked": cell.protection.locked,
    }


def _sheet(ws: Any) -> dict[str, Any]:
    cells = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None and not cell.has_style:
                continue
            value = cell.value
            if not isinstance(value, (str, int, float, bool, type(None))):
                value = str(value)
            cells[cell.coordinate] = [value, cell.data_type, _style(cell)]
    rules = []
    for ranges, group in ws.conditional_formatting._cf_rules.items():
        for rule in group:
            dxf = rule.dxf
            rules.append(
                [
                    str(ranges.sqref),
                    rule.type,
                    rule.operator,
                    list(rule.formula or []),
                    rule.priority,
                    rule.stopIfTrue,
                    _colour(dxf.fill.fgColor) if dxf and dxf.fill else None,
                    _colour(dxf.font.color) if dxf and dxf.font else None,
                ]
            )
    setup, options, margins = ws.page_setup, ws.print_options, ws.page_margins
    return {
        "cells": cells,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "conditional": sorted(rules, key=json.dumps),
        "validations": sorted(
            [str(v.sqref), v.type, v.formula1, v.operator]
            for v in ws.data_validations.dataValidation
        ),
        "widths": {k: d.width for k, d in sorted(ws.column_dimensions.items()) if d.width},
        "heights": {str(k): d.height for k, d in sorted(ws.row_dimensions.items()) if d.height},
        "print": {
            "orientation": setup.orientation,
            "paper": setup.paperSize,
            "fit": [setup.fitToWidth, setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage]
            if ws.sheet_properties.pageSetUpPr
            else [setup.fitToWidth, setup.fitToHeight, None],
            "titles": [ws.print_title_rows, ws.print_title_cols],
            "area": ws.print_area,
            "header": [ws.oddHeader.left.text, ws.oddHeader.center.text, ws.oddHeader.right.text],
            "footer": [ws.oddFooter.left.text, ws.oddFooter.center.text, ws.oddFooter.right.text],
            "margins": [margins.left, margins.right, margins.top, margins.bottom],
            "centre": [options.horizontalCentered, options.verticalCentered],
            "breaks": [b.id for b in ws.row_breaks.brk],
        },
        "freeze": ws.freeze_panes,
        "protected": ws.protection.sheet,
        "gridlines": ws.sheet_view.showGridLines,
        "tab": _colour(ws.sheet_properties.tabColor),
    }


def describe_workbook(path: Path) -> dict[str, Any]:
    """What a workbook holds, sheet by sheet, as plain data that JSON keeps."""
    book = openpyxl.load_workbook(path)
    return {
        "sheets": book.sheetnames,
        "defined": sorted(str(name) for name in book.defined_names),
        **{name: _sheet(book[name]) for name in book.sheetnames},
    }


def compile_sample(name: str, out: Path) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """Compile a bundled sample into `out`: its exit status, master and JSON, as data."""
    master, results = out / f"{name}.xlsx", out / f"{name}.json"
    args = ["compile", *SAMPLES[name], "--out", str(master), "--json", str(results)]
    args += ["--no-cache", "--quiet"]
    outcome = CliRunner().invoke(main, args, catch_exceptions=False)
    payload = json.loads(results.read_text(encoding="utf-8"))
    return outcome.exit_code, describe_workbook(master), payload


def normalise(data: Any) -> Any:
    """JSON's own round trip, so tuples and lists compare alike."""
    return json.loads(json.dumps(data, sort_keys=True))


def write_golden(out: Path) -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name in SAMPLES:
        status, workbook, payload = compile_sample(name, out)
        record = {"exit_status": status, "workbook": workbook, "json": payload}
        (GOLDEN / f"{name}.json").write_text(
            json.dumps(normalise(record), indent=1, sort_keys=True, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    import os
    import tempfile

    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as folder:
        write_golden(Path(folder))
    sys.exit(0)
