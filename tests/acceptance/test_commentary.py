"""The leads' words reach the board: a comment typed in a return, as a lead types it with
Excel (here openpyxl), comes out beside its indicator on the master and in `--json`, kept
whole and literal; a row whose status needs a comment and has none is a warning."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from tests.conftest import FIXTURES
from tests.unit.test_returns import OWNERS, write_month

from scorecard.cli import main
from scorecard.form import COMMENTARY_SHEET, MAX_CELL_TEXT

Fill = Callable[..., dict]
JULY = "2008-07"


def comment(path: Path, words: dict[str, dict[str, Any]], *, number_format: str = "") -> dict:
    """Type `words` ({key: {month: text}}) on the return's Commentary sheet, as a lead
    would; returns {(key, month): cell}."""
    wb = openpyxl.load_workbook(path)
    ws = wb[COMMENTARY_SHEET]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Key")
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    rows = {ws.cell(r, 1).value: r for r in range(header + 1, ws.max_row + 1)}
    where = {}
    for key, months in words.items():
        for month, text in months.items():
            cell = ws.cell(rows[key], cols[month])
            cell.value = text
            if isinstance(text, str) and text.startswith("="):
                cell.data_type = "s"  # typed as text ('=...), not a formula
            if number_format:
                cell.number_format = number_format
            where[(key, month)] = cell.coordinate
    wb.save(path)
    return where


def replace_text(path: Path, old: str, new: str) -> None:
    """The workbook with one of its texts replaced in its XML, as another tool wrote it."""
    with zipfile.ZipFile(path) as src:
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    holding = [name for name, data in parts.items() if old.encode() in data]
    assert len(holding) == 1, holding
    parts[holding[0]] = parts[holding[0]].replace(old.encode(), new.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)


def compile_to(
    returns: Path, out: Path, config: Path = FIXTURES / "mini.yaml"
) -> tuple[int, str, dict, openpyxl.Workbook]:
    """`scorecard compile` as a user runs it: exit status, output, JSON and master."""
    master, results = out / "master.xlsx", out / "master.json"
    args = ["compile", "--config", str(config), "--returns", str(returns), "--month", JULY]
    args += ["--out", str(master), "--json", str(results), "--no-cache"]
    outcome = CliRunner().invoke(main, args, catch_exceptions=False)
    assert results.exists(), outcome.output
    data = json.loads(results.read_text(encoding="utf-8"))
    return outcome.exit_code, outcome.output, data, openpyxl.load_workbook(master)


def indicator(data: dict, key: str) -> dict:
    return next(i for i in data["indicators"] if i["key"] == key)


def objective_cell(book: openpyxl.Workbook, key_title: str) -> tuple[Any, int]:
    """The objective sheet's Indicator cell whose text starts with `key_title`, and its row."""
    ws = book[book.sheetnames[1]]
    for row in ws.iter_rows(min_col=2, max_col=2):
        cell = row[0]
        if isinstance(cell.value, str) and cell.value.startswith(key_title):
            return cell, cell.row
    raise AssertionError(f"no row for {key_title!r}")


def data_row(book: openpyxl.Workbook, key: str) -> dict[str, Any]:
    ws = book["Data"]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[0] == key:
            return dict(zip(headers, row, strict=False))
    raise AssertionError(key)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "returns"
    path.mkdir()
    return path


def test_a_comment_reaches_the_objective_sheet_the_data_sheet_and_json(
    mini, fill: Fill, root: Path, tmp_path: Path
):
    write_month(mini, fill, root)
    words = "Three of the last four months have been above the new target level."
    where = comment(root / JULY / "crime.xlsx", {"sac": {JULY: words}})
    status, _output, data, book = compile_to(root, tmp_path)
    assert status == 0
    given = indicator(data, "sac")["commentary"]
    assert given == {
        "text": words,
        "month": JULY,
        "owner": "crime",
        "given_by": "A. Lead",
        "role": "Performance manager",
        "file": "returns/2008-07/crime.xlsx",
        "sheet": COMMENTARY_SHEET,
        "cell": where[("sac", JULY)],
    }
    cell, _row = objective_cell(book, "Reduce serious acquisitive crime")
    # The rich text's runs: the title, then the owner's words marked as theirs.
    assert cell.value.endswith(f"Owner's commentary (Specialist Crime, Jul 2008): {words}")
    assert data_row(book, "sac")["Commentary"] == words
    assert "A. Lead" in data_row(book, "sac")["Commentary from"]
    # Another indicator of the same return, with no comment, shows none.
    assert indicator(data, "assets-value")["commentary"] is None
    assert not data_row(book, "assets-value")["Commentary"]


