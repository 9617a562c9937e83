"""`scorecard compile` with no arguments writes the July 2008 report, figure for figure
and colour for colour, read back from the master workbook."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from scorecard.cli import main

ROOT = Path(__file__).resolve().parents[2]

# Every row of the report, in order: (framework ID, 2008/09 TARGET, Rolling 12 months,
# status). BLUE where the row is 10% or better than target (the report prints GREEN on a
# blue background). None: a text answer, checked separately.
REPORT = {
    "1 Accessible services": [
        ("CPA & SPI 1.1", "78.9%", "77.0%", "AMBER"),
        ("CPA & SPI 1.2", "3.8% pts", "76.9% 72.8% 4.2% pts", "AMBER"),
        ("SPI 1.3", "No target", "70.9%", "NO_TARGET"),
    ],
    "2 Safer neighbourhoods": [
        ("SPI 4.1", "No target", "22.0%", "NO_TARGET"),
        ("SPI 4.2", "No target", "31.4%", "NO_TARGET"),
        ("SPI 4.3", "No target", "30.6%", "NO_TARGET"),
        (
            "CPA & SPI 5.2",
            "4% reduction",
            "down 17,829 offences (-7.8%) 28.04 per 1,000 population",
            "BLUE",
        ),
        ("CPA & SPI 6.2", "11.8%", "11.1%", "AMBER"),
        ("SPI 1.4", "No target", "48.2%", "NO_TARGET"),
        ("SPI 2.1", "No target", "58.3%", "NO_TARGET"),
        ("SPI 2.2", "No target", "51.9%", "NO_TARGET"),
        ("SPI 2.3", "1% increase", "55.2%", "NOT_AVAILABLE"),
        ("SPI 2.4", "No target", "Not available", "NO_TARGET"),
        ("SPI 2.5", "No target", "Not available", "NO_TARGET"),
        ("PP", "No target", "97%", "NO_TARGET"),
        ("PP", "No target", "72%", "NO_TARGET"),
        (
            "CPA & SPI 9.1",
            "3% reduction",
            "189 fewer victims/ -4.9% (12 mths to Mar 2008)",
            "NOT_AVAILABLE",
        ),
        ("SPI 7.1", "No targets", "Not available", "NO_TARGET"),
        ("SPI 10.1", "No target", "Not available", "NO_TARGET"),
        ("SPI 11.1", "No target", "Not available", "NO_TARGET"),
        ("SPI 11.2", "No target", "Not available", "NO_TARGET"),
        ("SPI 11.3", "No target", "Not available", "NO_TARGET"),
    ],
    "3 Counter terrorism": [
        ("CPA", "", None, "NO_TARGET"),
        ("PP", "No target", "5.6", "NO_TARGET"),
        ("PP", "No target", "6.5", "NO_TARGET"),
        ("PP", "No target", "2", "NO_TARGET"),
        ("PP", "90%", "98.7%", "GREEN"),
        ("PP", "95%", "100%", "GREEN"),
        ("PP", "0", "0", "GREEN"),
        ("PP", "85%", "100%", "BLUE"),
        ("PP", "85%", "98.4%", "BLUE"),
        ("PP", "No target", "", "NO_TARGET"),
        ("PP", "85%", "100%", "NOT_AVAILABLE"),
    ],
    "4 Major events": [
        ("CPA", "", None, "NO_TARGET"),
        ("PP", "No target", "5.7", "NO_TARGET"),
        ("PP", "5% reduction 1.25%", "-0.4% 1.4%", "NOT_AVAILABLE"),
        ("PP", "80%", "N/A", "RED"),
        ("PP", "25% 21%", "11.5% 12.8%", "RED"),
        ("PP", "No target No target", "42\n404 plans", "NO_TARGET"),
    ],
    "5 Serious violence": [
        (
            "CPA & SPI 5.1",
            "baseline",
            "down 2,881 offences (-3.8%) 9.8 per 1,000 population",
            "BASELINE",
        ),
        ("SPI 5.3", "No target", "N/A", "NO_TARGET"),
        (
            "CPA & SPI 5.5",
            "3% reduction",
            "down 616 offences (-19.5%) 0.34 per 1,000 population",
            "BLUE",
        ),
        ("SPI 5.6", "No target", "", "NO_TARGET"),
        ("CPA", "", "31.9%", "NO_TARGET"),
        ("SPI 6.1", "baseline", "39.7%", "BASELINE"),
        ("SPI 6.4", "", "25.5%", "NO_TARGET"),
        ("SPI 5.4", "No target", "up by 6 offences (30%) 0.003 per 1,000 pop", "NO_TARGET"),
        ("CPA", "67%", "34,894 arrests (65.8%)", "AMBER"),
        ("CPA", "6% reduction", "1,132 fewer victims/(-5.1%)", "RED"),
        ("PP", "Improve on 2007/08 level", "Not available", "NOT_AVAILABLE"),
        ("PP", "Improve on 2007/08 level", "-13.3% (42.3 per 1,000)", "BLUE"),
        ("SPI 6.3", "No target", "35.5%", "NO_TARGET"),
    ],
    "6 Criminal networks": [
        ("CPA", "29.2 monthly average (350 total)", "30.8 (monthly average)", "GREEN"),
        ("CPA", "208/month 2500 total", "206 (monthly average)", "AMBER"),
        ("SPI 8.1", "£3.5m/month (£42m total)", "£2.9m (monthly average)", "RED"),
        (
            "CPA",
            "210+ 136+ 47+ (monthly average)",
            "207\n137\n50 (monthly average)",
            "AMBER",
        ),
    ],
}
RAG = ("BLUE", "GREEN", "AMBER", "RED")


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory):
    """Run `scorecard compile` with no arguments in a copy of the repository's inputs."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(ROOT / "config", root / "config")
    shutil.copytree(ROOT / "samples" / "returns", root / "samples" / "returns")
    runner = CliRunner()
    cwd = root / "run"
    cwd.mkdir()
    for name in ("config", "samples"):
        (cwd / name).symlink_to(root / name)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        result = runner.invoke(main, ["compile"])
        again = runner.invoke(main, ["compile", "--json", "out/report.json"])
    master = cwd / "out" / "scorecard-2008-07.xlsx"
    data = json.loads((cwd / "out" / "report.json").read_text())
    return result, again, openpyxl.load_workbook(master), data, master


