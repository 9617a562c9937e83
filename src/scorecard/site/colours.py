"""Colours the pages may use: WCAG 2.2 contrast, and a catalogue colour made dark
enough to be seen on white.

A status mark takes the catalogue's colour for the status; where that colour is too
light to be told from the white page at 3:1 (WCAG 1.4.11, non-text contrast: the
report's own green, #00B050, is 2.87:1), it is darkened, keeping its hue, until it is.
The status's text beside the mark says the same in words (status never by colour alone).
"""

from __future__ import annotations

import re

from ..colour import MARK_CONTRAST, TEXT_CONTRAST, contrast, luminance
from ..colour import channels as _channels

__all__ = ["MARK_CONTRAST", "TEXT_CONTRAST", "contrast", "luminance", "seen_on_white"]

WHITE = "#FFFFFF"
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")
FALLBACK = "#595959"  # a colour the catalogue did not give as #RRGGBB


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
