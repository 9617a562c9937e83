"""Make a synthetic organisation at a chosen size: a catalogue and its filled returns.

    python benchmarks/generate.py --size large       # 40 owners, 400 indicators, 36 months
    python benchmarks/generate.py --size national    # 40 owners, 2,000 indicators, 36 months
    python benchmarks/generate.py --owners 5 --indicators 60 --months 6 --out /tmp/org

"Months" are months of history: each owner has sent a return every month for that
many months, so the returns folder holds one month folder per month, ending at the
report month (March 2009), and each folder one return per owner: 36 months of a large
force are 1,440 returns, from three financial years' templates. Each return is the
template of its month's financial year with every month the reports need filled in up
to that month, as a lead sends it: last month's file with this month's figures added.

The catalogue is written in the project's own format (a YAML file that
`scorecard.catalogue.load_catalogue` accepts) with the derivations a real catalogue
mixes: change on the 12 months before with a rate per 1,000 population, rolling rates,
survey figures as given a month late, financial-year-to-date averages, two-part
indicators and rolling totals. The returns are the project's own templates
(`scorecard.templates.write_templates`) filled in as a lead fills them: a figure typed
into each shaded cell the report needs, "n/a - reason" where a survey was not run, a few
numbers typed as text ("12,345"), a comment on some rows and the sign-off (name, role,
date). Nothing else in the template changes: validation, protection, styles and the
hidden _meta sheet stay as `templates.py` wrote them.

Two ways to fill, giving the same figures in the same cells:

- ``openpyxl``: open the template, type into the cells, save (as the samples are made).
  About 50 ms a return: used for the tiny size.
- ``xml`` (the default): write the same values straight into the template's sheet XML,
  in the template's exact layout, adding the texts to its shared strings table. About
  2 ms a return.

Each generated set is read back with `scorecard.returns.read_returns` before it is used:
no error-level problem and nothing to chase may appear, and every figure must read
back as generated.

Generated sets are cached under benchmarks/.data/<size>-<hash>/, where the hash covers
`VERSION` (raise it when this script's output changes), the size and scorecard's
template module, so a change to any of them makes a fresh set (and removes the old one).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import random
import re
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / ".data"
SAMPLE_CATALOGUE = ROOT / "config" / "indicators.yaml"
SAMPLE_RETURNS = ROOT / "samples" / "returns"
SAMPLE_MONTH = "2008-07"
FIRST_YEAR = 2008  # the financial year 2008/09, April to March
VERSION = 1  # of what this script writes: raise it to make every cached set afresh
SIGNED = datetime(2009, 4, 8)


@dataclass(frozen=True)
class Size:
    """The shape of a synthetic organisation."""

    owners: int
    indicators: int
    months: int = 36  # months of history: monthly returns each owner has sent
    fill: str = "xml"  # or "openpyxl"
    seed: int = 2008


SIZES: dict[str, Size] = {
    "tiny": Size(owners=3, indicators=12, months=3, fill="openpyxl"),
    "large": Size(owners=40, indicators=400, months=36),
    "national": Size(owners=40, indicators=2000, months=36),
    # The memory-scaling partners: the same largest return, fewer returns.
    "tiny-1": Size(owners=3, indicators=12, months=1, fill="openpyxl"),
    "large-12": Size(owners=40, indicators=400, months=12),
    "national-12": Size(owners=40, indicators=2000, months=12),
}
# size -> the size with the same largest return and fewer returns
MEMORY_PARTNER = {"tiny": "tiny-1", "large": "large-12", "national": "national-12"}


@dataclass(frozen=True)
class Dataset:
    """A catalogue, its returns folder and the report month: what `scorecard compile` takes."""

    name: str
    catalogue: Path
    returns: Path
    month: str

    def files(self) -> list[Path]:
        return sorted(self.returns.glob("*/*.xlsx"))

    def describe(self) -> str:
        files = self.files()
        largest = max((f.stat().st_size for f in files), default=0)
        total = sum(f.stat().st_size for f in files)
        return (
            f"{self.name}: {len(files)} returns in "
            f"{len({f.parent for f in files})} month folder(s), "
            f"{total / 1e6:.1f} MB (largest {largest / 1e3:.0f} KB), report month {self.month}"
        )


def samples() -> Dataset:
    return Dataset("samples", SAMPLE_CATALOGUE, SAMPLE_RETURNS, SAMPLE_MONTH)


# --- the catalogue ----------------------------------------------------------------------

# One indicator in every 20 of each kind, in this order for each owner's indicators, so
# each owner's first indicator is a change (which sets the return's history columns).
PATTERN = (
    "change",
    "rolling_rate",
    "as_given",
    "change",
    "fytd_average",
    "rolling_rate",
    "change",
    "parts",
    "as_given",
    "rolling_rate",
    "change",
    "rolling_total",
    "as_given",
    "change",
    "rolling_rate",
    "fytd_average",
    "parts",
    "change",
    "as_given",
    "rolling_rate",
)

SUBJECTS = (
    "burglary",
    "robbery",
    "vehicle crime",
    "violence with injury",
    "criminal damage",
    "hate crime",
    "knife crime",
    "drug supply",
    "fraud",
    "anti-social behaviour",
    "road casualties",
    "missing persons",
    "theft from the person",
    "domestic abuse",
    "arson",
)


WINDOW = 12  # the change derivations compare 12 months with the 12 before


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(text, ensure_ascii=True)


def catalogue_yaml(size: Size) -> str:
    """The catalogue of the synthetic organisation, as YAML text."""
    rng = random.Random(size.seed)
    n_obj = max(4, min(20, size.indicators // 40))
    lines = [
        "# A synthetic organisation made by benchmarks/generate.py for the benchmarks.",
        f"# {size.owners} owners, {size.indicators} indicators, {size.months} months.",
        "organisation:",
        '  name: "Synthetic Constabulary"',
        '  short_name: "SC"',
        "  financial_year_start: 4",
        "  populations:",
        '    area: {value: 2450000, source: "Synthetic mid-year estimate"}',
        '    youth: {value: 610000, source: "Synthetic mid-year estimate, aged 0-19"}',
        "  scheme:",
        "    kind: ratio_bands",
        "    bands:",
        "      - {status: BLUE, min_ratio: 1.10}",
        "      - {status: GREEN, min_ratio: 1.00}",
        "      - {status: AMBER, min_ratio: 0.90}",
        "    below: RED",
        "  sources:",
        '    local: "Local management information"',
        '    survey: "Public attitude survey"',
        "  report:",
        '    title: "Performance Assessment"',
        "    footnotes:",
        '      - "Synthetic figures for benchmarking only."',
        "owners:",
    ]
    for o in range(size.owners):
        lines.append(f'  - {{key: owner-{o + 1:02d}, name: "Business area {o + 1}"}}')
    lines.append("objectives:")
    for j in range(n_obj):
        title = _q(f"Objective {j + 1}: reduce harm and improve the service everywhere")
        sheet = _q(f"{j + 1} Objective {j + 1}")
        lines.append(f"  - {{key: obj-{j + 1:02d}, title: {title}, sheet_name: {sheet}}}")
    lines.append("indicators:")
    for i in range(size.indicators):
        owner = i % size.owners
        kind = PATTERN[(i // size.owners) % len(PATTERN)]
        subject = SUBJECTS[i % len(SUBJECTS)]
        lines.extend(
            _indicator(
                i, kind, subject, f"owner-{owner + 1:02d}", i * n_obj // size.indicators, rng
            )
        )
    return "\n".join(lines) + "\n"


def _indicator(
    i: int, kind: str, subject: str, owner: str, objective: int, rng: random.Random
) -> list[str]:
    key = f"ind-{i + 1:04d}"
    head = [
        f"  - key: {key}",
        f'    label: "SPI {objective + 1}.{i + 1}"',
        f"    objective: obj-{objective + 1:02d}",
        f"    owner: {owner}",
    ]
    count = 'unit: count, guidance: "Recorded in the month; 0 if none, never blank."'
    if kind == "change":
        cut = rng.choice((2, 3, 4, 5))
        return [
            *head,
            f"    title: {_q(f'Reduce {subject} (indicator {i + 1})')}",
            '    notes: "Rolling 12 months against the 12 months before."',
            "    source: local",
            "    unit: count",
            "    polarity: lower_is_better",
            "    decimals: 0",
            "    measures:",
            f'      - {{name: offences, label: "{subject.capitalize()} offences", {count}}}',
            "    derive:",
            "      method: change",
            "      measure: offences",
            f"      months: {WINDOW}",
            "      population: area",
            '      display: "{direction} {abs_change:,.0f} offences ({change_pct:+.1f}%) '
            '{rate:.2f} per 1,000 population"',
            "    targets:",
            f'      "2008/09": {{kind: reduction, percent: {cut}, text: "{cut}% reduction"}}',
        ]
    if kind == "rolling_rate":
        level = rng.choice((20, 25, 30, 35, 40))
        return [
            *head,
            f"    title: {_q(f'Sanction detection rate for {subject} (indicator {i + 1})')}",
            "    source: local",
            "    unit: percent",
            "    polarity: higher_is_better",
            "    decimals: 1",
            "    measures:",
            f'      - {{name: detections, label: "Sanction detections", {count}}}',
            f'      - {{name: offences, label: "{subject.capitalize()} offences", {count}}}',
            "    derive:",
            "      method: rolling_rate",
            "      numerator: detections",
            "      denominator: offences",
            "      months: 12",
            '      display: "{numerator:,.0f} detections ({value:.1f}%)"',
            "    targets:",
            f'      "2008/09": {{kind: level, value: {level}, text: "{level}%"}}',
        ]
    if kind == "as_given":
        level = rng.choice((70, 75, 78.9, 80, 85))
        return [
            *head,
            f"    title: {_q(f'Satisfaction with how {subject} is dealt with (survey {i + 1})')}",
            '    notes: "Rolling 12 months to the month before."',
            "    source: survey",
            "    unit: percent",
            "    polarity: higher_is_better",
            "    decimals: 1",
            "    period: {ends: month, lag_months: 1}",
            "    measures:",
            '      - {name: satisfied_pct, label: "% satisfied, rolling 12 months", '
            'unit: percent, guidance: "Type 65.8 for 65.8%."}',
            "    derive: {method: as_given, measure: satisfied_pct}",
            "    targets:",
            f'      "2008/09": {{kind: level, value: {level}, text: "{level}%"}}',
        ]
    if kind == "fytd_average":
        return [
            *head,
            f"    title: {_q(f'Operations against {subject} networks (monthly average)')}",
            "    source: local",
            "    unit: count",
            "    polarity: higher_is_better",
            "    decimals: 1",
            "    measures:",
            f'      - {{name: operations, label: "Operations completed", {count}}}',
            '    derive: {method: fytd_average, measure: operations, display: "{value:.1f}"}',
            "    targets:",
            '      "2008/09": {kind: level, value: 30, text: "30 a month"}',
        ]
    if kind == "rolling_total":
        return [
            *head,
            f"    title: {_q(f'Exercises and plans for {subject}')}",
            "    source: local",
            "    unit: count",
            "    polarity: none",
            "    decimals: 0",
            "    measures:",
            f'      - {{name: exercises, label: "Exercises held", {count}}}',
            "    derive: {method: rolling_total, measure: exercises, months: 12}",
            "    targets:",
            '      "2008/09": {kind: none, text: "No target"}',
        ]
    # parts: a change and a survey percentage, assessed on the worst part
    return [
        *head,
        f"    title: {_q(f'Reduce {subject} and keep victims informed (indicator {i + 1})')}",
        "    source: local",
        "    unit: percent",
        "    polarity: lower_is_better",
        "    decimals: 1",
        "    measures:",
        f'      - {{name: incidents, label: "{subject.capitalize()} incidents", {count}}}',
        '      - {name: informed_pct, label: "% of victims kept informed", unit: percent}',
        "    derive:",
        "      method: parts",
        "      parts:",
        "        - name: incidents",
        '          label: "Incidents"',
        "          derive:",
        "            method: change",
        "            measure: incidents",
        f"            months: {WINDOW}",
        '            display: "{change_pct:+.1f}%"',
        "        - name: informed",
        '          label: "Victims kept informed"',
        '          derive: {method: as_given, measure: informed_pct, display: "{value:.1f}%"}',
        "    targets:",
        '      "2008/09":',
        "        kind: parts",
        '        text: "3% reduction 8%"',
        "        parts:",
        '          - {kind: reduction, percent: 3, text: "3% reduction"}',
        '          - {kind: level, value: 8, text: "8%"}',
    ]


# --- the figures ------------------------------------------------------------------------


def needed_months(catalogue: Any, folders: list[Any]) -> dict[Any, dict[tuple[str, str], set]]:
    """For each financial year of the folders, the months its template asks for, by row."""
    from scorecard.catalogue import measure_months

    years = sorted({catalogue.financial_year(f) for f in folders})
    return {year: measure_months(catalogue, year.months) for year in years}


def figures_for(
    catalogue: Any, needed: dict[Any, dict[tuple[str, str], set]], report: Any, seed: int
) -> dict[tuple[str, str], dict[Any, Any]]:
    """What the leads type for each (key, measure) and month, up to the report month.

    Counts follow a seasonal pattern around a level of their own; detections stay below
    their offences; percentages drift around a level. About one survey month in 50 is
    "n/a - survey not run", and about one count in 200 is typed as text ("1,234").
    """
    wanted: dict[tuple[str, str], set] = {}
    for rows in needed.values():
        for pair, months in rows.items():
            wanted.setdefault(pair, set()).update(m for m in months if m <= report)
    out: dict[tuple[str, str], dict[Any, Any]] = {}
    for ind in catalogue.indicators:
        rng = random.Random(f"{seed}/{ind.key}")
        level = rng.choice((40, 120, 600, 2500, 9000, 40000))
        peak = rng.randint(1, 12)
        base: dict[Any, float] = {}
        for measure in ind.measures:
            series: dict[Any, Any] = {}
            for month in sorted(wanted.get((ind.key, measure.name), ())):
                season = 1 + 0.1 * math.cos(2 * math.pi * (month.month - peak) / 12)
                if measure.unit == "percent":
                    if rng.random() < 0.02 and measure.name == "satisfied_pct":
                        series[month] = "n/a - survey not run this month"
                    else:
                        series[month] = round(rng.uniform(55, 95), 1)
                    continue
                if measure.name == "detections":
                    value = round(base.get(month, level) * rng.uniform(0.2, 0.4))
                else:
                    value = round(level * season * rng.uniform(0.9, 1.1))
                    base[month] = value
                if value >= 1000 and rng.random() < 0.005:
                    series[month] = f"{value:,}"  # typed as text: read, and noted
                else:
                    series[month] = value
            out[(ind.key, measure.name)] = series
    return out


def _comment(key: str, name: str, seed: int) -> str | None:
    rng = random.Random(f"{seed}/{key}/{name}/comment")
    if rng.random() < 0.1:
        return "Figures for the last two months are provisional; a revision may follow."
    return None


# --- filling the templates --------------------------------------------------------------


@dataclass
class _Layout:
    """Where a template's cells are: rows by (key, measure), columns by month."""

    rows: dict[tuple[str, str], int]
    months: dict[str, int]
    sign_off: dict[str, tuple[int, int]]  # "Name" -> (row, col) on the Instructions sheet
    comment_rows: dict[str, int]  # the Commentary sheet's rows by indicator key
    comment_months: dict[str, int]  # ... and its columns by month


