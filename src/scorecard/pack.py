"""The board pack: the master's Summary and objective sheets as one PDF, through
LibreOffice headless.

LibreOffice runs with a user profile of its own in a temporary folder, so it works beside
an open LibreOffice and in parallel runs, and under a time limit: a conversion that hangs
is killed, with its children, and said so. The PDF is written beside the target and
moved into place, like the master; a missing LibreOffice is a one-line error that says
how to install it, before anything is compiled or written.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

from .errors import OutputError
from .output import atomic_output
from .result import RunResult
from .scratch import scratch_folder
from .workbook import write_workbook

PACK_FOLDER_PREFIX = "scorecard-pack-"  # the pack's temporary folder, in the system's
PACK_TIMEOUT = 300.0  # seconds LibreOffice may take to convert a pack
INSTALL_HINT = (
    "install LibreOffice (Debian and Ubuntu: apt-get install libreoffice-calc; macOS: "
    "brew install --cask libreoffice; Windows: libreoffice.org) and run again"
)


class PackError(OutputError):
    """The board pack cannot be written: no LibreOffice, or its conversion failed."""


def find_office() -> str:
    """The LibreOffice program to convert with; `PackError` saying how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise PackError(
        f"the board pack needs LibreOffice to write PDF, and none was found: {INSTALL_HINT}"
    )


def write_pack(
    run: RunResult,
    path: Path,
    *,
    with_data: bool = False,
    with_issues: bool = False,
    timeout: float = PACK_TIMEOUT,
) -> Path:
    """Write the board pack for `run` to `path` as PDF (atomically); return `path`.

    The Summary and every objective sheet, in order, each objective starting a page, and
    the Charts sheet where there are SPC charts; the Data and Issues sheets only when
    asked.
    """
    office = find_office()
    path = Path(path)
    # Removed however the run ends (a killed run's, at the next run): it holds a master.
    with scratch_folder(PACK_FOLDER_PREFIX) as work:
        master = write_workbook(
            run, work / "pack.xlsx", with_data=with_data, with_issues=with_issues
        )
        pdf = convert_to_pdf(office, master, work, timeout)
        with atomic_output(path) as tmp:
            shutil.copyfile(pdf, tmp)
    return path


def convert_to_pdf(office: str, workbook: Path, folder: Path, timeout: float) -> Path:
    """`workbook` converted by LibreOffice headless into `folder`; the PDF's path."""
    profile = folder / "libreoffice-profile"
    command = [
        office,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder),
        str(workbook),
    ]
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, killed whole on a time-out
            # Its own temporary files in the pack's folder too, removed with it.
            env={**os.environ, "TMPDIR": str(folder), "TMP": str(folder), "TEMP": str(folder)},
        )
    except OSError as exc:
        raise PackError(f"cannot start LibreOffice ({office}): {exc.strerror}") from None
    try:
        _out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise PackError(
            f"LibreOffice did not finish the PDF within {timeout:g} seconds, so it was "
            "stopped and nothing was written; try again, or with --timeout"
        ) from None
    except BaseException:
        _kill(process)  # interrupted or told to stop: LibreOffice, in its own session, too
        raise
    pdf = folder / (workbook.stem + ".pdf")
    if process.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        said = err.decode("utf-8", "replace").strip().splitlines()
        detail = f": {said[-1]}" if said else ""
        raise PackError(
            f"LibreOffice could not convert the pack to PDF (exit status "
            f"{process.returncode}{detail}); nothing was written"
        )
    return pdf


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Stop LibreOffice and what it started (soffice starts soffice.bin)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        process.kill()
    process.communicate()
