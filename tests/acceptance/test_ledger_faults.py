"""A locked month holds, and a ledger fault is a warning, not an internal error, on
copies of the samples: the catalogue locks June, June is compiled, then the July return
revises June's assets recovered. Whatever the ledger's state (written to, left alone
with --no-ledger, busy, on read-only media, on a full disk, damaged), the July compile
either keeps June's locked figure and says so, or stops with one line naming June and
--accept-revisions; never silently the revised figure.

The read-only and full-disk cases use a real small file system (tmpfs mounted with a
size limit, as root); where mounting is not permitted they are skipped, saying why.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.acceptance.test_ledger_record import ASSETS, june_then_july, run

LOCKED_AVERAGE_KEY = "cpa-assets-recovered"


def july(made: dict[str, Any], name: str, *extra: str) -> Any:
    out = made["home"] / "july" / name
    args = ["compile", *made["base"], "--month", "2008-07", "--no-cache", *extra]
    return run(*args, "--out", str(out / "july.xlsx"), "--json", str(out / "july.json"))


def assets(made: dict[str, Any], name: str) -> Any:
    data = json.loads((made["home"] / "july" / name / "july.json").read_text(encoding="utf-8"))
    return next(i["value"] for i in data["indicators"] if i["key"] == LOCKED_AVERAGE_KEY)


def june_kept(result: Any) -> None:
    line = next(ln for ln in result.output.splitlines() if "[locked-month-changed]" in ln)
    assert f"{ASSETS[1]}: Jun 2008 is locked (locked by the catalogue)" in line
    assert "the locked figure is kept" in line


@pytest.fixture
def locked(tmp_path: Path) -> dict[str, Any]:
    made = june_then_july(tmp_path, locked=True)
    kept = july(made, "recorded")
    assert kept.exit_code == 1, kept.output
    june_kept(kept)
    made["kept"] = assets(made, "recorded")
    july(made, "accepted", "--accept-revisions")
    made["revised"] = assets(made, "accepted")
    assert made["revised"] != made["kept"], "the revision changes the July value"
    return made


def test_no_ledger_still_holds_the_lock_and_records_nothing(locked: dict[str, Any]) -> None:
    before = locked["ledger"].read_bytes()
    result = july(locked, "no-ledger", "--no-ledger")
    assert result.exit_code == 1, result.output
    june_kept(result)
    assert assets(locked, "no-ledger") == locked["kept"]
    assert locked["ledger"].read_bytes() == before


def test_a_damaged_ledger_stops_the_compile_until_revisions_are_accepted(
    locked: dict[str, Any],
) -> None:
    ledger = locked["ledger"]
    ledger.write_bytes(b"\0" * 100 + ledger.read_bytes()[100:])
    before = ledger.read_bytes()
    for extra in ((), ("--no-ledger",)):
        stopped = july(locked, "damaged", *extra)
        assert stopped.exit_code == 2, stopped.output
        (line,) = stopped.output.strip().splitlines()[-1:]
        assert line.startswith("scorecard: Jun 2008 locked by the catalogue"), line
        assert "--accept-revisions" in line and "nothing written" in line
        assert not (locked["home"] / "july" / "damaged" / "july.xlsx").exists()
    accepted = july(locked, "damaged", "--accept-revisions")
    assert accepted.exit_code == 1
    assert "[locked-month-unchecked] Jun 2008 locked by the catalogue" in accepted.output
    assert assets(locked, "damaged") == locked["revised"]
    assert ledger.read_bytes() == before


def test_a_busy_ledger_is_read_for_its_locks(
    locked: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("scorecard.ledger.schema.BUSY_TIMEOUT", 1.0)
    holder = sqlite3.connect(locked["ledger"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another compile writing, for longer than we wait
    try:
        result = july(locked, "busy")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1, result.output
    assert "[ledger-unusable]" in result.output
    june_kept(result)
    assert assets(locked, "busy") == locked["kept"]


# --- a real small file system --------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of 4 MB mounted at a folder of its own, unmounted after."""
    point = tmp_path / "disk"
    point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(point)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def remount(point: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(point)], check=True)