def labels_of(catalogue_statuses: dict) -> dict:
    return {code: style["label"] for code, style in catalogue_statuses.items()}


def status_labels() -> dict[str, str]:
    from scorecard.catalogue import load_catalogue

    org = load_catalogue(ROOT / "config" / "indicators.yaml").organisation
    return {str(code): style.label for code, style in org.statuses.items()}


def report_rows(sheet) -> tuple[dict[str, int], list[list]]:
    header_row = next(
        r for r in range(1, 10) if sheet.cell(r, 1).value == "Performance Indicator ID"
    )
    headers = {sheet.cell(header_row, c).value: c for c in range(1, sheet.max_column + 1)}
    rows = []
    for r in range(header_row + 1, sheet.max_row + 1):
        if sheet.cell(r, 1).value is None:
            break  # the blank row between the table and its legend
        rows.append([sheet.cell(r, c).value for c in range(1, sheet.max_column + 1)])
    return headers, rows


def test_defaults_write_the_july_2008_report(compiled):
    result, again, _, _, master = compiled
    assert result.exit_code == 0, result.output
    assert "wrote out/scorecard-2008-07.xlsx" in result.output
    assert "56 indicators: 5 BLUE, 4 GREEN, 6 AMBER, 4 RED" in result.output
    assert "0 problem(s) found" in result.output
    assert again.exit_code == 0 and master.exists()


def test_sheets_are_the_objectives_in_report_order(compiled):
    book = compiled[2]
    # the XmR charts after the objectives, their figures on a hidden sheet (issue 15)
    assert book.sheetnames == ["Summary", *REPORT, "Charts", "SPC data", "Data", "Issues"]
    assert book["SPC data"].sheet_state == "hidden"


