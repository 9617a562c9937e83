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
so that the engine shows the indicator as a data issue rather than as missing.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .catalogue import Catalogue, Indicator, Measure
from .errors import InputError, Level, Problem
from .model import ChaseItem, Figure, Figures, Month, ReturnFile, Source
from .templates import (
    COMMENTARY_HEADER,
    INSTRUCTIONS_SHEET,
    KEY_HEADER,
    META_MARKER,
    META_SHEET,
    RETURN_SHEET,
    SIGN_OFF_LABELS,
    TEMPLATE_VERSION,
    UNIT_WORDS,
    measure_months,
)
from .xlsxread import Cell, ErrorValue, SheetData, XlsxBook, XlsxError, cell_ref, open_workbook

# code -> (level, what it means). The codes are stable: tests and users rely on them.
PROBLEM_CODES: dict[str, tuple[Level, str]] = {
    # the file
    "not-a-workbook": (Level.ERROR, "the file is not an .xlsx workbook (CSV, HTML, PDF, .xlsb...)"),
    "encrypted": (Level.ERROR, "the workbook is password-protected, so it cannot be read"),
    "legacy-xls": (Level.ERROR, "the file is an Excel 97-2003 .xls workbook, not .xlsx"),
    "too-large": (Level.ERROR, "the file, a part of it or a sheet is beyond the reader's limits"),
    "corrupt-workbook": (Level.ERROR, "the workbook is damaged (bad XML, missing part)"),
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
    return sorted(p for p in folder.iterdir() if p.is_file() and not _skipped(p))


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
    figures: dict[tuple[str, str], dict[Month, Figure]] = field(default_factory=dict)
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

    def as_file(self) -> ReturnFile:
        return ReturnFile(
            path=self.display,
            owner=self.owner or "",
            month=self.folder,
            sha256=self.sha256,
            figures_read=self.used,
            figures_rejected=self.rejected,
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_return(catalogue: Catalogue, path: Path, display: str, folder: Month) -> _Return:
    """Read one workbook: never raises for anything in the file."""
    ret = _Return(path, display, folder)
    try:
        book = open_workbook(path)
    except XlsxError as exc:
        ret.usable = False
        ret.add(exc.code, exc.message)
        return ret
    with book:
        ret.sha256 = _sha256(path)
        try:
            _read_book(catalogue, book, ret)
        except XlsxError as exc:
            ret.usable = False
            ret.add(exc.code, exc.message)
        except Exception as exc:  # one odd file must not stop the run
            ret.usable = False
            ret.add(
                "corrupt-workbook",
                f"the workbook could not be read ({type(exc).__name__}: {_clip(str(exc), 80)}); "
                "open it in Excel, save it again, and send it; if that does not help, "
                "report this message",
            )
    return ret


def _read_book(catalogue: Catalogue, book: XlsxBook, ret: _Return) -> None:
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
        data = _load(book, info.name, ret)
        if data is not None and _header_row(data) is not None:
            ret.sheet = info.name
            ret.add(
                "sheet-renamed",
                f"no sheet named '{RETURN_SHEET}': read the figures from sheet '{info.name}', "
                f"which has the Key header; please keep the sheet name '{RETURN_SHEET}'",
                sheet=info.name,
            )
            return data
    ret.add(
        "sheet-missing",
        f"no '{RETURN_SHEET}' sheet, and no sheet with a '{KEY_HEADER}' header "
        f"(sheets: {', '.join(book.sheet_names) or 'none'}): use the template",
    )
    ret.usable = False
    return None


def _load(book: XlsxBook, name: str, ret: _Return) -> SheetData | None:
    data = book.read_sheet(name)
    if data.stopped is not None:
        ret.add(data.stopped.code, data.stopped.message, sheet=name)
    return data


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
    indicators = {ind.key: ind for ind in catalogue.indicators}
    seen: dict[tuple[str, str], str] = {}
    for row_no, cells in rows.items():
        if row_no <= header:
            continue
        _read_row(
            catalogue, book, ret, indicators, seen, cells, row_no, key_col, measure_col, comment_col
        )


def _read_row(
    catalogue: Catalogue,
    book: XlsxBook,
    ret: _Return,
    indicators: dict[str, Indicator],
    seen: dict[tuple[str, str], str],
    cells: dict[int, Cell],
    row_no: int,
    key_col: int,
    measure_col: int,
    comment_col: int | None,
) -> None:
    key_cell = cells.get(key_col)
    key = _text(key_cell.value) if key_cell else ""
    measure_name = _text(cells[measure_col].value) if measure_col in cells else ""
    filled = [
        (month, cells[col])
        for month, col in sorted(ret.month_cols.items())
        if col in cells and not _is_blank(cells[col])
    ]
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
    if comment_col is not None and comment_col in cells:
        comment = _text(cells[comment_col].value)
        if comment:
            ret.commentary[pair] = (comment, Source(ret.display, ret.sheet, cells[comment_col].ref))
    series = ret.figures.setdefault(pair, {})
    future: list[tuple[Month, Cell]] = []
    for month, cell in filled:
        if month > ret.folder:
            future.append((month, cell))
            continue
        figure = _interpret(cell, measure, book, ret, key, month)
        if figure is None:
            continue
        series[month] = figure
        if figure.problem:
            ret.rejected += 1
        else:
            ret.used += 1
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
    cell: Cell, measure: Measure, book: XlsxBook, ret: _Return, key: str, month: Month
) -> Figure | None:
    """The figure a cell holds, or a rejected figure with the problem noted."""
    source = Source(ret.display, ret.sheet, cell.ref)
    name = measure.name

    def reject(code: str, message: str) -> Figure:
        ret.add(code, message, cell=cell.ref, key=key, month=month)
        return Figure(value=None, source=source, problem=message)

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
            return Figure(
                value=None, source=source, not_available=reason or "n/a (no reason given)"
            )
        if measure.unit == "text":
            return Figure(value=text, source=source)
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
            return Figure(value=str(value).upper(), source=source)
        return reject(
            "not-a-number",
            f"{name}: {str(value).upper()} is not a number: type {_words(measure)}",
        )
    elif isinstance(value, int | float):
        if measure.unit == "text":
            return Figure(value=_show(value), source=source)
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
    return _check_range(value, measure, reject) or Figure(value=value, source=source)


def _check_range(value: float, measure: Measure, reject: Any) -> Figure | None:
    name, unit = measure.name, measure.unit
    if not math.isfinite(value):
        return reject("not-a-number", f"{name}: {value} is not a number")
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
    return {
        "count": "a whole number, 0 or more",
        "percent": "a percentage from 0 to 100",
        "money": "an amount in pounds",
    }.get(measure.unit, f"a number ({UNIT_WORDS[measure.unit]})")


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


def _describe(figure: Figure) -> str:
    if figure.problem:
        return "a rejected entry"
    if figure.not_available is not None:
        return f"n/a ({figure.not_available})"
    if isinstance(figure.value, str):
        return f"'{_clip(figure.value)}'"
    return _show(figure.value)


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


def read_returns(catalogue: Catalogue, returns_dir: str | Path, month: Month) -> ReturnsRead:
    """Read every return up to `month`, merge them (latest wins), and list what is missing."""
    root = Path(returns_dir)
    if not root.is_dir():
        raise InputError(f"{root}: no such folder of returns (expected {root}/<YYYY-MM>/*.xlsx)")
    result = ReturnsRead(month=month)
    _note_strays(root, result)
    latest: dict[str, _Return] = {}  # owner -> their latest used return
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
        returns = _read_folder(catalogue, root, folder, folder_month, result)
        for ret in _settle_duplicates(returns):
            if folder_month == month and ret.usable and ret.owner is not None:
                _check_sign_off(ret)
            if ret.sha256:  # opened as a workbook
                result.files.append(ret.as_file())
            result.figures_used += ret.used
            result.figures_rejected += ret.rejected
            result.problems.extend(ret.problems)
            if ret.usable and ret.owner is not None:
                _merge(ret, result)
                latest[ret.owner] = ret
                if ret.sign_off:
                    result.sign_offs[ret.display] = ret.sign_off
    _check_needed(catalogue, month, latest, result)
    return result


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


def _read_folder(
    catalogue: Catalogue, root: Path, folder: Path, folder_month: Month, result: ReturnsRead
) -> list[_Return]:
    returns = []
    for path in _return_files(folder):
        suffix = path.suffix.lower()
        display = _display(path, root)
        if suffix not in RETURN_SUFFIXES and suffix not in WORKBOOK_LIKE:
            result.problems.append(
                Problem(
                    "unexpected-file",
                    f"{path.name} is not a return workbook (.xlsx): ignored",
                    level=PROBLEM_CODES["unexpected-file"][0],
                    file=display,
                )
            )
            continue
        returns.append(read_return(catalogue, path, display, folder_month))
    return returns


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
            other.usable = False
            other.rejected += other.used
            other.used = 0
    return returns


def _merge(ret: _Return, result: ReturnsRead) -> None:
    for pair, series in ret.figures.items():
        merged = result.figures.setdefault(pair, {})
        for month, figure in series.items():
            old = merged.get(month)
            if old is not None and _describe(old) != _describe(figure):
                message = (
                    f"{pair[1]}: {month.label} revised from {_describe(old)} "
                    f"({old.source}) to {_describe(figure)}"
                )
                cell = figure.source.cell if figure.source else None
                ret_problem = Problem(
                    "revised",
                    message,
                    level=PROBLEM_CODES["revised"][0],
                    file=ret.display,
                    sheet=ret.sheet,
                    cell=cell,
                    key=pair[0],
                    month=month.label,
                )
                result.problems.append(ret_problem)
            merged[month] = figure
    result.commentary.update(ret.commentary)


def _check_needed(
    catalogue: Catalogue, month: Month, latest: dict[str, _Return], result: ReturnsRead
) -> None:
    """Blank required cells, missing rows, and the chase list for the report month."""
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


def _report_gaps(
    ret: _Return, pair: tuple[str, str], gaps: list[Month], result: ReturnsRead
) -> None:
    key, measure = pair
    row = ret.rows.get(pair)
    if row is None:
        result.problems.append(
            Problem(
                "row-missing",
                f"the return has no row for {key} {measure}, which the report needs for "
                f"{', '.join(m.label for m in gaps)}: restore it from the template",
                level=PROBLEM_CODES["row-missing"][0],
                file=ret.display,
                sheet=ret.sheet,
                key=key,
                month=gaps[-1].label,
            )
        )
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
