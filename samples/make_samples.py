"""Make the sample returns for the July 2008 report, as the business-area leads would.

    python samples/make_samples.py            # writes samples/returns/2008-07/*.xlsx
    python samples/make_samples.py --check    # exits 1 if the committed files differ

For each owner of config/indicators.yaml this writes the 2008/09 return template (with
scorecard.templates), fills it with openpyxl the way a lead would (typing into the
shaded cells, keeping validation and protection, signing off) and saves it as
samples/returns/2008-07/<owner>.xlsx. It also refreshes workbook_templates/.

The monthly figures are made up, but chosen so that the derived values reproduce the
July 2008 report's published figures exactly: each total below is spread over its
months with a seasonal pattern (no two months alike), to the exact total. Months the
report does not use (template history before the comparison window, the 24 months of
history the XmR charts read, survey months before the reported one) get plausible
figures in the same pattern. The committed workbooks are
the samples; this script documents how they were made and makes them again, byte for
byte (fixed seeds, fixed timestamps).
"""

from __future__ import annotations

import argparse
import io
import math
import random
import re
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl

from scorecard.catalogue import Catalogue, Indicator, input_months, load_catalogue, owner_rows
from scorecard.periods import FinancialYear, Month, month_range
from scorecard.templates import write_templates

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "config" / "indicators.yaml"
OUT = ROOT / "samples" / "returns"
TEMPLATES = ROOT / "workbook_templates"
REPORT = Month(2008, 7)
YEAR = FinancialYear(2008)
SIGNED = datetime(2008, 8, 8)
STAMP = (2008, 8, 8, 9, 0, 0)


def m(text: str) -> Month:
    return Month.parse(text)


# --- what each measure must add up to ---------------------------------------------------


@dataclass
class Fill:
    """How to fill one measure's row.

    totals: (first, last, total) windows whose months must add up to `total` exactly.
    level: the typical monthly figure for months outside every window (counts, money),
      or the figure for months other than those in `at` (percentages, scores).
    at: exact figures for given months (survey results, as given).
    na: (first, last, reason) months to mark "n/a - reason".
    text: month -> a text answer.
    season: how much the months vary (0.1 = +/-10%), peak: the month of the peak,
      noise: how much each month varies beyond the season.
    decimals: for percentages and scores; money and counts are whole.
    same_as: copy another row's figures (the same offences feed two indicators).
    """

    totals: list[tuple[str, str, int]] = field(default_factory=list)
    level: float = 0.0
    at: dict[str, float] = field(default_factory=dict)
    na: list[tuple[str, str, str]] = field(default_factory=list)
    text: dict[str, str] = field(default_factory=dict)
    season: float = 0.08
    peak: int = 11
    noise: float = 0.03
    decimals: int = 1
    same_as: tuple[str, str] | None = None


def change(previous: int, current: int, end: str = "2008-07", **kw: Any) -> Fill:
    """Two 12-month totals: the 12 months to `end`, and the 12 before."""
    last = m(end)
    return Fill(
        totals=[
            (str(last - 23), str(last - 12), previous),
            (str(last - 11), str(last), current),
        ],
        level=previous / 12,
        **kw,
    )


def window(total: int, end: str = "2008-07", months: int = 12, **kw: Any) -> Fill:
    last = m(end)
    kw.setdefault("level", total / months)
    return Fill(totals=[(str(last - (months - 1)), str(last), total)], **kw)


def given(value: float, month: str, **kw: Any) -> Fill:
    kw.setdefault("level", value)
    return Fill(at={month: value}, **kw)


