"""XlsxBook's fast paths read exactly what its streaming and event parsers read, or decline.

`read_sheet` first tries `_read_plain` (expat checks the part, one regular expression
takes the cells); shared strings and styles first try `_plain` and patterns. The
promise: the same cells (reference, row, column, value and its type, formula, style), the
same merged ranges, the same `stopped` error, the same shared strings and number
formats as the streaming reader (`iter_rows`) and the event parsers, or None and the
reference reader does the work. Each test reads a workbook both ways and compares.

The `FIXED_*` cases each broke the promise once (found by writing these tests): the XML
that showed it, and what was wrong, kept so that it cannot come back.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest.mock import patch

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard import xlsxread
from scorecard.xlsxread import (
    DEFAULT_LIMITS,
    Cell,
    Limits,
    SheetData,
    XlsxBook,
    XlsxError,
    col_letters,
)

SS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS = f'xmlns="{SS}"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SMALL = Limits(max_rows=10, max_cols=5, max_cells=20)
SHEET = "Data"

Xml = str | bytes


# --- building workbooks by hand ----------------------------------------------------------


def sheet_xml(body: str, *, head: str = "", tail: str = "", root: str = f"<worksheet {NS}>") -> str:
    """A worksheet part: `head`, the rows in <sheetData>, then `tail`."""
    return f"{DECL}{root}{head}<sheetData>{body}</sheetData>{tail}</worksheet>"


def sst_xml(items: str) -> str:
    """A shared strings part holding `items` (<si> elements)."""
    return f"{DECL}<sst {NS}>{items}</sst>"


def styles_xml(xfs: str, num_fmts: str = "", rest: str = "") -> str:
    """A styles part: custom number formats, the cell formats, then anything else."""
    return (
        f'{DECL}<styleSheet {NS}><numFmts count="1">{num_fmts}</numFmts>'
        f'<cellStyleXfs count="1"><xf numFmtId="4"/></cellStyleXfs>'
        f"<cellXfs>{xfs}</cellXfs>{rest}</styleSheet>"
    )


SHARED = sst_xml(
    '<si><t>first</t></si><si><t xml:space="preserve">  padded  </t></si>'
    "<si><t>a &amp; b &lt;c&gt;</t></si><si><t>x_x000D_y</t></si><si><t></t></si>"
)
STYLES = styles_xml(
    '<xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="10"/><xf/>',
    '<numFmt numFmtId="164" formatCode="0.0"/>',
)


def build(
    path: Path, sheet: Xml | None, *, shared: Xml | None = SHARED, styles: Xml | None = STYLES
) -> Path:
    """A minimal .xlsx with one sheet "Data"; a part given as None is left out."""
    parts: dict[str, Xml | None] = {
        "[Content_Types].xml": f'{DECL}<Types xmlns="{PKG}/content-types"/>',
        "_rels/.rels": f'{DECL}<Relationships xmlns="{PKG}/relationships"><Relationship '
        f'Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{DECL}<workbook {NS} xmlns:r="{REL}"><sheets>'
        f'<sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'{DECL}<Relationships xmlns="{PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": shared,
        "xl/styles.xml": styles,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if data is not None:
                archive.writestr(name, data)
    return path


# --- reading both ways -------------------------------------------------------------------


def streamed(book: XlsxBook, name: str) -> SheetData:
    """The sheet as the streaming reader gives it: `read_sheet`'s fallback, on its own."""
    return book.read_streamed(name)


def cell_facts(cell: Cell) -> tuple[Any, ...]:
    """A cell, comparable: its value by type and repr (1 is not 1.0, NaN is NaN)."""
    value = cell.value
    return (cell.ref, cell.row, cell.col, type(value), repr(value), cell.formula, cell.style)


def outcome(read: Callable[[], SheetData]) -> tuple[Any, ...]:
    """Everything a read says: each cell in order, the rows, merges, why it stopped."""
    try:
        data = read()
    except XlsxError as exc:
        return ("raised", exc.code, exc.message)
    cells = [(key, cell_facts(cell)) for key, cell in data.cells.items()]
    rows = [
        (r, [(c, cell_facts(cell)) for c, cell in by_col.items()])
        for r, by_col in data.rows().items()
    ]
    stopped = (data.stopped.code, data.stopped.message) if data.stopped else None
    return ("read", data.name, data.dimension, cells, rows, list(data.merged), stopped)


def plain(book: XlsxBook, name: str = SHEET) -> SheetData | str | None:
    """What the fast path alone makes of the sheet: its data, None, or "raised"."""
    info = book.sheet(name)
    assert info is not None
    try:
        return book._read_plain(info)
    except XlsxError:
        return "raised"


def compare_sheet(book: XlsxBook, name: str = SHEET) -> tuple[Any, ...]:
    """Assert `read_sheet` (fast path first) says what the streaming reader says."""
    fast = outcome(lambda: book.read_sheet(name))
    slow = outcome(lambda: streamed(book, name))
    assert fast == slow
    return slow


@contextmanager
def event_parsed() -> Iterator[None]:
    """Books opened inside read shared strings and styles with the event parsers only."""
    with patch.object(XlsxBook, "_plain", return_value=False), nothing_remembered():
        yield


@contextmanager
def nothing_remembered() -> Iterator[None]:
    """No part taken from what earlier books parsed (restored after)."""
    with contextlib.ExitStack() as stack:
        for known in xlsxread._PARSED.values():
            stack.enter_context(patch.dict(known, clear=True))
        yield


def part_reads(path: Path) -> tuple[dict[str, Any], list[str]]:
    """Shared strings and formats read as opening does, and the parts event-parsed."""
    with (
        nothing_remembered(),
        patch.object(
            XlsxBook, "_parse_part", autospec=True, side_effect=XlsxBook._parse_part
        ) as spy,
    ):
        got = book_parts(path)
    return got, [call.args[1] for call in spy.call_args_list]


def book_parts(path: Path) -> dict[str, Any]:
    """A book's shared strings and formats, or what opening it raised."""
    try:
        with XlsxBook(path) as book:
            return {"shared": book.shared, "formats": book.formats}
    except Exception as exc:  # the event parsers raise ValueError on some digits
        return {"raised": (type(exc).__name__, str(exc))}