def test_the_latest_return_s_words_for_a_month_win(mini, fill: Fill, root: Path, tmp_path):
    write_month(mini, fill, root, folder="2008-06")
    write_month(mini, fill, root)
    comment(root / "2008-06" / "crime.xlsx", {"sac": {"2008-06": "June's words"}})
    comment(
        root / JULY / "crime.xlsx",
        {"sac": {"2008-06": "June's words, corrected", JULY: "July's words"}},
    )
    status, _output, data, _book = compile_to(root, tmp_path)
    assert indicator(data, "sac")["commentary"]["text"] == "July's words"
    assert status == 0


def test_a_revision_carries_the_lead_s_words(mini, fill: Fill, root: Path, tmp_path: Path):
    may = ("sac", "offences", "2008-05")
    write_month(mini, fill, root, folder="2008-06", changes={"crime": {may: 100}})
    write_month(mini, fill, root, changes={"crime": {may: 110}})
    why = "May corrected after late recording of ten offences"
    comment(root / JULY / "crime.xlsx", {"sac": {JULY: why}})
    _status, _output, data, book = compile_to(root, tmp_path)
    revised = next(p for p in data["problems"] if p["code"] == "revised")
    assert revised["comment"] == why
    assert why in revised["message"] and "from 100" in revised["message"]
    issues = [row for row in book["Issues"].iter_rows(values_only=True) if "revised" in row]
    assert any(why in " ".join(str(v) for v in row) for row in issues)


def red_catalogue(tmp_path: Path, rule: str) -> Path:
    """The mini catalogue with a commentary rule for the organisation."""
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("    below: RED\n", f"    below: RED\n  commentary: {rule}\n", 1)
    path = tmp_path / "mini-commentary.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def half_arrests(mini) -> dict[str, dict]:
    """dv-arrests at 50% against a 67% target: RED."""
    from tests.unit.test_returns import entries_for

    entries = entries_for(mini, "crime")
    return {
        "crime": {
            entry: value // 2
            for entry, value in entries.items()
            if entry[0] == "dv-arrests" and entry[1] == "arrests"
        }
    }


def test_a_red_row_without_required_commentary_is_a_warning(
    mini, fill: Fill, root: Path, tmp_path: Path
):
    write_month(mini, fill, root, changes=half_arrests(mini))
    config = red_catalogue(tmp_path, "{required_for: [RED, AMBER]}")
    status, output, data, book = compile_to(root, tmp_path, config)
    assert indicator(data, "dv-arrests")["status"] == "RED"
    missing = [p for p in data["problems"] if p["code"] == "commentary-missing"]
    needing = [i["key"] for i in data["indicators"] if i["status"] in ("RED", "AMBER")]
    assert [p["key"] for p in missing] == needing == data["commentary_missing"]
    [arrests] = [p for p in missing if p["key"] == "dv-arrests"]
    assert (arrests["level"], arrests["month"], arrests["file"]) == (
        "warning",
        "Jul 2008",
        "returns/2008-07/crime.xlsx",
    )
    assert "Specialist Crime" in arrests["message"]
    assert status == 1 and "[commentary-missing]" in output
    cell, _row = objective_cell(book, "Domestic violence offences")
    assert cell.value.endswith("No commentary")
    summary = " ".join(str(v) for row in book["Summary"].iter_rows(values_only=True) for v in row)
    assert "no commentary from Specialist Crime" in summary
    assert "Specialist Crime: signed off by A. Lead, Performance manager, on 12 Aug 2008" in summary


def test_required_commentary_given_is_no_warning(mini, fill: Fill, root: Path, tmp_path: Path):
    write_month(mini, fill, root, changes=half_arrests(mini))
    comment(root / JULY / "crime.xlsx", {"dv-arrests": {JULY: "Custody suite closures."}})
    config = red_catalogue(tmp_path, "{required_for: [RED]}")
    _status, _output, data, _book = compile_to(root, tmp_path, config)
    missing = [p["key"] for p in data["problems"] if p["code"] == "commentary-missing"]
    assert "dv-arrests" not in missing and "dv-arrests" not in data["commentary_missing"]
    assert indicator(data, "dv-arrests")["commentary_required"] is True
    # Every other RED row, with no words, is still missing them.
    reds = [i["key"] for i in data["indicators"] if i["status"] == "RED"]
    assert missing == [key for key in reds if key != "dv-arrests"]


