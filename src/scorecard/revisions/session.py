"""A compile with the ledger: open it (or go on without it), feed it each return merged,
keep locked months, find what changed since the last pack, rebuild a past pack, and
record the pack once its master is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ..catalogue import Catalogue
from ..compile import compile_read, compile_report
from ..errors import InputError, Level, Problem
from ..ledger import Identity, Ledger, LedgerError, ReturnVersion, shown_time, time_text
from ..periods import Month
from ..result import RunResult
from ..returns import ReturnRecord, ReturnsRead, latest_month
from .changes import changes_since
from .feed import pack_record, version_of
from .guard import held_locks
from .knowledge import known_at, of_pack
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
    """What a compile hands the ledger, held until the master is written."""

    ledger: Ledger | None
    problems: list[Problem] = field(default_factory=list)
    known: set[Identity] = field(default_factory=set)
    versions: list[ReturnVersion] = field(default_factory=list)
    keeper: LockKeeper | None = None
    read: ReturnsRead | None = None
    as_of: str | None = None
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
        return cls(ledger, known=ledger.identities())

    def seen(self, ret: ReturnRecord) -> None:
        """A return merged: recorded with its figures unless the ledger holds it."""
        if self.ledger is None or not ret.sha256:
            return
        version = version_of(ret, full=False)
        if version.identity not in self.known:
            version = version_of(ret)
        self.versions.append(version)

    def amend(self, read: ReturnsRead) -> None:
        """The merged returns, before assessment: keep the locked months' figures."""
        self.read = read
        if self.keeper is not None:
            self.keeper(read)

    def unseen(self, run: RunResult) -> bool:
        """Whether the run used a return the ledger never saw (restored from the cache)."""
        seen = self.known | {v.identity for v in self.versions}
        return any((f.sha256, f.path, str(f.month)) not in seen for f in run.files)

    def record(self, run: RunResult, master: Path) -> list[Problem]:
        """Record the returns read and the pack written, in one transaction; a warning
        if the ledger cannot be written (the master stands)."""
        if self.ledger is None or self.read is None or self.read_only:
            return []
        pack = pack_record(run, master, self.read.figures, as_of=self.as_of)
        try:
            self.ledger.record(self.versions, pack)
        except LedgerError as exc:
            return [ledger_problem(self.ledger.path, exc, "this compile is not recorded")]
        return []

    def close(self) -> None:
        if self.ledger is not None:
            self.ledger.close()


def compile_recorded(
    catalogue: Catalogue,
    returns_dir: str | Path,
    month: Month | None = None,
    *,
    ledger: Path | None,
    accept_revisions: bool = False,
    lock_source: Path | None = None,
    **options: Any,
) -> tuple[RunResult, Recorder]:
    """`compile_report` with the ledger at `ledger` (None: without one): locked months
    kept, the changes since the last pack found. Record the pack with the `Recorder`
    once the master is written, then close it. Where the ledger cannot be used, the
    locked months are read from it read-only (`lock_source`, the ledger --no-ledger
    leaves unrecorded), or the compile stops (see `guard`)."""
    month = month or latest_month(returns_dir)
    recorder = Recorder.open(ledger)
    if recorder.ledger is None:
        configured = catalogue.organisation.ledger.locked_months
        try:
            recorder.keeper, held = held_locks(
                ledger or lock_source, configured, month, accept_revisions
            )
        except BaseException:
            recorder.close()
            raise
        recorder.problems.extend(held)
    run = _compile(catalogue, returns_dir, month, recorder, accept_revisions, options)
    if recorder.ledger is not None and options.get("cache_dir") and recorder.unseen(run):
        # Earlier folders were restored whole from the cache, and the ledger never saw
        # some of their returns: read them all once, so that it records them.
        recorder.versions.clear()
        options = {**options, "cache_dir": None}
        run = _compile(catalogue, returns_dir, month, recorder, accept_revisions, options)
    run.problems.extend(recorder.problems)
    if recorder.ledger is not None and recorder.read is not None:
        run.changes = changes_since(recorder.ledger, catalogue, recorder.read, month)
    return run, recorder


def _compile(
    catalogue: Catalogue,
    returns_dir: str | Path,
    month: Month,
    recorder: Recorder,
    accept: bool,
    options: dict[str, Any],
) -> RunResult:
    if recorder.ledger is not None:
        configured = catalogue.organisation.ledger.locked_months
        recorder.keeper = LockKeeper(locks_for(recorder.ledger, configured, month), accept)
    amend: Callable[[ReturnsRead], None] = recorder.amend
    return compile_report(catalogue, returns_dir, month, seen=recorder.seen, amend=amend, **options)


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
        read = of_pack(recorder.ledger, pack)
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
