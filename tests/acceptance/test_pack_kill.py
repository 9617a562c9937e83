"""A `scorecard pack` stopped part way leaves no temporary folder behind (issue 22, item
12): one told to stop (SIGTERM, as a service manager stops it) removes its own and stops
LibreOffice; one killed outright (SIGKILL) cannot, so the next run removes it.

Real processes, a real LibreOffice and real signals; skipped, saying why, where
LibreOffice is missing (a failure where SCORECARD_REQUIRE_RENDER=1).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.acceptance.test_render import _need_tools

from scorecard.pack import PACK_FOLDER_PREFIX
from scorecard.scratch import remove_stale_folders

ROOT = Path(__file__).resolve().parents[2]


def start_pack(tmp: Path, out: Path) -> subprocess.Popen[bytes]:
    """`scorecard pack` of the samples in a process of its own, its temporary folder in
    `tmp` (TMPDIR), as a shell would start it."""
    args = ["pack", "--config", str(ROOT / "config" / "indicators.yaml")]
    args += ["--returns", str(ROOT / "samples" / "returns"), "--out", str(out)]
    args += ["--no-cache", "--no-ledger"]
    code = "from scorecard.cli import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env={**os.environ, "TMPDIR": str(tmp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for_office(tmp: Path, process: subprocess.Popen[bytes]) -> Path:
    """The pack's folder, once LibreOffice is at work in it: its profile there, and a
    process running on it (the pack writes the profile's settings before starting it)."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        found = list(tmp.glob(f"{PACK_FOLDER_PREFIX}*/libreoffice-profile"))
        if found and offices_in(found[0].parent):
            return found[0].parent
        time.sleep(0.1)
    process.kill()
    raise AssertionError("LibreOffice never started")


def offices_in(folder: Path) -> list[int]:
    """Processes whose command line names `folder` (LibreOffice's profile is in it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if str(folder).encode() in command:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to see LibreOffice's processes")
def test_a_pack_told_to_stop_leaves_nothing(tmp_path: Path) -> None:
    _need_tools()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    process = start_pack(tmp, tmp_path / "pack.pdf")
    folder = wait_for_office(tmp, process)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "interrupted; nothing written" in err.decode()
    assert list(tmp.iterdir()) == []  # its folder, with the master's copy in it, is gone
    assert not (tmp_path / "pack.pdf").exists()
    deadline = time.monotonic() + 10
    while offices_in(folder) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert offices_in(folder) == []  # LibreOffice was stopped with it


def test_a_killed_packs_folder_goes_at_the_next_run(tmp_path: Path) -> None:
    _need_tools()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    process = start_pack(tmp, tmp_path / "pack.pdf")
    folder = wait_for_office(tmp, process)
    process.kill()  # SIGKILL: nothing can clean up
    process.communicate(timeout=60)
    for pid in offices_in(folder):  # LibreOffice, in a session of its own, runs on
        os.kill(pid, signal.SIGKILL)
    assert folder.is_dir() and (folder / "pack.xlsx").is_file()
    alive = tmp / f"{PACK_FOLDER_PREFIX}{os.getpid()}-abc"  # a run still going: kept
    alive.mkdir()
    again = start_pack(tmp, tmp_path / "pack.pdf")  # the next run
    _out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert not folder.exists() and alive.is_dir()
    assert list(tmp.iterdir()) == [alive]
    assert remove_stale_folders(PACK_FOLDER_PREFIX, tmp) == []
