"""The ledger end to end, as the performance team uses it: compile June, a lead revises
June in the July return, compile July; the history shows both June values with who
sent them and why, the July master lists the restatement and the status it changed,
`compile --as-of` rebuilds the June pack exactly, and a locked month's figure stands."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from tests.acceptance.test_commentary import comment
from tests.conftest import FIXTURES
from tests.unit.test_returns import write_month

from scorecard.catalogue import Catalogue
from scorecard.cli import main
from scorecard.ledger import history_frame

Fill = Callable[..., dict]
JUNE_OFFENCES = ("sac", "offences", "2008-06")
WHY = "June re-run after the crime system's backlog was cleared"


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def compile_month(root: Path, ledger: Path, out: Path, month: str, *extra: str) -> Any:
    args = ["compile", "--config", str(FIXTURES / "mini.yaml"), "--returns", str(root)]
    args += ["--month", month, "--ledger", str(ledger), "--no-cache"]
    args += ["--out", str(out / f"{month}.xlsx"), "--json", str(out / f"{month}.json"), *extra]
    return run(*args)


def statuses(out: Path, month: str) -> dict[str, tuple[str, Any]]:
    data = json.loads((out / f"{month}.json").read_text(encoding="utf-8"))
    return {i["key"]: (i["status"], i["value"]) for i in data["indicators"]}


@pytest.fixture
def revised(mini: Catalogue, fill: Fill, tmp_path: Path) -> dict[str, Any]:
    """June compiled; then July's crime return revises June's offences, with a reason."""
    root, out, ledger = tmp_path / "returns", tmp_path / "out", tmp_path / "ledger.sqlite"
    june = write_month(mini, fill, root, folder="2008-06")
    first = compile_month(root, ledger, out, "2008-06")
    assert first.exit_code in (0, 1), first.output
    packs = json.loads(run("packs", "--ledger", str(ledger), "--json").output)
    july = write_month(mini, fill, root, changes={"crime": {JUNE_OFFENCES: 560}})
    comment(root / "2008-07" / "crime.xlsx", {"sac": {"2008-06": WHY}})
    second = compile_month(root, ledger, out, "2008-07")
    assert second.exit_code in (0, 1), second.output
    return {
        "root": root,
        "out": out,
        "ledger": ledger,
        "june": june,
        "july": july,
        "first_pack": packs[0],
        "second": second,
    }


def test_history_shows_both_june_values_with_who_and_why(revised: dict[str, Any]) -> None:
    ledger = str(revised["ledger"])
    out = run("history", "sac", "--month", "2008-06", "--measure", "offences", "--ledger", ledger)
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert len(lines) == 3 and lines[-1] == "2 value(s)"
    june_cell = revised["june"]["crime"][JUNE_OFFENCES]
    july_cell = revised["july"]["crime"][JUNE_OFFENCES]
    assert lines[0].startswith(
        f"sac offences 2008-06: 1,035 from returns/2008-06/crime.xlsx: Return!{june_cell}"
    )
    assert lines[1].startswith(
        f"sac offences 2008-06: 560 from returns/2008-07/crime.xlsx: Return!{july_cell}"
    )
    assert "(A. Lead, Performance manager, 2008-08-12)" in lines[1]
    assert lines[1].endswith(f'"{WHY}"')
    rows = json.loads(
        run("history", "sac", "--month", "2008-06", "--ledger", ledger, "--json").output
    )
    offences = [r for r in rows if r["measure"] == "offences"]
    assert [(r["value"], r["folder"], r["signed_by"]) for r in offences] == [
        (1035, "2008-06", "A. Lead"),
        (560, "2008-07", "A. Lead"),
    ]
    assert offences[0]["first_seen"] < offences[1]["first_seen"]
    csv = run(
        "history", "sac", "--month", "2008-06", "--measure", "offences", "--ledger", ledger, "--csv"
    )
    assert csv.output.splitlines()[0].startswith("key,measure,month,value,")
    assert len(csv.output.splitlines()) == 3


def test_as_of_rebuilds_the_june_pack_exactly(revised: dict[str, Any]) -> None:
    out, ledger = revised["out"], revised["ledger"]
    then = revised["first_pack"]["compiled_at"]
    june_then = statuses(out, "2008-06")
    rebuilt = out / "rebuilt"
    result = compile_month(revised["root"], ledger, rebuilt, "2008-06", "--as-of", then)
    assert result.exit_code in (0, 1), result.output
    assert statuses(rebuilt, "2008-06") == june_then
    # The July pack, compiled after the revision, is rebuilt as it was too.
    packs = json.loads(run("packs", "--ledger", str(ledger), "--json").output)
    july = compile_month(
        revised["root"], ledger, rebuilt, "2008-07", "--as-of", packs[1]["compiled_at"]
    )
    assert july.exit_code in (0, 1), july.output
    assert statuses(rebuilt, "2008-07") == statuses(out, "2008-07")
    # A time before any pack: nothing to rebuild from, said in one line.
    early = compile_month(
        revised["root"], ledger, rebuilt, "2008-06", "--as-of", "2001-01-01T00:00"
    )
    assert early.exit_code == 2
    assert "has no pack compiled by 2001-01-01 00:00:00 UTC and no return for Jun 2008" in (
        early.output
    )
    listed = run("packs", "--ledger", str(ledger)).output
    assert listed.count("rebuilt as of") == 2 and listed.splitlines()[-1] == "4 pack(s)"


def test_a_locked_month_keeps_its_figure(
    revised: dict[str, Any], mini: Catalogue, fill: Fill
) -> None:
    root, out, ledger = revised["root"], revised["out"], revised["ledger"]
    locked = run("lock", "2008-06", "--ledger", str(ledger))
    assert locked.exit_code == 0, locked.output
    assert locked.output.startswith("2008-06 locked since ")
    # The June pack was compiled with 1,035; July's return now says 560, then 700.
    write_month(mini, fill, root, changes={"crime": {JUNE_OFFENCES: 700}})
    result = compile_month(root, ledger, out / "locked", "2008-07")
    assert result.exit_code == 1
    warning = next(line for line in result.output.splitlines() if "[locked-month-changed]" in line)
    assert "warning" in warning and "offences: Jun 2008 is locked" in warning
    assert "at 1,035; the returns now say 700" in warning
    data = json.loads((out / "locked" / "2008-07.json").read_text(encoding="utf-8"))
    assert data  # the master is written, with the locked figure
    kept = statuses(out / "locked", "2008-07")
    # The pack compiled with the locked figure is rebuilt with it too.
    locked_pack = json.loads(run("packs", "--ledger", str(ledger), "--json").output)[-1]
    rebuilt = compile_month(
        root, ledger, out / "rebuilt", "2008-07", "--as-of", locked_pack["compiled_at"]
    )
    assert rebuilt.exit_code in (0, 1), rebuilt.output
    assert statuses(out / "rebuilt", "2008-07") == kept
    accepted = compile_month(root, ledger, out / "accepted", "2008-07", "--accept-revisions")
    assert "the new figure is taken" in accepted.output
    assert statuses(out / "accepted", "2008-07")["sac"] != kept["sac"]


def summary_lines(master: Path) -> list[str]:
    book = openpyxl.load_workbook(master)
    return [str(c.value) for row in book["Summary"].iter_rows() for c in row if c.value]


def test_the_july_master_lists_the_restatement(revised: dict[str, Any]) -> None:
    out = revised["out"]
    lines = summary_lines(out / "2008-07.xlsx")
    at = lines.index("Changes")
    assert lines[at + 1].startswith("1 figure restated since the Jun 2008 pack (compiled ")
    assert lines[at + 2] == "SPI 5.2: RED in the Jun 2008 pack; AMBER now that Jun 2008 was revised"
    cell = revised["july"]["crime"][JUNE_OFFENCES]
    assert lines[at + 3] == (
        f"SPI 5.2 offences, Jun 2008: 1,035 -> 560 (returns/2008-07/crime.xlsx: Return!{cell}): "
        f'"{WHY}"'
    )
    said = revised["second"].output
    assert "since the Jun 2008 pack: 1 figure(s) restated, 1 status(es) changed" in said
    data = json.loads((out / "2008-07.json").read_text(encoding="utf-8"))
    (restated,) = data["changes"]["restated"]
    assert (restated["key"], restated["month"], restated["old"], restated["new"]) == (
        "sac",
        "2008-06",
        "1,035",
        "560",
    )
    assert restated["comment"] == WHY
    assert [(c["key"], c["old"], c["new"]) for c in data["changes"]["statuses"]] == [
        ("sac", "RED", "AMBER")
    ]
    assert "changes" not in json.loads((out / "2008-06.json").read_text(encoding="utf-8"))
    # The June master, the first pack, has no earlier pack to compare with.
    assert not any("restated since" in line for line in summary_lines(out / "2008-06.xlsx"))


@pytest.mark.parametrize("kind", ["newer", "damaged"])
def test_a_ledger_that_cannot_be_used_does_not_stop_the_compile(
    mini: Catalogue, fill: Fill, tmp_path: Path, kind: str
) -> None:
    root, out, ledger = tmp_path / "returns", tmp_path / "out", tmp_path / "ledger.sqlite"
    write_month(mini, fill, root)
    assert compile_month(root, ledger, out, "2008-07").exit_code in (0, 1)
    if kind == "newer":
        conn = sqlite3.connect(ledger)
        conn.execute("PRAGMA user_version = 99")
        conn.commit()
        conn.close()
    else:
        ledger.write_bytes(ledger.read_bytes()[:2000] + b"\0" * 3000)
    before = ledger.read_bytes()
    (out / "2008-07.xlsx").unlink()
    result = compile_month(root, ledger, out, "2008-07")
    assert result.exit_code == 1
    assert (out / "2008-07.xlsx").is_file()
    code = {"newer": "ledger-newer", "damaged": "ledger-damaged"}[kind]
    line = next(line for line in result.output.splitlines() if f"[{code}]" in line)
    assert line.startswith(f"{ledger}: warning [{code}] ")
    assert line.endswith("the compile goes on without it")
    assert ledger.read_bytes() == before
    history = run("history", "--ledger", str(ledger))
    assert history.exit_code == 2 and history.output.count("\n") == 1


def test_two_compiles_at_once_both_recorded(mini: Catalogue, fill: Fill, tmp_path: Path) -> None:
    """Two real processes compiling into one ledger at the same time: both recorded."""
    root, ledger = tmp_path / "returns", tmp_path / "ledger.sqlite"
    write_month(mini, fill, root, folder="2008-06")
    write_month(mini, fill, root)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    runs = []
    for month in ("2008-06", "2008-07"):
        args = ["compile", "--config", str(FIXTURES / "mini.yaml"), "--returns", str(root)]
        args += ["--month", month, "--ledger", str(ledger), "--no-cache", "--quiet"]
        args += ["--out", str(tmp_path / f"{month}.xlsx")]
        code = "from scorecard.cli import main; main()"
        runs.append(subprocess.Popen([sys.executable, "-c", code, *args], env=env))
    assert all(p.wait(timeout=300) in (0, 1) for p in runs)
    listed = json.loads(run("packs", "--ledger", str(ledger), "--json").output)
    assert sorted(p["month"] for p in listed) == ["2008-06", "2008-07"]
    assert [len(p["inputs"]) for p in sorted(listed, key=lambda p: p["month"])] == [3, 6]
    conn = sqlite3.connect(ledger)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM returns").fetchone()[0] == 6


def compile_default(root: Path, config: Path, out: Path, month: str) -> Any:
    """compile with no --ledger: the catalogue's setting, or the default place."""
    args = ["compile", "--config", str(config), "--returns", str(root), "--month", month]
    return run(*args, "--no-cache", "--out", str(out / f"{month}.xlsx"))


