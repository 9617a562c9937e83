"""Status colours against WCAG 2.2 AA: the shipped catalogues pass, and `validate` warns
with the code, the colour pair and the ratio where a catalogue's do not."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from scorecard.catalogue import contrast_problems, load_catalogue, parse_catalogue
from scorecard.cli import main
from scorecard.colour import contrast
from scorecard.errors import Level
from scorecard.workbook import status_looks

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("config/indicators.yaml", "samples/council/indicators.yaml")


def test_the_wcag_formula() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    # The figures: white on the report's green and red, its light on blue.
    assert contrast("#FFFFFF", "#00B050") == pytest.approx(2.87, abs=0.01)
    assert contrast("#FFFFFF", "#FF0000") == pytest.approx(4.00, abs=0.01)
    assert contrast("#00E050", "#0070C0") == pytest.approx(2.89, abs=0.01)


@pytest.mark.parametrize("path", SHIPPED)
def test_the_shipped_catalogues_pass(path: str) -> None:
    catalogue = load_catalogue(ROOT / path)
    assert contrast_problems(catalogue) == []
    for status, look in status_looks(catalogue.organisation).items():
        need = 3.0 if look.show == "symbol" else 4.5
        assert contrast(look.font, look.fill) >= need, (path, status)


def test_the_starter_catalogue_passes() -> None:
    text = (ROOT / "src/scorecard/starter/indicators.yaml").read_text(encoding="utf-8")
    catalogue = parse_catalogue(text.replace("${year}", "2008/09"), "starter.yaml")
    assert contrast_problems(catalogue) == []


def test_the_default_looks_pass() -> None:
    catalogue = load_catalogue(ROOT / SHIPPED[0])
    bare = catalogue.organisation.model_copy(update={"statuses": {}})
    for status, look in status_looks(bare).items():
        assert look.show == "label"
        assert contrast(look.font, look.fill) >= 4.5, status


def test_validate_warns_with_the_code_the_pair_and_the_ratio(tmp_path: Path) -> None:
    text = (ROOT / SHIPPED[0]).read_text(encoding="utf-8")
    faint = text.replace(
        'fill: "#00B050"\n      font: "#000000"', 'fill: "#00B050"\n      font: "#FFFFFF"'
    )
    assert faint != text
    path = tmp_path / "indicators.yaml"
    path.write_text(faint, encoding="utf-8")
    (problem,) = contrast_problems(load_catalogue(path))
    assert problem.code == "status-contrast" and problem.level is Level.WARNING
    assert "#FFFFFF on #00B050 is 2.87:1" in problem.message and "4.5:1" in problem.message
    result = CliRunner().invoke(main, ["validate", "--config", str(path)])
    assert result.exit_code == 1, result.output
    assert "[status-contrast]" in result.output and "GREEN" in result.output
