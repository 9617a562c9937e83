"""How much room text takes on the pack's printed page, so that its rows are given the
height they need and its pages are made up before LibreOffice prints them.

The pack asks for Calibri, whose free metric-compatible twin Carlito LibreOffice uses
where Calibri is missing (Debian: fonts-crosextra-carlito): the widths below are
Carlito's (and so Calibri's), in thousandths of an em, for the printable ASCII
characters. Wrapping is greedy by words, as LibreOffice wraps a cell. Everything is
estimated a little generously: a line of spare room beats a clipped note.
"""

from __future__ import annotations

import functools
import unicodedata

# Carlito Regular and Bold advance widths, thousandths of an em, for chr(32)..chr(126).
_REGULAR = (
    226, 326, 401, 498, 507, 715, 682, 221, 303, 303, 498, 498, 250, 306, 252, 386,
    507, 507, 507, 507, 507, 507, 507, 507, 507, 507, 268, 268, 498, 498, 498, 463,
    894, 579, 544, 533, 615, 488, 459, 631, 623, 252, 319, 520, 420, 855, 646, 662,
    517, 673, 543, 459, 487, 642, 567, 890, 519, 487, 468, 307, 386, 307, 498, 498,
    291, 479, 525, 423, 525, 498, 305, 471, 525, 229, 239, 455, 229, 799, 525, 527,
    525, 525, 349, 391, 335, 525, 452, 715, 433, 453, 395, 314, 460, 314, 498,
)  # fmt: skip
_BOLD = (
    226, 326, 438, 498, 507, 729, 705, 233, 312, 312, 498, 498, 258, 306, 267, 430,
    507, 507, 507, 507, 507, 507, 507, 507, 507, 507, 276, 276, 498, 498, 498, 463,
    898, 606, 561, 529, 630, 488, 459, 637, 631, 267, 331, 547, 423, 874, 659, 676,
    532, 686, 563, 473, 495, 653, 591, 906, 551, 520, 478, 325, 430, 325, 498, 498,
    300, 494, 537, 418, 537, 503, 316, 474, 537, 246, 255, 480, 246, 813, 537, 538,
    537, 537, 355, 399, 347, 537, 473, 745, 459, 474, 397, 344, 475, 344, 498,
)  # fmt: skip
WIDE_WIDTH = 1050  # a wide (East Asian) glyph: a full em, from a fallback font, and some
OTHER_WIDTH = 800  # a character outside ASCII (£, –, ▲, ●: some from a fallback font)
LINE_PITCH = 1.02  # Carlito's ascent + descent is one em; LibreOffice adds a little
FALLBACK_PITCH = 1.20  # a line with a symbol from DejaVu Sans, whose lines are taller
CELL_PADDING = 3.0  # points of a column's width that are not text: the inner margins
ROW_PADDING = 3.0  # points above and below a row's text
WIDTH_SLACK = 0.97  # wrap as if each column were this much narrower than it prints

# The printable area of an A4 landscape page with the pack's margins, in points.
PAGE_WIDTH = 841.89 - 2 * 0.4 * 72
PAGE_HEIGHT = 595.30 - (0.5 + 0.6) * 72
HEIGHT_SCALE = 1.0105  # LibreOffice prints a row a shade taller than its set height


def column_points(width: float) -> float:
    """The printed width, in points, of a column `width` characters wide (Excel's unit),
    as LibreOffice prints it at 100%: measured from its PDFs."""
    return 5.61 * width + 3.3


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` on one line in points, at `size` points."""
    table = _BOLD if bold else _REGULAR
    units = 0
    for char in text:
        code = ord(char) - 32
        if 0 <= code < len(table):
            units += table[code]
        else:  # a wide glyph (CJK) takes a full em, more than any other
            units += WIDE_WIDTH if unicodedata.east_asian_width(char) in "WF" else OTHER_WIDTH
    return units * size / 1000


@functools.lru_cache(maxsize=16384)
def wrapped_lines(text: str, width: float, size: float, bold: bool = False) -> int:
    """Lines `text` takes wrapped into `width` points (a column's printed width)."""
    room = max(width - CELL_PADDING, size) * WIDTH_SLACK
    space = text_width(" ", size, bold)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            need = text_width(word, size, bold)
            if used and used + space + need > room:
                lines += 1
                used = 0.0
            elif used:
                used += space
            while need > room:  # a word longer than the column breaks where it must
                lines += 1
                need -= room
            used += need
    return lines


def line_height(size: float, text: str = "") -> float:
    """The height of one line of `text` at `size` points."""
    fallback = any(ord(char) > 0x2000 for char in text)
    return size * (FALLBACK_PITCH if fallback else LINE_PITCH)


def text_height(text: str, width: float, size: float, bold: bool = False) -> float:
    """The height, in points, `text` takes wrapped into `width` points."""
    if not text:
        return 0.0
    return wrapped_lines(text, width, size, bold) * line_height(size, text)
