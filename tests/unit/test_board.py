"""The board summary, from a compiled result: the rows a board looks at, what moved since
the last pack, and every charted indicator's SPC marks."""

from __future__ import annotations

import dataclasses

import pytest

from scorecard.board import (
    BoardSummary,
    board_summary,
    disagreement,
    first_sentence,
    is_yearly,
)
from scorecard.model import Commentary, Source, Status
from scorecard.periods import Month
from scorecard.result import Changes, RunResult, StatusChange
from scorecard.spc import AssuranceType, SpcOptions, SpcResult, SpcState, Variation
from tests.fixtures.workbook import sample

JUNE = Month(2008, 6)


def _with(run: RunResult, key: str, **changes: object) -> RunResult:
    results = [
        dataclasses.replace(r, **changes) if r.indicator.key == key else r  # type: ignore[arg-type]
        for r in run.results
    ]
    return dataclasses.replace(run, results=results)


def _words(text: str) -> Commentary:
    return Commentary(
        text, sample.JULY, "so", Source("so.xlsx", "Commentary", "C5"), given_by="A. Lead"
    )


@pytest.fixture(scope="module")
def run() -> RunResult:
    return sample.run()


def test_red_then_amber_with_value_target_and_the_owners_first_sentence(run: RunResult) -> None:
    said = "Two sales fell through in June. Both are expected to complete by September."
    board = board_summary(_with(run, "assets", commentary=_words(said)))
    assert [(r.key, r.status) for r in board.attention] == [
        ("assets", Status.RED),
        ("satisfaction", Status.AMBER),
    ]
    red = board.red[0]
    assets = next(r for r in run.results if r.indicator.key == "assets")
    assert red.value == assets.reading.text and red.value
    assert red.target == assets.target and red.target
    assert red.commentary == "Two sales fell through in June."
    assert red.commentary_owner == "Specialist Operations"
    assert red.objective == "Plan for: major events [2012] / Olympics?"
    assert board.amber[0].commentary == ""


def test_required_words_that_never_came_are_said_missing(run: RunResult) -> None:
    board = board_summary(_with(run, "assets", commentary_required=True))
    assert board.red[0].commentary_missing and board.red[0].commentary == ""
    assert not board_summary(run).red[0].commentary_missing


def test_no_rag_row_no_attention(run: RunResult) -> None:
    calm = [r for r in run.results if r.status not in (Status.RED, Status.AMBER)]
    board = board_summary(dataclasses.replace(run, results=calm))
    assert board.attention == () and board.red == ()
    assert all(n > 0 for _, n in board.counts)
    assert dict(board.counts).get(Status.RED) is None


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("One. Two.", "One."),
        ("Up 2.5 per cent on June. Next.", "Up 2.5 per cent on June."),
        ("See e.g. the chart. Then more.", "See e.g. the chart."),
        ('He said "done." Then left.', 'He said "done."'),
        ("  spread\nover   lines  ", "spread over lines"),
        ("", ""),
        ("No stop at all", "No stop at all"),
    ],
)
def test_first_sentence(text: str, first: str) -> None:
    assert first_sentence(text) == first


def test_a_long_first_sentence_is_cut_at_a_word_and_says_so() -> None:
    said = first_sentence("word " * 100, limit=40)
    assert len(said) <= 40 and said.endswith("…") and "wor…" not in said


def test_no_ledger_no_moves(run: RunResult) -> None:
    board = board_summary(run)
    assert board.moves == () and board.moves_since is None


def test_moves_since_the_last_pack(run: RunResult) -> None:
    changes = Changes(
        pack_month=JUNE,
        compiled_at="2008-07-05T10:00:00",
        statuses=(
            StatusChange("sac", "SPI 5.2", JUNE, "AMBER", "GREEN", (JUNE,), "AMBER", "GREEN"),
        ),
        # assets was AMBER in June's pack and is RED now; sac was GREEN and still is;
        # a row the catalogue no longer has is left out.
        pack_statuses=(("assets", "AMBER"), ("sac", "GREEN"), ("gone", "RED")),
    )
    board = board_summary(dataclasses.replace(run, changes=changes))
    assert board.moves_since == JUNE
    restated, moved = board.moves
    assert restated.restated and (restated.then, restated.now) == (Status.AMBER, Status.GREEN)
    assert "now that Jun 2008 was revised" in restated.why
    assert (moved.key, moved.then, moved.now, moved.restated) == (
        "assets",
        Status.AMBER,
        Status.RED,
        False,
    )


