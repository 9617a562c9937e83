"""Issue 25's cases, each a whole `scorecard compile` process, against the floor in the same run.

    python benchmarks/run.py --size large-12 --cases --runs 3
    python benchmarks/cases.py --size large-12 --runs 3      # the same, on its own

Each case is the command a user runs, in a process of its own, timed from outside: wall
time, and CPU as the operating system accounts it when the process is reaped (its own
user + system time and that of every worker it waited for, interpreter start-up and
imports included); peak RSS is the largest single process's. The cases:

- **floor**: python-calamine reading every cell of every sheet of every return, then
  xlsxwriter writing the master's sheets (values only, the shape taken from a master
  compiled beforehand, untimed);
- **afresh**: ``compile --no-cache --no-ledger``: every return read;
- **new month**: ``compile --cache C --ledger L``: the eleven earlier months cached and
  recorded (by a compile of the month before, untimed, copied back before each run),
  the report month's returns new;
- **re-run, SPC off / on**: ``compile --cache C --no-ledger`` with every return
  remembered, the catalogue's ``organisation.spc`` off, then on.

One round runs every case once, in that order; rounds repeat (``--runs``), so the cases
are interleaved and a drift of the machine's speed touches all of them. Each case's
ratio to the floor is taken round by round (the floor of the same round) and its median
reported, for CPU and for wall; the machine's 1-minute load average is read before each
case and reported, as the figures mean little on a machine busy with other work.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/ is not a package)

CASES = ("floor", "afresh", "new month", "re-run, SPC off", "re-run, SPC on")


def scorecard() -> list[str]:
    script = Path(sys.executable).with_name("scorecard")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from scorecard.cli import main; main()"]


# Runs one command and reports its wall time and the rusage its reaping gives. A process
# of its own, small and fresh: a child's peak RSS (ru_maxrss) carries over from the
# process it was forked from, so the command is forked from this one, not from the
# benchmark (which has imported scorecard to generate the data).
REAPER = """
import json, os, subprocess, sys, time
argv = json.loads(sys.argv[1])
start = time.perf_counter()
proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = proc.stderr.read()
_pid, status, usage = os.wait4(proc.pid, 0)
print(json.dumps({"wall": time.perf_counter() - start,
                  "cpu": usage.ru_utime + usage.ru_stime,
                  "rss_mb": usage.ru_maxrss / 1024,
                  "exit": os.waitstatus_to_exitcode(status),
                  "err": err[-3000:].decode(errors="replace")}))
"""


def timed(argv: list[str]) -> dict[str, float]:
    """Run `argv` to its end; its wall time, CPU (with its reaped workers), peak RSS."""
    load = os.getloadavg()[0]
    done = subprocess.run(
        [sys.executable, "-S", "-c", REAPER, json.dumps(argv)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout)
    if result["exit"] not in (0, 1):
        raise SystemExit(f"{' '.join(argv[:3])}... exit {result['exit']}:\n{result['err']}")
    return {key: result[key] for key in ("wall", "cpu", "rss_mb")} | {"load": load}


def floor_child(returns: Path, shape: Path, out: Path) -> None:
    """The floor, as a process of its own: read every cell, write the master's shape."""
    from children import read_every_cell, write_shape

    read_every_cell(sorted(returns.glob("*/*.xlsx")))
    write_shape(pickle.loads(shape.read_bytes()), out)


