"""Make the council sample: two years of quarterly returns, as the service leads would.

    python samples/council/make_samples.py           # writes returns/ and workbook_templates/
    python samples/council/make_samples.py --check   # exits 1 if a committed file differs

Fenwick Vale District Council (fictional; `indicators.yaml` beside this script) reports
quarterly. For each financial year, 2023/24 and 2024/25, this writes the four service
areas' return templates with `scorecard.templates` (into
`workbook_templates/<YYYY-YY>/`), and for each quarter end fills the year's template with
openpyxl the way a lead would: typing into the unlocked input cells only (so validation
and protection stay), the quarters up to and including the one reported (the blue
history columns carry last year's quarters, which the Havering rule compares with), a
few commentary notes and a sign-off. Each return is saved as
`returns/<YYYY-MM>/<owner>.xlsx` for its quarter end.

The figures are made up but chosen, quarter by quarter, so that the 2024/25 Q4 report
(2025-03) shows every case the council's scheme has (the table is in README.md and in
tests/acceptance/test_council.py). One figure is revised once: the Q2 2024/25 return of
Planning and Housing corrects its Q1 homelessness preventions, so compiling for 2024-09
or later reports the revision. Reruns give the same bytes (fixed timestamps, no
randomness).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl

from scorecard.catalogue import Catalogue, load_catalogue
from scorecard.periods import FinancialYear, Month
from scorecard.templates import write_templates

HERE = Path(__file__).resolve().parent
CATALOGUE = HERE / "indicators.yaml"
RETURNS = HERE / "returns"
TEMPLATES = HERE / "workbook_templates"
YEARS = (FinancialYear(2023), FinancialYear(2024))

# Quarter ends from 2022/23 Q1 (history the first year's returns carry) to 2024/25 Q4.
QUARTERS = tuple(Month(2022, 6) + 3 * i for i in range(12))
REPORTED = QUARTERS[4:]  # a return for each quarter of 2023/24 and 2024/25


# --- the figures: 12 quarters each, 2022/23 Q1-Q4, 2023/24 Q1-Q4, 2024/25 Q1-Q4 ---------
#
# A "# " comment after a row says what the 2024/25 Q4 report makes of it.


def rate(num: str, den: str, rates: list[float], totals: list[int]) -> dict[str, list[Any]]:
    """Numerators for `rates` (%) of `totals`: the lead returns the two counts."""
    assert len(rates) == len(totals) == 12
    return {num: [round(r * t / 100) for r, t in zip(rates, totals, strict=True)], den: totals}


def per_100k(num: str, den: str, rates: list[float], totals: list[int]) -> dict[str, list[Any]]:
    assert len(rates) == len(totals) == 12
    return {num: [round(r * t / 100_000) for r, t in zip(rates, totals, strict=True)], den: totals}


NONE4: list[Any] = [None] * 4  # quarters a row does not collect (a forecast before 2023/24)

# fmt: off
FIGURES: dict[str, dict[str, list[Any]]] = {
    # Profiled year to date: 97.1% against 97.5% at Q4, within 10%: On track.
    "fin-01": {"collected_pct": [28.6, 55.4, 83.5, 96.6, 28.9, 55.8, 83.9, 96.9,
                                 29.6, 56.1, 84.0, 97.1]},
    # On or above the profile all year: On track.
    "fin-02": {"collected_pct": [29.5, 56.3, 84.1, 97.4, 30.4, 57.2, 85.3, 98.2,
                                 30.1, 57.4, 85.6, 98.3]},
    # Lower is better, tolerance 2 days: 20.4 against 19, inside the tolerance: On track.
    # (Q3 21.6 is outside it but better than Q3 last year: Improving.)
    "fin-03": {"days": [22.4, 21.0, 23.1, 21.8, 21.2, 19.6, 22.8, 20.9, 19.8, 18.7, 21.6, 20.4]},
    # 8.3 days against 8: within 10%: On track.
    "fin-04": {"days": [9.1, 8.2, 9.4, 8.8, 8.4, 7.6, 8.9, 8.3, 7.9, 7.4, 8.6, 8.3]},
    # 96.0% against 95%: On track.
    "fin-05": rate("paid_in_time", "paid",
                   [93.8, 94.6, 93.1, 94.9, 94.8, 95.6, 94.2, 95.4, 95.3, 96.1, 94.7, 96.0],
                   [5_402, 5_611, 5_893, 6_517, 5_533, 5_780, 6_012, 6_688,
                    5_612, 5_934, 6_208, 6_745]),
    # Tolerance 1% of 98: 96.6% falls short by 1.4 points, outside the tolerance though
    # within 10%, and better than 96.3% a year before: Improving.
    "fin-06": {"collected_pct": [96.4, 96.9, 96.2, 96.1, 97.2, 97.6, 96.8, 96.3,
                                 97.9, 98.1, 97.4, 96.6]},
    # Forecast rule: 40.5% in the winter quarter against 46%, but the service forecasts
    # 46.7% for the year (summer garden waste carries it): Improving. In 2023/24 the
    # forecast fell short from Q3: Off track.
    "env-01": {
        **rate("recycled_tonnes", "collected_tonnes",
               [48.9, 47.2, 39.0, 36.8, 49.8, 48.3, 39.6, 37.4, 52.4, 50.8, 41.6, 40.5],
               [12_180, 11_720, 10_430, 10_090, 12_250, 11_800, 10_500, 10_150,
                12_400, 11_900, 10_600, 10_200]),
        "year_end_forecast": [*NONE4, 45.6, 45.1, 44.6, 44.2, 46.8, 46.6, 46.2, 46.7],
    },
    # Lower is better, tolerance 10% of 45: 48.9 is 3.9 over, inside it: On track.
    "env-02": per_100k("missed", "collections",
                       [58.1, 54.3, 66.0, 61.2, 51.2, 47.9, 57.8, 53.0, 46.1, 43.2, 52.9, 48.9],
                       [1_214_300, 1_226_800, 1_198_500, 1_207_900,
                        1_221_600, 1_233_100, 1_205_200, 1_213_400,
                        1_229_700, 1_240_300, 1_212_800, 1_220_600]),
    # Profiled year to date, lower is better: 468 kg against 472: On track.
    "env-03": {"kg_per_household": [124, 249, 371, 493, 121, 243, 364, 484, 117, 235, 356, 468]},
    # 97.1% against 95%: On track. (Its incidents are ENV 06's.)
    "env-04": rate("cleared_in_time", "incidents",
                   [92.4, 91.0, 93.7, 94.1, 94.6, 93.8, 95.5, 96.0, 95.9, 94.9, 96.3, 97.1],
                   [398, 462, 371, 352, 421, 489, 402, 377, 447, 512, 433, 409]),
    "env-05": {"rated_pct": [90.8, 91.2, 91.5, 91.9, 92.1, 92.4, 92.2, 92.8,
                             93.0, 93.4, 93.1, 93.6]},
    # Context: fewer than last quarter, more than a year ago.
    "env-06": {"incidents": [398, 462, 371, 352, 421, 489, 402, 377, 447, 512, 433, 409]},
    # Majors: 8 of 14 in time (57.1%) against 65%, more than 10% off, better than 7 of 13
    # a year before: Improving.
    "hou-01": {"in_time": [6, 5, 7, 6, 7, 6, 5, 7, 9, 8, 6, 8],
               "decided": [12, 11, 13, 14, 12, 11, 10, 13, 13, 12, 11, 14]},
    "hou-02": rate("in_time", "decided",
                   [68.0, 72.1, 70.5, 74.0, 73.4, 75.0, 71.8, 76.2, 77.1, 74.6, 72.9, 78.3],
                   [72, 79, 61, 69, 64, 71, 58, 67, 70, 75, 63, 71]),
    "hou-03": rate("in_time", "decided",
                   [84.1, 86.0, 82.5, 85.3, 86.9, 88.2, 85.0, 87.7, 88.4, 89.6, 86.1, 90.2],
                   [172, 181, 154, 166, 168, 177, 149, 163, 171, 185, 158, 169]),
    # Homes completed each quarter, reported year to date against the profile
    # (25, 50, 80, 110): Q1 26 On track; then 40, 61 and 84, each more than 10% short of
    # its quarter's target and better than the year before: Improving.
    "hou-04": {"homes": [11, 19, 24, 33, 14, 17, 21, 19, 26, 14, 21, 23]},
    # Tolerance 5 cases: 57 against 65 is 8 short, and worse than 63 a year before:
    # Off track. Q1 was first returned as 58 (Off track) and revised to 61 in the Q2
    # return (inside the tolerance: On track): see REVISIONS.
    "hou-05": {"preventions": [54, 58, 61, 57, 59, 63, 52, 63, 61, 67, 62, 57]},
    # Lower is better: 31.5 days against 24, worse than 29.0 a year before: Off track.
    "hou-06": {"days": [27.3, 26.1, 29.8, 28.4, 24.6, 25.9, 28.7, 29.0, 25.1, 27.4, 30.6, 31.5]},
    # Context: fewer than last quarter, more than a year ago.
    "hou-07": {"households": [64, 71, 78, 82, 88, 93, 101, 97, 104, 112, 118, 115]},
    # Context, no polarity: no better or worse.
    "hou-08": {"received": [412, 398, 341, 376, 395, 384, 322, 361, 402, 377, 330, 369]},
    # 78.6% against 90%, worse than 84.1% a year before: Off track.
    "cor-01": rate("in_time", "answered",
                   [86.1, 88.4, 84.9, 87.0, 88.7, 91.2, 86.4, 84.1, 85.2, 82.6, 79.8, 78.6],
                   [188, 203, 176, 214, 196, 209, 184, 227, 205, 218, 191, 234]),
    "cor-02": rate("in_time", "answered",
                   [87.0, 89.5, 88.2, 90.4, 91.3, 92.0, 89.1, 91.6, 92.4, 93.1, 90.2, 92.8],
                   [131, 142, 127, 158, 136, 149, 131, 162, 139, 151, 133, 167]),
    # 67.4% against 80% (the council tax billing peak), better than 61.2% a year before:
    # Improving.
    "cor-03": rate("in_time", "calls",
                   [71.5, 68.2, 63.0, 60.4, 74.0, 70.1, 66.3, 61.2, 77.8, 73.5, 69.0, 67.4],
                   [28_950, 29_870, 27_460, 35_720, 29_130, 30_040, 27_610, 35_980,
                    29_400, 30_100, 27_800, 36_200]),
    # Profiled year to date, lower is better: 9.2 days against 7.6, worse than 8.7 a year
    # before: Off track (and from Q2: 4.4 against 3.8, worse than 4.1).
    "cor-04": {"days_per_fte": [2.1, 4.2, 6.6, 8.9, 2.0, 4.1, 6.5, 8.7, 2.0, 4.4, 6.7, 9.2]},
    "cor-05": {"turnover_pct": [14.2, 15.1, 15.6, 15.9, 15.4, 14.8, 14.1, 13.6,
                                13.2, 12.9, 12.4, 12.1]},
    "cor-06": {"contacts": [58_420, 54_130, 49_870, 66_310, 56_980, 52_440, 48_210, 64_050,
                            55_210, 50_960, 47_380, 62_770]},
}
# fmt: on

# (key, measure, quarter) -> (first returned, the return that corrects it). FIGURES holds
# the corrected figure; returns before the correcting one carry the first.
REVISIONS: dict[tuple[str, str, Month], tuple[Any, Month]] = {
    ("hou-05", "preventions", Month(2024, 6)): (58, Month(2024, 9)),
}

# indicator key -> (the quarter it is written for, its words). A lead writes a quarter's
# commentary in that quarter's column of the Commentary sheet, and the year's workbook
# keeps it, so it is in that year's later returns too.
COMMENTS: dict[str, list[tuple[Month, str]]] = {
    "hou-05": [(Month(2024, 9), "Q1 revised from 58 to 61: three preventions were recorded late.")],
    "env-01": [
        (Month(2023, 12), "Garden waste tonnage fell in the dry summer; forecast lowered."),
        (Month(2024, 12), "Winter quarters are always lower; the summer carries the year."),
    ],
    "cor-04": [
        (Month(2024, 9), "Long-term absence in the waste depot; occupational health referrals up.")
    ],
    "hou-06": [
        (Month(2024, 12), "Void repairs contractor changed in October; backlog being cleared.")
    ],
    "cor-03": [
        (Month(2025, 3), "Annual billing peak in March; new telephony went live in January.")
    ],
}


def signed(quarter: Month) -> datetime:
    """The sign-off date: the 18th of the month after the quarter end, at 9 o'clock."""
    after = quarter + 1
    return datetime(after.year, after.month, 18, 9, 0, 0)


