"""RunResult -> the master .xlsx: the workbook's options and properties, and its sheets in
order (Summary, one per objective, Changes, Charts, Data, Issues), written beside the
target and moved into place."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from ..errors import OutputError
from ..gcpause import collector_paused
from ..output import atomic_output, reason
from ..periods import Month
from ..result import RunResult
from .celltext import cell_text
from .changes import CHANGES_SHEET, needs_sheet, write_changes
from .charts import write_charts
from .data import write_data
from .issues import write_issues
from .layout import sheet_names
from .objective import write_objective
from .styles import Styles, shown_statuses, status_looks
from .summary import write_summary
from .texts import AUTHOR, ReportTexts, report_texts

WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    # Zip members get xlsxwriter's fixed 1980-01-01 timestamp whatever the time zone.
    "in_memory": True,
}


def write_workbook(
    run: RunResult, path: Path, *, with_data: bool = True, with_issues: bool = True
) -> Path:
    """Write the master workbook for `run` to `path` (atomically); return `path`.

    The board pack leaves out the Data and Issues sheets unless asked for them.
    """
    path = Path(path)
    with atomic_output(path) as tmp, collector_paused():
        # Zipped in memory, then written in one go: a full disk is one OSError here, not
        # a half-written zip whose clean-up fails again as Python exits.
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
        try:
            _build(workbook, run, with_data=with_data, with_issues=with_issues)
        except BaseException:
            workbook.fileclosed = True  # nothing to save: the temporary file is discarded
            raise
        try:
            workbook.close()
        except XlsxWriterException as exc:
            raise OutputError(f"cannot write {path}: {reason(exc)}") from None
        tmp.write_bytes(buffer.getbuffer())
    return path


def _build(
    workbook: xlsxwriter.Workbook, run: RunResult, *, with_data: bool, with_issues: bool
) -> None:
    texts = report_texts(run)
    looks = status_looks(run.catalogue.organisation)
    styles = Styles(workbook, looks, shown_statuses(run.catalogue, run.results))
    _set_properties(workbook, run, texts)
    names = sheet_names(run.catalogue.objectives)
    write_summary(workbook.add_worksheet("Summary"), run, texts, styles)
    for objective in run.catalogue.objectives:
        results = [r for r in run.results if r.indicator.objective == objective.key]
        sheet = workbook.add_worksheet(names[objective.key])
        write_objective(sheet, run, objective, results, texts, styles)
    if needs_sheet(run):  # more figures restated since the last pack than the Summary holds
        write_changes(workbook.add_worksheet(CHANGES_SHEET), run, texts, styles)
    write_charts(workbook, run, texts, styles)  # the XmR charts, where any (issue 15)
    if with_data:
        write_data(workbook.add_worksheet("Data"), run, texts, styles)
    if with_issues:
        write_issues(workbook.add_worksheet("Issues"), run, texts, styles)


def _set_properties(workbook: xlsxwriter.Workbook, run: RunResult, texts: ReportTexts) -> None:
    """Fixed document properties: the same inputs give the same bytes."""
    workbook.set_properties(
        {
            "title": cell_text(f"{texts.title}: {texts.month_long}"),
            "subject": cell_text(texts.period),
            "author": AUTHOR,
            "company": cell_text(run.catalogue.organisation.name),
            "created": _created(run.month),
        }
    )


def _created(month: Month) -> datetime:
    """The workbook's fixed creation date: the first of the month after the report month."""
    after = month + 1
    return datetime(after.year, after.month, 1)
