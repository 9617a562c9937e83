"""The command line: options -> one library call -> printed report -> exit status.

Exit status: 0 clean; 1 done, with problems listed (errors or warnings; info notes such
as a number typed as text do not count); 2 nothing done (bad options, an unreadable or
invalid catalogue, an unwritable output, `--strict` with a problem). Heavy libraries are
imported inside the commands, so `scorecard --help` stays instant. Every message is one
line; a traceback is shown only with `--debug`.
"""

from __future__ import annotations

from . import build, check, ledger, site  # noqa: F401  (each registers its commands on main)
from .app import ReadingProgress, main

__all__ = ["ReadingProgress", "main"]
