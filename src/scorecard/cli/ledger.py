"""The commands that read the ledger: history, packs, lock, check-ledger."""

from __future__ import annotations

from pathlib import Path

import click

from .app import (
    EXIT_CLEAN,
    EXIT_PROBLEMS,
    echo_json,
    handle_errors,
    ledger_place,
    main,
    one_line,
    open_ledger,
    parse_month,
)


@main.command()
@click.argument("key", required=False)
@click.option("--month", help="Only this month's figures, YYYY-MM.")
@click.option("--measure", help="Only this measure's figures.")
@ledger_place
@click.option("--json", "as_json", is_flag=True, help="Print the history as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the history as CSV.")
@handle_errors
def history(
    config: Path | None,
    key: str | None,
    month: str | None,
    measure: str | None,
    returns_dir: Path | None,
    ledger: Path | None,
    as_json: bool,
    as_csv: bool,
) -> int:
    """Every value a figure has had: when first seen, from which file and cell, signed
    off by whom, with the lead's comment (indicator KEY, or every one)."""
    from ..ledger import history as find_history
    from ..ledger import history_csv, history_json

    wanted = str(parse_month(month)) if month else None
    with open_ledger(config, returns_dir, ledger) as opened:
        rows = find_history(opened, key, month=wanted, measure=measure)
        if key is not None and not rows and not find_history(opened, key):
            from ..errors import InputError

            raise InputError(
                f"'{key}' is not an indicator key the ledger {opened.path} holds figures "
                "for: check the key (`scorecard history` lists every figure)"
            )
    if as_json:
        echo_json(history_json(rows))
    elif as_csv:
        click.echo(history_csv(rows), nl=False)
    else:
        for row in rows:
            click.echo(one_line(row.describe()))
        click.echo(f"{len(rows)} value(s)")
    return EXIT_CLEAN


@main.command()
@ledger_place
@click.option("--json", "as_json", is_flag=True, help="Print the packs as JSON.")
@handle_errors
def packs(config: Path | None, returns_dir: Path | None, ledger: Path | None, as_json: bool) -> int:
    """The packs compiled, when, and from which returns (their SHA-256), each marked as
    the board's pack of its month, a draft, the latest (not settled yet), one compiled
    after the board's, or one rebuilt with --as-of."""
    from ..ledger.boards import describe, listing

    with open_ledger(config, returns_dir, ledger) as opened:
        found = listing(opened.packs(), opened.locks())
    if as_json:
        echo_json(found)
        return EXIT_CLEAN
    for pack in found:
        click.echo(one_line(describe(pack)))
        for version in pack["inputs"]:
            click.echo(one_line(f"  {version['path']} sha256 {version['sha256'][:16]}"))
    click.echo(f"{len(found)} pack(s)")
    return EXIT_CLEAN


@main.command()
@click.argument("month")
@click.option("--note", default="", help="Why the month is locked (e.g. the board's date).")
@ledger_place
@handle_errors
def lock(
    config: Path | None, month: str, note: str, returns_dir: Path | None, ledger: Path | None
) -> int:
    """Lock MONTH (YYYY-MM) once its pack has gone to the board: a later change to one of
    its figures is a warning, and the locked figure stands."""
    from ..ledger import shown_time
    from ..ledger.times import shown_times

    locked = str(parse_month(month))
    with open_ledger(config, returns_dir, ledger, write=True) as opened:
        since = opened.lock(locked, note)
        pack = opened.last_pack(month=locked, at=since)
        # Printed as `packs` prints it, so that typed back to --as-of it names this pack.
        shown = shown_times(p.compiled_at for p in opened.packs())
    stands = (
        f"the figures of its pack {pack.id} of {shown[pack.compiled_at]} stand"
        if pack is not None
        else "no pack for it yet: its figures stand as the ledger holds them now"
    )
    click.echo(f"{locked} locked since {shown_time(since)}: {stands}")
    return EXIT_CLEAN


@main.command(name="check-ledger")
@ledger_place
@handle_errors
def check_ledger(config: Path | None, returns_dir: Path | None, ledger: Path | None) -> int:
    """Check the whole ledger file, page by page (opening it checks only its header):
    each fault found, or that it is sound. Exit status: 0 sound, 1 faults, 2 no ledger."""
    from ..ledger import integrity

    with open_ledger(config, returns_dir, ledger) as opened:
        path = opened.path
        counts = opened.counts()
    faults = integrity(path)
    for fault in faults:
        click.echo(one_line(f"{path}: {fault}"), err=True)
    if faults:
        click.echo(
            one_line(
                f"{path}: damaged ({len(faults)} fault(s)): recover it (sqlite3 {path.name} "
                "'.recover') or restore a backup"
            )
        )
        return EXIT_PROBLEMS
    click.echo(one_line(f"{path}: sound ({counts[0]} return version(s), {counts[1]} pack(s))"))
    return EXIT_CLEAN
