"""Whether each status's colours can be read: the catalogue's status looks against WCAG
2.2 AA. A status cell's label (and the legend's swatch) is text on the fill, 4.5:1; a
status shown as a symbol ("●", the report's green light on blue) is a mark, 3:1."""

from __future__ import annotations

from ..colour import MARK_CONTRAST, TEXT_CONTRAST, contrast
from ..errors import Level, Problem
from .schema import Catalogue

CODE = "status-contrast"


def contrast_problems(catalogue: Catalogue) -> list[Problem]:
    """A `status-contrast` warning for each status whose font is too faint on its fill:
    the colour pair, the ratio, and the ratio it needs."""
    problems = []
    for status, style in catalogue.organisation.statuses.items():
        ratio = contrast(style.font, style.fill)
        if style.show == "symbol":
            need, what = MARK_CONTRAST, f"the mark {style.symbol}"
        else:
            need, what = TEXT_CONTRAST, "the text"
        if ratio >= need:
            continue
        problems.append(
            Problem(
                CODE,
                f"organisation.statuses.{status.value}: {what} in {style.font.upper()} on "
                f"{style.fill.upper()} is {ratio:.2f}:1, under the {need:g}:1 WCAG 2.2 AA "
                "asks for; choose a darker or lighter font or fill",
                Level.WARNING,
                file=catalogue.path or None,
            )
        )
    return problems
