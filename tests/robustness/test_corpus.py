"""The corpus of bad inputs: each made from a valid sample, each with what it must give.

One row per kind of bad input: how it is made from the July 2008 samples (or the
shipped catalogue), the problem code it must raise, where the message must point, the
exit status, and which indicators must show as a data issue in the master. Every case
runs `scorecard compile` on a copy of the returns into a temporary folder and checks,
besides its own expectations, what holds for any input (see conftest.compile_in): the
exit status is 0, 1 or 2, no traceback, no input changed, outputs written exactly when
the status says so. Where a master is written it is read back with openpyxl: the
problem is listed on its Issues sheet and the indicators touched are DATA_ISSUE, and
the other returns are still compiled (their indicators are not).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

import scorecard.returns.book as returns_book  # where the reader and its limits are looked up
import scorecard.xlsx.preflight as preflight_module
from scorecard.workers import start_method
from tests.robustness.build import (
    ENTITY_BOMB,
    GIB,
    RETURN_PART,
    SAMPLES,
    TP,
    RawMember,
    add_rows_xml,
    deflate_bomb,
    edit_book,
    edit_part,
    external_entity,
    inflate_prefix,
    million_rows_member,
    ods_file,
    ole_file,
    raw_zip,
    row_of,
    sample_members,
    set_cell_xml,
    with_macros,
    with_member,
)
from tests.robustness.conftest import Space, compile_in, make_space, owner_keys, read_master

TP_FILE = f"returns/2008-07/{TP}.xlsx"
CELL = "AH5"  # TP's Return sheet: spi-5-2 offences, Jul 2008
FUTURE_CELL = "AI5"  # the same row, Aug 2008
COMMENT_CELL = "AQ5"  # the same row, Commentary
SPI_5_2 = frozenset({"spi-5-2"})
TP_ALL = owner_keys(TP)
Patch = Callable[[pytest.MonkeyPatch, Space], None]


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Space], object]
    code: str | None  # the problem it must raise; None: clean
    exit: int
    file: str | None = TP_FILE  # the file the message names (None: not checked)
    where: str = ""  # a regular expression the message line must match
    context: str = ""  # the (indicator, month) the message line must end with
    words: str = ""  # words the message must hold
    issues: frozenset[str] | None = frozenset()  # indicators that must be DATA_ISSUE
    args: tuple[str, ...] = ()
    argv: Callable[[Space], tuple[str, ...]] | None = None  # own outputs, in place of ours
    patch: Patch | None = None
    debug: bool = False  # scorecard --debug compile: a traceback is expected
    printed: bool = True  # info problems go to the Issues sheet, not to stderr
    mark: object = None


# --- builders ----------------------------------------------------------------------------


def replace_tp(content: bytes) -> Callable[[Space], None]:
    def build(space: Space) -> None:
        space.tp.write_bytes(content)

    return build


def tp_as(name: str, content: bytes) -> Callable[[Space], None]:
    def build(space: Space) -> None:
        space.tp.unlink()
        (space.month / name).write_bytes(content)

    return build


def tp_members(members: list[RawMember]) -> Callable[[Space], None]:
    return lambda space: space.tp.write_bytes(raw_zip(members))


def truncated(space: Space) -> None:
    data = space.tp.read_bytes()
    space.tp.write_bytes(data[: len(data) // 2])


def damaged_member(space: Space) -> None:
    """Bytes in the middle of the Return sheet's compressed data overwritten."""
    members = sample_members()
    sheet = next(m for m in members if m.name == RETURN_PART)
    middle = len(sheet.data) // 2
    data = sheet.data[:middle] + bytes(64) + sheet.data[middle + 64 :]
    space.tp.write_bytes(
        raw_zip(with_member(members, RawMember(RETURN_PART, data, sheet.size, sheet.crc)))
    )


