"""The measured side of `benchmarks/run.py`: each measurement runs here, in a child
process of its own (``run.py --child SPEC``), so one measurement's caches, heap and
high-water mark never pollute another's. See run.py's docstring for what each task is.
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_site  # noqa: E402
import generate  # noqa: E402  (benchmarks/ is not a package)

READERS = ("xlsx",)  # one reader: the name in the figures' keys


def have_calamine() -> bool:
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return False
    return True


# --- the children: one measurement each --------------------------------------------------


def _rss_mb() -> float:
    """Peak resident set size of this process, or of any worker it ran, in MB.

    The process's own peak is VmHWM: getrusage(RUSAGE_SELF) would carry the parent's
    peak across fork and exec. Workers' peaks come from getrusage(RUSAGE_CHILDREN).
    """
    own = 0.0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                own = int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return max(own, workers)


def _cpu() -> float:
    """CPU seconds used so far by this process and the workers it has waited for."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _use_reader(reader: str) -> None:
    """There is one reader (scorecard.xlsx): nothing to switch."""
    assert reader in READERS, reader


CACHE_MODES = ("none", "deadline", "rerun", "month", "month-ledger")
CACHE_WORDS = {
    "none": "no cache: every return read",
    "deadline": "deadline day: the month's returns new",
    "rerun": "re-run: every return remembered",
    "month": "a new month (last month compiled)",
    "month-ledger": "a new month, ledger on (last recorded)",
}
# The cache (and ledger) a compile of the month before the report month left: filled
# once, untimed, and copied for each run of the two "month" modes.
LAST_MONTH = "last-month"


def _forget_month(ds: generate.Dataset, cache_dir: Path) -> int:
    """Delete what the cache holds for the report month's returns: they are the new ones."""
    from scorecard.cache import ReturnCache, file_sha256, reading_context
    from scorecard.catalogue import load_catalogue
    from scorecard.periods import Month

    cache = ReturnCache(cache_dir, reading_context(load_catalogue(ds.catalogue)))
    month = Month.parse(ds.month)
    forgotten = 0
    for path in sorted((ds.returns / ds.month).glob("*.xlsx")):
        display = path.relative_to(ds.returns.parent).as_posix()
        entry = cache.folder / f"{cache.key(file_sha256(path), display, month)}.json"
        if entry.exists():
            entry.unlink()
            forgotten += 1
    return forgotten


def child_compile(
    ds: generate.Dataset, reader: str, out: Path, cache: str = "none", cache_dir: str = ""
) -> dict[str, Any]:
    """The library's pipeline, end to end, as `scorecard compile` runs it.

    `cache`: "none" reads every return; "rerun" finds every return in `cache_dir` (filled
    beforehand); "deadline" finds all but the report month's returns, which are read.
    """
    from scorecard.catalogue import load_catalogue
    from scorecard.compile import compile_report
    from scorecard.periods import Month
    from scorecard.workbook import write_workbook

    _use_reader(reader)
    folder = Path(cache_dir) if cache != "none" else None
    forgotten = _forget_month(ds, folder) if cache == "deadline" and folder else 0
    if cache in ("month", "month-ledger"):  # last month's state, copied untimed
        last = Path(cache_dir).parent / LAST_MONTH
        folder = Path(tempfile.mkdtemp(prefix="month-", dir=out.parent)) / "cache"
        shutil.copytree(last / "cache", folder)
        shutil.copy(last / "ledger.sqlite", folder.parent / "ledger.sqlite")
    rss0 = _rss_mb()
    cpu0 = _cpu()
    start = time.perf_counter()
    catalogue = load_catalogue(ds.catalogue)
    if cache == "month-ledger":
        assert folder is not None
        _compile_recorded(catalogue, ds, out, folder, folder.parent / "ledger.sqlite")
    else:
        run = compile_report(catalogue, ds.returns, Month.parse(ds.month), cache_dir=folder)
        write_workbook(run, out)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "cpu": _cpu() - cpu0,
        "rss_mb": _rss_mb(),
        "rss_start_mb": rss0,
        "forgotten": forgotten,
    }


def _compile_recorded(
    catalogue: Any, ds: generate.Dataset, out: Path, cache: Path, ledger: Path, month: str = ""
) -> None:
    """`scorecard compile` with the ledger: compiled, written, recorded."""
    from scorecard.periods import Month
    from scorecard.revisions import compile_recorded
    from scorecard.workbook import write_workbook

    when = Month.parse(month or ds.month)
    run, recorder = compile_recorded(catalogue, ds.returns, when, ledger=ledger, cache_dir=cache)
    try:
        recorder.record(run, write_workbook(run, out))
    finally:
        recorder.close()


