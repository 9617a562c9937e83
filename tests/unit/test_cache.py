"""Remembering returns: a re-run takes from the cache exactly what reading would give."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scorecard.cache import (
    FORMAT,
    KEEP_DAYS,
    ReturnCache,
    default_cache_dir,
    reading_context,
)
from scorecard.catalogue import Catalogue, load_catalogue
from scorecard.cli import main
from scorecard.periods import Month
from scorecard.returns import ReturnsRead, read_returns
from scorecard.returns import book as returns_book  # where read_return is looked up
from scorecard.xlsx import open_workbook
from tests.robustness.build import CONFIG, SAMPLES, TP, edit_book, set_cell_xml

REPO = Path(__file__).parents[2]
COUNCIL = REPO / "samples" / "council"
JUL = Month(2008, 7)


def snapshot(read: ReturnsRead) -> tuple[Any, ...]:
    """Everything a run takes from the returns."""
    return (
        read.figures,
        read.problems,
        read.chase,
        read.files,
        read.figures_used,
        read.figures_rejected,
        read.commentary,
        read.sign_offs,
    )


def figure_cells(path: Path, month: str, count: int) -> list[str]:
    """The first `count` cells holding a number in the `month` column of a return."""
    with open_workbook(path) as book:
        rows = book.read_sheet("Return").rows()
    header = next(r for r, cells in rows.items() if any(c.value == "Key" for c in cells.values()))
    col = next(c for c, cell in rows[header].items() if cell.value == month)
    found = [
        cells[col].ref
        for r, cells in rows.items()
        if r > header and col in cells and isinstance(cells[col].value, int | float)
    ]
    assert len(found) >= count
    return found[:count]


def bad_returns(root: Path) -> Path:
    """July 2008's returns and a June folder, with a little of everything wrong."""
    returns = root / "returns"
    july, june = returns / "2008-07", returns / "2008-06"
    shutil.copytree(SAMPLES, july)
    shutil.copytree(SAMPLES, june)  # figures for July in a June return: future-month
    tp = july / f"{TP}.xlsx"
    cells = figure_cells(tp, "2008-07", 6)
    set_cell_xml(tp, cells[0], "<f>1+1</f>")  # formula-no-value
    set_cell_xml(tp, cells[1], "<v>#DIV/0!</v>", kind="e")  # excel-error
    set_cell_xml(tp, cells[2], "<is><t>12,345</t></is>", kind="inlineStr")  # number-as-text
    set_cell_xml(tp, cells[3], "<is><t>lots</t></is>", kind="inlineStr")  # not-a-number
    set_cell_xml(tp, cells[4], "<is><t>n/a</t></is>", kind="inlineStr")  # na-without-reason
    set_cell_xml(tp, cells[5], "<v>-3</v>")  # negative-count
    earlier = figure_cells(june / f"{TP}.xlsx", "2008-06", 1)[0]
    set_cell_xml(june / f"{TP}.xlsx", earlier, "<v>999999</v>")  # revised in July
    shutil.copy(july / "surveys.xlsx", july / "surveys-copy.xlsx")  # duplicate-return
    (july / "notes.txt").write_text("not a return")  # unexpected-file
    (july / "corporate.xlsx").write_text("owner,figure\n")  # not-a-workbook
    return returns


def cached_read(catalogue: Catalogue, returns: Path, month: Month, folder: Path, **kw: Any):
    cache = ReturnCache(folder, reading_context(catalogue))
    return read_returns(catalogue, returns, month, cache=cache, **kw), cache


