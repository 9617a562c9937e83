"""The streaming .xlsx reader: honest values, and refusals before anything is inflated."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from scorecard.xlsx import (
    OLE_SIGNATURE,
    ErrorValue,
    Limits,
    XlsxError,
    col_index,
    col_letters,
    open_workbook,
    split_ref,
)

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def raw_xlsx(
    path: Path,
    sheet_data: str,
    *,
    dimension: str = "",
    shared: list[str] | None = None,
    prefix: str = "",
    doctype: str = "",
) -> Path:
    """A minimal workbook built by hand, for what Excel writers never produce."""
    p = f"{prefix}:" if prefix else ""
    ns = NS.replace("xmlns=", f"xmlns:{prefix}=") if prefix else NS
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types '
        'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><{p}workbook {ns} xmlns:r="{REL_NS}">'
        f'<{p}sheets><{p}sheet name="Data" sheetId="1" r:id="rId1"/></{p}sheets>'
        f"</{p}workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
        f'Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?>{doctype}<{p}worksheet {ns}>'
        + (f'<{p}dimension ref="{dimension}"/>' if dimension else "")
        + f"<{p}sheetData>{sheet_data}</{p}sheetData></{p}worksheet>",
    }
    if shared is not None:
        items = "".join(f"<si><t>{s}</t></si>" for s in shared)
        parts["xl/sharedStrings.xml"] = f'<?xml version="1.0"?><sst {NS}>{items}</sst>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return path


def rows(path: Path, sheet: str = "Data", limits: Limits | None = None) -> list[list[tuple]]:
    with open_workbook(path, limits or Limits()) as book:
        return [[(c.ref, c.value) for c in row] for row in book.iter_rows(sheet)]


def refused(path: Path, limits: Limits | None = None) -> XlsxError:
    with pytest.raises(XlsxError) as info:
        open_workbook(path, limits or Limits())
    return info.value


# --- values -----------------------------------------------------------------------------


def test_values_written_by_xlsxwriter(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    ws.write("A1", "text")
    ws.write("B1", 12)
    ws.write("C1", 12.5)
    ws.write("D1", 3.0)
    ws.write_boolean("E1", False)
    ws.write_formula("F1", "=1/0", None, "#DIV/0!")
    ws.write_formula("G1", '="a"&"b"', None, "ab")
    ws.write_formula("H1", "=2*3", None, 6)
    ws.write("A3", "line_x000D_break")
    ws.write_rich_string("B3", "plain ", wb.add_format({"bold": True}), "bold")
    wb.close()
    with open_workbook(path) as book:
        got = {c.ref: c for row in book.iter_rows("Data") for c in row}
    assert got["A1"].value == "text"
    assert got["B1"].value == 12 and isinstance(got["B1"].value, int)
    assert got["C1"].value == 12.5
    assert got["D1"].value == 3 and isinstance(got["D1"].value, int)
    assert got["E1"].value is False
    assert got["F1"].value == ErrorValue("#DIV/0!") and got["F1"].formula == "1/0"
    assert str(got["F1"].value) == "#DIV/0!"
    assert got["G1"].value == "ab" and not got["G1"].no_cached_value
    assert got["H1"].value == 6
    assert got["A3"].value == "line_x000D_break"  # a literal, escaped by the writer
    assert got["B3"].value == "plain bold"
    assert (got["B3"].row, got["B3"].col) == (3, 2)


def test_formula_without_cached_value_is_flagged(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws["A1"] = "=SUM(1,2)"
    ws["B1"] = "#REF!"  # openpyxl stores a known error string as an error cell
    wb.save(path)
    (cells,) = rows(path)
    with open_workbook(path) as book:
        (row,) = list(book.iter_rows("Data"))
    assert row[0].no_cached_value and row[0].formula == "SUM(1,2)"
    assert cells[1] == ("B1", ErrorValue("#REF!"))


def test_shared_inline_and_escaped_strings(tmp_path: Path) -> None:
    path = raw_xlsx(
        tmp_path / "s.xlsx",
        '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="inlineStr"><is><t>in</t>'
        '<rPh><t>ignored</t></rPh></is></c><c r="C1" t="s"><v>0</v></c>'
        '<c r="D1" t="b"><v>1</v></c><c r="E1" t="e"><v>#N/A</v></c>'
        '<c r="F1" t="str"><f>A1</f><v>two</v></c><c r="G1"><v>1E3</v></c>'
        '<c r="H1"><v>0.1</v></c><c r="I1" t="d"><v>2008-07-31</v></c></row>',
        shared=["tab_x0009_here", "two"],
    )
    assert rows(path) == [
        [
            ("A1", "two"),
            ("B1", "in"),
            ("C1", "tab\there"),
            ("D1", True),
            ("E1", ErrorValue("#N/A")),
            ("F1", "two"),
            ("G1", 1000),
            ("H1", 0.1),
            ("I1", "2008-07-31"),
        ]
    ]


def test_cells_without_references_and_prefixed_tags(tmp_path: Path) -> None:
    path = raw_xlsx(
        tmp_path / "p.xlsx",
        "<x:row><x:c><x:v>1</x:v></x:c><x:c><x:v>2</x:v></x:c></x:row>"
        '<x:row r="4"><x:c r="C4"><x:v>3</x:v></x:c><x:c><x:v>4</x:v></x:c></x:row>',
        prefix="x",
    )
    assert rows(path) == [[("A1", 1), ("B1", 2)], [("C4", 3), ("D4", 4)]]


def test_references() -> None:
    assert col_index("A") == 1 and col_index("XFD") == 16384
    assert col_letters(28) == "AB" and col_letters(16384) == "XFD"
    assert split_ref("AG12") == (12, 33)
    with pytest.raises(ValueError):
        split_ref("12G")


def test_number_formats_are_known(tmp_path: Path) -> None:
    path = tmp_path / "n.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    ws.write("A1", 0.658, wb.add_format({"num_format": "0.0%"}))
    ws.write("B1", 39668, wb.add_format({"num_format": "d mmm yyyy"}))
    ws.write("C1", 5, wb.add_format({"num_format": '0.0" pts"'}))
    wb.close()
    with open_workbook(path) as book:
        (row,) = list(book.iter_rows("Data"))
        assert book.is_percent_format(row[0].style)
        assert book.is_date_format(row[1].style) and not book.is_percent_format(row[1].style)
        assert not book.is_percent_format(row[2].style) and not book.is_date_format(row[2].style)


# --- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"key,measure,2008-07\nspi-5-2,offences,123\n", "text file (perhaps CSV)"),
        (b"<html><body><table></table></body></html>", "HTML page"),
        (b"%PDF-1.4 ...", "PDF document"),
        (b"", "empty file"),
    ],
)
def test_not_a_zip_is_not_a_workbook(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(content)
    error = refused(path)
    assert error.code == "not-a-workbook"
    assert words in error.message


def ole_file(path: Path, stream_name: str) -> Path:
    body = bytearray(OLE_SIGNATURE + bytes(504) + bytes(1024))
    name = stream_name.encode("utf-16-le")
    body[600 : 600 + len(name)] = name
    path.write_bytes(bytes(body))
    return path


def test_encrypted_workbook_is_named(tmp_path: Path) -> None:
    error = refused(ole_file(tmp_path / "e.xlsx", "EncryptedPackage"))
    assert error.code == "encrypted"
    assert "password" in error.message


def test_legacy_xls_is_named(tmp_path: Path) -> None:
    error = refused(ole_file(tmp_path / "old.xls", "Workbook"))
    assert error.code == "legacy-xls"
    assert ".xls" in error.message


def test_other_office_zip_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<document/>")
    error = refused(path)
    assert error.code == "not-a-workbook" and "Word document" in error.message


def test_binary_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "_rels/.rels",
            '<Relationships><Relationship Id="r" Type="x/officeDocument" '
            'Target="xl/workbook.bin"/></Relationships>',
        )
        z.writestr("xl/workbook.bin", b"\0")
    assert refused(path).code == "not-a-workbook"


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    path = raw_xlsx(tmp_path / "bomb.xlsx", "")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.bin", bytes(5_000_000))  # inflates ~1000 times
    error = refused(path)
    assert error.code == "too-large"
    assert "zip bomb" in error.message


def test_declared_size_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = raw_xlsx(tmp_path / "big.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    error = refused(path, Limits(max_member_bytes=100))
    assert error.code == "too-large" and "inflates to" in error.message


def test_encrypted_zip_member_is_refused(tmp_path: Path) -> None:
    path = raw_xlsx(tmp_path / "enc.xlsx", "")
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:  # set the "encrypted" flag of every central directory entry
        data[at + 8] |= 0x1
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    assert refused(path).code == "encrypted"


def test_doctype_and_entities_are_refused(tmp_path: Path) -> None:
    bomb = '<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    path = raw_xlsx(
        tmp_path / "xxe.xlsx",
        '<row r="1"><c r="A1" t="str"><v>&lol2;</v></c></row>',
        doctype=bomb,
    )
    with open_workbook(path) as book, pytest.raises(XlsxError) as info:
        list(book.iter_rows("Data"))
    assert info.value.code == "corrupt-workbook"
    assert "DOCTYPE" in info.value.message


def test_doctype_hidden_behind_a_long_prolog_is_refused(tmp_path: Path) -> None:
    prolog = "<?pad " + "x" * 100_000 + "?>" + '<!DOCTYPE d [<!ENTITY e "e">]>'
    path = raw_xlsx(tmp_path / "long.xlsx", "", doctype=prolog)
    with open_workbook(path) as book, pytest.raises(XlsxError) as info:
        list(book.iter_rows("Data"))
    assert info.value.code == "corrupt-workbook"


def test_malformed_sheet_is_corrupt(tmp_path: Path) -> None:
    path = raw_xlsx(tmp_path / "bad.xlsx", '<row r="1"><c r="A1"><v>1</v></row>')
    with open_workbook(path) as book, pytest.raises(XlsxError) as info:
        list(book.iter_rows("Data"))
    assert info.value.code == "corrupt-workbook"
    assert "line 1" in info.value.message


def test_crafted_corner_cells_are_set_aside_not_refused(tmp_path: Path) -> None:
    """Cells at A1 and XFD1048576 abort some readers; here the far one is set aside, kept
    to be reported, and the sheet's stated size is not trusted for anything."""
    path = raw_xlsx(
        tmp_path / "corner.xlsx",
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>',
        dimension="A1:XFD1048576",
    )
    with open_workbook(path) as book:
        data = book.read_sheet("Data")
    assert data.stopped is None
    assert [c.ref for c in data.cells.values()] == ["A1"]
    assert [(c.ref, c.value) for c in data.beyond] == [("XFD1048576", 2)]
    assert data.beyond_count == 1


