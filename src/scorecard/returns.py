"""Read the departmental returns into monthly figures, keeping where each came from.

The returns folder
------------------
One folder per report month, named ``YYYY-MM``, holding one workbook per owner named
after the owner's key::

    returns/
      2008-06/
        territorial-policing.xlsx
        ...
      2008-07/
        territorial-policing.xlsx
        specialist-crime.xlsx
        ...

For a report month, every month folder up to and including it is read in order, so a
later return may revise an earlier month: the latest figure wins and the revision is
reported (info) with both values. A folder after the report month is ignored (warning).
Excel lock files (``~$...``) and hidden files are skipped.

Reading a return
----------------
The workbook is recognised by its hidden ``_meta`` sheet (owner, financial year,
template version, catalogue fingerprint). Figures are found on the ``Return`` sheet by
their row's Key and Measure and their column's ``YYYY-MM`` header, never by position, so
rows may be sorted, moved or inserted. Every fault is a `Problem` with a stable code
(see `PROBLEM_CODES`) naming file, sheet, cell, indicator key and month, and reading goes
on with the rest. A cell that cannot be used becomes ``Figure(value=None, problem=...)``
so that the engine shows the indicator as a data issue rather than as missing; so does
the report month of every indicator whose owner's return was refused as a whole.

Isolation
---------
Each workbook is read in a worker process (`scorecard.workers`) with a memory limit and
a time limit: a file that crashes the reader, exhausts its memory or hangs it becomes one
problem for that file (`reader-crashed`, `reader-timeout`) and the other returns are
read as usual. Two workers read at once when there are several returns.

Remembering
-----------
With a `scorecard.cache.ReturnCache`, a file whose bytes, path, month folder and
catalogue layout are those of a return read before is taken from the cache instead of
being read: the same `_Return`, problems and all, as reading it would give (every guard
above ran when it was first read). Only returns read to the end are kept.
"""

from __future__ import annotations

import math
import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from .cache import ReturnCache, file_sha256
from .catalogue import Catalogue, Indicator, Measure, measure_months
from .errors import InputError, Level, Problem
from .form import (
    COMMENTARY_HEADER,
    INSTRUCTIONS_SHEET,
    KEY_HEADER,
    META_MARKER,
    META_SHEET,
    RETURN_SHEET,
    SIGN_OFF_LABELS,
    TEMPLATE_VERSION,
    UNIT_RULES,
)
from .model import ChaseItem, Figure, Figures, ReturnFile, Source
from .periods import Month, describe_months, months_of
from .workers import DEFAULT_MEMORY, DEFAULT_TIMEOUT, Outcome, iter_isolated
from .xlsxread import (
    DEFAULT_LIMITS,
    Cell,
    ErrorValue,
    SheetData,
    XlsxBook,
    XlsxError,
    cell_ref,
    open_workbook,
    split_ref,
    unreadable,
)

# code -> (level, what it means). The codes are stable: tests and users rely on them.
PROBLEM_CODES: dict[str, tuple[Level, str]] = {
    # the file
    "not-a-workbook": (Level.ERROR, "the file is not an .xlsx workbook (CSV, HTML, PDF, .xlsb...)"),
    "encrypted": (Level.ERROR, "the workbook is password-protected, so it cannot be read"),
    "legacy-xls": (Level.ERROR, "the file is an Excel 97-2003 .xls workbook, not .xlsx"),
    "too-large": (Level.ERROR, "the file, a part of it or a sheet is beyond the reader's limits"),
    "corrupt-workbook": (Level.ERROR, "the workbook is damaged (bad XML, missing part)"),
    "unreadable-file": (
        Level.ERROR,
        "the file cannot be opened: no permission, a folder, a pipe, a broken or looping link",
    ),
    "reader-crashed": (
        Level.ERROR,
        "reading the file crashed the reader or ran out of memory: nothing from it is used",
    ),
    "reader-timeout": (
        Level.ERROR,
        "reading the file took longer than the time limit: nothing from it is used",
    ),
    "macros-ignored": (Level.INFO, "the workbook holds macros: never run, only values are read"),
    "unexpected-file": (Level.WARNING, "a file in a month folder that is not a return: ignored"),
    "unknown-folder": (Level.WARNING, "a folder or file in the returns folder not named YYYY-MM"),
    "future-folder": (Level.WARNING, "a month folder after the report month: ignored"),
    "duplicate-return": (Level.ERROR, "two returns for one owner in one month folder"),
    # whose return, for which year
    "no-metadata": (Level.WARNING, "the hidden _meta sheet is missing: owner taken from the name"),
    "unknown-owner": (Level.ERROR, "the return cannot be matched to an owner of the catalogue"),
    "wrong-owner": (Level.ERROR, "another owner's template or row: its figures are not used"),
    "wrong-year": (Level.ERROR, "a template for another financial year: its figures are not used"),
    "stale-template": (Level.WARNING, "made from another catalogue version: still read"),
    "file-name": (Level.INFO, "the file name is not <owner>.xlsx; the owner is taken from _meta"),
    # the sheet's layout
    "sheet-missing": (Level.ERROR, "no Return sheet and no sheet with a Key header"),
    "sheet-renamed": (Level.WARNING, "the Return sheet was renamed; found by its Key header"),
    "header-missing": (Level.ERROR, "the Key or Measure header, or every month header, is missing"),
    "duplicate-column": (Level.ERROR, "a month heads two columns: the second is ignored"),
    "unknown-key": (Level.ERROR, "a row's key is not an indicator of the catalogue"),
    "unknown-measure": (Level.ERROR, "a row's measure is not a measure of its indicator"),
    "duplicate-row": (Level.ERROR, "a (key, measure) row appears twice: the second is ignored"),
    "merged-cells": (
        Level.ERROR,
        "cells merged over the figures: only the first cell of each merge keeps a value",
    ),
    "row-without-key": (Level.WARNING, "figures in a row with no key: ignored"),
    "row-missing": (Level.ERROR, "a row the report needs is missing from the return"),
    "future-month": (Level.WARNING, "figures for months after the return's month: ignored"),
    "not-signed-off": (Level.WARNING, "the sign-off name or date on Instructions is blank"),
    # the cells
    "not-a-number": (Level.ERROR, "text (or TRUE/FALSE) where a number is needed"),
    "excel-error": (Level.ERROR, "the cell holds an Excel error such as #DIV/0! or #REF!"),
    "formula-no-value": (Level.ERROR, "a formula with no saved result (file never recalculated)"),
    "negative-count": (Level.ERROR, "a count below zero"),
    "negative-value": (Level.ERROR, "a negative percentage, amount, rate or score"),
    "not-a-whole-number": (Level.ERROR, "a count with a fraction"),
    "percent-over-100": (Level.ERROR, "a percentage over 100"),
    "number-too-large": (Level.ERROR, "a number of 1e15 or more, which no monthly figure is"),
    "blank-required": (Level.ERROR, "a month the report needs was left blank"),
    "number-as-text": (Level.INFO, "a number typed as text ('12,345', '65.8%'): read as number"),
    "percent-as-fraction": (Level.INFO, "a percentage typed with % (0.658 shown as 65.8%)"),
    "na-without-reason": (Level.INFO, "n/a given without a reason"),
    "revised": (Level.INFO, "a later return changed an earlier month's figure"),
}