CT_TEXT = {
    "2008-04": "Draft MPS Counter Terrorism Strategy being written, reflecting the four "
    "strands of the Government strategy.",
    "2008-05": "Draft strategy written; governance structure drafted; strand leads being "
    "identified at ACPO level.",
    "2008-06": "Governance structure approved; strategic leads for each strand identified; "
    "first strategy delivery board being arranged.",
    # The report's text for July 2008. Its PDF's extraction lost a few words where
    # columns overlap; they are filled in here as the report plausibly read, so that the
    # narrative reads as prose (issue 20).
    "2008-07": "A draft MPS Counter Terrorism Strategy has now been written. This reflects "
    "the four strands of the Government strategy, CONTEST (Prevent, Pursue, Protect and "
    "Prepare), and sets out the work to be undertaken by the MPS in relation to each "
    "strand. A detailed work-plan to support the strategy is also in the "
    "process of being developed. This will identify in more detail the actual activities to "
    "be carried out by each MPS business group, together with relevant measures and targets. "
    "The governance structure for the strategy has been approved and strategic leads for "
    "each of the strands (at MPS ACPO level) have been identified. The first meeting of the "
    "strategy delivery board, chaired by ACSO has been held and terms of reference, future "
    "meeting schedules etc. have been agreed. A second board, comprising key strategic "
    "partners, has also been formed and this has also met to agree terms of reference etc.\n"
    "The strategic vision and proposed arrangements for the MPS CT strategy have been "
    "reported to the MPA and have been discussed at the newly formed MPA/MPS CT oversight "
    "meeting chaired by Lord Toby Harris. Regular reports in relation to performance against "
    "each strand of the strategy and developing work-plan have been provided.",
}
OLYMPIC_TEXT = {
    "2008-04": "Four critical performance areas agreed; costed options paper on meeting the "
    "demand gap in preparation.",
    "2008-05": "Costed options paper in preparation; Beijing security learning programme planned.",
    "2008-06": "Interim milestones on line; Beijing security learning team deployed.",
    "2008-07": "There are four critical performance areas against which progress against "
    "the delivery programme is being measured and coexisting deadlines. 1. Meeting the "
    "Demand: strategic options for delivering the gap: A paper of costed options of how the "
    "identified gap between supply and demand will be met will be delivered for the end of "
    "September. 2. Beijing Security Learning Presented to NSID(PSR): the final debrief is "
    "due to be delivered in December. 3. Gateway Review: a review of the Programme is due "
    "to take place at the end of September with the outcome and actions to be delivered "
    "in October. The detailed Project Initiation Documents have been drafted and agreed. "
    "All interim milestones are on line to be "
    "achieved within the timescales set. 4. Full draft of the Costed Security Plan (CSP) "
    "delivered: A challenging delivery plan has been initiated to ensure the CSP is "
    "delivered on time for Home Office Review. The first draft CSP will be delivered to "
    "NSID(PSR) in October 2008 and, following a high-level review, the final CSP is due in "
    "December 2008.",
}