def test_cells_past_the_limits_are_counted_and_the_first_kept(tmp_path: Path) -> None:
    far = "".join(f'<c r="{col}3"><v>{i}</v></c>' for i, col in enumerate(["ZZ", "AAA", "AAB"]))
    many = "".join(f'<row r="{200 + r}"><c r="A{200 + r}"><v>{r}</v></c></row>' for r in range(30))
    path = raw_xlsx(
        tmp_path / "far.xlsx",
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="B2"><v>2</v></c></row>'
        f'<row r="3"><c r="C3"><v>3</v></c>{far}</row>{many}',
    )
    with open_workbook(path, Limits(max_cols=100, max_rows=199)) as book:
        data = book.read_sheet("Data")
    assert data.stopped is None
    assert sorted(c.ref for c in data.cells.values()) == ["A1", "B2", "C3"]
    assert [c.ref for c in data.beyond[:4]] == ["ZZ3", "AAA3", "AAB3", "A200"]
    assert len(data.beyond) == 20 and data.beyond_count == 33


def test_missing_sheet(tmp_path: Path) -> None:
    path = raw_xlsx(tmp_path / "s.xlsx", "")
    with open_workbook(path) as book, pytest.raises(XlsxError) as info:
        list(book.iter_rows("Return"))
    assert info.value.code == "sheet-missing"


