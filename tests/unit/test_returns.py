"""Reading returns: every figure with its cell, every fault with its code and place."""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scorecard.catalogue import Catalogue, measure_months, owner_rows
from scorecard.compile import assess_all
from scorecard.errors import InputError, Level, Problem
from scorecard.model import ChaseItem, Figure, Source, Status
from scorecard.periods import FinancialYear, Month
from scorecard.returns import PROBLEM_CODES, latest_month, read_returns
from scorecard.templates import write_templates
from scorecard.xlsx import OLE_SIGNATURE
from tests.conftest import fill_return

JUL = Month(2008, 7)
OWNERS = ("crime", "surveys", "ct")
# A figure for each unit and month: the same month gets the same figure in every return.
SAMPLE = {
    "count": lambda mo: 1000 + 7 * (mo.index % 12),
    "percent": lambda mo: 70.5,
    "money": lambda mo: 2_500_000 + mo.month,
    "text": lambda mo: f"On track in {mo.label}",
}
Fill = Callable[..., dict]


def entries_for(catalogue: Catalogue, owner: str, month: Month = JUL) -> dict:
    """A value for every month the report for `month` needs from `owner`."""
    needed = measure_months(catalogue, [month])
    out = {}
    for ind, measure in owner_rows(catalogue, owner):
        for mo in sorted(needed.get((ind.key, measure.name), ())):
            out[(ind.key, measure.name, str(mo))] = SAMPLE[measure.unit](mo)
    return out


def write_month(
    mini: Catalogue,
    fill: Fill,
    root: Path,
    folder: str = "2008-07",
    changes: dict[str, dict] | None = None,
    skip: tuple[str, ...] = (),
    **kwargs: Any,
) -> dict[str, dict]:
    """Every owner's return for a folder, with `changes` typed over the full figures."""
    where = {}
    for owner in OWNERS:
        if owner in skip:
            continue
        entries = entries_for(mini, owner, Month.parse(folder))
        for entry, value in (changes or {}).get(owner, {}).items():
            if value is None:
                entries.pop(entry, None)
            else:
                entries[entry] = value
        where[owner] = fill(owner, root / folder / f"{owner}.xlsx", entries, **kwargs)
    return where


def edit(path: Path, change: Callable[[openpyxl.Workbook], None]) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def the(read, code: str) -> Problem:
    found = [p for p in read.problems if p.code == code]
    assert len(found) == 1, [p.format() for p in read.problems]
    return found[0]


def place(p: Problem) -> tuple:
    return (p.code, p.level, p.file, p.sheet, p.cell, p.key, p.month)


def codes(read) -> list[str]:
    return sorted(p.code for p in read.problems)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "returns"
    path.mkdir()
    return path


CRIME = "returns/2008-07/crime.xlsx"


# --- the round trip ---------------------------------------------------------------------


def test_round_trip_reads_every_figure_with_its_cell(mini: Catalogue, fill: Fill, root: Path):
    where = write_month(mini, fill, root)
    read = read_returns(mini, root, JUL)
    assert read.problems == []
    assert read.chase == []
    total = 0
    for owner, cells in where.items():
        expected = entries_for(mini, owner)
        for (key, measure, month), cell in cells.items():
            figure = read.figures[(key, measure)][Month.parse(month)]
            value = expected[(key, measure, month)]
            assert figure == Figure(value, Source(f"returns/2008-07/{owner}.xlsx", "Return", cell))
            assert type(figure.value) is type(value)
            total += 1
    assert read.figures_used == total and read.figures_rejected == 0
    assert [(f.path, f.owner, f.month, f.figures_read) for f in read.files] == [
        (f"returns/2008-07/{o}.xlsx", o, JUL, len(where[o])) for o in sorted(OWNERS)
    ]
    assert read.sign_offs[CRIME]["Name"] == "A. Lead"
    assert read.sign_offs[CRIME]["Date"] == "2008-08-12"
    assert read.ok


def test_sorted_moved_and_inserted_rows_still_read(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)
    path = root / "2008-07" / "crime.xlsx"

    def shuffle(wb: openpyxl.Workbook) -> None:
        ws = wb["Return"]
        ws.insert_rows(5, 3)  # blank rows above the data
        ws["B6"] = "notes typed by the lead"
        first, last = 8, ws.max_row  # reverse the data rows: sorted Z-A
        rows = [[c.value for c in ws[r]] for r in range(first, last + 1)]
        for r, values in zip(range(first, last + 1), reversed(rows), strict=True):
            for c, value in enumerate(values, start=1):
                ws.cell(r, c).value = value

    edit(path, shuffle)
    read = read_returns(mini, root, JUL)
    # The lead's note is in no indicator's row: not used, and said so.
    assert [(p.code, p.level, p.sheet, p.cell) for p in read.problems] == [
        ("stray-cell", Level.WARNING, "Return", "B6")
    ]
    assert "'notes typed by the lead'" in read.problems[0].message
    expected = entries_for(mini, "crime")
    for (key, measure, month), value in expected.items():
        assert read.figures[(key, measure)][Month.parse(month)].value == value
    assert read.figures[("sac", "offences")][JUL].source.cell == "AH11"  # was AH5, now last


def test_cells_feed_the_engine_and_a_bad_cell_is_a_data_issue(
    mini: Catalogue, fill: Fill, root: Path
):
    write_month(mini, fill, root, changes={"crime": {("sac", "offences", "2008-05"): "twelve"}})
    read = read_returns(mini, root, JUL)
    results = {r.indicator.key: r for r in assess_all(mini, read.figures, JUL)}
    assert results["sac"].status == Status.DATA_ISSUE
    assert "twelve" in results["sac"].assessment.explanation
    assert results["dv-arrests"].reading.text == "12,462 arrests (100.0%)"


