"""The benchmark script still runs: benchmarks/run.py at the tiny size, once.

No timing is asserted (timings belong in benchmarks/README.md, not in tests); this only
keeps the generator, the measurements and the report from rotting.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_runs_at_the_tiny_size(tmp_path: Path) -> None:
    if importlib.util.find_spec("python_calamine") is None:
        pytest.skip(
            "python-calamine is not installed, so the benchmark has no floor to measure: "
            "pip install -e '.[bench]'"
        )
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--size", "tiny", "--runs", "1", "--json", out],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    for words in (
        "compile (xlsx, no cache)",
        "compile (xlsx, deadline)",
        "compile (xlsx, rerun)",
        "floor",
        "baseline",
        "ratios",
    ):
        assert words in proc.stdout
    figures = json.loads(out.read_text())
    results = figures["results"]
    for key in (
        "compile/xlsx",
        "compile/xlsx/deadline",
        "compile/xlsx/rerun",
        "phases/xlsx",
        "floor",
        "baseline",
    ):
        assert results[key]["seconds" if "phases" not in key else "phases"]
    # Deadline day re-reads the month's returns (3 owners at the tiny size); a re-run none.
    assert results["compile/xlsx/deadline"]["forgotten"] == 3
    assert results["compile/xlsx/rerun"]["forgotten"] == 0
    assert results["cli"]["exit"] == 0
    assert set(figures["startup"]) >= {"scorecard --help", "scorecard --version"}


def test_issue_25_cases_run_at_the_tiny_size(tmp_path: Path) -> None:
    """`--cases`: each case a whole process, with its ratio to the floor and the load."""
    if importlib.util.find_spec("python_calamine") is None:
        pytest.skip("python-calamine is not installed: no floor (pip install -e '.[bench]')")
    out = tmp_path / "cases.json"
    argv = ["--size", "tiny", "--cases", "--runs", "1", "--json", str(out)]
    proc = subprocess.run(
        [sys.executable, "benchmarks/run.py", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = json.loads(out.read_text())
    assert list(figures["cases"]) == [
        "floor",
        "afresh",
        "new month",
        "re-run, SPC off",
        "re-run, SPC on",
    ]
    for case in figures["cases"].values():
        assert case["cpu"] > 0 and case["wall"] > 0 and len(case["load"]) == 1
        assert case["rss_mb"] > 0
    assert figures["cases"]["floor"]["cpu_to_floor"] == 1.0
    assert "x floor CPU" in proc.stdout and "load" in proc.stdout
