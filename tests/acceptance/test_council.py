"""The council sample: a second organisation, quarterly, under the Havering scheme.

`samples/council/` compiles clean, every indicator's status for each quarter checked
matches the table below, and the master speaks the council's language: its own status
names, colours and legend, its headings, 8 quarters of trend and both directions of
travel, and no BLUE (its scheme cannot give one).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.workbook.workbook import Workbook
from tests.workbook_cells import cells

from scorecard.catalogue import load_catalogue
from scorecard.cli import main

ROOT = Path(__file__).resolve().parents[2]
COUNCIL = ROOT / "samples" / "council"
CATALOGUE = COUNCIL / "indicators.yaml"
RETURNS = COUNCIL / "returns"

G, A, R, C = "GREEN", "AMBER", "RED", "NO_TARGET"  # On track, Improving, Off track, Context

# 2024/25 Q4: the report the sample is made for.
MARCH_2025 = {
    "fin-01": G,  # 97.1% against the Q4 profile 97.5%: within 10%
    "fin-02": G,
    "fin-03": G,  # 20.4 days against 19, lower is better: inside the 2-day tolerance
    "fin-04": G,  # 8.3 days against 8: within 10%
    "fin-05": G,
    "fin-06": A,  # 96.6% against 98%: outside the 1% tolerance, better than 96.3% last year
    "env-01": A,  # 40.5% against 46%, but the year-end forecast (46.7%) meets the target
    "env-02": G,  # 48.9 against 45, lower is better: inside the 10% tolerance
    "env-03": G,
    "env-04": G,
    "env-05": G,
    "env-06": C,
    "hou-01": A,  # 57.1% against 65%: more than 10% off, better than 53.8% last year
    "hou-02": G,
    "hou-03": G,
    "hou-04": A,  # 84 homes against the Q4 profile 110: better than 71 last year
    "hou-05": R,  # 57 against 65: outside the 5-case tolerance, worse than 63 last year
    "hou-06": R,  # 31.5 days against 24: worse than 29.0 last year
    "hou-07": C,
    "hou-08": C,
    "cor-01": R,  # 78.6% against 90%: worse than 84.1% last year
    "cor-02": G,
    "cor-03": A,  # 67.4% against 80%: better than 61.2% last year
    "cor-04": R,  # 9.2 days against the Q4 profile 7.6: worse than 8.7 last year
    "cor-05": C,
    "cor-06": C,
}
# Earlier quarters, compiled with --month: profiled targets are assessed against their
# own quarter's value, and the Q1 2024/25 homelessness figure before its revision.
EARLIER = {
    "2024-06": {
        **dict.fromkeys(MARCH_2025, G),
        **dict.fromkeys(("env-06", "hou-07", "hou-08", "cor-05", "cor-06"), C),
        "hou-04": G,  # 26 homes against the Q1 profile 25
        "hou-05": R,  # 58 as first returned: 7 short, worse than 59 last year
        "cor-04": G,  # 2.0 days against the Q1 profile 1.9: within 10%
    },
    "2024-09": {
        **dict.fromkeys(MARCH_2025, G),
        **dict.fromkeys(("env-06", "hou-07", "hou-08", "cor-05", "cor-06"), C),
        "hou-04": A,  # 40 against the Q2 profile 50: better than 31 last year
        "hou-06": R,  # 27.4 days against 24: worse than 25.9 last year
        "cor-04": R,  # 4.4 days against the Q2 profile 3.8: worse than 4.1 last year
    },
    "2023-12": {
        "fin-03": A,  # 22.8 days: outside the tolerance, better than 23.1 a year before
        "env-01": R,  # 39.6% against 45%, and the forecast (44.6%) misses too
        "hou-01": R,  # 5 of 10 (50%) against 60%: worse than 53.8% a year before
        "hou-04": R,  # 52 against the Q3 profile 70: worse than 54 a year before
        "hou-05": R,
        "cor-04": G,  # 6.5 days against the Q3 profile 6.1: within 10%
    },
}
# hou-04's profile, 2024/25: the target each quarter is assessed against.
HOU_04_TARGETS = {"2024-06": 25, "2024-09": 50, "2024-12": 80, "2025-03": 110}

COUNCIL_LABELS = {
    "On track",
    "Improving",
    "Off track",
    "Context",
    "Baseline",
    "Not available",
    "Data issue",
}
OBJECTIVE_SHEETS = ["Finances", "Clean and green", "Homes and growth", "Customers and staff"]


def compile_council(tmp: Path, month: str | None = None) -> tuple[Any, dict, Path]:
    out, js = tmp / "scorecard.xlsx", tmp / "scorecard.json"
    args = ["compile", "--config", str(CATALOGUE), "--returns", str(RETURNS)]
    args += ["--out", str(out), "--json", str(js)]
    if month:
        args += ["--month", month]
    result = CliRunner().invoke(main, args)
    data = json.loads(js.read_text(encoding="utf-8")) if js.exists() else {}
    return result, data, out


@pytest.fixture(scope="module")
def march(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict, Path]:
    return compile_council(tmp_path_factory.mktemp("council"))


@pytest.fixture(scope="module")
def book(march: tuple[Any, dict, Path]) -> Workbook:
    return openpyxl.load_workbook(march[2])


def statuses(data: dict) -> dict[str, str]:
    return {i["key"]: i["status"] for i in data["indicators"]}


def indicator_rows(sheet) -> list[tuple]:
    """The indicator rows of an objective sheet: from the header to the first blank Ref."""
    rows = []
    for row in sheet.iter_rows(min_row=7, max_col=11):
        if row[0].value is None:
            break
        rows.append(row)
    return rows


def rows_by_ref(book: Workbook) -> dict[str, tuple]:
    return {
        str(row[0].value): row for name in OBJECTIVE_SHEETS for row in indicator_rows(book[name])
    }


# --- the run --------------------------------------------------------------------------


def test_council_sample_compiles_clean(march: tuple[Any, dict, Path]) -> None:
    result, data, out = march
    assert result.exit_code == 0, result.output
    assert out.exists()
    assert "Mar 2025: 26 indicators: 12 GREEN, 5 AMBER, 4 RED, 5 NO_TARGET" in result.output
    assert "0 problem(s) found" in result.output
    assert data["chase"] == []
    assert len(data["files"]) == 32  # 4 service areas x 8 quarters


def test_default_output_path_is_the_quarter(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["compile", "--config", str(CATALOGUE), "--returns", str(RETURNS), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "scorecard-2025-03.xlsx").exists()


def test_statuses_for_2024_25_q4(march: tuple[Any, dict, Path]) -> None:
    assert statuses(march[1]) == MARCH_2025


@pytest.mark.parametrize("month", list(EARLIER))
def test_statuses_for_earlier_quarters(tmp_path: Path, month: str) -> None:
    result, data, _ = compile_council(tmp_path, month)
    # The later quarters' folders are there, and said to be ignored: nothing else.
    assert result.exit_code == 1, result.output
    assert {p["code"] for p in data["problems"]} <= {"future-folder", "revised"}
    assert {p["code"] for p in data["problems"] if p["level"] != "info"} == {"future-folder"}
    assert data["chase"] == []
    found = statuses(data)
    assert {key: found[key] for key in EARLIER[month]} == EARLIER[month]


@pytest.mark.parametrize(("month", "target"), HOU_04_TARGETS.items())
def test_profiled_target_is_the_quarters_own(tmp_path: Path, month: str, target: int) -> None:
    _, data, _ = compile_council(tmp_path, month)
    homes = next(i for i in data["indicators"] if i["key"] == "hou-04")
    assert homes["numeric_target"] == target
    quarter = list(HOU_04_TARGETS).index(month) + 1
    assert f"(Q{quarter} profile)" in homes["explanation"]
    # The target column names the quarter's own target, not only the year-end one.
    assert homes["target"].endswith(f"(Q{quarter}: {target})")


def test_the_revision_is_reported(march: tuple[Any, dict, Path]) -> None:
    (revised,) = [p for p in march[1]["problems"] if p["code"] == "revised"]
    assert revised["level"] == "info"
    assert revised["file"] == "returns/2024-09/planning-housing.xlsx"
    assert (revised["key"], revised["month"]) == ("hou-05", "Jun 2024")
    assert "revised from 58" in revised["message"]
    # The lead's words on the revision, from the September return's Commentary sheet.
    words = "Q1 revised from 58 to 61: three preventions were recorded late."
    assert revised["comment"] == words
    assert revised["message"].endswith(f'to 61: "{words}"')


def test_directions_in_json(march: tuple[Any, dict, Path]) -> None:
    found = {
        i["key"]: (i["direction"], i["direction_short"], i["direction_long"])
        for i in march[1]["indicators"]
    }
    assert found["fin-06"] == ("worse", "worse", "better")  # 96.6: 97.4 last quarter, 96.3
    assert found["hou-07"] == ("better", "better", "worse")  # context, lower is better
    assert found["hou-08"] == (None, None, None)  # context with no polarity
    # Year to date: only the same quarter last year compares.
    assert found["cor-04"] == (None, None, "worse")
    assert found["hou-04"] == (None, None, "better")


# --- the master, read back ---------------------------------------------------------------


def test_objective_sheet_headings(book: Workbook) -> None:
    assert book.sheetnames == ["Summary", *OBJECTIVE_SHEETS, "Data", "Issues"]
    sheet = book["Finances"]
    assert [c.value for c in sheet[6]] == [
        "Ref",
        "Measure",
        "2024/25 target",
        "This quarter",
        "Status",
        "Trend (8 quarters)",
        "Direction: last quarter",
        "Direction: same quarter last year",
        "Explanation",
        "Variation (SPC)",
        "Assurance (SPC)",
    ]
    assert sheet["A1"].value == "Fenwick Vale District Council: Corporate Performance Scorecard"
    assert sheet["A3"].value.startswith("Figures are for the quarter ending March 2025")


def test_quarterly_rows_say_insufficient_data_rather_than_draw_limits(book: Workbook) -> None:
    """Twelve quarters are fewer than the 13 points the limits need (issue 15): no mark,
    no chart; a figure returned as given (a rolling value, maybe) is not charted."""
    rows = rows_by_ref(book)
    marks = {ref: (row[9].value, row[10].value) for ref, row in rows.items()}
    assert set(marks.values()) == {
        ("Insufficient data (12 points)", "Insufficient data"),
        ("Insufficient data (8 points)", "Insufficient data"),
        ("Not charted", None),
    }
    assert "Charts" not in book.sheetnames


def test_rows_show_the_councils_statuses_trend_and_directions(book: Workbook) -> None:
    rows = rows_by_ref(book)
    labels = {G: "On track", A: "Improving", R: "Off track", C: "Context"}
    catalogue = load_catalogue(CATALOGUE)
    by_label = {i.label: i.key for i in catalogue.indicators}
    assert {by_label[ref]: row[4].value for ref, row in rows.items()} == {
        key: labels[status] for key, status in MARCH_2025.items()
    }
    for row in rows.values():
        assert len(row[5].value) == 8  # a mark per quarter, two years
    fin03 = rows["FIN 03"]
    assert [fin03[3].value, fin03[6].value, fin03[7].value] == ["20.4", "▲ better", "▲ better"]
    assert "On track, within 2" in fin03[8].value and "GREEN" not in fin03[8].value
    assert [rows["FIN 06"][6].value, rows["FIN 06"][7].value] == ["▼ worse", "▲ better"]
    assert [rows["COR 04"][6].value, rows["COR 04"][7].value] == ["year to date", "▼ worse"]
    context = rows["HSG 04"]  # households in temporary accommodation
    assert [context[4].value, context[6].value, context[7].value] == [
        "Context",
        "▲ better",
        "▼ worse",
    ]
    assert context[4].fill.fill_type is None  # coloured only by its rule: a light grey


def test_legend_and_rules_are_the_councils(book: Workbook) -> None:
    catalogue = load_catalogue(CATALOGUE)
    styles = catalogue.organisation.statuses
    for name in OBJECTIVE_SHEETS:
        sheet = book[name]
        values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
        # The legend above the table, in one line: the council's three lights, and the
        # neutral statuses its rows show by their label, each with the council's words.
        legend = str(sheet["A4"].value)
        shown = {c.value for row in indicator_rows(sheet) for c in row[4:5]}
        for style in styles.values():
            if style.label in ("On track", "Improving", "Off track") or style.label in shown:
                assert style.legend in legend, (name, style.label)
        assert "BLUE" not in values
        assert not any("blue" in str(v).lower() for v in values)
        rules = {}
        for rng in sheet.conditional_formatting:
            for rule in rng.rules:
                assert (rule.type, rule.operator) == ("cellIs", "equal")
                rules[rule.formula[0].strip('"')] = rule
        assert set(rules) == COUNCIL_LABELS
        for style in styles.values():
            assert rules[style.label].dxf.fill.bgColor.rgb == "FF" + style.fill[1:].upper()


def test_summary_prints_its_inputs_on_a_page_of_their_own(book: Workbook) -> None:
    sheet = book["Summary"]
    (inputs,) = [
        c for row in sheet.iter_rows(max_col=1) for c in row if c.value == "Inputs (SHA-256)"
    ]
    assert [brk.id for brk in sheet.row_breaks.brk] == [inputs.row - 1]
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert int(sheet.page_setup.fitToHeight) == 0  # one page wide, as many tall as needed
    listed = [c.value for row in sheet.iter_rows(min_row=inputs.row, max_col=1) for c in row]
    assert listed.count("Jun 2024 return") == 4


def test_summary_counts_the_councils_statuses(book: Workbook) -> None:
    sheet = book["Summary"]
    header = next(r for r in sheet.iter_rows() if r[1].value == "Objective")
    labels = [c.value for c in header[2:] if c.value is not None]
    assert labels == [
        "On track", "Improving", "Off track", "Context", "Baseline", "Not available",
        "Data issue", "Total",
    ]  # fmt: skip
    total = next(r for r in sheet.iter_rows() if r[1].value == "All objectives")
    assert [c.value for c in total[2:10]] == [12, 5, 4, 5, 0, 0, 0, 26]
    values = {c.value for row in sheet.iter_rows() for c in row}
    assert "No problems found; 1 note for information: see the Issues sheet" in values
    assert "All returns received" in values


# --- the sample is what its script makes -----------------------------------------------


def test_committed_council_sample_matches_its_script(tmp_path: Path) -> None:
    """Cells, not bytes: `python samples/council/make_samples.py --check` compares bytes."""
    spec = importlib.util.spec_from_file_location("council_samples", COUNCIL / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        made = module.make()
    finally:
        del sys.modules[spec.name]
    assert len(made) == 8 + 32  # two years of templates, eight quarters of returns
    stale = [
        str(path.relative_to(ROOT))
        for path, data in made.items()
        if not path.exists() or cells(path.read_bytes(), tmp_path) != cells(data, tmp_path)
    ]
    assert stale == [], "run: python samples/council/make_samples.py"