def test_an_indicator_s_own_rule_stands_over_the_organisation_s(mini, tmp_path: Path):
    from scorecard.catalogue import load_catalogue
    from scorecard.model import Status

    text = red_catalogue(tmp_path, "{required_for: [RED]}").read_text(encoding="utf-8")
    text = text.replace(
        "    title: Victim satisfaction\n",
        "    title: Victim satisfaction\n    commentary: {required_for: [GREEN]}\n",
    )
    path = tmp_path / "own-rule.yaml"
    path.write_text(text, encoding="utf-8")
    catalogue = load_catalogue(path)
    org = catalogue.organisation
    survey, arrests = catalogue.indicator("victim-sat"), catalogue.indicator("dv-arrests")
    assert survey.commentary_required(Status.GREEN, org)
    assert not survey.commentary_required(Status.RED, org)
    assert arrests.commentary_required(Status.RED, org)
    assert not arrests.commentary_required(Status.AMBER, org)


FORMULA_LIKE = {
    "sac": "=SUM(A1:A9) is what the old spreadsheet did",
    "dv-arrests": "+44 20 7230 1212 for the custody team",
    "assets-value": "-12% on last month; see http://example.org/assets",
}


def test_formula_like_text_and_links_are_written_as_text(
    mini, fill: Fill, root: Path, tmp_path: Path
):
    write_month(mini, fill, root, changes={"ct": {("ct-milestones", "progress", JULY): "@board"}})
    comment(root / JULY / "crime.xlsx", {key: {JULY: text} for key, text in FORMULA_LIKE.items()})
    _status, _output, data, book = compile_to(root, tmp_path)
    for key, text in FORMULA_LIKE.items():
        assert indicator(data, key)["commentary"]["text"] == text
        cell = book["Data"].cell(
            next(r for r in range(2, 20) if book["Data"].cell(r, 1).value == key), 17
        )
        assert (cell.value, cell.data_type, cell.hyperlink) == (text, "s", None)
    narrative, row = objective_cell(book, "Progress against counter terrorism milestones")
    ws = narrative.parent
    assert (ws.cell(row, 3).value, ws.cell(row, 3).data_type) == ("@board", "s")
    assert not any(c.hyperlink for r in ws.iter_rows() for c in r)


def test_a_date_or_number_in_a_text_cell_reads_as_the_lead_saw_it(
    mini, fill: Fill, root: Path, tmp_path: Path
):
    write_month(mini, fill, root)
    comment(
        root / JULY / "crime.xlsx",
        {"sac": {JULY: datetime(2008, 7, 15)}},
        number_format="d mmm yyyy",
    )
    comment(root / JULY / "crime.xlsx", {"dv-arrests": {JULY: 0.658}}, number_format="0.0%")
    _status, _output, data, _book = compile_to(root, tmp_path)
    assert indicator(data, "sac")["commentary"]["text"] == "15 Jul 2008"
    assert indicator(data, "dv-arrests")["commentary"]["text"] == "65.8%"


def test_line_breaks_are_kept(mini, fill: Fill, root: Path, tmp_path: Path):
    write_month(mini, fill, root)
    words = "First, the figure.\nThen, what is being done."
    comment(root / JULY / "crime.xlsx", {"sac": {JULY: words}})
    _status, _output, data, book = compile_to(root, tmp_path)
    assert indicator(data, "sac")["commentary"]["text"] == words
    assert data_row(book, "sac")["Commentary"] == words


def test_an_over_long_text_is_kept_whole_in_json_and_reported(
    mini, fill: Fill, root: Path, tmp_path: Path
):
    write_month(mini, fill, root)
    words = ("The board asked for the full story. " * 1200).strip()
    assert len(words) > MAX_CELL_TEXT
    path = root / JULY / "crime.xlsx"
    # Excel and openpyxl cut a cell at 32,767 characters; other tools write longer ones.
    where = comment(path, {"sac": {JULY: "PLACEHOLDER-FOR-A-LONG-TEXT"}})
    replace_text(path, "PLACEHOLDER-FOR-A-LONG-TEXT", words)
    status, _output, data, book = compile_to(root, tmp_path)
    assert indicator(data, "sac")["commentary"]["text"] == words
    [long] = [p for p in data["problems"] if p["code"] == "text-too-long"]
    assert (long["level"], long["sheet"], long["cell"], long["key"]) == (
        "warning",
        COMMENTARY_SHEET,
        where[("sac", JULY)],
        "sac",
    )
    assert f"{len(words):,} characters" in long["message"]
    shown = data_row(book, "sac")["Commentary"]
    assert len(shown) == MAX_CELL_TEXT and shown.endswith("the whole text is in the JSON output]")
    assert status == 1


