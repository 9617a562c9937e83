"""RunResult -> the master workbook: Summary, one sheet per objective, Data and Issues.

Three promises shape this package:

- Every string from the catalogue or a return is written with ``write_string`` (and the
  workbook is opened with ``strings_to_formulas``, ``strings_to_urls`` and
  ``strings_to_numbers`` off besides), so a title such as ``=HYPERLINK(...)`` or a note
  such as ``+44 20 7230 1212`` stays literal text.
- Each objective sheet stands alone: its status colours are conditional formats on the
  status text of its own cells, its legend and footnotes sit under its table, and no
  formula, conditional format, validation or defined name refers to another sheet. A
  board-pack copy of one sheet keeps its look and its rules.
- The same inputs give the same bytes (fixed creation date and author, fixed zip
  timestamps), and the file is written beside its target and moved into place, so a
  failed run leaves the previous output intact.

The modules, from the whole workbook down:

    build.py      write_workbook: options, properties, the sheets in order
    summary.py    the Summary sheet
    objective.py  one sheet per objective
    data.py       the Data sheet
    issues.py     the Issues sheet
    layout.py     Grid (cells and row heights), page setup, legend, footnotes, tables,
                  sheet names
    texts.py      the report's wording for the run: headings, notes, footer
    styles.py     every colour and format, in one place: status looks, legend order, Styles
    celltext.py   text fit for a cell

Writers import the run's result (`scorecard.result`), never the pipeline.
"""

from .build import WORKBOOK_OPTIONS, write_workbook
from .data import source_text
from .layout import sheet_names
from .objective import SPARK_BLOCKS, explanation, sparkline
from .styles import LEGEND_ORDER, StatusLook, Styles, scheme_statuses, shown_statuses, status_looks
from .texts import AUTHOR

__all__ = [
    "AUTHOR",
    "LEGEND_ORDER",
    "SPARK_BLOCKS",
    "WORKBOOK_OPTIONS",
    "StatusLook",
    "Styles",
    "explanation",
    "scheme_statuses",
    "sheet_names",
    "shown_statuses",
    "source_text",
    "sparkline",
    "status_looks",
    "write_workbook",
]
