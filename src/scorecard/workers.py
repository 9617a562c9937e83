"""Run jobs in worker processes, so that a crash, a memory blow-up or a hang costs one job.

Returns arrive from many hands; the reader refuses what it can recognise as hostile,
but a file it has not foreseen must still not take the run down with it. Each job runs
in a worker process with an address-space limit (`resource.RLIMIT_AS`) and a deadline:

- a job that raises, runs out of memory or kills its worker (a segfault, an abort, the
  kernel's OOM killer) comes back as `Outcome(failure="crashed")`;
- a job past its deadline has its worker killed and comes back as
  `Outcome(failure="timeout")`;
- a dead or killed worker is replaced, and the other jobs go on.

Each worker is sent two jobs ahead and runs them in order, so a failure is pinned to the
job it was running (the first of its queue); the jobs queued behind it go back to be
handed to a fresh worker. Results come back in the order of the jobs, whatever order
the workers finish in.

Workers are forked where that is safe (Linux, one thread: the parent's modules and the
shared argument are inherited, so starting a worker costs milliseconds); elsewhere they
are spawned, and the function and the shared argument must be picklable.
"""

from __future__ import annotations

import contextlib
import faulthandler
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

GIB = 1 << 30
DEFAULT_MEMORY = 2 * GIB  # address space a worker may add to what it starts with
DEFAULT_TIMEOUT = 60.0  # seconds per job
QUEUE_DEPTH = 2  # jobs sent ahead to each worker


@dataclass(frozen=True)
class Outcome:
    """What became of one job: its value, or why there is none."""

    value: Any = None
    failure: str | None = None  # None, "crashed" or "timeout"
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.failure is None


def start_method() -> str:
    """'fork' where it is safe and fast, else 'spawn'."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "spawn"


def memory_limit(budget: int) -> int:
    """The address-space limit for a worker: what it holds now plus `budget` bytes."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
        current = pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        current = 0
    return current + budget


def _limit_memory(budget: int | None) -> None:
    if budget is None:
        return
    try:
        import resource
    except ImportError:  # not a POSIX system: the deadline still applies
        return
    limit = memory_limit(budget)
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):  # a platform without RLIMIT_AS: the deadline still applies
        return


