"""What the command line prints adds up: each line shows its level, the summary counts the
lines shown, and an exit status of 1 says why."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from tests.conftest import FIXTURES
from tests.unit.test_returns import write_month

from scorecard.cli import main

Fill = Callable[..., dict]
MINI = str(FIXTURES / "mini.yaml")


def test_validate_counts_what_it_lists(mini, fill: Fill, tmp_path: Path) -> None:
    root = tmp_path / "returns"
    may = ("sac", "offences", "2008-05")
    write_month(mini, fill, root, folder="2008-06", changes={"crime": {may: 100}})
    # July: a revision (a note), a word where a count belongs (an error), no surveys return.
    july = {may: 110, ("sac", "offences", "2008-07"): "twelve"}
    write_month(mini, fill, root, changes={"crime": july}, skip=("surveys",))
    args = ["validate", "--config", MINI, "--returns", str(root), "--month", "2008-07"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    shown = [line for line in lines if re.search(r": (error|warning|info) \[", line)]
    levels = [re.search(r": (error|warning|info) \[", line).group(1) for line in shown]
    summary = lines[-1]
    errors, warnings, notes = (levels.count(x) for x in ("error", "warning", "info"))
    assert errors and notes
    assert f"{errors + warnings} problem(s) ({errors} error(s), {warnings} warning(s))" in summary
    assert f"{notes} note(s) for information" in summary
    assert "1 owner(s) to chase" in summary
    assert summary.endswith("(exit status 1: problems to check, returns to chase)")
    # Every line above the summary is a chase line, its heading, or a counted problem.
    chase = [line for line in lines if line.startswith("  Surveys: ")]
    assert len(lines) == len(shown) + len(chase) + 2


def test_compile_says_why_it_exits_1_with_no_problems(mini, fill: Fill, tmp_path: Path) -> None:
    root = tmp_path / "returns"
    write_month(mini, fill, root, skip=("surveys",))
    args = ["compile", "--config", MINI, "--returns", str(root), "--month", "2008-07"]
    args += ["--out", str(tmp_path / "m.xlsx"), "--no-cache"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "to chase: Surveys: no return for Jul 2008" in result.output
    assert (
        "0 problem(s) found (1 owner(s) to chase; exit status 1: returns to chase)" in result.output
    )


def test_validate_and_compile_json_are_one_option_and_one_shape(
    mini, fill: Fill, tmp_path: Path
) -> None:
    import json

    root = tmp_path / "returns"
    write_month(mini, fill, root, skip=("surveys",))
    base = ["--config", MINI, "--returns", str(root), "--month", "2008-07"]
    checked, compiled = tmp_path / "validate.json", tmp_path / "compile.json"
    runner = CliRunner()
    validated = runner.invoke(main, ["validate", *base, "--json", str(checked)])
    assert validated.exit_code == 1 and "owner(s) to chase" in validated.output
    out = ["--out", str(tmp_path / "m.xlsx"), "--json", str(compiled), "--no-cache"]
    assert runner.invoke(main, ["compile", *base, *out]).exit_code == 1
    from_validate = json.loads(checked.read_text(encoding="utf-8"))
    from_compile = json.loads(compiled.read_text(encoding="utf-8"))
    assert from_validate["chase"] == from_compile["chase"]
    assert from_validate["chase"][0]["owner_name"] == "Surveys"
    assert from_validate["chase"][0]["return"] == "missing"
    # '-' prints the JSON alone, for a pipe.
    printed = runner.invoke(main, ["validate", *base, "--json", "-"])
    assert json.loads(printed.output)["chase"] == from_compile["chase"]
