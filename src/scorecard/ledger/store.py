"""The ledger: recording a compile in one transaction, and reading back what it holds.

A thin layer over the standard library's sqlite3: rows in and out as the plain records
of `records`, explicit transactions, nothing deleted or changed once written (but for a
return refused once, as a second copy in its folder, and used later: it is marked as
used). What it records is what `scorecard.revisions` hands it; it imports nothing of
the pipeline.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from .access import read_only_media, space_note
from .records import (
    CommentRow,
    FigureRow,
    Identity,
    Pack,
    PackRecord,
    PackRow,
    ReturnVersion,
    StoredVersion,
    now_text,
)
from .schema import SCHEMA_VERSION, LedgerError, connect, connect_to_read

_VERSION_COLUMNS = (
    "id, path, sha256, folder, owner, sheet, usable, sign_name, sign_role, sign_date, first_seen"
)
_PACK_COLUMNS = "id, month, compiled_at, fingerprint, catalogue, master, as_of, delta"
_FIGURE_COLUMNS = "key, measure, month, value, not_available, problem, cell"


class Ledger:
    """An open ledger file (see the package's docstring)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.conn = connect(self.path)

    @classmethod
    def reading(cls, path: str | Path) -> Ledger:
        """The ledger at `path`, opened only to read (see `schema.connect_to_read`); an
        older one on writable media is migrated forward first, so that it can be read."""
        ledger = cls.__new__(cls)
        ledger.path = Path(path)
        ledger.conn = connect_to_read(ledger.path)
        version = ledger.conn.execute("PRAGMA user_version").fetchone()[0]
        if 0 < version < SCHEMA_VERSION and not read_only_media(ledger.path):
            ledger.close()
            return cls(path)
        return ledger

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE): all of it or none."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise LedgerError(
                f"ledger {self.path} cannot be written: {exc}{space_note(self.path)}"
            ) from None
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except (sqlite3.Error, ValueError, OverflowError) as exc:  # a value SQLite cannot hold
            rollback(self.conn)
            raise LedgerError(
                f"ledger {self.path} cannot be written: {exc}{space_note(self.path)}"
            ) from None
        except BaseException:
            rollback(self.conn)
            raise

    # --- recording ----------------------------------------------------------------------

    def identities(self) -> set[Identity]:
        """Every return version the ledger holds (each with its figures)."""
        rows = self.conn.execute("SELECT sha256, path, folder FROM returns")
        return {(str(sha), str(path), str(folder)) for sha, path, folder in rows}

    def record(
        self, versions: Iterable[ReturnVersion], pack: PackRecord | None, now: str | None = None
    ) -> int | None:
        """Record the returns a compile read and the pack it wrote, in one transaction;
        the pack's id. A version the ledger holds already keeps its first sighting."""
        now = now or now_text()
        with self.transaction() as conn:
            for version in versions:
                _insert_version(conn, version, now)
            if pack is None:
                return None
            return _insert_pack(conn, pack, now)

    def lock(self, month: str, note: str = "", now: str | None = None) -> str:
        """Lock `month`: its figures stand as the ledger holds them now. The time it was
        locked (the first time, if it was locked before)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO locks (month, locked_at, note) VALUES (?, ?, ?)",
                (month, now or now_text(), note),
            )
            row = conn.execute("SELECT locked_at FROM locks WHERE month = ?", (month,))
            return str(row.fetchone()[0])

    # --- reading ------------------------------------------------------------------------

    def counts(self) -> tuple[int, int]:
        """How many return versions and packs the ledger holds."""
        versions = self.conn.execute("SELECT count(*) FROM returns").fetchone()[0]
        packs = self.conn.execute("SELECT count(*) FROM packs").fetchone()[0]
        return int(versions), int(packs)

    def locks(self) -> dict[str, str]:
        """Each locked month and when it was locked."""
        rows = self.conn.execute("SELECT month, locked_at FROM locks ORDER BY month")
        return {str(month): str(at) for month, at in rows}

    def versions(self, *, seen_by: str | None = None) -> list[StoredVersion]:
        """Every return version, oldest sighting first; with `seen_by`, only those first
        seen at or before that time."""
        sql = f"SELECT {_VERSION_COLUMNS} FROM returns"
        args: tuple[Any, ...] = ()
        if seen_by is not None:
            sql, args = sql + " WHERE first_seen <= ?", (seen_by,)
        rows = self.conn.execute(sql + " ORDER BY first_seen, id", args)
        return [_version(row) for row in rows]

    def figures(self, version_ids: Iterable[int]) -> dict[int, list[FigureRow]]:
        """The figures each of these versions held."""
        out: dict[int, list[FigureRow]] = {}
        for rid in version_ids:
            rows = self.conn.execute(
                "SELECT key, measure, month, value, not_available, problem, cell FROM figures"
                " WHERE return_id = ? ORDER BY key, measure, month",
                (rid,),
            )
            out[rid] = [FigureRow(*row) for row in rows]
        return out

    def records(self, version_ids: Iterable[int]) -> dict[int, bytes | None]:
        """What each of these versions held beyond its figures, as recorded (None for a
        version recorded before schema 4)."""
        out: dict[int, bytes | None] = {}
        for rid in version_ids:
            row = self.conn.execute("SELECT record FROM returns WHERE id = ?", (rid,)).fetchone()
            out[rid] = None if row is None else row[0]
        return out

    def pack_outline(self, pack_id: int) -> bytes | None:
        """How the pack's returns were merged, as recorded (None before schema 4)."""
        row = self.conn.execute("SELECT outline FROM packs WHERE id = ?", (pack_id,)).fetchone()
        return None if row is None else row[0]

    def pack_made(self, pack_id: int) -> list[FigureRow]:
        """The figures a pack stored itself (see `PackRecord`), as `pack_figures` rows."""
        rows = self.conn.execute(
            "SELECT f.key, f.measure, f.month, f.value, f.not_available, f.problem, f.cell,"
            " coalesce(r.path, ''), coalesce(r.sheet, '') FROM pack_figures AS f"
            " LEFT JOIN returns AS r ON r.id = f.return_id WHERE f.pack_id = ?",
            (pack_id,),
        )
        return [FigureRow(*row) for row in rows]

    def comments(self, version_ids: Iterable[int]) -> dict[int, list[CommentRow]]:
        """The comments each of these versions held."""
        out: dict[int, list[CommentRow]] = {}
        for rid in version_ids:
            rows = self.conn.execute(
                "SELECT key, month, text, cell FROM comments WHERE return_id = ?"
                " ORDER BY key, month",
                (rid,),
            )
            out[rid] = [CommentRow(*row) for row in rows]
        return out

    def packs(self) -> list[Pack]:
        """Every pack compiled, oldest first, each with its inputs."""
        rows = self.conn.execute(f"SELECT {_PACK_COLUMNS} FROM packs ORDER BY compiled_at, id")
        return [self._pack(row) for row in rows.fetchall()]

    def last_pack(
        self, *, month: str | None = None, before_month: str | None = None, at: str | None = None
    ) -> Pack | None:
        """The latest pack compiled from the returns (not rebuilt with --as-of): for
        `month`, or a month before `before_month`, compiled at or before `at`, where given."""
        sql = f"SELECT {_PACK_COLUMNS} FROM packs WHERE as_of IS NULL"
        args: list[str] = []
        if month is not None:
            sql += " AND month = ?"
            args.append(month)
        if before_month is not None:
            sql += " AND month < ?"
            args.append(before_month)
        if at is not None:
            sql += " AND compiled_at <= ?"
            args.append(at)
        row = self.conn.execute(sql + " ORDER BY compiled_at DESC, id DESC LIMIT 1", args)
        found = row.fetchone()
        return None if found is None else self._pack(found)

    def pack_rows(self, pack_id: int) -> dict[str, PackRow]:
        """Each indicator's row of the pack, by key."""
        rows = self.conn.execute(
            "SELECT key, text, value, status FROM pack_rows WHERE pack_id = ?", (pack_id,)
        )
        return {row[0]: PackRow(*row) for row in rows}

    def pack_figures(self, pack_id: int, month: str | None = None) -> list[FigureRow]:
        """The figures the pack assessed (of `month` only, where given)."""
        return [FigureRow(*row) for row in self.pack_figure_rows(pack_id, month)]

    def pack_figure_rows(self, pack_id: int, month: str | None = None) -> Iterator[Any]:
        """`pack_figures` as plain rows, in key, measure and month order: (key, measure,
        month, value, not_available, problem, cell, file, sheet)."""
        delta = self.conn.execute("SELECT delta FROM packs WHERE id = ?", (pack_id,)).fetchone()
        where, args = ("", (pack_id,)) if month is None else (" AND f.month = ?", (pack_id, month))
        stored = (
            "SELECT f.key, f.measure, f.month, f.value, f.not_available, f.problem, f.cell,"
            " coalesce(r.path, ''), coalesce(r.sheet, '') FROM pack_figures AS f"
            " LEFT JOIN returns AS r ON r.id = f.return_id WHERE f.pack_id = ?" + where
        )
        if not (delta and delta[0]):
            return iter(self.conn.execute(stored + " ORDER BY 1, 2, 3", args))
        # Its used inputs' figures, the latest input's winning (SQLite takes a bare
        # column's value from the row max() chose), less those the pack stored itself.
        merged = (
            "SELECT f.key, f.measure, f.month, f.value, f.not_available, f.problem, f.cell,"
            " r.path, r.sheet, max(i.position) FROM pack_inputs AS i"
            " JOIN figures AS f ON f.return_id = i.return_id"
            " JOIN returns AS r ON r.id = i.return_id"
            " WHERE i.pack_id = ? AND i.used = 1" + where + " GROUP BY 1, 2, 3"
        )
        sql = (
            f"SELECT m.key, m.measure, m.month, m.value, m.not_available, m.problem, m.cell,"
            f" m.path, m.sheet FROM ({merged}) AS m WHERE NOT EXISTS (SELECT 1 FROM"
            " pack_figures AS d WHERE d.pack_id = ? AND d.key = m.key AND d.measure = m.measure"
            f" AND d.month = m.month) UNION ALL {stored} ORDER BY 1, 2, 3"
        )
        return iter(self.conn.execute(sql, (*args, pack_id, *args)))

    def pack_comment(self, pack_id: int, key: str, month: str) -> str | None:
        """The lead's words on `key` for `month` as the pack's latest input had them."""
        row = self.conn.execute(
            "SELECT c.text FROM pack_inputs AS i JOIN returns AS r ON r.id = i.return_id"
            " JOIN comments AS c ON c.return_id = i.return_id"
            " WHERE i.pack_id = ? AND r.usable = 1 AND c.key = ? AND c.month = ?"
            " ORDER BY i.position DESC LIMIT 1",
            (pack_id, key, month),
        ).fetchone()
        return None if row is None else str(row[0])

    def _pack(self, row: tuple[Any, ...]) -> Pack:
        inputs = self.conn.execute(
            f"SELECT {', '.join('r.' + c.strip() for c in _VERSION_COLUMNS.split(','))}"
            ", i.used FROM pack_inputs AS i JOIN returns AS r ON r.id = i.return_id"
            " WHERE i.pack_id = ? ORDER BY i.position",
            (row[0],),
        )
        pid, month, compiled_at, fingerprint, catalogue, master, as_of, delta = row
        # Whether the pack merged an input is the pack's: a copy refused then may be
        # used by a later pack.
        used = [replace(_version(r[:-1]), usable=bool(r[-1])) for r in inputs]
        return Pack(
            pid, month, compiled_at, fingerprint, catalogue, master, as_of, tuple(used), bool(delta)
        )