@pytest.mark.parametrize("sheet_name", list(REPORT))
def test_every_figure_and_colour_of_the_report(compiled, sheet_name):
    book = compiled[2]
    labels = status_labels()
    headers, rows = report_rows(book[sheet_name])
    got = [
        (
            row[0],
            row[headers["2008/09 TARGET"] - 1] or "",
            row[headers["Rolling 12 months"] - 1] or "",
            row[headers["Performance Assessment"] - 1],
        )
        for row in rows
    ]
    # A text answer is laid across its row from the target column: no target, value or
    # assessment cell of its own (its status is in the JSON).
    expected = [
        (ident, got[i][1], "", None) if value is None else (ident, target, value, labels[status])
        for i, (ident, target, value, status) in enumerate(REPORT[sheet_name])
    ]
    assert got == expected


NARRATIVES = {
    "3 Counter terrorism": (
        "A draft MPS Counter Terrorism Strategy has now been written. This reflects the four "
        "strands of the Government strategy",
        "Regular reports in relation to performance against each strand of the strategy and "
        "developing work-plan have been provided.",
    ),
    "4 Major events": (
        "There are four critical performance areas against which progress against the "
        "delivery programme is being measured and coexisting deadlines. 1. Meeting the Demand",
        "The first draft CSP will be delivered to NSID(PSR) in October 2008 and, following a "
        "high-level review, the final CSP is due in December 2008.",
    ),
}


@pytest.mark.parametrize("sheet_name", list(NARRATIVES))
def test_text_answers_are_the_report_s_narrative_across_the_row(compiled, sheet_name):
    sheet = compiled[2][sheet_name]
    headers, rows = report_rows(sheet)
    first = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Performance Indicator ID")
    row = first + 1
    narrative = rows[0][headers["2008/09 TARGET"] - 1]
    start, end = NARRATIVES[sheet_name]
    assert narrative.startswith(start) and narrative.endswith(end)
    last = openpyxl.utils.get_column_letter(sheet.max_column)
    target = openpyxl.utils.get_column_letter(headers["2008/09 TARGET"])
    assert f"{target}{row}:{last}{row}" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.cell(row, headers["2008/09 TARGET"]).alignment.wrap_text
    assert sheet.row_dimensions[row].height < 150  # a readable row, not half a page


# The report's words for each row with the month's commentary: the standing notes come
# from the catalogue, the month's words from the July returns.
REPORT_COMMENTARY = {
    "cpa-dv-arrests": "Three of the last four months have been above new target level",
    "spi-8-1": "Individual months are subject to considerable variation. There is a large "
    "value confiscation expected in the August update",
    "events-public-order-training": "Course attendance is voluntary and Public Order "
    "training school advise that there has been poor uptake of training.",
    "events-bocu-aid": "Performance can be affected by single major events e.g. Operation "
    "Hargood at Heathrow airport last August.",
    "events-organiser-satisfaction": "A survey measure is currently being developed and "
    "will be implemented in September.",
    "spi-2-3": "2007/08 target has been met.",
    "events-emergency-preparedness": "At present there is not a QA procedure for these plans",
}


def test_the_month_s_commentary_comes_from_the_returns_not_the_catalogue(compiled):
    from scorecard.catalogue import load_catalogue

    catalogue = load_catalogue(ROOT / "config" / "indicators.yaml")
    data = compiled[3]
    given = {i["key"]: i["commentary"] for i in data["indicators"] if i["commentary"]}
    for key, words in REPORT_COMMENTARY.items():
        assert words not in catalogue.indicator(key).notes
        assert given[key]["text"].startswith(words), key
        assert given[key]["sheet"] == "Commentary"
        assert given[key]["file"].startswith("returns/2008-07/")
    book = compiled[2]
    texts = [
        str(cell.value)
        for name in REPORT
        for row in book[name].iter_rows(min_col=2, max_col=2)
        for cell in row
        if cell.value
    ]
    for words in REPORT_COMMENTARY.values():
        assert any("Owner's commentary" in t and words in t for t in texts), words


def test_json_has_all_56_with_the_reports_19_colours(compiled):
    data = compiled[3]
    statuses = [i["status"] for i in data["indicators"]]
    assert len(statuses) == 56
    expected = [row[3] for rows in REPORT.values() for row in rows]
    assert statuses == expected
    assert sum(s in RAG for s in statuses) == 19
    blue = [i for i in data["indicators"] if i["status"] == "BLUE"]
    assert all(i["ratio"] >= 1.10 for i in blue)
    assert data["month"] in ("2008-07", "Jul 2008") or data.get("month_label") == "Jul 2008"


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def test_every_value_and_explanation_reads_as_prose_with_balanced_brackets(compiled):
    """The sample's narratives have no "[...]" gaps; no bracket is left open (issue 20)."""
    for item in compiled[3]["indicators"]:
        for field in ("value", "explanation"):
            text = item[field] or ""
            assert "[...]" not in text and "[" not in text, (item["key"], text)
            assert _balanced(text), (item["key"], field, text)