def compare_parts(path: Path) -> tuple[dict[str, Any], list[str]]:
    """Assert the plain readings of shared strings and styles equal the event parsers'."""
    fast, parsed = part_reads(path)
    with event_parsed():
        slow = book_parts(path)
    assert fast == slow
    return fast, parsed


# --- hand-written sheets -------------------------------------------------------------------

FAST = "fast"  # the fast path reads it
DECLINES = "declines"  # the fast path hands it to the streaming reader
STOPS = "stops"  # declined, and the streaming reader stops at a limit
RAISES = "raises"  # both refuse it, in the same words
AGREES = "agrees"  # either way, as long as both say the same


@dataclass(frozen=True)
class Sheet:
    """A hand-written sheet part and what the fast path should make of it."""

    expect: str
    body: str = ""  # rows, inside <sheetData>
    head: str = ""  # before <sheetData>
    tail: str = ""  # after </sheetData>
    limits: Limits = DEFAULT_LIMITS
    part: Xml | None = None  # the whole part, instead of body/head/tail
    whole: bool = False  # `part` is used even when None (the part is missing)

    def xml(self) -> Xml | None:
        if self.whole or self.part is not None:
            return self.part
        return sheet_xml(self.body, head=self.head, tail=self.tail)


def row(number: int | None, *cells: str) -> str:
    """A <row>, numbered unless `number` is None."""
    attr = f' r="{number}"' if number is not None else ""
    return f"<row{attr}>{''.join(cells)}</row>"


def v(ref: str, raw: str, attrs: str = "") -> str:
    """A cell holding `raw` in its <v>; `attrs` follow r=."""
    return f'<c r="{ref}"{attrs}><v>{raw}</v></c>'


def inline(ref: str, text: str, preserve: bool = True) -> str:
    """An inline string cell: <is><t>`text`</t></is>."""
    space = ' xml:space="preserve"' if preserve else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


NUMBERS = [
    "0",
    "42",
    "-5",
    "007",
    "42.0",
    "0.1",
    "1E-3",
    "1.5E-07",
    "1.5E+300",
    "-0",
    "-0.0",
    "9007199254740992",
    "9007199254740993",
    "12345678901234567890",
    "1.152921504606847E+18",
    " 12 ",
    "NaN",
    "inf",
]
GRID = "".join(  # 10 rows of 2 cells: SMALL's cell limit
    f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>{2 * r}</v></c></row>'
    for r in range(1, 11)
)

