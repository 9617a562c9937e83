"""The pack's workbook: the board summary, every objective's table, the SPC charts, and
the Data and Issues sheets when asked; made for printing, never handed out (the master
is the workbook of record)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import xlsxwriter

from ..board import board_summary
from ..result import RunResult
from ..workbook import WORKBOOK_OPTIONS, Styles, shown_statuses, status_looks
from ..workbook.celltext import cell_text
from ..workbook.charts import write_charts
from ..workbook.data import write_data
from ..workbook.issues import write_issues
from ..workbook.texts import AUTHOR, report_texts
from .board_sheet import BOARD_SHEET, write_board
from .flow import Page
from .report import write_report
from .styles import PackStyles

REPORT_SHEET = "Objectives"


def write_pack_workbook(
    run: RunResult, path: Path, *, with_data: bool = False, with_issues: bool = False
) -> list[Page]:
    """Write the pack's workbook for `run` to `path`; return the objective tables' pages."""
    texts = report_texts(run)
    looks = status_looks(run.catalogue.organisation)
    shown = shown_statuses(run.catalogue, run.results)
    workbook = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    pack_styles = PackStyles(workbook, looks, shown)
    styles = Styles(workbook, looks, shown)  # the master's, for the sheets it shares
    after = run.month + 1
    workbook.set_properties(
        {
            "title": cell_text(f"{texts.organisation}: {texts.title}, {texts.month_long}"),
            "subject": cell_text(f"Board pack. {texts.period}"),
            "author": AUTHOR,
            "company": cell_text(run.catalogue.organisation.name),
            "created": datetime(after.year, after.month, 1),
        }
    )
    board = board_summary(run)
    write_board(workbook.add_worksheet(BOARD_SHEET), run, board, texts, pack_styles)
    pages = write_report(workbook.add_worksheet(REPORT_SHEET), run, texts, pack_styles)
    write_charts(workbook, run, texts, styles)
    if with_data:
        write_data(workbook.add_worksheet("Data"), run, texts, styles)
    if with_issues:
        write_issues(workbook.add_worksheet("Issues"), run, texts, styles)
    workbook.close()
    return pages
