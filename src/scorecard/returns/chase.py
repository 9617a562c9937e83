"""What the report month still needs once the returns are merged: blank required cells,
missing rows, refused returns, and the chase list of owners to ask."""

from __future__ import annotations

from ..catalogue import Catalogue, Indicator, lag_words, measure_months
from ..errors import Level
from ..model import ChaseItem, Figure
from ..periods import Month, describe_months
from ..xlsx import cell_ref
from .problems import make_problem
from .record import MergeState, Pair, ReturnRecord, ReturnsRead


def check_needed(
    catalogue: Catalogue, month: Month, state: MergeState, result: ReturnsRead
) -> None:
    """Blank required cells, missing rows, and the chase list for the report month.

    An owner whose latest return could not be used (`state.refused`) has the last month
    the report needs of each of their measures marked with that return's problem, so
    their indicators show as data issues, not as merely missing.
    """
    needed = measure_months(catalogue, [month])
    indicators = {ind.key: ind for ind in catalogue.indicators}
    missing: dict[str, set[Month]] = {}
    owners_needed: set[str] = set()
    for pair, months in sorted(needed.items()):
        ind = indicators.get(pair[0])
        if ind is None:
            continue
        owners_needed.add(ind.owner)
        series = result.figures.get(pair, {})
        gaps = sorted(m for m in months if m not in series)
        if not gaps:
            continue
        missing.setdefault(ind.owner, set()).update(gaps)
        ret = state.latest.get(ind.owner)
        bad = state.refused.get(ind.owner)
        if bad is not None and (ret is None or bad.folder > ret.folder):
            _mark_refused(bad, pair, gaps[-1], result)
        if ret is None or ret.folder != month:
            continue  # the whole return is missing: the chase list says so
        _report_gaps(ret, pair, gaps, result, _behind(catalogue, ind, month))
    for owner in catalogue.owners:
        if owner.key not in owners_needed:
            continue
        months = set(missing.get(owner.key, set()))
        ret = state.latest.get(owner.key)
        bad = state.refused.get(owner.key)
        arrived = "received"
        if ret is None or ret.folder != month:
            months.add(month)
            arrived = "refused" if bad is not None and bad.folder == month else "missing"
        if months:
            item = ChaseItem(owner.key, owner.name, tuple(sorted(months)), month, arrived)
            result.chase.append(item)


def _mark_refused(bad: ReturnRecord, pair: Pair, gap: Month, result: ReturnsRead) -> None:
    first = next((p for p in bad.problems if p.level == Level.ERROR), None)
    why = f" ({first.code})" if first is not None else ""
    result.figures.setdefault(pair, {})[gap] = Figure(
        value=None, problem=f"the return {bad.display} could not be used{why}: see Issues"
    )


def _behind(catalogue: Catalogue, indicator: Indicator, month: Month) -> str:
    """For a row a month (or more) behind, what the month's return carries, in words."""
    behind = lag_words(indicator)
    if not behind:
        return ""
    end = indicator.period.end_for(month, catalogue.organisation.financial_year_start)
    return (
        f"; the row is {behind} behind: the {month.label} return carries its {end.label} "
        "figure (the Due column says so)"
    )


def _report_gaps(
    ret: ReturnRecord, pair: Pair, gaps: list[Month], result: ReturnsRead, behind: str
) -> None:
    row = ret.rows.get(pair)
    if row is None:
        _report_missing_row(ret, pair, gaps, result)
        return
    for run in _runs(ret, gaps):
        _report_blank_run(ret, pair, row, run, result, behind if run[-1] == gaps[-1] else "")


def _report_missing_row(
    ret: ReturnRecord, pair: Pair, gaps: list[Month], result: ReturnsRead
) -> None:
    key, measure = pair
    if any(p.code == "stale-template" for p in ret.problems):
        _report_row_added(ret, pair, gaps, result)
        return
    message = (
        f"the return has no row for {key} {measure}, which the report needs for "
        f"{describe_months(gaps)}: restore it from the template"
    )
    result.problems.append(
        make_problem(
            "row-missing",
            message,
            file=ret.display,
            sheet=ret.sheet,
            key=key,
            month=gaps[-1].label,
        )
    )
    # A damaged template, not a figure still to come: the indicator is a data issue.
    result.figures.setdefault(pair, {})[gaps[-1]] = Figure(value=None, problem=message)


def _report_row_added(
    ret: ReturnRecord, pair: Pair, gaps: list[Month], result: ReturnsRead
) -> None:
    """A row the return's template never had, because the catalogue gained it after the
    template was made: its figures are not collected yet (chased, not a data issue)."""
    key, measure = pair
    result.problems.append(
        make_problem(
            "row-not-in-template",
            f"{key} {measure} was added to the catalogue after this return's template was "
            f"made (from an earlier version of the catalogue), so its figures for "
            f"{describe_months(gaps)} are not collected yet: they are on the chase list; "
            "send the owner the new template (scorecard templates) for next month's return",
            file=ret.display,
            sheet=ret.sheet,
            key=key,
            month=gaps[-1].label,
        )
    )


def _runs(ret: ReturnRecord, gaps: list[Month]) -> list[list[Month]]:
    """Runs of adjacent blank months, so a blank row is one problem, not 24."""
    runs: list[list[Month]] = []
    for gap in gaps:
        if runs and runs[-1][-1] + 1 == gap and _adjacent(ret, runs[-1][-1], gap):
            runs[-1].append(gap)
        else:
            runs.append([gap])
    return runs


def _report_blank_run(
    ret: ReturnRecord, pair: Pair, row: int, run: list[Month], result: ReturnsRead, behind: str
) -> None:
    key, measure = pair
    first, last = run[0], run[-1]
    col = ret.month_cols.get(first)
    when = first.label if len(run) == 1 else f"{first.label} to {last.label}"
    cell: str | None
    if col is None:
        message = (
            f"{measure}: the return has no column for {when}, which the report needs: "
            "use this year's template"
        )
        cell = None
    else:
        figures = "no figure" if len(run) == 1 else f"no figures ({len(run)} months)"
        message = (
            f"{measure}: {figures} for {when}, which the report needs: type "
            f"{'it' if len(run) == 1 else 'them'}, or n/a and a reason{behind}"
        )
        cell = cell_ref(row, col)
        if len(run) > 1:
            cell += ":" + cell_ref(row, ret.month_cols[last])
    result.problems.append(
        make_problem(
            "blank-required",
            message,
            file=ret.display,
            sheet=ret.sheet,
            cell=cell,
            key=key,
            month=when,
        )
    )


def _adjacent(ret: ReturnRecord, before: Month, month: Month) -> bool:
    """Both months have columns side by side, or neither has a column."""
    a, b = ret.month_cols.get(before), ret.month_cols.get(month)
    return (a is None and b is None) or (a is not None and b is not None and b == a + 1)
