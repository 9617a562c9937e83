"""Checks before anything is inflated: what the file is, and what its zip claims.

A file that is not a zip archive is refused (`not-a-workbook`, with a guess at what it
is); an OLE compound file (signature D0CF11E0) is an encrypted .xlsx (`encrypted`) or a
legacy .xls (`legacy-xls`); only regular files are opened (a folder, a pipe, a device
or a looping link is `unreadable-file`); each member's declared size and compression
ratio, the number of members and their total are checked (`too-large`).
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path
from typing import IO

from .errors import Limits, XlsxError

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")


def sniff(head: bytes) -> str:
    """What the first bytes of a file suggest it is, in words for a message."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] == b"<":
        lowered = stripped[:200].lower()
        if b"<html" in lowered or b"<!doctype html" in lowered:
            return "an HTML page (perhaps saved from a browser as .xls)"
        return "an XML file (perhaps an Excel 2003 XML spreadsheet)"
    if head[:4] == b"%PDF":
        return "a PDF document"
    if not head:
        return "an empty file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "a binary file of an unknown kind"
    return "a text file (perhaps CSV)"


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def open_file(path: Path) -> IO[bytes]:
    """Open a file for reading: the one place the reader opens a file by its path."""
    return path.open("rb")


def unreadable(path: Path) -> str | None:
    """Why `path` cannot be read as a workbook file, in words; None if it is a regular file.

    Nothing is opened: a pipe would block the reader until something writes to it.
    """
    try:
        mode = path.stat().st_mode  # follows links
    except OSError as exc:
        if path.is_symlink():
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            if isinstance(exc, FileNotFoundError):
                return f"the file is a link to {target}, which does not exist"
            return (
                f"the file is a link to {target} that cannot be followed ({_reason(exc)}): "
                "a link that leads back to itself?"
            )
        return f"cannot open the file: {_reason(exc)}"
    if stat.S_ISDIR(mode):
        return "this is a folder, not a workbook file: put the workbook itself in the month folder"
    if not stat.S_ISREG(mode):
        return (
            "this is not an ordinary file (a pipe, socket or device), so it is not read: "
            "save the workbook as a file"
        )
    return None


def ole_kind(data: bytes) -> str:
    """'encrypted' for a password-protected .xlsx, 'legacy-xls' for an Excel 97-2003 file.

    Both are OLE compound files (`data`, the whole file); their directory names the
    streams in UTF-16LE: an encrypted package holds "EncryptedPackage", an old workbook
    "Workbook" or "Book".
    """
    if (
        "EncryptedPackage".encode("utf-16-le") in data
        or "EncryptionInfo".encode("utf-16-le") in data
    ):
        return "encrypted"
    if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data:
        return "legacy-xls"
    return "ole-other"


def _refuse_ole(path: Path, limits: Limits) -> None:
    with open_file(path) as handle:
        kind = ole_kind(handle.read(limits.max_file_bytes))
    if kind == "encrypted":
        raise XlsxError(
            "encrypted",
            "the workbook is password-protected (encrypted), so it cannot be read: "
            "remove the password (File > Info > Protect Workbook) and send it again",
        )
    if kind == "legacy-xls":
        raise XlsxError(
            "legacy-xls",
            "this is an old-format Excel 97-2003 workbook (.xls): fill in the .xlsx "
            "template, or save this file as Excel Workbook (.xlsx)",
        )
    raise XlsxError(
        "not-a-workbook",
        "this is an old-format Office file but not a workbook: send the .xlsx return",
    )


def open_archive(path: Path, limits: Limits) -> zipfile.ZipFile:
    """The file's zip archive, its members checked; raises `XlsxError` if it is refused."""
    problem = unreadable(path)
    if problem is not None:
        raise XlsxError("unreadable-file", problem)
    try:
        size = path.stat().st_size
        with open_file(path) as handle:
            head = handle.read(512)
    except OSError as exc:
        raise XlsxError(
            "unreadable-file", f"cannot open the file: {_reason(exc)}; send it again"
        ) from None
    if head[:8] == OLE_SIGNATURE:
        _refuse_ole(path, limits)
    if size > limits.max_file_bytes:
        raise XlsxError(
            "too-large",
            f"the file is {size:,} bytes, over the limit of {limits.max_file_bytes:,}",
        )
    if head[:4] not in ZIP_SIGNATURES:
        raise XlsxError(
            "not-a-workbook",
            f"not an Excel workbook (.xlsx): it looks like {sniff(head)}; "
            "fill in the .xlsx template and send that",
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise XlsxError(
            "corrupt-workbook",
            f"the workbook is damaged (cut short in sending?): its zip archive cannot be "
            f"read ({exc}); save it again and send it",
        ) from None
    try:
        check_members(archive.infolist(), limits)
    except BaseException:
        archive.close()
        raise
    return archive


def check_members(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse encrypted members and declared sizes or ratios beyond the limits."""
    if len(infos) > limits.max_members:
        raise XlsxError(
            "too-large",
            f"the workbook has {len(infos):,} parts, over the limit of {limits.max_members:,}",
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise XlsxError(
                "encrypted",
                f"part {info.filename} is encrypted: remove the password and send it again",
            )
        if info.file_size > limits.max_member_bytes:
            raise XlsxError(
                "too-large",
                f"part {info.filename} inflates to {info.file_size:,} bytes, over the "
                f"limit of {limits.max_member_bytes:,}",
            )
        if info.file_size > limits.ratio_floor:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise XlsxError(
                    "too-large",
                    f"part {info.filename} would inflate {ratio:,.0f} times "
                    f"({info.compress_size:,} to {info.file_size:,} bytes): refused as a "
                    "possible zip bomb",
                )
        total += info.file_size
    if total > limits.max_total_bytes:
        raise XlsxError(
            "too-large",
            f"the workbook inflates to {total:,} bytes, over the limit of "
            f"{limits.max_total_bytes:,}",
        )
