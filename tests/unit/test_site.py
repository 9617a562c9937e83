"""The site's pieces without a browser: the CSV's neutralising, colours, axis ticks,
the chart, the folder's placement, and the pages' text for hostile words."""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from dataclasses import replace
from pathlib import Path

import pytest

from scorecard.catalogue import load_catalogue
from scorecard.compile import compile_report
from scorecard.errors import OutputError
from scorecard.model import Commentary, Source, Status
from scorecard.result import Changes, Restatement, RunResult
from scorecard.site import site_pages, write_site
from scorecard.site.chart import ChartData, ChartLine, nice_ticks, render_chart
from scorecard.site.colours import contrast, seen_on_white
from scorecard.site.folder import MARKER, atomic_folder
from scorecard.site.pages import line_text, series
from scorecard.spc import PointType, Rule, SpcPoint, SpcResult, SpcState

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> "
    '<a href="javascript:alert(3)">link</a> abc\u202edcba'
)


@pytest.fixture(scope="module")
def sample() -> RunResult:
    return compile_report(load_catalogue(ROOT / "config/indicators.yaml"), ROOT / "samples/returns")


def with_commentary(run: RunResult, key: str, text: str) -> RunResult:
    """The run with `key`'s commentary replaced by `text`."""
    results = []
    for result in run.results:
        if result.indicator.key == key:
            where = Source("x.xlsx", "Return", "G9")
            words = Commentary(text, run.month, result.indicator.owner, where)
            result = replace(result, commentary=words)
        results.append(result)
    return replace(run, results=results)


def test_a_light_catalogue_colour_is_darkened_to_3_to_1_and_a_dark_one_kept() -> None:
    assert contrast("#00B050", "#FFFFFF") < 3.0  # the report's green on white: 2.87
    darker = seen_on_white("#00B050")
    assert contrast(darker, "#FFFFFF") >= 3.0
    assert darker != "#00B050"
    assert seen_on_white("#1D4F91") == "#1D4F91"
    assert contrast(seen_on_white("not a colour"), "#FFFFFF") >= 3.0


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (25.1, 27.1, [25.0, 25.5, 26.0, 26.5, 27.0, 27.5]),
        (0, 5_200_000, [0, 2_000_000, 4_000_000, 6_000_000]),
        (5.0, 5.0, None),
    ],
)
def test_axis_ticks_are_round_and_cover_the_figures(
    low: float, high: float, ticks: list[float] | None
) -> None:
    found = nice_ticks(low, high)
    if ticks is not None:
        assert found == ticks
    assert found[0] <= low and found[-1] >= high
    steps = {round(b - a, 9) for a, b in itertools.pairwise(found)}
    assert len(steps) == 1
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in (1, 2, 2.5, 5)


def test_the_chart_escapes_its_words_and_breaks_at_a_missing_month() -> None:
    chart = ChartData(
        title="<script>x</script>",
        months=("Jan-08", "Feb-08", "Mar-08", "Apr-08"),
        values=(1.0, 2.0, None, 3.0),
        lines=(ChartLine("the mean", (2.0, 2.0, 2.0, 2.0), "#4D4D4D", "8 4"),),
        special=frozenset({3}),
    )
    svg = render_chart(chart, "c")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
    assert svg.count("<polyline") == 2  # the mean, and the figures' one joined run
    assert svg.count("<rect") == 1 and svg.count("<circle") == 2


def test_hostile_commentary_shows_as_text_on_every_page(sample: RunResult) -> None:
    red = next(r for r in sample.results if r.status is Status.RED)
    pages = site_pages(with_commentary(sample, red.indicator.key, HOSTILE))
    page = pages[f"indicators/{red.indicator.key}.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "[U+202E]" in page and "\u202e" not in page
    for name, text in pages.items():
        if name.endswith(".html"):
            assert "<script" not in text.lower(), name
            assert 'href="javascript:' not in text.lower(), name
            assert "Content-Security-Policy" in text, name


def test_the_csv_is_the_json_s_rows_neutralised(sample: RunResult) -> None:
    red = next(r for r in sample.results if r.status is Status.RED)
    text = site_pages(with_commentary(sample, red.indicator.key, "=HYPERLINK(1)"))["scorecard.csv"]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["key"] for r in rows] == [r.indicator.key for r in sample.results]
    row = next(r for r in rows if r["key"] == red.indicator.key)
    assert row["commentary"] == "'=HYPERLINK(1)"
    assert row["status"] == "RED"
    for row in rows:
        for value in row.values():
            assert not re.match(r"[=+@\t\r]", value or "") or re.fullmatch(r"[+-][\d.e+-]+", value)


def test_every_link_between_pages_leads_to_a_page_of_the_site(sample: RunResult) -> None:
    pages = site_pages(sample)
    for name, text in pages.items():
        if not name.endswith(".html"):
            continue
        for href in re.findall(r'href="([^"#]*)"', text):
            target = (Path("/site") / name).parent / href
            resolved = target.resolve().relative_to("/site").as_posix()
            assert resolved in pages, f"{name} links to {href}"


