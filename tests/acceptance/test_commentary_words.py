"""The owner's words as a stranger's file holds them (issue 22, items 3, 4 and 5): a
formula, an error value or a link in a comment cell; control characters and direction
overrides; a text longer than a cell counted as Excel counts it."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from tests.acceptance.test_commentary import (
    JULY,
    compile_to,
    data_row,
    indicator,
    objective_cell,
    replace_text,
)
from tests.unit.test_returns import write_month

from scorecard.cli import main
from scorecard.form import COMMENTARY_SHEET, MAX_CELL_TEXT
from scorecard.textfit import utf16_units
from scorecard.workbook.celltext import OVERFLOW_MARK
from scorecard.workbook.layout import MAX_ROW_HEIGHT

Fill = Callable[..., dict]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "returns"
    path.mkdir()
    return path


def formula_comment(path: Path, key: str, formula: str, cached: str, kind: str = "str") -> str:
    """A formula typed in `key`'s July comment cell, saved with the result `cached` (of
    XML type `kind`: "str" text, "e" an error), as Excel saves it; returns the cell."""
    wb = openpyxl.load_workbook(path)
    ws = wb[COMMENTARY_SHEET]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Key")
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value == JULY)
    row = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value == key)
    cell = ws.cell(row, col)
    cell.value = "=" + formula
    wb.save(path)
    with zipfile.ZipFile(path) as src:
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    pattern = re.compile(rf'(<c r="{cell.coordinate}"[^>]*?)(?: t="\w+")?><f>(.*?)</f><v\s*/>')
    holding = [n for n, data in parts.items() if pattern.search(data.decode("utf-8"))]
    assert len(holding) == 1, holding
    text = parts[holding[0]].decode("utf-8")
    text = pattern.sub(rf'\1 t="{kind}"><f>\2</f><v>{cached}</v>', text)
    parts[holding[0]] = text.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return cell.coordinate


def problems_of(data: dict, code: str) -> list[dict]:
    return [p for p in data["problems"] if p["code"] == code]


def test_a_formula_in_a_comment_is_reported_and_its_words_used(
    mini, fill: Fill, root: Path, tmp_path: Path
) -> None:
    write_month(mini, fill, root)
    path = root / JULY / "crime.xlsx"
    cell = formula_comment(path, "sac", 'CONCATENATE("Down ","again")', "Down again")
    _status, _output, data, _book = compile_to(root, tmp_path)
    assert indicator(data, "sac")["commentary"]["text"] == "Down again"
    [note] = problems_of(data, "comment-formula")
    assert (note["level"], note["sheet"], note["cell"], note["key"]) == (
        "info",
        COMMENTARY_SHEET,
        cell,
        "sac",
    )
    assert "CONCATENATE" in note["message"]


@pytest.mark.parametrize("kind", ["e", "str"])
def test_an_error_value_is_never_the_owners_words(
    mini, fill: Fill, root: Path, tmp_path: Path, kind: str
) -> None:
    write_month(mini, fill, root)
    path = root / JULY / "crime.xlsx"
    cell = formula_comment(path, "sac", "VLOOKUP(A1,B:C,2,FALSE)", "#N/A", kind)
    _status, _output, data, book = compile_to(root, tmp_path)
    assert indicator(data, "sac")["commentary"] is None
    [error] = problems_of(data, "excel-error")
    assert (error["cell"], error["key"]) == (cell, "sac") and "#N/A" in error["message"]
    assert not data_row(book, "sac")["Commentary"]
    title, _row = objective_cell(book, "Reduce serious acquisitive crime")
    assert "#N/A" not in str(title.value)


def test_a_link_keeps_its_address_as_text(mini, fill: Fill, root: Path, tmp_path: Path) -> None:
    write_month(mini, fill, root)
    path = root / JULY / "crime.xlsx"
    address = "https://intranet.example.org/recovery-plan"
    formula_comment(path, "sac", f'HYPERLINK("{address}","the recovery plan")', "the recovery plan")
    _status, _output, data, book = compile_to(root, tmp_path)
    text = indicator(data, "sac")["commentary"]["text"]
    assert text == f"the recovery plan ({address})"
    assert data_row(book, "sac")["Commentary"] == text  # as text: no link, no formula
    assert book["Data"].cell(2, 1).hyperlink is None
    [note] = problems_of(data, "comment-formula")
    assert "address as text" in note["message"]


def test_control_and_direction_characters_are_neutralised(
    mini, fill: Fill, root: Path, tmp_path: Path
) -> None:
    write_month(mini, fill, root)
    path = root / JULY / "crime.xlsx"
    from tests.acceptance.test_commentary import comment

    comment(path, {"sac": {JULY: "PLACEHOLDER-WORDS"}})
    # As another tool writes them: escaped control characters, a line break kept, and a
    # right-to-left override that would show "gnp.exe" as "exe.png".
    typed = "Bell_x0007_ here_x0000_.&#10;Open report\u202egnp.exe\u202c now"
    replace_text(path, "PLACEHOLDER-WORDS", typed)
    status, _output, data, book = compile_to(root, tmp_path)
    expected = "Bell here.\nOpen reportgnp.exe now"
    assert indicator(data, "sac")["commentary"]["text"] == expected
    assert data_row(book, "sac")["Commentary"] == expected
    title, _row = objective_cell(book, "Reduce serious acquisitive crime")
    assert str(title.value).endswith(expected)
    [note] = problems_of(data, "direction-controls")
    assert note["level"] == "info" and "U+202E" in note["message"]
    assert status == 0


def test_a_text_long_in_utf16_units_is_cut_with_a_mark(
    mini, fill: Fill, root: Path, tmp_path: Path
) -> None:
    write_month(mini, fill, root)
    path = root / JULY / "crime.xlsx"
    from tests.acceptance.test_commentary import comment

    # 32,767 characters as Python counts them, over 2,000 of them emoji: more in Excel.
    words = ("Better month \U0001f600 " * 3000)[: MAX_CELL_TEXT - 1] + "!"
    assert len(words) == MAX_CELL_TEXT and utf16_units(words) > MAX_CELL_TEXT
    comment(path, {"sac": {JULY: "PLACEHOLDER-FOR-EMOJI"}})
    replace_text(path, "PLACEHOLDER-FOR-EMOJI", words)
    status, _output, data, book = compile_to(root, tmp_path)
    assert indicator(data, "sac")["commentary"]["text"] == words  # whole in the JSON
    [long] = problems_of(data, "text-too-long")
    assert f"{utf16_units(words):,} characters" in long["message"]
    shown = data_row(book, "sac")["Commentary"]
    assert utf16_units(shown) <= MAX_CELL_TEXT
    assert shown.endswith("the whole text is in the JSON output]")
    assert words.startswith(shown[: shown.index(" […cut")])
    assert status == 1


def test_a_comment_taller_than_a_row_is_cut_saying_where_the_rest_is(
    mini, fill: Fill, root: Path, tmp_path: Path
) -> None:
    write_month(mini, fill, root)
    path = root / JULY / "crime.xlsx"
    from tests.acceptance.test_commentary import comment

    words = " ".join(f"Sentence {n} of the owner's account of the month." for n in range(400))
    comment(path, {"sac": {JULY: words}})
    _status, _output, data, book = compile_to(root, tmp_path)
    assert indicator(data, "sac")["commentary"]["text"] == words
    assert data_row(book, "sac")["Commentary"] == words  # whole on the Data sheet
    cell, row = objective_cell(book, "Reduce serious acquisitive crime")
    shown = str(cell.value)
    assert shown.endswith(OVERFLOW_MARK)
    assert words.startswith(shown[shown.index("Sentence 0") : -len(OVERFLOW_MARK)])
    height = cell.parent.row_dimensions[row].height
    assert height is not None and 300 < height <= MAX_ROW_HEIGHT


def test_wide_glyphs_are_given_the_room_they_take(
    mini, fill: Fill, root: Path, tmp_path: Path
) -> None:
    write_month(mini, fill, root, folder="2008-07")
    path = root / JULY / "crime.xlsx"
    from tests.acceptance.test_commentary import comment

    comment(path, {"sac": {JULY: "犯罪は前年同月比で減少しました" * 12}})  # 180 wide glyphs
    _status, _output, _data, wide = compile_to(root, tmp_path / "wide")
    comment(path, {"sac": {JULY: "Crime fell on the same month" * 6 + "abcdefghijkl"}})  # 180
    _status, _output, _data, narrow = compile_to(root, tmp_path / "narrow")
    heights = []
    for book in (wide, narrow):
        cell, row = objective_cell(book, "Reduce serious acquisitive crime")
        heights.append(cell.parent.row_dimensions[row].height)
    assert heights[0] > heights[1] * 1.5  # twice the columns, about twice the lines


def test_the_pack_shows_where_a_cut_comment_continues(
    mini, fill: Fill, root: Path, tmp_path: Path
) -> None:
    from tests.acceptance.test_commentary import comment
    from tests.acceptance.test_render import _need_tools
    from tests.conftest import FIXTURES

    _need_tools()
    write_month(mini, fill, root)
    words = " ".join(f"Sentence {n} of the owner's account of the month." for n in range(400))
    comment(root / JULY / "crime.xlsx", {"sac": {JULY: words}})
    out = tmp_path / "pack.pdf"
    args = ["pack", "--config", str(FIXTURES / "mini.yaml"), "--returns", str(root)]
    result = CliRunner().invoke(main, [*args, "--month", JULY, "--out", str(out), "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, timeout=120
    ).stdout
    flat = " ".join(text.split())
    assert "continued in the master's Data sheet" in flat
    assert "Sentence 0 of the owner's account" in flat
