"""The reader on hand-written sheets: what it reads, where it stops, what it refuses.

Each case is a sheet part written by hand (the odd, the hostile and the ordinary) and
what the reader must make of it: read it whole, set aside the cells beyond its rows and
columns (kept to be reported), stop at the cell-count limit (`too-large`, the rows before
kept), or refuse it (`corrupt-workbook`). A spot check of values follows, so that
a reading that is wrong in a plausible way shows too.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from scorecard.xlsx import DEFAULT_LIMITS, Limits, XlsxBook, XlsxError, col_letters

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


# --- hand-written sheets -------------------------------------------------------------------

READS = "reads"  # read whole
STOPS = "stops"  # read up to a limit, and stopped there (too-large)
ASIDE = "aside"  # read; cells beyond the rows or columns set aside, to be reported
RAISES = "raises"  # refused: corrupt-workbook
FAST = DECLINES = AGREES = READS  # the groups of the cases, kept for their comments


@dataclass(frozen=True)
class Sheet:
    """A hand-written sheet part and what the reader should make of it."""

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
    # ordinary cells
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
    # formulas, errors, rich text, prefixes, odd markup and encodings
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
    # odd but readable
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
        AGREES,
        row(None, "<c><v>1</v></c>") + row(3, "<c><v>2</v></c>") + row(None, "<c/><c><v>3</v></c>"),
    ),
    "shared index not a number": Sheet(
        AGREES, row(1, v("A1", "\u0661", ' t="s"'), v("B1", "\uff11", ' t="s"'))
    ),
    "UTF-8 with a BOM": Sheet(
        AGREES, part=b"\xef\xbb\xbf" + sheet_xml(row(1, inline("A1", "caf\u00e9"))).encode()
    ),
    # limits: stopped there
    "dimension beyond the limits": Sheet(
        READS, row(1, v("A1", "1")), head='<dimension ref="A1:XFD1048576"/>'
    ),
    "dimension beyond the small limits": Sheet(
        READS, row(1, v("A1", "1")), head='<dimension ref="A1:F10"/>', limits=SMALL
    ),
    "single-quoted dimension beyond the limits": Sheet(
        READS, row(1, v("A1", "1")), head="<dimension ref='A1:XFD1048576'/>"
    ),
    "single-quoted row beyond the limits": Sheet(
        READS, row(1, v("A1", "1")) + "<row r='11'/>", limits=SMALL
    ),
    "dimension after the cells": Sheet(
        READS, row(1, v("A1", "1")), tail='<dimension ref="A1:A11"/>', limits=SMALL
    ),
    "cell beyond max_cols": Sheet(
        ASIDE, row(1, v("A1", "1")) + row(2, v("A2", "2"), v("F2", "3")), limits=SMALL
    ),
    "cell beyond max_rows": Sheet(
        ASIDE, row(1, v("A1", "1")) + row(11, v("A11", "2")), limits=SMALL
    ),
    "cell row beyond max_rows in an early row": Sheet(
        ASIDE, row(1, v("A1", "1"), v("B11", "2")), limits=SMALL
    ),
    "empty row beyond max_rows": Sheet(READS, row(1, v("A1", "1")) + row(11), limits=SMALL),
    "too many cells": Sheet(STOPS, GRID + row(11, v("C1", "1")), limits=Limits(max_cells=20)),
    "too many cells with merges": Sheet(
        STOPS, GRID, tail='<mergeCells><mergeCell ref="A1:B1"/></mergeCells>', limits=SMALL
    ),
    "too many rows": Sheet(
        ASIDE, "".join(row(r, v(f"A{r}", str(r))) for r in range(1, 13)), limits=SMALL
    ),
    # refused
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
    try:
        with XlsxBook(write_sheet(tmp_path, case), case.limits) as book:
            data = book.read_sheet(SHEET)
    except XlsxError as exc:
        assert case.expect == RAISES, f"refused: [{exc.code}] {exc.message}"
        assert exc.code == "corrupt-workbook"
        return
    assert case.expect != RAISES, "read a sheet that must be refused"
    if case.expect == STOPS:
        assert data.stopped is not None and data.stopped.code == "too-large"
        return
    limits = case.limits
    inside = [(c.row <= limits.max_rows and c.col <= limits.max_cols) for c in data.cells.values()]
    assert all(inside), "a cell beyond the limits was read as the sheet's"
    assert (data.beyond_count > 0) == (case.expect == ASIDE)
    assert len(data.beyond) == min(data.beyond_count, 20)
    assert data.stopped is None
    rows = data.rows()
    assert sum(len(cells) for cells in rows.values()) == len(data.cells)


def test_cells_are_what_they_seem(tmp_path: Path) -> None:
    """Numbers by type, entities and escapes undone, formulas and errors kept."""
    with XlsxBook(write_sheet(tmp_path, SHEETS["numbers"])) as book:
        data = book.read_sheet(SHEET)
    values = [data.get(1, c).value for c in range(1, 16)]  # type: ignore[union-attr]
    assert values[:5] == [0, 42, -5, 7, 42]
    assert [type(x) for x in values[:5]] == [int] * 5
    assert values[6:9] == [0.001, 1.5e-07, 1.5e300]
    assert values[11] == 2**53 and isinstance(values[11], int)
    assert values[12] == 2**53 + 1 and isinstance(values[12], int)  # all digits: an int
    assert values[13] == 12345678901234567890 and isinstance(values[13], int)
    assert values[14] == 1.152921504606847e18 and isinstance(values[14], float)  # past 2**53
    with XlsxBook(write_sheet(tmp_path, SHEETS["entities"])) as book:
        data = book.read_sheet(SHEET)
    assert data.get(1, 1).value == "a & b <c> \"q\" 's'"  # type: ignore[union-attr]
    assert data.get(1, 2).value == "caf\u00e9 \u00e9 \U0001f600 A A"  # type: ignore[union-attr]
    assert data.get(1, 3).value == "&#65; &amp; &lt;"  # type: ignore[union-attr]
    assert data.get(1, 5).value == "\n\t\r"  # type: ignore[union-attr]
    with XlsxBook(write_sheet(tmp_path, SHEETS["formulas"])) as book:
        data = book.read_sheet(SHEET)
    a1, b1, c1 = (data.get(1, c) for c in (1, 2, 3))
    assert a1 is not None and (a1.formula, a1.value, a1.no_cached_value) == ("1+1", 2, False)
    assert b1 is not None and (b1.formula, b1.value, b1.no_cached_value) == ("SUM(1,2)", None, True)
    assert c1 is not None and (c1.formula, c1.value) == ('"a"', "a")
    with XlsxBook(write_sheet(tmp_path, SHEETS["error"])) as book:
        cell = book.read_sheet(SHEET).get(1, 1)
    assert cell is not None and str(cell.value) == "#DIV/0!" and cell.value != ""
    with XlsxBook(write_sheet(tmp_path, SHEETS["prefixed worksheet"])) as book:
        data = book.read_sheet(SHEET)
    assert [c.value for c in data.cells.values()] == [1, 2]
    with XlsxBook(write_sheet(tmp_path, SHEETS["comment with fake cells"])) as book:
        data = book.read_sheet(SHEET)
    assert [(c.ref, c.value) for c in data.cells.values()] == [("A1", 1)]
    with XlsxBook(write_sheet(tmp_path, SHEETS["rows without r, cells without r"])) as book:
        data = book.read_sheet(SHEET)
    # A4 holds nothing, so it is not kept; the cell after it is still placed at B4.
    assert [(c.ref, c.value) for c in data.cells.values()] == [("A1", 1), ("A3", 2), ("B4", 3)]


def test_a_cell_outside_a_row_is_damage(tmp_path: Path) -> None:
    path = build(tmp_path / "loose.xlsx", sheet_xml('<c r="A1"><v>1</v></c>'))
    with XlsxBook(path) as book, pytest.raises(XlsxError) as raised:
        book.read_sheet(SHEET)
    assert raised.value.code == "corrupt-workbook" and "outside a row" in raised.value.message


def test_shared_strings_and_formats(tmp_path: Path) -> None:
    with XlsxBook(build(tmp_path / "parts.xlsx", sheet_xml(""))) as book:
        assert book.shared == ["first", "  padded  ", "a & b <c>", "x\ry", ""]
        assert book.formats == ["General", "0.0", "0.00%", "General"]
        assert book.number_kinds(2) == (True, False)
        assert book.number_kinds(1) == (False, False)


def test_cells_that_hold_nothing_are_not_kept_but_count_against_the_limits(tmp_path: Path):
    """A cell with only a style (the template's grey, unused months) holds no figure or
    word, so it is not kept; it still counts toward the cell limit."""
    empty = "".join(f'<c r="{col}1" s="1"/>' for col in "BCD")
    with XlsxBook(build(tmp_path / "e.xlsx", sheet_xml(row(1, v("A1", "7"), empty)))) as book:
        data = book.read_sheet(SHEET)
    assert [(c.ref, c.value) for c in data.cells.values()] == [("A1", 7)]
    many = row(1, *(f'<c r="{col}1" s="1"/>' for col in "ABCDE")) + row(2, v("A2", "1"))
    with XlsxBook(build(tmp_path / "m.xlsx", sheet_xml(many)), Limits(max_cells=5)) as book:
        data = book.read_sheet(SHEET)
    assert data.stopped is not None and data.stopped.code == "too-large"
    far = row(1, v("A1", "1"), '<c r="Z1" s="1"/>', v("Z2", "2"))
    with XlsxBook(build(tmp_path / "f.xlsx", sheet_xml(far)), Limits(max_cols=5)) as book:
        data = book.read_sheet(SHEET)
    assert data.stopped is None and [c.ref for c in data.beyond] == ["Z2"]  # Z1 held nothing