SHEETS: dict[str, Sheet] = {
    # read by the fast path
    "numbers": Sheet(FAST, row(1, *(v(f"{col_letters(i)}1", n) for i, n in enumerate(NUMBERS, 1)))),
    "explicit number type": Sheet(
        FAST, row(1, v("A1", "3", ' t="n"'), v("B1", "2.5", ' s="1" t="n"'))
    ),
    "styles": Sheet(
        FAST, row(1, v("A1", "1", ' s="1"'), v("B1", "2", ' s="007"'), v("C1", "3", ' s="0"'))
    ),
    "shared strings": Sheet(
        FAST, row(1, *(v(f"{col_letters(i + 1)}1", str(i), ' t="s"') for i in range(5)))
    ),
    "shared index with spaces": Sheet(FAST, row(1, v("A1", " 1 ", ' t="s"'))),
    "inline strings": Sheet(
        FAST,
        row(
            1,
            inline("A1", "  leading and trailing  "),
            inline("B1", "plain", preserve=False),
            inline("C1", " unpreserved ", preserve=False),
            inline("D1", ""),
            inline("E1", "line\nbreak\ttab"),
            '<c r="F1" t="inlineStr"/>',
            '<c r="G1" t="inlineStr"></c>',
        ),
    ),
    "entities": Sheet(
        FAST,
        row(
            1,
            inline("A1", "a &amp; b &lt;c&gt; &quot;q&quot; &apos;s&apos;"),
            inline("B1", "caf&#233; &#xE9; &#x1F600; &#0065; &#x000041;"),
            inline("C1", "&amp;#65; &amp;amp; &amp;lt;"),
            inline("D1", "literal é 😀 > ]"),
            inline("E1", "&#10;&#9;&#13;"),
        ),
    ),
    "escapes": Sheet(
        FAST,
        row(1, inline("A1", "a_x000D_b"), inline("B1", "_x005F_x0041_"), inline("C1", "_x00e9_")),
    ),
    "empty values": Sheet(
        FAST,
        row(
            1,
            v("A1", ""),
            v("B1", "", ' t="s"'),
            v("C1", "", ' t="str"'),
            v("D1", "", ' t="e"'),
            v("E1", "", ' t="b"'),
            v("F1", "", ' t="inlineStr"'),
            '<c r="G1"></c>',
        ),
    ),
    "self-closing cells": Sheet(
        FAST,
        row(
            1,
            '<c r="A1"/>',
            '<c r="B1" />',
            '<c r="C1" s="2"/>',
            '<c r="D1" s="3" t="s" />',
            '<c r="E1" t="str"/>',
            '<c r="F1" t="b"/>',
            '<c r="G1" t="e"/>',
            '<c r="H1" t="d"/>',
        ),
    ),
    "string type without a value": Sheet(FAST, row(1, '<c r="A1" t="str"></c>')),
    "cells out of order": Sheet(
        FAST,
        row(2, v("B2", "4"), v("A2", "3")) + row(1, v("B1", "2"), v("A1", "1")),
    ),
    "duplicate cells": Sheet(FAST, row(1, v("A1", "1"), v("B1", "2"), v("A1", "3"))),
    "cell in another row": Sheet(FAST, row(1, v("C5", "1")) + row(5, v("A5", "2"))),
    "reference with leading zeros": Sheet(FAST, row(1, v("A01", "1"), v("B001", "2"))),
    "row attributes": Sheet(FAST, '<row r="1" spans="1:2" ht="20"><c r="A1"><v>1</v></c></row>'),
    "empty sheet": Sheet(FAST, ""),
    "merged cells": Sheet(
        FAST,
        row(1, v("A1", "1")),
        tail='<mergeCells count="4"><mergeCell ref="A1:B2"/><mergeCell ref="C3:D4" />'
        '<mergeCell ref=""/><mergeCell ref="A1:B2 C3:D4 E5:F6 G7:H8 I9:J10 K11:L12"/>'
        "</mergeCells>",
    ),
    "dimension within the limits": Sheet(
        FAST, row(1, v("A1", "1")), head='<dimension ref="A1:E10"/>', limits=SMALL
    ),
    "unreadable dimension": Sheet(FAST, row(1, v("A1", "1")), head='<dimension ref="junk"/>'),
    "exactly at the limits": Sheet(
        FAST,
        row(1, v("E1", "1")) + row(10, v("A10", "2")),
        head='<dimension ref="A1:E10"/>',
        tail='<mergeCells><mergeCell ref="A1:B1"/></mergeCells>',
        limits=SMALL,
    ),
    "exactly the cell limit": Sheet(FAST, GRID, limits=SMALL),
    "whitespace between elements": Sheet(
        FAST, f'\n  <row r="1">\n    {v("A1", "1")}\n    {v("B1", "2")}\n  </row>\n'
    ),
    "no declaration": Sheet(
        FAST, part=f"<worksheet {NS}><sheetData>{row(1, v('A1', '1'))}</sheetData></worksheet>"
    ),
    # handed to the streaming reader, by design
    "formulas": Sheet(
        DECLINES,
        row(
            1,
            '<c r="A1"><f>1+1</f><v>2</v></c>',
            '<c r="B1"><f>SUM(1,2)</f></c>',
            '<c r="C1" t="str"><f>"a"</f><v>a</v></c>',
        ),
    ),
    "boolean": Sheet(DECLINES, row(1, v("A1", "1", ' t="b"'), v("B1", "0", ' t="b"'))),
    "error": Sheet(DECLINES, row(1, v("A1", "#DIV/0!", ' t="e"'))),
    "rich inline string": Sheet(
        DECLINES,
        row(1, '<c r="A1" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c>'),
    ),
    "comment with fake cells": Sheet(
        DECLINES, row(1, v("A1", "1")) + '<!-- <c r="A1"><v>9</v></c> -->'
    ),
    "CDATA": Sheet(
        DECLINES, row(1, '<c r="A1" t="inlineStr"><is><t><![CDATA[<c r="B1">]]></t></is></c>')
    ),
    "prefixed worksheet": Sheet(
        DECLINES,
        part=f'{DECL}<x:worksheet xmlns:x="{SS}"><x:sheetData><x:row r="1"><x:c r="A1">'
        '<x:v>1</x:v></x:c><x:c r="B1"><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>',
    ),
    "prefixed cells only": Sheet(
        DECLINES,
        part=sheet_xml(
            row(1, v("A1", "1"), '<x:c r="B1"><x:v>2</x:v></x:c>'),
            root=f'<worksheet {NS} xmlns:x="{SS}">',
        ),
    ),
    "attributes in another order": Sheet(
        DECLINES, row(1, '<c s="1" r="A1"><v>1</v></c>', '<c r="B1" t="n" s="1"><v>2</v></c>')
    ),
    "single-quoted attributes": Sheet(DECLINES, row(1, "<c r='A1'><v>1</v></c>")),
    "single-quoted merge": Sheet(
        DECLINES, row(1, v("A1", "1")), tail="<mergeCells><mergeCell ref='A1:B2'/></mergeCells>"
    ),
    "processing instruction": Sheet(DECLINES, row(1, v("A1", "1")) + "<?pi data?>"),
    "processing instruction before the root": Sheet(
        DECLINES,
        part=f'{DECL}<?xml-stylesheet href="x"?><worksheet {NS}><sheetData>'
        f"{row(1, v('A1', '1'))}</sheetData></worksheet>",
    ),
    "CRLF in text": Sheet(DECLINES, row(1, inline("A1", "a\r\nb"), inline("B1", "c\rd"))),
    "CRLF between elements": Sheet(DECLINES, f"\r\n{row(1, v('A1', '1'))}\r\n"),
    "UTF-16": Sheet(
        DECLINES,
        part=sheet_xml(row(1, inline("A1", "caf\u00e9 \U0001f600"), v("B1", "2")))
        .replace("UTF-8", "UTF-16")
        .encode("utf-16"),
    ),
    "ISO-8859-1": Sheet(
        DECLINES,
        part=sheet_xml(row(1, inline("A1", "caf\u00e9"), v("B1", "2")))
        .replace("UTF-8", "ISO-8859-1")
        .encode("latin-1"),
    ),
    # read either way: the fast path may learn them
    "string with a value": Sheet(AGREES, row(1, v("A1", "text", ' t="str"'))),
    "date": Sheet(AGREES, row(1, v("A1", "2008-07-01T00:00:00", ' t="d"'))),
    "inline string with a value": Sheet(
        AGREES, row(1, '<c r="A1" t="inlineStr"><v>1</v><is><t>x</t></is></c>')
    ),
    "inline string type with only a value": Sheet(
        AGREES, row(1, v("A1", "text", ' t="inlineStr"'), v("B1", "x_x0041_", ' t="inlineStr"'))
    ),
    "inline text in a string cell": Sheet(
        AGREES, row(1, '<c r="A1" t="str"><is><t>text</t></is></c>')
    ),
    "another attribute": Sheet(AGREES, row(1, v("A1", "1", ' cm="1"'))),
    "two spaces": Sheet(AGREES, row(1, '<c r="A1"  s="1"><v>1</v></c>')),
    "whitespace inside a cell": Sheet(AGREES, row(1, '<c r="A1">\n  <v>1</v>\n</c>')),
    "entity in a value": Sheet(AGREES, row(1, v("A1", "&#49;"), v("B1", "&#49;", ' t="s"'))),
    "lower-case reference": Sheet(AGREES, row(1, v("a1", "1"))),
    "cell without a reference": Sheet(AGREES, row(1, "<c><v>1</v></c>", "<c><v>2</v></c>")),
    "rows without r": Sheet(AGREES, row(None, v("A1", "1")) + row(None, v("A2", "2"))),
    "rows without r, cells without r": Sheet(
        AGREES, row(None, "<c><v>1</v></c>") + row(3, "<c><v>2</v></c>") + row(None, "<c/>")
    ),
    "shared index not a number": Sheet(
        AGREES, row(1, v("A1", "\u0661", ' t="s"'), v("B1", "\uff11", ' t="s"'))
    ),
    "UTF-8 with a BOM": Sheet(
        AGREES, part=b"\xef\xbb\xbf" + sheet_xml(row(1, inline("A1", "caf\u00e9"))).encode()
    ),
    # limits: declined, and the streaming reader stops
    "dimension beyond the limits": Sheet(
        STOPS, row(1, v("A1", "1")), head='<dimension ref="A1:XFD1048576"/>'
    ),
    "dimension beyond the small limits": Sheet(
        STOPS, row(1, v("A1", "1")), head='<dimension ref="A1:F10"/>', limits=SMALL
    ),
    "single-quoted dimension beyond the limits": Sheet(
        STOPS, row(1, v("A1", "1")), head="<dimension ref='A1:XFD1048576'/>"
    ),
    "single-quoted row beyond the limits": Sheet(
        STOPS, row(1, v("A1", "1")) + "<row r='11'/>", limits=SMALL
    ),
    "dimension after the cells": Sheet(
        STOPS, row(1, v("A1", "1")), tail='<dimension ref="A1:A11"/>', limits=SMALL
    ),
    "cell beyond max_cols": Sheet(
        STOPS, row(1, v("A1", "1")) + row(2, v("A2", "2"), v("F2", "3")), limits=SMALL
    ),
    "cell beyond max_rows": Sheet(
        STOPS, row(1, v("A1", "1")) + row(11, v("A11", "2")), limits=SMALL
    ),
    "cell row beyond max_rows in an early row": Sheet(
        STOPS, row(1, v("A1", "1"), v("B11", "2")), limits=SMALL
    ),
    "empty row beyond max_rows": Sheet(STOPS, row(1, v("A1", "1")) + row(11), limits=SMALL),
    "too many cells": Sheet(STOPS, GRID + row(11, v("C1", "1")), limits=Limits(max_cells=20)),
    "too many cells with merges": Sheet(
        STOPS, GRID, tail='<mergeCells><mergeCell ref="A1:B1"/></mergeCells>', limits=SMALL
    ),
    "too many rows": Sheet(
        STOPS, "".join(row(r, v(f"A{r}", str(r))) for r in range(1, 13)), limits=SMALL
    ),
    # refused by both, in the same words
    "not well-formed": Sheet(RAISES, row(1, '<c r="A1"><v>1</v>')),
    "not well-formed after plain cells": Sheet(
        RAISES, row(1, v("A1", "1")) + row(2, v("A2", "2")) + "<oops>"
    ),
    "empty part": Sheet(RAISES, part=b""),
    "missing part": Sheet(RAISES, whole=True),
    "DOCTYPE": Sheet(
        RAISES,
        part=f"{DECL}<!DOCTYPE worksheet><worksheet {NS}><sheetData>{row(1, v('A1', '1'))}"
        "</sheetData></worksheet>",
    ),
    "entity declaration": Sheet(
        RAISES,
        part=f'{DECL}<!DOCTYPE w [<!ENTITY e "1">]><worksheet {NS}><sheetData>'
        f"{row(1, v('A1', '&e;'))}</sheetData></worksheet>",
    ),
    "undefined entity": Sheet(RAISES, row(1, inline("A1", "&nbsp;"))),
    "number that is not": Sheet(RAISES, row(1, v("A1", "12,345"))),
    "blank number": Sheet(RAISES, row(1, v("A1", " "))),
    "shared index out of range": Sheet(RAISES, row(1, v("A1", "99", ' t="s"'))),
    "bad reference": Sheet(RAISES, row(1, v("1A", "1"))),
}