@contextlib.contextmanager
def reads_counted() -> Iterator[list[str]]:
    """The names of the files read from disk (not taken from the cache) meanwhile;
    use with workers=0, so that the count is kept in this process."""
    reads: list[str] = []
    original = returns_book.read_return

    def counting(catalogue: Catalogue, path: Path, *args: Any) -> Any:
        reads.append(path.name)
        return original(catalogue, path, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(returns_book, "read_return", counting)
        yield reads


@pytest.mark.parametrize("which", ["police", "council", "bad"])
def test_a_re_run_takes_from_the_cache_exactly_what_reading_gives(which: str, tmp_path: Path):
    if which == "police":
        catalogue, returns, month = load_catalogue(CONFIG), SAMPLES.parent, JUL
    elif which == "council":
        catalogue = load_catalogue(COUNCIL / "indicators.yaml")
        returns, month = COUNCIL / "returns", Month(2025, 3)
    else:
        catalogue, returns, month = load_catalogue(CONFIG), bad_returns(tmp_path), JUL
    fresh = read_returns(catalogue, returns, month, workers=0)
    cold, first = cached_read(catalogue, returns, month, tmp_path / "cache")
    assert first.hits == 0 and len(fresh.files) >= 5
    with reads_counted() as reads:
        warm, second = cached_read(catalogue, returns, month, tmp_path / "cache", workers=0)
    # Every workbook remembered: none read but the one that is not a workbook, refused
    # again from its first bytes (only returns read to the end are remembered).
    assert reads == (["corporate.xlsx"] if which == "bad" else [])
    assert second.hits >= 1
    assert snapshot(cold) == snapshot(fresh)
    assert snapshot(warm) == snapshot(fresh)
    if which == "bad":
        codes = {p.code for p in warm.problems}
        assert {
            "formula-no-value",
            "excel-error",
            "number-as-text",
            "not-a-number",
            "na-without-reason",
            "negative-count",
            "revised",
            "future-month",
            "duplicate-return",
            "unexpected-file",
            "not-a-workbook",
        } <= codes


def test_a_changed_return_is_read_again(tmp_path: Path):
    catalogue = load_catalogue(CONFIG)
    returns = tmp_path / "returns"
    shutil.copytree(SAMPLES, returns / "2008-07")
    cached_read(catalogue, returns, JUL, tmp_path / "cache")
    tp = returns / "2008-07" / f"{TP}.xlsx"
    cell = figure_cells(tp, "2008-07", 1)[0]
    edit_book(tp, lambda wb: wb["Return"][cell].__setattr__("value", 4321))
    again, cache = cached_read(catalogue, returns, JUL, tmp_path / "cache")
    assert cache.hits == 4  # the other four owners
    assert snapshot(again) == snapshot(read_returns(catalogue, returns, JUL, workers=0))
    assert any(
        figure.value == 4321 and figure.source and figure.source.cell == cell
        for series in again.figures.values()
        for figure in series.values()
    )


def test_a_return_moved_to_another_folder_or_name_is_read_again(tmp_path: Path):
    catalogue = load_catalogue(CONFIG)
    returns = tmp_path / "returns"
    shutil.copytree(SAMPLES, returns / "2008-07")
    cached_read(catalogue, returns, JUL, tmp_path / "cache")
    # Same bytes, other names: the problems name the file, so nothing is shared.
    (returns / "2008-07" / "surveys.xlsx").rename(returns / "2008-07" / "surveys-july.xlsx")
    again, cache = cached_read(catalogue, returns, JUL, tmp_path / "cache")
    assert cache.hits == 4
    assert any(p.code == "file-name" for p in again.problems)


def test_the_reading_context_follows_the_layout_not_the_wording(mini: Catalogue):
    context = reading_context(mini)
    reworded = mini.model_copy(
        update={
            "indicators": [
                i.model_copy(update={"title": i.title + " (reworded)", "notes": "new"})
                for i in mini.indicators
            ]
        }
    )
    assert reading_context(reworded) == context
    first = mini.indicators[0]
    measure = first.measures[0].model_copy(update={"unit": "rate"})
    other_unit = first.model_copy(update={"measures": [measure, *first.measures[1:]]})
    changed = mini.model_copy(update={"indicators": [other_unit, *mini.indicators[1:]]})
    assert reading_context(changed) != context
    fewer = mini.model_copy(update={"owners": mini.owners[1:]})
    assert reading_context(fewer) != context


@pytest.mark.parametrize(
    "damage",
    [
        lambda entry: b"not json",
        lambda entry: b"",
        lambda entry: json.dumps({**json.loads(entry), "format": "other"}).encode(),
        lambda entry: json.dumps({**json.loads(entry), "key": "0" * 64}).encode(),
        lambda entry: json.dumps({**json.loads(entry), "figures": [["k", "m", [[1]]]]}).encode(),
        lambda entry: json.dumps({**json.loads(entry), "used": None, "figures": 3}).encode(),
    ],
    ids=["garbage", "empty", "format", "key", "short-entry", "wrong-shape"],
)
def test_a_damaged_entry_is_read_again(damage: Any, tmp_path: Path):
    catalogue = load_catalogue(CONFIG)
    cached_read(catalogue, SAMPLES.parent, JUL, tmp_path / "cache")
    entries = sorted((tmp_path / "cache" / "returns").glob("*.json"))
    assert len(entries) == 5
    entries[0].write_bytes(damage(entries[0].read_bytes()))
    again, cache = cached_read(catalogue, SAMPLES.parent, JUL, tmp_path / "cache")
    assert cache.hits == 4
    assert snapshot(again) == snapshot(read_returns(catalogue, SAMPLES.parent, JUL, workers=0))


@pytest.mark.parametrize("value", [True, [1, 2], {"a": 1}, "=1+1"])
def test_an_entry_holding_what_the_reader_never_makes_is_not_used(value: Any, tmp_path: Path):
    catalogue = load_catalogue(CONFIG)
    cached_read(catalogue, SAMPLES.parent, JUL, tmp_path / "cache")
    fresh = read_returns(catalogue, SAMPLES.parent, JUL, workers=0)
    for path in (tmp_path / "cache" / "returns").glob("*.json"):
        entry = json.loads(path.read_bytes())
        if not entry["figures"]:
            continue
        _key, _measure, _months, values, cells, _reasons, _problems, _origins = entry["figures"][0]
        if isinstance(value, str):
            cells[0] = None  # a cell that is not a string: refused
        else:
            values[0] = value  # a value that is not a number, text or None: refused
        path.write_text(json.dumps(entry))
    again, cache = cached_read(catalogue, SAMPLES.parent, JUL, tmp_path / "cache")
    assert cache.hits < 5
    assert snapshot(again) == snapshot(fresh)


def test_a_crash_is_not_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    catalogue = load_catalogue(CONFIG)
    original = returns_book.read_return

    def crashing(catalogue: Catalogue, path: Path, *args: Any) -> Any:
        if path.stem == TP:
            os.abort()
        return original(catalogue, path, *args)

    monkeypatch.setattr(returns_book, "read_return", crashing)
    crashed, _ = cached_read(catalogue, SAMPLES.parent, JUL, tmp_path / "cache")
    assert any(p.code == "reader-crashed" for p in crashed.problems)
    monkeypatch.setattr(returns_book, "read_return", original)
    again, cache = cached_read(catalogue, SAMPLES.parent, JUL, tmp_path / "cache")
    assert cache.hits == 4
    assert not any(p.code == "reader-crashed" for p in again.problems)
    assert snapshot(again) == snapshot(read_returns(catalogue, SAMPLES.parent, JUL, workers=0))


def test_an_unwritable_cache_folder_only_means_nothing_is_remembered(tmp_path: Path):
    catalogue = load_catalogue(CONFIG)
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    read, cache = cached_read(catalogue, SAMPLES.parent, JUL, blocked)
    assert cache.stored == 0 and read.ok
    assert snapshot(read) == snapshot(read_returns(catalogue, SAMPLES.parent, JUL, workers=0))


def test_entries_unused_for_over_a_quarter_are_pruned(tmp_path: Path):
    cache = ReturnCache(tmp_path, "context")
    cache.store("old", {"a": 1})
    cache.store("used", {"a": 2})
    cache.store("recent", {"a": 3})
    long_ago = time.time() - (KEEP_DAYS + 1) * 86400
    for key in ("old", "used"):
        os.utime(tmp_path / "returns" / f"{key}.json", (long_ago, long_ago))
    later = ReturnCache(tmp_path, "context")
    assert later.load("used") == {"format": FORMAT, "key": "used", "a": 2}
    later.used("used")
    later.prune()
    assert sorted(p.stem for p in (tmp_path / "returns").glob("*.json")) == ["recent", "used"]


def test_the_default_cache_folder_is_the_users(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "scorecard"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "scorecard"


@pytest.fixture
def no_home(monkeypatch: pytest.MonkeyPatch) -> None:
    """No HOME and no password entry: Path.home() raises, as it does then."""

    def home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(home))


@pytest.mark.usefixtures("no_home")
def test_without_a_home_folder_nothing_is_remembered():
    assert default_cache_dir() is None


@pytest.mark.usefixtures("no_home")
def test_compile_runs_without_a_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("SCORECARD_CACHE")
    code, output = compile_cli(tmp_path)
    assert code == 0, output
    assert (tmp_path / "out" / "master.xlsx").exists()


def compile_cli(tmp_path: Path, *args: str) -> tuple[int, str]:
    runner = CliRunner()
    out = tmp_path / "out" / "master.xlsx"
    result = runner.invoke(
        main,
        [
            "compile",
            "--config",
            str(CONFIG),
            "--returns",
            str(SAMPLES.parent),
            "--out",
            str(out),
            *args,
        ],
    )
    return result.exit_code, result.output


def test_compile_remembers_in_the_folder_it_is_given(tmp_path: Path):
    code, _ = compile_cli(tmp_path, "--cache", str(tmp_path / "mine"))
    assert code == 0
    assert len(list((tmp_path / "mine" / "returns").glob("*.json"))) == 5
    assert not (tmp_path / "out" / ".scorecard-cache").exists()


def test_compile_uses_scorecard_cache_and_no_cache_remembers_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("SCORECARD_CACHE", str(tmp_path / "env"))
    assert compile_cli(tmp_path)[0] == 0
    assert len(list((tmp_path / "env" / "returns").glob("*.json"))) == 5
    shutil.rmtree(tmp_path / "env")
    (tmp_path / "out" / "master.xlsx").unlink()
    assert compile_cli(tmp_path, "--no-cache")[0] == 0
    assert (tmp_path / "out" / "master.xlsx").exists()
    assert not (tmp_path / "env").exists()


def council() -> tuple[Catalogue, Path, Month]:
    return load_catalogue(COUNCIL / "indicators.yaml"), COUNCIL / "returns", Month(2025, 3)


def rerun_after_an_edit(
    tmp_path: Path, folder: str, value: int
) -> tuple[Path, ReturnsRead, ReturnsRead, list[str]]:
    """Council returns read once with a cache; one return of `folder` given `value` in
    its own month; read again. The edited file, the re-run, a fresh read, the files read."""
    catalogue, source, month = council()
    returns = tmp_path / "returns"
    shutil.copytree(source, returns)
    cached_read(catalogue, returns, month, tmp_path / "cache")
    edited = sorted((returns / folder).glob("*.xlsx"))[0]
    cell = figure_cells(edited, folder, 1)[0]
    edit_book(edited, lambda wb: wb["Return"][cell].__setattr__("value", value))
    with reads_counted() as reads:
        again, _ = cached_read(catalogue, returns, month, tmp_path / "cache", workers=0)
    return edited, again, read_returns(catalogue, returns, month, workers=0), reads


def test_deadline_day_reads_only_the_report_months_changed_return(tmp_path: Path):
    late, again, fresh, reads = rerun_after_an_edit(tmp_path, "2025-03", 77)
    assert reads == [late.name]  # the earlier folders' merge and the others remembered
    assert snapshot(again) == snapshot(fresh)


def test_a_change_in_an_earlier_folder_is_merged_again(tmp_path: Path):
    earlier, again, fresh, reads = rerun_after_an_edit(tmp_path, "2024-06", 12345)
    assert reads == [earlier.name]
    assert snapshot(again) == snapshot(fresh)
    assert any(p.code == "revised" and "12,345" in p.message for p in fresh.problems)


def test_a_month_without_a_folder_of_its_own_takes_every_folder_from_the_cache(
    tmp_path: Path,
):
    catalogue, returns, _ = council()
    month = Month(2025, 4)  # after the last folder: every folder is an earlier one
    cached_read(catalogue, returns, month, tmp_path / "cache")
    with reads_counted() as reads:
        again, cache = cached_read(catalogue, returns, month, tmp_path / "cache", workers=0)
    assert reads == [] and cache.hits == 1  # the merge of every folder, whole
    assert snapshot(again) == snapshot(read_returns(catalogue, returns, month, workers=0))


def test_a_new_months_first_compile_takes_last_months_merge_and_adds_one_folder(
    tmp_path: Path,
):
    catalogue, returns, month = council()  # quarterly: 2024-12, then 2025-03
    last = Month(2024, 12)
    cached_read(catalogue, returns, last, tmp_path / "cache")  # last quarter's compile
    with reads_counted() as reads:
        again, cache = cached_read(catalogue, returns, month, tmp_path / "cache", workers=0)
    assert sorted(reads) == sorted(p.name for p in (returns / "2025-03").glob("*.xlsx"))
    # last quarter's merge of the folders before it (1), then its own folder's returns
    assert cache.hits == 1 + len(list((returns / "2024-12").glob("*.xlsx")))
    assert snapshot(again) == snapshot(read_returns(catalogue, returns, month, workers=0))
    with reads_counted() as reads:  # and this quarter's merge is kept for the next
        _, cache = cached_read(catalogue, returns, month, tmp_path / "cache", workers=0)
    assert reads == [] and cache.hits == 1 + len(list((returns / "2025-03").glob("*.xlsx")))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: {**data, "kind": "other"},
        lambda data: {**data, "figures": [["k", "m", [1], [True], ["A1"], [None], [None], [0]]]},
        lambda data: {**data, "figures": [["k", "m", [1], [1], ["A1"], [None], [None], [99]]]},
        lambda data: {**data, "latest": {"x": {"display": "x"}}},
        lambda data: {**data, "files": [["a", "b", "not a month", "", 0, 0]]},
    ],
    ids=["kind", "value", "origin", "latest", "files"],
)
def test_a_damaged_merge_of_earlier_folders_is_merged_again(damage: Any, tmp_path: Path):
    catalogue, returns, month = council()
    cached_read(catalogue, returns, month, tmp_path / "cache")
    entries = [
        (path, json.loads(path.read_bytes()))
        for path in (tmp_path / "cache" / "returns").glob("*.json")
    ]
    (path, data), *_ = [(p, d) for p, d in entries if d.get("kind") == "merged-folders"]
    path.write_text(json.dumps(damage(data)))
    again, _ = cached_read(catalogue, returns, month, tmp_path / "cache", workers=0)
    assert snapshot(again) == snapshot(read_returns(catalogue, returns, month, workers=0))


def test_validate_remembers_returns_too_and_says_the_same(tmp_path: Path):
    runner = CliRunner()
    args = ["validate", "--config", str(CONFIG), "--returns", str(SAMPLES.parent)]
    first = runner.invoke(main, [*args, "--cache", str(tmp_path / "mine")])
    assert first.exit_code == 0, first.output
    assert len(list((tmp_path / "mine" / "returns").glob("*.json"))) == 5
    again = runner.invoke(main, [*args, "--cache", str(tmp_path / "mine")])
    afresh = runner.invoke(main, [*args, "--no-cache", "--cache", str(tmp_path / "unused")])
    assert again.output == first.output == afresh.output
    assert not (tmp_path / "unused").exists()