def _layout(template: Path) -> _Layout:
    """Read the template's layout with scorecard's own reader (as scorecard.returns finds it)."""
    from scorecard.form import COMMENTARY_SHEET, INSTRUCTIONS_SHEET, RETURN_SHEET
    from scorecard.xlsx import open_workbook

    with open_workbook(template) as book:
        data = book.read_sheet(RETURN_SHEET)
        info = book.read_sheet(INSTRUCTIONS_SHEET)
        commentary = book.read_sheet(COMMENTARY_SHEET)
    rows = data.rows()
    header = next(r for r, cells in rows.items() if cells.get(1) and cells[1].value == "Key")
    months = _month_columns(rows[header])
    found = {
        (cells[1].value, cells[3].value): r
        for r, cells in rows.items()
        if r > header and cells.get(1) and cells.get(3)
    }
    sign_off = {
        cell.value: (row, col + 1)
        for (row, col), cell in info.cells.items()
        if cell.value in ("Name", "Role", "Date") and col == 1
    }
    by_row = commentary.rows()
    top = next(r for r, cells in by_row.items() if cells.get(1) and cells[1].value == "Key")
    comment_rows = {cells[1].value: r for r, cells in by_row.items() if r > top and cells.get(1)}
    return _Layout(found, months, sign_off, comment_rows, _month_columns(by_row[top]))


