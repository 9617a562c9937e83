"""A zip that lies about its sizes costs no more memory than an honest one of the size it
declares: the reader inflates with a running count and stops at the declared size, so
the 2 GiB a member truly inflates to is never held (issue 14, item 3).

Each file is read in a fresh process, whose peak resident memory (`ru_maxrss`) is the
measure: a figure of the whole process, not of a sampled moment.
"""

from __future__ import annotations

import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from tests.robustness.build import (
    RETURN_PART,
    SAMPLES,
    TP,
    RawMember,
    deflate_bomb,
    inflate_prefix,
    raw_zip,
    sample_members,
    with_member,
)

GIB = 1 << 30
SLACK_MB = 16  # what two reads of the same work may differ by (allocator, page cache)

READ = """
import resource, sys
from pathlib import Path
from scorecard.catalogue import load_catalogue
from scorecard.periods import Month
from scorecard.returns.book import read_return

catalogue = load_catalogue(sys.argv[2])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
ret = read_return(catalogue, Path(sys.argv[1]), "return.xlsx", Month(2008, 7))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(max(after - before, 0) // 1024, ",".join(p.code for p in ret.problems))
"""


def _lying(path: Path, declared: int, inflated: int) -> Path:
    """The sample return with its Return sheet inflating to `inflated` bytes, and headers
    (size and CRC) that say `declared`."""
    stream, _true_size = deflate_bomb(inflated)
    return _lying_or_not(path, stream, declared)


def _honest(path: Path, inflated: int) -> Path:
    """The same sheet, inflating to `inflated` bytes and saying so."""
    stream, true_size = deflate_bomb(inflated)
    return _lying_or_not(path, stream, true_size)


def _lying_or_not(path: Path, stream: bytes, declared: int) -> Path:
    """The sample return with `stream` as its Return sheet, its headers (size, and the
    CRC of what that size holds) saying `declared`."""
    crc = zlib.crc32(inflate_prefix(stream, declared))
    part = RawMember(RETURN_PART, stream, declared, crc)
    path.write_bytes(raw_zip(with_member(sample_members(), part)))
    return path


def _peak_mb(path: Path) -> tuple[int, str]:
    """Megabytes the reading of `path` added to a fresh process's peak, and the codes."""
    config = Path(__file__).resolve().parents[2] / "config" / "indicators.yaml"
    run = subprocess.run(
        [sys.executable, "-c", READ, str(path), str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    grown, _, codes = run.stdout.strip().partition(" ")
    return int(grown), codes


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in kilobytes on Linux only")
def test_a_member_declared_small_that_inflates_to_gigabytes(tmp_path: Path) -> None:
    lying, codes = _peak_mb(_lying(tmp_path / "lying.xlsx", 4000, 2 * GIB))
    honest, _ = _peak_mb(SAMPLES / f"{TP}.xlsx")
    assert "corrupt-workbook" in codes  # read to its declared 4,000 bytes: not a sheet
    assert lying <= honest + SLACK_MB, (lying, honest)


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in kilobytes on Linux only")
def test_a_member_declared_large_costs_what_an_honest_one_of_that_size_costs(
    tmp_path: Path,
) -> None:
    """Declared 48 MB (under the limits, streamed), inflating to 2 GiB: read to 48 MB,
    as an honest 48 MB part would be, and refused for its CRC, not its memory."""
    declared = 48 << 20
    lying, codes = _peak_mb(_lying(tmp_path / "lying.xlsx", declared, 2 * GIB))
    honest, _ = _peak_mb(_honest(tmp_path / "honest.xlsx", declared))
    assert "corrupt-workbook" in codes
    assert lying <= honest + SLACK_MB, (lying, honest)
    assert lying < 256  # megabytes: nowhere near the 2,048 it truly inflates to