def _chart(**fields: object) -> SpcResult:
    return SpcResult(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("chart", "variation", "assurance"),
    [
        (
            _chart(
                state=SpcState.OK,
                variation=Variation.CONCERN_HIGH,
                assurance=AssuranceType.FAIL,
            ),
            "▲ H Concern",
            "F Consistently failing",
        ),
        (
            _chart(state=SpcState.OK, variation=Variation.COMMON, assurance_reason="no target"),
            "○ Common cause",
            "no target",
        ),
        (
            _chart(state=SpcState.INSUFFICIENT, reason="9 points"),
            "Insufficient data (0 points)",
            "Insufficient data",
        ),
    ],
)
def test_every_charted_row_has_its_marks_in_words(
    run: RunResult, chart: SpcResult, variation: str, assurance: str
) -> None:
    board = board_summary(_with(run, "sac", spc=chart))
    (mark,) = board.marks
    assert (mark.key, mark.variation_mark, mark.assurance_mark) == ("sac", variation, assurance)
    assert mark.state is chart.state
    assert mark.variation is (chart.variation if chart.ok else None)


def test_a_row_with_no_series_of_its_own_is_not_in_the_marks_table(run: RunResult) -> None:
    chart = SpcResult(state=SpcState.NO_SERIES, reason="a rolling figure")
    assert board_summary(_with(run, "sac", spc=chart)).marks == ()


def test_the_spc_profile_and_chart_kind_are_read_from_the_result(run: RunResult) -> None:
    rare = SpcResult(state=SpcState.OK, options=SpcOptions(profile="mdc"), kind="t")
    board = board_summary(_with(run, "sac", spc=rare))
    assert (board.marks[0].profile, board.marks[0].chart_kind) == ("mdc", "T")
    plain = board_summary(_with(run, "sac", spc=SpcResult(state=SpcState.OK)))
    assert (plain.marks[0].profile, plain.marks[0].chart_kind) == ("ptd", "XmR")
    # a T chart with two events has one gap: the mark counts the events, not 0 points
    few = SpcResult(state=SpcState.INSUFFICIENT, kind="t", events=2)
    assert board_summary(_with(run, "sac", spc=few)).marks[0].variation_mark == (
        "Insufficient data (2 events)"
    )


def test_the_summary_is_plain_data(run: RunResult) -> None:
    board = board_summary(run)
    assert isinstance(board, BoardSummary)
    assert dataclasses.is_dataclass(board)
    hash(board)  # frozen all the way down: nothing a renderer could change
    assert board.marks == ()  # the sample's catalogue charts nothing


def _charted(kind: Variation) -> SpcResult:
    return SpcResult(state=SpcState.OK, variation=kind)


@pytest.mark.parametrize(
    ("key", "direction", "variation", "clash"),
    [
        ("assets", "better", Variation.CONCERN_HIGH, True),  # RED, ▲ better, ▲ H Concern
        ("assets", "worse", Variation.IMPROVEMENT_LOW, True),  # RED beside an improvement
        ("coordinator", "better", Variation.CONCERN_LOW, True),  # BLUE beside a concern
        ("assets", "worse", Variation.CONCERN_HIGH, False),  # all point one way
        ("coordinator", "better", Variation.IMPROVEMENT_HIGH, False),
        ("assets", "better", Variation.COMMON, False),  # common cause says nothing
    ],
)
def test_where_the_marks_disagree_the_row_says_what_each_measures(
    run: RunResult, key: str, direction: str, variation: Variation, clash: bool
) -> None:
    changed = _with(run, key, direction=direction, spc=_charted(variation))
    result = next(r for r in changed.results if r.indicator.key == key)
    said = disagreement(result)
    assert bool(said) is clash
    if clash:
        assert "with the year's target" in said and "the period before" in said
        assert "each month's own figure" in said


def test_a_yearly_figure_is_never_given_a_monthly_direction_in_the_words(run: RunResult) -> None:
    result = next(r for r in run.results if r.indicator.key == "assets")
    period = result.indicator.period.model_copy(update={"ends": "year"})
    yearly = dataclasses.replace(
        result,
        indicator=result.indicator.model_copy(update={"period": period}),
        direction="better",
        spc=_charted(Variation.COMMON),
    )
    assert is_yearly(yearly) and not is_yearly(result)
    assert disagreement(yearly) == ""
