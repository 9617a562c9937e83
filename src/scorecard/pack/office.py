"""LibreOffice headless, converting the pack's workbook to a tagged PDF.

LibreOffice runs with a user profile of its own in a temporary folder, so it works beside
an open LibreOffice and in parallel runs, and under a time limit: a conversion that hangs
is killed, with its children, and said so. A missing LibreOffice is a one-line error that
says how to install it, before anything is compiled or written.

The PDF is tagged (a structure a screen reader follows) and PDF/UA where the installed
LibreOffice supports it (7.2 and later; an older one ignores the option), shows its title
rather than its file name, and names its language: the profile's locale, set to the
catalogue's `organisation.pack.language`, is what LibreOffice writes as /Lang.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from pathlib import Path
from xml.sax.saxutils import quoteattr

from ..errors import OutputError

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


# calc_pdf_Export's options, in the JSON form `--convert-to` takes (LibreOffice 7.4+;
# an older one converts with its defaults, untagged).
PDF_OPTIONS = {
    "UseTaggedPDF": True,  # the document's structure, for screen readers
    "PDFUACompliance": True,  # PDF/UA (ISO 14289) where the installed version supports it
    "ExportBookmarks": True,
    "ExportNotes": False,
}
PDF_FILTER = "pdf:calc_pdf_Export:" + json.dumps(
    {name: {"type": "boolean", "value": str(on).lower()} for name, on in PDF_OPTIONS.items()},
    separators=(",", ":"),
)
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N">
 <prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{language}</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General">
 <prop oor:name="DefaultLocale" oor:op="fuse"><value>{language}</value></prop></item>
</oor:items>
"""


def make_profile(folder: Path, language: str) -> Path:
    """A fresh LibreOffice user profile in `folder` whose documents are in `language`."""
    profile = folder / "libreoffice-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    value = quoteattr(language)[1:-1]  # a catalogue value, escaped for XML
    (profile / "user" / "registrymodifications.xcu").write_text(
        PROFILE_SETTINGS.format(language=value), encoding="utf-8"
    )
    return profile


def convert_to_pdf(
    office: str, workbook: Path, folder: Path, timeout: float, language: str = "en-GB"
) -> Path:
    """`workbook` converted by LibreOffice headless into `folder`; the PDF's path."""
    profile = make_profile(folder, language)
    command = [
        office,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        PDF_FILTER,
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
