"""What a compile hands the ledger: each return it merged, as a plain version with its
figures and comments, and the pack it wrote."""

from __future__ import annotations

from pathlib import Path

from ..ledger import CommentRow, FigureRow, PackRecord, PackRow, ReturnVersion
from ..model import Figures
from ..periods import Month
from ..result import RunResult
from ..returns import ReturnRecord


def version_of(ret: ReturnRecord, *, full: bool = True) -> ReturnVersion:
    """A return as the ledger records it; with `full`, every figure and comment too."""
    sign = ret.sign_off
    figures: list[FigureRow] = []
    comments: list[CommentRow] = []
    if full:  # a refused return's figures too: it may be used another time
        for (key, measure), series in ret.figures.items():
            for index, entry in series.items():
                month = str(Month.from_index(index))
                figures.append(
                    FigureRow(
                        key,
                        measure,
                        month,
                        entry.value,
                        entry.not_available,
                        entry.problem,
                        entry.cell,
                    )
                )
        for (key, index), comment in ret.commentary.items():
            month = str(Month.from_index(index))
            comments.append(CommentRow(key, month, comment.text, comment.source.cell))
    return ReturnVersion(
        path=ret.display,
        sha256=ret.sha256,
        folder=str(ret.folder),
        owner=ret.owner or "",
        sheet=ret.sheet,
        usable=ret.usable and ret.owner is not None,
        sign_name=sign.get("Name", ""),
        sign_role=sign.get("Role", ""),
        sign_date=sign.get("Date", ""),
        figures=tuple(figures),
        comments=tuple(comments),
    )


def figure_rows(figures: Figures) -> list[FigureRow]:
    """Every figure a run assessed, with where it came from, as a pack records them."""
    rows = []
    for (key, measure), series in figures.items():
        for month, figure in series.items():
            source = figure.source
            rows.append(
                FigureRow(
                    key,
                    measure,
                    str(month),
                    figure.value,
                    figure.not_available,
                    figure.problem,
                    source.cell if source else "",
                    source.file if source else "",
                    source.sheet if source else "",
                )
            )
    return rows


def pack_record(
    run: RunResult,
    master: Path,
    figures: Figures,
    *,
    as_of: str | None = None,
) -> PackRecord:
    """The pack a run wrote, as the ledger records it: inputs are the run's returns,
    `figures` those it assessed."""
    inputs = tuple((f.sha256, f.path, str(f.month)) for f in run.files if f.month is not None)
    rows = tuple(
        PackRow(
            r.indicator.key,
            r.reading.text,
            r.reading.value if r.reading.available else None,
            str(r.status),
        )
        for r in run.results
    )
    return PackRecord(
        month=str(run.month),
        fingerprint=run.catalogue.fingerprint,
        catalogue=run.catalogue.path,
        master=str(master),
        inputs=inputs,
        rows=rows,
        figures=tuple(figure_rows(figures)),
        as_of=as_of,
    )