# --- one test per problem code ----------------------------------------------------------


@pytest.mark.parametrize(
    ("owner", "entry", "typed", "code", "words"),
    [
        ("crime", ("sac", "offences", "2008-05"), "twelve", "not-a-number", "'twelve' is not"),
        ("crime", ("sac", "offences", "2008-05"), True, "not-a-number", "TRUE is not a number"),
        ("crime", ("sac", "offences", "2008-05"), "#DIV/0!", "excel-error", "#DIV/0!"),
        ("crime", ("sac", "offences", "2008-05"), "#REF!", "excel-error", "#REF!"),
        ("crime", ("sac", "offences", "2008-05"), "=SUM(G5:H5)", "formula-no-value", "SUM"),
        ("crime", ("sac", "offences", "2008-05"), -3, "negative-count", "-3 is negative"),
        ("crime", ("sac", "offences", "2008-05"), 12.5, "not-a-whole-number", "12.5"),
        ("crime", ("assets-value", "value", "2008-05"), -5, "negative-value", "-5"),
        ("surveys", ("victim-sat", "satisfied", "2008-06"), 101, "percent-over-100", "101"),
        ("crime", ("sac", "offences", "2008-05"), "65.8%", "not-a-number", "'65.8%'"),
        ("crime", ("sac", "offences", "2008-05"), "1,5", "not-a-number", "'1,5'"),
        (
            "crime",
            ("sac", "offences", "2008-05"),
            datetime(2008, 5, 31),
            "not-a-number",
            "2008-05-31 is a date, not a number",
        ),
        ("crime", ("sac", "offences", "2008-05"), 1e308, "number-too-large", "too large"),
        ("crime", ("assets-value", "value", "2008-05"), 5e15, "number-too-large", "too large"),
    ],
)
def test_a_bad_cell_is_rejected_where_it_is(
    mini: Catalogue, fill: Fill, root: Path, owner, entry, typed, code, words
):
    where = write_month(mini, fill, root, changes={owner: {entry: typed}})
    read = read_returns(mini, root, JUL)
    problem = the(read, code)
    month = Month.parse(entry[2])
    file = f"returns/2008-07/{owner}.xlsx"
    cell = where[owner][entry]
    assert place(problem) == (code, Level.ERROR, file, "Return", cell, entry[0], month.label)
    assert words in problem.message
    assert problem.format().startswith(f"{file}: Return!{cell}: [{code}] ")
    figure = read.figures[entry[:2]][month]
    assert figure.value is None and figure.problem == problem.message
    assert figure.source == Source(file, "Return", cell)
    assert read.figures_rejected == 1
    assert codes(read) == [code]  # the rest of every return is read


@pytest.mark.parametrize(
    ("unit_entry", "typed", "value"),
    [
        (("sac", "offences", "2008-05"), "12,345", 12345),
        (("sac", "offences", "2008-05"), " 42 ", 42),
        (("surveys:victim-sat", "satisfied", "2008-06"), "65.8%", 65.8),
        (("surveys:victim-sat", "satisfied", "2008-06"), "65.8", 65.8),
        (("assets-value", "value", "2008-05"), "£2,900,000", 2900000),
        (("assets-value", "value", "2008-05"), "1,234.50", 1234.5),
    ],
)
def test_numbers_typed_as_text(mini: Catalogue, fill: Fill, root: Path, unit_entry, typed, value):
    owner, _, key = unit_entry[0].rpartition(":")
    owner = owner or "crime"
    entry = (key, *unit_entry[1:])
    where = write_month(mini, fill, root, changes={owner: {entry: typed}})
    read = read_returns(mini, root, JUL)
    problem = the(read, "number-as-text")
    month = Month.parse(entry[2])
    assert place(problem) == (
        "number-as-text",
        Level.INFO,
        f"returns/2008-07/{owner}.xlsx",
        "Return",
        where[owner][entry],
        key,
        month.label,
    )
    assert read.figures[entry[:2]][month].value == value
    assert read.ok


def test_percentage_typed_with_a_percent_sign(mini: Catalogue, fill: Fill, root: Path):
    """Excel stores '65.8%' typed into a cell as 0.658 formatted 0.0%: read as 65.8."""
    where = write_month(mini, fill, root)
    cell = where["surveys"][("victim-sat", "satisfied", "2008-06")]

    def typed(wb: openpyxl.Workbook) -> None:
        wb["Return"][cell].value = 0.658
        wb["Return"][cell].number_format = "0.0%"

    edit(root / "2008-07" / "surveys.xlsx", typed)
    read = read_returns(mini, root, JUL)
    problem = the(read, "percent-as-fraction")
    assert (problem.cell, problem.key, problem.level) == (cell, "victim-sat", Level.INFO)
    assert read.figures[("victim-sat", "satisfied")][Month(2008, 6)].value == 65.8


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("n/a - survey not run", "survey not run"),
        ("N/A: survey not run", "survey not run"),
        ("n/a (survey not run)", "survey not run"),
        ("  N / A survey not run ", "survey not run"),
        (
            "n/a - data not available until autumn (processing lag)",
            "data not available until autumn (processing lag)",
        ),
        ("n/a (survey (wave 2) not run)", "survey (wave 2) not run"),
        ("n/a: (see note)", "see note"),
    ],
)
def test_not_available_with_a_reason(mini: Catalogue, fill: Fill, root: Path, typed, reason):
    entry = ("sac", "offences", "2008-05")
    write_month(mini, fill, root, changes={"crime": {entry: typed}})
    read = read_returns(mini, root, JUL)
    figure = read.figures[entry[:2]][Month(2008, 5)]
    assert (figure.value, figure.not_available, figure.problem) == (None, reason, None)
    assert read.problems == []


