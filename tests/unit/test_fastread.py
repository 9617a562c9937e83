"""scorecard.fastread gives exactly the cells scorecard.xlsxread gives, and its refusals.

Each test reads a workbook with both readers and compares every sheet: the cells (their
references, rows, columns, values, formulas and styles, in the same order), the merged
ranges and why a sheet was cut short. The workbooks are the samples and templates, files
written by openpyxl and xlsxwriter, and parts written by hand for what no writer
produces (cells without references, namespace prefixes, sparse sheets, odd whitespace).
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard import fastread, xlsxread
from scorecard.xlsxread import ErrorValue, Limits, XlsxBook, XlsxError

needs_calamine = pytest.mark.skipif(
    not fastread.AVAILABLE, reason="python-calamine is not installed: fastread is xlsxread"
)

ROOT = Path(__file__).resolve().parents[2]
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def read_all(open_book: Any, path: Path, limits: Limits | None = None) -> dict[str, Any]:
    """Everything a reader says about a workbook, or the refusal it raises."""
    try:
        book = open_book(path, limits or Limits())
    except XlsxError as exc:
        return {"refused": (exc.code, exc.message)}
    out: dict[str, Any] = {"sheets": book.sheet_names, "date1904": book.date1904}
    with book:
        for name in book.sheet_names:
            try:
                data = book.read_sheet(name)
            except XlsxError as exc:
                out[name] = ("raised", exc.code, exc.message)
                continue
            stopped = (data.stopped.code, data.stopped.message) if data.stopped else None
            cells = [(key, cell) for key, cell in data.cells.items()]
            merged = getattr(data, "merged", None)
            styles = {c.style for _, c in cells}
            formats = [
                (s, book.number_format(s), book.is_date_format(s), book.is_percent_format(s))
                for s in sorted(styles)
            ]
            out[name] = (cells, merged, stopped, formats)
            try:
                out[name + " rows"] = [list(row) for row in book.iter_rows(name)]
            except XlsxError as exc:
                out[name + " rows"] = ("raised", exc.code)
    return out


def same(path: Path, limits: Limits | None = None, *, fast_path: bool = False) -> dict[str, Any]:
    """Assert both readers agree on `path`; return what they read.

    With `fast_path`, also assert that calamine read every sheet (no sheet was handed
    back to xlsxread), so the comparison tests the fast path and not the fallback.
    """
    slow = read_all(xlsxread.open_workbook, path, limits)
    fallbacks: list[str] = []
    original = fastread.FastBook._read_fast

    def spy(self: Any, name: str, part: str) -> Any:
        try:
            return original(self, name, part)
        except fastread._Fallback:
            fallbacks.append(name)
            raise

    fastread.FastBook._read_fast = spy  # type: ignore[method-assign]
    try:
        fast = read_all(fastread.open_workbook, path, limits)
    finally:
        fastread.FastBook._read_fast = original  # type: ignore[method-assign]
    assert fast == slow
    if fast_path:
        assert not fallbacks, f"read by xlsxread, not calamine: {fallbacks}"
    return slow


def cells_of(result: dict[str, Any], sheet: str) -> dict[str, Any]:
    return {cell.ref: cell for _, cell in result[sheet][0]}


def raw_xlsx(path: Path, sheet_data: str, *, head: str = "", tail: str = "", **kw: Any) -> Path:
    """A minimal workbook written by hand, for what Excel writers never produce."""
    shared: list[str] | None = kw.get("shared")
    root = kw.get("root", f"<worksheet {NS}>")
    end = kw.get("end", "</worksheet>")
    data = kw.get("data", ("<sheetData>", "</sheetData>"))
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.'
        'openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook {NS} xmlns:r="{REL}"><sheets>'
        '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
        f'Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?>{root}{head}{data[0]}'
        f"{sheet_data}{data[1]}{tail}{end}",
    }
    if shared is not None:
        items = "".join(f"<si>{s if s.startswith('<') else f'<t>{s}</t>'}</si>" for s in shared)
        parts["xl/sharedStrings.xml"] = f'<?xml version="1.0"?><sst {NS}>{items}</sst>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return path


# --- the project's own workbooks -------------------------------------------------------

OWN = sorted(
    [
        *ROOT.glob("samples/returns/*/*.xlsx"),
        *ROOT.glob("samples/*/returns/*/*.xlsx"),
        *ROOT.glob("workbook_templates/*.xlsx"),
        *ROOT.glob("samples/*/workbook_templates/*.xlsx"),
    ]
)


@needs_calamine
@pytest.mark.parametrize("path", OWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_samples_and_templates(path: Path) -> None:
    result = same(path, fast_path=True)
    assert "refused" not in result


@needs_calamine
def test_a_filled_template(mini_templates: Path, tmp_path: Path, fill: Any) -> None:
    """A template filled by openpyxl as a lead fills it: figures, n/a, text, a date."""
    returns = {
        "crime": {
            ("sac", "offences", "2008-05"): 12_345,
            ("sac", "offences", "2008-06"): "12,345",
            ("sac", "offences", "2008-07"): " 42 ",
            ("dv-arrests", "arrests", "2008-07"): 65.8,
            ("dv-arrests", "offences", "2008-07"): "n/a - not yet recorded",
        },
        "surveys": {("victim-sat", "satisfied", "2008-06"): "=1/0"},
        "ct": {("ct-milestones", "progress", "2008-07"): "  On track.\nBoard met.  "},
    }
    for owner, entries in returns.items():
        path = tmp_path / f"{owner}.xlsx"
        fill(owner, path, entries)
        same(path, fast_path=True)
    for template in mini_templates.glob("*.xlsx"):
        same(template, fast_path=True)


# --- cells written by the usual writers ---------------------------------------------------


@needs_calamine
def test_openpyxl_cells(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Return"
    values: list[Any] = [
        42,
        -5,
        0,
        3.25,
        1e-7,
        12345678901234,
        2**60,
        "12,345",
        "042",
        " 42 ",
        "  two spaces  ",
        "line\nbreak",
        "tab\there",
        "a & b <c>",
        "£2,900,000",
        "65.8%",
        "n/a - survey not run",
        "",
        True,
        False,
        datetime(2008, 8, 8, 9, 30),
        date(2008, 7, 1),
        "=1/0",
        "=SUM(1,2)",
        '="text"',
        "#DIV/0!",
    ]
    for i, value in enumerate(values, 1):
        ws.cell(i, 1).value = value
        ws.cell(i, 2).value = value
        ws.cell(i, 2).number_format = "0.0%"
    ws.cell(1, 4).value = "merged"
    ws.merge_cells("D1:F2")
    path = tmp_path / "openpyxl.xlsx"
    wb.save(path)
    result = same(path, fast_path=True)
    cells = cells_of(result, "Return")
    assert cells["A1"].value == 42 and isinstance(cells["A1"].value, int)
    assert cells["A23"].no_cached_value  # =1/0 never calculated


@needs_calamine
def test_xlsxwriter_cells(tmp_path: Path) -> None:
    path = tmp_path / "xlsxwriter.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet("Return")
    date_format = wb.add_format({"num_format": "d mmm yyyy"})
    percent = wb.add_format({"num_format": "0.0%"})
    ws.write_number(0, 0, 42)
    ws.write_number(0, 1, 0.658, percent)
    ws.write_number(0, 2, 1.5e300)
    ws.write_number(0, 3, -0.0)
    ws.write_string(0, 4, "  padded  ")
    ws.write_string(0, 5, "12,345")
    ws.write_boolean(0, 6, True)
    ws.write_datetime(0, 7, datetime(2008, 8, 8), date_format)
    ws.write_formula(1, 0, "=1/0", None, "#DIV/0!")
    ws.write_formula(1, 1, "=SUM(1,2)", None, 3)
    ws.write_formula(1, 2, '="a"&"b"', None, "ab")
    ws.write_formula(1, 3, "=TRUE()", None, True)
    ws.write_formula(1, 4, "=NA()", None, "#N/A")
    ws.write_formula(1, 5, "=A1*2", None, "")  # a string result that is empty
    ws.write_blank(2, 0, None, percent)
    ws.write_rich_string(3, 0, "rich ", wb.add_format({"bold": True}), "text")
    ws.merge_range(4, 0, 4, 3, "a merged title", None)
    ws.write_number(99, 30, 7)
    wb.close()
    result = same(path, fast_path=True)
    cells = cells_of(result, "Return")
    assert cells["A2"].value == ErrorValue("#DIV/0!")
    assert cells["B2"].value == 3 and cells["B2"].formula == "SUM(1,2)"


# --- parts written by hand ---------------------------------------------------------------

HAND = {
    "errors": '<row r="1"><c r="A1" t="e"><v>#DIV/0!</v></c><c r="B1" t="e"><v>#REF!</v></c>'
    '<c r="C1" t="e"><f>NA()</f><v>#N/A</v></c><c r="D1" t="e"/></row>',
    "formulas without values": '<row r="1"><c r="A1"><f>SUM(1,2)</f></c>'
    '<c r="B1" t="str"><f>A1</f></c><c r="C1" t="str"><f>A1</f><v></v></c>'
    '<c r="D1"><f t="shared" ref="D1:D2" si="0">A1</f><v>3</v></c>'
    '<c r="E1" t="b"><f>TRUE()</f></c><c r="F1" s="1"><f>A1&amp;"x"</f></c></row>'
    '<row r="2"><c r="D2"><f t="shared" si="0"/></c></row>',
    "numbers": '<row r="1"><c r="A1"><v>42</v></c><c r="B1"><v>42.0</v></c><c r="C1"><v>1E3</v>'
    '</c><c r="D1"><v>-5</v></c><c r="E1"><v>0.1</v></c><c r="F1"><v>007</v></c>'
    '<c r="G1"><v>12345678901234567890</v></c><c r="H1"><v>9007199254740993</v></c>'
    '<c r="I1"><v>-0</v></c><c r="J1"><v>1.5E+300</v></c><c r="K1"><v></v></c></row>',
    "shared strings": '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"/></row>',
    "inline strings": '<row r="1"><c r="A1" t="inlineStr"><is><t>plain</t></is></c>'
    '<c r="B1" t="inlineStr"><is><r><t>ab</t></r><r><t xml:space="preserve"> cd</t></r>'
    '<rPh sb="0" eb="1"><t>zz</t></rPh></is></c><c r="C1" t="inlineStr"/>'
    '<c r="D1" t="inlineStr"><is><t>12,345</t></is></c></row>',
    "booleans and dates": '<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c>'
    '<c r="C1" t="b"/><c r="D1" t="d"><v>2008-07-01T00:00:00</v></c></row>',
    "styled blanks": '<row r="1"><c r="A1" s="1"/><c r="B1" s="2"></c><c r="C1"/></row>'
    '<row r="3" spans="1:2"><c r="B3" s="1"><v>5</v></c></row>',
    "offset": '<row r="7"><c r="K7"><v>1</v></c><c r="M7" t="s"><v>0</v></c></row>'
    '<row r="9"><c r="L9"><v>2.5</v></c></row>',
    "entities": '<row r="1"><c r="A1" t="inlineStr"><is><t>a &amp; b &lt;c&gt; &#169;</t>'
    "</is></c></row>",
    "unsorted rows": '<row r="3"><c r="A3"><v>3</v></c></row><row r="1"><c r="B1"><v>1</v>'
    "</c></row>",
    "a cell twice": '<row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c></row>',
    "no references": '<row><c><v>1</v></c><c t="s"><v>0</v></c></row><row><c><v>2</v></c></row>',
    "odd attribute order": '<row r="1"><c t="s" r="A1"><v>0</v></c>'
    '<c r="B1" t="n" s="1"><v>3</v></c></row>',
    "loose whitespace": '<row r="1"><c r="A1" t="inlineStr"><is><t>  spaced  </t></is></c>'
    '<c r="B1" t="s"><v>4</v></c></row>',
    "escapes": '<row r="1"><c r="A1" t="inlineStr"><is><t>a_x000D_b _x005F_x0041_</t></is>'
    '</c><c r="B1" t="s"><v>5</v></c></row>',
    "carriage return": '<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">a\r\nb'
    "</t></is></c></row>",
}
# What the fast path hands back to xlsxread rather than risk a difference.
XLSXREAD_READS = {
    "a cell twice",
    "no references",
    "odd attribute order",
    "loose whitespace",
    "escapes",
    "carriage return",
}
SHARED = [
    "first",
    '<r><t>rich</t></r><r><t xml:space="preserve"> text</t></r>',
    '<t xml:space="preserve">  preserved  </t>',
    "<t/>",
    " loose ",
    "x_x0042_y",
]


@needs_calamine
@pytest.mark.parametrize("name", list(HAND))
def test_hand_written(tmp_path: Path, name: str) -> None:
    # the last two shared strings make calamine's reading of the table untrustworthy
    shared = SHARED if name in XLSXREAD_READS else SHARED[:4]
    fast = name not in XLSXREAD_READS
    same(raw_xlsx(tmp_path / "hand.xlsx", HAND[name], shared=shared), fast_path=fast)


@needs_calamine
def test_merged_cells_and_dimension(tmp_path: Path) -> None:
    path = raw_xlsx(
        tmp_path / "merged.xlsx",
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
        head='<dimension ref="A1:C2"/>',
        tail='<mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="A2:B2"/></mergeCells>',
        shared=SHARED[:4],
    )
    same(path, fast_path=True)


@needs_calamine
def test_namespace_prefix(tmp_path: Path) -> None:
    ns = NS.replace("xmlns=", "xmlns:x=")
    path = raw_xlsx(
        tmp_path / "prefix.xlsx",
        '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="B1" t="e"><x:v>#REF!</x:v></x:c>'
        "</x:row>",
        root=f"<x:worksheet {ns}>",
        end="</x:worksheet>",
        data=("<x:sheetData>", "</x:sheetData>"),
    )
    same(path)


# --- limits: the crafted sheets calamine must never see ---------------------------------


class _Spy:
    """Stands in for CalamineWorkbook and records whether it was used."""

    used = False

    @classmethod
    def from_filelike(cls, *args: Any, **kwargs: Any) -> Any:
        cls.used = True
        raise AssertionError("calamine was handed a sheet it must not see")


@needs_calamine
@pytest.mark.parametrize(
    ("data", "head"),
    [
        (
            '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v>'
            "</c></row>",
            "",
        ),
        ('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>2</v></c></row>', ""),
        ('<row r="1"><c r="A1"><v>1</v></c></row>', '<dimension ref="A1:XFD1048576"/>'),
        # within the limits, but far too sparse for a dense grid
        (
            '<row r="1"><c r="A1"><v>1</v></c></row><row r="90000"><c r="ALL90000"><v>2</v></c>'
            "</row>",
            "",
        ),
    ],
    ids=["A1 and XFD1048576", "XFD1", "dimension", "sparse"],
)
def test_sparse_and_huge_sheets_never_reach_calamine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: str, head: str
) -> None:
    path = raw_xlsx(tmp_path / "crafted.xlsx", data, head=head)
    _Spy.used = False
    monkeypatch.setattr(fastread, "CalamineWorkbook", _Spy)
    monkeypatch.setattr(fastread, "AVAILABLE", True)
    slow = read_all(xlsxread.open_workbook, path)
    fast = read_all(fastread.FastBook, path)
    assert fast == slow
    assert not _Spy.used


@needs_calamine
def test_cell_count_limit(tmp_path: Path) -> None:
    row = "".join(f'<c r="{xlsxread.col_letters(c)}1"><v>{c}</v></c>' for c in range(1, 31))
    path = raw_xlsx(tmp_path / "many.xlsx", f'<row r="1">{row}</row>')
    fields = Limits.__dataclass_fields__
    limits = Limits(max_cols=20, **({"max_cells": 10} if "max_cells" in fields else {}))
    result = same(path, limits)
    assert result["Data"][2] is not None  # stopped, and said why


@needs_calamine
@pytest.mark.parametrize(
    "content",
    [b"not a zip at all", b"PK\x03\x04 damaged", b"%PDF-1.4"],
    ids=["text", "damaged zip", "pdf"],
)
def test_refusals(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    result = same(path)
    assert "refused" in result


@needs_calamine
def test_doctype_refused(tmp_path: Path) -> None:
    path = raw_xlsx(
        tmp_path / "doctype.xlsx",
        '<row r="1"><c r="A1"><v>1</v></c></row>',
        root=f'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet {NS}>',
    )
    result = same(path)
    assert result["Data"][0] == "raised"


# --- any grid of values, written by xlsxwriter ------------------------------------------

VALUES = st.one_of(
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(alphabet=" \t\n0123456789,.%£-abcn/A_xé", max_size=12),
    st.booleans(),
    st.sampled_from(["#DIV/0!", "#REF!", "#N/A", "=1/0", "=SUM(1,2)", None]),
)


@needs_calamine
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(grid=st.lists(st.lists(VALUES, min_size=1, max_size=6), min_size=1, max_size=6))
def test_any_grid(tmp_path: Path, grid: list[list[Any]]) -> None:
    path = tmp_path / "grid.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = wb.add_worksheet("Data")
    dated = wb.add_format({"num_format": "d mmm yyyy"})
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if value is None:
                ws.write_blank(r, c, None, dated)
            elif isinstance(value, str) and value.startswith("#"):
                ws.write_formula(r, c, "=1/0", None, value)
            elif isinstance(value, str) and value.startswith("="):
                ws.write_formula(r, c, value)
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value, dated if c == 0 and 0 < value < 2958465 else None)
            else:
                ws.write_string(r, c, value)
    wb.close()
    same(path)


# --- without python-calamine ----------------------------------------------------------------


def test_without_calamine_is_xlsxread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastread, "CalamineWorkbook", None)
    path = next(iter(OWN))
    book = fastread.open_workbook(path)
    with book:
        assert type(book) is XlsxBook