def test_sheet_states(tmp_path: Path) -> None:
    path = tmp_path / "h.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Shown")
    wb.add_worksheet("Hidden").hide()
    wb.add_worksheet("Secret").very_hidden()
    wb.close()
    with open_workbook(path) as book:
        assert [(s.name, s.state) for s in book.sheets] == [
            ("Shown", "visible"),
            ("Hidden", "hidden"),
            ("Secret", "veryHidden"),
        ]


def test_too_many_cells_stops_reading(tmp_path: Path) -> None:
    cells = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 11))
    path = raw_xlsx(tmp_path / "many.xlsx", cells)
    with open_workbook(path, Limits(max_cells=4)) as book:
        data = book.read_sheet("Data")
    assert data.stopped is not None and data.stopped.code == "too-large"
    assert "more than 4 cells" in data.stopped.message
    assert sorted(c.row for c in data.cells.values()) == [1, 2, 3, 4]


def test_merged_ranges_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "merged.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    ws.merge_range("B2:C3", "merged")
    ws.write("E5", 1)
    wb.close()
    with open_workbook(path) as book:
        data = book.read_sheet("Data")
    assert data.merged == ["B2:C3"]
    assert data.get(2, 2).value == "merged"


@pytest.mark.parametrize("kind", ["folder", "fifo", "loop", "dangling"])
def test_only_regular_files_are_opened(tmp_path: Path, kind: str) -> None:
    import os

    path = tmp_path / "x.xlsx"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)  # opening it would block until something wrote to it
    elif kind == "loop":
        os.symlink(path.name, path)
    else:
        os.symlink(tmp_path / "gone.xlsx", path)
    error = refused(path)
    assert error.code == "unreadable-file"


