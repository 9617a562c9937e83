"""A compile with the ledger: open it (or go on without it), keep locked months, find
what changed since the last pack, rebuild a past pack, and record, once the master is
written, the returns merged (named by the merge's result) and the pack."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from ..cache import ReturnCache
from ..catalogue import Catalogue
from ..compile import compile_read, read_month
from ..errors import InputError, Level, Problem
from ..ledger import Ledger, LedgerError, ReturnVersion, shown_time, time_text
from ..periods import Month
from ..result import RunResult
from ..returns import ReturnsRead, latest_month
from .changes import changes_since
from .feed import held, identity_of, pack_record, version_of
from .guard import held_locks
from .knowledge import known_at, merged_again, of_pack
from .locks import LockKeeper, locks_for

DEFAULT_NAME = "scorecard-ledger.sqlite"


def ledger_path(catalogue: Catalogue, returns_dir: str | Path, given: Path | None = None) -> Path:
    """Where the ledger is: `given` (--ledger), else the catalogue's `ledger.path`
    (relative to the catalogue's folder), else beside the returns folder."""
    if given is not None:
        return given
    setting = catalogue.organisation.ledger.path
    if setting:
        home = Path(catalogue.path).parent if catalogue.path else Path()
        return home / setting
    return Path(returns_dir).resolve().parent / DEFAULT_NAME


def ledger_problem(path: Path, exc: LedgerError, then: str) -> Problem:
    """A warning that the ledger could not be used, and what the compile did instead."""
    return Problem(exc.code, f"{exc}; {then}", level=Level.WARNING, file=str(path))


@dataclass
class Recorder:
    """What a compile hands the ledger, held until the master is written: the merge's
    result, which names every return merged, and where each return's figures are."""

    ledger: Ledger | None
    problems: list[Problem] = field(default_factory=list)
    cache: ReturnCache | None = None  # each return merged has its entry there
    read: ReturnsRead | None = None
    as_of: str | None = None
    scratch: TemporaryDirectory[str] | None = None  # the run's own cache, where none is given
    read_only: bool = False  # opened only to read: nothing is recorded

    @classmethod
    def open(cls, path: Path | None) -> Recorder:
        """The ledger at `path` (None: no ledger); one that cannot be used is a warning."""
        if path is None:
            return cls(None)
        try:
            ledger = Ledger(path)
        except LedgerError as exc:
            return cls(None, [ledger_problem(path, exc, "the compile goes on without it")])
        return cls(ledger)

    def versions(self) -> Iterator[ReturnVersion]:
        """Every return merged, as the ledger records it: one it holds already by its
        identity alone, a new one with its figures from its cache entry (a return at a
        time, so that they are never all in memory)."""
        if self.ledger is None or self.read is None:
            return
        known = self.ledger.identities()
        for file in self.read.files:
            if not file.sha256:
                continue
            identity = identity_of(file)
            if identity in known:
                yield version_of(file)
                continue
            ret = held(self.cache, file) if self.cache is not None else None
            if ret is None:
                continue  # not kept (a read that crashed): a later compile records it
            known.add(identity)
            yield version_of(file, ret)

    def record(self, run: RunResult, master: Path) -> list[Problem]:
        """Record the returns read and the pack written, in one transaction; a warning
        if the ledger cannot be written (the master stands)."""
        if self.ledger is None or self.read is None or self.read_only:
            return []
        read = self.read
        pack = pack_record(run, master, read, as_of=self.as_of)
        try:
            self.ledger.record(self.versions(), pack)
        except LedgerError as exc:
            return [ledger_problem(self.ledger.path, exc, "this compile is not recorded")]
        return []

    def close(self) -> None:
        if self.ledger is not None:
            self.ledger.close()
        if self.scratch is not None:
            self.scratch.cleanup()


def compile_recorded(
    catalogue: Catalogue,
    returns_dir: str | Path,
    month: Month | None = None,
    *,
    ledger: Path | None,
    accept_revisions: bool = False,
    lock_source: Path | None = None,
    cache_dir: str | Path | None = None,
    **options: Any,
) -> tuple[RunResult, Recorder]:
    """`compile_report` with the ledger at `ledger` (None: without one): locked months
    kept, the changes since the last pack found. Record the pack with the `Recorder`
    once the master is written, then close it. Where the ledger cannot be used, the
    locked months are read from it read-only (`lock_source`, the ledger --no-ledger
    leaves unrecorded), or the compile stops (see `guard`)."""
    month = month or latest_month(returns_dir)
    recorder = Recorder.open(ledger)
    keeper = None
    if recorder.ledger is None:
        configured = catalogue.organisation.ledger.locked_months
        try:
            keeper, found = held_locks(ledger or lock_source, configured, month, accept_revisions)
        except BaseException:
            recorder.close()
            raise
        recorder.problems.extend(found)
    if recorder.ledger is not None and cache_dir is None:
        # The ledger takes each new return's figures from its cache entry: without a
        # cache folder, the run keeps its own until it is recorded.
        recorder.scratch = TemporaryDirectory(prefix="scorecard-")
        cache_dir = recorder.scratch.name
    recorder.cache = ReturnCache.for_catalogue(cache_dir, catalogue)
    read = read_month(catalogue, returns_dir, month, cache=recorder.cache, **options)
    recorder.read = read
    if recorder.ledger is not None:
        configured = catalogue.organisation.ledger.locked_months
        LockKeeper(locks_for(recorder.ledger, configured, month), accept_revisions)(read)
    elif keeper is not None:  # the locks of a ledger this compile does not record in
        keeper(read)
    run = compile_read(catalogue, read, month)
    run.problems.extend(recorder.problems)
    if recorder.ledger is not None:
        run.changes = changes_since(recorder.ledger, catalogue, read, month)
    return run, recorder


def reading_only(path: Path, problems: list[Problem]) -> Recorder:
    """A ledger that cannot be written (read-only media, busy) opened only to read, for
    a pack rebuilt from it: the rebuilt pack is not recorded, and the warning says so."""
    why = problems[0].message.partition("; ")[0]
    try:
        reader = Ledger.reading(path)
    except LedgerError:
        raise InputError(why) from None
    said = replace(problems[0], message=f"{why}; the pack is rebuilt from it read-only, unrecorded")
    return Recorder(reader, [said], read_only=True)


def compile_as_of(
    catalogue: Catalogue, ledger: Path, when: datetime, month: Month | None = None
) -> tuple[RunResult, Recorder]:
    """The pack as the ledger knew it at `when`: the returns of the last pack compiled
    by then (for `month`, where given) merged and assessed again; without such a pack,
    the returns seen by then for `month`."""
    recorder = Recorder.open(ledger)
    if recorder.ledger is None:
        recorder = reading_only(ledger, recorder.problems)
    assert recorder.ledger is not None
    at = time_text(when)
    recorder.as_of = at
    pack = recorder.ledger.last_pack(month=str(month) if month else None, at=at)
    if pack is not None:
        month = Month.parse(pack.month)
        read = merged_again(recorder.ledger, catalogue, pack) or of_pack(recorder.ledger, pack)
    else:
        read = (
            known_at(recorder.ledger, at, month) if month is not None else ReturnsRead(Month(1, 1))
        )
        if month is None or not read.files:
            recorder.close()
            raise InputError(
                f"ledger {ledger} has no pack compiled by {shown_time(at)}"
                + (f" and no return for {month.label} seen by then" if month else "")
            )
    recorder.read = read
    run = compile_read(catalogue, read, month)
    run.problems.extend(recorder.problems)
    if pack is not None and pack.fingerprint != catalogue.fingerprint:
        run.problems.append(
            Problem(
                "catalogue-changed",
                f"the catalogue is not the one the {month.label} pack of {pack.compiled_at[:16]}"
                " UTC was compiled with: values and statuses follow this one",
                level=Level.WARNING,
                file=catalogue.path,
            )
        )
    return run, recorder
