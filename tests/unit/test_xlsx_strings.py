"""Shared strings: a small part parsed whole, a large one streamed into `PackedStrings`;
every way gives the same strings in the same order."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from scorecard.xlsx import parts
from scorecard.xlsx.errors import XlsxError
from tests.robustness.build import RETURN_PART, SAMPLES, RawMember, raw_zip, sample_members

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sst(items: str) -> bytes:
    return f'<?xml version="1.0"?><sst {NS}>{items}</sst>'.encode()


CASES = {
    "plain": "<si><t>a</t></si><si><t>b_x000D_c</t></si>",
    "runs and phonetics": (
        "<si><r><t>bold</t></r><r><t> plain</t></r><rPh><t>ignored</t></rPh></si><si><t/></si>"
    ),
    "an item inside an item": "<si><t>outer</t><si><t>inner</t></si></si><si><t>z</t></si>",
    "no items": "",
    "something else beside the items": "<si><t>a</t></si><extLst/><si><t>b</t></si>",
}


@pytest.mark.parametrize("items", CASES.values(), ids=list(CASES))
def test_whole_streamed_and_packed_agree(items: str) -> None:
    xml = _sst(items)
    streamed = parts.parse_strings(io.BytesIO(xml), "sst", [])
    packed = parts.parse_strings(io.BytesIO(xml), "sst", parts.PackedStrings())
    whole = parts.strings_of(xml, "sst")
    assert list(packed) == streamed and len(packed) == len(streamed)
    assert whole is None or list(whole) == streamed


def test_packed_strings_index_like_a_list() -> None:
    packed = parts.PackedStrings()
    for text in ("", "é", "😀 x", "last"):
        packed.append(text)
    assert [packed[i] for i in range(4)] == ["", "é", "😀 x", "last"]
    assert packed[-1] == "last" and packed[1:3] == ["é", "😀 x"]
    with pytest.raises(IndexError):
        packed[4]


def test_a_whole_part_that_is_not_well_formed_names_its_place() -> None:
    with pytest.raises(XlsxError) as caught:
        parts.strings_of(_sst("<si><t>a</si>"), "xl/sharedStrings.xml")
    assert caught.value.code == "corrupt-workbook"
    assert "xl/sharedStrings.xml is not well-formed XML (line 1" in caught.value.message


# --- parts inflated from the file read whole ---------------------------------------------


def _sample_package(path: Path) -> parts.Package:
    return parts.Package(zipfile.ZipFile(path))


def test_every_part_read_whole_is_the_bytes_zipfile_reads(tmp_path: Path) -> None:
    sample = SAMPLES / "territorial-policing.xlsx"
    package = _sample_package(sample)
    with zipfile.ZipFile(sample) as archive:
        for info in archive.infolist():
            assert package.inflated(info) == archive.read(info)
            assert package.small(info.filename) == archive.read(info)


def test_a_part_whose_crc_disagrees_is_left_to_zipfile(tmp_path: Path) -> None:
    """The fast way gives nothing for a member whose bytes do not match its CRC, so the
    reader's usual path reads it and names the damage."""
    members = sample_members()
    broken = [
        member
        if member.name != RETURN_PART
        else RawMember(member.name, member.data, member.size, member.crc ^ 1)
        for member in members
    ]
    path = tmp_path / "crc.xlsx"
    path.write_bytes(raw_zip(broken))
    package = _sample_package(path)
    assert package.inflated(package.archive.getinfo(RETURN_PART)) is None
    with pytest.raises(XlsxError) as caught:
        package.small(RETURN_PART)
    assert caught.value.code == "corrupt-workbook"
    assert "CRC" in caught.value.message or "Bad" in caught.value.message


def test_a_large_file_is_not_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parts, "WHOLE_FILE_BYTES", 100)
    package = _sample_package(SAMPLES / "territorial-policing.xlsx")
    info = package.archive.getinfo(RETURN_PART)
    assert package.inflated(info) is None
    assert package.small(RETURN_PART) == package.archive.read(info)