def test_not_available_without_a_reason(mini: Catalogue, fill: Fill, root: Path):
    entry = ("sac", "offences", "2008-05")
    where = write_month(mini, fill, root, changes={"crime": {entry: "N/A"}})
    read = read_returns(mini, root, JUL)
    problem = the(read, "na-without-reason")
    assert place(problem) == (
        "na-without-reason",
        Level.INFO,
        CRIME,
        "Return",
        where["crime"][entry],
        "sac",
        "May 2008",
    )
    assert read.figures[entry[:2]][Month(2008, 5)].not_available == "n/a (no reason given)"


def test_a_blank_month_the_report_needs(mini: Catalogue, fill: Fill, root: Path):
    full = write_month(mini, fill, root)
    write_month(mini, fill, root, changes={"crime": {("sac", "offences", "2008-07"): None}})
    read = read_returns(mini, root, JUL)
    problem = the(read, "blank-required")
    cell = full["crime"][("sac", "offences", "2008-07")]
    assert place(problem) == (
        "blank-required",
        Level.ERROR,
        CRIME,
        "Return",
        cell,
        "sac",
        "Jul 2008",
    )
    assert read.chase == [ChaseItem("crime", "Specialist Crime", (JUL,), JUL, "received")]
    # The return arrived: the chase list says which figures it lacks, not that it is missing.
    assert read.chase[0].describe() == (
        "Specialist Crime: return for Jul 2008 received, figures missing for Jul 2008"
    )


def test_a_blank_run_is_one_problem(mini: Catalogue, fill: Fill, root: Path):
    months = ["2007-08", "2007-09", "2007-10"]
    full = write_month(mini, fill, root)
    write_month(
        mini,
        fill,
        root,
        changes={"crime": {("dv-arrests", "arrests", m): None for m in months}},
    )
    read = read_returns(mini, root, JUL)
    problem = the(read, "blank-required")
    first = full["crime"][("dv-arrests", "arrests", months[0])]
    last = full["crime"][("dv-arrests", "arrests", months[-1])]
    assert (problem.cell, problem.month) == (f"{first}:{last}", "Aug 2007 to Oct 2007")
    assert "3 months" in problem.message


def add_row(path: Path, key: str | None, measure: str | None, month: str, value: Any) -> str:
    """Type a new row at the bottom of the Return sheet; returns its key cell."""
    refs = {}

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Return"]
        cols = {ws.cell(4, c).value: c for c in range(1, ws.max_column + 1)}
        row = ws.max_row + 1
        ws.cell(row, 1).value = key
        ws.cell(row, 3).value = measure
        ws.cell(row, cols[month]).value = value
        refs["key"] = ws.cell(row, 1).coordinate

    edit(path, change)
    return refs["key"]


@pytest.mark.parametrize(
    ("key", "measure", "code"),
    [
        ("no-such-indicator", "offences", "unknown-key"),
        ("sac", "victims", "unknown-measure"),
        ("victim-sat", "satisfied", "wrong-owner"),
        ("sac", "offences", "duplicate-row"),
        (None, None, "row-without-key"),
    ],
)
def test_a_bad_row_is_ignored_and_named(
    mini: Catalogue, fill: Fill, root: Path, key, measure, code
):
    write_month(mini, fill, root)
    ref = add_row(root / "2008-07" / "crime.xlsx", key, measure, "2008-06", 77)
    read = read_returns(mini, root, JUL)
    problem = the(read, code)
    assert place(problem) == (code, PROBLEM_CODES[code][0], CRIME, "Return", ref, key, None)
    assert codes(read) == [code]
    assert read.figures_rejected == 1
    assert read.figures[("sac", "offences")][Month(2008, 6)].value != 77


def test_a_missing_row(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)

    def delete(wb: openpyxl.Workbook) -> None:
        ws = wb["Return"]
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "assets-value")
        ws.delete_rows(row)

    edit(root / "2008-07" / "crime.xlsx", delete)
    read = read_returns(mini, root, JUL)
    problem = the(read, "row-missing")
    assert place(problem) == (
        "row-missing",
        Level.ERROR,
        CRIME,
        "Return",
        None,
        "assets-value",
        "Jul 2008",
    )
    assert "Apr 2008" in problem.message
    results = {r.indicator.key: r.status for r in assess_all(mini, read.figures, JUL)}
    assert results["assets-value"] == Status.DATA_ISSUE  # a damaged return, not a late figure


def test_a_row_added_after_the_template_was_made_is_chased(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)

    def made_before_the_row(wb: openpyxl.Workbook) -> None:
        ws = wb["Return"]
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "assets-value")
        ws.delete_rows(row)
        meta = wb["_meta"]
        for cells in meta.iter_rows():
            if cells[0].value == "catalogue_fingerprint":
                cells[1].value = "0" * 64  # the layout of the catalogue before the row

    edit(root / "2008-07" / "crime.xlsx", made_before_the_row)
    read = read_returns(mini, root, JUL)
    assert "row-missing" not in codes(read)
    problem = the(read, "row-not-in-template")
    assert (problem.level, problem.file, problem.key) == (Level.WARNING, CRIME, "assets-value")
    assert "added to the catalogue after this return's template" in problem.message
    assert "new template" in problem.message
    results = {r.indicator.key: r.status for r in assess_all(mini, read.figures, JUL)}
    assert results["assets-value"] != Status.DATA_ISSUE  # not collected yet: no one's fault
    [chase] = read.chase
    assert chase.owner == "crime" and JUL in chase.months


