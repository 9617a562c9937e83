"""The pages rendered from their templates (Jinja2, autoescaped) and written as a
folder: index, a page per objective and per indicator, the stylesheet and the CSV.

Every value a template prints passes through `shown`: escaped by Jinja2, and with the
characters that would act rather than show (bidirectional overrides and isolates,
control codes, lone surrogates) written as visible marks such as ``[U+202E]``, so that
a return's text can neither run, nor reorder what is around it, nor hide.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..board import board_summary
from ..model import Status
from ..result import RunResult
from ..spc import SpcState
from ..workbook.texts import report_texts
from .chart import ChartData, render_chart
from .csvfile import results_csv
from .folder import atomic_folder
from .pages import (
    CSV_NAME,
    STYLE_NAME,
    index_page,
    indicator_page,
    indicator_path,
    objective_page,
    objective_path,
    status_marks,
)

# What a page may load: its stylesheet, from the site itself. No script at all.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'"
)
_ACTING = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
    r"\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def shown(value: Any) -> Any:
    """A value as a page prints it: None as nothing, acting characters made visible."""
    if value is None:
        return ""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return _ACTING.sub(lambda m: f"[U+{ord(m.group()):04X}]", value)


def environment() -> jinja2.Environment:
    """The templates, autoescaped, every printed value through `shown`."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("scorecard.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=shown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the package's templates do not change during a run
    )
    env.filters["chart"] = _chart
    return env


def _chart(data: ChartData, chart_id: str) -> Markup:
    # The SVG is written by render_chart, which escapes every text it holds.
    return Markup(render_chart(data, chart_id))


def site_pages(run: RunResult) -> dict[str, str]:
    """Every file of the site by its path in the folder, as text."""
    env = environment()
    marks = status_marks(run)
    texts = report_texts(run)
    common = {
        "organisation": texts.organisation,
        "report_title": texts.title,
        "period": texts.period.rstrip(". "),
        "month": run.month.long,
        "csp": CONTENT_SECURITY_POLICY,
        "csv_name": CSV_NAME,
        "style_name": STYLE_NAME,
        "fingerprint": run.catalogue.fingerprint[:16],
        "marks": marks,
    }
    files = {
        STYLE_NAME: env.get_template("style.css").render(marks=marks.values()),
        CSV_NAME: results_csv(run),
        "index.html": env.get_template("index.html").render(
            **common,
            root="",
            page=index_page(run, marks),
            board=board_summary(run),
            red=Status.RED,
            amber=Status.AMBER,
            no_series=SpcState.NO_SERIES,
            indicator_href=indicator_path,
        ),
    }
    objective = env.get_template("objective.html")
    for item in run.catalogue.objectives:
        files[objective_path(item.key)] = objective.render(
            **common, root="../", page=objective_page(run, item, marks)
        )
    indicator = env.get_template("indicator.html")
    for result in run.results:
        files[indicator_path(result.indicator.key)] = indicator.render(
            **common, root="../", page=indicator_page(run, result, marks)
        )
    return files


def write_site(run: RunResult, folder: Path) -> Path:
    """Write the site for `run` into `folder` (whole, or not at all); return `folder`."""
    folder = Path(folder)
    files = site_pages(run)
    with atomic_folder(folder) as work:
        for name in ("objectives", "indicators"):
            (work / name).mkdir()
        for name, text in files.items():
            # A lone surrogate (from a damaged string) is written as its escape, not lost.
            (work / name).write_bytes(text.encode("utf-8", "backslashreplace"))
    return folder
