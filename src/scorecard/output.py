"""Writing an output file safely: beside its target, then moved into place.

`atomic_output(path)` yields a temporary file in the target's folder and replaces the
target with it only if the block succeeds, so a failed run leaves the previous output
intact. The temporary files a killed run left behind are removed once an hour old.
Imports nothing of scorecard's but its errors.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError

STALE_AFTER = 3600  # seconds: a temporary file this old belongs to no run still going


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary file beside `path`; move it into place only if the block succeeds.

    A failure leaves any previous `path` untouched and removes the temporary file. An
    OSError becomes an `OutputError` with a one-line message naming the file.
    """
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {folder_problem(folder, exc)}") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {reason(exc)}") from None
    finally:
        tmp.unlink(missing_ok=True)
    remove_stale_temporaries(path)


def remove_stale_temporaries(path: Path) -> None:
    """Delete the temporary files a killed run left beside `path` (`.name.*.tmp`), once
    they are an hour old, so that a run writing the same file now is left alone."""
    cutoff = time.time() - STALE_AFTER
    try:
        leftovers = list(path.parent.glob(f".{glob.escape(path.name)}.*.tmp"))
    except OSError:
        return
    for leftover in leftovers:
        with contextlib.suppress(OSError):
            if leftover.is_file() and leftover.stat().st_mtime < cutoff:
                leftover.unlink()


def folder_problem(folder: Path, exc: OSError) -> str:
    """Why a file cannot be made in `folder`, in the words of its cause: a part of the
    path that is a file, a folder that is read-only, one that cannot be made."""
    for part in (folder, *folder.parents):
        if part.exists() and not part.is_dir():
            return f"{part} is a file, not a folder"
        if part.is_dir():
            if part != folder:
                return (
                    f"folder {folder} does not exist and cannot be made in {part} ({reason(exc)})"
                )
            if not os.access(part, os.W_OK | os.X_OK) or isinstance(exc, PermissionError):
                return f"folder {folder} is read-only ({reason(exc)})"
            break
    return f"folder {folder} is not writable ({reason(exc)})"


def reason(exc: BaseException) -> str:
    """An exception's reason in one line: its strerror, else its text, else its type."""
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())


def _file_mode(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (not mkstemp's 600)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
