"""The board pack: a PDF a board reads and a public body may publish, through LibreOffice.

Not the master printed: a workbook of its own, made for the page, then converted.

    book.py         write_pack_workbook: its sheets in order
    board_sheet.py  the first page: the board summary (`scorecard.board`)
    report.py       every objective's table in one sheet, its pages made up
    flow.py         the page make-up: objectives share pages, headings kept with rows
    columns.py      the columns the catalogue chooses (`organisation.pack.columns`)
    sheet.py        cells written with the height they print at
    measure.py      how much room text takes (Carlito's, Calibri's, metrics)
    styles.py       type sizes and formats
    office.py       LibreOffice headless: a tagged PDF, in the catalogue's language
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..output import atomic_output
from ..result import RunResult
from ..scratch import scratch_folder
from .book import write_pack_workbook
from .office import (
    INSTALL_HINT,
    PACK_FOLDER_PREFIX,
    PACK_TIMEOUT,
    PDF_OPTIONS,
    PackError,
    convert_to_pdf,
    find_office,
)

__all__ = [
    "INSTALL_HINT",
    "PACK_FOLDER_PREFIX",
    "PACK_TIMEOUT",
    "PDF_OPTIONS",
    "PackError",
    "convert_to_pdf",
    "find_office",
    "write_pack",
    "write_pack_workbook",
]


def write_pack(
    run: RunResult,
    path: Path,
    *,
    with_data: bool = False,
    with_issues: bool = False,
    timeout: float = PACK_TIMEOUT,
) -> Path:
    """Write the board pack for `run` to `path` as PDF (atomically); return `path`.

    The board summary, every objective's table (objectives sharing pages), and the SPC
    charts where there are any; the Data and Issues sheets only when asked.
    """
    office = find_office()
    path = Path(path)
    language = run.catalogue.organisation.pack.language
    # Removed however the run ends (a killed run's, at the next run): it holds the figures.
    with scratch_folder(PACK_FOLDER_PREFIX) as work:
        book = work / "pack.xlsx"
        write_pack_workbook(run, book, with_data=with_data, with_issues=with_issues)
        pdf = convert_to_pdf(office, book, work, timeout, language)
        with atomic_output(path) as tmp:
            shutil.copyfile(pdf, tmp)
    return path
