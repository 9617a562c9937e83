"""The master workbook, read back with openpyxl: sheets, statuses, rules, print settings,
self-contained sheets, literal strings, reproducible bytes, atomic writes; and the JSON."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook

from scorecard import workbook as wbmod
from scorecard.catalogue import Objective, parse_catalogue
from scorecard.compile import assess_all
from scorecard.errors import Level, OutputError, Problem
from scorecard.jsonout import dumps, run_to_json, write_json
from scorecard.model import Source, Status
from scorecard.output import atomic_output
from scorecard.periods import Month
from scorecard.result import RunResult
from scorecard.workbook import (
    build,
    sheet_names,
    source_text,
    sparkline,
    status_looks,
    write_workbook,
)
from scorecard.workbook.summary import problem_line
from scorecard.workbook.texts import footer as page_footer
from scorecard.workbook.texts import shorten
from tests.fixtures.workbook import sample

PERIOD = "Rolling 12 months = 12 months ending July 2008 unless otherwise stated."
OBJECTIVE_SHEETS = ["Make our services more", "Plan for major events 2012", "History (2)"]
EXPECTED_STATUS = {
    "satisfaction": "AMBER",
    "sac": "GREEN",
    "racist": "No target",
    "coordinator": "BLUE",
    "assets": "RED",
    "fires": "Not available",
    "violence": "Baseline",
    "arrests": "Data issue",
    "injection": "No target",
    "waits": "BLUE",
}


@pytest.fixture(scope="module")
def run() -> RunResult:
    return sample.run()


@pytest.fixture(scope="module")
def xlsx(run: RunResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workbook(run, tmp_path_factory.mktemp("wb") / "scorecard-2008-07.xlsx")


@pytest.fixture(scope="module")
def book(xlsx: Path) -> OpenpyxlWorkbook:
    return openpyxl.load_workbook(xlsx, rich_text=True)


def table_rows(sheet) -> list[tuple]:
    """The indicator rows of an objective sheet: the table ends at its first blank row (a
    text answer's row has no status cell: its narrative runs across from the target)."""
    out = []
    for row in sheet.iter_rows(min_row=7, max_col=9):
        if row[0].value is None:
            break
        out.append(row)
    return out


def rows_of(sheet) -> dict[str, dict]:
    """The Data sheet's rows by key, each by its headings."""
    header = [c.value for c in sheet[1]]
    return {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(2, values_only=True)}


def rows_by_label(sheet) -> dict[str, tuple]:
    """Table rows by the Performance Indicator ID column (the first row of each ID)."""
    out: dict[str, tuple] = {}
    for row in table_rows(sheet):
        out.setdefault(str(row[0].value), row)
    return out


def status_cells(book: OpenpyxlWorkbook) -> dict[str, str]:
    """Indicator key -> status cell text, matched through the Data sheet's labels."""
    data = book["Data"]
    keys = {}
    for key, label, title in data.iter_rows(min_row=2, max_col=3, values_only=True):
        keys[(label, title)] = key
    found = {}
    for name in OBJECTIVE_SHEETS:
        for row in table_rows(book[name]):
            title = str(row[1].value).split("\n")[0]
            found[keys[(row[0].value, title)]] = row[4].value
    return found


# --- sheets and content --------------------------------------------------------------


def test_sheets_in_catalogue_order(book: OpenpyxlWorkbook) -> None:
    assert book.sheetnames == ["Summary", *OBJECTIVE_SHEETS, "Data", "Issues"]


def test_sheet_names_are_legal_unique_and_short() -> None:
    objectives = [
        Objective(key="a", title="Reduce serious violence and protect young people"),
        Objective(key="b", title="Reduce serious violence and protect young people"),
        Objective(key="c", title="Data"),
        Objective(key="d", title="x", sheet_name="Counter terrorism"),
        Objective(key="e", title="'[]:*?/\\'"),
        Objective(key="f", title="history"),
        Objective(key="g", title="A" * 40),
    ]
    names = sheet_names(objectives)
    assert names == {
        "a": "Reduce serious violence and",
        "b": "Reduce serious violence and (2)",
        "c": "Data (2)",
        "d": "Counter terrorism",
        "e": "Objective 5",
        "f": "history (2)",
        "g": "A" * 31,
    }
    for name in names.values():
        assert len(name) <= 31
        assert not re.search(r"[\[\]:*?/\\]", name)
    assert len({n.casefold() for n in names.values()}) == len(names)


def test_status_cells_read_as_the_report(book: OpenpyxlWorkbook) -> None:
    # The text answer's row is laid across: it has no status cell of its own.
    narrative = {"injection"}
    expected = {k: v for k, v in EXPECTED_STATUS.items() if k not in narrative}
    assert {k: v for k, v in status_cells(book).items() if v is not None} == expected


def test_objective_sheet_mirrors_the_report_columns(book: OpenpyxlWorkbook) -> None:
    sheet = book["Make our services more"]
    headings = [c.value for c in sheet[6]]
    assert headings == [
        "Performance Indicator ID",
        "Indicator",
        "2008/09 TARGET",
        "Rolling 12 months",
        "Performance Assessment",
        "Trend (13 months)",
        "Direction: last month",
        "Direction: same month last year",
        "Explanation",
    ]
    assert sheet["A1"].value == "Test Metropolitan Police Service: Performance Assessment"
    assert sheet["A2"].value.startswith("Make our services more accessible")
    assert sheet["A3"].value == PERIOD
    rows = rows_by_label(sheet)
    sac = rows["CPA & SPI 5.2"]
    assert [c.value for c in sac[2:5]] == [
        "7.5% reduction",
        "down 17,829 offences (-7.8%) 28.04 per 1,000 population",
        "GREEN",
    ]
    satisfaction = rows["CPA & SPI 1.1"]
    assert satisfaction[6].value == "▲ better"
    assert satisfaction[7].value == "▲ better"  # 77.0% against 74.0% a year before
    assert set(satisfaction[5].value) <= set(wbmod.SPARK_BLOCKS)
    assert len(satisfaction[5].value) == 13
    assert satisfaction[8].value.startswith("77.0% against a target of 78.9%")
    assert rows["SPI 1.3"][6].value == "▼ worse"
    assert rows["SPI 1.3"][7].value is None  # no figure a year before


def test_indicator_cell_has_bold_title_and_smaller_notes(book: OpenpyxlWorkbook) -> None:
    cell = rows_by_label(book["Make our services more"])["CPA & SPI 1.1"][1]
    assert isinstance(cell.value, CellRichText)
    title, notes = [part for part in cell.value if isinstance(part, TextBlock)]
    assert title.text == "Victim satisfaction with the overall service provided (CVS)"
    assert title.font.b
    assert notes.text == "\nLatest data is for the rolling 12 months to Jun-08."
    assert notes.font.sz < title.font.sz
    assert cell.alignment.wrap_text


def test_title_without_notes_is_bold(book: OpenpyxlWorkbook) -> None:
    cell = rows_by_label(book["Plan for major events 2012"])["SPI 7.1"][1]
    assert cell.value == "Number of deliberate primary fires per 10,000 population"
    assert cell.font.b


def test_every_objective_sheet_explains_itself(book: OpenpyxlWorkbook) -> None:
    for name in OBJECTIVE_SHEETS:
        # The legend and the footnotes, above the table: rows 4 and 5, print titles.
        legend, notes = str(book[name]["A4"].value), str(book[name]["A5"].value)
        for words in (
            "On target",
            "Marginally below target",
            "Well below target",
            "Blue background of green traffic light: 10% or better than target",
        ):
            assert words in legend, (name, words)
        assert "Population based data reflects 2006 Mid-Year Estimates." in notes
        assert "A4:I4" in {str(r) for r in book[name].merged_cells.ranges}
        assert sum(c.value == PERIOD for row in book[name].iter_rows() for c in row) == 1


def test_summary(book: OpenpyxlWorkbook, run: RunResult) -> None:
    sheet = book["Summary"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert values[:3] == [
        "Test Metropolitan Police Service",
        "Performance Assessment: July 2008",
        PERIOD,
    ]
    assert "Surveys: no return for Jul 2008" in values
    assert "2 problems found (1 error, 1 warning): see the Issues sheet" in values
    assert run.catalogue.fingerprint in values
    assert "a" * 64 in values and "b" * 64 in values
    # The owner is named where the file name does not say it (owner "tp").
    assert "returns/2008-07/territorial-policing.xlsx (Territorial Policing)" in values
    assert "Jul 2008 return" in values
    # Counts per objective: BLUE, GREEN, AMBER, RED, No target, Baseline, N/A, Data issue.
    header = next(r for r in sheet.iter_rows() if r[1].value == "Objective")
    assert [c.value for c in header[2:11]] == [
        "BLUE", "GREEN", "AMBER", "RED", "No target", "Baseline", "Not available", "Data issue",
        "Total",
    ]  # fmt: skip
    counts = {
        r[1].value: [c.value for c in r[2:11]]
        for r in sheet.iter_rows(min_row=header[0].row + 1, max_row=header[0].row + 4)
    }
    assert counts["History"] == [0, 0, 0, 0, 1, 0, 0, 1, 2]
    assert counts["All objectives"] == [2, 1, 1, 1, 2, 1, 1, 1, 10]


def test_summary_without_chase_or_problems(run: RunResult, tmp_path: Path) -> None:
    quiet = dataclasses.replace(run, chase=[], problems=[], files=[])
    book = openpyxl.load_workbook(write_workbook(quiet, tmp_path / "quiet.xlsx"))
    values = {c.value for row in book["Summary"].iter_rows() for c in row}
    assert {"All returns received", "No problems found", "No returns were read"} <= values
    assert book["Issues"]["A1"].value == "No problems found"


def test_issues_sheet_lists_every_problem(book: OpenpyxlWorkbook) -> None:
    sheet = book["Issues"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Level", "Code", "File", "Line", "Sheet", "Cell", "Key", "Month", "Message")
    assert rows[1] == (
        "error", "not-a-number", sample.TP_FILE, None, "Return", "F12", "arrests", "2008-07",
        "'sixty' is not a number",
    )  # fmt: skip
    assert rows[2][-1] == '=HYPERLINK("http://x","y") was typed as text'
    assert len(rows) == 3


def test_data_sheet_is_a_filterable_table(book: OpenpyxlWorkbook) -> None:
    sheet = book["Data"]
    assert list(sheet.tables) == ["Indicators"]
    table = sheet.tables["Indicators"]
    assert table.ref == "A1:R11"
    assert table.autoFilter is not None
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Key", "Label", "Indicator", "Objective"]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(2, values_only=True)}
    assert set(rows) == set(EXPECTED_STATUS)
    coordinator = rows["coordinator"]
    assert coordinator["Numeric value"] == pytest.approx(98.4)
    assert coordinator["Numeric target"] == 85
    assert coordinator["Ratio"] == pytest.approx(98.4 / 85)
    assert coordinator["Status"] == "BLUE"
    assert coordinator["Owner"] == "Specialist Operations"
    assert rows["waits"]["Ratio"] is None  # infinite: at zero against a ceiling
    assert rows["sac"]["Sources"] == f"{sample.TP_FILE}: Return!G17:G28, G5:G16"
    assert rows["arrests"]["Status"] == "DATA_ISSUE"
    assert (rows["satisfaction"]["Direction"], rows["satisfaction"]["Direction long term"]) == (
        "better",
        "better",
    )


# --- conditional formats, print settings, self-contained sheets --------------------------


def test_status_colour_comes_only_from_rules_on_its_text(
    book: OpenpyxlWorkbook, run: RunResult
) -> None:
    looks = status_looks(run.catalogue.organisation)
    by_label = {look.label: look for look in looks.values()}
    for name in OBJECTIVE_SHEETS:
        sheet = book[name]
        last = 6 + len(table_rows(sheet))
        rules = {}
        for rng in sheet.conditional_formatting:
            assert str(rng.sqref) == f"E7:E{last}"
            for rule in rng.rules:
                assert (rule.type, rule.operator) == ("cellIs", "equal")
                (formula,) = rule.formula
                rules[formula.strip('"')] = rule
        assert set(rules) == set(by_label)
        for label, rule in rules.items():
            look = by_label[label]
            assert rule.dxf.fill.bgColor.rgb == "FF" + look.fill.lstrip("#").upper()
            assert rule.dxf.font.color.rgb == "FF" + look.font.lstrip("#").upper()
        # The cells themselves carry no fill: edit the text and the colour follows.
        for row in table_rows(sheet):
            assert row[4].fill.fill_type is None
    # BLUE's default look: the report's blue, its label in white (5.1:1; a catalogue that
    # shows the green light as a symbol gives it its own colour).
    assert rules["BLUE"].dxf.fill.bgColor.rgb == "FF0070C0"
    assert rules["BLUE"].dxf.font.color.rgb == "FFFFFFFF"
    assert rules["GREEN"].dxf.fill.bgColor.rgb == "FF00B050"
    assert rules["AMBER"].dxf.fill.bgColor.rgb == "FFFFC000"
    assert rules["RED"].dxf.fill.bgColor.rgb == "FFFF0000"


def test_print_settings(book: OpenpyxlWorkbook) -> None:
    for name in book.sheetnames:
        sheet = book[name]
        setup = sheet.page_setup
        assert setup.orientation == "landscape", name
        assert int(setup.paperSize) == 9, name  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        assert (setup.fitToWidth or 1) == 1, name  # absent means 1, the OOXML default
        # The Summary fits on one page; the rest run as many pages tall as needed.
        tall = 1 if setup.fitToHeight is None else int(setup.fitToHeight)  # absent: 1
        assert tall == (1 if name == "Summary" else 0), name
        footer = sheet.oddFooter
        assert footer.left.text == "Test Metropolitan Police Service"
        assert "July 2008" in footer.center.text
        assert "&P" in footer.right.text
    for name in OBJECTIVE_SHEETS:
        # The title, objective, period, legend, footnotes and column headings: on every page.
        assert book[name].print_title_rows == "$1:$6"
        assert book[name].freeze_panes == "A7"
        assert book[name].column_dimensions["B"].width >= 40
    assert book["Data"].print_title_rows == "$1:$1"
    assert book["Data"].freeze_panes == "A2"


def test_rows_are_tall_enough_for_wrapped_text(book: OpenpyxlWorkbook) -> None:
    sheet = book["Make our services more"]
    rows = rows_by_label(sheet)
    # A title and its note: two lines at least (10 and 8 point type).
    assert sheet.row_dimensions[rows["CPA & SPI 1.1"][0].row].height >= (10 + 8) * 1.2
    # A figure that wraps onto two lines in its column.
    assert sheet.row_dimensions[rows["CPA & SPI 5.2"][0].row].height >= 2 * 10 * 1.2
    for row in table_rows(sheet):
        assert sheet.row_dimensions[row[0].row].height >= 15


def test_no_reference_to_another_sheet(xlsx: Path, book: OpenpyxlWorkbook) -> None:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
        for rng in sheet.conditional_formatting:
            for rule in rng.rules:
                assert all("!" not in f for f in rule.formula)
        for validation in sheet.data_validations.dataValidation:
            assert "!" not in f"{validation.formula1}{validation.formula2}"
        for name in sheet.defined_names.values():
            # Print_Titles, made by repeat_rows, is local and names only its own sheet.
            for title, _ in name.destinations:
                assert title == sheet.title
    assert not book.defined_names  # nothing workbook-wide
    with zipfile.ZipFile(xlsx) as archive:
        workbook_xml = archive.read("xl/workbook.xml").decode()
        sheets = re.findall(r'<sheet name="([^"]+)"', workbook_xml)
        for local, ref in re.findall(
            r'<definedName name="[^"]+"(?: localSheetId="(\d+)")?>([^<]*)<', workbook_xml
        ):
            assert local != "", f"workbook-wide defined name {ref}"
            own = sheets[int(local)].replace("'", "''")
            assert re.fullmatch(rf"(?:'{re.escape(own)}'|{re.escape(own)})!\$\d+:\$\d+", ref)
        for member in archive.namelist():
            if member.startswith("xl/worksheets/sheet"):
                xml = archive.read(member).decode()
                assert "<f>" not in xml and "<f " not in xml, member
                assert "<hyperlink" not in xml, member
                for formula in re.findall(r"<formula>([^<]*)</formula>", xml):
                    assert "!" not in formula, member
        assert not any("externalLink" in m for m in archive.namelist())


# --- literal strings ---------------------------------------------------------------------


def test_strings_that_look_like_formulas_links_or_numbers_stay_text(
    book: OpenpyxlWorkbook,
) -> None:
    found = {}
    for sheet in book.worksheets:
        assert not sheet._hyperlinks, sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                text = str(cell.value) if cell.value is not None else ""
                for bad in sample.INJECTIONS:
                    if text == bad or (isinstance(cell.value, CellRichText) and bad in text):
                        found.setdefault(bad, []).append(cell)
    assert set(found) == set(sample.INJECTIONS)
    for cells in found.values():
        for cell in cells:
            assert cell.data_type == "s", cell.coordinate
            assert cell.hyperlink is None
    row = rows_by_label(book["History (2)"])["@SUM(A1)"]
    assert str(row[1].value) == '=HYPERLINK("http://x","y")\n+44 20 7230 1212'
    # A text answer: its value laid across the row, from the target column on.
    assert [row[2].value, row[3].value] == ["http://example.com", None]
    data = rows_of(book["Data"])
    assert (data["injection"]["Target"], data["injection"]["Value"]) == (
        "=1+2",
        "http://example.com",
    )


def test_workbook_options_turn_every_conversion_off() -> None:
    assert wbmod.WORKBOOK_OPTIONS["strings_to_formulas"] is False
    assert wbmod.WORKBOOK_OPTIONS["strings_to_urls"] is False
    assert wbmod.WORKBOOK_OPTIONS["strings_to_numbers"] is False


# --- reproducible and atomic -------------------------------------------------------------


def test_same_inputs_give_the_same_bytes(run: RunResult, tmp_path: Path) -> None:
    first = write_workbook(run, tmp_path / "a" / "out.xlsx").read_bytes()
    second = write_workbook(sample.run(), tmp_path / "b" / "out.xlsx").read_bytes()
    assert first == second


def test_fixed_document_properties(book: OpenpyxlWorkbook) -> None:
    assert book.properties.creator == "scorecard"
    assert book.properties.created == datetime(2008, 8, 1)
    assert book.properties.title == "Performance Assessment: July 2008"


def test_failed_close_leaves_the_previous_file(
    run: RunResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = write_workbook(run, tmp_path / "out.xlsx")
    before = target.read_bytes()

    def broken_close(self: xlsxwriter.Workbook) -> None:
        self.fileclosed = True
        self.filename.write(b"PK half a workbook")  # zipped in memory, written after
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", broken_close)
    with pytest.raises(OutputError) as caught:
        write_workbook(run, target)
    assert str(caught.value) == f"cannot write {target}: No space left on device"
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_failed_build_leaves_the_previous_file(
    run: RunResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = write_workbook(run, tmp_path / "out.xlsx")
    before = target.read_bytes()

    def broken(*args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(build, "write_data", broken)
    with pytest.raises(RuntimeError, match="bug"):
        write_workbook(run, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_unwritable_folder_is_an_output_error(run: RunResult, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(OutputError) as caught:
        write_workbook(run, blocker / "out.xlsx")
    message = str(caught.value)
    assert message == f"cannot write {blocker / 'out.xlsx'}: {blocker} is a file, not a folder"
    assert "\n" not in message
    with pytest.raises(OutputError):
        write_json(run, blocker / "out.json")


def test_new_file_is_not_private_to_its_writer(run: RunResult, tmp_path: Path) -> None:
    target = write_workbook(run, tmp_path / "out.xlsx")
    assert target.stat().st_mode & 0o044  # readable by others, unlike mkstemp's 0600


# --- small parts -------------------------------------------------------------------------


def test_sparkline() -> None:
    months = [Month(2008, 1) + i for i in range(8)]
    assert sparkline(tuple(zip(months, range(8), strict=True))) == "▁▂▃▄▅▆▇█"
    # a flat series (all zero, or any one value) is drawn flat along the foot, not as a bar
    assert sparkline(((months[0], 5.0), (months[1], None), (months[2], 5.0))) == "▁ ▁"
    assert sparkline(tuple((m, 0.0) for m in months)) == "▁" * len(months)
    assert sparkline(((months[0], None), (months[1], float("nan")))) == ""
    assert sparkline(()) == ""


def test_source_text_groups_runs_of_cells() -> None:
    sources = (
        Source("a.xlsx", "Return", "G5"),
        Source("a.xlsx", "Return", "G6"),
        Source("a.xlsx", "Return", "G7"),
        Source("a.xlsx", "Return", "F12"),
        Source("b.xlsx", "Return", "G9"),
        Source("b.xlsx", "Other", "named"),
    )
    assert source_text(sources) == (
        "a.xlsx: Return!G5:G7, F12; b.xlsx: Return!G9; b.xlsx: Other!named"
    )


def test_catalogue_statuses_and_defaults(run: RunResult) -> None:
    looks = status_looks(run.catalogue.organisation)
    assert [looks[s].label for s in Status] == [
        "BLUE", "GREEN", "AMBER", "RED", "No target", "Baseline", "Not available", "Data issue",
    ]  # fmt: skip
    assert looks[Status.AMBER].legend == "Marginally below target"
    # Neutral states are greys: red, green and blue equal.
    for status in (Status.NO_TARGET, Status.BASELINE, Status.NOT_AVAILABLE, Status.DATA_ISSUE):
        fill = looks[status].fill.lstrip("#")
        assert fill[0:2] == fill[2:4] or abs(int(fill[0:2], 16) - int(fill[4:6], 16)) < 16


# --- JSON --------------------------------------------------------------------------------


def _strict(text: str) -> object:
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_json_output(run: RunResult, tmp_path: Path) -> None:
    path = write_json(run, tmp_path / "out" / "scorecard-2008-07.json")
    data = _strict(path.read_text(encoding="utf-8"))
    assert data["month"] == "2008-07"
    assert data["organisation"] == "Test Metropolitan Police Service"
    assert data["catalogue"]["sha256"] == run.catalogue.fingerprint
    assert [f["sha256"] for f in data["files"]] == ["a" * 64, "b" * 64]
    assert data["chase"][0]["text"] == "Surveys: no return for Jul 2008"
    assert data["problems"][0]["code"] == "not-a-number"
    assert data["counts"]["BLUE"] == 2 and data["counts"]["DATA_ISSUE"] == 1
    indicators = {i["key"]: i for i in data["indicators"]}
    assert list(indicators) == [i.key for i in run.catalogue.indicators]
    waits = indicators["waits"]
    assert waits["status"] == "BLUE" and waits["ratio"] is None
    coordinator = indicators["coordinator"]
    assert coordinator["target"] == "85%" and coordinator["value"] == "98.4%"
    assert coordinator["numeric_value"] == pytest.approx(98.4)
    assert coordinator["ratio"] == pytest.approx(98.4 / 85)
    assert f"{sample.SO_FILE}: Return!G16" in coordinator["sources"]
    assert coordinator["direction"] == "better"
    assert coordinator["direction_short"] == "better"
    assert coordinator["direction_long"] == "better"  # 98.4% against 94.8% a year before
    assert indicators["racist"]["direction_long"] is None  # no figure a year before
    assert indicators["fires"]["numeric_value"] is None
    assert indicators["arrests"]["status"] == "DATA_ISSUE"
    assert set(indicators["sac"]) >= {
        "key", "label", "title", "objective", "owner", "target", "value", "numeric_value",
        "ratio", "status", "explanation", "period", "sources", "direction",
    }  # fmt: skip
    assert sorted(p.name for p in path.parent.iterdir()) == ["scorecard-2008-07.json"]


# Any code point, lone surrogates and control characters included.
_ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_ANY_TEXT, notes=_ANY_TEXT, ratio=st.floats())
def test_json_is_valid_for_any_text_and_number(title: str, notes: str, ratio: float) -> None:
    run = sample.run()
    first = run.results[0]
    indicator = first.indicator.model_copy(update={"title": title, "notes": notes})
    changed = dataclasses.replace(
        first,
        indicator=indicator,
        reading=dataclasses.replace(first.reading, text=notes, value=ratio),
        assessment=dataclasses.replace(first.assessment, ratio=ratio, explanation=title),
    )
    run.results[0] = changed
    text = dumps(run)
    data = _strict(text)
    assert data["indicators"][0]["title"] == title
    assert json.dumps(run_to_json(run), allow_nan=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_ANY_TEXT, notes=_ANY_TEXT, label=_ANY_TEXT)
def test_workbook_takes_any_text(title: str, notes: str, label: str) -> None:
    import tempfile

    run = sample.run()
    first = run.results[0]
    indicator = first.indicator.model_copy(update={"title": title, "notes": notes})
    run.results[0] = dataclasses.replace(first, indicator=indicator, target=label)
    with tempfile.TemporaryDirectory() as folder:
        path = write_workbook(run, Path(folder) / "any.xlsx")
        book = openpyxl.load_workbook(path)
        row = rows_by_label(book["Make our services more"])["CPA & SPI 1.1"]
        assert row[4].value == "AMBER"


def test_catalogue_text_drives_headings(run: RunResult, tmp_path: Path) -> None:
    text = (sample.HERE / "catalogue.yaml").read_text(encoding="utf-8")
    text = text.replace('target_heading: "{year} TARGET"', 'target_heading: "Target {bad"')
    cat = parse_catalogue(text, "catalogue.yaml")
    book = openpyxl.load_workbook(
        write_workbook(dataclasses.replace(run, catalogue=cat), tmp_path / "h.xlsx")
    )
    assert book["Make our services more"]["C6"].value == "Target {bad"


def test_json_file_is_utf8_even_with_a_lone_surrogate(tmp_path: Path) -> None:
    run = sample.run()
    first = run.results[0]
    indicator = first.indicator.model_copy(update={"title": "broken \ud800 text"})
    run.results[0] = dataclasses.replace(
        first,
        indicator=indicator,
        assessment=dataclasses.replace(first.assessment, ratio=float("nan")),
    )
    raw = write_json(run, tmp_path / "out.json").read_bytes()
    data = _strict(raw.decode("utf-8"))  # strict UTF-8: the surrogate is a JSON escape
    assert data["indicators"][0]["title"] == "broken \ud800 text"
    assert data["indicators"][0]["ratio"] is None


# --- the organisation's own statuses ----------------------------------------------------

HAVERING = """  scheme: {kind: distance_direction, within_percent: 10}
  statuses:
    GREEN: {label: On track, legend: On or within 10% of target, fill: "#00B050"}
    AMBER: {label: Improving, legend: More than 10% off but improving, fill: "#FFC000"}
    RED: {label: Off track, legend: More than 10% off and not improving, fill: "#FF0000"}
"""


def _havering(run: RunResult) -> RunResult:
    """The sample run under a scheme without BLUE, with the council's status names."""
    text = (sample.HERE / "catalogue.yaml").read_text(encoding="utf-8")
    start, end = text.index("  scheme:"), text.index("  sources:")
    cat = parse_catalogue(text[:start] + HAVERING + text[end:], "catalogue.yaml")
    results = assess_all(cat, sample.figures(), sample.JULY)
    return dataclasses.replace(run, catalogue=cat, results=results)


def test_scheme_statuses() -> None:
    cat = sample.catalogue()
    assert wbmod.scheme_statuses(cat.organisation.scheme) == {
        Status.BLUE, Status.GREEN, Status.AMBER, Status.RED,
    }  # fmt: skip
    havering = _havering(sample.run()).catalogue
    assert wbmod.scheme_statuses(havering.organisation.scheme) == {
        Status.GREEN, Status.AMBER, Status.RED,
    }  # fmt: skip
    assert Status.BLUE in wbmod.shown_statuses(cat, [])
    assert wbmod.shown_statuses(havering, []) == (
        Status.GREEN, Status.AMBER, Status.RED,
        Status.NO_TARGET, Status.BASELINE, Status.NOT_AVAILABLE, Status.DATA_ISSUE,
    )  # fmt: skip


def test_no_blue_where_the_scheme_cannot_give_it(run: RunResult, tmp_path: Path) -> None:
    havering = _havering(run)
    assert Status.BLUE not in {r.status for r in havering.results}
    book = openpyxl.load_workbook(write_workbook(havering, tmp_path / "h.xlsx"))
    sheet = book["Make our services more"]
    texts = {str(c.value) for row in sheet.iter_rows() for c in row if c.value}
    looks = status_looks(havering.catalogue.organisation)
    legend = str(sheet["A4"].value)
    for status in (Status.GREEN, Status.AMBER, Status.RED):
        assert looks[status].legend in legend
    assert not {t for t in texts if "Blue background" in t or t == "BLUE"}
    rules = {
        rule.formula[0].strip('"') for rng in sheet.conditional_formatting for rule in rng.rules
    }
    assert rules == {
        "On track", "Improving", "Off track", "No target", "Baseline", "Not available",
        "Data issue",
    }  # fmt: skip
    # The explanation names the status as the cell does.
    row = rows_by_label(sheet)["CPA & SPI 1.1"]
    assert row[4].value == "On track"
    assert "On track" in row[8].value and "GREEN" not in row[8].value
    header = next(r for r in book["Summary"].iter_rows() if r[1].value == "Objective")
    assert [c.value for c in header[2:10]] == [
        "On track", "Improving", "Off track", "No target", "Baseline", "Not available",
        "Data issue", "Total",
    ]  # fmt: skip


def test_problem_line_keeps_notes_apart(run: RunResult) -> None:
    note = Problem("revised", "Jun 2024 revised from 58 to 61", Level.INFO, "a.xlsx")
    assert problem_line(dataclasses.replace(run, problems=[note])) == (
        "No problems found; 1 note for information: see the Issues sheet"
    )
    both = dataclasses.replace(run, problems=[*run.problems, note, note])
    assert problem_line(both) == (
        "2 problems found (1 error, 1 warning) and 2 notes for information: see the Issues sheet"
    )


def test_footer_period_is_cut_at_a_clause() -> None:
    period = (
        "Figures are for the quarter ending March 2025 unless otherwise stated; cumulative "
        "measures are year to date."
    )
    footer = page_footer("Fenwick Vale District Council", period)
    assert "&CFigures are for the quarter ending March 2025 unless otherwise stated&R" in (
        footer.replace("&C&8", "&C").replace("&R&8", "&R")
    )
    assert shorten("a " * 60, 20) == "a a a a a a a a a…"


def test_a_killed_runs_temporary_files_are_removed_once_an_hour_old(tmp_path: Path):
    target = tmp_path / "master.xlsx"
    old = tmp_path / ".master.xlsx.k1ll3d.tmp"  # left by a run killed while writing
    fresh = tmp_path / ".master.xlsx.wr1t1n.tmp"  # a run writing the same file now
    other = tmp_path / ".other.xlsx.k1ll3d.tmp"  # another output's: not ours to touch
    for path in (old, fresh, other):
        path.write_bytes(b"partial")
    two_hours_ago = datetime.now().timestamp() - 7200
    for path in (old, other):
        os.utime(path, (two_hours_ago, two_hours_ago))
    with atomic_output(target) as tmp:
        tmp.write_bytes(b"done")
    assert target.read_bytes() == b"done"
    assert not old.exists()
    assert fresh.exists() and other.exists()


def test_an_unwritable_output_gives_its_real_cause(tmp_path: Path) -> None:
    from scorecard.errors import OutputError
    from scorecard.output import atomic_output

    plain = tmp_path / "a-file"
    plain.write_text("x")
    with (
        pytest.raises(OutputError, match="a-file is a file, not a folder"),
        atomic_output(plain / "out" / "master.xlsx"),
    ):
        pass
    assert "(File exists)" not in str(
        folder_reason(plain / "out", FileExistsError(17, "File exists"))
    )


def folder_reason(folder: Path, exc: OSError) -> str:
    from scorecard.output import folder_problem

    return folder_problem(folder, exc)