def test_figures_after_the_returns_month(mini: Catalogue, fill: Fill, root: Path):
    where = write_month(mini, fill, root, changes={"crime": {("sac", "offences", "2008-08"): 5}})
    read = read_returns(mini, root, JUL)
    problem = the(read, "future-month")
    assert place(problem) == (
        "future-month",
        Level.WARNING,
        CRIME,
        "Return",
        where["crime"][("sac", "offences", "2008-08")],
        "sac",
        "Aug 2008",
    )
    assert Month(2008, 8) not in read.figures[("sac", "offences")]


def test_a_folder_after_the_report_month_is_ignored(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)
    write_month(
        mini, fill, root, folder="2008-08", changes={"crime": {("sac", "offences", "2008-07"): 1}}
    )
    read = read_returns(mini, root, JUL)
    problem = the(read, "future-folder")
    assert (problem.file, problem.level) == ("returns/2008-08", Level.WARNING)
    assert read.figures[("sac", "offences")][JUL].value != 1


def test_a_later_return_revises_an_earlier_month(mini: Catalogue, fill: Fill, root: Path):
    june = write_month(
        mini, fill, root, folder="2008-06", changes={"crime": {("sac", "offences", "2008-05"): 100}}
    )
    july = write_month(mini, fill, root, changes={"crime": {("sac", "offences", "2008-05"): 110}})
    read = read_returns(mini, root, JUL)
    problem = the(read, "revised")
    cell = july["crime"][("sac", "offences", "2008-05")]
    assert place(problem) == ("revised", Level.INFO, CRIME, "Return", cell, "sac", "May 2008")
    old = june["crime"][("sac", "offences", "2008-05")]
    assert f"from 100 (returns/2008-06/crime.xlsx: Return!{old}) to 110" in problem.message
    assert read.figures[("sac", "offences")][Month(2008, 5)].value == 110
    assert [f.path for f in read.files][:3] == [f"returns/2008-06/{o}.xlsx" for o in sorted(OWNERS)]


def test_a_missing_return_is_chased(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root, skip=("surveys",))
    read = read_returns(mini, root, JUL)
    assert read.chase == [ChaseItem("surveys", "Surveys", (Month(2008, 6), JUL), JUL, "missing")]
    assert read.chase[0].describe() == (
        "Surveys: no return for Jul 2008; figures also missing for Jun 2008"
    )
    assert read.problems == []


def test_a_refused_return_is_chased_as_refused(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)
    (root / "2008-07" / "surveys.xlsx").write_bytes(b"not a workbook at all")
    read = read_returns(mini, root, JUL)
    [item] = read.chase
    assert (item.owner, item.state) == ("surveys", "refused")
    assert item.describe().startswith("Surveys: the return for Jul 2008 could not be used")


def test_last_months_return_does_not_stand_for_this_months(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root, folder="2008-06")
    read = read_returns(mini, root, JUL)
    owners = [c.owner for c in read.chase]
    assert owners == ["crime", "surveys", "ct"]
    assert read.chase[0].months[-1] == JUL
    assert not any(p.code == "blank-required" for p in read.problems)


# --- whose return, which year -----------------------------------------------------------


def test_another_owners_template(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root, skip=("crime",))
    shutil.copy(root / "2008-07" / "surveys.xlsx", root / "2008-07" / "crime.xlsx")
    read = read_returns(mini, root, JUL)
    problems = [p for p in read.problems if p.code == "wrong-owner"]
    assert [(p.file, p.level, p.cell) for p in problems] == [(CRIME, Level.ERROR, None)]
    assert "surveys' template" in problems[0].message
    assert [c.owner for c in read.chase] == ["crime"]
    assert read.figures_rejected == len(entries_for(mini, "surveys"))


def test_another_years_template(mini: Catalogue, fill: Fill, root: Path, tmp_path: Path):
    write_month(mini, fill, root, skip=("crime",))
    (old, *_) = write_templates(mini, FinancialYear(2007), tmp_path / "2007")
    fill_return(old, root / "2008-07" / "crime.xlsx", {("sac", "offences", "2008-03"): 9})
    read = read_returns(mini, root, JUL)
    problem = the(read, "wrong-year")
    assert (problem.file, problem.level) == (CRIME, Level.ERROR)
    assert "2007/08 template" in problem.message and "2008/09" in problem.message
    # None of its figures is used; the report month is marked so the indicator is a data issue.
    assert read.figures[("sac", "offences")] == {
        JUL: Figure(
            None,
            problem="the return returns/2008-07/crime.xlsx could not be used (wrong-year): "
            "see Issues",
        )
    }
    results = {r.indicator.key: r.status for r in assess_all(mini, read.figures, JUL)}
    assert results["sac"] == Status.DATA_ISSUE


def test_a_template_from_an_older_catalogue(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)

    def older(wb: openpyxl.Workbook) -> None:
        meta = wb["_meta"]
        for row in meta.iter_rows():
            if row[0].value == "catalogue_fingerprint":
                row[1].value = "0" * 64

    edit(root / "2008-07" / "crime.xlsx", older)
    read = read_returns(mini, root, JUL)
    problem = the(read, "stale-template")
    assert (problem.file, problem.level) == (CRIME, Level.WARNING)
    assert read.chase == [] and codes(read) == ["stale-template"]


