"""Render the master workbook with LibreOffice and check the colours on the page.

The workbook is converted to PDF (``soffice --headless --convert-to pdf``) and each page
to PNG (``pdftoppm -png -r 60``); ``pdftotext -bbox`` says where each status word was
printed. Around every GREEN, AMBER, RED and BLUE in an objective sheet's status column
the page must show that status's fill: the colour comes from the conditional formats,
so this fails if LibreOffice does not apply them. The same word on the Data sheet,
which has no rules, must print on white. The council sample's master is rendered too:
its own labels ("On track", "Improving", "Off track") print on its own colours, and
BLUE, which its scheme cannot give, is nowhere on its pages.

Skipped, with the reason, where LibreOffice or poppler is missing; CI sets
SCORECARD_REQUIRE_RENDER=1 to make that a failure instead.
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from scorecard.workbook import status_looks, write_workbook

SAMPLE = Path(__file__).parents[1] / "fixtures" / "workbook" / "sample.py"
DPI = 60
COLOURED = ("GREEN", "AMBER", "RED", "BLUE")
TOOLS = ("soffice", "pdftoppm", "pdftotext")


def _load_sample():
    spec = importlib.util.spec_from_file_location("workbook_sample", SAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def _need_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    reason = (
        f"render test needs {', '.join(missing)} on PATH "
        "(Debian: apt-get install libreoffice-calc poppler-utils)"
    )
    if os.environ.get("SCORECARD_REQUIRE_RENDER"):
        pytest.fail(reason + "; SCORECARD_REQUIRE_RENDER is set")
    print(f"SKIP: {reason}")
    pytest.skip(reason)


# --- reading the rendered pages ------------------------------------------------------


@dataclass
class Image:
    width: int
    height: int
    channels: int
    rows: list[bytes]

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        start = x * self.channels
        r, g, b = self.rows[y][start : start + 3]
        return r, g, b


def read_png(path: Path) -> Image:
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG (what pdftoppm writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        _unfilter(kind, line, previous, channels)
        rows.append(bytes(line))
        previous = line
    return Image(width, height, channels, rows)


def _unfilter(kind: int, line: bytearray, up: bytearray, bpp: int) -> None:
    if kind == 0:
        return
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        above = up[i]
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + above) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + ((left + above) >> 1)) & 0xFF
        else:
            corner = up[i - bpp] if i >= bpp else 0
            p = left + above - corner
            pa, pb, pc = abs(p - left), abs(p - above), abs(p - corner)
            pred = left if pa <= pb and pa <= pc else above if pb <= pc else corner
            line[i] = (line[i] + pred) & 0xFF


@dataclass(frozen=True)
class Word:
    page: int  # 1-based
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


_PAGE = re.compile(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", re.S)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def words(pdf: Path) -> tuple[list[Word], float]:
    """Every word of the PDF with its box in points, and the page width in points."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True,
        timeout=120,
    ).stdout  # fmt: skip
    found, width = [], 0.0
    for number, page in enumerate(_PAGE.finditer(out), 1):
        width = float(page.group(1))
        for m in _WORD.finditer(page.group(3)):
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            found.append(Word(number, html.unescape(m.group(5)), x0, y0, x1, y1))
    return found, width


def share_near(image: Image, word: Word, colour: tuple[int, int, int], pad: int = 2) -> float:
    """Share of the pixels in and just around `word` that are close to `colour`."""
    scale = DPI / 72
    x0, x1 = int(word.x0 * scale) - pad, int(word.x1 * scale) + pad
    y0, y1 = int(word.y0 * scale) - pad, int(word.y1 * scale) + pad
    near = total = 0
    for y in range(max(y0, 0), min(y1 + 1, image.height)):
        for x in range(max(x0, 0), min(x1 + 1, image.width)):
            total += 1
            pixel = image.pixel(x, y)
            near += sum((a - b) ** 2 for a, b in zip(pixel, colour, strict=True)) < 50**2
    return near / total if total else 0.0


def rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


# --- the test --------------------------------------------------------------------------