def test_the_catalogue_places_the_ledger_and_locks_a_month(
    mini: Catalogue, fill: Fill, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCORECARD_LEDGER")
    root, out = tmp_path / "returns", tmp_path / "out"
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    config = tmp_path / "config" / "indicators.yaml"
    config.parent.mkdir()
    setting = '  ledger: {path: ../books/ledger.sqlite, locked_months: ["2008-06"]}\n'
    config.write_text(text.replace("organisation:\n", "organisation:\n" + setting, 1))
    write_month(mini, fill, root, folder="2008-06")
    assert compile_default(root, config, out, "2008-06").exit_code in (0, 1)
    assert (tmp_path / "books" / "ledger.sqlite").is_file()
    assert not (tmp_path / "scorecard-ledger.sqlite").exists()
    write_month(mini, fill, root, changes={"crime": {JUNE_OFFENCES: 560}})
    july = compile_default(root, config, out, "2008-07")
    assert "[locked-month-changed] offences: Jun 2008 is locked (locked by the catalogue)" in (
        july.output
    )
    assert "at 1,035; the returns now say 560" in july.output


def test_the_default_ledger_is_beside_the_returns(
    mini: Catalogue, fill: Fill, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCORECARD_LEDGER")
    root = tmp_path / "returns"
    write_month(mini, fill, root)
    assert compile_default(root, FIXTURES / "mini.yaml", tmp_path / "out", "2008-07").exit_code in (
        0,
        1,
    )
    ledger = tmp_path / "scorecard-ledger.sqlite"
    frame = history_frame(ledger, "sac", measure="offences")
    assert list(frame.columns)[:4] == ["key", "measure", "month", "value"]
    assert set(frame["month"]) >= {"2008-06", "2008-07"}
    assert str(frame["first_seen"].dtype).startswith("datetime64")


def test_many_restatements_have_a_sheet_of_their_own(
    mini: Catalogue, fill: Fill, tmp_path: Path
) -> None:
    root, out, ledger = tmp_path / "returns", tmp_path / "out", tmp_path / "ledger.sqlite"
    write_month(mini, fill, root, folder="2008-06")
    assert compile_month(root, ledger, out, "2008-06").exit_code in (0, 1)
    changes = {
        (key, measure, month): 900 + n
        for n, (key, measure, month) in enumerate(
            (key, measure, month)
            for key, measure in (("sac", "offences"), ("dv-arrests", "arrests"))
            for month in ("2008-01", "2008-02", "2008-03", "2008-04", "2008-05")
        )
    }
    write_month(mini, fill, root, changes={"crime": changes})
    assert compile_month(root, ledger, out, "2008-07").exit_code in (0, 1)
    book = openpyxl.load_workbook(out / "2008-07.xlsx")
    lines = summary_lines(out / "2008-07.xlsx")
    assert "10 figures restated since the Jun 2008 pack" in lines[lines.index("Changes") + 1]
    assert "and 2 more: see the Changes sheet" in lines
    sheet = book["Changes"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Indicator",
        "Measure",
        "Month",
        "In the pack",
        "Now",
        "From",
        "Lead's comment",
    )
    assert len(rows) == 11
    assert {(r[0], r[1], r[4]) for r in rows[1:]} >= {("SPI 5.2", "offences", "900")}


def test_check_ledger_says_sound_then_names_the_damage_and_touches_nothing(
    revised: dict[str, Any],
) -> None:
    from tests.unit.test_ledger import damage_a_late_page

    ledger = revised["ledger"]
    sound = run("check-ledger", "--ledger", ledger)
    assert sound.exit_code == 0, sound.output
    assert sound.output.strip() == f"{ledger}: sound (6 return version(s), 2 pack(s))"
    damage_a_late_page(Path(ledger))
    before = Path(ledger).read_bytes()
    damaged = run("check-ledger", "--ledger", ledger)
    assert damaged.exit_code == 1
    assert damaged.output.splitlines()[-1].startswith(f"{ledger}: damaged (")
    assert Path(ledger).read_bytes() == before
    missing = run("check-ledger", "--ledger", str(Path(ledger).with_name("none.sqlite")))
    assert missing.exit_code == 2


def test_as_of_a_month_not_compiled_by_then_uses_the_returns_seen(
    revised: dict[str, Any],
) -> None:
    """No July pack by the time of the June one: July is compiled from the returns the
    ledger had seen by then, June's."""
    out, then = revised["out"] / "early-july", revised["first_pack"]["compiled_at"]
    result = compile_month(revised["root"], revised["ledger"], out, "2008-07", "--as-of", then)
    assert result.exit_code in (0, 1), result.output
    data = json.loads((out / "2008-07.json").read_text(encoding="utf-8"))
    assert [f["path"] for f in data["files"]] == [
        "returns/2008-06/crime.xlsx",
        "returns/2008-06/ct.xlsx",
        "returns/2008-06/surveys.xlsx",
    ]


def test_as_of_rebuilds_the_live_master_cell_for_cell_with_a_return_missing(
    tmp_path: Path,
) -> None:
    """The samples with Central Operations' July return missing: the live master chases
    it; the master rebuilt --as-of the moment it was compiled is the same, cell for cell
    (its chase list, notes and problems too), but for when it was compiled."""
    from tests.workbook_cells import cells

    repo = Path(__file__).parents[2]
    root, ledger = tmp_path / "returns", tmp_path / "ledger.sqlite"
    shutil.copytree(repo / "samples" / "returns", root)
    (root / "2008-07" / "central-operations.xlsx").unlink()
    (root / "2008-07" / "notes.txt").write_text("not a return")  # a folder's own problem
    config = str(repo / "config" / "indicators.yaml")
    common = ["--config", config, "--returns", str(root), "--ledger", str(ledger)]
    live = run("compile", *common, "--no-cache", "--out", str(tmp_path / "live.xlsx"))
    assert live.exit_code == 1, live.output
    assert "to chase: Central Operations" in live.output
    (pack,) = json.loads(run("packs", "--ledger", str(ledger), "--json").output)
    rebuilt = run(
        "compile", *common, "--as-of", pack["compiled_at"], "--out", str(tmp_path / "as-of.xlsx")
    )
    assert rebuilt.exit_code == 1, rebuilt.output
    assert "to chase: Central Operations" in rebuilt.output
    before = cells((tmp_path / "live.xlsx").read_bytes(), tmp_path)
    after = cells((tmp_path / "as-of.xlsx").read_bytes(), tmp_path)
    assert before.keys() == after.keys()
    differ = {
        where: (before[where], after[where]) for where in before if before[where] != after[where]
    }
    assert len(differ) <= 1, differ  # the time it was compiled, at most
    issues = [v for (sheet, _), v in before.items() if sheet == "Issues" and isinstance(v, str)]
    assert any("unexpected-file" in v or "notes.txt" in v for v in issues)
