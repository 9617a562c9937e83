"""The resident memory of a process and all its descendants, sampled from /proc (Linux).

A compile's worker processes are forked and ended as it goes, so no one process's peak
says what the compile held at once: the sum over the tree, sampled every few
milliseconds, does. (It counts a page shared by a parent and its forked child twice, so
it errs high.)
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(p) for p in task.read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def tree_rss(pid: int) -> int:
    """Bytes resident in `pid` and every process below it, now."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _rss(current)
        todo += _children(current)
    return total


def peak_tree_rss(
    argv: list[str], output: Path, timeout: float = 300.0, every: float = 0.005
) -> tuple[int, int]:
    """Run `argv` in a fresh process, its output (both streams) to `output`; (its exit
    status, the largest sum of its tree's resident memory seen, in bytes)."""
    with output.open("wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
    peak = 0
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None:
            peak = max(peak, tree_rss(proc.pid))
            if time.monotonic() > deadline:
                raise TimeoutError(f"{argv[0]} still running after {timeout:g} s")
            time.sleep(every)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, peak