def _month_columns(header: dict[int, Any]) -> dict[str, int]:
    """A header row's YYYY-MM headings by their column."""
    return {
        cell.value: col
        for col, cell in header.items()
        if isinstance(cell.value, str) and re.match(r"^\d{4}-\d{2}$", cell.value)
    }


def _entries(
    layout: _Layout,
    needed: dict[tuple[str, str], set],
    figures: dict[tuple[str, str], dict[Any, Any]],
    folder: Any,
    seed: int,
) -> tuple[dict[tuple[int, int], Any], dict[tuple[int, int], Any]]:
    """(row, col) -> value: the template's Return and Commentary cells a lead has filled
    by `folder` (a comment in the folder's own month)."""
    cells: dict[tuple[int, int], Any] = {}
    comments: dict[tuple[int, int], Any] = {}
    for pair, row in layout.rows.items():
        series = figures.get(pair, {})
        for month in needed.get(pair, ()):
            if month <= folder and month in series:
                cells[(row, layout.months[str(month)])] = series[month]
        comment = _comment(pair[0], pair[1], seed)
        column = layout.comment_months.get(str(folder))
        if comment and column and pair[0] in layout.comment_rows:
            comments[(layout.comment_rows[pair[0]], column)] = comment
    return cells, comments


def _sign_off(owner_name: str, folder: Any) -> dict[str, Any]:
    after = folder + 1
    return {
        "Name": f"{owner_name} performance lead (synthetic)",
        "Role": "Business-area performance manager",
        "Date": datetime(after.year, after.month, 8),
    }


