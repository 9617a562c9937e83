"""The library's entry point: options in, one call, a result to deliver and record."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scorecard.api import CompileOptions, compile_month, open_ledger
from scorecard.errors import InputError, OutputError
from scorecard.workbook import write_workbook

REPO = Path(__file__).parents[2]


@pytest.fixture
def options(tmp_path: Path) -> CompileOptions:
    returns = tmp_path / "returns"
    shutil.copytree(REPO / "samples" / "returns", returns)
    (returns / "2008-07" / "surveys.xlsx").unlink()  # one owner to chase
    return CompileOptions(
        config=REPO / "config" / "indicators.yaml",
        returns=returns,
        ledger=tmp_path / "ledger.sqlite",
        workers=0,
    )


def test_compile_deliver_and_record_a_month(options: CompileOptions, tmp_path: Path) -> None:
    with compile_month(options) as month:
        assert [c.owner for c in month.run.chase] == ["surveys"]
        assert month.ledger == tmp_path / "ledger.sqlite"
        done = month.deliver(tmp_path / "master.xlsx", write_workbook)
    assert done.path == tmp_path / "master.xlsx" and done.path.is_file()
    assert done.problems == []
    with open_ledger(options.ledger or Path()) as ledger:
        (pack,) = ledger.packs()
    assert pack.master == str(done.path) and len(pack.inputs) == 4


def test_closing_unrecorded_records_nothing(options: CompileOptions) -> None:
    with compile_month(options):
        pass  # not delivered: nothing written, nothing recorded
    with open_ledger(options.ledger or Path()) as ledger:
        assert ledger.packs() == []


def test_an_output_naming_the_ledger_is_refused_before_any_work(
    options: CompileOptions,
) -> None:
    named = CompileOptions(**{**options.__dict__, "outputs": (("--out", options.ledger),)})
    with pytest.raises(OutputError, match="--out"):
        compile_month(named)
    assert options.ledger is not None and not options.ledger.exists()


def test_as_of_needs_the_ledger_and_a_missing_ledger_is_not_made(
    options: CompileOptions, tmp_path: Path
) -> None:
    from datetime import datetime

    unrecorded = CompileOptions(**{**options.__dict__, "record": False, "as_of": datetime.now()})
    with pytest.raises(InputError, match="--no-ledger"):
        compile_month(unrecorded)
    with pytest.raises(InputError, match="no ledger at"):
        open_ledger(tmp_path / "none.sqlite")
    assert not (tmp_path / "none.sqlite").exists()
