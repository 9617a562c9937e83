"""A compile killed (SIGKILL) while it writes the master leaves the previous master intact.

The child is an ordinary `scorecard compile` in a fresh Python process; the only change
is made from outside, in `python -c`: after the first part of the new master is written
to disk, the child says so and sleeps. The parent then kills it, mid-write, with the
signal nothing can catch or clean up after.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.robustness.build import edit_book
from tests.robustness.conftest import Space, compile_in

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

CHILD = textwrap.dedent(
    """
    import pathlib, sys, time

    original = pathlib.Path.write_bytes

    def write_half_then_stall(self, data):
        # The master is zipped in memory and written to its temporary file in one go:
        # stop half way through that write, as a kill or a power cut would.
        if self.name.endswith(".tmp"):
            data = bytes(data)
            with self.open("wb") as handle:
                handle.write(data[: len(data) // 2])
                handle.flush()
            print("mid-write", flush=True)
            time.sleep(120)
        return original(self, data)

    pathlib.Path.write_bytes = write_half_then_stall
    from scorecard.cli import main

    main(sys.argv[1:])
    """
)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_compile_killed_mid_write_leaves_the_previous_master(space: Space) -> None:
    first = compile_in(space)
    assert first.exit == 0
    before, json_before = sha(space.master), sha(space.json)
    edit_book(space.tp, lambda wb: wb["Return"].__setitem__("AH5", "twelve"))  # a new master
    command = [sys.executable, "-c", CHILD, "compile", "--config", str(space.config)]
    command += ["--returns", str(space.returns), "--month", "2008-07"]
    command += ["--out", str(space.master), "--json", str(space.json)]
    child = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "mid-write", child.stderr.read()
        partial = [p for p in space.master.parent.iterdir() if p.name.endswith(".tmp")]
        assert partial and all(p.stat().st_size > 0 for p in partial)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    assert sha(space.master) == before  # the previous master, byte for byte
    assert sha(space.json) == json_before  # and its JSON: both or neither
    leftovers = [p.name for p in space.master.parent.iterdir() if p.name.endswith(".tmp")]
    assert all(name.startswith(".") for name in leftovers)  # hidden, never taken for a master
    again = compile_in(space)  # and the next compile writes over it as usual
    assert again.exit == 1 and sha(space.master) != before
