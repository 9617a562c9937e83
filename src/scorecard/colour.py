"""WCAG 2.2 contrast between two #RRGGBB colours: the one formula every output that
colours a status checks against (the catalogue's `validate`, the pack, the site).

Text needs 4.5:1 against its background (success criterion 1.4.3, AA); a mark or other
graphic that carries meaning, 3:1 (1.4.11). Imports nothing of scorecard's.
"""

from __future__ import annotations

TEXT_CONTRAST = 4.5  # text against its background
MARK_CONTRAST = 3.0  # a symbol or other mark against its background


def channels(colour: str) -> tuple[int, int, int]:
    """The red, green and blue of a #RRGGBB colour, 0 to 255."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def luminance(colour: str) -> float:
    """The relative luminance of a #RRGGBB colour, as WCAG defines it."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #RRGGBB colours, from 1 to 21."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)
