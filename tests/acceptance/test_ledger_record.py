"""The ledger as a record a board can rely on, on copies of the samples: June compiled,
then the July return revises June's assets recovered and says why in July's column of
its Commentary sheet, as the template asks. The history answers who and why, from the
ledger alone and without a formula a spreadsheet would run; a time `packs` prints
names its pack for `--as-of`; packs tell the board's pack from drafts."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from tests.acceptance.test_commentary import comment

from scorecard.cli import main
from scorecard.csvsafe import FORMULA_STARTS

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ("cpa-assets-recovered", "assets", "2008-06")
REASON = '=HYPERLINK("http://evil.example/","June recount: 12 seizures logged late")'


def run(*args: str, cwd: Path | None = None) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def set_figure(path: Path, key: str, measure: str, month: str, value: object) -> str:
    """Type `value` in the Return sheet's cell for (key, measure, month); its address."""
    book = openpyxl.load_workbook(path)
    sheet = book["Return"]
    header = next(r for r in range(1, 30) if sheet.cell(r, 1).value == "Key")
    cols = {sheet.cell(header, c).value: c for c in range(1, sheet.max_column + 1)}
    row = next(
        r
        for r in range(header + 1, sheet.max_row + 1)
        if (sheet.cell(r, 1).value, sheet.cell(r, 3).value) == (key, measure)
    )
    cell = sheet.cell(row, cols[month])
    cell.value = value
    book.save(path)
    return cell.coordinate


def figure(path: Path, key: str, measure: str, month: str) -> Any:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book["Return"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Key")
    col = rows[header].index(month)
    return next(r[col] for r in rows[header + 1 :] if (r[0], r[2]) == (key, measure))


def june_then_july(home: Path, *, locked: bool = False, ledger: Path | None = None) -> dict:
    """A copy of the samples in `home`: June's folder (the July returns, as June's),
    June compiled into the ledger; then the July return revises June's assets, with the
    reason in July's column. The catalogue locks June where `locked`."""
    root, config = home / "returns", home / "config" / "indicators.yaml"
    config.parent.mkdir(parents=True)
    text = (ROOT / "config" / "indicators.yaml").read_text(encoding="utf-8")
    if locked:
        lock = '  ledger: {locked_months: ["2008-06"]}\n'
        text = text.replace("organisation:\n", "organisation:\n" + lock, 1)
    config.write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "samples" / "returns" / "2008-07", root / "2008-06")
    shutil.copytree(ROOT / "samples" / "returns" / "2008-07", root / "2008-07")
    ledger, out = ledger or home / "ledger.sqlite", home / "out"
    july = root / "2008-07" / "specialist-crime.xlsx"
    was = figure(july, *ASSETS)
    base = ["--config", str(config), "--returns", str(root), "--ledger", str(ledger)]
    june = run(
        "compile", *base, "--month", "2008-06", "--no-cache",
        "--out", str(out / "june.xlsx"), "--json", str(out / "june.json"),
    )  # fmt: skip
    assert june.exit_code in (0, 1), june.output
    cell = set_figure(july, *ASSETS, was + 12)
    comment(july, {"cpa-assets-recovered": {"2008-07": REASON}})
    return {"home": home, "root": root, "config": config, "ledger": ledger, "out": out,
            "was": was, "cell": cell, "base": base}  # fmt: skip


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """June compiled, July's return revising June (`june_then_july`); July compiled."""
    made = june_then_july(tmp_path_factory.mktemp("samples"))
    base, out = made["base"], made["out"]
    second = run(
        "compile",
        *base,
        "--month",
        "2008-07",
        "--out",
        str(out / "july.xlsx"),
        "--json",
        str(out / "july.json"),
    )
    assert second.exit_code in (0, 1), second.output
    return made


def test_history_from_the_ledger_alone_says_why_and_runs_no_formula(
    samples: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no catalogue, no returns folder here
    monkeypatch.delenv("SCORECARD_LEDGER")
    ledger = str(samples["ledger"])
    result = run(
        "history", "cpa-assets-recovered", "--month", "2008-06", "--ledger", ledger, "--csv"
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["value"], r["folder"]) for r in rows] == [
        (str(samples["was"]), "2008-06"),
        (str(samples["was"] + 12), "2008-07"),
    ]
    assert rows[0]["comment"] != rows[1]["comment"]
    assert rows[1]["comment"] == "'" + REASON  # the lead's reason, as text
    assert rows[1]["cell"] == samples["cell"]
    for row in rows:
        for value in row.values():
            assert not value.startswith(FORMULA_STARTS), value
    # The plain listing carries the reason too.
    said = run("history", "cpa-assets-recovered", "--month", "2008-06", "--ledger", ledger)
    assert said.output.splitlines()[1].endswith(f'"{REASON}"')


@pytest.mark.parametrize("command", [["packs"], ["packs", "--json"], ["lock", "2099-01"]])
def test_packs_and_lock_need_only_the_ledger(
    samples: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCORECARD_LEDGER")
    copy = tmp_path / "ledger.sqlite"
    shutil.copy(samples["ledger"], copy)
    result = run(*command, "--ledger", str(copy))
    assert result.exit_code == 0, result.output
    # Without --ledger, the place is looked for from the current folder, and said so.
    missing = run(*command)
    assert missing.exit_code == 2
    assert "no catalogue in the current folder" in missing.output


def test_as_of_takes_each_time_packs_prints(samples: dict[str, Any], tmp_path: Path) -> None:
    ledger = str(samples["ledger"])
    data = json.loads(run("packs", "--ledger", ledger, "--json").output)[:2]
    listed = run("packs", "--ledger", ledger).output.splitlines()
    lines = [line for line in listed if line.startswith("pack ")][:2]
    printed = [line.split(" compiled ")[1].split(" [")[0] for line in lines]
    assert printed == [p["shown"] for p in data]
    assert len(set(printed)) == 2 and all(t.endswith(" UTC") for t in printed)
    for pack, name in zip(data, ("june", "july"), strict=True):
        then = json.loads((samples["out"] / f"{name}.json").read_text(encoding="utf-8"))
        # As printed, as stored (with its fraction), and in ISO form with Z: that pack.
        shown = pack["shown"]
        for typed in (shown, pack["compiled_at"], shown.replace(" UTC", "Z").replace(" ", "T")):
            result = run(
                "compile",
                *samples["base"],
                "--month",
                pack["month"],
                "--as-of",
                typed,
                "--out",
                str(tmp_path / "b.xlsx"),
                "--json",
                str(tmp_path / "b.json"),
            )
            assert result.exit_code in (0, 1), (typed, result.output)
            rebuilt = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
            assert rebuilt["indicators"] == then["indicators"], typed
    bad = run("compile", *samples["base"], "--as-of", "yesterday")
    assert bad.exit_code == 2 and "packs` printed" in bad.output