def figure(key: str, measure: str, quarter: Month, in_return: Month) -> Any:
    """What the lead types for `quarter` in the return for `in_return`."""
    value = FIGURES[key][measure][QUARTERS.index(quarter)]
    revision = REVISIONS.get((key, measure, quarter))
    if revision is not None and in_return < revision[1]:
        return revision[0]
    return value


def fill_commentary(ws: Any, quarter: Month, year: FinancialYear) -> None:
    """Each quarter's words so far this year, in their columns of the Commentary sheet."""
    header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Key")
    cols = {str(ws.cell(header, c).value): c for c in range(1, ws.max_column + 1)}
    for r in range(header + 1, ws.max_row + 1):
        for written, text in COMMENTS.get(str(ws.cell(r, 1).value), []):
            if written <= quarter and written in year:
                ws.cell(r, cols[str(written)]).value = text


# --- filling the workbooks --------------------------------------------------------------


def fill_return(template: bytes, quarter: Month, year: FinancialYear, owner_name: str) -> bytes:
    """The year's template filled as the lead sends it for `quarter`."""
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb["Return"]
    header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Key")
    cols = {str(ws.cell(header, c).value): c for c in range(1, ws.max_column + 1)}
    for r in range(header + 1, ws.max_row + 1):
        key, measure = ws.cell(r, 1).value, ws.cell(r, 3).value
        if not key:
            continue
        for month in QUARTERS:
            col = cols.get(str(month))
            if col is None or month > quarter:
                continue
            cell = ws.cell(r, col)
            if cell.protection.locked:  # a grey cell: this row does not need the month
                continue
            value = figure(key, measure, month, quarter)
            if value is not None:
                cell.value = value
    fill_commentary(wb["Commentary"], quarter, year)
    info = wb["Instructions"]
    for row in info.iter_rows():
        label = row[0].value
        if label == "Name":
            row[1].value = f"{owner_name} performance lead (sample)"
        elif label == "Role":
            row[1].value = "Service performance officer"
        elif label == "Date":
            row[1].value = signed(quarter).replace(hour=0)
    wb.properties.creator = "scorecard samples"
    wb.properties.lastModifiedBy = "scorecard samples"
    buffer = io.BytesIO()
    wb.save(buffer)
    return fixed_timestamps(buffer.getvalue(), signed(quarter))


