"""Time `scorecard compile` against its floor and a baseline, by phase, with peak memory.

    python benchmarks/run.py --size large               # 5 runs of each measurement
    python benchmarks/run.py --size national --runs 7
    python benchmarks/run.py --size samples
    python benchmarks/run.py --size large --memory-scaling
    python benchmarks/run.py --size tiny --runs 1       # what the smoke test runs
    python benchmarks/run.py --size large-12 --cases --runs 3   # issue 25's cases (cases.py)
    python benchmarks/run.py --size large --site-only   # what `scorecard site` adds

Every measurement runs in a child process of its own (a fresh interpreter, imports done
before the clock starts), so one measurement's caches, heap and high-water mark never
pollute another's. For each size it measures:

- compile: ``load_catalogue`` + ``compile_report`` + ``write_workbook``, the library's
  own pipeline, end to end (its one reader, scorecard.xlsx).
- phases: the same pipeline piece by piece: catalogue load, read returns
  (``read_returns``), derive + assess (``assess_all``), write workbook.
- floor: python-calamine reading every cell of every sheet of the same returns, plus
  xlsxwriter writing the same master sheets (the same sheets, rows, columns and values,
  read from the compiled master) with no formatting.
- baseline: a plain loop of ``pandas.read_excel(path, engine="openpyxl",
  sheet_name=None)`` over the same returns: what a user would write instead.
- the CLI once, in a subprocess (interpreter start and imports included), and
  ``scorecard --help`` / ``scorecard --version``.
- the site: ``scorecard site`` against ``scorecard compile``, whole process, paired and
  interleaved, and ``write_site`` alone (``bench_site.py``).
- peak memory: the process's peak RSS (``resource.getrusage``) in each timing run, and
  each phase's peak Python heap (``tracemalloc``, in a child of its own, untimed).

It prints medians of the runs and the ratios the issue sets targets for (compile/floor
at most 1.5, baseline/compile at least 10). It asserts nothing: it is a benchmark.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_site  # noqa: E402
import generate  # noqa: E402  (benchmarks/ is not a package)
from children import (  # noqa: E402
    CACHE_MODES,
    CACHE_WORDS,
    LAST_MONTH,
    PHASES,
    READERS,
    child_main,
    fill_last_month,
    have_calamine,
)

# --- the parent: run children, take medians ---------------------------------------------


def _child(spec: dict[str, Any]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child {spec['task']} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _spec(ds: generate.Dataset, task: str, out: Path, **extra: Any) -> dict[str, Any]:
    return {
        "task": task,
        "name": ds.name,
        "catalogue": str(ds.catalogue),
        "returns": str(ds.returns),
        "month": ds.month,
        "out": str(out),
        **extra,
    }


def scorecard_command() -> list[str]:
    """How a user runs scorecard: the installed console script, else the module."""
    script = Path(sys.executable).with_name("scorecard")
    if script.exists():
        return [str(script)]
    found = shutil.which("scorecard")
    if found:
        return [found]
    return [sys.executable, "-c", "from scorecard.cli import main; main()"]


def _time_command(argv: list[str], runs: int) -> tuple[float, int]:
    times = []
    code = 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(argv, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        code = proc.returncode
    return statistics.median(times), code


def median(values: list[float]) -> float:
    return statistics.median(values)


def measure(
    ds: generate.Dataset,
    runs: int,
    readers: list[str],
    tmp: Path,
    partial: Path | None = None,
    baseline: bool = True,
) -> dict[str, Any]:
    """Every measurement of one dataset, `runs` times each, interleaved.

    With `partial`, the raw figures so far are written there after each run, so a long
    run that is stopped still leaves what it measured.
    """
    master = tmp / "master.xlsx"
    results: dict[str, Any] = {"dataset": ds.describe(), "runs": runs}
    samples: dict[str, list[dict[str, Any]]] = {}
    cache_dir = tmp / "cache"
    # Fill the cache once, untimed: what the runs of the day before left.
    _child(
        _spec(
            ds,
            "compile",
            tmp / "fill.xlsx",
            reader=readers[0],
            cache="rerun",
            cache_dir=str(cache_dir),
        )
    )
    fill_last_month(ds, tmp / LAST_MONTH)
    for i in range(runs):
        for reader in readers:
            out = tmp / f"compile-{reader}.xlsx"
            for mode in CACHE_MODES:
                key = f"compile/{reader}" + ("" if mode == "none" else f"/{mode}")
                samples.setdefault(key, []).append(
                    _child(
                        _spec(
                            ds, "compile", out, reader=reader, cache=mode, cache_dir=str(cache_dir)
                        )
                    )
                )
                if i == 0 and reader == readers[0] and mode == "none":
                    shutil.copy(out, master)
            samples.setdefault(f"phases/{reader}", []).append(
                _child(_spec(ds, "phases", tmp / "phases.xlsx", reader=reader))
            )
        if have_calamine():
            samples.setdefault("floor", []).append(
                _child(_spec(ds, "floor", tmp / "floor.xlsx", master=str(master)))
            )
        if baseline:
            samples.setdefault("baseline", []).append(_child(_spec(ds, "baseline", tmp / "x")))
        print(f"  run {i + 1} of {runs} done", file=sys.stderr)
        if partial is not None:
            partial.write_text(json.dumps({"dataset": ds.describe(), "samples": samples}))
    for key, items in samples.items():
        summary: dict[str, Any] = {"rss_mb": max(x["rss_mb"] for x in items)}
        if "seconds" in items[0]:
            summary["seconds"] = median([x["seconds"] for x in items])
            summary["all"] = [round(x["seconds"], 4) for x in items]
        if "phases" in items[0]:
            summary["phases"] = {p: median([x["phases"][p] for x in items]) for p in PHASES}
        for extra in ("cpu", "read", "write", "rss_start_mb", "forgotten"):
            if extra in items[0]:
                summary[extra] = median([x[extra] for x in items])
        results[key] = summary
    # Each phase's peak Python heap, in a child of its own (tracemalloc slows what it traces).
    for reader in readers:
        heaps = {}
        for phase in PHASES:
            heaps[phase] = _child(
                _spec(ds, "phases", tmp / "traced.xlsx", reader=reader, traced=phase)
            )["heap_mb"]
        results[f"phases/{reader}"]["heap_mb"] = heaps
    # The CLI once, as a user runs it.
    cli = [
        *scorecard_command(),
        "compile",
        "--config",
        str(ds.catalogue),
        "--returns",
        str(ds.returns),
        "--month",
        ds.month,
        "--out",
        str(tmp / "cli.xlsx"),
        "--quiet",
        "--no-cache",
    ]
    seconds, code = _time_command(cli, 1)
    results["cli"] = {"seconds": seconds, "exit": code}
    return results


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def report(results: dict[str, Any], readers: list[str]) -> list[str]:
    lines = [results["dataset"], f"medians of {results['runs']} run(s), each in a fresh process"]

    def row(
        name: str,
        seconds: float | None,
        rss: float | None = None,
        note: str = "",
        cpu: float | None = None,
    ) -> None:
        shown = f"{seconds:8.3f} s" if seconds is not None else "       -  "
        used = f"{cpu:8.3f} s" if cpu is not None else " " * 10
        mem = f"{rss:7.0f} MB" if rss is not None else " " * 10
        lines.append(f"  {name:34} {shown}  {used}  {mem}  {note}".rstrip())

    lines.append(f"  {'':34} {'wall':>10}  {'CPU':>10}  {'peak RSS':>10}")
    for reader in readers:
        c = results[f"compile/{reader}"]
        p = results[f"phases/{reader}"]
        row(f"compile ({reader}, no cache)", c["seconds"], c["rss_mb"], cpu=c.get("cpu"))
        for mode in CACHE_MODES[1:]:
            m = results.get(f"compile/{reader}/{mode}")
            if m:
                row(f"compile ({reader}, {mode})", m["seconds"], m["rss_mb"], cpu=m.get("cpu"))
        for phase in PHASES:
            heap = p.get("heap_mb", {}).get(phase)
            note = f"heap peak {heap:.1f} MB" if heap is not None else ""
            row(f"  {phase}", p["phases"][phase], None, note)
    floor = results.get("floor")
    if floor:
        row(
            "floor (calamine + xlsxwriter)",
            floor["seconds"],
            floor["rss_mb"],
            f"read {floor['read']:.3f} s, write {floor['write']:.3f} s",
            cpu=floor.get("cpu"),
        )
    base = results.get("baseline")
    if base:
        row("baseline (pandas + openpyxl)", base["seconds"], base["rss_mb"], cpu=base.get("cpu"))
    cli = results["cli"]
    row("CLI subprocess (once, --no-cache)", cli["seconds"], None, f"exit {cli['exit']}")
    lines.append("  ratios (targets: compile/floor <= 1.5, baseline/compile >= 10)")
    for reader in readers:
        for mode in CACHE_MODES:
            found = results.get(f"compile/{reader}" + ("" if mode == "none" else f"/{mode}"))
            if not found:
                continue
            compile_s = found["seconds"]
            to_floor = _ratio(compile_s, floor["seconds"]) if floor else None
            to_base = _ratio(base["seconds"], compile_s) if base else None
            cpu_floor = _ratio(found.get("cpu"), floor.get("cpu")) if floor else None
            lines.append(
                f"    {reader:9} {CACHE_WORDS[mode]:40} compile/floor "
                + (f"{to_floor:5.2f}" if to_floor else "    -")
                + " (CPU "
                + (f"{cpu_floor:5.2f}" if cpu_floor else "    -")
                + ")   baseline/compile "
                + (f"{to_base:5.1f}" if to_base else "    -")
            )
    return lines


def startup(runs: int) -> dict[str, float]:
    command = scorecard_command()
    bare, _ = _time_command([sys.executable, "-c", "pass"], runs)
    helped, _ = _time_command([*command, "--help"], runs)
    version, _ = _time_command([*command, "--version"], runs)
    return {"python -c pass": bare, "scorecard --help": helped, "scorecard --version": version}


def memory_scaling(name: str, readers: list[str], tmp: Path) -> list[str]:
    """Peak memory at two sizes: the same largest return, many more returns."""
    if name not in generate.MEMORY_PARTNER:
        name = "large"
    pair = [generate.MEMORY_PARTNER[name], name]
    lines = ["memory scaling: the same largest return, more returns"]
    for size in pair:
        ds = generate.dataset(size)
        files = ds.files()
        largest = max(f.stat().st_size for f in files)
        lines.append(
            f"  {size}: {len(files)} returns, largest {largest / 1e3:.0f} KB, "
            f"{sum(f.stat().st_size for f in files) / 1e6:.1f} MB in all"
        )
        for reader in readers:
            traced = _child(_spec(ds, "phases", tmp / "m.xlsx", reader=reader, traced="read"))
            plain = _child(_spec(ds, "compile", tmp / "m.xlsx", reader=reader))
            lines.append(
                f"    {reader:10} read phase: heap peak {traced['heap_mb']:6.1f} MB;  "
                f"compile: peak RSS {plain['rss_mb']:5.0f} MB "
                f"({plain['rss_start_mb']:.0f} MB before it started), {plain['seconds']:.2f} s"
            )
            # The same with every return remembered: the cache is read a folder at a time.
            cache_dir = tmp / f"m-cache-{size}"
            warm = {}
            for mode in ("rerun", "rerun"):  # the first fills the cache
                warm = _child(
                    _spec(
                        ds,
                        "compile",
                        tmp / "m.xlsx",
                        reader=reader,
                        cache=mode,
                        cache_dir=str(cache_dir),
                    )
                )
            lines.append(
                f"    {reader:10} re-run, every return remembered: compile peak RSS "
                f"{warm['rss_mb']:5.0f} MB ({warm['rss_start_mb']:.0f} MB before it "
                f"started), {warm['seconds']:.2f} s"
            )
    return lines


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def measure_site(ds: generate.Dataset, runs: int, tmp: Path) -> dict[str, Any]:
    """`scorecard site` beyond `scorecard compile`, paired; and the writer alone."""
    paired = bench_site.paired(scorecard_command(), ds.catalogue, ds.returns, ds.month, tmp, runs)
    writers = [_child(_spec(ds, "site", tmp / f"site-{i}")) for i in range(runs)]
    writer = {k: median([w[k] for w in writers]) for k in ("seconds", "cpu")}
    writer |= {k: writers[-1][k] for k in ("files", "bytes", "largest")}
    return {"paired": paired, "writer": writer}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="large", help=f"samples, {', '.join(generate.SIZES)}")
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="runs of each measurement (5 or more for figures; 0 with --memory-scaling)",
    )
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the pandas baseline (the slowest measurement)",
    )
    parser.add_argument("--memory-scaling", action="store_true", help="peak memory at two sizes")
    parser.add_argument(
        "--cases",
        action="store_true",
        help="only issue 25's cases, each a whole process against the floor (cases.py)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument(
        "--site-only", action="store_true", help="only what `scorecard site` adds to compile"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(json.loads(args.child))
        return 0
    if args.cases:
        import cases

        found = cases.measure_cases(generate.dataset(args.size), args.runs)
        print("\n".join(cases.report(found)))
        if args.json:
            args.json.write_text(json.dumps(found, indent=2))
        return 0
    readers = list(READERS)
    if not have_calamine():
        print("python-calamine is not installed: no floor", file=sys.stderr)
    print(f"machine: {machine()}")
    ds = generate.dataset(args.size)
    out: dict[str, Any] = {"machine": machine(), "size": args.size}
    with tempfile.TemporaryDirectory(prefix="scorecard-bench-") as tmp:
        if args.site_only:
            out["site"] = measure_site(ds, args.runs, Path(tmp))
            print("\n".join(bench_site.report(out["site"])))
        elif args.runs > 0:  # --runs 0 --memory-scaling: the memory figures only
            partial = args.json.with_suffix(".partial.json") if args.json else None
            results = measure(ds, args.runs, readers, Path(tmp), partial, not args.no_baseline)
            out["results"] = results
            print("\n".join(report(results, readers)))
            starts = startup(args.runs)
            out["startup"] = starts
            print("start-up (target < 0.15 s), medians:")
            for name, seconds in starts.items():
                print(f"  {name:34} {seconds:8.3f} s")
            out["site"] = measure_site(ds, args.runs, Path(tmp))
            print("\n".join(bench_site.report(out["site"])))
        if args.memory_scaling:
            lines = memory_scaling(args.size, readers, Path(tmp))
            out["memory_scaling"] = lines
            print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
