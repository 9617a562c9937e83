"""The ledger on real SQLite files: its schema and migrations, recording in one
transaction, refusing a newer, damaged or foreign file without touching it, two
processes writing at once, and holding exactly what the returns held."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scorecard.catalogue import Catalogue
from scorecard.ledger import (
    SCHEMA_VERSION,
    FigureRow,
    Ledger,
    LedgerDamaged,
    LedgerError,
    LedgerNewer,
    PackRecord,
    PackRow,
    ReturnVersion,
    history,
    integrity,
)
from scorecard.ledger.schema import APPLICATION_ID, MIGRATIONS, connect
from scorecard.periods import Month
from scorecard.returns import read_return, read_returns
from scorecard.revisions import compile_recorded
from scorecard.revisions.knowledge import pack_figures
from tests.unit.test_returns import write_month

Fill = Callable[..., dict]


def version(n: int, value: float = 1.0, folder: str = "2008-07") -> ReturnVersion:
    return ReturnVersion(
        path=f"returns/{folder}/crime.xlsx",
        sha256=f"{n:064x}",
        folder=folder,
        owner="crime",
        sign_name="A. Lead",
        figures=(FigureRow("sac", "offences", "2008-06", value, cell="F5"),),
    )


def pack(identity: tuple[str, str, str], month: str = "2008-07") -> PackRecord:
    return PackRecord(
        month=month,
        fingerprint="f" * 64,
        catalogue="indicators.yaml",
        master="out/master.xlsx",
        inputs=(identity,),
        rows=(PackRow("sac", "1,000", 1000.0, "RED"),),
    )


def test_a_new_ledger_has_the_schema_and_marks(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger(path):
        pass
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"returns", "figures", "comments", "packs", "pack_inputs", "locks"} <= tables


def test_an_older_ledger_is_migrated_and_keeps_its_records(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO returns VALUES (1, 'abc', 'returns/2008-06/crime.xlsx', '2008-06', 'crime',"
        " 'Return', 1, 'A. Lead', '', '', '2008-07-05T10:00:00.000000Z')"
    )
    conn.close()
    with Ledger(path) as ledger:
        assert [v.sha256 for v in ledger.versions()] == ["abc"]
        assert ledger.locks() == {}  # the table version 2 added
        ledger.lock("2008-06")
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_compile_is_one_transaction(tmp_path: Path) -> None:
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        first = version(1)
        pid = ledger.record([first], pack(first.identity), now="2008-08-05T10:00:00.000000Z")
        assert [p.id for p in ledger.packs()] == [pid]
        assert [v.sha256 for v in ledger.packs()[0].inputs] == [first.sha256]
        # A pack that cannot be written (two rows for one key) leaves nothing behind.
        bad = pack(version(2).identity)
        bad = PackRecord(**{**bad.__dict__, "rows": bad.rows * 2})
        with pytest.raises(LedgerError, match="cannot be written"):
            ledger.record([version(2)], bad)
        assert len(ledger.versions()) == 1 and len(ledger.packs()) == 1
        # A version seen again keeps its first sighting, and its figures are not doubled.
        ledger.record([first], None, now="2009-01-01T00:00:00.000000Z")
        (seen,) = ledger.versions()
        assert seen.first_seen == "2008-08-05T10:00:00.000000Z"
        assert len(history(ledger)) == 1


def test_a_newer_ledger_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LedgerNewer, match="newer scorecard"):
        Ledger(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"this is not a database, it is a text file\n" * 100),
        lambda p: p.write_bytes(p.read_bytes()[:1500]),  # truncated
        lambda p: p.write_bytes(p.read_bytes()[:100] + b"\xff" * 4000 + p.read_bytes()[4100:]),
    ],
    ids=["text", "truncated", "overwritten"],
)
def test_a_damaged_ledger_is_refused_and_left_as_it_is(
    tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger(path) as ledger:
        for n in range(30):
            ledger.record([version(n)], None)
    damage(path)
    before = path.read_bytes()
    with pytest.raises(LedgerDamaged, match=r"left untouched for recovery|cannot be opened"):
        Ledger(path)
    assert path.read_bytes() == before


def damage_a_late_page(path: Path) -> None:
    """Garbage over the ledger's last page: the header and schema intact."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[len(data) - page :] = b"\xff" * page
    path.write_bytes(bytes(data))


def test_opening_checks_the_header_and_integrity_checks_the_whole_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger(path) as ledger:
        for n in range(60):
            ledger.record([version(n)], None)
    assert integrity(path) == []
    damage_a_late_page(path)
    before = path.read_bytes()
    Ledger(path).close()  # opening reads the header and the schema only: not every page
    faults = integrity(path)
    assert faults and all(isinstance(f, str) and f for f in faults)
    assert path.read_bytes() == before  # checked read-only


def test_a_ledger_shorter_than_its_header_counts_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger(path) as ledger:
        for n in range(60):
            ledger.record([version(n)], None)
    page = int.from_bytes(path.read_bytes()[16:18], "big")
    path.write_bytes(path.read_bytes()[: 2 * page])  # page 1 intact, the rest cut off
    with pytest.raises(LedgerDamaged, match="where its header counts"):
        Ledger(path)