def fill_last_month(ds: generate.Dataset, folder: Path) -> None:
    """The cache and ledger a compile of the month before the report month leaves."""
    from scorecard.catalogue import load_catalogue
    from scorecard.periods import Month

    before = str(Month.parse(ds.month) - 1)
    catalogue = load_catalogue(ds.catalogue)
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "master.xlsx"
    _compile_recorded(catalogue, ds, out, folder / "cache", folder / "ledger.sqlite", before)


PHASES = ("catalogue", "read", "assess", "write")


def child_phases(
    ds: generate.Dataset, reader: str, out: Path, traced: str | None = None
) -> dict[str, Any]:
    """The pipeline piece by piece; with `traced`, that phase's peak heap (tracemalloc)."""
    import tracemalloc

    from scorecard.catalogue import load_catalogue
    from scorecard.compile import RunResult, assess_all
    from scorecard.periods import Month
    from scorecard.returns import read_returns
    from scorecard.workbook import write_workbook

    _use_reader(reader)
    month = Month.parse(ds.month)
    times: dict[str, float] = {}
    state: dict[str, Any] = {}

    def catalogue() -> None:
        state["catalogue"] = load_catalogue(ds.catalogue)

    def read() -> None:
        state["read"] = read_returns(state["catalogue"], ds.returns, month)

    def assess() -> None:
        state["results"] = assess_all(state["catalogue"], state["read"].figures, month)

    def write() -> None:
        read = state["read"]
        run = RunResult(
            catalogue=state["catalogue"],
            month=month,
            results=state["results"],
            problems=list(read.problems),
            chase=list(read.chase),
            files=list(read.files),
        )
        write_workbook(run, out)

    heap = 0
    for name, step in zip(PHASES, (catalogue, read, assess, write), strict=True):
        if name == traced:
            tracemalloc.start()
        start = time.perf_counter()
        step()
        times[name] = time.perf_counter() - start
        if name == traced:
            heap = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    return {"phases": times, "heap_mb": heap / 1e6, "rss_mb": _rss_mb()}


def _master_shape(master: Path) -> list[tuple[str, list[list[Any]]]]:
    """Every sheet of the compiled master and its values, to write again plainly."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(master))
    sheets = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        sheets.append((name, rows))
    book.close()
    return sheets


def read_every_cell(files: list[Path]) -> int:
    """The floor's reading: python-calamine reads every cell of every sheet."""
    from python_calamine import CalamineWorkbook

    cells = 0
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            for row in book.get_sheet_by_name(name).to_python():
                cells += len(row)
        book.close()
    return cells


def write_shape(sheets: list[tuple[str, list[list[Any]]]], out: Path) -> None:
    """The floor's writing: xlsxwriter writes the master's sheets' values, unformatted."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(out))
    for name, rows in sheets:
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    workbook.close()


def child_floor(ds: generate.Dataset, master: Path, out: Path) -> dict[str, Any]:
    """python-calamine reads every cell; xlsxwriter writes the master's sheets, unformatted."""
    sheets = _master_shape(master)
    files = ds.files()
    rss0 = _rss_mb()
    cpu0 = _cpu()
    start = time.perf_counter()
    cells = read_every_cell(files)
    read = time.perf_counter() - start
    write_shape(sheets, out)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "cpu": _cpu() - cpu0,
        "read": read,
        "write": seconds - read,
        "cells": cells,
        "rss_mb": _rss_mb(),
        "rss_start_mb": rss0,
    }


def child_baseline(ds: generate.Dataset) -> dict[str, Any]:
    """What a user would write instead: pandas.read_excel with openpyxl over every return."""
    import pandas

    files = ds.files()
    rss0 = _rss_mb()
    cpu0 = _cpu()
    start = time.perf_counter()
    frames = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl: "Data Validation extension is not supported"
        for path in files:
            frames += len(pandas.read_excel(path, engine="openpyxl", sheet_name=None))
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "cpu": _cpu() - cpu0,
        "frames": frames,
        "rss_mb": _rss_mb(),
        "rss_start_mb": rss0,
    }


def child_main(spec: dict[str, Any]) -> None:
    ds = generate.Dataset(
        spec["name"], Path(spec["catalogue"]), Path(spec["returns"]), spec["month"]
    )
    out = Path(spec["out"])
    task = spec["task"]
    if task == "compile":
        result = child_compile(
            ds, spec["reader"], out, spec.get("cache", "none"), spec.get("cache_dir", "")
        )
    elif task == "phases":
        result = child_phases(ds, spec["reader"], out, spec.get("traced"))
    elif task == "floor":
        result = child_floor(ds, Path(spec["master"]), out)
    elif task == "baseline":
        result = child_baseline(ds)
    elif task == "site":
        result = bench_site.child_site(ds.catalogue, ds.returns, ds.month, out)
    else:
        raise SystemExit(f"unknown task {task}")
    print(json.dumps(result))
