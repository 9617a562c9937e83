"""Compare workbooks by their stored cells, not their bytes."""

from __future__ import annotations

from pathlib import Path

from scorecard.xlsx import open_workbook


def cells(data: bytes, tmp: Path) -> dict[tuple[str, str], object]:
    """Every stored cell of a workbook, by sheet and reference."""
    path = tmp / "book.xlsx"
    path.write_bytes(data)
    with open_workbook(path) as book:
        return {
            (name, cell.ref): cell.value
            for name in book.sheet_names
            for row in book.iter_rows(name)
            for cell in row
        }