RETURN_SUFFIXES = (".xlsx", ".xlsm")
# Files a lead might send instead of an .xlsx: read so the problem names what they are.
WORKBOOK_LIKE = (".xls", ".xlsb", ".csv", ".ods", ".xml", ".htm", ".html")
_FOLDER_RE = re.compile(r"^\d{4}-\d{2}$")
_NA_RE = re.compile(r"^\s*n\s*/\s*a(?![a-z0-9])[\s:;,.\-\u2013\u2014(]*(.*?)[\s)]*$", re.I | re.S)
_PLAIN_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$")
_GROUPED_NUMBER_RE = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_MONTH_NAMES = {
    name: i + 1
    for i, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_MONTH_TEXT_RE = re.compile(r"^([A-Za-z]{3})[a-z]*[\s\-/]+(\d{2}|\d{4})$")
MAX_HEADER_SCAN = 30
# Excel keeps 15 significant digits: a figure this large is a typing or formula accident.
MAX_FIGURE = 1e15
# Reading in worker processes: how many at once, and each one's limits. Read when a run
# starts, so a test may change them.
READ_WORKERS = 2
READ_TIMEOUT = DEFAULT_TIMEOUT
READ_MEMORY = DEFAULT_MEMORY


@dataclass
class ReturnsRead:
    """What the returns for a report month hold: figures with provenance, and problems.

    Every non-blank month cell of a readable return is either used (`figures_used`) or
    rejected with a problem saying why (`figures_rejected`).
    """

    month: Month
    figures: Figures = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    chase: list[ChaseItem] = field(default_factory=list)
    files: list[ReturnFile] = field(default_factory=list)
    figures_used: int = 0
    figures_rejected: int = 0
    commentary: dict[tuple[str, str], tuple[str, Source]] = field(default_factory=dict)
    sign_offs: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(p.level == Level.ERROR for p in self.problems)


# --- the folder -------------------------------------------------------------------------


def _skipped(path: Path) -> bool:
    return path.name.startswith(("~$", ".")) or path.name in ("Thumbs.db", "desktop.ini")


def _month_folders(root: Path) -> list[tuple[Month, Path]]:
    folders = []
    for entry in root.iterdir():
        if entry.is_dir() and not _skipped(entry) and _FOLDER_RE.match(entry.name):
            try:
                folders.append((Month.parse(entry.name), entry))
            except ValueError:
                continue
    return sorted(folders)


def _return_files(folder: Path) -> list[Path]:
    """Everything in a month folder but lock and hidden files: files, folders, links..."""
    return sorted(p for p in folder.iterdir() if not _skipped(p))


def latest_month(returns_dir: str | Path) -> Month:
    """The latest YYYY-MM folder of `returns_dir` holding at least one .xlsx return."""
    root = Path(returns_dir)
    if not root.is_dir():
        raise InputError(f"{root}: no such folder of returns (expected {root}/<YYYY-MM>/*.xlsx)")
    for month, folder in reversed(_month_folders(root)):
        if any(p.suffix.lower() in RETURN_SUFFIXES for p in _return_files(folder)):
            return month
    raise InputError(
        f"{root}: no returns found: put each month's workbooks in a folder named for the "
        f"month, e.g. {root}/2008-07/territorial-policing.xlsx"
    )


def _display(path: Path, root: Path) -> str:
    """The path as problems name it: relative to the returns folder's parent."""
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return str(path)


# --- one return -------------------------------------------------------------------------

# A figure as the reader keeps it until the returns are merged: (value, cell, reason it is
# not available, problem, origin), origin being the return's (display path, sheet), one
# tuple shared by all its figures. Plain tuples, because a worker sends ~300 a return back
# to the parent, and each later return replaces most of the one before: `Figure`s are made
# only for the figures that survive the merge.
Entry = tuple[Any, str, str | None, str | None, tuple[str, str]]


@dataclass
class _Return:
    """What one workbook held, before returns are merged."""

    path: Path
    display: str
    folder: Month
    sha256: str = ""
    owner: str | None = None
    sheet: str = RETURN_SHEET
    usable: bool = True  # False: wrong owner or year; figures counted as rejected
    # (key, measure) -> month index (Month.index) -> entry: plain numbers as keys,
    # hashed in C, since a large compile looks them up a million times
    figures: dict[tuple[str, str], dict[int, Entry]] = field(default_factory=dict)
    rows: dict[tuple[str, str], int] = field(default_factory=dict)
    month_cols: dict[Month, int] = field(default_factory=dict)
    used: int = 0
    rejected: int = 0
    commentary: dict[tuple[str, str], tuple[str, Source]] = field(default_factory=dict)
    sign_off: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        code: str,
        message: str,
        *,
        cell: str | None = None,
        key: str | None = None,
        month: Month | None = None,
        sheet: str | None = None,
        level: Level | None = None,
    ) -> None:
        self.problems.append(
            Problem(
                code,
                message,
                level=level or PROBLEM_CODES[code][0],
                file=self.display,
                sheet=sheet if sheet is not None else (self.sheet if cell else None),
                cell=cell,
                key=key,
                month=month.label if month else None,
            )
        )

    def to_plain(self) -> dict[str, Any]:
        """What the return held, as JSON-able data (for `scorecard.cache`)."""
        return {
            "display": self.display,
            "folder": str(self.folder),
            "sha256": self.sha256,
            "owner": self.owner,
            "sheet": self.sheet,
            "usable": self.usable,
            # Column by column (months as numbers, values, cells, reasons, problems), so
            # that loading builds each series at C speed.
            "figures": [
                [
                    key,
                    measure,
                    list(series),
                    *([e[i] for e in series.values()] for i in range(4)),
                ]
                for (key, measure), series in self.figures.items()
            ],
            "rows": [[key, measure, row] for (key, measure), row in self.rows.items()],
            "month_cols": [[str(m), col] for m, col in self.month_cols.items()],
            "used": self.used,
            "rejected": self.rejected,
            "commentary": _plain_commentary(self.commentary),
            "sign_off": self.sign_off,
            "problems": [_plain_problem(p) for p in self.problems],
        }

    @classmethod
    def from_plain(cls, path: Path, data: dict[str, Any]) -> _Return:
        """The return `to_plain` gave; raises (KeyError, TypeError, ValueError) if damaged."""
        month = Month.parse  # each month's one object
        ret = cls(path, data["display"], month(data["folder"]))
        ret.sha256, ret.owner, ret.sheet = data["sha256"], data["owner"], data["sheet"]
        ret.usable, ret.used, ret.rejected = data["usable"], data["used"], data["rejected"]
        origin = (ret.display, ret.sheet)
        for key, measure, indexes, values, cells, nas, problems in data["figures"]:
            _check_columns(key, measure, indexes, values, cells, nas, problems)
            ret.figures[(key, measure)] = dict(
                zip(indexes, zip(values, cells, nas, problems, repeat(origin)), strict=True)
            )
        ret.rows = {(key, measure): row for key, measure, row in data["rows"]}
        ret.month_cols = {month(m): col for m, col in data["month_cols"]}
        ret.commentary = _commentary(data["commentary"])
        ret.sign_off = dict(data["sign_off"])
        ret.problems = [_problem(item) for item in data["problems"]]
        return ret

    def as_file(self) -> ReturnFile:
        return ReturnFile(
            path=self.display,
            owner=self.owner or "",
            month=self.folder,
            sha256=self.sha256,
            figures_read=self.used,
            figures_rejected=self.rejected,
        )


def read_return(catalogue: Catalogue, path: Path, display: str, folder: Month) -> _Return:
    """Read one workbook: never raises for anything in the file."""
    ret = _Return(path, display, folder)
    try:
        book = open_workbook(path)
    except XlsxError as exc:
        ret.usable = False
        ret.add(exc.code, exc.message)
        return ret
    except MemoryError:
        _out_of_memory(ret)
        return ret
    except Exception as exc:  # one odd file must not stop the run
        _unforeseen(ret, exc)
        return ret
    with book:
        try:
            ret.sha256 = file_sha256(path)
            _read_book(catalogue, book, ret)
        except XlsxError as exc:
            _refuse(ret)
            ret.add(exc.code, exc.message)
        except MemoryError:
            _refuse(ret)
            _out_of_memory(ret)
        except Exception as exc:  # one odd file must not stop the run
            _refuse(ret)
            _unforeseen(ret, exc)
    return ret


def _refuse(ret: _Return) -> None:
    """Nothing from this return is used: what was read so far counts as rejected."""
    ret.usable = False
    ret.rejected += ret.used
    ret.used = 0
    ret.figures.clear()


