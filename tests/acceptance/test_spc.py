"""Statistical assurance beside RAG (issue 15), end to end on the July 2008 sample: the
real CLI compiles the returns (with their 24 months of history) into a master whose
objective sheets carry a Variation and an Assurance mark for every indicator with 13 or
more monthly points, a Charts sheet with a native line chart for each, `--json` with the
limits and each point's rule hits; the pack prints the charts (LibreOffice, read back)."""

from __future__ import annotations

import html
import json
import math
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from tests.acceptance.test_render import read_png

from scorecard.cli import main
from scorecard.workbook.spc import ASSURANCE_TEXT, SPC_FORMATS, VARIATION_TEXT

ROOT = Path(__file__).resolve().parents[2]
ARGS = [
    "--config",
    str(ROOT / "config/indicators.yaml"),
    "--returns",
    str(ROOT / "samples/returns"),
]
# The rows the sample's returns give 13 or more monthly points (each month's own figure).
CHARTED = {
    "spi-5-2", "spi-6-2", "spi-9-1", "spi-5-1",
    "spi-5-5", "cpa-obtj-violence-sexual", "spi-6-1", "spi-6-4", "cpa-dv-arrests",
    "cpa-youth-violence-victims", "pp-young-victims", "spi-6-3", "cpa-network-disruptions",
    "cpa-assets-recovered", "spi-8-1",
}  # fmt: skip
# Counts of rare events (domestic homicides, disruptions, royal intrusions: mostly the
# same few numbers) whose XmR moving ranges are all zero once screened (limits of no
# width): the catalogue's `chart: auto` draws the time between events instead (issue
# 24); domestic homicides, one to three a month, a G chart (the catalogue says why).
RARE_EVENTS = {"spi-5-4": "g", "ct-disruptions": "t", "ct-royal-intrusions": "t"}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("spc")
    out, data = folder / "master.xlsx", folder / "master.json"
    result = CliRunner().invoke(
        main, ["compile", *ARGS, "--out", str(out), "--json", str(data), "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    return out, json.loads(data.read_text(encoding="utf-8"))


def by_key(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["key"]: i for i in payload["indicators"]}


def test_every_indicator_with_13_monthly_points_has_both_marks(compiled) -> None:
    _, payload = compiled
    rows = by_key(payload)
    ok = {k for k, r in rows.items() if r["spc"] and r["spc"]["state"] == "ok"}
    assert ok == CHARTED | {"spi-5-4"}
    for key in ok:
        spc = rows[key]["spc"]
        assert len(spc["points"]) >= 13 and spc["variation"]
        assert spc["assurance"] or spc["assurance_reason"], key


def test_json_carries_the_series_limits_and_rule_hits(compiled) -> None:
    _, payload = compiled
    spc = by_key(payload)["spi-5-2"]["spc"]
    assert spc["series"] == "in the month"
    assert spc["profile"] == "ptd" and spc["chart"] == "xmr"
    assert spc["settings"] == {
        "profile": "ptd",
        "chart": "auto",  # as asked; an XmR chart drawn (spc["chart"])
        "run_length": 7,
        "shift_points": 7,
        "trend_points": 7,
        "two_in_three": "within_limits",
        "assurance_ties": "strict",
        "screen_outliers": True,
        "screen_mean": False,
        "minimum_points": 13,
        "baseline_points": None,
        "rebase": [],
    }
    (segment,) = spc["segments"]
    assert segment["points"] == len(spc["points"]) == 27  # May 2006 to Jul 2008
    assert segment["lower_limit"] < segment["mean"] < segment["upper_limit"]
    assert segment["upper_limit"] - segment["mean"] == pytest.approx(
        2.66 * segment["mean_moving_range"]
    )
    # the 4% reduction, in the series' terms: last year's monthly mean less 4%
    assert spc["target_basis"] == "the monthly mean of Aug 2006 to Jul 2007 less 4%"
    previous = [p["value"] for p in spc["points"] if "2006-08" <= p["month"] <= "2007-07"]
    assert sum(previous) == 228_477  # the report's previous 12 months
    assert spc["target"] == pytest.approx(228_477 / 12 * 0.96)
    special = [p for p in spc["points"] if p["rule"] != "common_cause"]
    assert special and all(p["rule"] == p["hits"][0] for p in special)
    # each point's reason names the rule that marked it, with its parameter
    reasons = {p["rule"]: p["reason"] for p in spc["points"]}
    assert reasons["common_cause"] == "common cause"
    assert all(
        "7 points in a row" in why
        for rule, why in reasons.items()
        if "run" in rule or "trend" in rule
    )
    assert spc["variation"] == "improvement_low" and spc["assurance"] == "hit_and_miss"


def test_rows_without_a_months_own_figure_or_enough_points_say_why(compiled) -> None:
    _, payload = compiled
    rows = by_key(payload)
    survey = rows["spi-1-1"]["spc"]  # a rolling survey percentage, as given
    assert survey["state"] == "no_series" and "rolling value" in survey["reason"]
    short = rows["spi-5-3"]["spc"]  # no data before April 2008
    assert short["state"] == "insufficient_data" and short["variation"] is None
    assert short["reason"].startswith("insufficient data: 4 points")
    assert rows["ct-milestones"]["spc"] is None  # a text answer
    for key, kind in RARE_EVENTS.items():
        rare = rows[key]["spc"]
        assert rare["chart"] == kind and "spread evenly" in rare["note"], key
    homicides = rows["spi-5-4"]["spc"]  # 48 gaps between 49 events: a G chart with marks
    assert homicides["state"] == "ok" and homicides["variation"] == "common_cause"
    assert len(homicides["points"]) == 48 and homicides["series"] == "whole days between events"
    assert homicides["segments"][0]["lower_limit"] == 0  # a geometric limit, not below zero
    # two disruptions in 27 months, no royal intrusion: too few gaps for limits, and why
    disruptions = rows["ct-disruptions"]["spc"]
    assert disruptions["state"] == "insufficient_data" and disruptions["variation"] is None
    assert disruptions["reason"].startswith("insufficient data: 2 events from May 2006")
    assert "1 gap between events" in disruptions["reason"]
    intrusions = rows["ct-royal-intrusions"]["spc"]
    assert intrusions["reason"].startswith("insufficient data: 0 events")
    baseline = rows["spi-5-1"]["spc"]
    assert baseline["assurance"] is None
    assert baseline["assurance_reason"] == "2008/09 is a baseline year: no target"


def test_the_master_shows_the_marks_in_mdc_colours(compiled) -> None:
    out, payload = compiled
    rows = by_key(payload)
    book = openpyxl.load_workbook(out)
    texts = {str(v): t for v, t in VARIATION_TEXT.items()} | {
        str(a): t for a, t in ASSURANCE_TEXT.items()
    }
    seen = set()
    for name in book.sheetnames:
        sheet = book[name]
        if sheet["I6"].value != "Explanation":
            continue
        assert (sheet["J6"].value, sheet["K6"].value) == ("Variation (SPC)", "Assurance (SPC)")
        for row in range(7, sheet.max_row + 1):
            label, words = sheet.cell(row, 1).value, str(sheet.cell(row, 2).value)
            key = next(
                (k for k in CHARTED if rows[k]["label"] == label and rows[k]["title"] in words),
                None,
            )
            if key is None:
                continue
            seen.add(key)
            spc = rows[key]["spc"]
            for col, field in ((10, "variation"), (11, "assurance")):
                cell = sheet.cell(row, col)
                if spc[field] is None:
                    assert cell.value == spc["assurance_reason"]
                    continue
                text, style = texts[spc[field]]
                assert cell.value == text
                assert re.match(r"^[○▲▼PF~] ", text)  # a mark that prints without colour
                fill = SPC_FORMATS[style]["bg_color"].lstrip("#")
                assert cell.fill.fgColor.rgb.endswith(fill), (key, field)
    assert seen == CHARTED


def test_a_native_line_chart_per_charted_indicator(compiled) -> None:
    out, _ = compiled
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        charts = [n for n in names if re.match(r"xl/charts/chart\d+\.xml$", n)]
        assert len(charts) == len(CHARTED) + 1  # and the G chart of domestic homicides
        book = z.read("xl/workbook.xml").decode()
        assert re.search(r'<sheet name="SPC data" sheetId="\d+" state="hidden"', book)
        assert '<sheet name="Charts"' in book
        for name in charts:
            xml = z.read(name).decode()
            assert "<c:lineChart>" in xml
            refs = set(re.findall(r"<c:f>'?([^'!<]+)'?!", xml))
            assert refs == {"SPC data"}, refs  # figures from the hidden sheet, as values
            # every series is named, so the legend says what each line is
            names = re.findall(r"<c:ser>.*?<c:tx>.*?<c:v>([^<]+)</c:v>", xml, flags=re.S)
            assert len(names) == xml.count("<c:ser>") and all(n.strip() for n in names)
            for line in ("Value", "Lower limit", "Upper limit"):
                assert f"<c:v>{line}</c:v>" in xml
            assert "<c:v>Mean</c:v>" in xml or "<c:v>Median</c:v>" in xml  # a G chart's
            # the constant lines are their two ends, drawn across the blanks between
            assert '<c:dispBlanksAs val="span"/>' in xml


def test_every_chart_has_a_text_alternative(compiled) -> None:
    """A chart's drawing carries a description (what a screen reader reads): what is
    plotted, over which months, and the months a rule marked."""
    out, data = compiled
    with zipfile.ZipFile(out) as z:
        drawings = [n for n in z.namelist() if re.match(r"xl/drawings/drawing\d+\.xml$", n)]
        xml = "".join(z.read(n).decode() for n in drawings)
    described = re.findall(r'<xdr:cNvPr id="\d+" name="Chart \d+" descr="([^"]+)"', xml)
    charted = [i for i in data["indicators"] if i["key"] in CHARTED | {"spi-5-4"}]
    assert len(described) == len(charted)
    sac = next(d for d in described if "SPI 5.2 Reduce serious acquisitive crime" in d)
    assert sac.startswith("Line chart of CPA &amp; SPI 5.2 Reduce serious acquisitive crime")
    assert "27 points from May 2006 to July 2008" in sac
    assert "October 2006 (above upper limit)" in sac
    assert any(d.startswith("G chart of ") for d in described)


def test_the_pack_prints_the_charts(tmp_path: Path) -> None:
    missing = [t for t in ("soffice", "pdftoppm", "pdftotext") if shutil.which(t) is None]
    if missing:
        if __import__("os").environ.get("SCORECARD_REQUIRE_RENDER"):
            pytest.fail(f"needs {missing}; SCORECARD_REQUIRE_RENDER is set")
        pytest.skip(f"needs {', '.join(missing)} (Debian: apt-get install libreoffice-calc)")
    out = tmp_path / "pack.pdf"
    result = CliRunner().invoke(main, ["pack", *ARGS, "--out", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, check=True, timeout=120
    ).stdout.decode()
    pages = text.split("\f")
    chart_pages = [i for i, p in enumerate(pages) if "Statistical process control charts" in p]
    assert chart_pages, "no Charts page in the pack"
    assert "SPC data" not in text  # the hidden data sheet is not printed
    first = chart_pages[0] + 1
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", str(first), "-l", str(first), str(out),
         str(tmp_path / "page")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    (png,) = tmp_path.glob("page-*.png")
    image = read_png(png)
    counts = {"improvement": 0, "concern": 0}
    targets = {"improvement": (0x00, 0xB0, 0xF0), "concern": (0xE4, 0x6C, 0x0A)}
    for y in range(image.height):
        for x in range(0, image.width, 2):
            pixel = image.pixel(x, y)
            for name, colour in targets.items():
                if all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=True)):
                    counts[name] += 1
    # the special-cause markers are drawn, in their colours
    assert counts["improvement"] > 20 and counts["concern"] > 20, counts


def test_rare_event_rows_carry_their_marks_in_the_master(compiled) -> None:
    out, _ = compiled
    book = openpyxl.load_workbook(out)
    said = [
        str(cell.value)
        for sheet in book.worksheets
        if sheet.title not in ("SPC data", "Data")
        for row in sheet.iter_rows()
        for cell in row
        if str(cell.value).startswith(("Insufficient data (", "No variation"))
    ]
    assert "Insufficient data (2 events)" in said and "Insufficient data (0 events)" in said
    assert not [s for s in said if s.startswith("No variation")]
    charts = book["Charts"]
    captions = [str(c.value) for row in charts.iter_rows() for c in row if c.value]
    (homicides,) = [c for c in captions if c.startswith("SPI 5.4")]
    assert "Variation: ○ Common cause" in homicides and "Median 15 days" in homicides
    assert "spread evenly" in homicides  # what the chart assumes of monthly counts


def test_the_charts_sheet_reads_in_the_measures_own_terms(compiled) -> None:
    """Issue 20, item 4: round ticks, the unit and scale of the measure, titles that say
    what is plotted, the right footer, a count's lower limit never below zero."""
    out, _ = compiled
    book = openpyxl.load_workbook(out)
    footer = book["Charts"].oddFooter.center.text
    assert "Rolling 12 months" not in footer and "own figure" in footer
    with zipfile.ZipFile(out) as z:
        charts = [
            z.read(n).decode() for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)
        ]
    titles = {html.unescape(re.findall(r"<a:t>([^<]+)</a:t>", x)[0]): x for x in charts}
    # SPI 5.1's title promises "per 1000 population"; its chart plots monthly counts
    (violence,) = [t for t in titles if t.startswith("CPA & SPI 5.1")]
    assert "per 1000" not in violence and "offences recorded in the month" in violence
    money = titles["SPI 8.1: Value of assets recovered in the month (£m)"]
    assert 'formatCode="&quot;£&quot;#,##0&quot;m&quot;"' in money  # £1m, £2m, not 1,000,000
    for title, xml in titles.items():
        low = float(re.search(r'<c:min val="([^"]+)"/>', xml).group(1))  # type: ignore[union-attr]
        high = float(re.search(r'<c:max val="([^"]+)"/>', xml).group(1))  # type: ignore[union-attr]
        step = float(re.search(r'<c:majorUnit val="([^"]+)"/>', xml).group(1))  # type: ignore[union-attr]
        assert low >= 0, title  # every charted measure here is a count, rate or money
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert round(mantissa, 6) in (1, 2, 2.5, 5), (title, step)
        assert abs(low / step - round(low / step)) < 1e-6, (title, low, step)
        assert abs(high / step - round(high / step)) < 1e-6, (title, high, step)
