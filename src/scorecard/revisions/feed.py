"""What a compile hands the ledger: each return it merged, as a plain version with its
figures and comments (taken from the return's cache entry, a return at a time), and the
pack it wrote, whose figures are stored only where they are not its inputs' own."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..cache import ReturnCache
from ..ledger import CommentRow, FigureRow, Identity, PackRecord, PackRow, ReturnVersion
from ..model import Figures, ReturnFile
from ..periods import Month
from ..result import RunResult
from ..returns import ReturnRecord, ReturnsRead
from ..returns.serial import DAMAGED, plain_outline, plain_problems, plain_return, return_from

# Each month's text, made once: a large compile records ~440,000 figures, ~40 months.
_MONTH_TEXT: dict[int, str] = {}


def month_text(index: int) -> str:
    """A month index (`Month.index`) as the ledger stores it, YYYY-MM."""
    text = _MONTH_TEXT.get(index)
    if text is None:
        text = _MONTH_TEXT[index] = str(Month.from_index(index))
    return text


def packed(data: Any) -> bytes:
    """JSON-able data as the ledger keeps it: compact JSON, compressed."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8", "surrogatepass"))


def unpacked(blob: bytes) -> Any:
    """What `packed` kept."""
    return json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))


def outline_of(read: ReturnsRead) -> bytes:
    """How the returns were merged: the returns folder's own problems, then each folder
    (its problems; its returns, each an index into the files merged, i.e. the pack's
    inputs, or refused unread and kept whole)."""
    return packed(
        {
            "opening": plain_problems(read.problems[: read.opening]),
            "folders": plain_outline(read.outline),
        }
    )


def identity_of(file: ReturnFile) -> Identity:
    """The return version a merged file is: (sha256, path, folder)."""
    return (file.sha256, file.path, str(file.month))


def held(cache: ReturnCache, file: ReturnFile) -> ReturnRecord | None:
    """What a merged return held, from its cache entry; None if there is none (a read
    that crashed is not kept) or it is damaged."""
    if file.month is None:
        return None
    data = cache.load(cache.key(file.sha256, file.path, file.month))
    if data is None:
        return None
    try:
        return return_from(Path(file.path), data)
    except DAMAGED:
        return None


def version_of(file: ReturnFile, ret: ReturnRecord | None = None) -> ReturnVersion:
    """A merged return as the ledger records it; with `ret` (what it held), its figures
    and comments too, streamed."""
    sign = ret.sign_off if ret is not None else {}
    return ReturnVersion(
        path=file.path,
        sha256=file.sha256,
        folder=str(file.month),
        owner=file.owner,
        sheet=ret.sheet if ret is not None else "Return",
        usable=file.usable,
        sign_name=sign.get("Name", ""),
        sign_role=sign.get("Role", ""),
        sign_date=sign.get("Date", ""),
        figures=_figure_rows(ret) if ret is not None else (),
        comments=_comment_rows(ret) if ret is not None else (),
        record=packed(plain_return(ret, figures=False)) if ret is not None else None,
    )


def _figure_rows(ret: ReturnRecord) -> Iterator[tuple[Any, ...]]:
    """A return's figures (a refused one's too: it may be used another time), in
    FigureRow's order, as plain tuples."""
    for (key, measure), series in ret.figures.items():
        for index, entry in series.items():
            value, cell, not_available, problem, _ = entry
            yield (key, measure, month_text(index), value, not_available, problem, cell)


def _comment_rows(ret: ReturnRecord) -> Iterator[CommentRow]:
    for (key, index), comment in ret.commentary.items():
        yield CommentRow(key, month_text(index), comment.text, comment.source.cell)


def made_rows(figures: Figures, adjusted: set[tuple[tuple[str, str], int]]) -> list[FigureRow]:
    """The figures a run assessed that are not as a return holds them: the reader's
    marks (no file), and those in `adjusted` (a locked figure kept, two returns
    disagreeing); a pack stores only these, the rest are its inputs'."""
    rows = []
    for pair, series in figures.items():
        for month, figure in series.items():
            source = figure.source
            if source is not None and (pair, month.index) not in adjusted:
                continue
            rows.append(
                FigureRow(
                    pair[0],
                    pair[1],
                    month_text(month.index),
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
    read: ReturnsRead,
    *,
    as_of: str | None = None,
) -> PackRecord:
    """The pack a run wrote, as the ledger records it: inputs are the run's returns,
    `figures` those it assessed (stored where not its inputs'; a rebuilt pack's all)."""
    inputs = tuple(identity_of(f) for f in run.files if f.month is not None and f.sha256)
    rows = tuple(
        PackRow(
            r.indicator.key,
            r.reading.text,
            r.reading.value if r.reading.available else None,
            str(r.status),
        )
        for r in run.results
    )
    figures, adjusted = read.figures, read.adjusted
    if as_of is not None:  # rebuilt: every figure, as it was assessed
        adjusted = {(pair, month.index) for pair, series in figures.items() for month in series}
    return PackRecord(
        month=str(run.month),
        fingerprint=run.catalogue.fingerprint,
        catalogue=run.catalogue.path,
        master=str(master),
        inputs=inputs,
        rows=rows,
        figures=tuple(made_rows(figures, adjusted)),
        as_of=as_of,
        unused=frozenset(identity_of(f) for f in run.files if f.sha256 and not f.usable),
        outline=outline_of(read) if as_of is None else None,
    )