def test_a_ledger_on_read_only_media_is_read_not_written(tmp_path: Path, small_disk: Path) -> None:
    made = june_then_july(tmp_path / "work", locked=True, ledger=small_disk / "ledger.sqlite")
    first = json.loads(run("packs", "--ledger", str(made["ledger"]), "--json").output)
    remount(small_disk, "ro")
    result = july(made, "read-only")
    assert result.exit_code == 1, result.output
    line = next(ln for ln in result.output.splitlines() if "[ledger-unusable]" in ln)
    assert "read-only media" in line and "damaged" not in line
    june_kept(result)  # its locks read, read-only
    assert (made["home"] / "july" / "read-only" / "july.xlsx").is_file()
    history = run("history", "cpa-assets-recovered", "--ledger", str(made["ledger"]))
    assert history.exit_code == 0, history.output
    as_of = run(
        "compile", *made["base"], "--as-of", first[0]["shown"],
        "--out", str(tmp_path / "as-of.xlsx"), "--json", str(tmp_path / "as-of.json"),
    )  # fmt: skip
    assert as_of.exit_code in (0, 1), as_of.output
    assert json.loads((tmp_path / "as-of.json").read_text(encoding="utf-8"))["month"] == "2008-06"


@pytest.mark.parametrize("free_kb", [0, 64], ids=["full-at-open", "full-at-commit"])
def test_a_full_disk_under_the_ledger_is_a_warning_and_the_outputs_stand(
    tmp_path: Path, small_disk: Path, free_kb: int
) -> None:
    """Full before the compile (the ledger cannot be opened), or nearly (it opens, and
    its transaction fails at commit, which SQLite rolls back by itself: once an
    'internal error')."""
    made = june_then_july(tmp_path / "work", locked=True, ledger=small_disk / "ledger.sqlite")
    filler = small_disk / "filler"
    with filler.open("wb", buffering=0) as handle:  # fill the disk to the last block
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:
            pass
    os.truncate(filler, filler.stat().st_size - free_kb * 1024)
    result = july(made, "full")
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    line = next(ln for ln in result.output.splitlines() if "[ledger-unusable]" in ln)
    assert "this compile is not recorded" in line or "goes on without it" in line
    assert "wrote " in result.output
    assert (made["home"] / "july" / "full" / "july.xlsx").is_file()
    assert (made["home"] / "july" / "full" / "july.json").is_file()
    june_kept(result)
    filler.unlink()
    check = run("check-ledger", "--ledger", str(made["ledger"]))
    assert check.exit_code == 0, check.output


def test_a_ledger_on_a_network_share_is_refused_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file system's type as /proc/self/mountinfo gives it: here a copy of the real
    one with the test's folder mounted over as NFS, since no share can be mounted."""
    made = june_then_july(tmp_path / "work")
    real = Path("/proc/self/mountinfo")
    if not real.exists():
        pytest.skip("no /proc/self/mountinfo: the file system type cannot be told here")
    share = f"99 1 0:99 / {tmp_path} rw,relatime - nfs4 server:/export rw,vers=4.2\n"
    info = tmp_path / "mountinfo"
    info.write_text(real.read_text(encoding="utf-8") + share, encoding="utf-8")
    monkeypatch.setattr("scorecard.ledger.access.MOUNTINFO", info)
    before = made["ledger"].read_bytes()
    result = july(made, "share")
    assert result.exit_code == 1, result.output
    line = next(ln for ln in result.output.splitlines() if "[ledger-unusable]" in ln)
    assert "network file system (nfs4)" in line and "keep the ledger on a local disk" in line
    assert (made["home"] / "july" / "share" / "july.xlsx").is_file()
    history = run("history", "--ledger", str(made["ledger"]))
    assert history.exit_code == 2 and "network file system (nfs4)" in history.output
    assert made["ledger"].read_bytes() == before