def _unforeseen(ret: _Return, exc: Exception) -> None:
    ret.usable = False
    ret.add(
        "corrupt-workbook",
        f"the workbook could not be read ({type(exc).__name__}: {_clip(str(exc), 80)}); "
        "open it in Excel, save it again, and send it; if that does not help, "
        "report this message",
    )


def _out_of_memory(ret: _Return) -> None:
    ret.usable = False
    ret.figures.clear()
    ret.add(
        "reader-crashed",
        "reading the workbook ran out of memory, so nothing from it is used: open it in "
        "Excel, delete what is not part of the return, save it and send it again",
    )


def _read_job(
    shared: tuple[Catalogue, ReturnCache | None], path: Path, display: str, folder: Month
) -> _Return:
    """What a worker process runs for one file: read it, and remember it if it was read."""
    catalogue, cache = shared
    ret = read_return(catalogue, path, display, folder)
    if cache is not None and ret.sha256:
        cache.store(cache.key(ret.sha256, display, folder), ret.to_plain())
    return ret


def _failed(path: Path, display: str, folder: Month, outcome: Outcome, timeout: float) -> _Return:
    """The return a worker could not deliver: one problem for the whole file."""
    ret = _Return(path, display, folder, usable=False)
    if outcome.failure == "timeout":
        ret.add(
            "reader-timeout",
            f"reading the workbook took more than {timeout:g} seconds, so it was stopped and "
            "nothing from it is used: open it in Excel, delete what is not part of the "
            "return, save it and send it again",
        )
    elif outcome.detail == "ran out of memory":
        _out_of_memory(ret)
    else:
        ret.add(
            "reader-crashed",
            f"reading the workbook crashed the reader ({_clip(outcome.detail, 80)}), so "
            "nothing from it is used: open it in Excel, save it again and send it; if that "
            "does not help, report this message",
        )
    return ret


def read_files(
    catalogue: Catalogue,
    files: list[tuple[Path, str, Month]],
    *,
    workers: int | None = None,
    timeout: float | None = None,
    memory: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: ReturnCache | None = None,
) -> Iterator[_Return]:
    """Read each (path, display, folder month), in worker processes unless `workers` is 0.

    Yields the returns in order as they are read, so the caller can merge each and let
    it go; `progress(done, total)` is told as files are read. Each return read to the
    end is stored in `cache`, if given.
    """
    workers = READ_WORKERS if workers is None else workers
    timeout = READ_TIMEOUT if timeout is None else timeout
    memory = READ_MEMORY if memory is None else memory
    if workers <= 0:
        for count, job in enumerate(files, 1):
            yield _read_job((catalogue, cache), *job)
            if progress is not None:
                progress(count, len(files))
        return
    outcomes = iter_isolated(
        _read_job,
        (catalogue, cache),
        files,
        workers=min(workers, os.cpu_count() or 1),
        timeout=timeout,
        memory=memory,
        progress=progress,
    )
    for job, outcome in zip(files, outcomes, strict=True):
        yield outcome.value if outcome.ok else _failed(*job, outcome, timeout)


def _read_book(catalogue: Catalogue, book: XlsxBook, ret: _Return) -> None:
    if book.has_macros:
        ret.add(
            "macros-ignored",
            "the workbook holds macros: they are never run; only the values saved in its "
            "cells are read",
        )
    meta = _read_meta(book)
    owners = {o.key for o in catalogue.owners}
    stem = ret.path.stem
    year = catalogue.financial_year(ret.folder)
    if meta is None:
        ret.add(
            "no-metadata",
            "the hidden _meta sheet is missing (the figures were copied into another "
            f"workbook?): taken as {stem}'s return from the file name; use the template",
        )
        ret.owner = stem if stem in owners else None
    else:
        ret.owner = meta.get("owner") or None
        if ret.owner not in owners:
            ret.add(
                "unknown-owner",
                f"the template is for owner '{ret.owner}', who is not in the catalogue "
                f"(owners: {', '.join(sorted(owners))}); its figures are not used",
            )
            ret.usable = False
        elif stem in owners and stem != ret.owner:
            ret.add(
                "wrong-owner",
                f"the file is named {ret.path.name} but is {ret.owner}'s template; its "
                f"figures are not used: send {stem}'s own return, or rename the file "
                f"{ret.owner}{ret.path.suffix}",
            )
            ret.usable = False
        elif stem != ret.owner:
            ret.add(
                "file-name",
                f"the file name does not follow <owner>.xlsx; read as {ret.owner}'s return "
                f"from its template (name it {ret.owner}{ret.path.suffix})",
            )
        if meta.get("financial_year") != str(year):
            ret.add(
                "wrong-year",
                f"this is the {meta.get('financial_year') or 'unknown'} template but "
                f"{ret.folder.label} belongs to {year}: fill in the {year} template; "
                "its figures are not used",
            )
            ret.usable = False
        fingerprint = meta.get("catalogue_fingerprint")
        expected = catalogue.return_fingerprint(ret.owner) if ret.owner else ""
        if ret.usable and fingerprint and fingerprint != expected:
            version = meta.get("template_version") or "?"
            made = (
                f"template version {version}, now {TEMPLATE_VERSION}; "
                if version != TEMPLATE_VERSION
                else ""
            )
            ret.add(
                "stale-template",
                "the template was made from another version of the catalogue "
                f"({made}layout {fingerprint[:8]}, now {expected[:8]}): "
                "figures are still read by key; use a new template for next month's return",
            )
    if ret.owner is None and meta is None:
        ret.add(
            "unknown-owner",
            f"cannot tell whose return this is: no _meta sheet, and '{stem}' is not an "
            f"owner key ({', '.join(sorted(owners))}); name the file <owner>.xlsx",
        )
        ret.usable = False
    sheet = _find_return_sheet(book, ret)
    if sheet is None:
        return
    _read_return_sheet(catalogue, book, sheet, ret)
    if ret.usable:
        _read_sign_off(book, ret)


def _read_meta(book: XlsxBook) -> dict[str, str] | None:
    if book.sheet(META_SHEET) is None:
        return None
    data = book.read_sheet(META_SHEET)
    values: dict[str, str] = {}
    for cells in data.rows().values():
        name, value = cells.get(1), cells.get(2)
        if name is not None and isinstance(name.value, str):
            values[name.value.strip()] = _text(value.value if value else None)
    if values.get("kind") != META_MARKER:
        return None
    return values


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _find_return_sheet(book: XlsxBook, ret: _Return) -> SheetData | None:
    if book.sheet(RETURN_SHEET) is not None:
        ret.sheet = RETURN_SHEET
        return _load(book, RETURN_SHEET, ret)
    for info in book.sheets:
        if info.name in (META_SHEET, INSTRUCTIONS_SHEET):
            continue
        data = book.read_sheet(info.name)
        if _header_row(data) is not None:
            ret.sheet = info.name
            ret.add(
                "sheet-renamed",
                f"no sheet named '{RETURN_SHEET}': read the figures from sheet '{info.name}', "
                f"which has the Key header; please keep the sheet name '{RETURN_SHEET}'",
                sheet=info.name,
            )
            _check_whole(data, ret)
            return data
    ret.add(
        "sheet-missing",
        f"no '{RETURN_SHEET}' sheet, and no sheet with a '{KEY_HEADER}' header "
        f"(sheets: {', '.join(book.sheet_names) or 'none'}): use the template",
    )
    ret.usable = False
    return None


def _load(book: XlsxBook, name: str, ret: _Return) -> SheetData:
    data = book.read_sheet(name)
    _check_whole(data, ret)
    return data


def _check_whole(data: SheetData, ret: _Return) -> None:
    """A return sheet cut short at the reader's limits is not used at all."""
    if data.stopped is not None:
        ret.usable = False
        ret.add(
            data.stopped.code,
            f"{data.stopped.message}: none of its figures are used; send the return with "
            "only the template's rows and columns",
            sheet=data.name,
        )


