"""Remember what each return held, so that a re-run reads only the returns that changed.

On deadline day the performance team compiles again and again as late returns arrive;
all but the newest are the same files as last time. Each return read is kept as one
JSON file in the cache folder, named by a key of everything its reading depends on:

- the file's SHA-256 (its bytes, not its name or date);
- its path as problems name it, and the month folder it sits in;
- the reading context: the catalogue's owners and rows (`reading_context`), and the
  source of the reader's own modules, so a new version of scorecard never trusts what
  an older one read.

A run that finds the key takes the return from the cache instead of reading the file;
any change to any of them is another key, so a stale entry is never used, only pruned.
Only returns that were read to the end are kept: a crash or a timeout is tried again.

JSON, not pickle, so a cache folder on a shared drive cannot be a way to run code. An
unreadable, damaged or foreign entry is a miss, never an error; a folder that cannot be
written only means that nothing is remembered.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .periods import Month

FORMAT = "scorecard-return-cache-5"
# Entries not used for this long are deleted when a run ends: longer than a quarter, so
# that a quarterly or monthly run still finds the returns of the months before.
KEEP_DAYS = 100
# The modules and packages whose code decides what a return holds.
READER_SOURCES = (
    "returns",
    "xlsx",
    "form.py",
    "periods.py",
    "model.py",
    "errors.py",
    "catalogue",
    "cache.py",
)


def default_cache_dir() -> Path | None:
    """The user's cache folder for scorecard: never beside the inputs or the master.

    The platform's own (platformdirs): ``$XDG_CACHE_HOME/scorecard`` or
    ``~/.cache/scorecard`` on Linux, ``~/Library/Caches/scorecard`` on macOS,
    ``%LOCALAPPDATA%\\scorecard\\Cache`` on Windows; None where there is no home folder
    to put it in (then nothing is remembered).
    """
    if not os.environ.get("XDG_CACHE_HOME") and not os.environ.get("LOCALAPPDATA"):
        try:
            Path.home()
        except (RuntimeError, KeyError, OSError):  # no HOME and no password entry
            return None
    folder = Path(platformdirs.user_cache_dir("scorecard", appauthor=False))
    return folder if folder.is_absolute() else None


def reader_fingerprint() -> str:
    """SHA-256 of the reader's own source: another version reads another way."""
    digest = hashlib.sha256(FORMAT.encode())
    here = Path(__file__).parent
    for name in READER_SOURCES:
        source = here / name
        files = sorted(source.rglob("*.py")) if source.is_dir() else [source]
        for file in files:
            try:
                digest.update(file.relative_to(here).as_posix().encode())
                digest.update(file.read_bytes())
            except OSError:  # gone, or an installation without sources
                digest.update(b"-")
    from . import __version__

    digest.update(__version__.encode())
    return digest.hexdigest()


def reading_context(catalogue: Catalogue) -> str:
    """What of the catalogue a return's reading depends on, as a SHA-256.

    Owners, the financial year and frequency, and each indicator's key, owner and
    measures (name and unit): rewording titles, notes or targets leaves it alone.
    """
    organisation = catalogue.organisation
    layout = {
        "owners": [owner.key for owner in catalogue.owners],
        "financial_year_start": organisation.financial_year_start,
        "frequency": organisation.frequency,
        "date_order": organisation.date_order,  # how a sign-off date typed as text reads
        "indicators": [
            [ind.key, ind.owner, [[m.name, m.unit] for m in ind.measures]]
            for ind in catalogue.indicators
        ],
        "reader": reader_fingerprint(),
    }
    text = json.dumps(layout, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class ReturnCache:
    """A folder of returns already read, as JSON, by key (see the module's docstring)."""

    def __init__(self, folder: str | Path, context: str) -> None:
        self.folder = Path(folder) / "returns"
        self.context = context
        self.hits = 0
        self.stored = 0
        self._used: set[str] = set()

    @classmethod
    def for_catalogue(cls, folder: str | Path | None, catalogue: Catalogue) -> ReturnCache | None:
        """The cache in `folder` for returns read with `catalogue`; None for no folder."""
        return None if folder is None else cls(folder, reading_context(catalogue))

    def key(self, sha256: str, display: str, month: Month) -> str:
        text = "\0".join((self.context, sha256, display, str(month)))
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def holds(self, key: str) -> bool:
        """Whether there is an entry under `key` (it may still prove unusable)."""
        return self._path(key).is_file()

    def load(self, key: str) -> dict[str, Any] | None:
        """The entry stored under `key`, or None (missing, unreadable, damaged)."""
        try:
            data = json.loads(self._path(key).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
            return None
        return data

    def used(self, key: str) -> None:
        """Count the entry under `key` as taken instead of reading its file."""
        self._used.add(key)
        self.hits += 1

    def store(self, key: str, data: dict[str, Any]) -> None:
        """Keep `data` under `key`, written whole or not at all; never raises for I/O."""
        entry = {"format": FORMAT, "key": key, **data}
        try:
            text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, tmp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(text.encode("utf-8", "surrogatepass"))
                os.replace(tmp, self._path(key))
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except (OSError, ValueError, TypeError):
            return
        self._used.add(key)
        self.stored += 1

    def prune(self, keep_days: float = KEEP_DAYS) -> None:
        """Mark the entries this run used as fresh; delete those unused for `keep_days`."""
        now = time.time()
        for key in self._used:
            with contextlib.suppress(OSError):
                os.utime(self._path(key), (now, now))
        cutoff = now - keep_days * 86400
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            if not entry.name.endswith((".json", ".tmp")):
                continue
            with contextlib.suppress(OSError):
                if entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