def test_two_returns_for_one_owner(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)
    second = root / "2008-07" / "crime (2).xlsx"
    fill_return(root / "2008-07" / "crime.xlsx", second, {("sac", "offences", "2008-07"): 1})
    identical = root / "2008-07" / "crime copy.xlsx"
    shutil.copy(root / "2008-07" / "crime.xlsx", identical)
    read = read_returns(mini, root, JUL)
    found = sorted((p.file, p.level) for p in read.problems if p.code == "duplicate-return")
    assert found == [
        ("returns/2008-07/crime (2).xlsx", Level.ERROR),
        ("returns/2008-07/crime copy.xlsx", Level.WARNING),
    ]
    # The kept return is used; where the other disagrees, neither figure is trusted.
    figure = read.figures[("sac", "offences")][JUL]
    assert figure.source.file == CRIME and figure.value is None
    assert figure.problem.startswith("offences: two returns disagree for Jul 2008: ")
    assert read.figures[("sac", "offences")][Month(2008, 6)].problem is None


def test_a_return_without_metadata_is_known_by_its_name(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)
    edit(root / "2008-07" / "crime.xlsx", lambda wb: wb.remove(wb["_meta"]))
    read = read_returns(mini, root, JUL)
    problem = the(read, "no-metadata")
    assert (problem.file, problem.level) == (CRIME, Level.WARNING)
    assert read.chase == []


def test_a_return_nobody_can_own(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)
    path = root / "2008-07" / "figures.xlsx"
    shutil.move(root / "2008-07" / "crime.xlsx", path)
    edit(path, lambda wb: wb.remove(wb["_meta"]))
    read = read_returns(mini, root, JUL)
    problem = the(read, "unknown-owner")
    assert (problem.file, problem.level) == ("returns/2008-07/figures.xlsx", Level.ERROR)
    assert [c.owner for c in read.chase] == ["crime"]


def test_a_return_with_another_name(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)
    shutil.move(root / "2008-07" / "crime.xlsx", root / "2008-07" / "SC July return.xlsx")
    read = read_returns(mini, root, JUL)
    problem = the(read, "file-name")
    assert problem.level == Level.INFO
    assert read.chase == [] and read.ok


def test_unsigned_return(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root, sign=False)
    read = read_returns(mini, root, JUL)
    found = [p for p in read.problems if p.code == "not-signed-off"]
    assert len(found) == 3
    assert (found[0].file, found[0].sheet, found[0].level) == (
        CRIME,
        "Instructions",
        Level.WARNING,
    )


# --- the sheet's layout -----------------------------------------------------------------


def test_a_renamed_return_sheet_is_found_by_its_key_header(mini: Catalogue, fill: Fill, root: Path):
    where = write_month(mini, fill, root)

    def rename(wb: openpyxl.Workbook) -> None:
        wb["Return"].title = "July figures"

    edit(root / "2008-07" / "crime.xlsx", rename)
    read = read_returns(mini, root, JUL)
    problem = the(read, "sheet-renamed")
    assert (problem.file, problem.sheet, problem.level) == (CRIME, "July figures", Level.WARNING)
    figure = read.figures[("sac", "offences")][JUL]
    assert figure.source == Source(
        CRIME, "July figures", where["crime"][("sac", "offences", "2008-07")]
    )


def test_no_return_sheet(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)
    edit(root / "2008-07" / "crime.xlsx", lambda wb: wb.remove(wb["Return"]))
    read = read_returns(mini, root, JUL)
    problem = the(read, "sheet-missing")
    assert (problem.file, problem.level) == (CRIME, Level.ERROR)
    assert "Instructions" in problem.message
    assert [c.owner for c in read.chase] == ["crime"]


def test_a_missing_header(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)

    def clear(wb: openpyxl.Workbook) -> None:
        wb["Return"]["C4"].value = None

    edit(root / "2008-07" / "crime.xlsx", clear)
    read = read_returns(mini, root, JUL)
    problem = the(read, "header-missing")
    assert (problem.file, problem.sheet, problem.cell) == (CRIME, "Return", "A4")
    assert "Measure" in problem.message


def test_a_month_heading_two_columns(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)

    def twice(wb: openpyxl.Workbook) -> None:
        ws = wb["Return"]
        col = next(c for c in range(1, ws.max_column + 1) if ws.cell(4, c).value == "2008-07")
        ws.cell(4, col + 1).value = "2008-07"

    edit(root / "2008-07" / "crime.xlsx", twice)
    read = read_returns(mini, root, JUL)
    problem = the(read, "duplicate-column")
    assert (problem.cell, problem.month) == ("AI4", "Jul 2008")


# --- files that are not returns ---------------------------------------------------------


def replace_crime(root: Path, content: bytes) -> None:
    (root / "2008-07" / "crime.xlsx").write_bytes(content)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"key,measure,2008-07\nsac,offences,123\n", "not-a-workbook"),
        (OLE_SIGNATURE + bytes(600) + "EncryptedPackage".encode("utf-16-le"), "encrypted"),
        (OLE_SIGNATURE + bytes(600) + "Workbook".encode("utf-16-le"), "legacy-xls"),
    ],
    ids=["csv", "encrypted", "xls"],
)
def test_a_file_that_cannot_be_read(mini: Catalogue, fill: Fill, root: Path, content, code):
    write_month(mini, fill, root)
    replace_crime(root, content)
    read = read_returns(mini, root, JUL)
    problem = the(read, code)
    assert place(problem) == (code, Level.ERROR, CRIME, None, None, None, None)
    assert [c.owner for c in read.chase] == ["crime"]
    assert ("victim-sat", "satisfied") in read.figures  # the other returns are still read
    assert CRIME not in [f.path for f in read.files]
    # Its owner's indicators are data issues, not merely missing.
    results = {r.indicator.key: r.status for r in assess_all(mini, read.figures, JUL)}
    assert {k for k, s in results.items() if s == Status.DATA_ISSUE} == {
        "sac",
        "dv-arrests",
        "assets-value",
    }


