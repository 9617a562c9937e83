"""Outputs go where they were asked for, and never over scorecard's own record: on a copy
of the samples, `--out` or `--json` naming the ledger (made or not yet), a damaged
ledger, any SQLite file, a FIFO or a device is refused with exit 2 and one line naming
the option, and the file survives; `-` means standard output for every output option
that takes a path."""

from __future__ import annotations

import io
import json
import os
import pty
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from tests.acceptance.test_render import _need_tools

from scorecard.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def samples(tmp_path: Path) -> dict[str, Any]:
    """A copy of the samples, compiled once into the ledger beside its returns (the
    default place)."""
    root = tmp_path / "work"
    (root / "config").mkdir(parents=True)
    shutil.copy(ROOT / "config" / "indicators.yaml", root / "config" / "indicators.yaml")
    shutil.copytree(ROOT / "samples" / "returns", root / "returns")
    ledger = root / "scorecard-ledger.sqlite"
    base = [
        "--config",
        str(root / "config" / "indicators.yaml"),
        "--returns",
        str(root / "returns"),
    ]
    base += ["--ledger", str(ledger), "--no-cache"]
    first = run("compile", *base, "--out", str(root / "out" / "master.xlsx"))
    assert first.exit_code in (0, 1), first.output
    return {"root": root, "ledger": ledger, "base": base}


def refused(result: Any, option: str) -> str:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"scorecard: {option} "), lines[0]
    return lines[0]


@pytest.mark.parametrize("option", ["--out", "--json"])
def test_an_output_naming_the_ledger_is_refused_and_the_ledger_survives(
    samples: dict[str, Any], option: str
) -> None:
    ledger = samples["ledger"]
    before = ledger.read_bytes()
    result = run("compile", *samples["base"], option, str(ledger))
    assert "ledger" in refused(result, option)
    assert ledger.read_bytes() == before
    assert run("history", "--ledger", str(ledger)).exit_code == 0
    # Its WAL companion, and the same file by another name (a link), likewise.
    link = samples["root"] / "link.sqlite"
    link.symlink_to(ledger)
    refused(run("compile", *samples["base"], option, str(link)), option)


def test_a_ledger_not_made_yet_or_damaged_is_not_written_over(samples: dict[str, Any]) -> None:
    fresh = samples["root"] / "books" / "new-ledger.sqlite"
    base = list(samples["base"])
    base[base.index("--ledger") + 1] = str(fresh)
    refused(run("compile", *base, "--out", str(fresh)), "--out")
    assert not fresh.exists()
    # A damaged ledger (its header gone): reported damaged, and never written over.
    ledger = samples["ledger"]
    ledger.write_bytes(b"\0" * 100 + ledger.read_bytes()[100:])
    before = ledger.read_bytes()
    refused(run("compile", *samples["base"], "--json", str(ledger)), "--json")
    assert ledger.read_bytes() == before


def test_any_sqlite_file_fifo_or_device_is_refused(samples: dict[str, Any]) -> None:
    root = samples["root"]
    other = root / "analysis.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    before = other.read_bytes()
    assert "SQLite database" in refused(
        run("compile", *samples["base"], "--out", str(other)), "--out"
    )
    assert other.read_bytes() == before
    fifo = root / "pipe.xlsx"
    os.mkfifo(fifo)
    assert "FIFO" in refused(run("compile", *samples["base"], "--out", str(fifo)), "--out")
    assert "device" in refused(run("compile", *samples["base"], "--json", os.devnull), "--json")
    assert "FIFO" in refused(
        run("validate", "--config", samples["base"][1], "--json", str(fifo)), "--json"
    )


def test_json_dash_prints_the_json_and_writes_no_dash_file(
    samples: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(samples["root"])
    out = samples["root"] / "out" / "july.xlsx"
    result = CliRunner().invoke(
        main, ["compile", *samples["base"], "--out", str(out), "--json", "-"]
    )
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)  # only the JSON on standard output
    assert data["month"] == "2008-07" and len(data["indicators"]) > 30
    assert f"wrote {out} and (standard output)" in result.stderr
    assert not (samples["root"] / "-").exists()
    assert out.is_file()


def test_out_dash_sends_the_workbook_down_a_pipe(
    samples: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(samples["root"])
    json_path = samples["root"] / "july.json"
    result = CliRunner().invoke(
        main, ["compile", *samples["base"], "--out", "-", "--json", str(json_path)]
    )
    assert result.exit_code in (0, 1), result.stderr
    book = openpyxl.load_workbook(io.BytesIO(result.stdout_bytes))
    assert "Summary" in book.sheetnames
    assert zipfile.is_zipfile(io.BytesIO(result.stdout_bytes))
    assert json.loads(json_path.read_text(encoding="utf-8"))["month"] == "2008-07"
    assert "wrote (standard output)" in result.stderr
    assert not (samples["root"] / "-").exists()
    both = run("compile", *samples["base"], "--out", "-", "--json", "-")
    assert "both name standard output" in refused(both, "--out and --json")
    listed = json.loads(run("packs", "--ledger", str(samples["ledger"]), "--json").output)
    assert listed[-1]["master"] == "(standard output)"


def test_out_dash_on_a_terminal_is_refused(samples: dict[str, Any]) -> None:
    """A real terminal (a pseudo-terminal) on standard output: no bytes of a workbook."""
    main_side, terminal = pty.openpty()
    code = "from scorecard.cli import main; main()"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", code, "compile", *samples["base"], "--out", "-"],
        stdout=terminal, stderr=subprocess.PIPE, env=env, timeout=120, check=False,
    )  # fmt: skip
    os.close(terminal)
    os.close(main_side)
    assert done.returncode == 2
    said = done.stderr.decode().strip()
    assert said.startswith("scorecard: --out -: standard output is a terminal"), said
    assert len(said.splitlines()) == 1


def test_dash_where_no_stream_can_take_it(samples: dict[str, Any]) -> None:
    config = samples["base"][1]
    templates = run("templates", "--config", config, "--out", "-")
    assert "standard output cannot take templates" in refused(templates, "--out")
    init = run("init", "-")
    assert "standard output cannot take a working folder" in refused(init, "FOLDER")
    site = run("site", *samples["base"], "--out", "-")
    assert "standard output cannot take a site" in refused(site, "--out")
    assert not Path("-").exists()
    ledger = run("history", "--ledger", "-")
    assert ledger.exit_code == 2 and "the ledger is a database file" in ledger.output


def test_validate_json_dash_still_prints(samples: dict[str, Any]) -> None:
    result = CliRunner().invoke(main, ["validate", "--config", samples["base"][1], "--json", "-"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["ok"] is True


def test_pack_out_dash_sends_the_pdf_down_a_pipe(
    samples: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _need_tools()
    monkeypatch.chdir(samples["root"])
    result = CliRunner().invoke(main, ["pack", *samples["base"], "--out", "-"])
    assert result.exit_code in (0, 1), result.stderr
    assert result.stdout_bytes.startswith(b"%PDF-")
    assert "wrote (standard output)" in result.stderr
    assert not (samples["root"] / "-").exists()


def test_a_folder_output_may_be_written_again(samples: dict[str, Any]) -> None:
    """The site's --out is a folder: the same folder again is not refused as 'not a
    file' (the refusals are for file outputs)."""
    folder = samples["root"] / "site"
    for _ in range(2):
        result = run("site", *samples["base"], "--out", str(folder), "--quiet")
        assert result.exit_code in (0, 1), result.output
    assert (folder / "index.html").is_file()
