"""The returns folder: its month folders, the return files in them, and what is astray."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from ..errors import InputError, Problem
from ..periods import Month
from ..xlsx import unreadable
from .problems import make_problem
from .record import Job, Pending, ReturnRecord

RETURN_SUFFIXES = (".xlsx", ".xlsm")
# Files a lead might send instead of an .xlsx: read so the problem names what they are.
WORKBOOK_LIKE = (".xls", ".xlsb", ".csv", ".ods", ".xml", ".htm", ".html")
FOLDER_RE = re.compile(r"^\d{4}-\d{2}$")


class FolderScan(NamedTuple):
    """A month folder looked at: its stray entries (as problems) and its returns."""

    month: Month
    problems: list[Problem]
    items: list[Pending]


def is_skipped(path: Path) -> bool:
    """An Excel lock file, a hidden file, or what Windows leaves in folders."""
    return path.name.startswith(("~$", ".")) or path.name in ("Thumbs.db", "desktop.ini")


def month_folders(root: Path) -> list[tuple[Month, Path]]:
    """The YYYY-MM folders of `root`, oldest first."""
    folders = []
    for entry in root.iterdir():
        if entry.is_dir() and not is_skipped(entry) and FOLDER_RE.match(entry.name):
            try:
                folders.append((Month.parse(entry.name), entry))
            except ValueError:
                continue
    return sorted(folders)


def return_files(folder: Path) -> list[Path]:
    """Everything in a month folder but lock and hidden files: files, folders, links..."""
    return sorted(p for p in folder.iterdir() if not is_skipped(p))


def check_root(root: Path) -> None:
    """Raise InputError unless `root` is a folder."""
    if not root.is_dir():
        raise InputError(f"{root}: no such folder of returns (expected {root}/<YYYY-MM>/*.xlsx)")


def latest_month(returns_dir: str | Path) -> Month:
    """The latest YYYY-MM folder of `returns_dir` holding at least one .xlsx return; if
    none holds one yet (a new working folder), the latest month folder: its compile
    shows every row waiting for its return, and whom to chase."""
    root = Path(returns_dir)
    check_root(root)
    folders = month_folders(root)
    for month, folder in reversed(folders):
        if any(p.suffix.lower() in RETURN_SUFFIXES for p in return_files(folder)):
            return month
    if folders:
        return folders[-1][0]
    raise InputError(
        f"{root}: no returns found: put each month's workbooks in a folder named for the "
        f"month, e.g. {root}/2008-07/territorial-policing.xlsx"
    )


def display_path(path: Path, root: Path) -> str:
    """The path as problems name it: relative to the returns folder's parent."""
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return str(path)


def stray_entries(root: Path) -> list[Problem]:
    """Workbooks and folders in the returns folder itself, not in a month folder."""
    problems = []
    for entry in sorted(root.iterdir()):
        if is_skipped(entry) or (entry.is_dir() and FOLDER_RE.match(entry.name)):
            continue
        if FOLDER_RE.match(entry.name):
            problems.append(
                make_problem(
                    "unknown-folder",
                    f"{entry.name} is a file, not a folder of returns: put the month's "
                    f"returns in a folder named {entry.name}; ignored",
                    file=display_path(entry, root),
                )
            )
        elif entry.suffix.lower() in RETURN_SUFFIXES or entry.is_dir():
            problems.append(
                make_problem(
                    "unknown-folder",
                    f"{entry.name} is not in a month folder: returns go in "
                    f"{root.name}/<YYYY-MM>/<owner>.xlsx; ignored",
                    file=display_path(entry, root),
                )
            )
    return problems


def scan_folder(root: Path, folder: Path, folder_month: Month) -> FolderScan:
    """A month folder's stray entries (as problems), and its returns: a file to read, or a
    return already refused because the file cannot be opened at all."""
    scan = FolderScan(folder_month, [], [])
    try:
        paths = return_files(folder)
    except OSError as exc:
        scan.problems.append(
            make_problem(
                "unreadable-file",
                f"cannot list the folder: {exc.strerror or exc}",
                file=display_path(folder, root),
            )
        )
        return scan
    for path in paths:
        suffix = path.suffix.lower()
        display = display_path(path, root)
        if suffix not in RETURN_SUFFIXES and suffix not in WORKBOOK_LIKE:
            what = "a folder" if path.is_dir() else "not a return workbook (.xlsx)"
            scan.problems.append(
                make_problem("unexpected-file", f"{path.name} is {what}: ignored", file=display)
            )
            continue
        why = unreadable(path)
        if why is not None:
            ret = ReturnRecord(path, display, folder_month, usable=False)
            ret.add("unreadable-file", why)
            scan.items.append(ret)
            continue
        scan.items.append(Job(path, display, folder_month))
    return scan