def fixed_timestamps(data: bytes, when: datetime) -> bytes:
    """The same workbook with fixed zip and document timestamps, so reruns match."""
    out = io.BytesIO()
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    date_time = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda found: found.group(1) + stamp + found.group(3),
                    content,
                )
            dst.writestr(
                zipfile.ZipInfo(info.filename, date_time),
                content,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def year_folder(year: FinancialYear) -> str:
    """``2024-25``: a financial year as a folder name."""
    return str(year).replace("/", "-")


def make(catalogue: Catalogue | None = None) -> dict[Path, bytes]:
    """Every file this script owns, by path: the blank templates and the filled returns."""
    catalogue = catalogue or load_catalogue(CATALOGUE)
    owners = {o.key: o.name for o in catalogue.owners}
    made: dict[Path, bytes] = {}
    for year in YEARS:
        with tempfile.TemporaryDirectory() as tmp:
            templates = {
                p.stem: p.read_bytes() for p in write_templates(catalogue, year, Path(tmp))
            }
        for owner, data in templates.items():
            made[TEMPLATES / year_folder(year) / f"{owner}.xlsx"] = data
        for quarter in (q for q in REPORTED if q in year):
            for owner, data in templates.items():
                path = RETURNS / str(quarter) / f"{owner}.xlsx"
                made[path] = fill_return(data, quarter, year, owners[owner])
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    made = make()
    stale = [p for p, data in made.items() if not p.exists() or p.read_bytes() != data]
    if args.check:
        for path in stale:
            print(f"differs: {path.relative_to(HERE)}")
        return 1 if stale else 0
    for path, data in made.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(HERE)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
