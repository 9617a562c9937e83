"""Outputs to standard output: ``-`` for any output option that takes a path.

Text (JSON) is printed as it is. A binary output (the master workbook, the PDF pack) is
written to a temporary file first and then copied to standard output, and only where
standard output is not a terminal (a workbook's bytes would garble it): redirect it to a
file or a pipe. While data goes to standard output, the report goes to standard error.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import click

from ..destinations import STDOUT, is_stdout
from ..errors import OutputError

SHOWN_AS = "(standard output)"  # how the ledger records a master sent there


def check_streams(outputs: list[tuple[str, Path | None]], binary: tuple[str, ...]) -> None:
    """Refuse, before any work, two outputs on standard output, or a binary one on a
    terminal."""
    named = [option for option, path in outputs if is_stdout(path)]
    if len(named) > 1:
        raise OutputError(
            f"{' and '.join(named)} both name standard output ({STDOUT}): name a file for one"
        )
    for option in named:
        if option in binary and click.get_text_stream("stdout").isatty():
            raise OutputError(
                f"{option} {STDOUT}: standard output is a terminal, where a binary file "
                "cannot be shown: redirect it (> file) or pipe it, or name a file"
            )


def no_stream(option: str, path: Path | None, what: str) -> None:
    """Refuse ``-`` for an option whose output cannot be a stream (`what` says why)."""
    if is_stdout(path):
        raise OutputError(f"{option} {STDOUT}: standard output cannot take {what}: name a folder")


def report_stream(*paths: Path | None) -> bool:
    """Whether the report goes to standard error (`err=`): where data goes to stdout."""
    return any(is_stdout(p) for p in paths)


def emit(out: Path, write: Callable[[Path], Path], suffix: str) -> Path:
    """`write` to `out`, or, for ``-``, to a temporary file copied to standard output;
    the path written (``-`` for standard output)."""
    if not is_stdout(out):
        return write(out)
    with tempfile.TemporaryDirectory(prefix="scorecard-stdout-") as folder:
        made = write(Path(folder) / f"output{suffix}")
        stream = click.get_binary_stream("stdout")
        with made.open("rb") as handle:
            shutil.copyfileobj(handle, stream)
        stream.flush()
    return Path(STDOUT)


def emit_text(data: bytes) -> None:
    """Data (JSON) to standard output."""
    stream = click.get_binary_stream("stdout")
    stream.write(data)
    stream.flush()