def _serve(
    func: Callable[..., Any], shared: Any, conn: Connection, memory: int | None
) -> None:  # pragma: no cover - runs in the worker process
    """The worker's loop: run each job sent, send back (index, failure, value)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and kills us
    faulthandler.disable()  # a crash is reported by the parent, in one line
    _limit_memory(memory)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, args = message
        reply: tuple[int, str | None, Any]
        try:
            reply = (index, None, func(shared, *args))
        except MemoryError:
            reply = (index, "crashed", "ran out of memory")
        except BaseException as exc:
            reply = (index, "crashed", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except MemoryError:
            conn.send((index, "crashed", "ran out of memory"))


@dataclass
class _Worker:
    process: Any
    conn: Connection
    queue: deque[int] = field(default_factory=deque)  # jobs sent, in the order it runs them
    deadline: float = 0.0  # for the job at the head of the queue

    @property
    def job(self) -> int | None:
        """The job the worker is running now, if any."""
        return self.queue[0] if self.queue else None


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "the reader stopped responding"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the reader was killed by {name}"
    return f"the reader exited with status {code}"


def run_isolated(
    func: Callable[..., Any],
    shared: Any,
    jobs: Sequence[tuple[Any, ...]],
    *,
    workers: int = 2,
    timeout: float = DEFAULT_TIMEOUT,
    memory: int | None = DEFAULT_MEMORY,
    progress: Callable[[int, int], None] | None = None,
) -> list[Outcome]:
    """Run ``func(shared, *job)`` for each job in worker processes; one Outcome per job.

    `workers` processes at most (never more than there are jobs); `timeout` seconds per
    job; `memory` bytes of address space each worker may add to what it starts with
    (None: no limit); `progress(done, total)` is told as jobs finish.
    """
    return list(
        iter_isolated(
            func, shared, jobs, workers=workers, timeout=timeout, memory=memory, progress=progress
        )
    )


def iter_isolated(
    func: Callable[..., Any],
    shared: Any,
    jobs: Sequence[tuple[Any, ...]],
    *,
    workers: int = 2,
    timeout: float = DEFAULT_TIMEOUT,
    memory: int | None = DEFAULT_MEMORY,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Outcome]:
    """`run_isolated`, yielding each job's Outcome in job order as soon as it is known.

    A consumer that merges as it goes holds only the outcomes that finished ahead of
    their turn, so memory follows the largest job, not the number of jobs.
    """
    if not jobs:
        return
    pool = _Pool(func, shared, jobs, timeout, memory)
    turn = 0  # the next job whose outcome is yielded
    try:
        for _ in range(max(1, min(workers, len(jobs)))):
            pool.add_worker()
        while pool.busy():
            pool.collect()
            if progress is not None:
                done = sum(o is not None for o in pool.outcomes[turn:]) + turn
                progress(done, len(jobs))
            while turn < len(jobs):
                outcome = pool.outcomes[turn]
                if outcome is None:
                    break
                pool.outcomes[turn] = None
                turn += 1
                yield outcome
    finally:
        pool.close()
    for index in range(turn, len(jobs)):
        yield pool.outcomes[index] or Outcome(failure="crashed")


class _Pool:
    """Worker processes, the jobs not yet handed out, and the outcomes so far."""

    def __init__(
        self,
        func: Callable[..., Any],
        shared: Any,
        jobs: Sequence[tuple[Any, ...]],
        timeout: float,
        memory: int | None,
    ) -> None:
        self.func, self.shared, self.jobs = func, shared, jobs
        self.timeout, self.memory = timeout, memory
        self.context: Any = multiprocessing.get_context(start_method())
        self.pending = deque(range(len(jobs)))
        self.workers: list[_Worker] = []
        self.outcomes: list[Outcome | None] = [None] * len(jobs)

    def add_worker(self) -> None:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=_serve,
            args=(self.func, self.shared, child, self.memory),
            name="scorecard-reader",
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self.workers.append(worker)
        self.hand_out(worker)

    def hand_out(self, worker: _Worker) -> None:
        # Each worker holds up to QUEUE_DEPTH jobs, so it starts the next as soon as it
        # sends a result, not when the parent has taken it in.
        while self.pending and len(worker.queue) < QUEUE_DEPTH:
            index = self.pending.popleft()
            if not worker.queue:
                worker.deadline = time.monotonic() + self.timeout
            worker.queue.append(index)
            try:
                worker.conn.send((index, tuple(self.jobs[index])))
            except (OSError, ValueError) as exc:  # the worker died before taking the job
                if len(worker.queue) > 1:
                    # The job it is running will say what became of it; this one waits.
                    worker.queue.pop()
                    self.pending.appendleft(index)
                    return
                self.finish(
                    worker, Outcome(failure="crashed", detail=f"cannot start the reader: {exc}")
                )
                return

    def finish(self, worker: _Worker, outcome: Outcome) -> None:
        """Stop a worker with this outcome for its head job; its queued jobs go back."""
        self.outcomes[worker.queue[0]] = outcome
        stop(worker)
        self.workers.remove(worker)
        worker.queue.popleft()
        self.pending.extendleft(reversed(worker.queue))
        worker.queue.clear()
        if self.pending:
            self.add_worker()

    def busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.job is not None]

    def collect(self) -> None:
        """Wait for the next reply, exit or deadline, and take what it says."""
        busy = self.busy()
        wait_for = max(0.0, min(w.deadline for w in busy) - time.monotonic())
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], wait_for))
        for worker in busy:
            if worker.conn in ready:
                self.receive(worker)
            elif worker.process.sentinel in ready:
                worker.process.join(1.0)
                self.finish(
                    worker,
                    Outcome(failure="crashed", detail=_describe_exit(worker.process.exitcode)),
                )
            elif time.monotonic() >= worker.deadline:
                detail = f"still reading after {self.timeout:g} seconds"
                self.finish(worker, Outcome(failure="timeout", detail=detail))

    def receive(self, worker: _Worker) -> None:
        try:
            _index, failure, value = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(1.0)
            detail = _describe_exit(worker.process.exitcode)
            self.finish(worker, Outcome(failure="crashed", detail=detail))
            return
        index = worker.queue.popleft()
        if failure is None:
            self.outcomes[index] = Outcome(value=value)
        else:
            self.outcomes[index] = Outcome(failure=failure, detail=value)
        if worker.queue:
            worker.deadline = time.monotonic() + self.timeout
        self.hand_out(worker)

    def close(self) -> None:
        for worker in self.workers:  # all told at once, so they end together
            if not worker.queue:
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send(None)
        for worker in self.workers:
            stop(worker)


def stop(worker: _Worker) -> None:
    """End a worker: an idle one has been told to stop and is given a moment; a busy one
    (hung, or the run is interrupted) is killed."""
    process = worker.process
    if not worker.queue:
        process.join(1.0)
    if process.is_alive():
        process.kill()
        process.join(5.0)
    worker.conn.close()
    if process.exitcode is not None:
        process.close()
