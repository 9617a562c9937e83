"""Compare scorecard's .xlsx reader with openpyxl (read_only) and python-calamine.

    python benchmarks/bench_reader.py                  # the sample returns, 20 rounds
    python benchmarks/bench_reader.py --rounds 5 --synthetic 200000

Each reader reads every cell of every sheet of the sample returns (and, with
--synthetic N, of a generated workbook of about N cells). Times are the best of three
runs. It then shows how each reader returns the cells that matter for honesty: an
error cell, a whole number, a formula with no saved result. It is a benchmark, not a
test: nothing here asserts a time.

The crafted workbook with cells at A1 and XFD1048576 is not given to python-calamine:
it allocates the whole grid and can take the machine down. scorecard's reader refuses
it from the sheet's <dimension>.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "returns"


def _count_cells(open_workbook: Any, path: Path) -> int:
    cells = 0
    with open_workbook(path) as book:
        for name in book.sheet_names:
            for row in book.iter_rows(name):
                cells += len(row)
    return cells


def read_scorecard(path: Path) -> int:
    from scorecard.xlsx import open_workbook

    return _count_cells(open_workbook, path)


def read_openpyxl(path: Path) -> int:
    import openpyxl

    cells = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells += sum(1 for v in row if v is not None)
    finally:
        wb.close()
    return cells


def read_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    cells = 0
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        for row in wb.get_sheet_by_name(name).to_python():
            cells += sum(1 for v in row if v != "")
    return cells


READERS: dict[str, Callable[[Path], int]] = {
    "scorecard.xlsx": read_scorecard,
    "openpyxl read_only": read_openpyxl,
    "python-calamine": read_calamine,
}


def synthetic(path: Path, cells: int) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Return")
    cols = 40
    for r in range(cells // cols):
        ws.write_string(r, 0, f"key-{r}")
        for c in range(1, cols):
            ws.write_number(r, c, r * c + (0.5 if c % 7 == 0 else 0))
    wb.close()
    return path


def probe(path: Path) -> Path:
    """A workbook holding the cells a reader must not get wrong."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Return"
    ws["A1"] = "#DIV/0!"  # an error cell
    ws["B1"] = 42  # a whole number
    ws["C1"] = "=SUM(1,2)"  # a formula never calculated: no saved value
    wb.save(path)
    return path


def time_reader(reader: Callable[[Path], int], files: list[Path], rounds: int) -> tuple[float, int]:
    best = float("inf")
    cells = 0
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(rounds):
            cells = sum(reader(f) for f in files)
        best = min(best, time.perf_counter() - start)
    return best, cells


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="reads of the sample set per run")
    parser.add_argument("--synthetic", type=int, default=0, help="also a workbook of ~N cells")
    args = parser.parse_args(argv)
    files = sorted(SAMPLES.glob("*/*.xlsx"))
    if not files:
        print(f"no samples under {SAMPLES}", file=sys.stderr)
        return 1
    sets = [(f"samples ({len(files)} workbooks x {args.rounds})", files, args.rounds)]
    with tempfile.TemporaryDirectory() as tmp:
        if args.synthetic:
            big = synthetic(Path(tmp) / "big.xlsx", args.synthetic)
            sets.append((f"synthetic ({args.synthetic:,} cells x 1)", [big], 1))
        for title, paths, rounds in sets:
            print(title)
            for name, reader in READERS.items():
                seconds, cells = time_reader(reader, paths, rounds)
                print(f"  {name:20} {seconds * 1000:9.1f} ms   {cells:>9,} cells per round")
        print("honesty (A1 = #DIV/0!, B1 = 42, C1 = =SUM(1,2) never calculated)")
        path = probe(Path(tmp) / "probe.xlsx")
        from python_calamine import CalamineWorkbook

        from scorecard.xlsx import open_workbook

        with open_workbook(path) as book:
            (row,) = list(book.iter_rows("Return"))
            ours = [(c.value, "no cached value" if c.no_cached_value else "") for c in row]
        print(f"  {'scorecard.xlsx':20} {ours}")
        import openpyxl

        ws = openpyxl.load_workbook(path, read_only=True, data_only=True)["Return"]
        print(f"  {'openpyxl read_only':20} {next(ws.iter_rows(values_only=True))}")
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Return")
        print(f"  {'python-calamine':20} {sheet.to_python()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