def _header_row(data: SheetData) -> int | None:
    for row, cells in data.rows().items():
        if row > MAX_HEADER_SCAN:
            return None
        for cell in cells.values():
            if isinstance(cell.value, str) and cell.value.strip().casefold() == "key":
                return row
    return None


def _month_of_header(cell: Cell, book: XlsxBook) -> Month | None:
    value = cell.value
    if isinstance(value, str):
        text = value.strip()
        try:
            return Month.parse(text)
        except ValueError:
            pass
        match = _MONTH_TEXT_RE.match(text)
        if match and match.group(1).lower() in _MONTH_NAMES:
            year = int(match.group(2))
            year = year + 2000 if year < 100 else year
            return Month(year, _MONTH_NAMES[match.group(1).lower()])
        return None
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and book.is_date_format(cell.style)
        and 0 < value < 2958466
    ):
        day = _serial_date(value, book.date1904)
        return Month(day.year, day.month)
    return None


def _serial_date(serial: float, date1904: bool) -> date:
    base = date(1904, 1, 1) if date1904 else date(1899, 12, 30)
    return base + timedelta(days=int(serial))


def _read_return_sheet(catalogue: Catalogue, book: XlsxBook, data: SheetData, ret: _Return) -> None:
    header = _header_row(data)
    sheet = data.name
    if header is None:
        if data.stopped is None:  # else the sheet's size is the problem, already named
            ret.add(
                "header-missing",
                f"no '{KEY_HEADER}' header in the first {MAX_HEADER_SCAN} rows",
                sheet=sheet,
            )
        ret.usable = False
        return
    rows = data.rows()
    key_col = measure_col = comment_col = None
    for col, cell in sorted(rows[header].items()):
        label = cell.value.strip().casefold() if isinstance(cell.value, str) else ""
        if label == "key" and key_col is None:
            key_col = col
        elif label == "measure" and measure_col is None:
            measure_col = col
        elif label == COMMENTARY_HEADER.casefold() and comment_col is None:
            comment_col = col
        else:
            month = _month_of_header(cell, book)
            if month is None:
                continue
            if month in ret.month_cols:
                ret.add(
                    "duplicate-column",
                    f"{month.label} heads two columns; the one at {cell.ref} is ignored",
                    cell=cell.ref,
                    month=month,
                )
                continue
            ret.month_cols[month] = col
    if key_col is None or measure_col is None or not ret.month_cols:
        missing = [
            name
            for name, found in (("Measure", measure_col), ("month", ret.month_cols or None))
            if found is None
        ]
        ret.add(
            "header-missing",
            f"the header row {header} has no {' or '.join(missing)} heading: restore the "
            "template's headings",
            cell=f"A{header}",
        )
        ret.usable = False
        return
    indicators = catalogue.indicator_map
    seen: dict[tuple[str, str], str] = {}
    hidden = _merged_over_figures(data, header, rows, key_col, ret)
    sheet_context = _SheetContext(
        book,
        (ret.display, ret.sheet),
        sorted(ret.month_cols.items()),
        (key_col, measure_col, comment_col),
        hidden,
    )
    for row_no, cells in rows.items():
        if row_no <= header:
            continue
        _read_row(ret, indicators, seen, cells, row_no, sheet_context)


@dataclass
class _SheetContext:
    """What every row of a return sheet is read with."""

    book: XlsxBook
    origin: tuple[str, str]  # (display path, sheet name), shared by the sheet's entries
    month_cols: list[tuple[Month, int]]  # in month order
    columns: tuple[int, int, int | None]  # key, measure, commentary
    hidden: dict[tuple[int, int], str]  # month cells under a merge -> problem


_PERCENT_UNITS = ("percent", "percent_points")
_ENTRY_VALUE_TYPES = frozenset((int, float, str, type(None)))
_ENTRY_TEXT_TYPES = frozenset((str, type(None)))
_INT_TYPE = frozenset((int,))
_STR_TYPE = frozenset((str,))


def _merged_over_figures(
    data: SheetData, header: int, rows: dict[int, dict[int, Cell]], key_col: int, ret: _Return
) -> dict[tuple[int, int], str]:
    """Month cells hidden under a merge (all but its first cell): (row, col) -> problem.

    Merging keeps only the first cell's value, so the months under the rest of a merge
    cannot be read; each merge over figures is one problem.
    """
    hidden: dict[tuple[int, int], str] = {}
    month_cols = sorted(set(ret.month_cols.values()))
    data_rows = sorted(r for r in rows if r > header)
    for ref in data.merged:
        first, _, last = ref.partition(":")
        try:
            (r1, c1), (r2, c2) = split_ref(first), split_ref(last or first)
        except ValueError:
            continue
        # Only the data rows and month columns inside the range: a merge may be huge.
        in_rows = data_rows[bisect_left(data_rows, r1) : bisect_right(data_rows, r2)]
        in_cols = month_cols[bisect_left(month_cols, c1) : bisect_right(month_cols, c2)]
        covered = [(r, c) for r in in_rows for c in in_cols if (r, c) != (r1, c1)]
        if not covered:
            continue
        message = (
            f"cells {ref} are merged over monthly figures: only {first}'s value is kept, so "
            f"{len(covered)} figure(s) under the merge cannot be read; unmerge the cells "
            "and type each month's figure"
        )
        keys = {_text(rows[r][key_col].value) for r, _ in covered if key_col in rows[r]}
        first_month = next(m for m, c in ret.month_cols.items() if c == covered[0][1])
        ret.add(
            "merged-cells",
            message,
            cell=ref,
            key=keys.pop() if len(keys) == 1 else None,
            month=first_month,
        )
        for place in covered:
            hidden[place] = message
    return hidden


