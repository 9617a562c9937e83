"""A workspace holding a copy of the July 2008 returns, and `scorecard compile` run on it.

Every run through `compile_in` checks what holds for any input, good or bad: the exit
status is 0, 1 or 2; nothing raised past the command; no traceback without --debug; no
input file changed (SHA-256 of every file before and after); and a master and JSON are
written exactly when the exit status says so, the JSON being valid JSON.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from scorecard.catalogue import load_catalogue, measure_months
from scorecard.cli import main
from scorecard.periods import Month
from tests.robustness.build import CONFIG, SAMPLES, TP

JUL = Month(2008, 7)


@functools.cache
def owner_keys(owner: str) -> frozenset[str]:
    """The indicators of `owner` whose figures the July 2008 report needs."""
    catalogue = load_catalogue(CONFIG)
    owners = {ind.key: ind.owner for ind in catalogue.indicators}
    return frozenset(key for key, _ in measure_months(catalogue, [JUL]) if owners[key] == owner)


@dataclass
class Space:
    """A returns folder (a copy of the samples), a catalogue and an output folder."""

    root: Path
    config: Path = CONFIG

    @property
    def returns(self) -> Path:
        return self.root / "returns"

    @property
    def month(self) -> Path:
        return self.returns / "2008-07"

    @property
    def tp(self) -> Path:
        return self.month / f"{TP}.xlsx"

    def path(self, owner: str) -> Path:
        return self.month / f"{owner}.xlsx"

    @property
    def master(self) -> Path:
        return self.root / "out" / "master.xlsx"

    @property
    def json(self) -> Path:
        return self.root / "out" / "master.json"

    def write_config(self, text: str | bytes) -> Path:
        self.config = self.root / "indicators.yaml"
        data = text.encode("utf-8") if isinstance(text, str) else text
        self.config.write_bytes(data)
        return self.config


def make_space(root: Path) -> Space:
    """The sample returns and the catalogue, copied: what a test runs on is its own."""
    made = Space(root)
    shutil.copytree(SAMPLES, made.month)
    made.write_config(CONFIG.read_bytes())
    return made


@pytest.fixture
def space(tmp_path: Path) -> Space:
    return make_space(tmp_path)


def fingerprints(*roots: Path) -> dict[str, str]:
    """What every entry under `roots` holds: a file's SHA-256, a link's target, a kind."""
    found: dict[str, str] = {}
    for root in roots:
        if not root.exists() and not root.is_symlink():
            continue
        entries = [root] if not root.is_dir() or root.is_symlink() else sorted(root.rglob("*"))
        for entry in entries:
            mode = entry.lstat().st_mode
            if stat.S_ISLNK(mode):
                found[str(entry)] = "link to " + os.readlink(entry)
            elif stat.S_ISREG(mode):
                found[str(entry)] = hashlib.sha256(entry.read_bytes()).hexdigest()
            else:
                found[str(entry)] = f"mode {stat.S_IFMT(mode):o}"
    return found


@dataclass
class Run:
    exit: int
    stdout: str
    stderr: str
    space: Space
    lines: list[str] = field(default_factory=list)

    def line(self, code: str) -> str:
        """The one stderr line that names `code`."""
        found = [line for line in self.lines if f"[{code}]" in line]
        assert found, f"no [{code}] line in:\n{self.stderr}"
        return found[0]


def compile_in(space: Space, *args: str, debug: bool = False, outputs: bool = True) -> Run:
    """`scorecard compile` on the space, with the checks that hold for every input."""
    inputs = (space.returns, space.config)
    before = fingerprints(*inputs)
    command = ["--debug"] if debug else []
    command += ["compile", "--config", str(space.config), "--returns", str(space.returns)]
    command += ["--month", "2008-07"]
    if outputs:
        command += ["--out", str(space.master), "--json", str(space.json)]
    result = CliRunner().invoke(main, [*command, *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    if not debug:
        assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert fingerprints(*inputs) == before, "an input file was changed"
    run = Run(result.exit_code, result.stdout, result.stderr, space, result.stderr.splitlines())
    if outputs:
        written = run.exit != 2
        assert space.master.exists() == written, (run.exit, run.stderr)
        assert space.json.exists() == written
        if written:
            json.loads(space.json.read_text(encoding="utf-8"))
    return run


@dataclass
class Master:
    """The written master, read back with openpyxl."""

    issues: list[dict[str, Any]]
    status: dict[str, str]  # indicator key -> status
    texts: list[str]  # every text in every cell and comment of every sheet

    def issue(self, code: str) -> dict[str, Any]:
        found = [row for row in self.issues if row["code"] == code]
        assert found, f"no {code} on the Issues sheet: {[r['code'] for r in self.issues]}"
        return found[0]

    def data_issues(self) -> set[str]:
        return {key for key, status in self.status.items() if status == "DATA_ISSUE"}


def _table(sheet: Any) -> list[dict[str, Any]]:
    rows = list(sheet.iter_rows(values_only=True))
    if not rows or (rows[0][0] != "Level" and rows[0][0] != "Key"):
        return []
    names = [str(name).lower() for name in rows[0]]
    return [dict(zip(names, row, strict=False)) for row in rows[1:] if any(row)]


def read_master(path: Path) -> Master:
    book = openpyxl.load_workbook(path)
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                if cell.comment is not None:
                    texts.append(cell.comment.text)
    data = _table(book["Data"])
    return Master(
        issues=_table(book["Issues"]),
        status={row["key"]: row["status"] for row in data},
        texts=texts,
    )