def write_sheet(tmp_path: Path, case: Sheet) -> Path:
    """A workbook holding the case's sheet, with the usual shared strings and styles."""
    return build(tmp_path / "hand.xlsx", case.xml())


@pytest.mark.parametrize("name", list(SHEETS))
def test_hand_written_sheet(tmp_path: Path, name: str) -> None:
    case = SHEETS[name]
    with XlsxBook(write_sheet(tmp_path, case), case.limits) as book:
        fast = plain(book)
        slow = compare_sheet(book)
    if case.expect == FAST:
        assert isinstance(fast, SheetData), "the fast path no longer reads this sheet"
        assert slow[0] == "read" and slow[-1] is None
    elif case.expect == AGREES:
        assert slow[0] == "read" and slow[-1] is None
    elif case.expect in (DECLINES, STOPS):
        assert fast is None, "the fast path read a sheet it is designed to decline"
        assert slow[0] == "read"
        stopped = slow[-1]
        if case.expect == STOPS:
            assert stopped is not None and stopped[0] == "too-large"
        else:
            assert stopped is None
    else:
        assert case.expect == RAISES
        assert slow[0] == "raised"
        assert fast in (None, "raised")


def test_streamed_is_read_sheets_fallback(tmp_path: Path) -> None:
    """With the fast path off, read_sheet gives what `streamed` gives: the helper is true."""
    for number, (name, case) in enumerate(SHEETS.items()):
        path = build(tmp_path / f"{number}.xlsx", case.xml())
        with (
            XlsxBook(path, case.limits) as book,
            patch.object(XlsxBook, "_read_plain", return_value=None),
        ):
            fallback = outcome(lambda b=book: b.read_sheet(SHEET))
            assert fallback == outcome(lambda b=book: streamed(b, SHEET)), name