def test_a_foreign_database_is_not_a_ledger(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LedgerDamaged, match="not a scorecard ledger"):
        Ledger(path)
    assert path.read_bytes() == before


def _record_many(path: str, start: int, count: int) -> None:
    with Ledger(path) as ledger:
        for n in range(start, start + count):
            v = version(n)
            ledger.record([v], pack(v.identity))


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "ledger.sqlite")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_record_many, args=(path, i * 100, 25)) for i in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    with Ledger(path) as ledger:
        assert len(ledger.versions()) == 50
        packs = ledger.packs()
        assert len(packs) == 50 and all(len(p.inputs) == 1 for p in packs)
        assert ledger.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert ledger.conn.execute("SELECT count(*) FROM figures").fetchone()[0] == 50


def test_compiles_opening_a_new_ledger_at_once_all_open_it(tmp_path: Path) -> None:
    """Several connections creating one new ledger at the same moment: none is told the
    ledger is locked (SQLite refuses the switch to WAL without waiting) or foreign (its
    tables seen before its marks)."""
    failures: list[str] = []

    def open_it(path: Path) -> None:
        try:
            connect(path).close()
        except LedgerError as exc:
            failures.append(str(exc))

    for attempt in range(25):
        path = tmp_path / f"ledger-{attempt}.sqlite"
        threads = [threading.Thread(target=open_it, args=(path,)) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert failures == []


def test_the_ledger_holds_what_the_returns_held(
    mini: Catalogue, fill: Fill, tmp_path: Path
) -> None:
    root = tmp_path / "returns"
    write_month(mini, fill, root, folder="2008-06")
    write_month(mini, fill, root, changes={"crime": {("sac", "offences", "2008-06"): 560}})
    held: dict[tuple[str, str, str, str], tuple[object, str]] = {}
    for file in read_returns(mini, root, Month(2008, 7), workers=0).files:
        assert file.month is not None
        ret = read_return(mini, root.parent / file.path, file.path, file.month)
        for (key, measure), series in ret.figures.items():
            for index, entry in series.items():
                where = (ret.display, key, measure, str(Month.from_index(index)))
                held[where] = (entry.value, entry.cell)
    assert held
    path = tmp_path / "ledger.sqlite"
    run, recorder = compile_recorded(mini, root, Month(2008, 7), ledger=path)
    recorder.record(run, tmp_path / "master.xlsx")
    recorder.close()
    with Ledger(path) as ledger:
        versions = ledger.versions()
        figures = ledger.figures(v.id for v in versions)
        rows = {
            (v.path, r.key, r.measure, r.month): (r.value, r.cell)
            for v in versions
            for r in figures[v.id]
        }
    assert rows == held


def test_a_ledger_new_to_a_cached_folder_still_gets_every_return(
    mini: Catalogue, fill: Fill, tmp_path: Path
) -> None:
    root, cache = tmp_path / "returns", tmp_path / "cache"
    write_month(mini, fill, root, folder="2008-06")
    write_month(mini, fill, root)
    for name in ("first.sqlite", "second.sqlite"):  # the second: the cache knows it all
        run, recorder = compile_recorded(
            mini, root, Month(2008, 7), ledger=tmp_path / name, cache_dir=cache
        )
        recorder.record(run, tmp_path / "master.xlsx")
        recorder.close()
    with Ledger(tmp_path / "first.sqlite") as first, Ledger(tmp_path / "second.sqlite") as second:
        assert len(second.versions()) == len(first.versions()) == 6
        assert len(history(second)) == len(history(first)) > 0


def test_a_damaged_string_is_recorded_escaped(tmp_path: Path) -> None:
    """SQLite's text is UTF-8: a lone surrogate from a damaged cell is kept as its escape."""
    damaged = ReturnVersion(
        path="returns/2008-07/crime.xlsx",
        sha256="d" * 64,
        folder="2008-07",
        owner="crime",
        figures=(FigureRow("ct", "progress", "2008-07", "On track \ud800", cell="I5"),),
    )
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        ledger.record([damaged], pack(damaged.identity))
        (row,) = history(ledger)
    assert row.value == "On track \\ud800"


def test_a_return_refused_once_and_used_later_is_in_the_history(tmp_path: Path) -> None:
    refused = ReturnVersion(**{**version(7).__dict__, "usable": False})
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        ledger.record([refused], None)
        assert history(ledger) == []  # a refused return's figures were not used
        ledger.record([version(7)], None)
        assert [row.value for row in history(ledger)] == [1.0]


@pytest.mark.parametrize("value", ["12", "1e5", 1035.0, 1035, 70.5, "On track"])
def test_a_figure_comes_back_as_the_return_held_it(tmp_path: Path, value: object) -> None:
    held = ReturnVersion(
        **{**version(8).__dict__, "figures": (FigureRow("ct", "m", "2008-07", value),)}
    )
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        ledger.record([held], None)
        (row,) = history(ledger)
    assert row.value == value and type(row.value) is type(value)


def test_the_next_month_knows_each_status_of_the_last_pack(
    mini: Catalogue, fill: Fill, tmp_path: Path
) -> None:
    """The board summary's "moves since the last pack" read these."""
    root, path = tmp_path / "returns", tmp_path / "ledger.sqlite"
    write_month(mini, fill, root, folder="2008-06")
    june, recorder = compile_recorded(mini, root, Month(2008, 6), ledger=path)
    assert june.changes is None  # no pack before it
    recorder.record(june, tmp_path / "june.xlsx")
    recorder.close()
    write_month(mini, fill, root)
    july, recorder = compile_recorded(mini, root, Month(2008, 7), ledger=path)
    recorder.close()
    assert july.changes is not None and july.changes.pack_month == Month(2008, 6)
    assert dict(july.changes.pack_statuses) == {
        r.indicator.key: str(r.status) for r in june.results
    }


def compiled_and_recorded(mini: Catalogue, root: Path, month: Month, path: Path, **kw: Any) -> Any:
    run, recorder = compile_recorded(mini, root, month, ledger=path, **kw)
    assert recorder.record(run, path.parent / f"{month}.xlsx") == []
    read = recorder.read
    recorder.close()
    return run, read


def test_a_pack_stores_only_the_figures_its_inputs_do_not_give(
    mini: Catalogue, fill: Fill, tmp_path: Path
) -> None:
    """June compiled and locked; July revises June: the locked figure kept, and the
    reader's marks for an owner with no return, are all the July pack stores; its
    figures read back are those it assessed."""
    root, path = tmp_path / "returns", tmp_path / "ledger.sqlite"
    write_month(mini, fill, root, folder="2008-06")
    compiled_and_recorded(mini, root, Month(2008, 6), path)
    with Ledger(path) as ledger:
        ledger.lock("2008-06")
    write_month(mini, fill, root, changes={"crime": {("sac", "offences", "2008-06"): 560}})
    (root / "2008-07" / "surveys.xlsx").write_text("not a workbook")  # refused: marks
    run, read = compiled_and_recorded(mini, root, Month(2008, 7), path)
    assert any(p.code == "locked-month-changed" for p in run.problems)
    with Ledger(path) as ledger:
        july = ledger.last_pack(month="2008-07")
        assert july is not None and july.delta
        stored = ledger.conn.execute(
            "SELECT count(*) FROM pack_figures WHERE pack_id = ?", (july.id,)
        ).fetchone()[0]
        back = pack_figures(ledger, july)
    kept = read.figures[("sac", "offences")][Month(2008, 6)]
    assert back[("sac", "offences")][Month(2008, 6)] == kept and kept.value != 560
    marks = sum(f.source is None for s in read.figures.values() for f in s.values())
    assert marks and stored == marks + 1
    assert back == read.figures


def test_a_re_run_that_changes_nothing_adds_little_to_the_ledger(
    mini: Catalogue, fill: Fill, tmp_path: Path
) -> None:
    root, path = tmp_path / "returns", tmp_path / "ledger.sqlite"
    write_month(mini, fill, root, folder="2008-06")
    write_month(mini, fill, root)
    compiled_and_recorded(mini, root, Month(2008, 7), path)
    first = path.stat().st_size
    compiled_and_recorded(mini, root, Month(2008, 7), path)
    with Ledger(path) as ledger:
        packs = ledger.packs()
        assert len(packs) == 2 and pack_figures(ledger, packs[0]) == pack_figures(ledger, packs[1])
        assert not ledger.conn.execute("SELECT count(*) FROM pack_figures").fetchone()[0]
    assert path.stat().st_size - first < first / 10


def test_a_version_two_ledger_migrates_with_its_packs_figures_as_they_were(
    tmp_path: Path,
) -> None:
    """Schema 2 kept a copy of every figure a pack assessed; after the migrations the
    pack reads back those figures, and the return's figures are kept."""
    path = tmp_path / "ledger.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in MIGRATIONS[0] + MIGRATIONS[1]:
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 2")
    conn.execute(
        "INSERT INTO returns VALUES (1, 'abc', 'returns/2008-07/crime.xlsx', '2008-07', 'crime',"
        " 'Return', 1, 'A. Lead', '', '', '2008-07-05T10:00:00.000000Z')"
    )
    conn.execute(
        "INSERT INTO figures VALUES (1, 'sac', 'offences', '2008-07', 500, NULL, NULL, 'F5')"
    )
    conn.execute(
        "INSERT INTO packs VALUES"
        " (1, '2008-07', '2008-08-01T00:00:00.000000Z', 'f', 'c', 'm', NULL)"
    )
    conn.execute("INSERT INTO pack_inputs VALUES (1, 0, 1)")
    conn.execute(  # the pack kept the locked June figure, which no input gives
        "INSERT INTO pack_figures VALUES"
        " (1, 'sac', 'offences', '2008-06', 480, NULL, NULL, 1, 'E5')"
    )
    conn.close()
    with Ledger(path) as ledger:
        (old,) = ledger.packs()
        assert not old.delta and old.inputs[0].usable
        figures = pack_figures(ledger, old)
        assert [f.value for f in figures[("sac", "offences")].values()] == [480]
        assert [r.value for r in ledger.figures([1])[1]] == [500]
