"""Words fit to show: control and direction characters neutralised, and text cut to a
cell's limit on a character boundary, with a mark where it is cut (pure).

Excel counts a cell's 32,767 characters in UTF-16 units: an emoji or any character
beyond U+FFFF is two. A direction override (U+202E and its kin) makes the characters
after it read in another order than typed ("gnp.exe" shows as "exe.png"): a well-known
way to disguise words, and never needed in a comment (the Unicode bidirectional
algorithm lays out Arabic or Hebrew without them). Other control characters
(0x00-0x1F, written in the file as ``_x0000_`` escapes) show as nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Embeddings, overrides and isolates: LRE RLE PDF LRO RLO, LRI RLI FSI PDI.
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# C0 controls but tab and line feed, DEL and the C1 controls; a carriage return is a
# line break (handled first).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain_text(text: str) -> str:
    """`text` as it can be shown: line breaks kept (CR LF and CR become LF), a tab a
    space, other control characters and direction overrides removed."""
    if not _NEEDS_CLEANING.search(text):
        return text.replace("\t", " ") if "\t" in text else text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return DIRECTION_CONTROLS.sub("", _CONTROLS.sub("", text))


def direction_controls(text: str) -> list[str]:
    """The direction overrides in `text`, as U+XXXX, once each, in order of first use."""
    found = dict.fromkeys(f"U+{ord(c):04X}" for c in DIRECTION_CONTROLS.findall(text))
    return list(found)


def utf16_units(text: str) -> int:
    """The length Excel counts: UTF-16 code units (two for a character beyond U+FFFF)."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def cut_to_units(text: str, limit: int, mark: str) -> str:
    """`text` if it is within `limit` UTF-16 units; else its beginning, cut on a
    character boundary, and `mark`, together within the limit."""
    if utf16_units(text) <= limit:
        return text
    room = limit - utf16_units(mark)
    kept, used = 0, 0
    for char in text:
        size = 2 if ord(char) > 0xFFFF else 1
        if used + size > room:
            break
        used += size
        kept += 1
    return text[:kept] + mark


def cut_to_fit(text: str, fits: Callable[[str], bool], mark: str) -> str:
    """`text` if `fits(text)`; else its longest beginning that fits with `mark` after it,
    cut on a space where there is one near the end (found by halves: `fits` is a
    measurement, such as the height the text wraps to in a cell)."""
    if fits(text):
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(text[:middle].rstrip() + mark):
            low = middle
        else:
            high = middle - 1
    kept = text[:low]
    space = kept.rfind(" ")
    if space > low * 3 // 4:
        kept = kept[:space]
    return kept.rstrip() + mark
