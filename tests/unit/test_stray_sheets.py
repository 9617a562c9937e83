"""Words and figures outside the form are reported, never used and never lost in silence
(issue 22, item 2): a sheet the lead added, a note typed beside the instructions.

A sheet that is not the form's is looked at, not read cell by cell: its first cells are
named and the rest counted in its XML (issue 22, item 14; the memory of that is held in
tests/robustness/test_memory_tree.py).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from scorecard.catalogue import Catalogue
from scorecard.errors import Level
from scorecard.returns import read_returns, stray
from scorecard.xlsx import SheetData, XlsxBook
from tests.unit.test_returns import JUL, Fill, edit, write_month

CRIME = "returns/2008-07/crime.xlsx"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "returns"


def stray_of(read) -> list[tuple[str, Level, str | None, str | None, str]]:
    return [
        (p.file, p.level, p.sheet, p.cell, p.message)
        for p in read.problems
        if p.code == "stray-cell"
    ]


def test_an_added_corrections_sheet_is_reported_cell_by_cell_and_not_used(
    mini: Catalogue, fill: Fill, root: Path
):
    write_month(mini, fill, root)
    before = read_returns(mini, root, JUL)

    def corrections(wb: openpyxl.Workbook) -> None:
        ws = wb.create_sheet("Corrections")
        ws.append(["sac", "2008-06", 260])

    edit(root / "2008-07" / "crime.xlsx", corrections)
    read = read_returns(mini, root, JUL)
    found = stray_of(read)
    assert [(f, level, sheet, cell) for f, level, sheet, cell, _ in found] == [
        (CRIME, Level.WARNING, "Corrections", "A1"),
        (CRIME, Level.WARNING, "Corrections", "B1"),
        (CRIME, Level.WARNING, "Corrections", "C1"),
    ]
    assert found[0][4].startswith("A1 on sheet 'Corrections' holds 'sac': the sheet is not")
    assert found[2][4] == "C1 on sheet 'Corrections' holds '260': not used"
    assert read.figures == before.figures  # nothing from it is used


def test_a_note_on_the_instructions_sheet_is_reported(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)

    def note(wb: openpyxl.Workbook) -> None:
        ws = wb["Instructions"]
        ws.protection.sheet = False
        ws["D5"] = "NB June assets revised to 260"
        ws["A40"] = "see email of 3 July"
        ws["B2"] = "draft"

    edit(root / "2008-07" / "crime.xlsx", note)
    read = read_returns(mini, root, JUL)
    found = stray_of(read)
    assert [(sheet, cell) for _, _, sheet, cell, _ in found] == [
        ("Instructions", "B2"),
        ("Instructions", "D5"),
        ("Instructions", "A40"),
    ]
    assert "'NB June assets revised to 260'" in found[1][4]
    assert read.ok  # warnings only: the sign-off and figures are read as before


def test_a_note_beside_the_meta_sheets_fields_is_reported(mini: Catalogue, fill: Fill, root: Path):
    """The hidden _meta sheet is the form's too: a cell beyond its two columns (name,
    value) is reported, not used, and its fields are read as before."""
    write_month(mini, fill, root)
    before = read_returns(mini, root, JUL)

    def note(wb: openpyxl.Workbook) -> None:
        wb["_meta"]["D3"] = "owner changed to crime-2"

    edit(root / "2008-07" / "crime.xlsx", note)
    read = read_returns(mini, root, JUL)
    assert [(sheet, cell) for _, _, sheet, cell, _ in stray_of(read)] == [("_meta", "D3")]
    assert read.figures == before.figures


def test_the_templates_own_cells_are_not_stray(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)
    read = read_returns(mini, root, JUL)
    assert stray_of(read) == []


def test_a_pasted_sheet_is_looked_at_and_counted_not_read(
    mini: Catalogue, fill: Fill, root: Path, monkeypatch: pytest.MonkeyPatch
):
    """A sheet larger than the look: ten cells named, the rest counted from its XML."""
    write_month(mini, fill, root)
    monkeypatch.setattr(stray, "LOOK_CELLS", 50)
    monkeypatch.setattr("scorecard.returns.copies.LOOK_CELLS", 50)

    def paste(wb: openpyxl.Workbook) -> None:
        ws = wb.create_sheet("Extract")
        for r in range(1, 41):
            ws.append([f"row {r}", r, r * 2.5, None, "=B1*2"])

    edit(root / "2008-07" / "crime.xlsx", paste)
    read = read_returns(mini, root, JUL, workers=0)
    found = stray_of(read)
    assert len(found) == 11
    assert [cell for _, _, _, cell, _ in found[:5]] == ["A1", "B1", "C1", "E1", "A2"]
    # 40 rows of four filled cells, the formula's cell counted once for its <f>: 160
    assert found[-1][4] == (
        "about 150 more cell(s) with something in them on sheet 'Extract' are not used "
        "(counted, not read: too large to be part of a return)"
    )


def test_a_return_of_another_catalogue_has_no_other_sheet_read(
    mini: Catalogue, fill: Fill, root: Path, monkeypatch: pytest.MonkeyPatch
):
    """Its _meta names an owner this catalogue lacks: nothing from it is used, so its
    other sheets (a pasted extract) are not read at all."""
    write_month(mini, fill, root)

    def foreign(wb: openpyxl.Workbook) -> None:
        meta = wb["_meta"]
        for row in meta.iter_rows():
            if row[0].value == "owner":
                row[1].value = "another-council"
        wb.create_sheet("Extract").append(["x", 1])

    edit(root / "2008-07" / "crime.xlsx", foreign)
    read_names: list[str] = []
    real = XlsxBook.read_sheet

    def spy(book: XlsxBook, name: str, max_cells: int | None = None) -> SheetData:
        read_names.append(name)
        return real(book, name, max_cells)

    monkeypatch.setattr(XlsxBook, "read_sheet", spy)
    read = read_returns(mini, root, JUL, workers=0)
    assert [p.code for p in read.problems if p.file == CRIME] == ["unknown-owner"]
    assert "Extract" not in read_names and "Return" in read_names
