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
being read: the same `ReturnRecord`, problems and all, as reading it would give (every
guard above ran when it was first read). Only returns read to the end are kept.

The package
-----------
``folders`` (the month folders and the files in them), ``book`` (one workbook: whose,
which year, its sign-off; reading many in workers), ``sheet`` (the Return sheet, row by
row), ``cells`` (one cell by its unit), ``merge`` (the returns merged, latest wins),
``chase`` (what the report month still needs), ``remember`` and ``serial`` (the cache),
``record`` (what is held of a return meanwhile), ``problems`` (the codes). The reading
settings `READ_WORKERS`, `READ_TIMEOUT` and `READ_MEMORY` are `scorecard.returns.book`'s.
"""

from __future__ import annotations

from ..codes import PROBLEM_CODES
from .book import read_book, read_files, read_return
from .cells import MAX_FIGURE
from .folders import RETURN_SUFFIXES, WORKBOOK_LIKE, latest_month
from .merge import merge_again, read_returns
from .record import Comment, Entry, FolderOutline, Job, Origin, ReturnRecord, ReturnsRead
from .sheet import MAX_HEADER_SCAN

__all__ = [
    "MAX_FIGURE",
    "MAX_HEADER_SCAN",
    "PROBLEM_CODES",
    "RETURN_SUFFIXES",
    "WORKBOOK_LIKE",
    "Comment",
    "Entry",
    "FolderOutline",
    "Job",
    "Origin",
    "ReturnRecord",
    "ReturnsRead",
    "latest_month",
    "merge_again",
    "read_book",
    "read_files",
    "read_return",
    "read_returns",
]