# indicator key -> measure name -> how to fill it. The figures in comments are the
# report's: "down 17,829 offences (-7.8%) 28.04 per 1,000 population" is 210,648 in the
# 12 months to July 2008 against 228,477 in the 12 months before.
SPECS: dict[str, dict[str, Fill]] = {
    # 77.0% (rolling 12 months to Jun-08)
    "spi-1-1": {"satisfied_pct": given(77.0, "2008-06")},
    # 76.9% 72.8% 4.2% pts
    "spi-1-2": {
        "white_pct": given(76.94, "2008-06", decimals=2),
        "bme_pct": given(72.76, "2008-06", decimals=2),
    },
    "spi-1-3": {"satisfied_pct": given(70.9, "2008-06")},
    # British Crime Survey, year to March 2008
    "spi-4-1": {"problem_pct": given(22.0, "2008-03")},
    "spi-4-2": {"problem_pct": given(31.4, "2008-03")},
    "spi-4-3": {"problem_pct": given(30.6, "2008-03")},
    "spi-1-4": {"confident_pct": given(48.2, "2008-03")},
    "spi-2-1": {"understand_pct": given(58.3, "2008-03")},
    "spi-2-2": {"deal_pct": given(51.9, "2008-03")},
    "spi-2-3": {"good_job_pct": given(55.2, "2008-03")},
    # down 17,829 offences (-7.8%) 28.04 per 1,000 population
    "spi-5-2": {"offences": change(228_477, 210_648, season=0.07, peak=12)},
    # 11.1%: 23,380 sanction detections of 210,648 offences
    "spi-6-2": {
        "sanction_detections": window(23_380, season=0.09, peak=3),
        "offences": Fill(same_as=("spi-5-2", "offences")),
    },
    "pp-walk-day": {"safe_pct": given(97, "2008-06", decimals=0)},
    "pp-walk-dark": {"safe_pct": given(72, "2008-06", decimals=0)},
    # 189 fewer victims/ -4.9% (12 mths to Mar 2008)
    "spi-9-1": {
        "victims": Fill(
            totals=[("2006-04", "2007-03", 3_857), ("2007-04", "2008-03", 3_668)],
            level=3_857 / 12,
            season=0.10,
            peak=10,
            na=[("2008-04", "2008-07", "2008/09 data not available until autumn (processing lag)")],
        )
    },
    "ct-milestones": {"progress": Fill(text=CT_TEXT)},
    # Q1 2008/09 PAS: 5.6, 6.5, 5.7
    "ct-pas-preventing": {"mean_score": given(5.6, "2008-06", level=5.5)},
    "ct-pas-importance": {"mean_score": given(6.5, "2008-06", level=6.4)},
    "events-pas-policing": {"mean_score": given(5.7, "2008-06", level=5.6)},
    # 2 disruptions, April to July 2008
    "ct-disruptions": {
        "disruptions": Fill(at={"2008-04": 0, "2008-05": 1, "2008-06": 0, "2008-07": 1})
    },
    "ct-incidents-scene": {"appropriate_pct": given(98.7, "2008-07", level=98.2)},
    "ct-explosive-officers": {"within_time_pct": given(100, "2008-07", level=100, decimals=0)},
    # 0 intrusions, rolling year to June 2008
    "ct-royal-intrusions": {"intrusions": Fill(level=0)},
    "ct-security-events": {"satisfactory_pct": given(100, "2008-07", level=100, decimals=0)},
    "ct-coordinator-appointed": {"within_3_days_pct": given(98.4, "2008-07", level=97.9)},
    "ct-ctsa-partners": {"satisfied_pct": given(100, "2008-06", level=100, decimals=0)},
    "olympic-milestones": {"progress": Fill(text=OLYMPIC_TEXT)},
    # -0.4% (aid abstraction, rolling year to June 2008) and 1.4% from non-BOCU
    "events-bocu-aid": {
        "bocu_aid_days": change(52_500, 52_290, end="2008-06", season=0.25, peak=8),
        "non_bocu_pct": given(1.4, "2008-06", level=1.3),
    },
    "events-organiser-satisfaction": {
        "satisfied_pct": Fill(
            na=[("2008-04", "2008-07", "survey measure being developed, to start in September")]
        )
    },
    # 11.5% 12.8%
    "events-public-order-training": {
        "inspectors_pct": given(11.5, "2008-07", level=10.9),
        "sergeants_pcs_pct": given(
            12.8,
            "2008-07",
            level=12.1,
        ),
    },
    # 42 exercises in the 12 months to July 2008; 404 plans
    "events-emergency-preparedness": {
        "exercises": window(42, season=0.3, peak=5),
        "plans": given(404, "2008-07", level=398, decimals=0),
    },
    # down 2,881 offences (-3.8%) 9.8 per 1,000 population
    "spi-5-1": {"offences": change(76_381, 73_500, season=0.08, peak=7)},
    # N/A: no data before April 2008
    "spi-5-3": {
        "offences": Fill(
            totals=[("2008-04", "2008-07", 16_212)],
            level=4_000,
            na=[("2006-01", "2008-03", "no data before April 2008 (new recording category)")],
            season=0.06,
            peak=7,
        )
    },
    # down 616 offences (-19.5%) 0.34 per 1,000 population
    "spi-5-5": {"offences": change(3_159, 2_543, season=0.12, peak=9)},
    # 31.9%, 39.7%, 25.5%
    "cpa-obtj-violence-sexual": {
        "sanction_detections": window(30_305, season=0.06, peak=3),
        "offences": window(95_000, season=0.08, peak=7),
    },
    "spi-6-1": {
        "sanction_detections": window(29_180, season=0.06, peak=3),
        "offences": Fill(same_as=("spi-5-1", "offences")),
    },
    "spi-6-4": {
        "sanction_detections": window(1_658, season=0.1, peak=2),
        "offences": window(6_500, season=0.08, peak=7),
    },
    # up by 6 offences (30%) 0.003 per 1,000 pop
    "spi-5-4": {"offences": change(20, 26, season=0.3, peak=12)},
    # 34,894 arrests (65.8%)
    "cpa-dv-arrests": {
        "arrests": window(34_894, season=0.05, peak=12),
        "offences": window(53_030, season=0.06, peak=12),
    },
    # 1,132 fewer victims/(-5.1%)
    "cpa-youth-violence-victims": {"victims": change(22_200, 21_068, season=0.1, peak=6)},
    # -13.3% (42.3 per 1,000
    "pp-young-victims": {"victims": change(89_830, 77_880, season=0.09, peak=6)},
    # 35.5%
    "spi-6-3": {
        "sanction_detections": window(3_550, season=0.08, peak=3),
        "offences": window(10_000, season=0.08, peak=7),
    },
    # monthly averages April to July 2008: 30.8, 206, £2.9m, 207 137 50
    "cpa-network-disruptions": {"disruptions": window(123, months=4, season=0.12, peak=5)},
    "cpa-assets-recovered": {"assets": window(824, months=4, season=0.1, peak=6)},
    "spi-8-1": {
        "assets_value": window(
            11_600_000,
            months=4,
            season=0.1,
            noise=0.35,
            peak=5,
        )
    },
    "cpa-class-a-trafficking": {
        "total_sd": window(828, months=4, season=0.06, peak=6),
        "cocaine_crack_sd": window(548, months=4, season=0.06, peak=6),
        "heroin_sd": window(200, months=4, season=0.1, peak=5),
    },
}

