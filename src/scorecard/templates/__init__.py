"""Build the departmental return workbooks from the catalogue: one per owner per year.

Each workbook has four sheets:

- **Instructions**: how to fill the return, what "n/a" means, and a sign-off block
  (name, role, date) in shaded input cells.
- **Return**: one row per measure the owner returns (Key, Indicator, Measure, Measure
  label, Unit, Guidance, and Due: which month's figure each return carries), one column
  per month headed ``YYYY-MM`` — first the earlier months the rolling figures need
  ("history", shaded blue), then the financial year's months (shaded yellow). Only the
  cells the catalogue needs are inputs; a template made for one month's return marks
  the cells due in it with an orange border. The rest are grey and locked. Every input
  cell is unlocked, shaded and validated for its unit (a whole number >= 0 for counts,
  0-100 for percentages, any number for money, rates and scores; "n/a" and a reason
  always allowed). The sheet is protected without a password.
- **Commentary**: one row per indicator of the owner, one column per report month of
  the year: the lead's words on each month's figure, kept for the year; a column says
  when a comment is required (the catalogue's `commentary: {required_for: [...]}`).
- **_meta** (very hidden): owner, financial year, template version and the catalogue's
  fingerprint, so the reader recognises a return from another owner, another year or an
  older catalogue.

The reader (`scorecard.returns`) finds rows by key and months by header, never by position;
both take the form's layout from `scorecard.form`.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

from ..catalogue import Catalogue, Owner, due_months, input_months, template_months
from ..errors import OutputError
from ..form import TEMPLATE_VERSION
from ..periods import FinancialYear, Month
from .commentary_sheet import write_commentary_sheet
from .instructions import write_instructions
from .meta import write_meta
from .return_sheet import Due, write_return_sheet
from .styles import (
    HISTORY_FILL,
    UNUSED_FILL,
    WORKBOOK_OPTIONS,
    YEAR_FILL,
    TemplateStyles,
    form_words,
)

__all__ = ["HISTORY_FILL", "UNUSED_FILL", "YEAR_FILL", "template_year", "write_templates"]


def template_year(
    catalogue: Catalogue, year: str | None, month: Month | None, today: date | None = None
) -> FinancialYear:
    """The year to make templates for: `year` ("2008/09") if given (it must hold
    `month`), else `month`'s, else the latest the catalogue has targets for, else this
    year. Raises ValueError for a year that cannot be read or does not hold the month."""
    start = catalogue.organisation.financial_year_start
    if year:
        fy = FinancialYear.parse(year, start)
        if month is not None and month not in fy.months:
            raise ValueError(f"{month} is not a month of {fy}")
        return fy
    if month is not None:
        return FinancialYear.containing(month, start)
    years = catalogue.target_years()
    if years:
        return years[-1]
    day = today or date.today()
    return FinancialYear.containing(Month(day.year, day.month), start)


def write_templates(
    catalogue: Catalogue,
    year: FinancialYear,
    out_dir: Path,
    *,
    force: bool = False,
    month: Month | None = None,
) -> list[Path]:
    """Write one return workbook per owner, ``<owner-key>.xlsx``, into `out_dir`.

    With `month` (one of the year's), each template is made for that month's return:
    the cells due in it are marked, and each row's Due cell names their months.

    Each is made in a temporary folder first. A file already there that differs from its
    new template (a lead's filled copy, another year's) is not overwritten unless
    `force`: `OutputError` names them all and nothing is written.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {out_dir}: {exc.strerror}") from None
    needed = input_months(catalogue, year)  # with the XmR charts' history (issue 15)
    due = None if month is None else Due(month, due_months(catalogue, month))
    with tempfile.TemporaryDirectory(prefix=".templates-", dir=out_dir) as folder:
        made = []
        for owner in catalogue.owners:
            fresh = Path(folder) / f"{owner.key}.xlsx"
            _write_one(catalogue, year, owner, needed, fresh, due)
            made.append((fresh, out_dir / fresh.name))
        differ = [
            str(path)
            for fresh, path in made
            if path.exists() and path.read_bytes() != fresh.read_bytes()
        ]
        if differ and not force:
            raise OutputError(
                f"{', '.join(differ)} already exist and differ from the {year} templates: "
                "nothing written; use --force to overwrite them, or --out another folder"
            )
        for fresh, path in made:
            os.replace(fresh, path)
    return [path for _fresh, path in made]


def _write_one(
    catalogue: Catalogue,
    year: FinancialYear,
    owner: Owner,
    needed: dict[tuple[str, str], set[Month]],
    path: Path,
    due: Due | None = None,
) -> None:
    workbook = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    workbook.set_properties(
        {
            "title": f"{owner.name}: {form_words(catalogue)['return']} {year}",
            "subject": f"{catalogue.organisation.name} performance scorecard",
            "author": "scorecard",
            "company": catalogue.organisation.name,
            "comments": f"template version {TEMPLATE_VERSION}",
            "created": datetime(year.start_year, year.start_month, 1),
        }
    )
    styles = TemplateStyles(workbook)
    months = template_months(catalogue, year, owner.key)
    write_instructions(workbook, styles, catalogue, year, owner)
    write_return_sheet(workbook, styles, catalogue, year, owner, months, needed, due)
    write_commentary_sheet(workbook, styles, catalogue, year, owner)
    write_meta(workbook, catalogue, year, owner, months)
    try:
        workbook.close()
    except (OSError, xlsxwriter.exceptions.FileCreateError) as exc:
        raise OutputError(f"cannot write {path}: {exc}") from None
