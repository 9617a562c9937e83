"""The pack's page make-up and columns, without LibreOffice: pure heights in, pages out;
the catalogue's choice of columns; text measured as Carlito prints it."""

from __future__ import annotations

import dataclasses

import pytest

from scorecard.catalogue import PACK_COLUMNS, PackSettings
from scorecard.pack.columns import cell, layout, pack_notes
from scorecard.pack.flow import Item, Section, make_pages
from scorecard.pack.measure import PAGE_WIDTH, column_points, text_width, wrapped_lines
from scorecard.result import RunResult
from scorecard.workbook import status_looks
from scorecard.workbook.texts import report_texts
from tests.fixtures.workbook import sample


def test_objectives_share_a_page_when_they_fit() -> None:
    pages = make_pages(
        [Section(20, (30, 30)), Section(20, (30, 30))], room=200, continued_heading=20
    )
    assert len(pages) == 1
    assert pages[0].items == (Item(0), Item(0, 0), Item(0, 1), Item(1), Item(1, 0), Item(1, 1))


def test_a_heading_keeps_with_its_first_rows() -> None:
    # 150 used; the next heading (20) and its first two rows (60) would not fit in 200.
    pages = make_pages(
        [Section(20, (40, 40, 50)), Section(20, (30, 30, 30))], room=200, continued_heading=20
    )
    assert pages[0].items[-1] == Item(0, 2)
    assert pages[1].items[:3] == (Item(1), Item(1, 0), Item(1, 1))


def test_a_row_never_splits_and_the_heading_repeats_continued() -> None:
    pages = make_pages([Section(20, (60,) * 7)], room=200, continued_heading=25)
    assert [len(p.items) for p in pages] == [4, 3, 3]  # 20 + 3 x 60; 25 + 2 x 60, twice
    for page in pages[1:]:
        assert page.items[0] == Item(0, continued=True)
    assert all(page.used <= 200 for page in pages)
    rows = [i.row for p in pages for i in p.items if not i.is_heading]
    assert rows == list(range(7))  # every row once, in order


def test_no_page_but_the_last_is_under_half_full() -> None:
    heights = [Section(18, tuple(12 + (i * 7) % 40 for i in range(n))) for n in (3, 9, 2, 14, 5)]
    pages = make_pages(heights, room=300, continued_heading=18)
    assert all(p.used >= 150 for p in pages[:-1]), [p.used for p in pages]


def test_a_row_taller_than_the_room_is_placed_alone_not_lost() -> None:
    pages = make_pages([Section(20, (50, 500, 50))], room=200, continued_heading=20)
    rows = [i.row for p in pages for i in p.items if not i.is_heading]
    assert rows == [0, 1, 2]


def test_carlito_widths_and_wrapping() -> None:
    assert text_width("quick", 9) == pytest.approx(19.4, abs=0.1)  # measured from a PDF
    assert text_width("quick", 9, bold=True) > text_width("quick", 9)
    assert wrapped_lines("short", 100, 9) == 1
    assert wrapped_lines("one\ntwo", 100, 9) == 2
    words = (
        "The quick brown fox jumps over the lazy dog and then some more words follow here to wrap. "
    )
    # LibreOffice printed this six times over at 9 pt in a 50-character column (283.7 pt)
    # in 8 lines: never fewer (a clipped cell), at most one more.
    assert 8 <= wrapped_lines(words * 6, column_points(50), 9) <= 9


@pytest.fixture(scope="module")
def run() -> RunResult:
    return sample.run()


def _with_columns(run: RunResult, columns: list[str]) -> RunResult:
    pack = PackSettings(columns=columns)  # type: ignore[arg-type]
    org = run.catalogue.organisation.model_copy(update={"pack": pack})
    catalogue = run.catalogue.model_copy(update={"organisation": org})
    return dataclasses.replace(run, catalogue=catalogue)


def test_the_default_columns_fit_the_page_at_full_size(run: RunResult) -> None:
    table = layout(run, report_texts(run))
    assert table.names[:5] == ("id", "indicator", "target", "value", "status")
    assert "spc" not in table.names  # no row of the sample has SPC
    assert table.scale == 100
    assert sum(column_points(w) for w in table.widths) <= PAGE_WIDTH


def test_the_catalogue_chooses_the_columns_and_many_print_smaller(run: RunResult) -> None:
    every = [*PACK_COLUMNS, "direction_long", "explanation"]
    table = layout(_with_columns(run, every), report_texts(run))
    assert "explanation" in table.names and table.scale < 100
    few = layout(_with_columns(run, list(PACK_COLUMNS[:5])), report_texts(run))
    assert few.names == PACK_COLUMNS[:5] and few.scale == 100


@pytest.mark.parametrize(
    "columns",
    [["indicator", "id", "target", "value", "status"], [*PACK_COLUMNS, "trend"]],
)
def test_the_report_columns_lead_and_none_twice(columns: list[str]) -> None:
    with pytest.raises(ValueError, match=r"report's five|listed twice"):
        PackSettings(columns=columns)  # type: ignore[arg-type]


def test_a_yearly_row_has_no_trend_or_direction(run: RunResult) -> None:
    looks = status_looks(run.catalogue.organisation)
    result = run.results[0]
    monthly = dataclasses.replace(result, direction="better")
    assert cell("direction", monthly, False, looks)[0] == "▲ better"
    period = result.indicator.period.model_copy(update={"ends": "year"})
    indicator = result.indicator.model_copy(update={"period": period})
    yearly = dataclasses.replace(monthly, indicator=indicator)
    assert cell("direction", yearly, False, looks)[0] == ""
    assert cell("trend", yearly, False, looks)[0] == ""
    assert cell("trend", monthly, False, looks)[0]
    assert pack_notes("monthly").startswith("Trend: 13 months") and "▲ better" in pack_notes(
        "monthly"
    )
    assert pack_notes("quarterly").startswith("Trend: 8 quarters")