class OpenpyxlFiller:
    """Type the values into the template with openpyxl, as a lead (and make_samples) does."""

    def __init__(self, template: Path, layout: _Layout) -> None:
        self.template = template
        self.layout = layout

    def fill(
        self,
        out: Path,
        cells: dict[tuple[int, int], Any],
        comments: dict[tuple[int, int], Any],
        sign_off: dict[str, Any],
    ) -> None:
        import openpyxl

        from scorecard.form import COMMENTARY_SHEET, INSTRUCTIONS_SHEET, RETURN_SHEET

        wb = openpyxl.load_workbook(self.template)
        for name, values in ((RETURN_SHEET, cells), (COMMENTARY_SHEET, comments)):
            ws = wb[name]
            for (row, col), value in values.items():
                ws.cell(row, col).value = value
        info = wb[INSTRUCTIONS_SHEET]
        for label, value in sign_off.items():
            row, col = self.layout.sign_off[label]
            info.cell(row, col).value = value
        wb.save(out)


_BLANK_RE = re.compile(rb'<c r="([A-Z]+[0-9]+)" s="([0-9]+)"/>')
_EXCEL_EPOCH = datetime(1899, 12, 30)


class XmlFiller:
    """Write the same values into the template's own sheet XML: its layout, untouched.

    Each filled cell keeps its style (shading, number format, unlocked); numbers go in
    as <v>, texts into the shared strings table, the sign-off date as a date serial in
    the template's date-formatted cell. Every other part is copied as it is.
    """

    def __init__(self, template: Path, layout: _Layout) -> None:
        from scorecard.form import COMMENTARY_SHEET, INSTRUCTIONS_SHEET, RETURN_SHEET

        self.layout = layout
        with zipfile.ZipFile(template) as src:
            self.order = [info.filename for info in src.infolist()]
            self.members = {name: src.read(name) for name in self.order}
        parts = _sheet_parts(self.members)
        self.return_part = parts[RETURN_SHEET]
        self.instructions_part = parts[INSTRUCTIONS_SHEET]
        self.commentary_part = parts[COMMENTARY_SHEET]

    def fill(
        self,
        out: Path,
        cells: dict[tuple[int, int], Any],
        comments: dict[tuple[int, int], Any],
        sign_off: dict[str, Any],
    ) -> None:
        from scorecard.xlsx import cell_ref

        shared = _SharedStrings(self.members["xl/sharedStrings.xml"])
        members = dict(self.members)
        for part, values in ((self.return_part, cells), (self.commentary_part, comments)):
            members[part] = _fill_sheet(
                members[part], {cell_ref(r, c): v for (r, c), v in values.items()}, shared
            )
        signed = {cell_ref(*self.layout.sign_off[label]): v for label, v in sign_off.items()}
        members[self.instructions_part] = _fill_sheet(
            members[self.instructions_part], signed, shared
        )
        members["xl/sharedStrings.xml"] = shared.xml()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in self.order:
                dst.writestr(
                    zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)),
                    members[name],
                    compress_type=zipfile.ZIP_DEFLATED,
                )
        out.write_bytes(buffer.getvalue())


