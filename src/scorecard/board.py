"""The board summary: what a board reads first, from the compiled result. Pure.

`board_summary(run)` turns a `RunResult` into plain data: the RED and AMBER rows with
their value, target and the owner's first sentence of commentary; the statuses that
moved since the last pack (the ledger's `run.changes`); and a table of every charted
indicator's SPC variation and assurance marks, the "integrated performance report"
pattern NHS boards use. The pack's first pages and the site's index both render it, so
every field is a str, a number, an enum or a tuple of them: nothing to compute again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import RAG_ORDER, Status
from .periods import Month
from .result import IndicatorResult, RunResult
from .spc import AssuranceType, SpcResult, SpcState, Variation

ATTENTION = (Status.RED, Status.AMBER)  # the statuses the board is asked to look at
FIRST_SENTENCE_LIMIT = 240  # characters of commentary on the summary; the rest is in the row
NO_COMMENTARY = "No commentary"

# How each mark reads without colour: a symbol or letter, then words (NHS Making Data Count).
VARIATION_MARKS: dict[Variation, str] = {
    Variation.COMMON: "○ Common cause",
    Variation.IMPROVEMENT_HIGH: "▲ H Improvement",
    Variation.IMPROVEMENT_LOW: "▼ L Improvement",
    Variation.CONCERN_HIGH: "▲ H Concern",
    Variation.CONCERN_LOW: "▼ L Concern",
    Variation.NEUTRAL_HIGH: "▲ H Neutral",
    Variation.NEUTRAL_LOW: "▼ L Neutral",
}
ASSURANCE_MARKS: dict[AssuranceType, str] = {
    AssuranceType.PASS: "P Consistently passing",
    AssuranceType.FAIL: "F Consistently failing",
    AssuranceType.HIT_AND_MISS: "~ Hit and miss",
}

# A sentence ends at . ! or ? followed by space and a capital, digit or opening mark;
# "e.g. the" and "2.5 per cent" do not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9\"'(£])")


@dataclass(frozen=True)
class AttentionRow:
    """A RED or AMBER row, as the board's first page lists it."""

    key: str
    label: str  # the report's ID ("SPI 5.2")
    objective: str  # the objective's title
    title: str  # the indicator's title
    value: str  # as the report words it ("down 17,829 offences (-7.8%)")
    target: str
    status: Status
    commentary: str  # the owner's first sentence; "" where there is none
    commentary_owner: str = ""  # whose words: the owner's name
    commentary_missing: bool = False  # the catalogue asks for words and none came


@dataclass(frozen=True)
class StatusMove:
    """A status that differs from the last pack's: for the same month restated, or the
    report month against the last pack's month."""

    key: str
    label: str
    title: str
    then: Status | None  # in the last pack; None where the row was not in it
    now: Status
    why: str  # "RED in the June 2008 pack; AMBER now that June 2008 was revised", or ""
    restated: bool = False  # the last pack's own month, changed by revised figures


@dataclass(frozen=True)
class MarkRow:
    """One charted indicator's SPC marks, for the summary table."""

    key: str
    label: str
    title: str
    objective: str
    status: Status
    state: SpcState
    variation: Variation | None
    assurance: AssuranceType | None
    variation_mark: str  # "▲ H Concern", or why there is none ("Insufficient data (9 points)")
    assurance_mark: str  # "F Consistently failing", or why there is none
    profile: str = ""  # the SPC profile, where the SPC result names one
    chart_kind: str = ""  # the chart's kind ("XmR"...), where the SPC result names one


@dataclass(frozen=True)
class BoardSummary:
    """The board's first page, as data."""

    month: Month
    counts: tuple[tuple[Status, int], ...]  # every status with at least one row, by status
    attention: tuple[AttentionRow, ...]  # RED rows first, then AMBER, each in report order
    moves: tuple[StatusMove, ...]
    moves_since: Month | None  # the last pack's month; None where no pack is known
    marks: tuple[MarkRow, ...]  # every indicator with an SPC series, in report order

    @property
    def red(self) -> tuple[AttentionRow, ...]:
        return tuple(r for r in self.attention if r.status is Status.RED)

    @property
    def amber(self) -> tuple[AttentionRow, ...]:
        return tuple(r for r in self.attention if r.status is Status.AMBER)


def board_summary(run: RunResult) -> BoardSummary:
    """The board summary of `run`."""
    objectives = {o.key: o.title for o in run.catalogue.objectives}
    owners = {o.key: o.name for o in run.catalogue.owners}
    counts = run.counts()
    return BoardSummary(
        month=run.month,
        counts=tuple((s, n) for s, n in counts.items() if n),
        attention=tuple(_attention(run.results, objectives, owners)),
        moves=tuple(status_moves(run)),
        moves_since=run.changes.pack_month if run.changes is not None else None,
        marks=tuple(_mark_row(r, objectives) for r in run.results if charted(r)),
    )


def charted(result: IndicatorResult) -> bool:
    """Whether the row has a series of its own on the SPC charts' terms: a chart, too
    few points for one yet, or a series with no variation."""
    return result.spc is not None and result.spc.state is not SpcState.NO_SERIES


