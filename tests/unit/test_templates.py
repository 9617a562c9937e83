"""The return templates: one protected, validated workbook per owner."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from scorecard.catalogue import Catalogue, parse_catalogue, template_months
from scorecard.form import TEMPLATE_VERSION
from scorecard.periods import FinancialYear, Month
from scorecard.templates import HISTORY_FILL, UNUSED_FILL, YEAR_FILL, write_templates
from tests.conftest import FIXTURES, YEAR


def load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def header(ws) -> tuple[int, dict[str, int]]:
    row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Key")
    return row, {ws.cell(row, c).value: c for c in range(1, ws.max_column + 1)}


def row_of(ws, key: str, measure: str) -> int:
    return next(
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 1).value == key and ws.cell(r, 3).value == measure
    )


def fill_of(cell) -> str:
    return "#" + str(cell.fill.fgColor.rgb)[-6:].upper()


def test_one_workbook_per_owner(mini: Catalogue, tmp_path: Path) -> None:
    paths = write_templates(mini, YEAR, tmp_path / "out")
    assert [p.name for p in paths] == ["crime.xlsx", "surveys.xlsx", "ct.xlsx"]
    assert all(p.exists() for p in paths)


def test_sheets_and_hidden_metadata(mini: Catalogue, mini_templates: Path) -> None:
    wb = load(mini_templates / "crime.xlsx")
    assert wb.sheetnames == ["Instructions", "Return", "Commentary", "_meta"]
    assert wb["_meta"].sheet_state == "veryHidden"
    meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(values_only=True)}
    assert meta["owner"] == "crime"
    assert meta["financial_year"] == "2008/09"
    assert meta["template_version"] == TEMPLATE_VERSION
    assert meta["catalogue_fingerprint"] == mini.return_fingerprint("crime")
    assert wb.properties.creator == "scorecard"


def test_return_lists_only_the_owners_measures(mini_templates: Path) -> None:
    ws = load(mini_templates / "crime.xlsx")["Return"]
    row, cols = header(ws)
    assert list(cols)[:6] == ["Key", "Indicator", "Measure", "Measure label", "Unit", "Guidance"]
    # The month's words are on the Commentary sheet, a column per month, not here.
    assert list(cols)[-1] == "2009-03" and "Commentary" not in cols
    keys = [(ws.cell(r, 1).value, ws.cell(r, 3).value) for r in range(row + 1, ws.max_row + 1)]
    assert keys == [
        ("sac", "offences"),
        ("dv-arrests", "arrests"),
        ("dv-arrests", "offences"),
        ("assets-value", "value"),
    ]


def test_months_reach_back_as_far_as_the_rolling_figures_need(mini: Catalogue) -> None:
    # A change against the previous 12 months, reported from April 2008: May 2006 on.
    assert template_months(mini, YEAR, "crime")[0] == Month(2006, 5)
    # A survey figure a month late: from March 2008.
    assert template_months(mini, YEAR, "surveys")[0] == Month(2008, 3)
    assert template_months(mini, YEAR, "ct")[0] == Month(2008, 4)
    assert template_months(mini, YEAR, "crime")[-1] == Month(2009, 3)


def test_history_and_year_months_are_shaded_apart(mini_templates: Path) -> None:
    ws = load(mini_templates / "crime.xlsx")["Return"]
    _, cols = header(ws)
    sac = row_of(ws, "sac", "offences")
    assets = row_of(ws, "assets-value", "value")
    assert fill_of(ws.cell(sac, cols["2008-03"])) == HISTORY_FILL
    assert fill_of(ws.cell(sac, cols["2008-04"])) == YEAR_FILL
    assert ws.cell(sac, cols["2008-03"]).protection.locked is False
    # The April-to-date average needs no history: those cells are grey and locked.
    assert fill_of(ws.cell(assets, cols["2008-03"])) == UNUSED_FILL
    assert ws.cell(assets, cols["2008-03"]).protection.locked is True
    assert ws.cell(assets, cols["2008-04"]).protection.locked is False
    assert ws.cell(sac, 1).protection.locked is True


def test_sheets_are_protected_without_a_password(mini_templates: Path) -> None:
    wb = load(mini_templates / "crime.xlsx")
    for name in ("Instructions", "Return", "Commentary"):
        assert wb[name].protection.sheet is True
        assert not wb[name].protection.password


def validation_at(ws, ref: str):
    return next(dv for dv in ws.data_validations.dataValidation if ref in dv.sqref)


@pytest.mark.parametrize(
    ("owner", "key", "measure", "month", "test"),
    [
        ("crime", "sac", "offences", "2008-07", "AND({c}>=0,{c}={INT}({c}))"),
        ("surveys", "victim-sat", "satisfied", "2008-06", "AND({c}>=0,{c}<=100)"),
        ("crime", "assets-value", "value", "2008-07", "{c}>=0"),
    ],
)
def test_input_cells_are_validated_for_their_unit(
    mini_templates: Path, owner: str, key: str, measure: str, month: str, test: str
) -> None:
    ws = load(mini_templates / f"{owner}.xlsx")["Return"]
    _, cols = header(ws)
    cell = ws.cell(row_of(ws, key, measure), cols[month])
    dv = validation_at(ws, cell.coordinate)
    first = str(dv.sqref).split(":")[0]
    assert dv.type == "custom"
    assert dv.formula1 == (
        f"IF(ISNUMBER({first}),{test.format(c=first, INT='INT')},"
        f'LOWER(LEFT(TRIM({first}),3))="n/a")'
    )
    assert dv.showErrorMessage and dv.showInputMessage
    assert "n/a" in dv.prompt and "n/a" in dv.error


def test_text_answers_get_a_text_input(mini_templates: Path) -> None:
    ws = load(mini_templates / "ct.xlsx")["Return"]
    _, cols = header(ws)
    cell = ws.cell(row_of(ws, "ct-milestones", "progress"), cols["2008-07"])
    dv = validation_at(ws, cell.coordinate)
    assert dv.type == "textLength"
    assert cell.alignment.wrap_text


def test_sign_off_block(mini_templates: Path) -> None:
    ws = load(mini_templates / "crime.xlsx")["Instructions"]
    labels = {row[0].value: row[1] for row in ws.iter_rows() if row[0].value}
    for label in ("Name", "Role", "Date"):
        assert labels[label].protection.locked is False
    assert "n/a" in " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)


def test_output_is_reproducible(mini: Catalogue, tmp_path: Path) -> None:
    first = [p.read_bytes() for p in write_templates(mini, YEAR, tmp_path / "a")]
    second = [p.read_bytes() for p in write_templates(mini, YEAR, tmp_path / "b")]
    assert [hashlib.sha256(b).hexdigest() for b in first] == [
        hashlib.sha256(b).hexdigest() for b in second
    ]


def test_catalogue_text_is_never_a_formula(tmp_path: Path) -> None:
    text = (FIXTURES / "mini.yaml").read_text()
    text = text.replace('"Offences recorded in the month"', '"=HYPERLINK(\\"http://x\\")"')
    catalogue = parse_catalogue(text, "mini.yaml")
    (path, *_) = write_templates(catalogue, YEAR, tmp_path)
    ws = load(path)["Return"]
    _, cols = header(ws)
    cell = ws.cell(row_of(ws, "sac", "offences"), cols["Guidance"])
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


def test_another_year(mini: Catalogue, tmp_path: Path) -> None:
    (path, *_) = write_templates(mini, FinancialYear(2009), tmp_path)
    wb = load(path)
    _, cols = header(wb["Return"])
    assert "2010-03" in cols and "2009-03" in cols and "2010-04" not in cols
    meta = {r[0]: r[1] for r in wb["_meta"].iter_rows(values_only=True)}
    assert meta["financial_year"] == "2009/10"


def test_a_quarterly_organisation_returns_quarter_ends(tmp_path: Path) -> None:
    from scorecard.catalogue import load_catalogue

    council = load_catalogue(Path(__file__).parents[2] / "samples" / "council" / "indicators.yaml")
    (path, *_) = write_templates(council, FinancialYear(2024), tmp_path)
    _, cols = header(load(path)["Return"])
    months = [c for c in cols if c and c[:2] == "20"]
    # Quarter ends only; and last year's quarters too, since the Havering rule compares
    # each quarter with the same quarter last year.
    assert months == [
        "2023-06", "2023-09", "2023-12", "2024-03",
        "2024-06", "2024-09", "2024-12", "2025-03",
    ]  # fmt: skip


def test_wording_edits_leave_the_return_layout_fingerprint_alone(mini: Catalogue) -> None:
    reworded = mini.model_copy(
        update={
            "indicators": [
                i.model_copy(update={"title": i.title + " (reworded)", "notes": "new"})
                for i in mini.indicators
            ]
        }
    )
    assert reworded.return_fingerprint("crime") == mini.return_fingerprint("crime")
    fewer = mini.model_copy(update={"indicators": mini.indicators[1:]})
    owner = mini.indicators[0].owner
    assert fewer.return_fingerprint(owner) != mini.return_fingerprint(owner)


def test_the_commentary_sheet_says_when_a_comment_is_required(tmp_path: Path) -> None:
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    below: RED\n", "    below: RED\n  commentary: {required_for: [RED]}\n", 1
    )
    text = text.replace(
        "    title: Victim satisfaction\n",
        "    title: Victim satisfaction\n    commentary: {required_for: [RED, AMBER]}\n",
    )
    catalogue = parse_catalogue(text)
    write_templates(catalogue, YEAR, tmp_path)
    wb = load(tmp_path / "surveys.xlsx")
    ws = wb["Commentary"]
    row, cols = header(ws)
    assert ws.cell(row + 1, 1).value == "victim-sat"
    assert ws.cell(row + 1, cols["Comment required"]).value == "when RED or AMBER"
    crime = load(tmp_path / "crime.xlsx")["Commentary"]
    row, cols = header(crime)
    assert crime.cell(row + 1, cols["Comment required"]).value == "when RED"
    assert "2008-04" in cols and "2009-03" in cols
    instructions = " ".join(
        str(c.value) for r in wb["Instructions"].iter_rows() for c in r if c.value
    )
    assert "(for most indicators: when RED)" in instructions


def test_the_templates_command_defaults_to_the_catalogue_s_target_year(tmp_path: Path) -> None:
    """With no --year: the latest year the catalogue has targets for (2008/09), whose
    templates are the committed ones, so rewriting them changes nothing (issue 14, 13)."""
    import shutil

    from click.testing import CliRunner

    from scorecard.cli import main

    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "workbook_templates"
    shutil.copytree(root / "workbook_templates", out)
    before = {p.name: p.read_bytes() for p in out.glob("*.xlsx")}
    config = str(root / "config" / "indicators.yaml")
    result = CliRunner().invoke(main, ["templates", "--config", config, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "5 template(s) for 2008/09" in result.output and "warning" not in result.output
    assert {p.name: p.read_bytes() for p in out.glob("*.xlsx")} == before


def test_the_templates_command_never_overwrites_a_different_file(tmp_path: Path) -> None:
    import shutil

    from click.testing import CliRunner

    from scorecard.cli import main

    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "workbook_templates"
    shutil.copytree(root / "workbook_templates", out)
    before = {p.name: p.read_bytes() for p in out.glob("*.xlsx")}
    args = ["templates", "--config", str(root / "config" / "indicators.yaml"), "--out", str(out)]
    refused = CliRunner().invoke(main, [*args, "--year", "2026/27"])
    assert refused.exit_code == 2
    assert "already exist and differ from the 2026/27 templates" in refused.output
    assert "--force" in refused.output
    assert {p.name: p.read_bytes() for p in out.glob("*.xlsx")} == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    forced = CliRunner().invoke(main, [*args, "--year", "2026/27", "--force"])
    assert forced.exit_code == 0
    assert "no targets for 2026/27" in forced.output
    assert {p.name: p.read_bytes() for p in out.glob("*.xlsx")} != before


def border_of(cell) -> tuple[str | None, str]:
    side = cell.border.left
    return side.style, "#" + str(side.color.rgb)[-6:].upper() if side.color is not None else ""


def test_each_row_says_which_month_each_return_carries(mini_templates: Path) -> None:
    """A survey a month behind says so, so a lead does not type July for June."""
    ws = load(mini_templates / "surveys.xlsx")["Return"]
    _, cols = header(ws)
    sat = row_of(ws, "victim-sat", "satisfied")
    assert ws.cell(sat, cols["Due"]).value == (
        "A month behind: each return carries the month before its own"
    )
    crime = load(mini_templates / "crime.xlsx")["Return"]
    _, crime_cols = header(crime)
    sac = row_of(crime, "sac", "offences")
    assert crime.cell(sac, crime_cols["Due"]).value == "Each return carries its own month's figure"
    assert border_of(crime.cell(sac, crime_cols["2008-07"]))[0] == "thin"  # no month marked


def test_a_template_made_for_a_month_marks_the_cells_due_in_it(
    mini: Catalogue, tmp_path: Path
) -> None:
    write_templates(mini, YEAR, tmp_path, month=Month(2008, 7))
    ws = load(tmp_path / "surveys.xlsx")["Return"]
    _, cols = header(ws)
    sat = row_of(ws, "victim-sat", "satisfied")
    assert ws.cell(sat, cols["Due"]).value == (
        "In the Jul 2008 return: Jun 2008 (a month behind: each return carries the month "
        "before its own)"
    )
    assert border_of(ws.cell(sat, cols["2008-06"])) == ("medium", "#C65911")
    assert border_of(ws.cell(sat, cols["2008-07"]))[0] == "thin"  # next month's figure
    assert "For the Jul 2008 return" in ws.cell(2, 1).value
    crime = load(tmp_path / "crime.xlsx")["Return"]
    _, crime_cols = header(crime)
    sac = row_of(crime, "sac", "offences")
    assert crime.cell(sac, crime_cols["Due"]).value.startswith("In the Jul 2008 return: Jul 2008")
    due = [
        m
        for m in crime_cols
        if m[:2] == "20" and border_of(crime.cell(sac, crime_cols[m]))[0] == "medium"
    ]
    assert due == ["2008-07"]


def test_the_templates_command_makes_them_for_a_month(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from scorecard.cli import main

    args = ["templates", "--config", str(FIXTURES / "mini.yaml"), "--out", str(tmp_path)]
    result = CliRunner().invoke(main, [*args, "--month", "2008-07"])
    assert result.exit_code == 0, result.output
    assert "3 template(s) for 2008/09" in result.output
    ws = load(tmp_path / "surveys.xlsx")["Return"]
    assert ws.cell(row_of(ws, "victim-sat", "satisfied"), header(ws)[1]["Due"]).value.startswith(
        "In the Jul 2008 return: Jun 2008"
    )
    wrong = CliRunner().invoke(main, [*args, "--month", "2008-07", "--year", "2009/10", "--force"])
    assert wrong.exit_code == 2 and "2008-07 is not a month of 2009/10" in wrong.output
