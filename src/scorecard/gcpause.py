"""`collector_paused()`: the cyclic garbage collector paused for the length of a block.

Reading the returns builds hundreds of thousands of long-lived objects (figures, sources)
and writing the master builds as many cells and formats; none of them form cycles, and
each collection would walk them all again for nothing. Imports nothing of scorecard's.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector until the block ends; restore it as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