def test_a_zip_bomb(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)
    with zipfile.ZipFile(root / "2008-07" / "crime.xlsx", "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/image1.png", bytes(10_000_000))
    read = read_returns(mini, root, JUL)
    problem = the(read, "too-large")
    assert (problem.file, problem.level) == (CRIME, Level.ERROR)


def test_a_damaged_sheet(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)
    path = root / "2008-07" / "crime.xlsx"
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["xl/worksheets/sheet2.xml"] = parts["xl/worksheets/sheet2.xml"][:-200]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    read = read_returns(mini, root, JUL)
    problem = the(read, "corrupt-workbook")
    assert (problem.file, problem.level) == (CRIME, Level.ERROR)
    assert "Return" in problem.message


def test_lock_files_and_hidden_files_are_skipped(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)
    (root / "2008-07" / "~$crime.xlsx").write_bytes(b"owner lock")
    (root / "2008-07" / ".crime.xlsx").write_bytes(b"hidden")
    (root / "2008-07" / ".DS_Store").write_bytes(b"\0")
    read = read_returns(mini, root, JUL)
    assert read.problems == []


def test_stray_files(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)
    (root / "2008-07" / "notes.txt").write_text("sent late")
    shutil.copy(root / "2008-07" / "ct.xlsx", root / "ct.xlsx")
    read = read_returns(mini, root, JUL)
    assert (the(read, "unexpected-file").file, the(read, "unexpected-file").level) == (
        "returns/2008-07/notes.txt",
        Level.WARNING,
    )
    assert the(read, "unknown-folder").file == "returns/ct.xlsx"


def test_every_figure_is_used_or_rejected(mini: Catalogue, fill: Fill, root: Path):
    changes = {
        ("sac", "offences", "2008-05"): "twelve",
        ("sac", "offences", "2008-06"): "n/a - system down",
        ("sac", "offences", "2008-09"): 4,
        ("dv-arrests", "arrests", "2008-07"): -1,
    }
    where = write_month(mini, fill, root, changes={"crime": changes})
    add_row(root / "2008-07" / "crime.xlsx", "nope", "x", "2008-06", 3)
    read = read_returns(mini, root, JUL)
    cells = sum(len(w) for w in where.values()) + 1
    assert read.figures_used + read.figures_rejected == cells
    assert read.figures_rejected == 4


# --- the folder -------------------------------------------------------------------------


def test_latest_month(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root, folder="2008-06")
    (root / "2008-07").mkdir()
    (root / "2008-07" / "~$crime.xlsx").write_bytes(b"lock")
    (root / "notes").mkdir()
    assert latest_month(root) == Month(2008, 6)


def test_no_returns_at_all(tmp_path: Path):
    with pytest.raises(InputError, match="no returns found"):
        latest_month(tmp_path)
    (tmp_path / "2026-10").mkdir()
    (tmp_path / "2026-11").mkdir()  # a new working folder: no return in any month yet
    assert latest_month(tmp_path) == Month(2026, 11)
    with pytest.raises(InputError, match="no such folder"):
        latest_month(tmp_path / "missing")


def test_problem_codes_are_stable_and_documented():
    assert all(code == code.lower() and " " not in code for code in PROBLEM_CODES)
    # README.md's "When a return is wrong" says what to do about every code.
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.partition("## When a return is wrong")[2].partition("\n## ")[0]
    missing = [code for code in PROBLEM_CODES if f"`{code}`" not in section]
    assert missing == []


def test_an_unforeseen_failure_is_a_problem_not_a_crash(
    mini: Catalogue, fill: Fill, root: Path, monkeypatch: pytest.MonkeyPatch
):
    write_month(mini, fill, root)
    import scorecard.returns.book as returns_book

    original = returns_book.read_book

    def fragile(catalogue, book, ret):
        if ret.path.stem == "crime":
            raise RuntimeError("surprise")
        original(catalogue, book, ret)

    monkeypatch.setattr(returns_book, "read_book", fragile)
    read = read_returns(mini, root, JUL)
    problem = the(read, "corrupt-workbook")
    assert (problem.file, problem.level) == (CRIME, Level.ERROR)
    assert "RuntimeError: surprise" in problem.message
    assert [c.owner for c in read.chase] == ["crime"]


# --- hardening: merges, limits, files that cannot be opened, the reader failing --------------


def test_cells_merged_over_figures(mini: Catalogue, fill: Fill, root: Path):
    where = write_month(mini, fill, root)
    first = where["crime"][("sac", "offences", "2008-06")]
    last = where["crime"][("sac", "offences", "2008-07")]
    edit(root / "2008-07" / "crime.xlsx", lambda wb: wb["Return"].merge_cells(f"{first}:{last}"))
    read = read_returns(mini, root, JUL)
    problem = the(read, "merged-cells")
    assert (problem.cell, problem.level) == (f"{first}:{last}", Level.ERROR)
    assert read.figures[("sac", "offences")][JUL].problem == problem.message
    assert read.figures[("sac", "offences")][Month(2008, 6)].problem is None  # the first cell
    results = {r.indicator.key: r.status for r in assess_all(mini, read.figures, JUL)}
    assert results["sac"] == Status.DATA_ISSUE


