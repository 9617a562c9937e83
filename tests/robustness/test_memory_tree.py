"""A compile of a folder holding a return with a pasted extract (a sheet of 999,990 cells,
79 MB of shared strings) stays under 400 MB across all its processes together, and
reports the pasted sheet (issue 22, item 14).

The compile runs as a user runs it, in a fresh process with its worker processes; the
sum of the resident memory of the whole process tree is sampled from /proc every few
milliseconds (`treerss`). Linux only: elsewhere there is no /proc to sample.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.robustness.build import CONFIG, OWNERS, SAMPLES, TP, pasted_sheet_members, raw_zip
from tests.robustness.treerss import peak_tree_rss

BOUND_MB = 400

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/statm").exists(), reason="samples /proc (Linux only)"
)


def _folder(root: Path, hostile: dict[str, bytes]) -> Path:
    month = root / "returns" / "2008-07"
    month.mkdir(parents=True)
    for path in SAMPLES.glob("*.xlsx"):
        shutil.copy(path, month)
    for owner, data in hostile.items():
        (month / f"{owner}.xlsx").write_bytes(data)
    return root / "returns"


def _compile(tmp_path: Path, returns: Path) -> tuple[int, float, str]:
    argv = [
        sys.executable,
        "-c",
        "from scorecard.cli import main; main()",
        "compile",
        "--config",
        str(CONFIG),
        "--returns",
        str(returns),
        "--month",
        "2008-07",
        "--out",
        str(tmp_path / "master.xlsx"),
        "--no-cache",
        "--no-ledger",
    ]
    output = tmp_path / "output.txt"
    code, peak = peak_tree_rss(argv, output)
    return code, peak / 1e6, output.read_text()


def test_a_pasted_extract_costs_under_the_bound_and_is_reported(tmp_path: Path) -> None:
    returns = _folder(tmp_path, {TP: raw_zip(pasted_sheet_members())})
    code, peak_mb, output = _compile(tmp_path, returns)
    assert code == 1, output
    assert peak_mb < BOUND_MB, f"{peak_mb:.0f} MB at the peak"
    assert f"{TP}.xlsx: Pasted!A1: warning [stray-cell] A1 on sheet 'Pasted' holds" in output
    assert "about 999,980 more cell(s) with something in them on sheet 'Pasted'" in output


def test_three_pasted_extracts_read_at_once_stay_under_the_bound(tmp_path: Path) -> None:
    hostile = {owner: raw_zip(pasted_sheet_members(owner)) for owner in OWNERS[:3]}
    code, peak_mb, output = _compile(tmp_path, _folder(tmp_path, hostile))
    assert code == 1, output
    assert peak_mb < BOUND_MB, f"{peak_mb:.0f} MB at the peak"
    assert output.count("on sheet 'Pasted' are not used") == 3
