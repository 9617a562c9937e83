"""The library's entry point: compile a month, deliver its outputs, record it.

What `scorecard compile` and `scorecard pack` do, for a program of your own::

    from pathlib import Path
    from scorecard.api import CompileOptions, compile_month
    from scorecard.workbook import write_workbook

    options = CompileOptions(config=Path("config/indicators.yaml"), returns=Path("returns"))
    with compile_month(options) as month:          # read, merged, assessed
        print(month.run.counts(), [c.describe() for c in month.run.chase])
        done = month.deliver(Path("out/master.xlsx"), write_workbook)  # written, recorded
    print(done.path, [p.format() for p in done.problems])

The command line is this and nothing more: its options become a `CompileOptions`, one
call, its report printed from the result, and the exit status from its problems.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .catalogue import load_catalogue
from .destinations import check_destination
from .errors import InputError, Problem
from .ledger import Ledger
from .periods import Month
from .result import RunResult
from .revisions import Recorder, compile_as_of, compile_recorded, ledger_path


@dataclass(frozen=True)
class CompileOptions:
    """What a compile takes: where the catalogue and returns are, which month, and how
    to remember and record (the command line's options, typed)."""

    config: Path
    returns: Path
    month: Month | None = None  # None: the latest month with returns
    cache: Path | None = None  # the cache folder (`scorecard.cache`); None: read afresh
    ledger: Path | None = None  # None: where the catalogue says (`revisions.ledger_path`)
    record: bool = True  # False: --no-ledger (locked months still kept, read-only)
    accept_revisions: bool = False  # take a change to a locked month's figure
    as_of: datetime | None = None  # rebuild the pack the ledger knew then, read nothing
    workers: int | None = None  # reading processes at once (0: in this one)
    timeout: float | None = None  # seconds one return may take to read
    progress: Callable[[int, int], None] | None = None  # told (done, total) as returns are read
    # Outputs (option, path) to refuse where they name the ledger, before any work.
    outputs: tuple[tuple[str, Path | None], ...] = ()


@dataclass(frozen=True)
class Delivered:
    """An output written and the compile recorded: where, and the ledger's warnings
    (none when it was recorded, or when there is no ledger)."""

    path: Path
    problems: list[Problem] = field(default_factory=list)


@dataclass
class CompiledMonth:
    """A month compiled and not yet delivered: its result, and the ledger it will be
    recorded in (closed by `deliver` or `close`; a `with` block closes it too)."""

    run: RunResult
    recorder: Recorder
    ledger: Path  # where the ledger is (used or not)

    def deliver(self, out: Path, write: Callable[[RunResult, Path], Path]) -> Delivered:
        """`write(run, out)` (the master, the pack...), then the compile recorded with
        the path written, then the ledger closed."""
        try:
            written = write(self.run, out)
            return Delivered(written, self.recorder.record(self.run, written))
        finally:
            self.close()

    def close(self) -> None:
        """Close the ledger unrecorded (nothing written)."""
        self.recorder.close()

    def __enter__(self) -> CompiledMonth:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def compile_month(options: CompileOptions) -> CompiledMonth:
    """Read, merge and assess a month's returns (or rebuild a past pack `as_of`), with
    the ledger's locked months kept and the changes since the last pack found."""
    catalogue = load_catalogue(options.config)
    place = ledger_path(catalogue, options.returns, options.ledger)
    for option, path in options.outputs:
        check_destination(option, path, [place])
    if options.as_of is not None:
        if not options.record:
            raise InputError("--as-of rebuilds a pack from the ledger: not with --no-ledger")
        run, recorder = compile_as_of(catalogue, place, options.as_of, options.month)
        return CompiledMonth(run, recorder, place)
    run, recorder = compile_recorded(
        catalogue,
        options.returns,
        options.month,
        ledger=place if options.record else None,
        accept_revisions=options.accept_revisions,
        lock_source=place,
        cache_dir=options.cache,
        workers=options.workers,
        timeout=options.timeout,
        progress=options.progress,
    )
    return CompiledMonth(run, recorder, place)


def open_ledger(path: Path, *, write: bool = False) -> Ledger:
    """The ledger at `path`, which must exist (reading never creates one); opened to
    read only, unless `write`."""
    if not path.is_file():
        raise InputError(f"no ledger at {path}: compile first, or name it with --ledger")
    return Ledger(path) if write else Ledger.reading(path)
