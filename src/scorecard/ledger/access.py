"""Where a ledger may be kept, and opening one only to read.

SQLite's locking is unreliable on a network file system (NFS, SMB/CIFS): two compiles at
once can corrupt the file, so a ledger there is refused, with the reason and the fix.
The file system's type is read from ``/proc/self/mountinfo`` (Linux); where there is
none (macOS, Windows) it cannot be told and nothing is refused.

A ledger on read-only media (a CD, a read-only mount, an archive share) cannot take a
write: it is opened as immutable, which SQLite reads without its WAL or lock files, so
that `history` and `compile --as-of` read it; a compile goes on without recording.
"""

from __future__ import annotations

import os
from pathlib import Path

MOUNTINFO = Path("/proc/self/mountinfo")
NETWORK_FILE_SYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "afs", "ncpfs", "fuse.sshfs", "davfs"}
)


def _unescape(field: str) -> str:
    """A mountinfo path: spaces, tabs, newlines and backslashes are written in octal."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, file system type) of each line of a mountinfo file."""
    out = []
    for line in text.splitlines():
        before, _, after = line.partition(" - ")
        fields, rest = before.split(), after.split()
        if len(fields) >= 5 and rest:
            out.append((_unescape(fields[4]), rest[0]))
    return out


def nearest_folder(path: Path) -> Path:
    """The folder `path` is in, or its nearest ancestor that exists (a new ledger)."""
    folder = Path(os.path.abspath(path)).parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder.resolve()


def file_system(path: Path) -> str | None:
    """The type of the file system `path` is on (``ext4``, ``nfs4``...), or None where
    it cannot be told."""
    try:
        text = MOUNTINFO.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    folder = nearest_folder(path)
    best: tuple[int, str] | None = None
    for point, kind in mounts(text):
        mount = Path(point)
        if (folder == mount or folder.is_relative_to(mount)) and (
            best is None or len(point) >= best[0]
        ):
            best = (len(point), kind)  # the last of equal ones: mounted over the others
    return None if best is None else best[1]


def remote_reason(path: Path) -> str | None:
    """Why a ledger at `path` is refused, with the fix, where it is on a network share."""
    kind = file_system(path)
    if kind is None or not (kind in NETWORK_FILE_SYSTEMS or kind.startswith(("nfs", "smb"))):
        return None
    return (
        f"ledger {path} is on a network file system ({kind}), where SQLite's locking is "
        "unreliable and two compiles at once can corrupt it: keep the ledger on a "
        "local disk (--ledger PATH, or organisation.ledger.path in the catalogue) and "
        "back it up to the share with sqlite3's .backup"
    )


def read_only_media(path: Path) -> bool:
    """Whether the file system holding `path` is mounted read-only."""
    try:
        return bool(os.statvfs(nearest_folder(path)).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows): cannot be told
        return False


def disk_full(path: Path) -> bool:
    """Whether the file system holding `path` has no block left to write."""
    try:
        return os.statvfs(nearest_folder(path)).f_bavail == 0
    except (OSError, AttributeError):
        return False


def space_note(path: Path) -> str:
    """A note for a message where the disk under `path` is full, else nothing."""
    return "; the disk it is on is full" if disk_full(path) else ""


def read_uri(path: Path) -> str:
    """The URI that opens the ledger at `path` to read only. Immutable on read-only
    media or a full disk, where SQLite cannot make the shared-memory file its readers'
    locks need (and nobody can write the ledger meanwhile), unless its WAL file holds
    transactions not yet in the file, which only a reader with locks sees."""
    wal = Path(f"{path}-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    still = (read_only_media(path) or disk_full(path)) and not pending
    return f"{path.resolve().as_uri()}?{'immutable=1' if still else 'mode=ro'}"
