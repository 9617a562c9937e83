"""The pack's pages made up as the report makes them up. Pure: heights in, pages out.

Objectives share pages. An objective's heading keeps with its first rows (never alone
at the foot of a page); a row is never split (Calc prints a row whole, so a row that
does not fit starts the next page); where an objective runs on to a new page its heading
is repeated there, marked "(continued)". Pages are filled before a new one starts, so a
page ends less than half full only where the next row is taller than half a page.
"""

from __future__ import annotations

from typing import NamedTuple

KEEP_WITH_HEADING = 2  # rows an objective's heading keeps with it on its page


class Section(NamedTuple):
    """One objective: its heading's height and each row's, in points."""

    heading: float
    rows: tuple[float, ...]


class Item(NamedTuple):
    """One printed line of the table: a heading (row -1; `continued` when repeated) or
    row `row` of section `section`."""

    section: int
    row: int = -1
    continued: bool = False

    @property
    def is_heading(self) -> bool:
        return self.row < 0


class Page(NamedTuple):
    items: tuple[Item, ...]
    used: float  # points of the page's room the items take


def make_pages(sections: list[Section], room: float, continued_heading: float) -> list[Page]:
    """The pages of a table of `sections` where each page has `room` points for rows;
    a repeated heading is `continued_heading` points tall."""
    pages: list[Page] = []
    items: list[Item] = []
    used = 0.0

    def turn() -> None:
        nonlocal items, used
        if items:
            pages.append(Page(tuple(items), used))
        items, used = [], 0.0

    for number, section in enumerate(sections):
        keep = _keep(section, room)
        if items and used + section.heading + sum(section.rows[:keep]) > room:
            turn()
        items.append(Item(number))
        used += section.heading
        for row, height in enumerate(section.rows):
            if items and used + height > room and not (len(items) == 1 and row == 0):
                turn()
                items.append(Item(number, continued=True))
                used = continued_heading
            items.append(Item(number, row))
            used += height
    turn()
    return pages


def _keep(section: Section, room: float) -> int:
    """How many first rows the heading keeps with it: two where they fit a page with it,
    else one."""
    keep = min(KEEP_WITH_HEADING, len(section.rows))
    while keep > 1 and section.heading + sum(section.rows[:keep]) > room:
        keep -= 1
    return keep