def master_shape(master: Path) -> list[tuple[str, list[list[Any]]]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(master))
    sheets = [
        (name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
        for name in book.sheet_names
    ]
    book.close()
    return sheets


def with_spc(catalogue: Path, out: Path) -> Path:
    """The catalogue with SPC charts on for every row (organisation.spc.enabled)."""
    text = catalogue.read_text()
    marker = "organisation:\n"
    assert marker in text, "the generated catalogue starts with its organisation"
    out.write_text(text.replace(marker, marker + "  spc:\n    enabled: true\n", 1))
    return out


class Setup:
    """The commands of each case, and what each needs in place before it runs."""

    def __init__(self, ds: generate.Dataset, tmp: Path) -> None:
        self.ds, self.tmp = ds, tmp
        self.spc_catalogue = with_spc(ds.catalogue, tmp / "spc.yaml")
        earlier = self._month_before(ds.month)
        # The eleven earlier months, cached and recorded as the last month's compile
        # left them: kept aside, copied back before each new-month run.
        self.cache_before = tmp / "cache-before"
        self.ledger_before = tmp / "ledger-before.sqlite"
        self.run(
            self.compile(ds.catalogue, "new.xlsx", earlier, self.cache_before, self.ledger_before)
        )
        for name in ("off", "on"):  # the re-runs' caches, filled once
            self.run(self.rerun(name))
        master = tmp / "master.xlsx"
        self.run(self.afresh(master))
        self.shape = tmp / "shape.pickle"
        self.shape.write_bytes(pickle.dumps(master_shape(master)))

    @staticmethod
    def _month_before(month: str) -> str:
        year, number = (int(part) for part in month.split("-"))
        year, number = (year, number - 1) if number > 1 else (year - 1, 12)
        return f"{year:04d}-{number:02d}"

    @staticmethod
    def run(argv: list[str]) -> None:
        timed(argv)

    def compile(
        self,
        catalogue: Path,
        out: str,
        month: str,
        cache: Path | None,
        ledger: Path | None,
    ) -> list[str]:
        argv = [
            *scorecard(),
            "compile",
            "--config",
            str(catalogue),
            "--returns",
            str(self.ds.returns),
            "--month",
            month,
            "--out",
            str(self.tmp / out),
            "--quiet",
        ]
        argv += ["--cache", str(cache)] if cache else ["--no-cache"]
        argv += ["--ledger", str(ledger)] if ledger else ["--no-ledger"]
        return argv

    def afresh(self, out: Path | None = None) -> list[str]:
        argv = self.compile(self.ds.catalogue, "afresh.xlsx", self.ds.month, None, None)
        if out is not None:
            argv[argv.index("--out") + 1] = str(out)
        return argv

    def new_month(self) -> list[str]:
        cache, ledger = self.tmp / "cache-new", self.tmp / "ledger-new.sqlite"
        shutil.rmtree(cache, ignore_errors=True)
        shutil.copytree(self.cache_before, cache)
        for path in self.tmp.glob("ledger-new.sqlite*"):
            path.unlink()
        shutil.copy(self.ledger_before, ledger)
        return self.compile(self.ds.catalogue, "new.xlsx", self.ds.month, cache, ledger)

    def rerun(self, spc: str) -> list[str]:
        catalogue = self.spc_catalogue if spc == "on" else self.ds.catalogue
        return self.compile(
            catalogue, f"rerun-{spc}.xlsx", self.ds.month, self.tmp / f"cache-{spc}", None
        )

    def floor(self) -> list[str]:
        return [
            sys.executable,
            str(Path(__file__).resolve()),
            "--floor",
            str(self.ds.returns),
            str(self.shape),
            str(self.tmp / "floor.xlsx"),
        ]

    def argv(self, case: str) -> list[str]:
        if case == "floor":
            return self.floor()
        if case == "afresh":
            return self.afresh()
        if case == "new month":
            return self.new_month()
        return self.rerun("on" if case.endswith("on") else "off")


def measure_cases(ds: generate.Dataset, runs: int) -> dict[str, Any]:
    """Every case `runs` times, interleaved; medians and ratios to the same round's floor."""
    samples: dict[str, list[dict[str, float]]] = {case: [] for case in CASES}
    with tempfile.TemporaryDirectory(prefix="scorecard-cases-") as folder:
        setup = Setup(ds, Path(folder))
        for i in range(runs):
            for case in CASES:
                samples[case].append(timed(setup.argv(case)))
            print(f"  round {i + 1} of {runs} done", file=sys.stderr)
    out: dict[str, Any] = {"dataset": ds.describe(), "runs": runs, "cases": {}}
    floors = samples["floor"]
    for case, items in samples.items():
        summary: dict[str, Any] = {
            key: statistics.median(x[key] for x in items) for key in ("wall", "cpu")
        }
        summary["rss_mb"] = max(x["rss_mb"] for x in items)
        summary["load"] = [round(x["load"], 2) for x in items]
        summary["all_cpu"] = [round(x["cpu"], 3) for x in items]
        for key in ("cpu", "wall"):
            summary[f"{key}_to_floor"] = statistics.median(
                x[key] / f[key] for x, f in zip(items, floors, strict=True)
            )
        out["cases"][case] = summary
    off, on = samples["re-run, SPC off"], samples["re-run, SPC on"]
    out["spc_on_to_off_cpu"] = statistics.median(
        b["cpu"] / a["cpu"] for a, b in zip(off, on, strict=True)
    )
    return out


def report(results: dict[str, Any]) -> list[str]:
    lines = [
        results["dataset"],
        f"issue 25's cases, each a whole process; medians of {results['runs']} interleaved "
        "round(s); x floor: the median of each round's ratio to that round's floor",
        f"  {'case':18} {'wall':>8} {'CPU':>8} {'x floor CPU':>12} {'x floor wall':>13} "
        f"{'peak RSS':>9}  load (1 min) at each run",
    ]
    for case, s in results["cases"].items():
        lines.append(
            f"  {case:18} {s['wall']:7.2f}s {s['cpu']:7.2f}s {s['cpu_to_floor']:12.2f} "
            f"{s['wall_to_floor']:13.2f} {s['rss_mb']:6.0f} MB  "
            + ", ".join(f"{x:.1f}" for x in s["load"])
        )
    lines.append(
        f"  re-run with SPC on / off, CPU (target <= 1.25): {results['spc_on_to_off_cpu']:.2f}"
    )
    lines.append("  targets (issue 25, CPU x floor): afresh <= 2.0 (goal 1.5), new month <= 1.5")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="large-12")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--floor", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor:
        floor_child(*(Path(p) for p in args.floor))
        return 0
    results = measure_cases(generate.dataset(args.size), args.runs)
    print("\n".join(report(results)))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