def test_a_file_that_cannot_be_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import scorecard.xlsx.preflight as preflight

    path = raw_xlsx(tmp_path / "locked.xlsx", "")

    def denied(p: Path):
        raise PermissionError(13, "Permission denied", str(p))

    monkeypatch.setattr(preflight, "open_file", denied)
    error = refused(path)
    assert (error.code, error.message) == (
        "unreadable-file",
        "cannot open the file: Permission denied; send it again",
    )


def test_a_zip_cut_short_is_a_damaged_workbook(tmp_path: Path) -> None:
    path = raw_xlsx(tmp_path / "cut.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    path.write_bytes(path.read_bytes()[:-30])
    error = refused(path)
    assert error.code == "corrupt-workbook" and "cut short" in error.message


def test_damaged_deflate_data_is_corrupt(tmp_path: Path) -> None:
    path = raw_xlsx(tmp_path / "d.xlsx", "".join(f'<row r="{r}"/>' for r in range(1, 2000)))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 5 : start + 40] = b"\xff" * 35
    path.write_bytes(bytes(data))
    with open_workbook(path) as book, pytest.raises(XlsxError) as raised:
        book.read_sheet("Data")
    assert raised.value.code == "corrupt-workbook"


def test_macros_are_noticed_never_run(tmp_path: Path) -> None:
    path = raw_xlsx(tmp_path / "m.xlsm", "")
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/vbaProject.bin", OLE_SIGNATURE + bytes(500))
    with open_workbook(path) as book:
        assert book.has_macros
    with open_workbook(raw_xlsx(tmp_path / "plain.xlsx", "")) as book:
        assert not book.has_macros


def test_an_ods_is_named(tmp_path: Path) -> None:
    path = tmp_path / "r.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    error = refused(path)
    assert error.code == "not-a-workbook" and "OpenDocument spreadsheet (.ods)" in error.message