# The month's commentary: the owner's words on July 2008's figures, as the report prints
# them in each row's small type after the indicator's standing notes (which are in the
# catalogue). Indicator key -> the words, typed on the Commentary sheet's 2008-07 column.
MONTH_COMMENTARY = {
    "spi-6-2": "Component rolling year SD rates for residential burglary, robbery and MV "
    "crime are 14.7%, 16.5% and 7.6% respectively",
    "spi-2-3": "2007/08 target has been met.",
    "events-bocu-aid": "Performance can be affected by single major events e.g. Operation "
    "Hargood at Heathrow airport last August. There may be increasing aid requirements with "
    "the reopening of Wembley stadium and the build up to 2012.",
    "events-organiser-satisfaction": "A survey measure is currently being developed and will "
    "be implemented in September.",
    "events-public-order-training": "Course attendance is voluntary and Public Order training "
    "school advise that there has been poor uptake of training. BOCU performance varies and "
    "there may be insufficient incentives for those without local public order demands",
    "events-emergency-preparedness": "At present there is not a QA procedure for these plans",
    "cpa-dv-arrests": "Three of the last four months have been above new target level",
    "cpa-youth-violence-victims": "Performance will be increasingly under pressure from the "
    "introduction of the QA process for knife crime (see SPI 5.6 above and NCRS update to "
    "PPRC).",
    "spi-8-1": "Individual months are subject to considerable variation. There is a large "
    "value confiscation expected in the August update, and this, coupled with the results "
    "expected from Operation Rise, means that this indicator is likely to be on target in "
    "future months.",
}


# --- making the series ------------------------------------------------------------------


def _weights(months: list[Month], fill: Fill, rng: random.Random) -> list[float]:
    return [
        max(
            0.05,
            1
            + fill.season * math.cos(2 * math.pi * (mo.month - fill.peak) / 12)
            + rng.uniform(-fill.noise, fill.noise),
        )
        for mo in months
    ]


def spread(total: int, months: list[Month], fill: Fill, rng: random.Random) -> dict[Month, int]:
    """`total` over `months`, unevenly but exactly (largest remainders)."""
    weights = _weights(months, fill, rng)
    shares = [total * w / sum(weights) for w in weights]
    values = [math.floor(s) for s in shares]
    order = sorted(range(len(months)), key=lambda i: shares[i] - values[i], reverse=True)
    for i in order[: total - sum(values)]:
        values[i] += 1
    return dict(zip(months, values, strict=True))


def series(
    key: str, name: str, fill: Fill, months: list[Month], made: dict[tuple[str, str], dict]
) -> dict[Month, Any]:
    """The value (number, 'n/a - reason' or text) for each month the lead fills."""
    if fill.same_as:
        return {mo: v for mo, v in made[fill.same_as].items() if mo in months}
    rng = random.Random(f"{key}/{name}")
    out: dict[Month, Any] = {}
    for first, last, reason in fill.na:
        for mo in month_range(m(first), m(last)):
            out[mo] = f"n/a - {reason}"
    for text_month, text in fill.text.items():
        out[m(text_month)] = text
    for first, last, total in fill.totals:
        out.update(spread(total, month_range(m(first), m(last)), fill, rng))
    for mo, value in fill.at.items():
        out[m(mo)] = value
    for mo in months:
        if mo in out or fill.text:
            continue
        if fill.at:  # a figure as given: the months before drift around the level
            value = fill.level * (1 + rng.uniform(-0.008, 0.008))
            value = round(min(value, 100.0) if fill.level <= 100 else value, fill.decimals)
            out[mo] = int(value) if fill.decimals == 0 else value
        else:  # a count outside the windows the report uses: the same seasonal pattern
            (weight,) = _weights([mo], fill, rng)
            out[mo] = round(fill.level * weight)
    return {mo: v for mo, v in out.items() if mo in months}


