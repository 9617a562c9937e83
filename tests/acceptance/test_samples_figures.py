"""The sample returns read clean and reproduce the July 2008 report's published figures."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.workbook_cells import cells

from scorecard.catalogue import Catalogue, load_catalogue
from scorecard.compile import IndicatorResult, assess_all
from scorecard.errors import Level
from scorecard.periods import Month
from scorecard.returns import ReturnsRead, read_returns

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "config" / "indicators.yaml"
RETURNS = ROOT / "samples" / "returns"
JULY = Month(2008, 7)

# indicator key -> the value text the report prints for July 2008
PUBLISHED = {
    "spi-1-1": "77.0%",
    "spi-1-2": "76.9% 72.8% 4.2% pts",
    "spi-1-3": "70.9%",
    "spi-4-1": "22.0%",
    "spi-4-2": "31.4%",
    "spi-4-3": "30.6%",
    "spi-5-2": "down 17,829 offences (-7.8%) 28.04 per 1,000 population",
    "spi-6-2": "11.1%",
    "spi-1-4": "48.2%",
    "spi-2-1": "58.3%",
    "spi-2-2": "51.9%",
    "spi-2-3": "55.2%",
    "pp-walk-day": "97%",
    "pp-walk-dark": "72%",
    "spi-9-1": "189 fewer victims/ -4.9% (12 mths to Mar 2008)",
    "ct-pas-preventing": "5.6",
    "ct-pas-importance": "6.5",
    "ct-disruptions": "2",
    "ct-incidents-scene": "98.7%",
    "ct-explosive-officers": "100%",
    "ct-royal-intrusions": "0",
    "ct-security-events": "100%",
    "ct-coordinator-appointed": "98.4%",
    "ct-ctsa-partners": "100%",
    "events-pas-policing": "5.7",
    "events-bocu-aid": "-0.4% 1.4%",
    "events-organiser-satisfaction": "N/A",
    "events-public-order-training": "11.5% 12.8%",
    "events-emergency-preparedness": "42\n404 plans",
    "spi-5-1": "down 2,881 offences (-3.8%) 9.8 per 1,000 population",
    "spi-5-3": "N/A",
    "spi-5-5": "down 616 offences (-19.5%) 0.34 per 1,000 population",
    "cpa-obtj-violence-sexual": "31.9%",
    "spi-6-1": "39.7%",
    "spi-6-4": "25.5%",
    "spi-5-4": "up by 6 offences (30%) 0.003 per 1,000 pop",
    "cpa-dv-arrests": "34,894 arrests (65.8%)",
    "cpa-youth-violence-victims": "1,132 fewer victims/(-5.1%)",
    "pp-young-victims": "-13.3% (42.3 per 1,000)",
    "spi-6-3": "35.5%",
    "cpa-network-disruptions": "30.8 (monthly average)",
    "cpa-assets-recovered": "206 (monthly average)",
    "spi-8-1": "£2.9m (monthly average)",
    "cpa-class-a-trafficking": "207\n137\n50 (monthly average)",
}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE)


@pytest.fixture(scope="module")
def read(catalogue: Catalogue) -> ReturnsRead:
    return read_returns(catalogue, RETURNS, JULY)


@pytest.fixture(scope="module")
def results(catalogue: Catalogue, read: ReturnsRead) -> dict[str, IndicatorResult]:
    return {r.indicator.key: r for r in assess_all(catalogue, read.figures, JULY)}


def test_samples_read_clean(catalogue: Catalogue, read: ReturnsRead) -> None:
    assert [p.format() for p in read.problems if p.level != Level.INFO] == []
    assert read.chase == []
    owners_with_rows = {i.owner for i in catalogue.indicators if i.measures}
    assert sorted(f.owner for f in read.files) == sorted(owners_with_rows)
    assert read.figures_rejected == 0 and read.figures_used > 500
    assert all(read.sign_offs[f.path].get("Name") for f in read.files)


@pytest.mark.parametrize(("key", "text"), PUBLISHED.items(), ids=list(PUBLISHED))
def test_samples_reproduce_the_published_figure(
    results: dict[str, IndicatorResult], key: str, text: str
) -> None:
    assert results[key].reading.text == text


def test_every_figure_names_its_cell(results: dict[str, IndicatorResult]) -> None:
    reading = results["spi-5-2"].reading
    assert len(reading.sources) == 24
    assert {s.file for s in reading.sources} == {"returns/2008-07/territorial-policing.xlsx"}
    assert all(s.sheet == "Return" for s in reading.sources)


def test_validate_exits_clean_on_the_samples() -> None:
    from scorecard.cli import main

    result = CliRunner().invoke(
        main,
        ["validate", "--config", str(CATALOGUE), "--returns", str(RETURNS), "--month", "2008-07"],
    )
    assert result.exit_code == 0, result.output
    assert "to come" not in result.output


def test_committed_samples_and_templates_match_the_script(tmp_path: Path) -> None:
    """What make_samples.py makes now is what is committed, cell for cell.

    Cells, not bytes: another version of openpyxl or XlsxWriter may lay the same
    workbook out differently. `python samples/make_samples.py --check` compares bytes.
    """
    spec = importlib.util.spec_from_file_location(
        "make_samples", ROOT / "samples" / "make_samples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    try:
        spec.loader.exec_module(module)
        made = module.make()
    finally:
        del sys.modules[spec.name]
    stale = [
        str(path.relative_to(ROOT))
        for path, data in made.items()
        if not path.exists() or cells(path.read_bytes(), tmp_path) != cells(data, tmp_path)
    ]
    assert stale == [], "run: python samples/make_samples.py"
