"""A private temporary folder that does not outlive its run.

`scratch_folder(prefix)` makes ``<tmp>/<prefix><pid>-<random>`` and removes it when the
block ends, however it ends: normally, by an exception, or by SIGTERM or SIGHUP (turned
into KeyboardInterrupt while the block runs, so every ``finally`` runs too). A run killed
outright (SIGKILL, a power cut) cannot clean up: the next one removes the folders whose
process is gone. Imports nothing of scorecard's.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

# A folder of this kind without a process id (made by an older scorecard) is stale once
# it is this old.
STALE_AFTER = 3600  # seconds
ENDING_SIGNALS = tuple(
    s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s
)


@contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    """A new temporary folder for this run, removed when the block ends or the run is
    told to stop; first, the folders of `prefix` that dead runs left are removed."""
    remove_stale_folders(prefix)
    with ended_by_signals():
        folder = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def remove_stale_folders(prefix: str, root: Path | None = None) -> list[Path]:
    """Remove the folders of `prefix` in the temporary folder (or `root`) whose run has
    ended: its process is gone (or, with no process id in its name, it is an hour old).
    Only this user's folders are touched. Returns the folders removed."""
    root = Path(root or tempfile.gettempdir())
    pattern = re.compile(rf"^{re.escape(prefix)}(?:(\d+)-)?")
    removed = []
    try:
        candidates = [p for p in root.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return []
    for folder in candidates:
        match = pattern.match(folder.name)
        with contextlib.suppress(OSError):
            info = folder.lstat()
            if match is None or not folder.is_dir() or folder.is_symlink():
                continue
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                continue
            pid = match.group(1)
            ended = (
                not process_alive(int(pid)) if pid else info.st_mtime < time.time() - STALE_AFTER
            )
            if ended:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def process_alive(pid: int) -> bool:
    """Whether a process with this id is running (another user's counts)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def _stop(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"stopped by signal {signum}")


@contextmanager
def ended_by_signals() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP raise KeyboardInterrupt (as Ctrl-C does),
    so that the block's clean-up runs; the previous handlers are restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; its own stay in force
        return
    previous = {s: signal.signal(s, _stop) for s in ENDING_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
