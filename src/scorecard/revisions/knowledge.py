"""What the ledger knew: the returns a pack was compiled from, merged again as the
reader merged them (folder by folder, latest wins), into the `ReturnsRead` the
pipeline assesses."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from ..catalogue import Catalogue
from ..ledger import FigureRow, Ledger, Pack, StoredVersion
from ..model import Figure, Figures, ReturnFile, Source
from ..periods import Month
from ..returns import Comment, Entry, Origin, ReturnRecord, ReturnsRead, merge_again
from ..returns.problems import clip, show
from ..returns.serial import problems_from, return_from
from .feed import unpacked


def figure_of(row: FigureRow, file: str, sheet: str) -> Figure:
    """A figure as the pipeline takes it, from the ledger's row (the reader's marks for
    a refused return or a missing row have no cell, and no source)."""
    source = Source(file, sheet, row.cell) if file else None
    return Figure(row.value, source, row.not_available, row.problem)


def says(figure: Figure | None) -> tuple[object, ...] | None:
    """What a figure says (value, n/a reason, problem): two that say alike are equal."""
    if figure is None:
        return None
    return (figure.value, figure.not_available, figure.problem)


def merged(ledger: Ledger, versions: list[StoredVersion], month: Month) -> ReturnsRead:
    """The returns `versions` (in the order they were merged) merged again for `month`."""
    read = ReturnsRead(month=month)
    usable = [v for v in versions if v.usable and Month.parse(v.folder) <= month]
    figures = ledger.figures(v.id for v in usable)
    _add_returns(ledger, read, versions)
    for version in usable:
        for row in figures[version.id]:
            series = read.figures.setdefault((row.key, row.measure), {})
            series[Month.parse(row.month)] = figure_of(row, version.path, version.sheet)
    for pair, series in read.figures.items():  # in month order, as the reader leaves them
        read.figures[pair] = dict(sorted(series.items()))
    return read


def _add_returns(ledger: Ledger, read: ReturnsRead, versions: list[StoredVersion]) -> None:
    """The returns as files read, with their sign-offs and comments (latest wins)."""
    usable = [v for v in versions if v.usable and Month.parse(v.folder) <= read.month]
    comments = ledger.comments(v.id for v in usable)
    for version in versions:
        read.files.append(
            ReturnFile(version.path, version.owner, Month.parse(version.folder), version.sha256)
        )
    for version in usable:
        for c in comments[version.id]:
            source = Source(version.path, "Commentary", c.cell)
            read.commentary[(c.key, Month.parse(c.month).index)] = Comment(c.text, source)
        signed = {"Name": version.sign_name, "Role": version.sign_role, "Date": version.sign_date}
        if any(signed.values()):
            read.sign_offs[version.path] = signed


def pack_figures(ledger: Ledger, pack: Pack, month: str | None = None) -> Figures:
    """The figures a pack assessed (of `month` only, where given)."""
    figures: Figures = {}
    months: dict[str, Month] = {}
    for row in ledger.pack_figures(pack.id, month):
        when = months.get(row.month) or months.setdefault(row.month, Month.parse(row.month))
        figures.setdefault((row.key, row.measure), {})[when] = figure_of(row, row.file, row.sheet)
    for pair, series in figures.items():
        figures[pair] = dict(sorted(series.items()))
    return figures


def of_pack(ledger: Ledger, pack: Pack) -> ReturnsRead:
    """What a pack was compiled from: the figures it assessed, its returns, their
    sign-offs and comments."""
    read = ReturnsRead(month=Month.parse(pack.month))
    read.figures = pack_figures(ledger, pack)
    _add_returns(ledger, read, list(pack.inputs))
    return read


def merged_again(ledger: Ledger, catalogue: Catalogue, pack: Pack) -> ReturnsRead | None:
    """What a pack was compiled from, merged again by the reader's own merge from the
    returns as the ledger holds them and the pack's outline (so the same problems,
    notes and chase list), with the figures the pack kept otherwise (a locked month's);
    None for a pack recorded before the ledger kept what this needs."""
    blob = ledger.pack_outline(pack.id)
    records = ledger.records(v.id for v in pack.inputs)
    if blob is None or any(r is None for r in records.values()):
        return None
    outline = unpacked(blob)
    figures = ledger.figures(v.id for v in pack.inputs)
    returns = [
        return_held(v, unpacked(cast(bytes, records[v.id])), figures[v.id]) for v in pack.inputs
    ]
    merged = sum(isinstance(item, int) for _, _, items in outline["folders"] for item in items)
    if merged != len(returns):
        return None  # an input the ledger was never given
    folders = [
        (
            Month.parse(month),
            problems_from(problems),
            [
                returns[item] if isinstance(item, int) else return_from(Path(item["display"]), item)
                for item in items
            ],
        )
        for month, problems, items in outline["folders"]
    ]
    month = Month.parse(pack.month)
    read = merge_again(catalogue, month, problems_from(outline["opening"]), folders)
    for row in ledger.pack_made(pack.id):
        series = read.figures.setdefault((row.key, row.measure), {})
        series[Month.parse(row.month)] = figure_of(row, row.file, row.sheet)
        read.figures[(row.key, row.measure)] = dict(sorted(series.items()))
    return read


def return_held(
    version: StoredVersion, data: dict[str, Any], rows: list[FigureRow]
) -> ReturnRecord:
    """A return as the reader left it, from the ledger's record of it and its figures."""
    ret = return_from(Path(version.path), data)
    origin = Origin(ret.display, ret.sheet)
    for row in rows:
        series = ret.figures.setdefault((row.key, row.measure), {})
        series[Month.parse(row.month).index] = Entry(
            row.value, row.cell, row.not_available, row.problem, origin
        )
    return ret


def known_at(ledger: Ledger, when: str, month: Month) -> ReturnsRead:
    """The returns the ledger had seen by `when`, for `month`: in each folder, each
    owner's latest return seen by then."""
    latest: dict[tuple[str, str], StoredVersion] = {}
    for version in ledger.versions(seen_by=when):
        if version.usable and Month.parse(version.folder) <= month:
            latest[(version.folder, version.owner)] = version
    ordered = sorted(latest.values(), key=lambda v: (v.folder, v.path))
    return merged(ledger, ordered, month)


def describe(figure: Figure | None) -> str:
    """What a figure says, as a message words it: 1,234, n/a (reason), 'text'."""
    if figure is None:
        return "nothing"
    if figure.problem:
        return "a rejected entry"
    if figure.not_available is not None:
        return f"n/a ({figure.not_available})" if figure.not_available else "n/a"
    if isinstance(figure.value, str):
        return f"'{clip(figure.value)}'"
    return show(figure.value)