def bomb(
    declared: int | None, inflated: int, crc_of_prefix: bool = True
) -> Callable[[Space], None]:
    """The Return sheet replaced by a stream inflating to `inflated` bytes of spaces;
    the headers declare `declared` bytes (None: the truth). The CRC is that of the first
    `declared` bytes, or 0 (finding the true one would mean inflating gigabytes; a reader
    only checks it after inflating everything, which is what it must not do)."""

    def build(space: Space) -> None:
        stream, size = deflate_bomb(inflated)
        size = size if declared is None else declared
        crc = zlib.crc32(inflate_prefix(stream, size)) if crc_of_prefix else 0
        part = RawMember(RETURN_PART, stream, size, crc)
        space.tp.write_bytes(raw_zip(with_member(sample_members(), part)))

    return build


def million_rows(dimension: str) -> Callable[[Space], None]:
    """A Return sheet of a cell in each of Excel's 1,048,576 rows: more cells than any
    return holds, refused by their count (far rows alone would only be set aside)."""

    def build(space: Space) -> None:
        member = million_rows_member(rows=1_048_576, dimension=dimension)
        space.tp.write_bytes(raw_zip(with_member(sample_members(), member)))

    return build


def sheet_replaced(xml: bytes) -> Callable[[Space], None]:
    return lambda space: edit_part(space.tp, RETURN_PART, lambda _old: xml)


def cell_xml(inner: str, kind: str | None = None, ref: str = CELL) -> Callable[[Space], None]:
    return lambda space: set_cell_xml(space.tp, ref, inner, kind)


def typed(value: object, ref: str = CELL, owner: str = TP) -> Callable[[Space], None]:
    def change(wb) -> None:
        wb["Return"][ref] = value

    return lambda space: edit_book(space.path(owner), change)


def sheet_renamed(space: Space) -> None:
    def change(wb) -> None:
        wb["Return"].title = "July figures"

    edit_book(space.tp, change)


def sheet_deleted(space: Space) -> None:
    edit_book(space.tp, lambda wb: wb.remove(wb["Return"]))


def _data_rows(ws) -> list[list[object]]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=ws.max_row)]


def rows_sorted(space: Space) -> None:
    """Data rows in reverse order (values only; the cells keep their formats)."""

    def change(wb) -> None:
        ws = wb["Return"]
        rows = _data_rows(ws)
        for offset, values in enumerate(reversed(rows)):
            for col, value in enumerate(values, 1):
                ws.cell(5 + offset, col).value = value

    edit_book(space.tp, change)


def row_deleted(space: Space) -> None:
    edit_book(space.tp, lambda wb: wb["Return"].delete_rows(row_of(TP, "spi-5-1", "offences")))


def row_inserted(key: str | None, measure: str = "offences") -> Callable[[Space], None]:
    def change(wb) -> None:
        ws = wb["Return"]
        ws.insert_rows(6)
        ws.cell(6, 1).value = key
        ws.cell(6, 3).value = measure
        for col in (31, 32, 33):  # AE:AG, May to Jul 2008
            ws.cell(6, col).value = 500

    return lambda space: edit_book(space.tp, change)


def row_duplicated(space: Space) -> None:
    def change(wb) -> None:
        ws = wb["Return"]
        values = [c.value for c in ws[5]]
        values[32] = 1  # a different Jul 2008 figure
        ws.append(values)

    edit_book(space.tp, change)


def column_inserted(space: Space) -> None:
    def change(wb) -> None:
        ws = wb["Return"]
        ws.insert_cols(7)
        ws.cell(4, 7).value = "Notes"
        ws.cell(5, 7).value = "checked by A. Lead"

    edit_book(space.tp, change)


def merged_over_inputs(space: Space) -> None:
    edit_book(space.tp, lambda wb: wb["Return"].merge_cells("AG5:AH5"))


def header_deleted(space: Space) -> None:
    def change(wb) -> None:
        ws = wb["Return"]
        for col in range(1, ws.max_column + 1):
            ws.cell(4, col).value = None

    edit_book(space.tp, change)


def meta(name: str, value: str) -> Callable[[Space], None]:
    def change(wb) -> None:
        sheet = wb["_meta"]
        row = next(r for r in range(1, 20) if sheet.cell(r, 1).value == name)
        sheet.cell(row, 2).value = value

    return lambda space: edit_book(space.tp, change)


def another_owners_template(space: Space) -> None:
    shutil.copy(SAMPLES / "specialist-crime.xlsx", space.tp)


