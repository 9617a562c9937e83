"""One workbook: opened (or refused), whose and which year's it is, its Return sheet and
its sign-off; and reading many in worker processes, each a job that cannot take the run
down with it.

The settings below are read when a run starts, so a test may change them here (in
`scorecard.returns.book`, where they are used).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from ..cache import ReturnCache, file_sha256
from ..catalogue import Catalogue
from ..form import INSTRUCTIONS_SHEET, META_MARKER, META_SHEET, SIGN_OFF_LABELS, TEMPLATE_VERSION
from ..periods import Month
from ..workers import DEFAULT_MEMORY, DEFAULT_TIMEOUT, Outcome, iter_isolated
from ..xlsx import XlsxBook, XlsxError, open_workbook
from .cells import cell_text, serial_date
from .commentary import read_commentary_sheet
from .copies import check_copies
from .problems import clip, possessive
from .record import Job, ReturnRecord
from .serial import plain_return
from .sheet import find_return_sheet, read_return_sheet
from .signoff import read_sign_off_date
from .stray import report_instructions_stray, report_meta_stray

# Reading in worker processes: how many at once, and each one's limits.
READ_WORKERS = 2
READ_TIMEOUT = DEFAULT_TIMEOUT
READ_MEMORY = DEFAULT_MEMORY


def read_return(catalogue: Catalogue, path: Path, display: str, folder: Month) -> ReturnRecord:
    """Read one workbook: never raises for anything in the file."""
    ret = ReturnRecord(path, display, folder)
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
            read_book(catalogue, book, ret)
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


def _refuse(ret: ReturnRecord) -> None:
    """Nothing from this return is used: what was read so far counts as rejected."""
    ret.usable = False
    ret.rejected += ret.used
    ret.used = 0
    ret.figures.clear()


def _unforeseen(ret: ReturnRecord, exc: Exception) -> None:
    ret.usable = False
    ret.add(
        "corrupt-workbook",
        f"the workbook could not be read ({type(exc).__name__}: {clip(str(exc), 80)}); "
        "open it in Excel, save it again, and send it; if that does not help, "
        "report this message",
    )


def _out_of_memory(ret: ReturnRecord) -> None:
    ret.usable = False
    ret.figures.clear()
    ret.add(
        "reader-crashed",
        "reading the workbook ran out of memory, so nothing from it is used: open it in "
        "Excel, delete what is not part of the return, save it and send it again",
    )


# --- reading many, in workers -------------------------------------------------------------


def _read_job(
    shared: tuple[Catalogue, ReturnCache | None], path: Path, display: str, folder: Month
) -> ReturnRecord:
    """What a worker process runs for one file: read it, and remember it if it was read."""
    catalogue, cache = shared
    ret = read_return(catalogue, path, display, folder)
    if cache is not None and ret.sha256:
        cache.store(cache.key(ret.sha256, display, folder), plain_return(ret))
    return ret


def _failed(job: Job, outcome: Outcome, timeout: float) -> ReturnRecord:
    """The return a worker could not deliver: one problem for the whole file."""
    ret = ReturnRecord(job.path, job.display, job.folder, usable=False)
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
            f"reading the workbook crashed the reader ({clip(outcome.detail, 80)}), so "
            "nothing from it is used: open it in Excel, save it again and send it; if that "
            "does not help, report this message",
        )
    return ret


def read_files(
    catalogue: Catalogue,
    files: list[Job],
    *,
    workers: int | None = None,
    timeout: float | None = None,
    memory: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: ReturnCache | None = None,
) -> Iterator[ReturnRecord]:
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
        yield outcome.value if outcome.ok else _failed(Job(*job), outcome, timeout)


def read_again(
    catalogue: Catalogue,
    job: Job,
    cache: ReturnCache,
    *,
    workers: int | None,
    timeout: float | None,
    memory: int | None,
) -> ReturnRecord:
    """Read one file whose cache entry could not be used, in one worker (or in this
    process if `workers` is 0), and store it again."""
    workers = min(READ_WORKERS if workers is None else workers, 1)
    read = read_files(
        catalogue, [job], workers=workers, timeout=timeout, memory=memory, cache=cache
    )
    return next(iter(read))


# --- whose return, for which year ---------------------------------------------------------


def read_book(catalogue: Catalogue, book: XlsxBook, ret: ReturnRecord) -> None:
    """Everything in an opened workbook: whose it is, its figures and its sign-off."""
    if book.has_macros:
        ret.add(
            "macros-ignored",
            "the workbook holds macros: they are never run; only the values saved in its "
            "cells are read",
        )
    meta = read_meta(book, ret)
    owners = {o.key for o in catalogue.owners}
    if meta is None:
        _owner_from_name(ret, owners)
    else:
        _owner_from_meta(ret, meta, owners)
        _check_year(catalogue, ret, meta)
    sheet = find_return_sheet(book, ret)
    if sheet is None:
        return
    read_return_sheet(catalogue, book, sheet, ret)
    if ret.usable:
        check_copies(catalogue, book, ret)
        read_commentary_sheet(catalogue, book, ret)
        ret.sign_off = read_sign_off(book, ret)
        read_sign_off_date(ret, catalogue.organisation.date_order == "day_first")


def _owner_from_name(ret: ReturnRecord, owners: set[str]) -> None:
    """A workbook without its _meta sheet: the owner is the file's name, if it is one."""
    stem = ret.path.stem
    ret.add(
        "no-metadata",
        "the hidden _meta sheet is missing (the figures were copied into another "
        f"workbook?): taken as {possessive(stem)} return from the file name; use the template",
    )
    ret.owner = stem if stem in owners else None
    if ret.owner is None:
        ret.add(
            "unknown-owner",
            f"cannot tell whose return this is: no _meta sheet, and '{stem}' is not an "
            f"owner key ({', '.join(sorted(owners))}); name the file <owner>.xlsx",
        )
        ret.usable = False