def _read_row(
    ret: _Return,
    indicators: dict[str, Indicator],
    seen: dict[tuple[str, str], str],
    cells: dict[int, Cell],
    row_no: int,
    context: _SheetContext,
) -> None:
    key_col, measure_col, comment_col = context.columns
    key_cell = cells.get(key_col)
    key = _text(key_cell.value) if key_cell else ""
    measure_name = _text(cells[measure_col].value) if measure_col in cells else ""
    filled = []
    for month, col in context.month_cols:
        cell = cells.get(col)
        if cell is None:
            continue
        value = cell.value
        # not blank (as _is_blank says, inline: this runs for every month cell)
        if cell.formula is not None or (
            value is not None and (value.__class__ is not str or value.strip())
        ):
            filled.append((month, cell))
    key_ref = key_cell.ref if key_cell else f"A{row_no}"
    if not ret.usable:
        ret.rejected += len(filled)  # the file-level problem says why
        return

    def reject_row(code: str, message: str) -> None:
        ret.rejected += len(filled)
        ret.add(code, message, cell=key_ref, key=key or None)

    if not key:
        if filled:
            reject_row(
                "row-without-key",
                f"row {row_no} has {len(filled)} figure(s) but no key, so they cannot be "
                "matched to an indicator: ignored",
            )
        return
    indicator = indicators.get(key)
    if indicator is None:
        if filled or measure_name:
            reject_row(
                "unknown-key",
                f"'{key}' is not an indicator key of the catalogue: its {len(filled)} "
                "figure(s) are ignored; check the key against the template",
            )
        return
    measure = next((m for m in indicator.measures if m.name == measure_name), None)
    if measure is None:
        known = ", ".join(m.name for m in indicator.measures) or "none"
        reject_row(
            "unknown-measure",
            f"'{measure_name}' is not a measure of {key} (measures: {known}): its "
            f"{len(filled)} figure(s) are ignored",
        )
        return
    if ret.owner is not None and indicator.owner != ret.owner:
        reject_row(
            "wrong-owner",
            f"{key} is returned by {indicator.owner}, not {ret.owner}: its {len(filled)} "
            f"figure(s) here are ignored; {indicator.owner} should send them",
        )
        return
    pair = (key, measure.name)
    if pair in seen:
        reject_row(
            "duplicate-row",
            f"{key} {measure.name} appears twice (first at {seen[pair]}): this row's "
            f"{len(filled)} figure(s) are ignored",
        )
        return
    seen[pair] = key_ref
    ret.rows[pair] = row_no
    origin = context.origin
    if comment_col is not None and comment_col in cells:
        comment = _text(cells[comment_col].value)
        if comment:
            ret.commentary[pair] = (comment, Source(*origin, cells[comment_col].ref))
    series = ret.figures.setdefault(pair, {})
    future: list[tuple[Month, Cell]] = []
    hidden = context.hidden
    folder = ret.folder
    if hidden:
        for month, col in context.month_cols:
            problem = hidden.get((row_no, col))
            if problem is not None and month <= folder:
                series[month.index] = (None, cell_ref(row_no, col), None, problem, origin)
    book = context.book
    unit = measure.unit
    # The plain case, a number in range in a cell formatted as a number, is most of a
    # return: it is taken here; anything else is `_interpret`'s to judge and word.
    plain = unit != "text"
    percent = unit in _PERCENT_UNITS
    whole = unit == "count"
    at_least_zero = unit in ("count", "percent", "money", "rate", "score")
    at_most = 100 if unit == "percent" else MAX_FIGURE
    used = 0
    for month, cell in filled:
        if month > folder:
            future.append((month, cell))
            continue
        if hidden and (cell.row, cell.col) in hidden:
            ret.rejected += 1  # a value stored under a merge: Excel would not show it
            continue
        value = cell.value
        kind = value.__class__
        if plain and (kind is int or kind is float) and cell.formula is None:
            is_percent, is_date = book._kinds(cell.style)
            if (
                not is_date
                and not (percent and is_percent)
                and -MAX_FIGURE < value < at_most
                and (value >= 0 or not at_least_zero)
                and (not whole or kind is int or value.is_integer())
            ):
                series[month.index] = (value, cell.ref, None, None, origin)
                used += 1
                continue
        entry = _interpret(cell, measure, book, ret, key, month, origin)
        if entry is None:
            continue
        series[month.index] = entry
        if entry[3]:
            ret.rejected += 1
        else:
            used += 1
    ret.used += used
    if future:
        ret.rejected += len(future)
        first_month, first_cell = future[0]
        ret.add(
            "future-month",
            f"{measure.name}: {len(future)} figure(s) for months after {ret.folder.label} "
            f"(from {first_month.label}) are ignored: send them in that month's return",
            cell=first_cell.ref,
            key=key,
            month=first_month,
        )


def _is_blank(cell: Cell) -> bool:
    if cell.formula is not None:
        return False
    value = cell.value
    return value is None or (isinstance(value, str) and not value.strip())


# --- one cell ---------------------------------------------------------------------------


def _interpret(
    cell: Cell,
    measure: Measure,
    book: XlsxBook,
    ret: _Return,
    key: str,
    month: Month,
    origin: tuple[str, str],
) -> Entry | None:
    """The figure a cell holds, or a rejected figure with the problem noted."""
    ref = cell.ref
    name = measure.name

    def reject(code: str, message: str) -> Entry:
        ret.add(code, message, cell=ref, key=key, month=month)
        return (None, ref, None, message, origin)

    def note(code: str, message: str) -> None:
        ret.add(code, message, cell=cell.ref, key=key, month=month)

    value = cell.value
    if cell.no_cached_value:
        return reject(
            "formula-no-value",
            f"{name}: the formula ={cell.formula} has no saved result: open the file in "
            "Excel so it calculates, save it, and send it again (or type the figure)",
        )
    if isinstance(value, ErrorValue):
        return reject(
            "excel-error",
            f"{name}: the cell shows the Excel error {value.text}: correct the formula or "
            "type the figure",
        )
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        na = _NA_RE.match(text)
        if na:
            reason = na.group(1).strip()
            if not reason:
                note(
                    "na-without-reason",
                    f"{name}: n/a given without a reason: add one, e.g. 'n/a - survey not run'",
                )
            return (None, ref, reason or "n/a (no reason given)", None, origin)
        if measure.unit == "text":
            return (text, ref, None, None, origin)
        number = _number_from_text(text, measure.unit)
        if number is None:
            return reject(
                "not-a-number",
                f"{name}: '{_clip(text)}' is not a number: type {_words(measure)}, or n/a "
                "and a reason",
            )
        note(
            "number-as-text", f"{name}: '{_clip(text)}' was typed as text: read as {_show(number)}"
        )
        value = number
    elif isinstance(value, bool):
        if measure.unit == "text":
            return (str(value).upper(), ref, None, None, origin)
        return reject(
            "not-a-number",
            f"{name}: {str(value).upper()} is not a number: type {_words(measure)}",
        )
    elif isinstance(value, int | float):
        if measure.unit == "text":
            return (_show(value), ref, None, None, origin)
        if book.is_date_format(cell.style) and math.isfinite(value) and 0 <= value < 2958466:
            day = _serial_date(value, book.date1904)
            return reject(
                "not-a-number",
                f"{name}: {day.isoformat()} is a date, not a number: type {_words(measure)}",
            )
        if measure.unit in ("percent", "percent_points") and book.is_percent_format(cell.style):
            shown = round(value * 100, 9)
            shown = int(shown) if float(shown).is_integer() else shown
            note(
                "percent-as-fraction",
                f"{name}: {_show(value)} is formatted as a percentage, so it is read as "
                f"{_show(shown)} (type 65.8, not 65.8%)",
            )
            value = shown
    else:  # a date kept as text, or anything unforeseen
        return reject("not-a-number", f"{name}: '{_clip(str(value))}' is not a number")
    return _check_range(value, measure, reject) or (value, ref, None, None, origin)


def _check_range(value: float, measure: Measure, reject: Any) -> Entry | None:
    name, unit = measure.name, measure.unit
    if not math.isfinite(value):
        return reject("not-a-number", f"{name}: {value} is not a number")
    if abs(value) >= MAX_FIGURE:
        return reject(
            "number-too-large",
            f"{name}: {_show(value)} is too large to be a monthly figure (Excel keeps 15 "
            f"digits): check the cell and type {_words(measure)}",
        )
    if unit == "count":
        if value < 0:
            return reject(
                "negative-count", f"{name}: {_show(value)} is negative: a count is 0 or more"
            )
        if value != int(value):
            return reject(
                "not-a-whole-number",
                f"{name}: {_show(value)} is not a whole number: a count is a whole number",
            )
    elif unit in ("percent", "money", "rate", "score") and value < 0:
        return reject(
            "negative-value", f"{name}: {_show(value)} is negative: type {_words(measure)}"
        )
    if unit == "percent" and value > 100:
        return reject(
            "percent-over-100",
            f"{name}: {_show(value)} is over 100: type the percentage from 0 to 100 "
            "(65.8 for 65.8%)",
        )
    return None


def _number_from_text(text: str, unit: str) -> int | float | None:
    """A number typed as text, when it can only mean one thing; else None."""
    t = text.replace("\u00a0", " ").strip()
    if unit in ("percent", "percent_points") and t.endswith("%"):
        t = t[:-1].rstrip()
    if unit == "money" and t.startswith("£"):
        t = t[1:].lstrip()
    if _GROUPED_NUMBER_RE.match(t):
        t = t.replace(",", "")
    elif not _PLAIN_NUMBER_RE.match(t):
        return None
    number = float(t)
    if number.is_integer() and "." not in t:
        return int(number)
    return number


def _words(measure: Measure) -> str:
    return UNIT_RULES[measure.unit].request


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.10g}" if abs(value) < 1e15 else repr(value)
    return str(value)


