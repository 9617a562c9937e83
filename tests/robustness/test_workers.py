"""Worker processes: a crash, a memory blow-up or a hang costs one job, never the run."""

from __future__ import annotations

import os
import sys
import threading
import time
from multiprocessing.connection import Connection

import pytest

from scorecard import workers
from scorecard.workers import Outcome, memory_limit, run_isolated, start_method
from tests.robustness import jobs

LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc")


def test_results_come_back_in_order_from_two_workers():
    outcomes = run_isolated(jobs.echo, "shared", [(i,) for i in range(6)], workers=2)
    assert [o.value[:2] for o in outcomes] == [("shared", i) for i in range(6)]
    pids = {o.value[2] for o in outcomes}
    assert len(pids) == 2 and os.getpid() not in pids


def test_no_jobs_no_workers():
    assert run_isolated(jobs.echo, None, []) == []


def test_one_job_one_worker():
    (outcome,) = run_isolated(jobs.echo, None, [("only",)], workers=2)
    assert outcome.ok and outcome.value[1] == "only"


@pytest.mark.parametrize(
    ("how", "failure", "words"),
    [
        ("raise", "crashed", "ValueError: a bad value"),
        ("abort", "crashed", "killed by SIGABRT"),
        ("exit", "crashed", "exited with status 3"),
        ("hang", "timeout", "still reading after 1 seconds"),
    ],
)
def test_a_failing_job_costs_only_itself(how, failure, words):
    started = time.monotonic()
    outcomes = run_isolated(
        jobs.misbehave, None, [("a",), (how,), ("b",), ("c",)], workers=2, timeout=1.0
    )
    assert time.monotonic() - started < 10
    assert [o.value for o in outcomes if o.ok] == ["a", "b", "c"]
    bad = outcomes[1]
    assert (bad.failure, bad.ok) == (failure, False)
    assert words in bad.detail


def test_jobs_queued_behind_a_failure_are_run_by_a_fresh_worker():
    # One worker holds two jobs at a time: the one behind a crash or a hang is not lost,
    # and the failure is pinned to the job that was running.
    how = [("a",), ("abort",), ("b",), ("hang",), ("c",), ("exit",), ("d",)]
    outcomes = run_isolated(jobs.misbehave, None, how, workers=1, timeout=1.0)
    assert [o.value if o.ok else o.failure for o in outcomes] == [
        "a",
        "crashed",
        "b",
        "timeout",
        "c",
        "crashed",
        "d",
    ]


def test_a_job_that_cannot_be_sent_fails_alone(monkeypatch: pytest.MonkeyPatch):
    # The worker's pipe refuses one job (as when the worker died before taking it): that
    # job is a crash, and every other job is still run.
    original = Connection.send

    def send(self: Connection, message: object) -> None:
        if isinstance(message, tuple) and len(message) == 2 and message[1] == ("unsent",):
            raise OSError("the pipe is closed")
        original(self, message)

    monkeypatch.setattr(Connection, "send", send)
    how = [("a",), ("unsent",), ("b",), ("c",), ("unsent",), ("d",)]
    for count in (1, 2):
        outcomes = run_isolated(jobs.misbehave, None, how, workers=count, timeout=5.0)
        assert [o.value if o.ok else o.failure for o in outcomes] == [
            "a",
            "crashed",
            "b",
            "c",
            "crashed",
            "d",
        ]
        assert "cannot start the reader" in outcomes[1].detail


def test_every_job_failing_still_ends():
    outcomes = run_isolated(jobs.misbehave, None, [("abort",)] * 4, workers=2)
    assert [o.failure for o in outcomes] == ["crashed"] * 4


@LINUX
def test_workers_have_an_address_space_limit():
    (outcome,) = run_isolated(jobs.address_limit, None, [()], memory=256 << 20)
    soft, _hard = outcome.value
    assert 256 << 20 < soft <= memory_limit(256 << 20) + (64 << 20)


@LINUX
def test_running_out_of_memory_is_a_crash_of_that_job():
    outcomes = run_isolated(jobs.misbehave, None, [("hoard",), ("fine",)], memory=256 << 20)
    assert outcomes[0] == Outcome(failure="crashed", detail="ran out of memory")
    assert outcomes[1].value == "fine"


def test_no_worker_outlives_the_run():
    import multiprocessing

    run_isolated(jobs.misbehave, None, [("hang",), ("a",)], workers=2, timeout=0.5)
    assert multiprocessing.active_children() == []


def test_fork_only_when_single_threaded(monkeypatch: pytest.MonkeyPatch):
    if not sys.platform.startswith("linux"):
        assert start_method() == "spawn"
        return
    assert start_method() == "fork"
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert start_method() == "spawn"
    finally:
        stop.set()
        thread.join()


def test_spawned_workers_work_too(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(workers, "start_method", lambda: "spawn")
    outcomes = run_isolated(jobs.misbehave, None, [("a",), ("abort",), ("b",)], workers=2)
    assert [o.value for o in outcomes if o.ok] == ["a", "b"]
    assert outcomes[1].failure == "crashed"


def test_outcomes_stream_in_order_before_the_last_job_is_done():
    from scorecard.workers import iter_isolated

    # Job 0 is quick, job 1 hangs: job 0's outcome is handed over while job 1 still runs,
    # so a caller can merge it and let it go.
    started = time.monotonic()
    stream = iter_isolated(jobs.misbehave, None, [("quick",), ("hang",)], workers=2, timeout=30)
    first = next(stream)
    assert first.ok and first.value == "quick"
    assert time.monotonic() - started < 20
    stream.close()  # stops the hanging worker without waiting for it