def lead_months(catalogue: Catalogue, ind: Indicator, name: str) -> list[Month]:
    """The input months of a row a lead fills for July 2008: up to the latest data, with
    the history of the XmR charts (24 months before April 2008) where the row feeds one."""
    needed = input_months(catalogue, YEAR).get((ind.key, name), set(YEAR.months))
    latest = ind.period.end_for(REPORT, catalogue.organisation.financial_year_start)
    return sorted(mo for mo in needed if mo <= max(latest, REPORT))


def figures_for(catalogue: Catalogue) -> dict[tuple[str, str], dict[Month, Any]]:
    made: dict[tuple[str, str], dict[Month, Any]] = {}
    pending = []
    for ind in catalogue.indicators:
        for measure in ind.measures:
            fill = SPECS.get(ind.key, {}).get(measure.name)
            if fill is None:
                print(
                    f"warning: no sample figures for {ind.key} {measure.name}: placeholder",
                    file=sys.stderr,
                )
                fill = Fill(level=50 if measure.unit == "percent" else 100)
            pending.append((ind, measure.name, fill))
    # rows that copy another row come after it
    pending.sort(key=lambda item: item[2].same_as is not None)
    for ind, name, fill in pending:
        months = lead_months(catalogue, ind, name)
        latest = ind.period.end_for(REPORT, catalogue.organisation.financial_year_start)
        values = series(ind.key, name, fill, months, made)
        made[(ind.key, name)] = {
            mo: v
            for mo, v in values.items()
            if mo in months and (mo <= latest or isinstance(v, str))
        }
    return made


# --- filling the workbooks --------------------------------------------------------------


def fill_workbook(
    template: Path, figures: dict[tuple[str, str], dict[Month, Any]], owner_name: str
) -> bytes:
    wb = openpyxl.load_workbook(template)
    ws = wb["Return"]
    header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Key")
    cols = {str(ws.cell(header, c).value): c for c in range(1, ws.max_column + 1)}
    for r in range(header + 1, ws.max_row + 1):
        key, name = ws.cell(r, 1).value, ws.cell(r, 3).value
        if not key:
            continue
        for mo, value in figures.get((key, name), {}).items():
            ws.cell(r, cols[str(mo)]).value = value
    fill_commentary(wb["Commentary"], str(REPORT))
    info = wb["Instructions"]
    for row in info.iter_rows():
        label = row[0].value
        if label == "Name":
            row[1].value = f"{owner_name} performance lead (sample)"
        elif label == "Role":
            row[1].value = "Business-area performance manager"
        elif label == "Date":
            row[1].value = SIGNED
    wb.properties.creator = "scorecard samples"
    wb.properties.lastModifiedBy = "scorecard samples"
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fixed_timestamps(buffer.getvalue())


def fill_commentary(ws: Any, month: str) -> None:
    """The owner's words for `month`, in its column of the Commentary sheet."""
    header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Key")
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value == month)
    for r in range(header + 1, ws.max_row + 1):
        words = MONTH_COMMENTARY.get(str(ws.cell(r, 1).value))
        if words:
            ws.cell(r, col).value = words


def _fixed_timestamps(data: bytes) -> bytes:
    """The same workbook with fixed zip and document timestamps, so reruns match."""
    out = io.BytesIO()
    stamp = datetime(*STAMP).strftime("%Y-%m-%dT%H:%M:%SZ")
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda mt: mt.group(1) + stamp.encode() + mt.group(3),
                    content,
                )
            dst.writestr(
                zipfile.ZipInfo(info.filename, STAMP), content, compress_type=zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def make() -> dict[Path, bytes]:
    """Every file this script owns, by path: the filled returns and the blank templates."""
    catalogue = load_catalogue(CATALOGUE)
    figures = figures_for(catalogue)
    made: dict[Path, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_templates(catalogue, YEAR, Path(tmp))
        for owner, template in zip(catalogue.owners, paths, strict=True):
            made[TEMPLATES / template.name] = template.read_bytes()
            if owner_rows(catalogue, owner.key):  # an owner with nothing to return sends none
                made[OUT / str(REPORT) / template.name] = fill_workbook(
                    template, figures, owner.name
                )
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    made = make()
    stale = [p for p, data in made.items() if not p.exists() or p.read_bytes() != data]
    if args.check:
        for path in stale:
            print(f"differs: {path.relative_to(ROOT)}")
        return 1 if stale else 0
    for path, data in made.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