def test_a_stray_keystroke_far_away_is_reported_and_the_return_read(
    mini: Catalogue, fill: Fill, root: Path
):
    """One `x` at column 1,200 or row 200,000 (beyond the reader's rows and columns), or
    in a column the form does not have: the return is read, each stray cell a warning."""
    where = write_month(mini, fill, root)
    placed: list[str] = []

    def stray(wb: openpyxl.Workbook) -> None:
        ws = wb["Return"]
        placed.append(ws.cell(7, ws.max_column + 2, 42).coordinate)  # a column with no heading
        ws.cell(30, 1200, "x")
        ws.cell(200_000, 3, "y")

    edit(root / "2008-07" / "crime.xlsx", stray)
    read = read_returns(mini, root, JUL)
    found = [(p.code, p.level, p.sheet, p.cell) for p in read.problems]
    last = placed[0].rstrip("0123456789")
    assert found == [
        ("stray-cell", Level.WARNING, "Return", f"{last}7"),
        ("stray-cell", Level.WARNING, "Return", "ATD30"),
        ("stray-cell", Level.WARNING, "Return", "C200000"),
    ]
    assert [m.message.split(",")[0] for m in read.problems] == [
        f"{last}7 holds '42'",
        "ATD30 holds 'x'",
        "C200000 holds 'y'",
    ]
    (crime,) = [f for f in read.files if f.path == CRIME]
    assert crime.figures_read == len(where["crime"]) and read.ok
    results = {r.indicator.key: r.status for r in assess_all(mini, read.figures, JUL)}
    assert Status.DATA_ISSUE not in results.values()


def test_many_stray_cells_are_counted_after_the_first_ten(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)

    def scatter(wb: openpyxl.Workbook) -> None:
        ws = wb["Return"]
        first = ws.max_column + 1
        for i in range(25):  # a note in each of 25 columns past the form's last
            ws.cell(7, first + i, f"note {i}")

    edit(root / "2008-07" / "crime.xlsx", scatter)
    read = read_returns(mini, root, JUL)
    stray = [p for p in read.problems if p.code == "stray-cell"]
    assert len(stray) == 11 and len(read.problems) == 11
    assert "'note 0'" in stray[0].message and "'note 9'" in stray[9].message
    assert stray[-1].message.startswith("15 more cell(s) outside the form")
    assert read.ok


@pytest.mark.parametrize("kind", ["folder", "loop", "fifo"])
def test_a_path_that_is_not_a_file(mini: Catalogue, fill: Fill, root: Path, kind: str):
    write_month(mini, fill, root)
    path = root / "2008-07" / "crime.xlsx"
    path.unlink()
    if kind == "folder":
        path.mkdir()
    elif kind == "loop":
        os.symlink(path.name, path)
    else:
        os.mkfifo(path)
    read = read_returns(mini, root, JUL)
    problem = the(read, "unreadable-file")
    assert (problem.file, problem.level) == (CRIME, Level.ERROR)
    assert [c.owner for c in read.chase] == ["crime"]


def test_a_folder_inside_a_month_folder_is_named(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)
    (root / "2008-07" / "late").mkdir()
    read = read_returns(mini, root, JUL)
    problem = the(read, "unexpected-file")
    assert "late is a folder" in problem.message


def test_a_reader_crash_costs_one_file(
    mini: Catalogue, fill: Fill, root: Path, monkeypatch: pytest.MonkeyPatch
):
    from scorecard.workers import start_method

    if start_method() != "fork":
        pytest.skip("the patched reader reaches the workers only when they are forked")
    write_month(mini, fill, root)
    import scorecard.returns.book as returns_book

    original = returns_book.read_return

    def crashing(catalogue, path, display, folder):
        if path.stem == "crime":
            os.abort()
        return original(catalogue, path, display, folder)

    monkeypatch.setattr(returns_book, "read_return", crashing)
    read = read_returns(mini, root, JUL)
    problem = the(read, "reader-crashed")
    assert (problem.file, problem.level) == (CRIME, Level.ERROR)
    assert "SIGABRT" in problem.message
    assert {f.value for f in read.figures[("victim-sat", "satisfied")].values()} == {70.5}
    assert [c.owner for c in read.chase] == ["crime"]


def test_reading_in_workers_or_in_process_gives_the_same(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root, changes={"crime": {("sac", "offences", "2008-05"): "twelve"}})
    isolated = read_returns(mini, root, JUL, workers=2)
    inline = read_returns(mini, root, JUL, workers=0)
    assert isolated.problems == inline.problems
    assert isolated.figures == inline.figures
    assert isolated.files == inline.files


@pytest.mark.parametrize(
    ("name", "words"), [("crime", "crime's"), ("surveys", "surveys'"), ("ct", "ct's")]
)
def test_a_possessive_reads_as_english(name: str, words: str) -> None:
    from scorecard.returns.problems import possessive

    assert possessive(name) == words


