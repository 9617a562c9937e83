"""Changes since the last pack: the figures it used that returns have since restated,
with the lead's words on each, and the statuses those restatements changed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..catalogue import Catalogue
from ..compile import assess_all
from ..ledger import FigureRow, Ledger, Pack
from ..model import Status
from ..periods import Month
from ..result import Changes, Restatement, StatusChange
from ..returns import ReturnsRead
from .feed import identity_of, month_text
from .knowledge import describe, figure_of, says


def changes_since(
    ledger: Ledger, catalogue: Catalogue, read: ReturnsRead, month: Month
) -> Changes | None:
    """What changed since the last pack compiled for a month before `month`; None when
    there is none."""
    pack = ledger.last_pack(before_month=str(month))
    if pack is None:
        return None
    restated = _restated(ledger, catalogue, pack, read, month)
    return Changes(
        pack_month=Month.parse(pack.month),
        compiled_at=pack.compiled_at,
        restated=tuple(restated),
        statuses=tuple(_statuses(ledger, catalogue, pack, read, restated)),
        pack_statuses=tuple((key, row.status) for key, row in ledger.pack_rows(pack.id).items()),
    )


def _restated(
    ledger: Ledger, catalogue: Catalogue, pack: Pack, read: ReturnsRead, month: Month
) -> list[Restatement]:
    quick = _restated_by_new_returns(ledger, pack, read)
    rows = ledger.pack_figure_rows(pack.id) if quick is None else iter(quick)
    return _compared(ledger, catalogue, pack, read, month, rows)


def _restated_by_new_returns(
    ledger: Ledger, pack: Pack, read: ReturnsRead
) -> list[tuple[Any, ...]] | None:
    """The pack's rows (as `pack_figure_rows`) of only the figures that can have been
    restated since: those the merge now takes from a return the pack did not use, or
    made itself. Each found in the pack's own figures, else in its inputs, newest first
    (usually last month's returns hold them all). None where the pack's inputs are not
    all still used (a return deleted or refused since): then every figure is compared."""
    used = [v for v in pack.inputs if v.usable]
    then = {(v.sha256, v.path, v.folder) for v in used}
    now = {identity_of(f) for f in read.files if f.usable and f.sha256}
    if not pack.delta or not then <= now:
        return None
    new_files = {f.path for f in read.files if f.usable and identity_of(f) not in then}
    wanted: set[tuple[str, str, str]] = set()
    last = Month.parse(pack.month)  # no return then held a later month
    for pair, series in read.figures.items():
        for when, figure in series.items():
            if when > last:
                continue
            source = figure.source
            if source is None or source.file in new_files or (pair, when.index) in read.adjusted:
                wanted.add((pair[0], pair[1], month_text(when.index)))
    found: dict[tuple[str, str, str], tuple[Any, ...]] = {}
    for row in ledger.pack_made(pack.id):  # the pack's own figures come first, all of them
        wanted.add(row[:3])
        found[row[:3]] = tuple(row)
    for version in reversed(used):
        if len(found) == len(wanted):
            break
        for row in ledger.figures([version.id])[version.id]:
            if row[:3] in wanted and row[:3] not in found:
                found[row[:3]] = (*row[:7], version.path, version.sheet)
    return [found[k] for k in sorted(found)]


def _compared(
    ledger: Ledger,
    catalogue: Catalogue,
    pack: Pack,
    read: ReturnsRead,
    month: Month,
    rows: Iterator[Any],
) -> list[Restatement]:
    """Each of the pack's figures (`rows`) that the merge now says otherwise."""
    labels = {i.key: i.label or i.key for i in catalogue.indicators}
    months: dict[str, Month] = {}
    out = []
    # Plain rows, compared as they come: a pack holds every figure it assessed (hundreds
    # of thousands for a large force), and few of them are restated.
    for row in rows:
        key, measure, month_text, value, not_available, problem = row[:6]
        if key not in labels:
            continue  # no longer in the catalogue
        figure_month = months.get(month_text) or months.setdefault(
            month_text, Month.parse(month_text)
        )
        pair = (key, measure)
        new = read.figures.get(pair, {}).get(figure_month)
        if says(new) == (value, not_available, problem):
            continue
        old = figure_of(FigureRow(*row), row[7], row[8])
        out.append(
            Restatement(
                key=pair[0],
                label=labels[pair[0]],
                measure=pair[1],
                month=figure_month,
                old=describe(old),
                new=describe(new),
                where=str(new.source) if new is not None and new.source else "",
                comment=_comment(ledger, pack, read, pair[0], figure_month, month),
            )
        )
    return out


def _comment(
    ledger: Ledger, pack: Pack, read: ReturnsRead, key: str, revised: Month, month: Month
) -> str:
    """The lead's words on a restatement: the revised month's comment if it changed since
    the pack, else this month's."""
    then, now = ledger.pack_comment(pack.id, key, str(revised)), read.comment_for(key, revised)
    if now is not None and now.text != then:
        return now.text
    this = read.comment_for(key, month)
    return this.text if this is not None else ""


def _statuses(
    ledger: Ledger,
    catalogue: Catalogue,
    pack: Pack,
    read: ReturnsRead,
    restated: list[Restatement],
) -> list[StatusChange]:
    """The indicators whose status for the pack's month is another now, because of their
    restated figures."""
    revised: dict[str, set[Month]] = {}
    for r in restated:
        revised.setdefault(r.key, set()).add(r.month)
    if not revised:
        return []
    pack_month = Month.parse(pack.month)
    rows = ledger.pack_rows(pack.id)
    styles = catalogue.organisation.statuses
    out = []
    for result in assess_all(catalogue, read.figures, pack_month):
        key = result.indicator.key
        row = rows.get(key)
        if key not in revised or row is None or row.status == str(result.status):
            continue
        old, new = Status(row.status), result.status
        out.append(
            StatusChange(
                key=key,
                label=result.indicator.label or key,
                month=pack_month,
                old=styles[old].label if old in styles else str(old),
                new=styles[new].label if new in styles else str(new),
                revised=tuple(sorted(revised[key])),
                old_status=str(old),
                new_status=str(new),
            )
        )
    return out
