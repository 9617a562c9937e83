"""A team's own start: `scorecard init` makes a working folder that compiles at once, and
outside one the defaults say how to start."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import fill_return

from scorecard.catalogue import load_catalogue, measure_months
from scorecard.cli import main
from scorecard.periods import Month


def _init(tmp_path: Path, *args: str) -> tuple[Path, Month]:
    folder = tmp_path / "fenwick-borough"
    result = CliRunner().invoke(main, ["init", str(folder), *args])
    assert result.exit_code == 0, result.output
    month = Month.parse(next(p.name for p in (folder / "returns").iterdir()))
    assert f"next: cd {folder} && scorecard compile" in result.output
    return folder, month


def test_a_new_working_folder_compiles_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder, month = _init(tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["config", "out", "returns", "templates"]
    assert sorted(p.name for p in (folder / "templates").iterdir()) == [
        "community-safety.xlsx",
        "customer-services.xlsx",
    ]
    catalogue = load_catalogue(folder / "config" / "indicators.yaml")
    assert catalogue.organisation.name == "Fenwick Borough"
    assert [str(y) for y in catalogue.target_years()] == [str(catalogue.financial_year(month))]
    monkeypatch.chdir(folder)
    runner = CliRunner()
    checked = runner.invoke(main, ["validate"])
    assert checked.exit_code == 0, checked.output
    compiled = runner.invoke(main, ["compile"])
    # Every row waits for its return: a master, and whom to chase (exit 1, said why).
    assert compiled.exit_code == 1, compiled.output
    assert (folder / "out" / f"scorecard-{month}.xlsx").is_file()
    assert f"{month.label}: 4 indicators: 1 NO_TARGET, 3 NOT_AVAILABLE" in compiled.output
    assert f"to chase: Customer Services: no return for {month.label}" in compiled.output
    assert "exit status 1: returns to chase" in compiled.output


def test_its_templates_filled_in_are_assessed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, month = _init(tmp_path, "--name", 'The "Quoted" Council')
    catalogue = load_catalogue(folder / "config" / "indicators.yaml")
    assert catalogue.organisation.name == 'The "Quoted" Council'
    needed = measure_months(catalogue, [month])
    values = {
        "answered": lambda mo: 87,  # 87% against 90%: within 5%
        "calls": lambda mo: 100,
        "satisfied_pct": lambda mo: 86.0,
        # 10% fewer this year, month to month a little different
        "incidents": lambda mo: (90 if mo > month - 12 else 100) + mo.index % 5,
        "events": lambda mo: 3,
    }
    for owner in catalogue.owners:
        entries = {
            (key, measure, str(mo)): values[measure](mo)
            for (key, measure), months in needed.items()
            if catalogue.indicator(key).owner == owner.key
            for mo in months
        }
        template = folder / "templates" / f"{owner.key}.xlsx"
        fill_return(template, folder / "returns" / str(month) / f"{owner.key}.xlsx", entries)
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(main, ["compile", "--json", "out/master.json"])
    assert result.exit_code == 0, result.output
    rows = json.loads((folder / "out" / "master.json").read_text())["indicators"]
    statuses = {r["key"]: r["status"] for r in rows}
    assert statuses == {"cs-01": "AMBER", "cs-02": "GREEN", "sn-01": "GREEN", "sn-02": "NO_TARGET"}
    # SPC is on in the starter: a month's own figure is charted once it has 13 months
    spc = {r["key"]: r["spc"]["state"] for r in rows}
    assert spc["cs-02"] == "no_series"  # a rolling survey figure, as given
    assert spc["sn-01"] == "ok"  # 24 months returned for the change on last year
    assert spc["cs-01"] == "insufficient_data"  # the 12 months the rolling rate needs


def test_init_never_overwrites_a_working_folder(tmp_path: Path) -> None:
    folder, _ = _init(tmp_path)
    catalogue = folder / "config" / "indicators.yaml"
    catalogue.write_text(catalogue.read_text() + "# our own edits\n")
    before = catalogue.read_bytes()
    again = CliRunner().invoke(main, ["init", str(folder)])
    assert again.exit_code == 2
    assert again.output.strip().splitlines() == [
        f"scorecard: {catalogue} already exists: nothing written; `scorecard init` makes a "
        "new working folder, so name a folder without a catalogue"
    ]
    assert catalogue.read_bytes() == before


def test_outside_a_working_folder_the_defaults_say_how_to_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for command in (["compile"], ["validate"], ["templates"], ["pack"]):
        result = runner.invoke(main, command)
        assert result.exit_code == 2, (command, result.output)
        (line,) = result.output.strip().splitlines()
        assert line.startswith("scorecard: config/indicators.yaml: no catalogue in the current")
        assert "`scorecard init FOLDER`" in line and "--config PATH" in line
    # The ledger's commands need no catalogue (a ledger alone answers them): they say
    # which ledger they looked for and how to name one.
    for command in (["history"], ["packs"]):
        result = runner.invoke(main, command)
        assert result.exit_code == 2, (command, result.output)
        (line,) = result.output.strip().splitlines()
        assert line.startswith(f"scorecard: no ledger at {tmp_path / 'scorecard-ledger.sqlite'}")
        assert line.endswith("name it with --ledger")
    config = Path(__file__).parents[1] / "fixtures" / "mini.yaml"
    result = runner.invoke(main, ["compile", "--config", str(config)])
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith("scorecard: no returns folder in the current folder")
    assert "no returns/ or samples/returns/" in line and "--returns PATH" in line