def copied(name: str, change: Callable[[Space], object] | None = None) -> Callable[[Space], None]:
    def build(space: Space) -> None:
        copy = space.month / name
        shutil.copy(space.tp, copy)
        if change is not None:

            def edit(wb) -> None:
                wb["Return"][CELL] = 1

            edit_book(copy, edit)

    return build


def future_folder(space: Space) -> None:
    later = space.returns / "2008-08"
    later.mkdir()
    shutil.copy(space.tp, later / f"{TP}.xlsx")


def renamed(name: str) -> Callable[[Space], None]:
    return lambda space: space.tp.rename(space.month / name)


def symlink_loop(space: Space) -> None:
    space.tp.unlink()
    os.symlink(space.tp.name, space.tp)


def broken_link(space: Space) -> None:
    space.tp.unlink()
    os.symlink("/nonexistent/territorial-policing.xlsx", space.tp)


def fifo(space: Space) -> None:
    space.tp.unlink()
    os.mkfifo(space.tp)


def folder_named_xlsx(space: Space) -> None:
    space.tp.unlink()
    space.tp.mkdir()


def unicode_text(space: Space) -> None:
    def change(wb) -> None:
        ws = wb["Return"]
        ws[COMMENT_CELL] = "تعليق عربي — עברית \u202eevil\u202c 🚓 ﷽"
        ws.insert_rows(6)
        ws.cell(6, 1).value = "مفتاح-\u202ekey"
        ws.cell(6, 3).value = "offences"
        ws.cell(6, 33).value = 5

    edit_book(space.tp, change)


def with_config(change: Callable[[str], str | bytes]) -> Callable[[Space], None]:
    return lambda space: space.write_config(change(space.config.read_text(encoding="utf-8")))


