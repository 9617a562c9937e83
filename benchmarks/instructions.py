"""Count the instructions a compile executes, which the machine's noise does not change.

    python benchmarks/instructions.py --size large-12            # this tree
    python benchmarks/instructions.py --size large-12 --src /tmp/before/src

Runs `compile_report` over a generated data set under ``valgrind --tool=callgrind``, the
worker processes traced too, and prints the instructions of the workers and of the
parent, less those of the same interpreter importing the same modules and doing nothing.
Two trees compared this way differ only in the work they do. Needs valgrind (Debian:
``apt-get install valgrind``); slow (about a minute for large-12).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/ is not a package)

CHILD = """
import sys
from pathlib import Path
from scorecard.catalogue import load_catalogue
from scorecard.compile import compile_report
from scorecard.periods import Month
catalogue = load_catalogue(Path(sys.argv[1]))
if sys.argv[3] == "run":
    compile_report(catalogue, Path(sys.argv[2]), Month.parse(sys.argv[4]), timeout=3600)
"""
_COLLECTED = re.compile(r"==(\d+)== Collected : (\d+)")


def counts(ds: generate.Dataset, what: str, env: dict[str, str]) -> dict[int, int]:
    """Instructions by process id: the first is the parent."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "child.py"
        script.write_text(CHILD, encoding="utf-8")
        out = subprocess.run(
            [
                "valgrind", "--tool=callgrind", "--trace-children=yes",
                f"--callgrind-out-file={folder}/cg.%p", sys.executable, str(script),
                str(ds.catalogue), str(ds.returns), what, ds.month,
            ],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
    return {int(pid): int(n) for pid, n in _COLLECTED.findall(out.stderr)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="large-12", help=", ".join(generate.SIZES))
    parser.add_argument("--src", type=Path, help="the src folder of another tree to count")
    args = parser.parse_args(argv)
    ds = generate.dataset(args.size)
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = str(args.src.resolve())
    idle = counts(ds, "idle", env)
    run = counts(ds, "run", env)
    parent, *workers = sorted(run)  # process ids rise: the parent started first
    print(f"{args.size}: {len(workers)} worker(s)")
    print(f"  workers  {sum(run[w] for w in workers) / 1e9:8.2f} G instructions")
    print(f"  parent   {(run[parent] - min(idle.values())) / 1e9:8.2f} G (less the imports)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