def rollback(conn: sqlite3.Connection) -> None:
    """Undo the transaction, where SQLite has not undone it already: on a full disk or an
    I/O error it rolls back by itself, and a second ROLLBACK would be an error of its own
    hiding the first."""
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def _clean(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row SQLite can store: a lone surrogate (from a damaged string in a return) as
    its \\udXXX escape, since SQLite's text is UTF-8."""
    return tuple(
        v.encode("utf-8", "backslashreplace").decode("utf-8")
        if isinstance(v, str) and not v.isascii() and _unencodable(v)
        else v
        for v in row
    )


def _many(conn: sqlite3.Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """`executemany`, at full speed; rows with a damaged string are written again cleaned
    (see `_clean`), over the part already written."""
    try:
        conn.executemany(sql, rows)
    except UnicodeEncodeError:
        again = sql.replace("INSERT INTO", "INSERT OR REPLACE INTO", 1)
        conn.executemany(again, map(_clean, rows))


def _unencodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _version(row: tuple[Any, ...]) -> StoredVersion:
    values = list(row)
    values[6] = bool(values[6])
    return StoredVersion(*values)


def _insert_version(conn: sqlite3.Connection, version: ReturnVersion, now: str) -> None:
    cursor = conn.execute(
        "INSERT OR IGNORE INTO returns (sha256, path, folder, owner, sheet, usable, sign_name,"
        " sign_role, sign_date, first_seen, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _clean(
            (
                version.sha256,
                version.path,
                version.folder,
                version.owner,
                version.sheet,
                int(version.usable),
                version.sign_name,
                version.sign_role,
                version.sign_date,
                now,
                version.record,
            )
        ),
    )
    if cursor.rowcount != 1:  # held already, with its figures
        if version.usable:  # refused before (a second copy in its folder), used now
            conn.execute(
                "UPDATE returns SET usable = 1 WHERE sha256 = ? AND path = ? AND folder = ?",
                _clean(version.identity),
            )
        return
    rid = cursor.lastrowid
    _many(
        conn,
        "INSERT INTO figures (return_id, key, measure, month, value, not_available, problem,"
        " cell) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(rid, *f[:7]) for f in version.figures],
    )
    _many(
        conn,
        "INSERT INTO comments (return_id, key, month, text, cell) VALUES (?, ?, ?, ?, ?)",
        [(rid, c.key, c.month, c.text, c.cell) for c in version.comments],
    )


def _insert_pack(conn: sqlite3.Connection, pack: PackRecord, now: str) -> int:
    cursor = conn.execute(
        "INSERT INTO packs (month, compiled_at, fingerprint, catalogue, master, as_of, delta,"
        " outline) VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
        _clean(
            (
                pack.month,
                now,
                pack.fingerprint,
                pack.catalogue,
                pack.master,
                pack.as_of,
                pack.outline,
            )
        ),
    )
    pid = cursor.lastrowid
    assert pid is not None
    ids: dict[str, int] = {}
    for position, identity in enumerate(pack.inputs):
        found = conn.execute(
            "SELECT id FROM returns WHERE sha256 = ? AND path = ? AND folder = ?",
            _clean(identity),
        ).fetchone()
        if found is None:
            continue  # not a return the ledger was given: nothing to point at
        ids[identity[1]] = found[0]
        conn.execute(
            "INSERT INTO pack_inputs (pack_id, position, return_id, used) VALUES (?, ?, ?, ?)",
            (pid, position, found[0], int(identity not in pack.unused)),
        )
    _many(
        conn,
        "INSERT INTO pack_rows (pack_id, key, text, value, status) VALUES (?, ?, ?, ?, ?)",
        [(pid, r.key, r.text, r.value, r.status) for r in pack.rows],
    )
    _many(
        conn,
        "INSERT INTO pack_figures (pack_id, key, measure, month, value, not_available,"
        " problem, return_id, cell) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                pid,
                f.key,
                f.measure,
                f.month,
                f.value,
                f.not_available,
                f.problem,
                ids.get(f.file),
                f.cell,
            )
            for f in pack.figures
        ],
    )
    return pid
