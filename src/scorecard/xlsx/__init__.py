"""A streaming .xlsx reader that is honest about every value and refuses what it cannot trust.

Returns arrive by email from many hands, so the reader checks a file before inflating
anything and never lets one bad file stop the run: every refusal is an `XlsxError` (an
`InputError`) with a stable code, which `returns` turns into a Problem.

- `preflight`: what the file is (not a zip, an encrypted or legacy OLE file, a folder,
  pipe or broken link) and what its zip claims (member sizes, ratios, counts).
- `safexml`: every part is parsed by expat; a DOCTYPE or entity declaration is refused
  before parsing, so nothing is expanded and no external entity is fetched.
- `parts`: relationships, the workbook part, shared strings, styles and number formats.
- `sheet`: one sheet's cells, streamed, within the limits, its merged ranges.
- `cells`: cells, values and references; `book`: the open workbook.
- `shown`: the text a number shows under its cell's number format.

There is one way of reading a sheet's cells: `sheet.SheetReader`.
"""

from .book import XlsxBook, open_workbook
from .cells import (
    Cell,
    ErrorValue,
    SheetData,
    SheetInfo,
    cell_ref,
    col_index,
    col_letters,
    split_ref,
)
from .errors import DEFAULT_LIMITS, Limits, XlsxError
from .parts import NumberKinds
from .preflight import OLE_SIGNATURE, sniff, unreadable
from .shown import shown_text

__all__ = [
    "DEFAULT_LIMITS",
    "OLE_SIGNATURE",
    "Cell",
    "ErrorValue",
    "Limits",
    "NumberKinds",
    "SheetData",
    "SheetInfo",
    "XlsxBook",
    "XlsxError",
    "cell_ref",
    "col_index",
    "col_letters",
    "open_workbook",
    "shown_text",
    "sniff",
    "split_ref",
    "unreadable",
]