def _sheet_parts(members: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> its XML part, from the workbook and its relationships."""
    workbook = members["xl/workbook.xml"].decode()
    rels = members["xl/_rels/workbook.xml.rels"].decode()
    targets = dict(re.findall(r'<Relationship Id="(rId\d+)" Type="[^"]*" Target="([^"]+)"', rels))
    sheets = re.findall(r'<sheet name="([^"]+)" sheetId="\d+"[^>]*r:id="(rId\d+)"', workbook)
    return {name: "xl/" + targets[rid] for name, rid in sheets}


class _SharedStrings:
    """The template's shared strings table, with a lead's texts added at its end."""

    def __init__(self, xml: bytes) -> None:
        text = xml.decode()
        start = text.index("<si>") if "<si>" in text else text.index("</sst>")
        self.head = text[:start]
        self.items = re.findall(r"<si>.*?</si>", text, re.S)
        self.index: dict[str, int] = {}
        self.added = 0

    def add(self, text: str) -> int:
        self.added += 1
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.items)
            self.items.append(f"<si><t>{escape(text)}</t></si>")
        return found

    def xml(self) -> bytes:
        head = re.sub(r'uniqueCount="\d+"', f'uniqueCount="{len(self.items)}"', self.head)
        head = re.sub(r' count="(\d+)"', lambda m: f' count="{int(m.group(1)) + self.added}"', head)
        return (head + "".join(self.items) + "</sst>").encode()


def _fill_sheet(xml: bytes, by_ref: dict[str, Any], shared: _SharedStrings) -> bytes:
    """Replace the template's blank input cells named in `by_ref` with their values."""
    done: set[str] = set()

    def cell(match: re.Match[bytes]) -> bytes:
        ref = match.group(1).decode()
        if ref not in by_ref:
            return match.group(0)
        value = by_ref[ref]
        done.add(ref)
        style = match.group(2).decode()
        if isinstance(value, datetime):
            value = (value - _EXCEL_EPOCH).days
        if isinstance(value, str):
            return f'<c r="{ref}" s="{style}" t="s"><v>{shared.add(value)}</v></c>'.encode()
        return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'.encode()

    filled = _BLANK_RE.sub(cell, xml)
    missing = set(by_ref) - done
    if missing:
        raise RuntimeError(f"the template has no blank input cell at {sorted(missing)[:5]}")
    return filled


# --- making a set -----------------------------------------------------------------------


def _fingerprint(size: Size) -> str:
    import scorecard.templates

    digest = hashlib.sha256(f"generate.py version {VERSION}".encode())
    for module in sorted(Path(scorecard.templates.__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    digest.update(json.dumps(asdict(size), sort_keys=True).encode())
    return digest.hexdigest()[:10]


def dataset(name: str, *, force: bool = False, quiet: bool = False) -> Dataset:
    """The named size, generated (once) and cached under benchmarks/.data/."""
    if name == "samples":
        return samples()
    if name not in SIZES:
        raise SystemExit(f"unknown size '{name}': choose from samples, {', '.join(SIZES)}")
    size = SIZES[name]
    out = DATA / f"{name}-{_fingerprint(size)}"
    if not out.exists() and DATA.is_dir():
        for stale in DATA.iterdir():  # an older set of this size, from another version
            if re.fullmatch(rf"{re.escape(name)}-[0-9a-f]{{10}}", stale.name):
                shutil.rmtree(stale, ignore_errors=True)
    return make(name, size, out, force=force, quiet=quiet)


def make(name: str, size: Size, out: Path, *, force: bool = False, quiet: bool = False) -> Dataset:
    """Write the catalogue and every return of `size` into `out`, and check them."""
    from scorecard.catalogue import load_catalogue
    from scorecard.periods import FinancialYear
    from scorecard.templates import write_templates

    report = FinancialYear(FIRST_YEAR).last
    ds = Dataset(name, out / "indicators.yaml", out / "returns", str(report))
    if (out / "done.json").exists() and not force:
        return ds
    started = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    if not quiet:
        print(
            f"generating {name}: {size.owners} owners, {size.indicators} indicators, "
            f"{size.months} months of returns, filled with {size.fill}",
            file=sys.stderr,
        )
    ds.catalogue.write_text(catalogue_yaml(size), encoding="utf-8")
    catalogue = load_catalogue(ds.catalogue)
    folders = [report - back for back in reversed(range(size.months))]
    needed = needed_months(catalogue, folders)
    figures = figures_for(catalogue, needed, report, size.seed)
    filler = OpenpyxlFiller if size.fill == "openpyxl" else XmlFiller
    with tempfile.TemporaryDirectory() as tmp:
        for year, rows in needed.items():
            templates = write_templates(catalogue, year, Path(tmp) / str(year).replace("/", "-"))
            for owner, template in zip(catalogue.owners, templates, strict=True):
                layout = _layout(template)
                fill = filler(template, layout)
                for folder in folders:
                    if catalogue.financial_year(folder) != year:
                        continue
                    target = ds.returns / str(folder) / template.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    cells, comments = _entries(layout, rows, figures, folder, size.seed)
                    fill.fill(target, cells, comments, _sign_off(owner.name, folder))
    verify(ds, catalogue, figures)
    done = {"name": name, **asdict(size), "report": str(report), "returns": len(ds.files())}
    (out / "done.json").write_text(json.dumps(done, indent=2))
    if not quiet:
        print(f"  {ds.describe()}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return ds


def verify(ds: Dataset, catalogue: Any, figures: dict[tuple[str, str], dict[Any, Any]]) -> None:
    """Read the set back with scorecard: no errors, nothing to chase, every figure as made."""
    from scorecard.errors import Level
    from scorecard.periods import Month
    from scorecard.returns import read_returns

    read = read_returns(catalogue, ds.returns, Month.parse(ds.month))
    errors = [p for p in read.problems if p.level == Level.ERROR]
    if errors or read.chase:
        shown = "\n".join(p.format() for p in errors[:10])
        raise SystemExit(
            f"generated returns do not read clean ({len(errors)} errors, "
            f"{len(read.chase)} owners to chase):\n{shown}"
        )
    for pair, series in figures.items():
        got = read.figures.get(pair, {})
        for month, value in series.items():
            figure = got.get(month)
            if isinstance(value, str) and value.startswith("n/a"):
                ok = figure is not None and figure.not_available is not None
            elif isinstance(value, str):
                ok = figure is not None and figure.value == int(value.replace(",", ""))
            else:
                ok = figure is not None and figure.value == value
            if not ok:
                raise SystemExit(f"{pair} {month}: generated {value!r}, read back {figure}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="large", help=f"samples, {', '.join(SIZES)}")
    parser.add_argument("--owners", type=int, help="a custom size: owners")
    parser.add_argument("--indicators", type=int, help="a custom size: indicators")
    parser.add_argument("--months", type=int, default=36, help="a custom size: months of returns")
    parser.add_argument("--fill", choices=("xml", "openpyxl"), default="xml")
    parser.add_argument("--out", type=Path, help="where to write a custom size")
    parser.add_argument("--force", action="store_true", help="generate again even if cached")
    args = parser.parse_args(argv)
    if args.owners or args.indicators:
        size = Size(args.owners or 5, args.indicators or 50, args.months, args.fill)
        out = args.out or DATA / f"custom-{_fingerprint(size)}"
        ds = make("custom", size, out, force=args.force)
    else:
        ds = dataset(args.size, force=args.force)
    print(ds.describe())
    print(f"  catalogue {ds.catalogue}")
    print(f"  returns   {ds.returns}  (report month {ds.month})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