def render(xlsx: Path, folder: Path) -> tuple[Path, list[Path]]:
    profile = folder / "lo-profile"  # a private profile: runs in parallel do not collide
    subprocess.run(
        [
            "soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
            "--convert-to", "pdf", "--outdir", str(folder), str(xlsx),
        ],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = folder / (xlsx.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice wrote no PDF for {xlsx}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(DPI), str(pdf), str(folder / "page")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pages = sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return pdf, pages


def test_status_colours_on_the_rendered_page(tmp_path: Path) -> None:
    _need_tools()
    sample = _load_sample()
    run = sample.run()
    xlsx = write_workbook(run, tmp_path / "scorecard-2008-07.xlsx")
    pdf, pages = render(xlsx, tmp_path)
    print(f"rendered pages: {', '.join(str(p) for p in pages)}")
    found, page_width = words(pdf)
    images = {n: read_png(p) for n, p in enumerate(pages, 1)}
    looks = {look.label: look for look in status_looks(run.catalogue.organisation).values()}

    # Objective sheets are the pages with a Trend heading; the status column is right of
    # the legend's swatches, which sit in the first column.
    objective_pages = {w.page for w in found if w.text == "Trend"}
    assert objective_pages, "no objective sheet found in the PDF"
    checked: dict[str, list[float]] = {label: [] for label in COLOURED}
    for word in found:
        if word.page in objective_pages and word.text in COLOURED and word.x0 > page_width / 4:
            fill = rgb(looks[word.text].fill)
            checked[word.text].append(share_near(images[word.page], word, fill))
    for label, shares in checked.items():
        assert shares, f"no {label} status cell on any objective sheet"
        assert min(shares) > 0.3, f"{label} status cells not filled with {looks[label].fill}"

    # The Data sheet has the same words and no rules: they print on white.
    data_page = max(w.page for w in found if w.text == "Sources")
    plain = [w for w in found if w.page == data_page and w.text in COLOURED]
    assert plain
    for word in plain:
        assert share_near(images[data_page], word, rgb(looks[word.text].fill)) < 0.1
        assert share_near(images[data_page], word, (255, 255, 255)) > 0.3


# --- the council: its own labels and colours, and no BLUE ------------------------------

COUNCIL = Path(__file__).parents[2] / "samples" / "council"


def phrases(found: list[Word], text: str) -> list[Word]:
    """Each place `text` (one or more words) was printed on one line, as one box."""
    parts, out = text.split(), []
    for i, first in enumerate(found):
        run = found[i : i + len(parts)]
        if [w.text for w in run] != parts or len({(w.page, round(w.y0)) for w in run}) != 1:
            continue
        out.append(Word(first.page, text, first.x0, first.y0, run[-1].x1, run[-1].y1))
    return out


def test_council_colours_on_the_rendered_page(tmp_path: Path) -> None:
    _need_tools()
    from scorecard.catalogue import load_catalogue
    from scorecard.compile import compile_report

    run = compile_report(load_catalogue(COUNCIL / "indicators.yaml"), COUNCIL / "returns")
    xlsx = write_workbook(run, tmp_path / "scorecard-2025-03.xlsx")
    pdf, pages = render(xlsx, tmp_path)
    print(f"rendered pages: {', '.join(str(p) for p in pages)}")
    found, _ = words(pdf)
    images = {n: read_png(p) for n, p in enumerate(pages, 1)}
    assert not [w for w in found if w.text.upper() == "BLUE"], "BLUE on a council page"
    # The status column of each objective page: under its "Status" heading, the topmost
    # (the legend's heading, lower down, says "Status" too).
    objective_pages = {w.page for w in found if w.text == "Trend"}
    headings: dict[int, Word] = {}
    for w in found:
        if w.text != "Status" or w.page not in objective_pages:
            continue
        if w.page not in headings or w.y0 < headings[w.page].y0:
            headings[w.page] = w
    columns = {page: (w.x0 + w.x1) / 2 for page, w in headings.items()}
    assert len(columns) == 4, "four objective sheets"
    looks = status_looks(run.catalogue.organisation).values()
    for look in looks:
        if look.label not in ("On track", "Improving", "Off track"):
            continue
        cells = [
            p
            for p in phrases(found, look.label)
            if p.page in columns and abs((p.x0 + p.x1) / 2 - columns[p.page]) < 30
        ]
        assert cells, f"no {look.label} status cell on any objective page"
        shares = [share_near(images[p.page], p, rgb(look.fill)) for p in cells]
        assert min(shares) > 0.3, f"{look.label} cells not filled with {look.fill}: {shares}"


# --- the July 2008 sample: narratives across their rows, the leads' words ------------

ROOT = Path(__file__).parents[2]


def test_narratives_and_commentary_on_the_rendered_page(tmp_path: Path) -> None:
    """Both milestone narratives print whole, laid across their rows (words right of the
    Rolling 12 months column), and the month's commentary prints under its indicator."""
    _need_tools()
    from scorecard.catalogue import load_catalogue
    from scorecard.compile import compile_report

    run = compile_report(
        load_catalogue(ROOT / "config" / "indicators.yaml"), ROOT / "samples" / "returns"
    )
    xlsx = write_workbook(run, tmp_path / "scorecard-2008-07.xlsx")
    pdf, pages = render(xlsx, tmp_path)
    print(f"rendered pages: {', '.join(str(p) for p in pages)}")
    found, _ = words(pdf)
    for first, last in (
        ("A draft MPS Counter Terrorism Strategy", "work-plan have been provided."),
        ("There are four critical performance areas", "December 2008."),
    ):
        [start] = [
            p
            for p in phrases(found, first)
            if p.page in {w.page for w in found if w.text == "Trend"}
        ]
        [end] = [p for p in phrases(found, last) if p.page == start.page and p.y0 >= start.y0]
        heading = min(
            (p for p in phrases(found, "Rolling 12 months") if p.page == start.page),
            key=lambda p: p.y0,
        )
        # The narrative's lines run past the Rolling 12 months column, across the row.
        line = [w for w in found if w.page == start.page and abs(w.y0 - start.y0) < 1]
        assert max(w.x1 for w in line) > heading.x1 + 100, "the narrative is not across the row"
        assert end.y0 - start.y0 < 200, "the narrative's row is taller than it needs"
    assert phrases(found, "Three of the last four months have been above new target level")
    assert [p for p in phrases(found, "Owner's commentary") if p.page > 1]