@pytest.mark.parametrize("sheet_name", list(REPORT))
def test_status_colours_are_conditional_rules_on_the_status_text(compiled, sheet_name):
    from scorecard.catalogue import load_catalogue

    org = load_catalogue(ROOT / "config" / "indicators.yaml").organisation
    sheet = compiled[2][sheet_name]
    headers, rows = report_rows(sheet)
    column = openpyxl.utils.get_column_letter(headers["Performance Assessment"])
    fills = {}
    for cf_range, cf_rules in sheet.conditional_formatting._cf_rules.items():
        if not str(cf_range.sqref).startswith(column):
            continue
        for rule in cf_rules:
            text = rule.text or (rule.formula[0].strip('"') if rule.formula else None)
            fill = rule.dxf.fill
            colour = fill.bgColor.rgb if fill is not None else None
            fills[text] = colour
    for code in RAG:
        style = org.statuses[code]
        assert style.label in fills, f"no rule for {style.label} on {sheet_name}"
        assert fills[style.label][-6:].upper() == style.fill[1:].upper()
    # The cells themselves carry no fill of their own: the colour is the rule's.
    for r in range(len(rows)):
        cell = sheet.cell(
            r
            + 1
            + next(i for i in range(1, 10) if sheet.cell(i, 1).value == "Performance Indicator ID"),
            headers["Performance Assessment"],
        )
        assert cell.fill.fgColor.rgb in (None, "00000000", "FFFFFFFF") or cell.fill.fill_type in (
            None,
            "none",
        )


@pytest.mark.parametrize("sheet_name", list(REPORT))
def test_objective_sheets_print_and_stand_alone(compiled, sheet_name):
    sheet = compiled[2][sheet_name]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize in (9, "9")  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # One page wide (1 is the default, so it may be left out), any number of pages tall.
    assert sheet.page_setup.fitToWidth in (None, 1, "1")
    assert sheet.page_setup.fitToHeight in (0, "0")
    assert sheet.print_title_rows
    assert sheet.freeze_panes
    footer = sheet.oddFooter
    footer_text = " ".join(p.text or "" for p in (footer.left, footer.center, footer.right))
    assert "&P" in footer_text and "Metropolitan Police Service" in footer_text
    assert "July 2008" in footer_text
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type == "f":
                pytest.fail(f"{sheet_name}!{cell.coordinate} holds a formula")
    for cf_rules in sheet.conditional_formatting._cf_rules.values():
        for rule in cf_rules:
            assert all("!" not in f for f in rule.formula or [])


def test_board_text_names_parts_by_their_labels(compiled):
    """No internal part name ("sergeants_pcs") in an explanation the board reads."""
    from scorecard.catalogue import load_catalogue

    catalogue = load_catalogue(ROOT / "config" / "indicators.yaml")
    names = {
        part.name
        for indicator in catalogue.indicators
        for part in getattr(indicator.derive, "parts", None) or ()
        if part.label and part.label != part.name
    }
    data = compiled[3]
    for row in data["indicators"]:
        assert not [n for n in names if f"{n}:" in row["explanation"]], row["explanation"]
    training = next(i for i in data["indicators"] if i["key"] == "events-public-order-training")
    assert "Sergeants & PCs: 12.8% against a target of 21%" in training["explanation"]


def test_a_change_has_numeric_fields_in_json(compiled):
    """The change itself is a number in --json, not only inside the display text."""
    data = compiled[3]
    sac = next(i for i in data["indicators"] if i["label"] == "CPA & SPI 5.2")
    assert sac["numeric_value"] == 210_648
    assert sac["numeric_previous"] == 228_477
    assert sac["numeric_change"] == -17_829
    assert round(sac["numeric_change_pct"], 1) == -7.8
