"""A folder written whole or not at all: built beside its target, then moved into place.

The pages are written into a temporary folder next to the target (the same file
system, so the move is a rename); only once every file is there does the folder
replace the previous site. A folder that holds anything but a site scorecard wrote is
never replaced: `--out` naming a folder of the user's own (or the returns) is refused.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError
from ..output import folder_problem, reason

MARKER = ".scorecard-site"  # in every site folder: this one scorecard may replace
MARKER_TEXT = "A site written by `scorecard site`: the next run replaces this folder whole.\n"


def replaceable(folder: Path) -> bool:
    """Whether `folder` may be replaced: it is not there, is empty, or is a site."""
    if not folder.exists():
        return True
    if not folder.is_dir() or folder.is_symlink():
        return False
    return (folder / MARKER).is_file() or not any(folder.iterdir())


@contextmanager
def atomic_folder(folder: Path) -> Iterator[Path]:
    """Yield an empty temporary folder beside `folder`; put it in `folder`'s place only
    if the block succeeds. A failure leaves the previous site as it was."""
    if not replaceable(folder):
        raise OutputError(
            f"cannot write the site to {folder}: it is not empty and not a site scorecard "
            "wrote (it has no .scorecard-site file); name a new or empty folder"
        )
    parent = folder.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=parent, prefix=f".{folder.name}.", suffix=".tmp"))
    except OSError as exc:
        raise OutputError(f"cannot write {folder}: {folder_problem(parent, exc)}") from None
    try:
        yield work
        (work / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        os.chmod(work, 0o777 & ~_umask())  # mkdtemp's 700 would hide the site from others
        _swap(work, folder)
    except OSError as exc:
        raise OutputError(f"cannot write {folder}: {reason(exc)}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _swap(work: Path, folder: Path) -> None:
    """Move `work` to `folder`; a previous site is moved aside first and then removed."""
    if not folder.exists():
        os.rename(work, folder)
        return
    old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".old"))
    try:
        os.replace(folder, old / "site")
        os.rename(work, folder)
    except OSError:
        with contextlib.suppress(OSError):  # put the previous site back
            if not folder.exists():
                os.replace(old / "site", folder)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
