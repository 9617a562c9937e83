"""Shared fixtures: a small catalogue, its templates, and filling a return like a lead."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scorecard.catalogue import Catalogue, load_catalogue
from scorecard.periods import FinancialYear
from scorecard.templates import write_templates

FIXTURES = Path(__file__).parent / "fixtures"
YEAR = FinancialYear(2008)

# (key, measure, "YYYY-MM") -> what the lead types
Entries = Mapping[tuple[str, str, str], Any]


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test has a cache folder of its own: none reads what another remembered, and
    none writes to the user's cache folder."""
    monkeypatch.setenv("SCORECARD_CACHE", str(tmp_path / "scorecard-cache"))


@pytest.fixture(autouse=True)
def _own_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test has a ledger of its own, never one beside the samples' returns."""
    monkeypatch.setenv("SCORECARD_LEDGER", str(tmp_path / "scorecard-ledger.sqlite"))


@pytest.fixture(autouse=True, scope="module")
def _module_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """... and so has each module's own fixtures (made before a test's autouse ones), and
    a cache folder of their own: no test writes to the user's cache folder."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("ledger")
        patch.setenv("SCORECARD_LEDGER", str(folder / "scorecard-ledger.sqlite"))
        patch.setenv("SCORECARD_CACHE", str(folder / "scorecard-cache"))
        yield


@pytest.fixture(scope="session")
def mini() -> Catalogue:
    return load_catalogue(FIXTURES / "mini.yaml")


@pytest.fixture(scope="session")
def mini_templates(mini: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("templates")
    write_templates(mini, YEAR, out)
    return out


def fill_return(template: Path, out: Path, entries: Entries, *, sign: bool = True) -> dict:
    """Fill a template with openpyxl as a lead would; returns {(key, measure, month): cell}."""
    wb = openpyxl.load_workbook(template)
    ws = wb["Return"]
    header_row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Key")
    cols = {ws.cell(header_row, c).value: c for c in range(1, ws.max_column + 1)}
    rows = {
        (ws.cell(r, 1).value, ws.cell(r, 3).value): r
        for r in range(header_row + 1, ws.max_row + 1)
        if ws.cell(r, 1).value
    }
    where = {}
    for (key, measure, month), value in entries.items():
        cell = ws.cell(rows[(key, measure)], cols[month])
        cell.value = value
        where[(key, measure, month)] = cell.coordinate
    if sign:
        info = wb["Instructions"]
        for row in info.iter_rows():
            label = row[0].value
            if label == "Name":
                row[1].value = "A. Lead"
            elif label == "Role":
                row[1].value = "Performance manager"
            elif label == "Date":
                row[1].value = datetime(2008, 8, 12)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return where


@pytest.fixture
def fill(mini_templates: Path) -> Callable[..., dict]:
    def _fill(owner: str, out: Path, entries: Entries, **kwargs: Any) -> dict:
        return fill_return(mini_templates / f"{owner}.xlsx", out, entries, **kwargs)

    return _fill