def _clip(text: str, length: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _describe(entry: Entry) -> str:
    value, _cell, not_available, problem, _origin = entry
    if problem:
        return "a rejected entry"
    if not_available is not None:
        return f"n/a ({not_available})"
    if isinstance(value, str):
        return f"'{_clip(value)}'"
    return _show(value)


def _where(entry: Entry) -> str:
    """Where an entry came from, as `Source` prints it."""
    display, sheet = entry[4]
    return f"{display}: {sheet}!{entry[1]}"


def _figure(entry: Entry) -> Figure:
    value, cell, not_available, problem, (display, sheet) = entry
    return Figure(value, Source(display, sheet, cell), not_available, problem)


# --- sign-off ---------------------------------------------------------------------------


def _read_sign_off(book: XlsxBook, ret: _Return) -> None:
    if book.sheet(INSTRUCTIONS_SHEET) is None:
        return
    data = book.read_sheet(INSTRUCTIONS_SHEET)
    labels = {label.casefold(): label for label in SIGN_OFF_LABELS}
    found: dict[str, str] = {}
    for (row, col), cell in data.cells.items():
        if isinstance(cell.value, str) and cell.value.strip().casefold() in labels:
            label = labels[cell.value.strip().casefold()]
            answer = data.get(row, col + 1)
            if answer is None:
                found.setdefault(label, "")
                continue
            value = answer.value
            if (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and book.is_date_format(answer.style)
            ):
                found[label] = _serial_date(value, book.date1904).isoformat()
            else:
                found[label] = _text(value)
    ret.sign_off = found


def _check_sign_off(ret: _Return) -> None:
    """A report-month return should be signed off by name and date."""
    if not ret.sign_off:
        return  # no Instructions sheet with a sign-off block: nothing to check
    blank = [label for label in ("Name", "Date") if not ret.sign_off.get(label)]
    if blank:
        ret.add(
            "not-signed-off",
            f"the sign-off {' and '.join(label.lower() for label in blank)} on the "
            f"{INSTRUCTIONS_SHEET} sheet {'is' if len(blank) == 1 else 'are'} blank: the "
            "person accountable for the figures should sign them off",
            sheet=INSTRUCTIONS_SHEET,
        )


# --- merging the returns ---------------------------------------------------------------


def read_returns(
    catalogue: Catalogue,
    returns_dir: str | Path,
    month: Month,
    *,
    workers: int | None = None,
    timeout: float | None = None,
    memory: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: ReturnCache | None = None,
) -> ReturnsRead:
    """Read every return up to `month`, merge them (latest wins), and list what is missing.

    Workbooks are read in `workers` worker processes (default `READ_WORKERS`; 0 reads
    them in this process), each stopped after `timeout` seconds and limited to `memory`
    bytes more than it starts with (defaults `READ_TIMEOUT`, `READ_MEMORY`). With a
    `cache`, a return read before (same bytes, path, folder and catalogue layout) is
    taken from it instead of being read again, and each return read is stored in it.
    """
    root = Path(returns_dir)
    if not root.is_dir():
        raise InputError(f"{root}: no such folder of returns (expected {root}/<YYYY-MM>/*.xlsx)")
    result = ReturnsRead(month=month)
    _note_strays(root, result)
    # First look at every folder, then read every workbook at once (in workers), then
    # merge folder by folder, oldest first, so the order of problems never changes.
    folders: list[tuple[Month, list[Problem], list[_Return | tuple[Path, str, Month]]]] = []
    for folder_month, folder in _month_folders(root):
        if folder_month > month:
            result.problems.append(
                Problem(
                    "future-folder",
                    f"folder {folder.name} is after the report month {month.label}: ignored",
                    level=PROBLEM_CODES["future-folder"][0],
                    file=_display(folder, root),
                )
            )
            continue
        folders.append((folder_month, *_scan_folder(root, folder, folder_month)))
    latest: dict[str, _Return] = {}  # owner -> their latest used return
    refused: dict[str, _Return] = {}  # owner -> their latest return that could not be used
    merged: dict[tuple[str, str], dict[int, Entry]] = {}
    prefix: str | None = None  # the key of what the folders before `month` add up to
    if cache is not None:  # which files the cache holds; each is loaded when merged
        identities: dict[Path, str] = {}
        for _, _, items in folders:
            items[:] = [_in_cache(cache, item, identities) for item in items]
        earlier = [folder for folder in folders if folder[0] < month]
        prefix = _prefix_key(cache, earlier, identities)
        if prefix is not None and _load_prefix(
            cache, prefix, root, result, merged, latest, refused
        ):
            folders = folders[len(earlier) :]  # merged already, as the last run merged them
            prefix = None
    jobs = [item for _, _, items in folders for item in items if isinstance(item, tuple)]
    done = iter(
        read_files(
            catalogue,
            jobs,
            workers=workers,
            timeout=timeout,
            memory=memory,
            progress=progress,
            cache=cache,
        )
    )
    owners = {o.key for o in catalogue.owners}
    before = len(result.problems)  # those after it are the folders' own
    for folder_month, problems, items in folders:
        if prefix is not None and folder_month >= month:
            _save_prefix(cache, prefix, result, before, merged, latest, refused)
            prefix = None
        result.problems.extend(problems)
        returns = [
            item
            if isinstance(item, _Return)
            else next(done)
            if isinstance(item, tuple)
            else _recall(catalogue, item, workers, timeout, memory)
            for item in items
        ]
        for ret in _settle_duplicates(returns):
            if folder_month == month and ret.usable and ret.owner is not None:
                _check_sign_off(ret)
            if ret.sha256:  # opened as a workbook
                result.files.append(ret.as_file())
            result.figures_used += ret.used
            result.figures_rejected += ret.rejected
            result.problems.extend(ret.problems)
            if ret.usable and ret.owner is not None:
                _merge(ret, merged, result)
                latest[ret.owner] = ret
                if ret.sign_off:
                    result.sign_offs[ret.display] = ret.sign_off
            elif not _is_duplicate(ret):
                for owner in {ret.owner or "", ret.path.stem} & owners:
                    refused[owner] = ret
    if prefix is not None:  # no folder for the report month itself
        _save_prefix(cache, prefix, result, before, merged, latest, refused)
    for pair, series in merged.items():
        months = months_of(list(series))
        result.figures[pair] = dict(zip(months, map(_figure, series.values()), strict=True))
    _check_needed(catalogue, month, latest, result, refused)
    return result


@dataclass(frozen=True)
class _Remembered:
    """A file the cache holds a return for, under `key`: loaded when its turn comes, so
    memory holds one month folder's returns at a time, not every remembered one."""

    cache: ReturnCache
    key: str
    job: tuple[Path, str, Month]


def _in_cache(
    cache: ReturnCache, item: _Return | tuple[Path, str, Month], identities: dict[Path, str]
) -> _Return | tuple[Path, str, Month] | _Remembered:
    """A file still to read, or, if the cache holds its return, where it is. Each file's
    key is noted in `identities`."""
    if not isinstance(item, tuple):
        return item
    path, display, folder = item
    try:
        if path.stat().st_size > DEFAULT_LIMITS.max_file_bytes:
            return item  # refused unread by the reader: not worth hashing
        key = cache.key(file_sha256(path), display, folder)
    except OSError:
        return item  # the reader says what is wrong with it
    identities[path] = key
    return _Remembered(cache, key, item) if cache.holds(key) else item


# --- what the folders before the report month add up to ---------------------------------
# On deadline day only the report month's folder changes: what every earlier folder adds
# to the merge (figures, problems, files, each owner's latest return) is the same as in
# the last run, and is kept whole under a key of every file in those folders, so a
# re-run merges only the report month's returns.


def _prefix_key(
    cache: ReturnCache,
    folders: list[tuple[Month, list[Problem], list[Any]]],
    identities: dict[Path, str],
) -> str | None:
    """A key of everything in these folders, or None if a file could not be hashed."""
    parts: list[str] = ["merged-folders"]
    for folder_month, problems, items in folders:
        parts.append(str(folder_month))
        parts.extend(problem.format() for problem in problems)
        for item in items:
            if isinstance(item, _Return):  # refused before reading: its problems say it
                parts.append(item.display)
                parts.extend(problem.format() for problem in item.problems)
                continue
            path = item.job[0] if isinstance(item, _Remembered) else item[0]
            identity = identities.get(path)
            if identity is None:
                return None
            parts.append(identity)
    return cache.key("\0".join(parts), "", folders[-1][0]) if folders else None


def _plain_problem(p: Problem) -> list[Any]:
    return [p.code, p.message, str(p.level), p.file, p.line, p.sheet, p.cell, p.key, p.month]


def _save_prefix(
    cache: ReturnCache | None,
    key: str,
    result: ReturnsRead,
    before: int,
    merged: dict[tuple[str, str], dict[int, Entry]],
    latest: dict[str, _Return],
    refused: dict[str, _Return],
) -> None:
    if cache is None:
        return
    origins: dict[tuple[str, str], int] = {}
    figures = []
    for (key_, measure), series in merged.items():
        entries = list(series.values())
        figures.append(
            [
                key_,
                measure,
                list(series),
                *([e[i] for e in entries] for i in range(4)),
                [origins.setdefault(e[4], len(origins)) for e in entries],
            ]
        )

    def bare(ret: _Return) -> dict[str, Any]:
        return {**ret.to_plain(), "figures": []}  # what _check_needed asks of it

    cache.store(
        key,
        {
            "kind": "merged-folders",
            "origins": [list(origin) for origin in origins],
            "figures": figures,
            "problems": [_plain_problem(p) for p in result.problems[before:]],
            "files": [
                [f.path, f.owner, str(f.month), f.sha256, f.figures_read, f.figures_rejected]
                for f in result.files
            ],
            "figures_used": result.figures_used,
            "figures_rejected": result.figures_rejected,
            "commentary": _plain_commentary(result.commentary),
            "sign_offs": result.sign_offs,
            "latest": {owner: bare(ret) for owner, ret in latest.items()},
            "refused": {owner: bare(ret) for owner, ret in refused.items()},
        },
    )


def _load_prefix(
    cache: ReturnCache,
    key: str,
    root: Path,
    result: ReturnsRead,
    merged: dict[tuple[str, str], dict[int, Entry]],
    latest: dict[str, _Return],
    refused: dict[str, _Return],
) -> bool:
    """Restore what the earlier folders added, as `_save_prefix` kept it; False if the
    cache has no usable entry (and nothing is changed)."""
    data = cache.load(key)
    if data is None or data.get("kind") != "merged-folders":
        return False
    try:
        origins = [(display, sheet) for display, sheet in data["origins"]]
        restored: dict[tuple[str, str], dict[int, Entry]] = {}
        for key_, measure, indexes, values, cells, nas, problems, where in data["figures"]:
            _check_columns(key_, measure, indexes, values, cells, nas, problems)
            if not set(map(type, where)) <= _INT_TYPE:
                raise ValueError("not an origin")
            restored[(key_, measure)] = dict(
                zip(
                    indexes,
                    zip(values, cells, nas, problems, map(origins.__getitem__, where), strict=True),
                    strict=True,
                )
            )
        problems_ = [_problem(item) for item in data["problems"]]
        files = [
            ReturnFile(path, owner, Month.parse(month), sha, int(read), int(rejected))
            for path, owner, month, sha, read, rejected in data["files"]
        ]
        commentary = _commentary(data["commentary"])
        sign_offs = {str(k): dict(v) for k, v in data["sign_offs"].items()}

        def back(plain: dict[str, Any]) -> _Return:
            display = plain["display"]
            path = Path(display) if Path(display).is_absolute() else root.parent / display
            return _Return.from_plain(path, plain)

        latest_ = {owner: back(plain) for owner, plain in data["latest"].items()}
        refused_ = {owner: back(plain) for owner, plain in data["refused"].items()}
        used, rejected = int(data["figures_used"]), int(data["figures_rejected"])
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return False  # damaged: the folders are merged again
    merged.update(restored)
    result.problems.extend(problems_)
    result.files.extend(files)
    result.commentary.update(commentary)
    result.sign_offs.update(sign_offs)
    result.figures_used += used
    result.figures_rejected += rejected
    latest.update(latest_)
    refused.update(refused_)
    cache.used(key)
    return True


Commentary = dict[tuple[str, str], tuple[str, Source]]


def _plain_commentary(commentary: Commentary) -> list[list[str]]:
    return [
        [key, measure, text, source.file, source.sheet, source.cell]
        for (key, measure), (text, source) in commentary.items()
    ]


def _commentary(items: list[list[str]]) -> Commentary:
    return {
        (key, measure): (text, Source(file, sheet, cell))
        for key, measure, text, file, sheet, cell in items
    }


def _problem(item: list[Any]) -> Problem:
    code, message, level, file, line, sheet, cell, key, month = item
    return Problem(code, message, Level(level), file, line, sheet, cell, key, month)


def _check_columns(
    key: Any, measure: Any, indexes: Any, values: Any, cells: Any, nas: Any, problems: Any
) -> None:
    """Raise ValueError unless these columns hold only what the reader itself makes."""
    if (
        not len(indexes) == len(values) == len(cells) == len(nas) == len(problems)
        or not set(map(type, indexes)) <= _INT_TYPE
        or not set(map(type, values)) <= _ENTRY_VALUE_TYPES
        or not set(map(type, cells)) <= _STR_TYPE
        or not set(map(type, nas)) <= _ENTRY_TEXT_TYPES
        or not set(map(type, problems)) <= _ENTRY_TEXT_TYPES
        or not (key.__class__ is str and measure.__class__ is str)
    ):
        raise ValueError("not entries the reader makes")


def _recall(
    catalogue: Catalogue,
    item: _Remembered,
    workers: int | None,
    timeout: float | None,
    memory: int | None,
) -> _Return:
    """The return the cache holds; if the entry cannot be used, the file read now."""
    data = item.cache.load(item.key)
    if data is not None:
        try:
            ret = _Return.from_plain(item.job[0], data)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # damaged: read the file
        else:
            item.cache.used(item.key)
            return ret
    read = read_files(
        catalogue,
        [item.job],
        workers=min(workers if workers is not None else READ_WORKERS, 1),
        timeout=timeout,
        memory=memory,
        cache=item.cache,
    )
    return next(iter(read))


def _is_duplicate(ret: _Return) -> bool:
    return any(p.code == "duplicate-return" for p in ret.problems)


def _note_strays(root: Path, result: ReturnsRead) -> None:
    for entry in sorted(root.iterdir()):
        if _skipped(entry) or (entry.is_dir() and _FOLDER_RE.match(entry.name)):
            continue
        if entry.suffix.lower() in RETURN_SUFFIXES or entry.is_dir():
            result.problems.append(
                Problem(
                    "unknown-folder",
                    f"{entry.name} is not in a month folder: returns go in "
                    f"{root.name}/<YYYY-MM>/<owner>.xlsx; ignored",
                    level=PROBLEM_CODES["unknown-folder"][0],
                    file=_display(entry, root),
                )
            )


def _scan_folder(
    root: Path, folder: Path, folder_month: Month
) -> tuple[list[Problem], list[_Return | tuple[Path, str, Month]]]:
    """A month folder's stray entries (as problems), and its returns: a file to read, or a
    return already refused because the file cannot be opened at all."""
    problems: list[Problem] = []
    items: list[_Return | tuple[Path, str, Month]] = []
    try:
        paths = _return_files(folder)
    except OSError as exc:
        problems.append(
            Problem(
                "unreadable-file",
                f"cannot list the folder: {exc.strerror or exc}",
                level=PROBLEM_CODES["unreadable-file"][0],
                file=_display(folder, root),
            )
        )
        return problems, items
    for path in paths:
        suffix = path.suffix.lower()
        display = _display(path, root)
        if suffix not in RETURN_SUFFIXES and suffix not in WORKBOOK_LIKE:
            what = "a folder" if path.is_dir() else "not a return workbook (.xlsx)"
            problems.append(
                Problem(
                    "unexpected-file",
                    f"{path.name} is {what}: ignored",
                    level=PROBLEM_CODES["unexpected-file"][0],
                    file=display,
                )
            )
            continue
        why = unreadable(path)
        if why is not None:
            ret = _Return(path, display, folder_month, usable=False)
            ret.add("unreadable-file", why)
            items.append(ret)
            continue
        items.append((path, display, folder_month))
    return problems, items


def _settle_duplicates(returns: list[_Return]) -> list[_Return]:
    """One return per owner per folder: the one named after the owner, else the first."""
    by_owner: dict[str, list[_Return]] = {}
    for ret in returns:
        if ret.usable and ret.owner is not None:
            by_owner.setdefault(ret.owner, []).append(ret)
    for owner, group in by_owner.items():
        if len(group) < 2:
            continue
        keep = next((r for r in group if r.path.stem == owner), group[0])
        for other in group:
            if other is keep:
                continue
            same = other.sha256 == keep.sha256
            other.add(
                "duplicate-return",
                f"a second return for {owner} in {other.folder.label}"
                f"{' (an identical copy)' if same else ''}: {keep.path.name} is used and this "
                "file is ignored; remove one of them",
                level=Level.WARNING if same else Level.ERROR,
            )
            if not same:
                _mark_conflicts(keep, other)
            other.usable = False
            other.rejected += other.used
            other.used = 0
    return returns


def _mark_conflicts(keep: _Return, other: _Return) -> None:
    """Where two returns for one owner and month disagree, neither figure is trusted."""
    for pair, series in other.figures.items():
        kept_series = keep.figures.setdefault(pair, {})
        for index, entry in series.items():
            month = Month.from_index(index)
            kept = kept_series.get(index)
            if kept is not None and _describe(kept) == _describe(entry):
                continue
            if kept is not None and not kept[3]:
                keep.used -= 1
                keep.rejected += 1
            kept_text = _describe(kept) if kept is not None else "nothing"
            where = kept if kept is not None else entry
            kept_series[index] = (
                None,
                where[1],
                None,
                f"{pair[1]}: two returns disagree for {month.label}: {kept_text} in "
                f"{keep.path.name}, {_describe(entry)} in {other.path.name}",
                where[4],
            )


_COMPARED = itemgetter(0, 2, 3)  # an entry's value, reason and problem: what it says


def _merge(
    ret: _Return, merged: dict[tuple[str, str], dict[int, Entry]], result: ReturnsRead
) -> None:
    """A return's entries over those before it: the latest wins, a change is noted."""
    for pair, series in ret.figures.items():
        before = merged.get(pair)
        if before is None:
            merged[pair] = dict(series)
            continue
        # The usual case: the months both hold say the same again (and a month is new).
        common = before.keys() & series.keys()
        if list(map(_COMPARED, map(before.__getitem__, common))) == list(
            map(_COMPARED, map(series.__getitem__, common))
        ):
            before.update(series)
            continue
        olds = list(map(before.get, series))
        for old, (index, entry) in zip(olds, series.items(), strict=True):
            # Equal entries describe alike; only a difference is worth wording.
            if (
                old is not None
                and (old[0] != entry[0] or old[2] != entry[2] or old[3] != entry[3])
                and (old[3] is None or entry[3] is None)
                and _describe(old) != _describe(entry)
            ):
                month = Month.from_index(index)
                result.problems.append(
                    Problem(
                        "revised",
                        f"{pair[1]}: {month.label} revised from {_describe(old)} "
                        f"({_where(old)}) to {_describe(entry)}",
                        level=PROBLEM_CODES["revised"][0],
                        file=ret.display,
                        sheet=ret.sheet,
                        cell=entry[1],
                        key=pair[0],
                        month=month.label,
                    )
                )
        before.update(series)  # the latest wins
    result.commentary.update(ret.commentary)


def _check_needed(
    catalogue: Catalogue,
    month: Month,
    latest: dict[str, _Return],
    result: ReturnsRead,
    refused: dict[str, _Return] | None = None,
) -> None:
    """Blank required cells, missing rows, and the chase list for the report month.

    An owner whose latest return could not be used (`refused`) has the last month the
    report needs of each of their measures marked with that return's problem, so their
    indicators show as data issues, not as merely missing.
    """
    refused = refused or {}
    needed = measure_months(catalogue, [month])
    indicators = {ind.key: ind for ind in catalogue.indicators}
    missing: dict[str, set[Month]] = {}
    owners_needed: set[str] = set()
    for pair, months in sorted(needed.items()):
        ind = indicators.get(pair[0])
        if ind is None:
            continue
        owners_needed.add(ind.owner)
        series = result.figures.get(pair, {})
        gaps = sorted(m for m in months if m not in series)
        if not gaps:
            continue
        missing.setdefault(ind.owner, set()).update(gaps)
        ret = latest.get(ind.owner)
        bad = refused.get(ind.owner)
        if bad is not None and (ret is None or bad.folder > ret.folder):
            _mark_refused(bad, pair, gaps[-1], result)
        if ret is None or ret.folder != month:
            continue  # the whole return is missing: the chase list says so
        _report_gaps(ret, pair, gaps, result)
    for owner in catalogue.owners:
        if owner.key not in owners_needed:
            continue
        months = set(missing.get(owner.key, set()))
        ret = latest.get(owner.key)
        if ret is None or ret.folder != month:
            months.add(month)
        if months:
            result.chase.append(ChaseItem(owner.key, owner.name, tuple(sorted(months))))


def _mark_refused(bad: _Return, pair: tuple[str, str], gap: Month, result: ReturnsRead) -> None:
    first = next((p for p in bad.problems if p.level == Level.ERROR), None)
    why = f" ({first.code})" if first is not None else ""
    result.figures.setdefault(pair, {})[gap] = Figure(
        value=None, problem=f"the return {bad.display} could not be used{why}: see Issues"
    )


def _report_gaps(
    ret: _Return, pair: tuple[str, str], gaps: list[Month], result: ReturnsRead
) -> None:
    key, measure = pair
    row = ret.rows.get(pair)
    if row is None:
        message = (
            f"the return has no row for {key} {measure}, which the report needs for "
            f"{describe_months(gaps)}: restore it from the template"
        )
        result.problems.append(
            Problem(
                "row-missing",
                message,
                level=PROBLEM_CODES["row-missing"][0],
                file=ret.display,
                sheet=ret.sheet,
                key=key,
                month=gaps[-1].label,
            )
        )
        # A damaged template, not a figure still to come: the indicator is a data issue.
        result.figures.setdefault(pair, {})[gaps[-1]] = Figure(value=None, problem=message)
        return
    # One problem per run of adjacent blank cells, so a blank row is one line, not 24.
    runs: list[list[Month]] = []
    for gap in gaps:
        if runs and runs[-1][-1] + 1 == gap and _adjacent(ret, runs[-1][-1], gap):
            runs[-1].append(gap)
        else:
            runs.append([gap])
    for run in runs:
        first, last = run[0], run[-1]
        col = ret.month_cols.get(first)
        when = first.label if len(run) == 1 else f"{first.label} to {last.label}"
        if col is None:
            message = (
                f"{measure}: the return has no column for {when}, which the report needs: "
                "use this year's template"
            )
            cell = None
        else:
            figures = "no figure" if len(run) == 1 else f"no figures ({len(run)} months)"
            message = (
                f"{measure}: {figures} for {when}, which the report needs: type "
                f"{'it' if len(run) == 1 else 'them'}, or n/a and a reason"
            )
            cell = cell_ref(row, col)
            if len(run) > 1:
                cell += ":" + cell_ref(row, ret.month_cols[last])
        result.problems.append(
            Problem(
                "blank-required",
                message,
                level=PROBLEM_CODES["blank-required"][0],
                file=ret.display,
                sheet=ret.sheet,
                cell=cell,
                key=key,
                month=when,
            )
        )


def _adjacent(ret: _Return, before: Month, month: Month) -> bool:
    """Both months have columns side by side, or neither has a column."""
    a, b = ret.month_cols.get(before), ret.month_cols.get(month)
    return (a is None and b is None) or (a is not None and b is not None and b == a + 1)
