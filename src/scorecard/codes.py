"""Every problem code of scorecard, registered once: the return reader's, the
catalogue's and the ledger's, each with its level and what it means.

The codes are stable: tests, users and README.md's "When a return is wrong" rely on them,
and `tests/unit/test_codes.py` checks that every code the package raises is here. Ground
floor: imports nothing of scorecard's but its errors.
"""

from __future__ import annotations

from .errors import Level

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
    "sheet-copy": (
        Level.ERROR,
        "a second sheet carries the return form (an edited copy): it is not read",
    ),
    "copy-differs": (Level.ERROR, "a figure on the copy differs from the read sheet's"),
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
    "stray-cell": (Level.WARNING, "something typed outside the form's rows and columns: not used"),
    "row-missing": (Level.ERROR, "a row the report needs is missing from the return"),
    "row-not-in-template": (
        Level.WARNING,
        "a row the catalogue gained after the return's template was made: chased",
    ),
    "future-month": (Level.WARNING, "figures for months after the return's month: ignored"),
    "not-signed-off": (Level.WARNING, "the sign-off name or date on Instructions is blank"),
    "sign-off-date": (
        Level.WARNING,
        "a sign-off date typed as text: read the catalogue's way (info), or no date",
    ),
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
    # the owner's words
    "text-too-long": (
        Level.WARNING,
        "a comment or text answer longer than a cell of the master holds (32,767 characters)",
    ),
    "comment-formula": (
        Level.INFO,
        "a comment is a formula: the words it showed are used (a link's address as text)",
    ),
    "direction-controls": (
        Level.INFO,
        "words held direction overrides (U+202E...) that reorder what is shown: removed",
    ),
    "commentary-missing": (
        Level.WARNING,
        "no commentary where the catalogue requires one for the indicator's status",
    ),
    # the catalogue (scorecard.catalogue): `validate` and every command that loads it
    "catalogue-unreadable": (Level.ERROR, "the catalogue file cannot be read"),
    "catalogue-encoding": (Level.ERROR, "the catalogue is not UTF-8 text"),
    "catalogue-yaml": (Level.ERROR, "the catalogue is not valid YAML (line and column given)"),
    "catalogue-shape": (Level.ERROR, "the catalogue is not a mapping of organisation, owners..."),
    "catalogue-schema": (Level.ERROR, "a field is missing, unknown or of the wrong type"),
    "catalogue-duplicate": (Level.ERROR, "a key or a measure listed twice"),
    "catalogue-unknown-measure": (Level.ERROR, "a derivation names a measure not declared"),
    "catalogue-unknown-population": (Level.ERROR, "a rate names a population not declared"),
    "catalogue-target-mismatch": (Level.ERROR, "a year's target does not fit its indicator"),
    "catalogue-scheme": (Level.ERROR, "the rule needs what the row lacks (forecast, tolerance)"),
    "status-contrast": (
        Level.WARNING,
        "a status colour pair under WCAG 2.2 AA contrast (4.5:1 text, 3:1 marks)",
    ),
    # the catalogue, for the report month
    "targets-missing": (
        Level.WARNING,
        "a rated row has no target for the report's financial year: shown as No target",
    ),
    # the ledger (scorecard.ledger): the compile goes on without it
    "ledger-newer": (
        Level.WARNING,
        "the ledger was written by a newer scorecard: not used or changed by this one",
    ),
    "ledger-damaged": (
        Level.WARNING,
        "the ledger file is damaged or not a ledger: left untouched, nothing recorded",
    ),
    "ledger-unusable": (Level.WARNING, "the ledger cannot be opened or written: nothing recorded"),
    "catalogue-changed": (
        Level.WARNING,
        "compile --as-of with another catalogue than the pack was compiled with",
    ),
    "locked-month-changed": (
        Level.WARNING,
        "a return changed a figure of a locked month: the locked figure is kept",
    ),
    "locked-month-unchecked": (
        Level.WARNING,
        "a month the catalogue locks taken unchecked: the ledger cannot be read",
    ),
}


def level_of(code: str) -> Level:
    """The level a problem of this code has, unless it says otherwise."""
    return PROBLEM_CODES[code][0]
