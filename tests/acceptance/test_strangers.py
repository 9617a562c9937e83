"""The tool as a stranger meets it (issue 22): a closed pipe, a catalogue without this
year's targets, `validate --returns` as the preflight of compile, an unknown key."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from tests.acceptance.test_ledger import JUNE_OFFENCES, revised
from tests.acceptance.test_ledger import compile_month as compile_with_ledger
from tests.conftest import FIXTURES, fill_return
from tests.unit.test_returns import write_month

from scorecard.catalogue import Catalogue, load_catalogue, measure_months
from scorecard.cli import main
from scorecard.periods import Month

ROOT = Path(__file__).resolve().parents[2]
__all__ = ["revised"]  # the ledger's fixture: June compiled, then July revising June
SAMPLES = ROOT / "samples" / "returns"
CATALOGUE = ROOT / "config" / "indicators.yaml"


def run(*args: str, cwd: Path | None = None) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def scorecard(*args: str, cwd: Path | None = None, **kwargs: Any) -> subprocess.Popen[bytes]:
    """The real command in a process of its own, as a shell runs it."""
    code = "from scorecard.cli import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "0"},
        **kwargs,
    )


@pytest.fixture(scope="module")
def sample_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples compiled once, into a ledger of their own."""
    folder = tmp_path_factory.mktemp("samples")
    ledger = folder / "ledger.sqlite"
    result = run(
        "compile", "--returns", str(SAMPLES), "--config", str(CATALOGUE),
        "--ledger", str(ledger), "--out", str(folder / "master.xlsx"), "--no-cache",
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    return ledger


def test_a_closed_pipe_ends_history_quietly(sample_ledger: Path) -> None:
    # `scorecard history | head -1`: the reader goes away before the history is printed.
    process = scorecard("history", "--ledger", str(sample_ledger), "--config", str(CATALOGUE))
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    with process.stderr:
        err = process.stderr.read().decode()
    status = process.wait(timeout=120)
    assert err == ""
    assert status == 141  # 128 + SIGPIPE, what a shell says of `yes | head -1`


def test_history_csv_keeps_the_reasons_closing_bracket(sample_ledger: Path) -> None:
    out = run("history", "spi-9-1", "--csv", "--ledger", str(sample_ledger))
    assert out.exit_code == 0, out.output
    assert "(processing lag)" in out.output


def test_history_of_an_unknown_key_says_so(sample_ledger: Path) -> None:
    out = run("history", "no-such-key", "--ledger", str(sample_ledger), "--config", str(CATALOGUE))
    assert out.exit_code == 2
    assert "no-such-key" in out.output and "not an indicator" in out.output


def without_a_target(tmp_path: Path, key: str = "spi-1-1") -> Path:
    """The samples' catalogue, where `key` has 2007/08's target but not 2008/09's."""
    text = CATALOGUE.read_text(encoding="utf-8")
    start = text.index(f"- key: {key}\n")
    at = text.index('"2008/09":', start)
    changed = text[:at] + '"2007/08":' + text[at + len('"2008/09":') :]
    path = tmp_path / "indicators.yaml"
    path.write_text(changed, encoding="utf-8")
    return path


def test_a_year_without_targets_is_a_warning(tmp_path: Path) -> None:
    config = without_a_target(tmp_path)
    checked = run("validate", "--config", str(config))
    assert checked.exit_code == 1, checked.output
    line = next(x for x in checked.output.splitlines() if "[targets-missing]" in x)
    assert "spi-1-1" in line or "SPI 1.1" in line
    assert "no target for 2008/09" in line and "it has 2007/08" in line
    args = ["--config", str(config), "--returns", str(SAMPLES), "--no-cache"]
    compiled = run("compile", *args, "--no-ledger", "--out", str(tmp_path / "m.xlsx"))
    assert compiled.exit_code == 1, compiled.output
    assert "[targets-missing]" in compiled.output and "2008/09" in compiled.output
    preflight = run("validate", *args)
    assert preflight.exit_code == 1
    assert "[targets-missing]" in preflight.output


def problem_lines(output: str) -> list[str]:
    return sorted(x for x in output.splitlines() if re.search(r": (error|warning) \[", x))


def same_as_compile(config: Path, returns: Path, out: Path) -> tuple[int, list[str]]:
    args = ["--config", str(config), "--returns", str(returns), "--no-cache"]
    compiled = run("compile", *args, "--no-ledger", "--out", str(out))
    checked = run("validate", *args)
    assert checked.exit_code == compiled.exit_code, (checked.output, compiled.output)
    assert problem_lines(checked.output) == problem_lines(compiled.output)
    return checked.exit_code, problem_lines(checked.output)


def test_validate_returns_gives_what_compile_gives_on_a_new_folder(tmp_path: Path) -> None:
    folder = tmp_path / "fenwick"
    assert run("init", str(folder)).exit_code == 0
    config = folder / "config" / "indicators.yaml"
    catalogue = load_catalogue(config)
    month = Month.parse(next((folder / "returns").iterdir()).name)
    values = {"answered": 50, "calls": 100, "satisfied_pct": 86.0, "incidents": 90, "events": 3}
    for owner in catalogue.owners:
        entries = {
            (key, measure, str(mo)): values[measure]
            for (key, measure), months in measure_months(catalogue, [month]).items()
            if catalogue.indicator(key).owner == owner.key
            for mo in months
        }
        template = folder / "templates" / f"{owner.key}.xlsx"
        fill_return(template, folder / "returns" / str(month) / f"{owner.key}.xlsx", entries)
    status, lines = same_as_compile(config, folder / "returns", tmp_path / "m.xlsx")
    # 50% of calls answered is RED, and the starter asks for the owner's words on a RED row
    assert status == 1 and any("[commentary-missing]" in x for x in lines)


def test_validate_returns_gives_what_compile_gives_on_the_samples(tmp_path: Path) -> None:
    returns = tmp_path / "returns"
    shutil.copytree(SAMPLES, returns)
    (returns / "2008-07" / "surveys.xlsx").unlink()  # one owner to chase
    status, _ = same_as_compile(CATALOGUE, returns, tmp_path / "m.xlsx")
    assert status == 1
    status, lines = same_as_compile(without_a_target(tmp_path), SAMPLES, tmp_path / "n.xlsx")
    assert status == 1 and any("[targets-missing]" in x for x in lines)


def test_the_starters_notes_read_plainly(tmp_path: Path) -> None:
    folder = tmp_path / "fenwick"
    assert run("init", str(folder)).exit_code == 0
    config = folder / "config" / "indicators.yaml"
    catalogue = load_catalogue(config)
    month = Month.parse(next((folder / "returns").iterdir()).name)
    year = catalogue.financial_year(month)
    required = {}
    for owner in catalogue.owners:
        book = openpyxl.load_workbook(folder / "templates" / f"{owner.key}.xlsx")
        required |= {row[0]: row[2] for row in book["Commentary"].iter_rows(values_only=True)}
    assert required["cs-01"] == "when RED"  # a level target: it can be RED
    target = catalogue.indicator("sn-02").target_for(year)
    assert target is not None and target.kind == "none"
    assert required["sn-02"] in (None, "")  # no target: never RED
    args = ["--config", str(config), "--returns", str(folder / "returns"), "--no-ledger"]
    run("compile", *args, "--out", str(tmp_path / "m.xlsx"))
    master = openpyxl.load_workbook(tmp_path / "m.xlsx")
    texts = [str(c.value) for ws in master for row in ws.iter_rows() for c in row if c.value]
    note = next(t for t in texts if "Survey data for the 12 months to" in t)
    survey_end = (month - 1).label  # the survey lags a month: "Sep 2026", not "Sep-26"
    assert f"Survey data for the 12 months to {survey_end}." in note, note


def test_the_readme_says_how_to_set_up_and_names_real_keys() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme[readme.index("## Set-up") : readme.index("## Commands")]
    requires = re.search(r'requires-python = ">=(\d+\.\d+)"', (ROOT / "pyproject.toml").read_text())
    assert requires is not None and f"Python {requires.group(1)} or later" in setup
    assert "python3 -m venv .venv" in setup and "source .venv/bin/activate" in setup
    assert setup.index("-m venv") < setup.index("pip install -e")
    keys = set(load_catalogue(CATALOGUE).indicator_map)
    named = re.findall(r"scorecard history ([a-z][\w.-]*)", readme)
    named += re.findall(r'history_frame\("[^"]+", "([^"]+)"\)', readme)
    assert named and all(key in keys for key in named), named


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 120 KB file system of its own (tmpfs), mounted for the test; skipped, saying
    why, where this user may not mount one."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if not shutil.which("mount") or (hasattr(os, "geteuid") and os.geteuid() != 0):
        pytest.skip("a full disk is made with a size-limited tmpfs mount, which needs root")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=120k", "tmpfs", str(folder)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True, timeout=30)


def test_a_full_disk_over_an_existing_master_is_one_line(
    small_disk: Path, sample_ledger: Path
) -> None:
    master = small_disk / "master.xlsx"
    shutil.copyfile(sample_ledger.parent / "master.xlsx", master)  # 87 KB of the 120
    before = master.read_bytes()
    args = ["compile", "--config", str(CATALOGUE), "--returns", str(SAMPLES)]
    process = scorecard(*args, "--no-ledger", "--no-cache", "--out", str(master))
    _out, err = process.communicate(timeout=300)
    assert process.returncode == 2
    assert err.decode().splitlines() == [
        f"scorecard: cannot write {master}: No space left on device"
    ]
    assert master.read_bytes() == before  # the last master stands
    assert [p.name for p in small_disk.iterdir()] == ["master.xlsx"]


def test_validate_returns_keeps_the_ledgers_locked_months_as_compile_does(
    revised: dict[str, Any], mini: Catalogue, fill: Callable[..., dict]
) -> None:
    root, out, ledger = revised["root"], revised["out"], revised["ledger"]
    assert run("lock", "2008-06", "--ledger", str(ledger)).exit_code == 0
    write_month(mini, fill, root, changes={"crime": {JUNE_OFFENCES: 700}})
    packs_before = run("packs", "--ledger", str(ledger), "--json").output
    args = ["--config", str(FIXTURES / "mini.yaml"), "--returns", str(root), "--month", "2008-07"]
    checked = run("validate", *args, "--ledger", str(ledger), "--no-cache")
    assert run("packs", "--ledger", str(ledger), "--json").output == packs_before  # unrecorded
    compiled = compile_with_ledger(root, ledger, out / "locked", "2008-07")
    assert checked.exit_code == compiled.exit_code == 1
    assert problem_lines(checked.output) == problem_lines(compiled.output)
    assert any("[locked-month-changed]" in x for x in problem_lines(checked.output))