def _attention(
    results: list[IndicatorResult], objectives: dict[str, str], owners: dict[str, str]
) -> list[AttentionRow]:
    rows = [r for r in results if r.status in ATTENTION]
    rows.sort(key=lambda r: -RAG_ORDER[r.status])  # stable: report order within a status
    out = []
    for result in rows:
        indicator = result.indicator
        words = result.commentary.text if result.commentary is not None else ""
        out.append(
            AttentionRow(
                key=indicator.key,
                label=indicator.label,
                objective=objectives.get(indicator.objective, indicator.objective),
                title=indicator.title,
                value=result.reading.text,
                target=result.target,
                status=result.status,
                commentary=first_sentence(words),
                commentary_owner=owners.get(indicator.owner, indicator.owner) if words else "",
                commentary_missing=result.commentary_required and not words.strip(),
            )
        )
    return out


def status_moves(run: RunResult) -> list[StatusMove]:
    """Statuses that moved since the last pack: first those its own month now has after
    restated figures, then each row whose status differs from the last pack's."""
    changes = run.changes
    if changes is None:
        return []
    by_key = {r.indicator.key: r for r in run.results}
    moves = []
    for change in changes.statuses:
        result = by_key.get(change.key)
        then, now = _status(change.old_status), _status(change.new_status)
        if now is None:
            continue
        moves.append(
            StatusMove(
                key=change.key,
                label=change.label,
                title=result.indicator.title if result is not None else "",
                then=then,
                now=now,
                why=change.describe(),
                restated=True,
            )
        )
    then_by_key = dict(changes.pack_statuses)
    for result in run.results:
        before = _status(then_by_key.get(result.indicator.key, ""))
        if before is None or before is result.status:
            continue
        moves.append(
            StatusMove(
                key=result.indicator.key,
                label=result.indicator.label,
                title=result.indicator.title,
                then=before,
                now=result.status,
                why="",
            )
        )
    return moves


def _status(text: str) -> Status | None:
    try:
        return Status(text)
    except ValueError:
        return None


def _mark_row(result: IndicatorResult, objectives: dict[str, str]) -> MarkRow:
    chart = result.spc
    assert chart is not None
    indicator = result.indicator
    return MarkRow(
        key=indicator.key,
        label=indicator.label,
        title=indicator.title,
        objective=objectives.get(indicator.objective, indicator.objective),
        status=result.status,
        state=chart.state,
        variation=chart.variation if chart.ok else None,
        assurance=chart.assurance if chart.ok else None,
        variation_mark=variation_mark(chart),
        assurance_mark=assurance_mark(chart),
        profile=chart.profile,
        chart_kind=chart.chart_name,
    )


def variation_mark(chart: SpcResult) -> str:
    """The variation mark's words, or why there is none."""
    if chart.state is SpcState.NO_SERIES:
        return "Not charted"
    if chart.state is SpcState.NO_VARIATION:
        return "No variation: not an XmR series"
    if chart.events is not None and chart.state is SpcState.INSUFFICIENT:
        return f"Insufficient data ({chart.events} events)"  # a T or G chart's gaps
    if chart.state is SpcState.INSUFFICIENT or chart.variation is None:
        return f"Insufficient data ({len(chart.points)} points)"
    return VARIATION_MARKS[chart.variation]


def assurance_mark(chart: SpcResult) -> str:
    """The assurance mark's words, or why there is none."""
    if chart.state is SpcState.INSUFFICIENT:
        return "Insufficient data"
    if chart.state is not SpcState.OK:
        return ""
    if chart.assurance is None:
        return chart.assurance_reason or "No assurance"
    return ASSURANCE_MARKS[chart.assurance]


def first_sentence(text: str, limit: int = FIRST_SENTENCE_LIMIT) -> str:
    """The first sentence of `text`, on one line; cut at a word, with "…", past `limit`."""
    flat = " ".join(text.split())
    if not flat:
        return ""
    found = _SENTENCE_END.search(flat)
    sentence = flat[: found.start()] + _closing(flat, found.start()) if found else flat
    sentence = sentence.strip()
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _closing(text: str, at: int) -> str:
    """A quote or bracket that closes the sentence, kept with it."""
    rest = text[at:]
    return rest[0] if rest and rest[0] in "\"')]" else ""


# --- what a row's marks each measure -------------------------------------------------

GOOD = frozenset({Status.BLUE, Status.GREEN})
BAD = frozenset({Status.AMBER, Status.RED})
WHAT_EACH_MEASURES = (
    "The status compares the figure for {period} with the year's target; the direction, "
    "with the period before; SPC, each month's own figure with its usual variation."
)


def is_yearly(result: IndicatorResult) -> bool:
    """Whether the row's figure is a year's (a survey's year to March): it has no monthly
    trend or direction to show, only the year's value."""
    return result.indicator.period.ends == "year"


def disagreement(result: IndicatorResult) -> str:
    """Where the row's marks point different ways (a RED status beside an SPC
    improvement, "▲ better" beside "▲ H Concern"), what each measures; else ""."""
    chart = result.spc
    kind = chart.variation.kind if chart is not None and chart.ok and chart.variation else ""
    if kind not in ("improvement", "concern"):
        return ""
    status = result.status
    direction = None if is_yearly(result) else result.direction
    clash = (
        (status in BAD and kind == "improvement")
        or (status in GOOD and kind == "concern")
        or (direction == "better" and kind == "concern")
        or (direction == "worse" and kind == "improvement")
    )
    if not clash:
        return ""
    period = result.reading.period or "the period reported"
    return "Why the marks differ: " + WHAT_EACH_MEASURES.format(period=period)
