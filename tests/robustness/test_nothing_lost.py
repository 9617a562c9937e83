"""Nothing lost: every non-blank figure of a readable return is used or rejected with a reason.

A return with a mix of good and bad cells and rows is compiled; its figures are counted
independently (openpyxl, every non-blank cell under a YYYY-MM heading below the header
row) and must equal used + rejected, and every rejected cell must have its reason: a
problem at that cell, or a problem on its row (a row rejected whole is named by its key
cell; figures for later months by the first of them).
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import openpyxl
from openpyxl.utils import column_index_from_string

from tests.robustness.build import TP, edit_book, set_cell_xml
from tests.robustness.conftest import Space, compile_in, read_master

MONTH = re.compile(r"^\d{4}-\d{2}$")
FILE = f"returns/2008-07/{TP}.xlsx"


def mix_good_and_bad(wb: openpyxl.Workbook) -> None:
    ws = wb["Return"]
    ws["AH5"] = "twelve"  # not-a-number
    ws["AG5"] = "16,123"  # number-as-text: used
    ws["AF5"] = None  # a blank: not a figure at all
    ws["AH6"] = -5  # negative-count
    ws["AG6"] = 12.5  # not-a-whole-number
    ws["AF6"] = datetime(2008, 5, 31)  # a date
    ws["AH7"] = True  # a boolean
    ws["AG7"] = "=AF7*2"  # formula without a saved value
    ws["AH8"] = "n/a - system outage"  # not available, with a reason: used
    ws["AI8"] = 6500  # Aug 2008 in the July return: future-month
    ws["AJ8"] = 6600
    ws["AH9"] = 1e308  # number-too-large
    ws.merge_cells("AF10:AG10")  # merged-cells: AG10's value is gone, AG10 is hidden
    ws.append([None, None, None, None, None, None, 1, 2, 3])  # row-without-key, 3 figures
    ws.append(["spi-99-9", None, "offences", None, None, None, 4, 5])  # unknown-key
    ws.append(["spi-5-2", None, "burglaries", None, None, None, 6])  # unknown-measure
    row = [c.value for c in ws[12]]
    ws.append(row)  # duplicate-row of spi-6-1 sanction_detections: 15 figures


def _row(ref: str) -> int:
    return int(re.sub(r"^[A-Z]+", "", ref))


def _col(ref: str) -> int:
    return column_index_from_string(re.sub(r"\d+$", "", ref))


def count_figures(path) -> dict[str, int]:
    """Non-blank cells under a month heading, below the header row: ref -> row."""
    ws = openpyxl.load_workbook(path)["Return"]
    header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Key")
    months = [c for c in range(1, ws.max_column + 1) if MONTH.match(str(ws.cell(header, c).value))]
    found = {}
    for r in range(header + 1, ws.max_row + 1):
        for c in months:
            value = ws.cell(r, c).value
            if value is not None and not (isinstance(value, str) and not value.strip()):
                found[ws.cell(r, c).coordinate] = r
    return found


def test_every_figure_is_used_or_rejected_with_its_reason(space: Space) -> None:
    edit_book(space.tp, mix_good_and_bad)
    set_cell_xml(space.tp, "AH11", "<f>1/0</f><v>#DIV/0!</v>", "e")  # excel-error
    figures = count_figures(space.tp)
    run = compile_in(space)
    assert run.exit == 1
    data = json.loads(space.json.read_text(encoding="utf-8"))
    (tp,) = [f for f in data["files"] if f["path"] == FILE]
    assert tp["figures_read"] + tp["figures_rejected"] == len(figures)

    problems = [p for p in data["problems"] if p["file"] == FILE and p["level"] != "info"]
    at_cell = {p["cell"] for p in problems if p["cell"]}
    whole_rows = {
        _row(p["cell"])
        for p in problems
        if p["code"] in ("row-without-key", "unknown-key", "unknown-measure", "duplicate-row")
    }
    later = {_row(p["cell"]) for p in problems if p["code"] == "future-month"}
    rejected = {
        ref
        for ref, row in figures.items()
        if ref in at_cell or row in whole_rows or (row in later and _col(ref) > _col("AH1"))
    }
    assert tp["figures_rejected"] == len(rejected)
    assert tp["figures_read"] == len(figures) - len(rejected)
    # What each kind of rejection looks like, by cell.
    codes = {p["cell"]: p["code"] for p in problems}
    assert codes["AH5"] == "not-a-number" and codes["AH6"] == "negative-count"
    assert codes["AG6"] == "not-a-whole-number" and codes["AF6"] == "not-a-number"
    assert codes["AH7"] == "not-a-number" and codes["AG7"] == "formula-no-value"
    assert codes["AH9"] == "number-too-large" and codes["AH11"] == "excel-error"
    assert codes["AI8"] == "future-month" and codes["AF10:AG10"] == "merged-cells"
    # The figures used are really in the master: the indicators with a bad cell are data
    # issues; the untouched ones are not.
    master = read_master(space.master)
    issues = master.data_issues()
    assert {"spi-5-2", "spi-6-2", "spi-5-3", "cpa-obtj-violence-sexual"} <= issues
    assert "spi-6-3" not in issues and "spi-1-1" not in issues


def test_the_samples_lose_nothing(space: Space) -> None:
    run = compile_in(space)
    assert run.exit == 0
    data = json.loads(space.json.read_text(encoding="utf-8"))
    for entry in data["files"]:
        figures = count_figures(space.root / entry["path"])
        assert (entry["figures_read"], entry["figures_rejected"]) == (len(figures), 0)