def test_fast_cells_are_what_they_seem(tmp_path: Path) -> None:
    """A spot check of values, so that both readers being wrong the same way shows too."""
    with XlsxBook(write_sheet(tmp_path, SHEETS["numbers"])) as book:
        data = book.read_sheet(SHEET)
    values = [data.get(1, c).value for c in range(1, 16)]
    assert values[:5] == [0, 42, -5, 7, 42]
    assert [type(x) for x in values[:5]] == [int] * 5
    assert values[6:9] == [0.001, 1.5e-07, 1.5e300]
    assert values[11] == 2**53 and isinstance(values[11], int)
    assert values[12] == 2**53 + 1 and isinstance(values[12], int)  # all digits: an int
    assert values[13] == 12345678901234567890 and isinstance(values[13], int)
    assert values[14] == 1.152921504606847e18 and isinstance(values[14], float)  # past 2**53
    with XlsxBook(write_sheet(tmp_path, SHEETS["entities"])) as book:
        data = book.read_sheet(SHEET)
    assert data.get(1, 1).value == "a & b <c> \"q\" 's'"
    assert data.get(1, 2).value == "caf\u00e9 \u00e9 \U0001f600 A A"
    assert data.get(1, 3).value == "&#65; &amp; &lt;"
    assert data.get(1, 5).value == "\n\t\r"


# --- disagreements found and fixed: each was a bug in xlsxread.py's fast paths ------

# Each case's `expect` is not checked: only the comparison is run.
FIXED_SHEETS: dict[str, tuple[Sheet, str]] = {
    "row 0 reference": (
        Sheet(FAST, row(1, v("A0", "1"))),
        "streaming treats cell row 0 as 'no reference' and moves it to its row (A1); "
        "the fast path keeps A0 at row 0",
    ),
    "character reference in the dimension": (
        Sheet(FAST, row(1, v("A1", "1")), head='<dimension ref="A1:&#88;FD1048576"/>'),
        "the fast path reads the dimension's raw bytes and misses XFD1048576; streaming "
        "stops the sheet as too-large",
    ),
    "non-ASCII digits in the dimension": (
        Sheet(
            FAST,
            row(1, v("A1", "1")),
            head='<dimension ref="A1:XFD\u0661\u0660\u0664\u0668\u0665\u0667\u0666"/>',
        ),
        "split_ref's \\d takes Arabic-Indic digits; the fast path decodes ASCII with "
        "'replace' and misses the limit",
    ),
    "tab in a merged range": (
        Sheet(
            FAST, row(1, v("A1", "1")), tail='<mergeCells><mergeCell ref="A1:\tB2"/></mergeCells>'
        ),
        "expat normalises a tab in an attribute to a space; the fast path keeps the tab",
    ),
    "newline in a merged range": (
        Sheet(
            FAST, row(1, v("A1", "1")), tail='<mergeCells><mergeCell ref="A1:B2\n"/></mergeCells>'
        ),
        "expat normalises a newline in an attribute to a space; the fast path keeps it",
    ),
    "character references with long leading zeros": (
        Sheet(FAST, row(1, inline("A1", "&#00000065; &#x0000041;"))),
        "_ENTITY_RE takes at most 7 decimal / 6 hex digits; expat takes any number",
    ),
    "undeclared prefix": (
        Sheet(FAST, row(1, v("A1", "1")) + "<foo:bar/>"),
        "plain expat has no namespaces; ElementTree refuses an unbound prefix, so "
        "streaming raises corrupt-workbook while the fast path reads the cells",
    ),
    "prefix undeclared with xmlns:y=''": (
        Sheet(FAST, row(1, v("A1", "1")), head='<sheetPr xmlns:y=""/>'),
        "namespace well-formedness: ElementTree refuses it, plain expat does not",
    ),
    "non-ASCII prefix on a cell": (
        Sheet(
            FAST,
            part=sheet_xml(
                row(1, v("A1", "1"), '<\u00e9:c r="B1"><\u00e9:v>2</\u00e9:v></\u00e9:c>'),
                root=f'<worksheet {NS} xmlns:\u00e9="{SS}">',
            ),
        ),
        "_ODD_MARKUP_RE's prefix pattern is ASCII only, so <é:c> is invisible to the fast "
        "path: the cell is lost",
    ),
    "non-ASCII prefix on a merged range": (
        Sheet(
            FAST,
            part=sheet_xml(
                row(1, v("A1", "1")),
                tail='<mergeCells><\u00e9:mergeCell ref="A1:B2"/></mergeCells>',
                root=f'<worksheet {NS} xmlns:\u00e9="{SS}">',
            ),
        ),
        "<é:mergeCell> is invisible to the fast path: the merge is lost",
    ),
    "non-ASCII prefix on a dimension beyond the limits": (
        Sheet(
            FAST,
            part=sheet_xml(
                row(1, v("A1", "1")),
                head='<\u00e9:dimension ref="A1:XFD1048576"/>',
                root=f'<worksheet {NS} xmlns:\u00e9="{SS}">',
            ),
        ),
        "<é:dimension> is invisible to the fast path: the limit is not applied",
    ),
    "non-ASCII prefix on a row beyond the limits": (
        Sheet(
            FAST,
            part=sheet_xml(
                row(1, v("A1", "1")) + '<\u00e9:row r="11"/>',
                root=f'<worksheet {NS} xmlns:\u00e9="{SS}">',
            ),
            limits=SMALL,
        ),
        "<é:row r='11'> is invisible to the fast path: the limit is not applied",
    ),
}


@pytest.mark.parametrize(
    "name",
    [pytest.param(name, id=name) for name in FIXED_SHEETS],
)
def test_fixed_sheet_disagreement(tmp_path: Path, name: str) -> None:
    case = FIXED_SHEETS[name][0]
    with XlsxBook(write_sheet(tmp_path, case), case.limits) as book:
        compare_sheet(book)


# --- shared strings and styles -------------------------------------------------------------

