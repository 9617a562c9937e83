"""The ledger's schema, its migrations, and opening a ledger file safely.

The schema's version is SQLite's ``user_version``; ``application_id`` marks the file as
a scorecard ledger. Each migration takes the schema one version up and runs in the
transaction that records its version, so a ledger is at one version or the next, never
between. A ledger from a newer scorecard (a higher version) is refused, never migrated
down nor written to; a damaged or foreign file is refused before anything writes to it,
so it is left exactly as it was, for recovery.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from ..errors import ScorecardError
from .access import read_only_media, read_uri, remote_reason, space_note

APPLICATION_ID = 0x53435244  # "SCRD"
BUSY_TIMEOUT = 120.0  # seconds a compile waits for another one to finish writing

# MIGRATIONS[n] takes the schema from version n to n + 1. A figure's `value` has no
# declared type, so SQLite keeps it as given: a number as a number, a text answer such
# as "12" as text (a typed column would turn it into the number 12).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE returns (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL, path TEXT NOT NULL, folder TEXT NOT NULL,
            owner TEXT NOT NULL, sheet TEXT NOT NULL, usable INTEGER NOT NULL,
            sign_name TEXT NOT NULL, sign_role TEXT NOT NULL, sign_date TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            UNIQUE (sha256, path, folder))""",
        """CREATE TABLE figures (
            return_id INTEGER NOT NULL REFERENCES returns (id),
            key TEXT NOT NULL, measure TEXT NOT NULL, month TEXT NOT NULL,
            value, not_available TEXT, problem TEXT, cell TEXT NOT NULL,
            PRIMARY KEY (return_id, key, measure, month))""",
        "CREATE INDEX figures_by_row ON figures (key, measure, month)",
        """CREATE TABLE comments (
            return_id INTEGER NOT NULL REFERENCES returns (id),
            key TEXT NOT NULL, month TEXT NOT NULL, text TEXT NOT NULL, cell TEXT NOT NULL,
            PRIMARY KEY (return_id, key, month))""",
        """CREATE TABLE packs (
            id INTEGER PRIMARY KEY,
            month TEXT NOT NULL, compiled_at TEXT NOT NULL, fingerprint TEXT NOT NULL,
            catalogue TEXT NOT NULL, master TEXT NOT NULL, as_of TEXT)""",
        """CREATE TABLE pack_inputs (
            pack_id INTEGER NOT NULL REFERENCES packs (id),
            position INTEGER NOT NULL,
            return_id INTEGER NOT NULL REFERENCES returns (id),
            PRIMARY KEY (pack_id, position))""",
        """CREATE TABLE pack_rows (
            pack_id INTEGER NOT NULL REFERENCES packs (id),
            key TEXT NOT NULL, text TEXT NOT NULL, value REAL, status TEXT NOT NULL,
            PRIMARY KEY (pack_id, key))""",
        # The figures a pack assessed, merged: each from the input it came from
        # (return_id), or from none (the reader's mark for a refused return).
        """CREATE TABLE pack_figures (
            pack_id INTEGER NOT NULL REFERENCES packs (id),
            key TEXT NOT NULL, measure TEXT NOT NULL, month TEXT NOT NULL,
            value, not_available TEXT, problem TEXT,
            return_id INTEGER REFERENCES returns (id), cell TEXT NOT NULL,
            PRIMARY KEY (pack_id, key, measure, month))""",
    ),
    (
        """CREATE TABLE locks (
            month TEXT PRIMARY KEY, locked_at TEXT NOT NULL, note TEXT NOT NULL)""",
    ),
    # A pack keeps its figures by reference: those its inputs give, merged as the reader
    # merges them (latest used input wins), are not copied; `pack_figures` holds only
    # the others (a locked figure kept, the reader's marks), where `packs.delta` is 1.
    # `pack_inputs.used`: whether the compile merged that input (not a refused copy).
    (
        "ALTER TABLE packs ADD COLUMN delta INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE pack_inputs ADD COLUMN used INTEGER NOT NULL DEFAULT 1",
        """UPDATE pack_inputs SET used = (
            SELECT usable FROM returns WHERE returns.id = pack_inputs.return_id)""",
    ),
    # What the reader's merge needs beyond figures, to merge a pack's returns again as
    # the compile did (`--as-of`): each return as read (its rows, problems, sign-off,
    # counts: the cache's own serialisation, compressed) and each pack's outline (the
    # folders' problems, the returns in the order merged, those refused unread).
    (
        "ALTER TABLE returns ADD COLUMN record BLOB",
        "ALTER TABLE packs ADD COLUMN outline BLOB",
    ),
    # The figures stored once, in their key's order (WITHOUT ROWID: no second B-tree
    # for the key), and no index by row: a history query reads the table through (a
    # tenth of a second at 400,000 figures), where each compile would pay for the
    # index on every insert and every ledger would carry it (a third of its size).
    (
        """CREATE TABLE figures_kept (
            return_id INTEGER NOT NULL REFERENCES returns (id),
            key TEXT NOT NULL, measure TEXT NOT NULL, month TEXT NOT NULL,
            value, not_available TEXT, problem TEXT, cell TEXT NOT NULL,
            PRIMARY KEY (return_id, key, measure, month)) WITHOUT ROWID""",
        "INSERT INTO figures_kept SELECT return_id, key, measure, month, value, not_available,"
        " problem, cell FROM figures",
        "DROP TABLE figures",
        "ALTER TABLE figures_kept RENAME TO figures",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class LedgerError(ScorecardError):
    """The ledger cannot be used; the compile goes on without it."""

    code = "ledger-unusable"


class LedgerNewer(LedgerError):
    """The ledger was written by a newer scorecard."""

    code = "ledger-newer"


class LedgerRemote(LedgerError):
    """The ledger is on a network file system, where SQLite's locks do not hold."""


class LedgerDamaged(LedgerError):
    """The ledger file is damaged, or is not a scorecard ledger."""

    code = "ledger-damaged"


def check_file(path: Path) -> None:
    """Refuse a ledger that is damaged, foreign or newer, opening it read-only so that
    nothing is written to a file that is refused.

    Only the header is checked (SQLite's 100 bytes, the schema's page, the marks): a
    cost that does not grow with the ledger. The whole file is checked on demand
    (`integrity`, `scorecard check-ledger`)."""
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return  # a new ledger
    if not path.is_file():
        raise LedgerDamaged(f"ledger {path} is not a file: name a file with --ledger")
    check_header(path)
    try:
        conn = sqlite3.connect(read_uri(path), uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise not_readable(path, exc) from None
    try:
        # One read transaction: a compile creating the ledger at this moment is seen
        # wholly or not at all, never its tables without its marks.
        conn.execute("BEGIN")
        app, version = (conn.execute(f"PRAGMA {name}").fetchone()[0] for name in _MARKS)
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.Error as exc:
        raise not_readable(path, exc) from None
    finally:
        conn.close()
    if app != APPLICATION_ID and (tables or version):
        raise LedgerDamaged(
            f"{path} is an SQLite database but not a scorecard ledger: name another file "
            "with --ledger"
        )
    if version > SCHEMA_VERSION:
        raise LedgerNewer(
            f"ledger {path} was written by a newer scorecard (schema version {version}; this "
            f"one knows up to {SCHEMA_VERSION}): upgrade scorecard to use it; it is left as it is"
        )


SQLITE_MAGIC = b"SQLite format 3\0"
# SQLite's answers that say the file could not be reached (the disk, its permissions, a
# lock), not that it is damaged: such a ledger is unusable now, and left as it is.
NOT_DAMAGE = ("SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_FULL", "SQLITE_READONLY",
              "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_PERM", "SQLITE_AUTH")  # fmt: skip


def not_readable(path: Path, exc: sqlite3.Error) -> LedgerError:
    """The error for a ledger whose header is sound but SQLite could not read: damaged,
    or (a full disk, permissions, a lock) unusable for now."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(NOT_DAMAGE):
        return LedgerError(f"ledger {path} cannot be read now ({exc}{space_note(path)})")
    return LedgerDamaged(_damaged(path, str(exc)))


def check_header(path: Path, tries: int = 20) -> None:
    """Refuse a file whose SQLite header is not one, or that is shorter than the pages
    its header counts (cut short). A compile may be checkpointing at this moment (its
    header written before its last pages): a short file is looked at again, `tries`
    times over a second, before it is called cut short."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError as exc:
        raise LedgerError(f"ledger {path} cannot be read: {exc}") from None
    if tries > 1 and _counted_size(header) > size:
        time.sleep(0.05)
        return check_header(path, tries - 1)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise LedgerDamaged(_damaged(path, "no SQLite header"))
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    counted = header[24:28] == header[92:96]  # the page count is valid (SQLite's rule)
    if page_size < 512 or page_size & (page_size - 1):
        raise LedgerDamaged(_damaged(path, f"page size {page_size} in its header"))
    if counted and size < pages * page_size:  # also after `tries`
        raise LedgerDamaged(
            _damaged(path, f"{size:,} bytes where its header counts {pages * page_size:,}")
        )


def _counted_size(header: bytes) -> int:
    """The file's length as an SQLite header counts it (0 where it does not count)."""
    if len(header) < 100 or header[24:28] != header[92:96]:
        return 0
    page_size = int.from_bytes(header[16:18], "big")
    return int.from_bytes(header[28:32], "big") * (65536 if page_size == 1 else page_size)


def integrity(path: Path) -> list[str]:
    """The whole ledger checked (SQLite's integrity_check and foreign_key_check), read
    only: each fault found, or none."""
    check_file(path)
    try:
        conn = sqlite3.connect(read_uri(path), uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise LedgerDamaged(f"ledger {path} cannot be opened ({exc})") from None
    try:
        faults = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
        faults = [] if faults == ["ok"] else faults
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
            faults.append(f"{table} row {rowid} points at a {parent} row that is not there")
    except sqlite3.Error as exc:
        faults = [str(exc)]
    finally:
        conn.close()
    return faults


_MARKS = ("application_id", "user_version")


def _damaged(path: Path, why: str) -> str:
    return (
        f"ledger {path} is damaged ({why}): it is left untouched for recovery (sqlite3 "
        f"{path.name} '.recover'); move it aside to start a new one"
    )


def check_place(path: Path) -> None:
    """Refuse a ledger on a network file system (`LedgerRemote`), reading or writing."""
    why = remote_reason(path)
    if why is not None:
        raise LedgerRemote(why)


def connect_to_read(path: Path) -> sqlite3.Connection:
    """A connection that only reads the ledger at `path`: never migrated nor written,
    on read-only media too. `LedgerError` if it cannot be used."""
    check_place(path)
    check_file(path)
    try:
        return sqlite3.connect(read_uri(path), uri=True, timeout=BUSY_TIMEOUT)
    except sqlite3.Error as exc:
        raise LedgerError(f"ledger {path} cannot be read: {exc}") from None


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the ledger at `path`, created or migrated to SCHEMA_VERSION.

    Autocommit mode: every write is in an explicit ``BEGIN IMMEDIATE`` transaction, so
    two compiles at once take turns (each waits up to BUSY_TIMEOUT) rather than fail.
    """
    check_place(path)
    check_file(path)
    if read_only_media(path):
        raise LedgerError(
            f"ledger {path} is on read-only media: it can be read (scorecard history, "
            "compile --as-of) but takes no record; name a writable ledger with --ledger"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise LedgerError(f"ledger {path} cannot be opened: {exc}{space_note(path)}") from None
    try:
        use_wal(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise LedgerError(f"ledger {path} cannot be opened: {exc}{space_note(path)}") from None
    except BaseException:
        conn.close()
        raise
    return conn


def use_wal(conn: sqlite3.Connection) -> None:
    """Put the ledger in WAL mode, waiting for another compile as a write would.

    Two processes that open a new ledger at once both ask for WAL, and SQLite answers one
    of them "database is locked" at once, without its busy handler (each holds the lock
    the other needs), so the wait is ours: retried until BUSY_TIMEOUT.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to SCHEMA_VERSION, one migration per transaction."""
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:  # another scorecard got there first
                raise LedgerNewer(f"ledger {path} was written by a newer scorecard")
            if version == SCHEMA_VERSION:
                conn.execute("COMMIT")
                return
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite rolls back by itself on a full disk
                conn.execute("ROLLBACK")
            raise