def alias_bomb(text: str) -> str:
    levels = ['b0: &b0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        levels.append(f"b{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 9) + "]")
    return text + "\nbombs:\n" + "".join(f"  {line}\n" for line in levels)


def first(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return change


# --- patches: failures that no file can be relied on to cause ------------------------------


def permission_denied(monkeypatch: pytest.MonkeyPatch, space: Space) -> None:
    """As root (CI) chmod 000 does not stop reading: refuse TP's file where it is opened."""
    original = preflight_module.open_file

    def refuse(path: Path):
        if path.name == f"{TP}.xlsx":
            raise PermissionError(13, "Permission denied", str(path))
        return original(path)

    monkeypatch.setattr(preflight_module, "open_file", refuse)


def _reader_that(action: Callable[[], object]) -> Patch:
    def patch(monkeypatch: pytest.MonkeyPatch, space: Space) -> None:
        if start_method() != "fork":
            pytest.skip("the patched reader reaches the workers only when they are forked")
        original = returns_book.read_return

        def reader(catalogue, path, display, folder):
            if path.name == f"{TP}.xlsx":
                action()
            return original(catalogue, path, display, folder)

        monkeypatch.setattr(returns_book, "read_return", reader)
        monkeypatch.setattr(returns_book, "READ_TIMEOUT", 1.0)
        monkeypatch.setattr(returns_book, "READ_MEMORY", 256 << 20)

    return patch


def _exhaust_memory() -> None:
    hoard = [bytearray(64 << 20) for _ in range(64)]  # 4 GiB, far past the 256 MiB allowed
    raise AssertionError(f"allocated {len(hoard)} blocks: no memory limit")


crash_reader = _reader_that(lambda: os.abort())
hang_reader = _reader_that(lambda: time.sleep(60))
greedy_reader = _reader_that(_exhaust_memory)


def internal_error(monkeypatch: pytest.MonkeyPatch, space: Space) -> None:
    import scorecard.compile as compile_module

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(compile_module, "assess_all", broken)


def nothing(space: Space) -> None:
    return None


# --- the corpus ------------------------------------------------------------------------------

CASES = [
    # Files that are not .xlsx workbooks
    Case(
        "text-renamed-xlsx",
        replace_tp(b"key,measure,2008-07\nspi-5-2,offences,16759\n"),
        "not-a-workbook",
        1,
        words="a text file (perhaps CSV)",
        issues=TP_ALL,
    ),
    Case("empty-file", replace_tp(b""), "not-a-workbook", 1, words="an empty file", issues=TP_ALL),
    Case(
        "pdf-renamed-xlsx",
        replace_tp(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        "not-a-workbook",
        1,
        words="a PDF document",
        issues=TP_ALL,
    ),
    Case(
        "html-saved-as-xls",
        tp_as(f"{TP}.xls", b"<html><body><table><tr><td>1</td></tr></table>"),
        "not-a-workbook",
        1,
        file=f"returns/2008-07/{TP}.xls",
        words="HTML page",
        issues=TP_ALL,
    ),
    Case("truncated", truncated, "corrupt-workbook", 1, words="cut short", issues=TP_ALL),
    Case(
        "damaged-compressed-data",
        damaged_member,
        "corrupt-workbook",
        1,
        words="damaged",
        issues=TP_ALL,
    ),
    Case(
        "encrypted",
        replace_tp(ole_file("EncryptionInfo", "EncryptedPackage")),
        "encrypted",
        1,
        words="password-protected",
        issues=TP_ALL,
    ),
    Case(
        "legacy-xls",
        tp_as(f"{TP}.xls", ole_file("Workbook", "SummaryInformation")),
        "legacy-xls",
        1,
        file=f"returns/2008-07/{TP}.xls",
        words="Excel 97-2003",
        issues=TP_ALL,
    ),
    Case(
        "legacy-xls-renamed-xlsx", replace_tp(ole_file("Workbook")), "legacy-xls", 1, issues=TP_ALL
    ),
    Case(
        "ods",
        tp_as(f"{TP}.ods", ods_file()),
        "not-a-workbook",
        1,
        file=f"returns/2008-07/{TP}.ods",
        words="OpenDocument spreadsheet",
        issues=TP_ALL,
    ),
    Case(
        "xlsm-with-macros",
        lambda s: with_macros(s.tp, s.month / f"{TP}.xlsm"),
        "macros-ignored",
        0,
        file=f"returns/2008-07/{TP}.xlsm",
        words="never run",
        printed=False,
    ),
    # Hostile archives and XML: refused before anything is inflated or expanded
    Case(
        "zip-bomb-2gib",
        bomb(None, 2 * GIB, crc_of_prefix=False),
        "too-large",
        1,
        words="2,147,483,798 bytes",
        issues=TP_ALL,
    ),
    Case(
        "zip-bomb-ratio",
        bomb(None, 64 << 20, crc_of_prefix=False),
        "too-large",
        1,
        words="possible zip bomb",
        issues=TP_ALL,
    ),
    Case(
        "size-understated",
        bomb(4000, 2 * GIB),
        "corrupt-workbook",
        1,
        words="not well-formed XML",
        issues=TP_ALL,
    ),
    Case(
        "size-understated-bad-crc",
        bomb(4000, 2 * GIB, crc_of_prefix=False),
        "corrupt-workbook",
        1,
        words="Bad CRC-32",
        issues=TP_ALL,
    ),
    Case(
        "sparse-bomb",
        lambda s: add_rows_xml(
            s.tp, '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', dimension="A1:XFD1048576"
        ),
        "stray-cell",
        1,
        where=r": Return!XFD1048576: ",
        words="XFD1048576 holds '1'",
    ),
    Case(
        "sparse-bomb-no-dimension",
        lambda s: add_rows_xml(
            s.tp, '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', dimension=""
        ),
        "stray-cell",
        1,
        where=r": Return!XFD1048576: ",
        words="XFD1048576 holds '1'",
    ),
    Case(
        "entity-bomb",
        sheet_replaced(ENTITY_BOMB),
        "corrupt-workbook",
        1,
        words="DOCTYPE",
        issues=TP_ALL,
    ),
    Case(
        "external-entity",
        lambda s: edit_part(s.tp, "xl/workbook.xml", external_entity),
        "corrupt-workbook",
        1,
        words="DOCTYPE",
        issues=TP_ALL,
    ),
    Case(
        "million-rows",
        million_rows("A1:A1048576"),
        "too-large",
        1,
        words="more than 1,000,000 cells",
        issues=TP_ALL,
    ),
    Case(
        "million-rows-dimension-understated",
        million_rows("A1:AQ21"),
        "too-large",
        1,
        words="more than 1,000,000 cells",
        issues=TP_ALL,
    ),
    # The layout of the Return sheet
    Case("return-sheet-renamed", sheet_renamed, "sheet-renamed", 1, where=r": July figures: "),
    Case(
        "return-sheet-deleted",
        sheet_deleted,
        "sheet-missing",
        1,
        words="Instructions",
        issues=TP_ALL,
    ),
    Case("rows-sorted", rows_sorted, None, 0),
    Case(
        "row-deleted",
        row_deleted,
        "row-missing",
        1,
        where=r": Return: ",
        context="spi-5-1, Jul 2008",
        words="spi-5-1",
        issues=frozenset({"spi-5-1"}),
    ),
    Case(
        "row-inserted-without-key", row_inserted(None), "row-without-key", 1, where=r": Return!A6: "
    ),
    Case(
        "row-inserted-unknown-key",
        row_inserted("spi-99-9"),
        "unknown-key",
        1,
        where=r": Return!A6: ",
        words="'spi-99-9'",
    ),
    Case(
        "row-inserted-unknown-measure",
        row_inserted("spi-5-2", "burglaries"),
        "unknown-measure",
        1,
        where=r": Return!A6: ",
        words="'burglaries'",
    ),
    Case(
        "row-duplicated",
        row_duplicated,
        "duplicate-row",
        1,
        where=r": Return!A22: ",
        words="first at A5",
    ),
    # the lead's own column of notes: the figures beside it read, its words reported
    Case(
        "column-inserted-before-months",
        column_inserted,
        "stray-cell",
        1,
        where=r": Return!G5: ",
        words="column G, headed 'Notes', is not one of the form's: its 1 cell(s) are not used "
        "(from G5: 'checked by A. Lead')",
    ),
    Case(
        "merged-cells-over-inputs",
        merged_over_inputs,
        "merged-cells",
        1,
        where=r": Return!AG5:AH5: ",
        context="spi-5-2, Jul 2008",
        issues=SPI_5_2,
    ),
    Case("header-deleted", header_deleted, "header-missing", 1, where=r": Return: ", issues=TP_ALL),
    # What a number cell holds
    Case(
        "date-in-number-cell",
        typed(datetime(2008, 7, 31)),
        "not-a-number",
        1,
        where=rf": Return!{CELL}: ",
        context="spi-5-2, Jul 2008",
        words="2008-07-31 is a date",
        issues=SPI_5_2,
    ),
    Case(
        "boolean-in-number-cell",
        typed(True),
        "not-a-number",
        1,
        where=rf": Return!{CELL}: ",
        context="spi-5-2, Jul 2008",
        words="TRUE is not a number",
        issues=SPI_5_2,
    ),
    Case(
        "nan-in-number-cell",
        cell_xml("<v>NaN</v>"),
        "not-a-number",
        1,
        where=rf": Return!{CELL}: ",
        context="spi-5-2, Jul 2008",
        words="nan is not a number",
        issues=SPI_5_2,
    ),
    Case(
        "infinity-in-number-cell",
        cell_xml("<v>-INF</v>"),
        "not-a-number",
        1,
        where=rf": Return!{CELL}: ",
        context="spi-5-2, Jul 2008",
        words="-inf is not a number",
        issues=SPI_5_2,
    ),
    Case(
        "1e308-in-number-cell",
        typed(1e308),
        "number-too-large",
        1,
        where=rf": Return!{CELL}: ",
        context="spi-5-2, Jul 2008",
        words="too large",
        issues=SPI_5_2,
    ),
    Case(
        "div0",
        cell_xml("<f>1/0</f><v>#DIV/0!</v>", "e"),
        "excel-error",
        1,
        where=rf": Return!{CELL}: ",
        context="spi-5-2, Jul 2008",
        words="#DIV/0!",
        issues=SPI_5_2,
    ),
    Case(
        "ref-error",
        cell_xml("<f>#REF!+1</f><v>#REF!</v>", "e"),
        "excel-error",
        1,
        where=rf": Return!{CELL}: ",
        context="spi-5-2, Jul 2008",
        words="#REF!",
        issues=SPI_5_2,
    ),
    Case(
        "na-error",
        cell_xml("<v>#N/A</v>", "e"),
        "excel-error",
        1,
        where=rf": Return!{CELL}: ",
        context="spi-5-2, Jul 2008",
        words="#N/A",
        issues=SPI_5_2,
    ),
    Case(
        "formula-without-cached-value",
        typed("=SUM(AE5:AG5)"),
        "formula-no-value",
        1,
        where=rf": Return!{CELL}: ",
        context="spi-5-2, Jul 2008",
        words="=SUM(AE5:AG5)",
        issues=SPI_5_2,
    ),
    Case(
        "text-in-number-cell",
        typed("twelve"),
        "not-a-number",
        1,
        where=rf": Return!{CELL}: ",
        context="spi-5-2, Jul 2008",
        words="'twelve'",
        issues=SPI_5_2,
    ),
    Case("number-typed-as-text", typed("16,759"), "number-as-text", 0, printed=False),
    Case(
        "negative-count",
        typed(-5),
        "negative-count",
        1,
        where=rf": Return!{CELL}: ",
        context="spi-5-2, Jul 2008",
        issues=SPI_5_2,
    ),
    Case(
        "count-with-a-fraction",
        typed(16759.5),
        "not-a-whole-number",
        1,
        where=rf": Return!{CELL}: ",
        context="spi-5-2, Jul 2008",
        issues=SPI_5_2,
    ),
    # Whose return, for which year and month
    Case(
        "another-owners-template",
        another_owners_template,
        "wrong-owner",
        1,
        words="specialist-crime's template",
        issues=TP_ALL,
    ),
    Case(
        "another-years-template",
        meta("financial_year", "2007/08"),
        "wrong-year",
        1,
        words="2007/08 template",
        issues=TP_ALL,
    ),
    Case("older-catalogue-template", meta("catalogue_fingerprint", "0" * 64), "stale-template", 1),
    Case(
        "no-metadata",
        lambda s: edit_book(s.tp, lambda wb: wb.remove(wb["_meta"])),
        "no-metadata",
        1,
    ),
    Case(
        "same-return-twice-identical",
        copied(f"{TP} (2).xlsx"),
        "duplicate-return",
        1,
        file=f"returns/2008-07/{TP} (2).xlsx",
        words="identical copy",
    ),
    Case(
        "same-return-twice-different",
        copied(f"{TP} v2.xlsx", change=typed(1)),
        "duplicate-return",
        1,
        file=f"returns/2008-07/{TP} v2.xlsx",
        issues=SPI_5_2,
    ),
    Case(
        "return-for-a-later-month",
        future_folder,
        "future-folder",
        1,
        file="returns/2008-08",
        words="after the report month",
    ),
    Case(
        "figures-for-a-later-month",
        typed(17000, ref=FUTURE_CELL),
        "future-month",
        1,
        where=rf": Return!{FUTURE_CELL}: ",
        context="spi-5-2, Aug 2008",
    ),
    # Text: unicode, right to left, names
    Case(
        "unicode-and-right-to-left-text",
        unicode_text,
        "unknown-key",
        1,
        where=r": Return!A6: ",
        words="مفتاح",
    ),
    Case(
        "file-name-with-spaces-and-accents",
        renamed("Territorial Policing – juillet été.xlsx"),
        "file-name",
        0,
        file="returns/2008-07/Territorial Policing – juillet été.xlsx",
        printed=False,
    ),
    # The returns folder itself
    Case(
        "symlink-loop",
        symlink_loop,
        "unreadable-file",
        1,
        words="leads back to itself",
        issues=TP_ALL,
    ),
    Case(
        "broken-symlink", broken_link, "unreadable-file", 1, words="does not exist", issues=TP_ALL
    ),
    Case(
        "fifo-named-xlsx", fifo, "unreadable-file", 1, words="not an ordinary file", issues=TP_ALL
    ),
    Case(
        "folder-named-xlsx",
        folder_named_xlsx,
        "unreadable-file",
        1,
        words="a folder",
        issues=TP_ALL,
    ),
    Case(
        "permission-denied",
        nothing,
        "unreadable-file",
        1,
        words="Permission denied",
        issues=TP_ALL,
        patch=permission_denied,
    ),
    # The reader itself failing: a worker process takes the blow
    Case(
        "reader-crashes",
        nothing,
        "reader-crashed",
        1,
        words="SIGABRT",
        issues=TP_ALL,
        patch=crash_reader,
    ),
    Case(
        "reader-hangs",
        nothing,
        "reader-timeout",
        1,
        words="more than 1 seconds",
        issues=TP_ALL,
        patch=hang_reader,
    ),
    Case(
        "reader-exhausts-memory",
        nothing,
        "reader-crashed",
        1,
        words="ran out of memory",
        issues=TP_ALL,
        patch=greedy_reader,
    ),
    # The catalogue: nothing is written, the message cites file and line
    Case(
        "catalogue-alias-bomb",
        with_config(alias_bomb),
        "catalogue-yaml",
        2,
        file=None,
        where=r"indicators\.yaml:\d+: ",
        words="alias bomb",
    ),
    Case(
        "catalogue-python-tag",
        with_config(
            first('short_name: "MPS"', "short_name: !!python/object/apply:os.system ['echo pwned']")
        ),
        "catalogue-yaml",
        2,
        file=None,
        where=r"indicators\.yaml:\d+: ",
        words="unsupported YAML tag",
    ),
    Case(
        "catalogue-duplicate-key",
        with_config(first('short_name: "MPS"', 'short_name: "MPS"\n  short_name: "Met"')),
        "catalogue-yaml",
        2,
        file=None,
        where=r"indicators\.yaml:\d+: ",
        words="duplicate key 'short_name'",
    ),
    Case(
        "catalogue-tabs",
        with_config(first('  short_name: "MPS"', '\tshort_name: "MPS"')),
        "catalogue-yaml",
        2,
        file=None,
        where=r"indicators\.yaml:\d+: ",
        words="tabs",
    ),
    Case("catalogue-bom", with_config(lambda text: "\ufeff" + text), None, 0),
    Case(
        "catalogue-target-without-kind",
        with_config(
            first(
                '{kind: reduction, percent: 4, text: "4% reduction"}',
                '{percent: 4, text: "4% reduction"}',
            )
        ),
        "catalogue-schema",
        2,
        file=None,
        where=r"indicators\.yaml:\d+: ",
        words="missing 'kind'",
    ),
    Case(
        "catalogue-own-measure-missing",
        with_config(first("numerator: sanction_detections", "numerator: spi-6-2.detections")),
        "catalogue-unknown-measure",
        2,
        file=None,
        words="'spi-6-2.detections'",
    ),
    Case(
        "catalogue-other-indicators-measure-missing",
        with_config(
            first("numerator: sanction_detections", "numerator: spi-5-2.sanction_detections")
        ),
        "catalogue-unknown-measure",
        2,
        file=None,
        words="'spi-5-2.sanction_detections'",
    ),
    Case(
        "catalogue-unknown-indicator-in-measure",
        with_config(
            first("numerator: sanction_detections", "numerator: no-such-indicator.offences")
        ),
        "catalogue-unknown-measure",
        2,
        file=None,
        words="'no-such-indicator.offences'",
    ),
    Case(
        "catalogue-recursive-alias",
        with_config(first('short_name: "MPS"', "short_name: &loop [*loop]")),
        "catalogue-yaml",
        2,
        file=None,
    ),
    Case(
        "catalogue-nested-too-deep",
        with_config(first('short_name: "MPS"', "short_name: " + "[" * 3000 + "]" * 3000)),
        "catalogue-yaml",
        2,
        file=None,
    ),
    Case(
        "catalogue-not-utf8",
        with_config(lambda text: text.encode("utf-16")),
        "catalogue-encoding",
        2,
        file=None,
    ),
    Case(
        "catalogue-missing",
        lambda s: setattr(s, "config", s.root / "missing.yaml"),
        "catalogue-unreadable",
        2,
        file=None,
        words="cannot read catalogue",
    ),
    # Options and outputs
    Case(
        "strict-with-a-problem",
        typed("twelve"),
        None,
        2,
        args=("--strict",),
        file=None,
        words="--strict: 1 problem(s) in the returns; nothing written",
    ),
    Case("strict-with-only-info", typed("16,759"), None, 0, args=("--strict",)),
    Case(
        "bad-month-option",
        nothing,
        None,
        2,
        file=None,
        argv=lambda s: ("--month", "2008-13", "--out", str(s.master)),
        words="month must be 1-12, not 13",
    ),
    Case(
        "unwritable-output",
        lambda s: (s.root / "a-file").write_text("not a folder"),
        None,
        2,
        file=None,
        argv=lambda s: ("--out", str(s.root / "a-file" / "master.xlsx")),
        words="cannot write",
    ),
    Case(
        "output-would-overwrite-a-return",
        nothing,
        None,
        2,
        file=None,
        argv=lambda s: ("--out", str(s.tp)),
        words="is an input",
    ),
    Case(
        "json-would-overwrite-the-catalogue",
        with_config(lambda text: text),
        None,
        2,
        file=None,
        argv=lambda s: ("--out", str(s.master), "--json", str(s.config)),
        words="is an input",
    ),
    Case(
        "internal-error-with-debug",
        nothing,
        None,
        2,
        file=None,
        words="internal error: RuntimeError: a bug",
        patch=internal_error,
        debug=True,
    ),
    Case(
        "internal-error",
        nothing,
        None,
        2,
        file=None,
        words="internal error: RuntimeError",
        patch=internal_error,
    ),
]


def _params() -> list:
    return [
        pytest.param(case, id=case.id, marks=[case.mark] if case.mark is not None else [])
        for case in CASES
    ]


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", _params())
def test_bad_input(case: Case, space: Space, monkeypatch: pytest.MonkeyPatch) -> None:
    case.build(space)
    if case.patch is not None:
        clean_statuses()  # the samples' statuses, compiled before the reader is patched
        case.patch(monkeypatch, space)
    started = time.monotonic()
    if case.argv is None:
        run = compile_in(space, *case.args, debug=case.debug)
    else:
        run = compile_in(space, *case.args, *case.argv(space), outputs=False)
    if case.debug:
        assert "Traceback" in run.stderr
        assert run.exit != 2 or not (space.root / "out").exists()
        assert list(space.root.rglob("*.tmp")) == []
    # A guard against a hang or a blow-up, not a speed test (benchmarks/ measure speed):
    # the million-row cases take about 20 s of CPU, so a shared machine needs the room.
    assert time.monotonic() - started < 90, "bounded time"
    assert run.exit == case.exit, run.stderr
    if case.code is not None and case.printed:
        line = run.line(case.code)
        if case.file is not None:
            assert line.startswith(case.file + ":"), line
        if case.where:
            assert re.search(case.where, line), (case.where, line)
        if case.words:
            assert case.words in line, line
        if case.context:
            assert line.endswith(f"({case.context})"), line
    elif case.code is None and case.words:
        assert case.words in run.stderr, run.stderr
    if run.exit == 2:
        return
    master = read_master(space.master)
    if case.code is not None:
        listed = master.issue(case.code)
        if case.file is not None:
            assert listed["file"] == case.file
        if case.words:
            assert case.words in listed["message"]
    else:
        assert master.issues == [] or all(i["level"] == "info" for i in master.issues)
    if case.issues is not None:
        assert master.data_issues() == set(case.issues)
    # The other returns are compiled as if nothing had happened.
    others = {k: v for k, v in master.status.items() if k not in owner_keys(TP)}
    assert others == {k: v for k, v in clean_statuses().items() if k not in owner_keys(TP)}
    if case.exit == 0:
        assert run.stderr == "", run.stderr


@functools.cache
def clean_statuses() -> dict[str, str]:
    """Every indicator's status when the samples are compiled as they are."""
    with tempfile.TemporaryDirectory() as folder:
        space = make_space(Path(folder))
        # Not remembered in the test's cache: the case that asked must read its own files.
        assert compile_in(space, "--no-cache").exit == 0
        return read_master(space.master).status


def test_the_samples_compile_clean(space: Space) -> None:
    run = compile_in(space)
    assert (run.exit, run.stderr) == (0, "")
    master = read_master(space.master)
    assert master.issues == [] and master.data_issues() == set()