def test_comments_that_cannot_be_used_are_reported(mini, fill: Fill, root: Path, tmp_path):
    write_month(mini, fill, root)
    path = root / JULY / "crime.xlsx"
    where = comment(path, {"sac": {"2008-08": "Written a month early"}})
    wb = openpyxl.load_workbook(path)
    ws = wb[COMMENTARY_SHEET]
    ws.cell(ws.max_row + 1, 1).value = "no-such-key"
    ws.cell(ws.max_row, 5).value = "Words on a row nobody owns"
    wb.save(path)
    _status, _output, data, _book = compile_to(root, tmp_path)
    codes = {p["code"]: p for p in data["problems"]}
    assert codes["future-month"]["cell"] == where[("sac", "2008-08")]
    assert codes["unknown-key"]["sheet"] == COMMENTARY_SHEET
    assert indicator(data, "sac")["commentary"] is None


def test_a_version_1_return_s_commentary_column_is_still_read(
    mini, fill: Fill, root: Path, tmp_path: Path
):
    """Returns made before the Commentary sheet carried one Commentary column on the
    Return sheet: its words are the return's month's."""
    write_month(mini, fill, root)
    path = root / JULY / "crime.xlsx"
    wb = openpyxl.load_workbook(path)
    del wb[COMMENTARY_SHEET]
    ws = wb["Return"]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Key")
    col = ws.max_column + 1
    ws.cell(header, col).value = "Commentary"
    rows = [r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value == "dv-arrests"]
    ws.cell(rows[0], col).value = "Arrests up after the summer campaign"
    ws.cell(rows[1], col).value = "Offences steady"
    wb.save(path)
    _status, _output, data, _book = compile_to(root, tmp_path)
    given = indicator(data, "dv-arrests")["commentary"]
    assert given["text"] == "Arrests up after the summer campaign\nOffences steady"
    assert (given["sheet"], given["month"]) == ("Return", JULY)


def test_a_narrative_is_laid_across_the_row(mini, fill: Fill, root: Path, tmp_path: Path):
    story = " ".join(
        f"Milestone {n} is on line to be achieved within the timescales set." for n in range(12)
    )
    write_month(mini, fill, root, changes={"ct": {("ct-milestones", "progress", JULY): story}})
    _status, _output, data, book = compile_to(root, tmp_path)
    assert indicator(data, "ct-milestones")["value"] == story
    _cell, row = objective_cell(book, "Progress against counter terrorism milestones")
    ws = book[book.sheetnames[1]]
    merged = [str(r) for r in ws.merged_cells.ranges if r.min_row == row]
    last = openpyxl.utils.get_column_letter(ws.max_column)
    assert merged == [f"C{row}:{last}{row}"]
    assert ws.cell(row, 3).value == story and ws.cell(row, 3).alignment.wrap_text
    # Wide enough to be read: a few lines, not half a page.
    assert 30 <= ws.row_dimensions[row].height <= 120


@pytest.mark.parametrize("owner", OWNERS)
def test_every_template_has_a_commentary_row_for_each_indicator(mini, mini_templates, owner):
    wb = openpyxl.load_workbook(mini_templates / f"{owner}.xlsx")
    ws = wb[COMMENTARY_SHEET]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Key")
    keys = [ws.cell(r, 1).value for r in range(header + 1, ws.max_row + 1)]
    assert keys == [i.key for i in mini.indicators if i.owner == owner]
    months = [ws.cell(header, c).value for c in range(4, ws.max_column + 1)]
    assert months == [
        f"{y}-{m:02d}"
        for y, m in [(2008, m) for m in range(4, 13)] + [(2009, m) for m in (1, 2, 3)]
    ]
    inputs = [ws.cell(header + 1, c) for c in range(4, ws.max_column + 1)]
    assert all(not c.protection.locked and c.alignment.wrap_text for c in inputs)
    assert ws.protection.sheet
    instructions = " ".join(
        str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value
    )
    assert "Commentary sheet" in instructions
