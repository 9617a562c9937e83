"""What `scorecard site` costs beyond `scorecard compile`: run from benchmarks/run.py.

Two measurements, each in fresh processes:

- whole process, paired: ``scorecard compile`` and ``scorecard site`` on the same set,
  the cache filled beforehand (every return remembered) and no ledger, so that both do
  the same compile; one of each per round, their order alternating, and the difference
  taken within each round (the machine's drift moves both of a pair alike). Wall and CPU
  (the child's and its workers' user + system time).
- the writer alone: ``write_site`` on a run compiled beforehand in the same child, wall
  and CPU, with the site's size (files, bytes, the largest page).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any


def child_site(catalogue: Path, returns: Path, month: str, out: Path) -> dict[str, Any]:
    """The site writer alone, on a run compiled first (untimed)."""
    from scorecard.catalogue import load_catalogue
    from scorecard.compile import compile_report
    from scorecard.periods import Month
    from scorecard.site import write_site

    run = compile_report(load_catalogue(catalogue), returns, Month.parse(month))
    cpu0 = time.process_time()
    start = time.perf_counter()
    write_site(run, out)
    seconds = time.perf_counter() - start
    files = [p for p in out.rglob("*") if p.is_file()]
    return {
        "seconds": seconds,
        "cpu": time.process_time() - cpu0,
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "largest": max(p.stat().st_size for p in files),
    }


def _timed(argv: list[str]) -> tuple[float, float, int]:
    """Wall and CPU (its own and its children's) of one command, and its exit status."""
    before = os.times()
    start = time.perf_counter()
    code = subprocess.run(argv, capture_output=True, check=False).returncode
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu, code


def paired(
    command: list[str], catalogue: Path, returns: Path, month: str, tmp: Path, runs: int
) -> dict[str, Any]:
    """`compile` and `site`, whole process, paired and interleaved; medians and the
    median of the differences within each pair."""
    cache = tmp / "site-cache"
    common = ["--config", str(catalogue), "--returns", str(returns), "--month", month]
    common += ["--cache", str(cache), "--no-ledger", "--quiet"]
    argv = {
        "compile": [*command, "compile", *common, "--out", str(tmp / "site-bench.xlsx")],
        "site": [*command, "site", *common, "--out", str(tmp / "site-bench")],
    }
    _timed(argv["compile"])  # fill the cache, untimed
    times: dict[str, list[tuple[float, float]]] = {"compile": [], "site": []}
    codes = set()
    for i in range(runs):
        order = ("compile", "site") if i % 2 == 0 else ("site", "compile")
        for name in order:
            wall, cpu, code = _timed(argv[name])
            times[name].append((wall, cpu))
            codes.add(code)
    pairs = list(zip(times["compile"], times["site"], strict=True))
    return {
        "runs": runs,
        "exit": sorted(codes),
        "compile": _medians(times["compile"]),
        "site": _medians(times["site"]),
        "site_minus_compile": {
            "seconds": statistics.median(s[0] - c[0] for c, s in pairs),
            "cpu": statistics.median(s[1] - c[1] for c, s in pairs),
        },
        "all": {name: [round(w, 3) for w, _ in values] for name, values in times.items()},
    }


def _medians(values: list[tuple[float, float]]) -> dict[str, float]:
    return {
        "seconds": statistics.median(w for w, _ in values),
        "cpu": statistics.median(c for _, c in values),
    }


def report(results: dict[str, Any]) -> list[str]:
    whole, alone = results["paired"], results["writer"]
    extra = whole["site_minus_compile"]
    return [
        f"site (target: under 2 s beyond the compile), medians of {whole['runs']} pair(s):",
        f"  {'CLI compile (cache filled, no ledger)':44} {whole['compile']['seconds']:8.3f} s"
        f"  CPU {whole['compile']['cpu']:7.3f} s",
        f"  {'CLI site (the same, and the pages)':44} {whole['site']['seconds']:8.3f} s"
        f"  CPU {whole['site']['cpu']:7.3f} s",
        f"  {'site - compile, within each pair':44} {extra['seconds']:8.3f} s"
        f"  CPU {extra['cpu']:7.3f} s",
        f"  {'write_site alone (in-process)':44} {alone['seconds']:8.3f} s"
        f"  CPU {alone['cpu']:7.3f} s  {alone['files']} files, "
        f"{alone['bytes'] / 1e6:.1f} MB, largest {alone['largest'] / 1024:.0f} KB",
    ]