def test_a_bad_month_names_its_option(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from scorecard.cli import main

    result = CliRunner().invoke(
        main, ["compile", "--month", "2008-13", "--out", str(tmp_path / "x.xlsx")]
    )
    assert result.exit_code == 2
    assert "--month" in result.output and "month must be 1-12" in result.output


def test_a_sign_off_formula_with_no_result_is_not_called_blank(
    mini: Catalogue, fill: Fill, root: Path
):
    write_month(mini, fill, root)

    def formula_date(wb: openpyxl.Workbook) -> None:
        info = wb["Instructions"]
        for row in info.iter_rows():
            if row[0].value == "Date":
                row[1].value = "=TODAY()"  # openpyxl saves no result for it

    edit(root / "2008-07" / "crime.xlsx", formula_date)
    read = read_returns(mini, root, JUL)
    [problem] = [p for p in read.problems if p.code == "not-signed-off"]
    assert "date is a formula with no saved result" in problem.message
    assert "blank" not in problem.message


def test_a_file_named_like_a_month_folder_is_reported(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)
    (root / "2008-08").write_text("not a folder")
    read = read_returns(mini, root, JUL)
    [problem] = [p for p in read.problems if p.file and p.file.endswith("2008-08")]
    assert problem.code == "unknown-folder"
    assert "is a file, not a folder of returns" in problem.message


def test_an_edited_copy_of_the_return_sheet_is_reported_with_its_differences(
    mini: Catalogue, fill: Fill, root: Path
):
    """A lead copies the sheet, corrects a figure on the copy and sends it: the compile
    still reads the Return sheet, and says so, naming both sheets and the figure."""
    where = write_month(mini, fill, root)
    cell = where["crime"][("sac", "offences", "2008-07")]
    original = entries_for(mini, "crime")[("sac", "offences", "2008-07")]

    def copy_and_correct(wb: openpyxl.Workbook) -> None:
        copy = wb.copy_worksheet(wb["Return"])
        copy.title = "Return (2)"
        copy[cell] = 4321

    edit(root / "2008-07" / "crime.xlsx", copy_and_correct)
    read = read_returns(mini, root, JUL)
    found = [(p.code, p.level, p.sheet, p.key, p.month) for p in read.problems]
    assert found == [
        ("sheet-copy", Level.ERROR, "Return (2)", None, None),
        ("copy-differs", Level.ERROR, "Return (2)", "sac", "Jul 2008"),
    ]
    copy, differs = read.problems
    assert "'Return' was read and 'Return (2)' was not" in copy.message
    assert "1 figure(s) on it differ from those on 'Return'" in copy.message
    assert differs.message == (
        f"sac offences, Jul 2008: {original:,} on 'Return' ({cell}, used), "
        f"4,321 on 'Return (2)' ({cell}, not used)"
    )
    assert read.figures[("sac", "offences")][JUL].value == original  # the Return sheet's


def test_a_copy_with_the_same_figures_is_a_warning(mini: Catalogue, fill: Fill, root: Path):
    write_month(mini, fill, root)
    edit(root / "2008-07" / "crime.xlsx", lambda wb: wb.copy_worksheet(wb["Return"]))
    read = read_returns(mini, root, JUL)
    assert [(p.code, p.level, p.sheet) for p in read.problems] == [
        ("sheet-copy", Level.WARNING, "Return Copy")
    ]
    assert "its figures are the same as those on 'Return'" in read.problems[0].message


def test_a_sheet_of_the_leads_own_is_not_a_copy(mini: Catalogue, fill: Fill, root: Path):
    """A sheet with a Key header but none of the owner's rows is not the form: not a
    copy, but what it holds is named, not used (issue 22, item 2)."""
    write_month(mini, fill, root)

    def own_sheet(wb: openpyxl.Workbook) -> None:
        ws = wb.create_sheet("Workings")
        ws.append(["Key", "Measure", "2008-07"])
        ws.append(["my-own", "count", 5])

    edit(root / "2008-07" / "crime.xlsx", own_sheet)
    found = [(p.code, p.sheet, p.cell) for p in read_returns(mini, root, JUL).problems]
    assert found == [
        ("stray-cell", "Workings", ref) for ref in ("A1", "B1", "C1", "A2", "B2", "C2")
    ]


def test_a_blank_in_a_row_a_month_behind_says_which_month_the_return_carries(
    mini: Catalogue, fill: Fill, root: Path
):
    """A lead typed July's survey figure where the July return carries June's."""
    june, july = ("victim-sat", "satisfied", "2008-06"), ("victim-sat", "satisfied", "2008-07")
    write_month(mini, fill, root, changes={"surveys": {june: None, july: 81.0}})
    problem = the(read_returns(mini, root, JUL), "blank-required")
    assert (problem.key, problem.month) == ("victim-sat", "Jun 2008")
    assert problem.message.endswith(
        "; the row is a month behind: the Jul 2008 return carries its Jun 2008 figure "
        "(the Due column says so)"
    )


@pytest.mark.parametrize(
    ("typed", "read_as", "level"),
    [
        ("5/8/2008", "2008-08-05", Level.INFO),  # day first, as the UK writes it
        ("05.08.08", "2008-08-05", Level.INFO),
        ("5 Aug 2008", "2008-08-05", Level.INFO),
        ("August 5, 2008", "2008-08-05", Level.INFO),
        ("8/5/2008", "8/5/2008", Level.WARNING),  # 8 May: before July began, so not meant
        ("last Tuesday", "last Tuesday", Level.WARNING),
        ("31/02/2008", "31/02/2008", Level.WARNING),
    ],
)
def test_a_sign_off_date_typed_as_text(
    mini: Catalogue, fill: Fill, root: Path, typed: str, read_as: str, level: Level
):
    write_month(mini, fill, root)

    def text_date(wb: openpyxl.Workbook) -> None:
        info = wb["Instructions"]
        for row in info.iter_rows():
            if row[0].value == "Date":
                row[1].value = typed
                row[1].data_type = "s"

    edit(root / "2008-07" / "crime.xlsx", text_date)
    read = read_returns(mini, root, JUL)
    assert read.sign_offs[CRIME]["Date"] == read_as
    [problem] = [p for p in read.problems if p.code == "sign-off-date"]
    assert (problem.level, problem.file, problem.sheet) == (level, CRIME, "Instructions")
    assert typed in problem.message


def test_a_sign_off_date_typed_month_first_where_the_catalogue_says_so(
    mini: Catalogue, fill: Fill, root: Path
):
    american = mini.model_copy(
        update={"organisation": mini.organisation.model_copy(update={"date_order": "month_first"})}
    )
    write_month(mini, fill, root)

    def text_date(wb: openpyxl.Workbook) -> None:
        for row in wb["Instructions"].iter_rows():
            if row[0].value == "Date":
                row[1].value = "8/5/2008"

    edit(root / "2008-07" / "crime.xlsx", text_date)
    read = read_returns(american, root, JUL, workers=0)
    assert read.sign_offs[CRIME]["Date"] == "2008-08-05"