STRINGS: dict[str, tuple[Xml, bool]] = {  # the part, and whether patterns read it
    "plain": (sst_xml("<si><t>a</t></si><si><t>b c</t></si>"), True),
    "preserved spaces": (
        sst_xml('<si><t xml:space="preserve">  a  </t></si><si><t> loose </t></si>'),
        True,
    ),
    "entities": (
        sst_xml(
            "<si><t>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;</t></si>"
            "<si><t>&#233;&#xE9;&#x1F600;&#0065;&#10;&#13;&#9;</t></si><si><t>&amp;amp;</t></si>"
        ),
        True,
    ),
    "escapes": (sst_xml("<si><t>a_x000D_b _x005F_x0041_ _x0009_</t></si>"), True),
    "empty text": (sst_xml("<si><t></t></si><si><t>x</t></si>"), True),
    "newlines and non-BMP": (sst_xml("<si><t>a\nb \U0001f600 \u00e9</t></si>"), True),
    "count attributes": (
        f'{DECL}<sst {NS} count="2" uniqueCount="2"><si><t>a</t></si><si><t>b</t></si></sst>',
        True,
    ),
    "none": (sst_xml(""), True),
    "rich text": (
        sst_xml("<si><r><t>a</t></r><r><rPr><b/></rPr><t>b</t></r></si><si><t>plain</t></si>"),
        False,
    ),
    "phonetic runs": (
        sst_xml(
            '<si><t>kanji</t><rPh sb="0" eb="1"><t>kana</t></rPh><phoneticPr fontId="1"/></si>'
        ),
        False,
    ),
    "self-closing si": (sst_xml("<si/><si><t>x</t></si>"), False),
    "self-closing t": (sst_xml("<si><t/></si>"), False),
    "prefixed": (
        f'{DECL}<x:sst xmlns:x="{SS}"><x:si><x:t>a</x:t></x:si></x:sst>',
        False,
    ),
    "comment": (sst_xml("<!-- <si><t>fake</t></si> --><si><t>real</t></si>"), False),
    "CDATA": (sst_xml("<si><t><![CDATA[<b>]]></t></si>"), False),
    "CRLF": (sst_xml("<si><t>a\r\nb</t></si>"), False),
    "UTF-16": (
        sst_xml("<si><t>caf\u00e9</t></si>").replace("UTF-8", "UTF-16").encode("utf-16"),
        False,
    ),
    "ISO-8859-1": (
        sst_xml("<si><t>caf\u00e9</t></si>").replace("UTF-8", "ISO-8859-1").encode("latin-1"),
        False,
    ),
}

FORMATS: dict[str, tuple[Xml, bool]] = {
    "builtin and custom": (
        styles_xml(
            '<xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="9"/>'
            '<xf fontId="1"/><xf numFmtId="165"/><xf numFmtId="50"/><xf numFmtId="x"/>'
            '<xf numFmtId="014"/>',
            '<numFmt numFmtId="164" formatCode="&quot;\u00a3&quot;#,##0"/>'
            '<numFmt numFmtId="165" formatCode="[Red]0.0%;[&lt;0]\\-0" />',
        ),
        True,
    ),
    "children and odd values": (
        styles_xml(
            '<xf numFmtId="3" xfId="0"><alignment horizontal="left"/></xf>'
            '<xf name="a&gt;b" numFmtId="4"></xf><xf\nnumFmtId="10"/>',
            '<numFmt numFmtId="166" formatCode="d&#10;mmm"/>',
        ),
        True,
    ),
    "number format in dxfs": (
        styles_xml(
            '<xf numFmtId="164"/><xf numFmtId="170"/>',
            '<numFmt numFmtId="164" formatCode="0.0"/>',
            '<dxfs count="1"><dxf><numFmt numFmtId="170" formatCode="0.000"/></dxf></dxfs>',
        ),
        True,
    ),
    "a number format redefined": (
        styles_xml(
            '<xf numFmtId="164"/>',
            '<numFmt numFmtId="164" formatCode="0.0"/><numFmt numFmtId="164" formatCode="0.00"/>',
        ),
        True,
    ),
    "empty cellXfs": (
        f'{DECL}<styleSheet {NS}><cellXfs count="0"/></styleSheet>',
        True,
    ),
    "no cellXfs": (
        f'{DECL}<styleSheet {NS}><cellStyleXfs><xf numFmtId="3"/></cellStyleXfs></styleSheet>',
        False,
    ),
    "single-quoted xf": (styles_xml("<xf numFmtId='10'/><xf numFmtId=\"9\"/>"), False),
    "single-quoted numFmt": (
        styles_xml('<xf numFmtId="164"/>', "<numFmt numFmtId='164' formatCode='0.0'/>"),
        False,
    ),
    "numFmt attributes in another order": (
        styles_xml('<xf numFmtId="164"/>', '<numFmt formatCode="0.0" numFmtId="164"/>'),
        False,
    ),
    "tab in a format code": (
        styles_xml('<xf numFmtId="164"/>', '<numFmt numFmtId="164" formatCode="0\t0"/>'),
        False,
    ),
    "prefixed": (
        f'{DECL}<x:styleSheet xmlns:x="{SS}"><x:cellXfs><x:xf numFmtId="9"/></x:cellXfs>'
        "</x:styleSheet>",
        False,
    ),
    "comment": (styles_xml('<!-- <xf numFmtId="9"/> --><xf numFmtId="10"/>'), False),
    "two cellXfs": (
        f'{DECL}<styleSheet {NS}><cellXfs><xf numFmtId="9"/></cellXfs>'
        '<cellXfs><xf numFmtId="10"/></cellXfs></styleSheet>',
        False,
    ),
    "UTF-16": (
        styles_xml('<xf numFmtId="164"/>', '<numFmt numFmtId="164" formatCode="\u00a30"/>')
        .replace("UTF-8", "UTF-16")
        .encode("utf-16"),
        False,
    ),
}

EMPTY_SHEET = sheet_xml("")


@pytest.mark.parametrize("name", list(STRINGS))
def test_shared_strings(tmp_path: Path, name: str) -> None:
    xml, fast = STRINGS[name]
    got, parsed = compare_parts(build(tmp_path / "s.xlsx", EMPTY_SHEET, shared=xml))
    assert "raised" not in got
    assert ("xl/sharedStrings.xml" not in parsed) is fast


@pytest.mark.parametrize("name", list(FORMATS))
def test_number_formats(tmp_path: Path, name: str) -> None:
    xml, fast = FORMATS[name]
    got, parsed = compare_parts(build(tmp_path / "s.xlsx", EMPTY_SHEET, styles=xml))
    assert "raised" not in got
    assert ("xl/styles.xml" not in parsed) is fast


