"""The board view on the web: a folder of static, accessible pages for the month,
written from the compiled result (never the pipeline) and readable from `file://`
with no network and no server.

`index.html` leads with the board summary and the counts; a page per objective holds
the report's table; a page per indicator its figures, chart, sources and the owner's
words; `scorecard.csv` the results as data. No page runs or loads a script.
"""

from __future__ import annotations

from .render import site_pages, write_site

__all__ = ["site_pages", "write_site"]