def test_a_folder_of_the_user_s_is_never_replaced(tmp_path: Path) -> None:
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "letter.txt").write_text("mine")
    with pytest.raises(OutputError, match="not a site scorecard wrote"), atomic_folder(mine):
        pass
    assert (mine / "letter.txt").read_text() == "mine"


def test_a_failed_write_leaves_the_previous_site_and_no_temporary(tmp_path: Path) -> None:
    site = tmp_path / "site"
    with atomic_folder(site) as work:
        (work / "index.html").write_text("first")
    assert (site / MARKER).is_file()
    with pytest.raises(RuntimeError), atomic_folder(site) as work:
        (work / "index.html").write_text("second")
        raise RuntimeError("killed half-way")
    assert (site / "index.html").read_text() == "first"
    with atomic_folder(site) as work:
        (work / "index.html").write_text("third")
    assert (site / "index.html").read_text() == "third"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_the_same_run_gives_the_same_files(sample: RunResult, tmp_path: Path) -> None:
    first, second = write_site(sample, tmp_path / "a"), write_site(sample, tmp_path / "b")
    names = files_in(first)
    assert names == files_in(second)
    assert len(names) == len(sample.results) + len(sample.catalogue.objectives) + 4
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_a_restated_figure_shows_with_its_reason_and_the_move_on_the_index(
    sample: RunResult,
) -> None:
    red = next(r for r in sample.results if r.status is Status.RED)
    key, june = red.indicator.key, sample.month - 1
    restated = Restatement(
        key, red.indicator.label, "offences", june, "1,200", "1,250",
        "returns/2008-07/x.xlsx: Return!AG5", "<b>late crime reports</b> added",
    )  # fmt: skip
    changes = Changes(
        pack_month=june,
        compiled_at="2008-07-05 10:00:00 UTC",
        restated=(restated,),
        pack_statuses=((key, "GREEN"),),
    )
    pages = site_pages(replace(sample, changes=changes))
    page = " ".join(pages[f"indicators/{key}.html"].split())
    assert "Figures restated since the Jun 2008 pack, with the reasons given" in page
    assert "1,200" in page and "1,250" in page and "Return!AG5" in page
    assert "&lt;b&gt;late crime reports&lt;/b&gt; added" in page
    index = " ".join(pages["index.html"].split())
    assert "Statuses that moved since the Jun 2008 pack" in index
    moved = index.split('id="moves-caption"')[1].split("</table>")[0]
    assert red.indicator.title in moved and "GREEN" in moved and "RED" in moved
    other = next(r for r in sample.results if r.indicator.key != key)
    assert (
        "No figure of this indicator was restated"
        in pages[f"indicators/{other.indicator.key}.html"]
    )


def test_a_chart_of_events_keeps_two_events_of_one_month(sample: RunResult) -> None:
    """A T or G chart has a point an event: two in one month are two rows, not one."""
    july, june = sample.month, sample.month - 1
    points = tuple(
        SpcPoint(month, value, 20.0, 0.0, 60.0, Rule.COMMON, (), PointType.COMMON)
        for month, value in ((june, 12.0), (july, 30.0), (july, 4.0))
    )
    chart = SpcResult(SpcState.OK, series="days between events", points=points, kind="t")
    result = replace(sample.results[0], spc=chart)
    shown = series(result)
    assert shown is not None
    assert [r["value"] for r in shown["rows"]] == ["12", "30", "4"]
    assert [r["month"] for r in shown["rows"]] == [june.label, july.label, july.label]
    assert "T chart" in shown["title"]


def test_a_count_s_axis_stops_at_zero_and_money_reads_in_millions() -> None:
    count = ChartData(
        title="offences",
        months=("Jan-08", "Feb-08", "Mar-08"),
        values=(1.0, 4.0, 2.0),
        lines=(ChartLine("lower", (-3.0, -3.0, -3.0), "#6B6B6B", "2 3"),),
        floor=0.0,
    )
    svg = render_chart(count, "c")
    ticks = re.findall(r'class="tick">([^<]+)</text>', svg)
    assert "0" in ticks and not any(t.startswith("-") for t in ticks)
    unfloored = render_chart(replace(count, floor=None), "c")
    assert any(t.startswith("-") for t in re.findall(r'class="tick">([^<]+)</text>', unfloored))
    money = ChartData("assets", ("Jan-08", "Feb-08"), (700_000.0, 5_200_000.0), money=True)
    labels = re.findall(r'class="tick">([^<]+)</text>', render_chart(money, "m"))
    assert "£2m" in labels and "£6m" in labels


def test_computed_lines_are_shown_to_four_significant_figures() -> None:
    assert line_text(3_017_491.6667) == "3,017,492"
    assert line_text(313.5416) == "313.5"
    assert line_text(11.6893) == "11.69"
    assert line_text(0.12345) == "0.123"
    assert line_text(None) == "" and line_text(float("nan")) == ""