def test_parts_are_what_they_seem(tmp_path: Path) -> None:
    """A spot check of what both readers give, so both being wrong the same way shows."""
    path = build(
        tmp_path / "s.xlsx",
        EMPTY_SHEET,
        shared=STRINGS["entities"][0],
        styles=FORMATS["builtin and custom"][0],
    )
    with XlsxBook(path) as book:
        assert book.shared == ["a & b <c> \"d\" 'e'", "\u00e9\u00e9\U0001f600A\n\r\t", "&amp;"]
        assert book.formats == [
            "General",
            '"\u00a3"#,##0',
            "0%",
            "General",
            "[Red]0.0%;[<0]\\-0",
            "General",
            "General",
            "mm-dd-yy",
        ]


FIXED_STRINGS: dict[str, tuple[Xml, str]] = {
    "character references with long leading zeros": (
        sst_xml("<si><t>&#00000065;&#x0000041;</t></si>"),
        "_ENTITY_RE takes at most 7 decimal / 6 hex digits; expat takes any number",
    ),
    "UTF-16LE without a BOM": (
        sst_xml("<si><t>a</t></si>").replace("UTF-8", "UTF-16").encode("utf-16-le"),
        "_plain_prolog sees no '<?' in UTF-16 bytes, expat reads the part, the byte patterns "
        "find no <si> and count none: the strings become []",
    ),
    "UTF-16BE without a BOM": (
        sst_xml("<si><t>a</t></si>").replace("UTF-8", "UTF-16").encode("utf-16-be"),
        "as UTF-16LE: the shared strings become []",
    ),
    "non-ASCII prefix": (
        f'{DECL}<sst {NS} xmlns:\u00e9="{SS}"><si><t>a</t></si><\u00e9:si><\u00e9:t>b'
        "</\u00e9:t></\u00e9:si></sst>",
        "_ODD_STRINGS_RE's prefix pattern is ASCII only: <é:si> is not counted, and lost",
    ),
}

FIXED_FORMATS: dict[str, tuple[Xml, str]] = {
    "character reference in numFmtId": (
        styles_xml('<xf numFmtId="&#49;"/>'),
        "_NUMFMT_ID_RE reads the raw bytes '&#49;' (General); the parser reads 1 ('0')",
    ),
    "spaces around =": (
        styles_xml('<xf numFmtId = "3"/><xf numFmtId\n="4"/>'),
        '_NUMFMT_ID_RE wants numFmtId=" with no space: General instead of #,##0',
    ),
    "non-ASCII digit in numFmtId": (
        styles_xml('<xf numFmtId="\u0663"/>'),
        "str.isdigit takes Arabic-Indic 3 in the parser (#,##0); bytes.isdigit does not",
    ),
    "superscript digit in numFmtId": (
        styles_xml('<xf numFmtId="\u00b2"/>'),
        "the event parser raises ValueError (isdigit is true, int() fails); the fast path "
        "reads General",
    ),
    "non-ASCII prefix on an xf": (
        f'{DECL}<styleSheet {NS} xmlns:\u00e9="{SS}"><cellXfs><xf numFmtId="3"/>'
        '<\u00e9:xf numFmtId="4"/></cellXfs></styleSheet>',
        "_ODD_STYLES_RE's prefix pattern is ASCII only: <é:xf> is lost",
    ),
    "character references with long leading zeros": (
        styles_xml('<xf numFmtId="164"/>', '<numFmt numFmtId="164" formatCode="&#00000048;.0"/>'),
        "_ENTITY_RE takes at most 7 decimal digits; expat takes any number",
    ),
}


@pytest.mark.parametrize(
    "name",
    [pytest.param(name, id=name) for name in FIXED_STRINGS],
)
def test_fixed_shared_strings_disagreement(tmp_path: Path, name: str) -> None:
    compare_parts(build(tmp_path / "s.xlsx", EMPTY_SHEET, shared=FIXED_STRINGS[name][0]))


@pytest.mark.parametrize(
    "name",
    [pytest.param(name, id=name) for name in FIXED_FORMATS],
)
def test_fixed_number_format_disagreement(tmp_path: Path, name: str) -> None:
    compare_parts(build(tmp_path / "s.xlsx", EMPTY_SHEET, styles=FIXED_FORMATS[name][0]))


# --- properties ------------------------------------------------------------------------------