def _owner_from_meta(ret: ReturnRecord, meta: dict[str, str], owners: set[str]) -> None:
    """The owner the template names, checked against the catalogue and the file name."""
    stem = ret.path.stem
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
            f"the file is named {ret.path.name} but is {possessive(ret.owner)} template; its "
            f"figures are not used: send {possessive(stem)} own return, or rename the file "
            f"{ret.owner}{ret.path.suffix}",
        )
        ret.usable = False
    elif stem != ret.owner:
        ret.add(
            "file-name",
            f"the file name does not follow <owner>.xlsx; read as {possessive(ret.owner)} return "
            f"from its template (name it {ret.owner}{ret.path.suffix})",
        )


def _check_year(catalogue: Catalogue, ret: ReturnRecord, meta: dict[str, str]) -> None:
    """The template's financial year must be the folder's; a template made from another
    catalogue layout is still read, with a warning."""
    year = catalogue.financial_year(ret.folder)
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


def read_meta(book: XlsxBook, ret: ReturnRecord | None = None) -> dict[str, str] | None:
    """The hidden _meta sheet's fields, or None if there is no such sheet of a template.
    With `ret`, anything typed beyond its two columns is reported there."""
    if book.sheet(META_SHEET) is None:
        return None
    data = book.read_sheet(META_SHEET)
    if ret is not None:
        report_meta_stray(ret, data)
    values: dict[str, str] = {}
    for cells in data.rows().values():
        name, value = cells.get(1), cells.get(2)
        if name is not None and isinstance(name.value, str):
            values[name.value.strip()] = cell_text(value.value if value else None)
    if values.get("kind") != META_MARKER:
        return None
    return values


# --- sign-off -----------------------------------------------------------------------------


def read_sign_off(book: XlsxBook, ret: ReturnRecord | None = None) -> dict[str, str]:
    """The Instructions sheet's sign-off block: label -> answer ('' if blank). With
    `ret`, what is typed outside the sheet's form is reported there."""
    if book.sheet(INSTRUCTIONS_SHEET) is None:
        return {}
    data = book.read_sheet(INSTRUCTIONS_SHEET)
    if ret is not None:
        report_instructions_stray(ret, data)
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
            if answer.no_cached_value:
                found[label] = ""
                found[f"{label} formula"] = answer.formula or ""
                continue
            if (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and book.is_date_format(answer.style)
            ):
                found[label] = serial_date(value, book.date1904).isoformat()
            else:
                found[label] = cell_text(value)
    return found


def check_sign_off(ret: ReturnRecord) -> None:
    """A report-month return should be signed off by name and date."""
    if not ret.sign_off:
        return  # no Instructions sheet with a sign-off block: nothing to check
    blank = [label for label in ("Name", "Date") if not ret.sign_off.get(label)]
    if not blank:
        return
    formulas = [label for label in blank if f"{label} formula" in ret.sign_off]
    empty = [label for label in blank if label not in formulas]
    said = []
    if empty:
        said.append(
            f"the sign-off {' and '.join(label.lower() for label in empty)} on the "
            f"{INSTRUCTIONS_SHEET} sheet {'is' if len(empty) == 1 else 'are'} blank"
        )
    if formulas:
        said.append(
            f"the sign-off {' and '.join(label.lower() for label in formulas)} "
            f"{'is a formula' if len(formulas) == 1 else 'are formulas'} with no saved "
            "result (open the file in Excel so it calculates, or type it)"
        )
    ret.add(
        "not-signed-off",
        f"{'; '.join(said)}: the person accountable for the figures should sign them off",
        sheet=INSTRUCTIONS_SHEET,
    )
