"""Colours the pages may use: WCAG 2.2 contrast, and a catalogue colour made dark
enough to be seen on white.

A status mark takes the catalogue's colour for the status; where that colour is too
light to be told from the white page at 3:1 (WCAG 1.4.11, non-text contrast: the
report's own green, #00B050, is 2.87:1), it is darkened, keeping its hue, until it is.
The status's text beside the mark says the same in words (status never by colour alone).
"""

from __future__ import annotations

import re

WHITE = "#FFFFFF"
MARK_CONTRAST = 3.0  # graphics and marks against the page
TEXT_CONTRAST = 4.5  # body text against the page
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")
FALLBACK = "#595959"  # a colour the catalogue did not give as #RRGGBB


def _channels(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def luminance(colour: str) -> float:
    """The relative luminance of a #RRGGBB colour, as WCAG defines it."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #RRGGBB colours, from 1 to 21."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def seen_on_white(colour: str, ratio: float = MARK_CONTRAST) -> str:
    """`colour` (#RRGGBB), darkened step by step towards black until it stands at
    `ratio` or more against white; a colour already there is returned as it is."""
    if not _HEX.fullmatch(colour):
        colour = FALLBACK
    colour = colour.upper()
    red, green, blue = _channels(colour)
    scale = 1.0
    while contrast(colour, WHITE) < ratio:
        scale -= 0.02
        colour = "#{:02X}{:02X}{:02X}".format(
            *(max(0, round(c * scale)) for c in (red, green, blue))
        )
    return colour