TEXT = st.lists(
    st.sampled_from([*" a1.,-%&<>\"'\n\t\u00e9\u00a3\U0001f600_x0D", "_x000D_", "_x005F_"]),
    max_size=8,
).map("".join)
VALUES = st.one_of(
    st.none(),
    st.integers(-(2**62), 2**62),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
GRIDS = st.lists(st.lists(VALUES, min_size=1, max_size=5), min_size=1, max_size=5)
PROPERTY = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check_book(path: Path) -> None:
    """Every sheet, the shared strings and the formats agree, and patterns read them all."""
    _, parsed = compare_parts(path)
    assert not [p for p in parsed if p.endswith(("sharedStrings.xml", "styles.xml"))]
    with XlsxBook(path) as book:
        for name in book.sheet_names:
            compare_sheet(book, name)
            assert isinstance(plain(book, name), SheetData), name


@PROPERTY
@given(grid=GRIDS, merge=st.booleans())
def test_xlsxwriter_grids(tmp_path: Path, grid: list[list[Any]], merge: bool) -> None:
    path = tmp_path / "xw.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    percent = wb.add_format({"num_format": "0.0%"})
    ws = wb.add_worksheet("Data")
    other = wb.add_worksheet("Other")
    for r, values in enumerate(grid):
        for c, value in enumerate(values):
            if value is None:
                ws.write_blank(r, c, None, percent)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
                other.write_string(c, r, value[::-1])
            else:
                ws.write_number(r, c, value, percent if c % 2 else None)
    if merge:
        ws.merge_range(6, 0, 6, 2, "merged")
    wb.close()
    check_book(path)


@PROPERTY
@given(grid=GRIDS)
def test_openpyxl_grids(tmp_path: Path, grid: list[list[Any]]) -> None:
    path = tmp_path / "op.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for r, values in enumerate(grid, 1):
        for c, value in enumerate(values, 1):
            cell = ws.cell(r, c)
            cell.value = value  # TEXT has no "=": never a formula
            if c == 2:
                cell.number_format = "0%"
    ws.merge_cells("G1:H2")
    wb.save(path)
    check_book(path)  # openpyxl writes strings inline: <is><t>


# A cell as hand-written XML: every plain shape the fast path reads, and some it declines.
CELL_SHAPES = st.sampled_from(
    [
        '<c r="{ref}"><v>{num}</v></c>',
        '<c r="{ref}" s="{s}"><v>{num}</v></c>',
        '<c r="{ref}" t="n"><v>{num}</v></c>',
        '<c r="{ref}" s="{s}" t="s"><v>{idx}</v></c>',
        '<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>',
        '<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>',
        '<c r="{ref}"/>',
        '<c r="{ref}" s="{s}" />',
        '<c r="{ref}" t="str"/>',
        '<c r="{ref}"><v></v></c>',
        '<c r="{ref}" t="b"><v>1</v></c>',
        '<c r="{ref}" t="e"><v>#N/A</v></c>',
        '<c r="{ref}"><f>1+1</f><v>{num}</v></c>',
        '<c s="{s}" r="{ref}"><v>{num}</v></c>',
        "<c r='{ref}'><v>{num}</v></c>",
        "<c><v>{num}</v></c>",
    ]
)
RAW_NUMBERS = st.sampled_from(["0", "1", "-5", "007", "2.5", "1E-3", "1.5E+300", " 7 ", "2e62"])
RAW_TEXT = st.lists(
    st.sampled_from(
        [
            "a",
            " ",
            "\n",
            "\t",
            "\u00e9",
            "\U0001f600",
            "&amp;",
            "&lt;",
            "&gt;",
            "&quot;",
            "&#233;",
            "&#x1F600;",
            "&#10;",
            "_x000D_",
            "_x005F_",
            ">",
        ]
    ),
    max_size=6,
).map("".join)


@st.composite
def raw_cells(draw: st.DrawFn) -> str:
    """One cell of a hand-written sheet, somewhere in A1:G12."""
    col = draw(st.integers(1, 7))
    row_no = draw(st.integers(1, 12))
    shape = draw(CELL_SHAPES)
    return shape.format(
        ref=f"{col_letters(col)}{row_no}",
        num=draw(RAW_NUMBERS),
        s=draw(st.sampled_from(["0", "1", "2", "01"])),
        idx=draw(st.integers(0, 4)),
        text=draw(RAW_TEXT),
    )


@st.composite
def raw_sheets(draw: st.DrawFn) -> str:
    """A hand-written sheet: rows (numbered or not), a dimension, merged ranges."""
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        number = draw(st.one_of(st.none(), st.integers(1, 12)))
        rows.append(row(number, *draw(st.lists(raw_cells(), max_size=5))))
    dimension = draw(st.sampled_from(["", "A1", "A1:E10", "A1:G12", "B2:F11"]))
    merges = draw(st.lists(st.sampled_from(["A1:B2", "C3:E3", ""]), max_size=3))
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    tail = "".join(f'<mergeCell ref="{m}"/>' for m in merges)
    if tail:
        tail = f"<mergeCells>{tail}</mergeCells>"
    return sheet_xml("".join(rows), head=head, tail=tail)


@PROPERTY
@given(xml=raw_sheets(), small=st.booleans())
def test_hand_written_grids(tmp_path: Path, xml: str, small: bool) -> None:
    path = build(tmp_path / "raw.xlsx", xml)
    with XlsxBook(path, SMALL if small else DEFAULT_LIMITS) as book:
        compare_sheet(book)


# --- parts parsed once, by their bytes ------------------------------------------------------


def test_a_part_met_again_byte_for_byte_is_not_parsed_again(tmp_path: Path) -> None:
    rich = sst_xml("<si><r><t>rich</t></r><r><t> text</t></r></si><si><t>plain</t></si>")
    first = build(tmp_path / "a.xlsx", EMPTY_SHEET, shared=rich)
    second = build(tmp_path / "b.xlsx", EMPTY_SHEET, shared=rich)
    with nothing_remembered():
        opened = book_parts(first)
        with (
            patch.object(XlsxBook, "_parse_part", autospec=True) as parse,
            patch.object(XlsxBook, "_plain", autospec=True) as plain,
        ):
            again = book_parts(second)
    assert again == opened
    assert opened["shared"] == ["rich text", "plain"]  # rich text: event-parsed, then kept
    parse.assert_not_called()  # workbook, relationships, strings, styles: all remembered
    plain.assert_not_called()


def test_parts_that_differ_by_a_byte_are_parsed_apart(tmp_path: Path) -> None:
    percent = styles_xml('<xf numFmtId="0"/><xf numFmtId="10"/>')
    comma = styles_xml('<xf numFmtId="0"/><xf numFmtId="3"/>')
    with nothing_remembered():
        one = book_parts(build(tmp_path / "a.xlsx", EMPTY_SHEET, styles=percent))
        other = book_parts(build(tmp_path / "b.xlsx", EMPTY_SHEET, styles=comma))
        again = book_parts(build(tmp_path / "c.xlsx", EMPTY_SHEET, styles=percent))
    assert one["formats"] == again["formats"] == ["General", "0.00%"]
    assert other["formats"] == ["General", "#,##0"]


def test_what_is_remembered_is_bounded(tmp_path: Path) -> None:
    with nothing_remembered():
        for i in range(xlsxread._PARSED_MAX + 10):
            shared = sst_xml(f"<si><t>string {i}</t></si>")
            assert book_parts(build(tmp_path / "s.xlsx", EMPTY_SHEET, shared=shared))["shared"] == [
                f"string {i}"
            ]
        assert 0 < len(xlsxread._PARSED["strings"]) <= xlsxread._PARSED_MAX
        assert len(xlsxread._PARSED["styles"]) == 1  # the same styles part throughout
