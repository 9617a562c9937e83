"""The commands that compile a month: compile (the master), pack (the PDF)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..destinations import check_destination, is_stdout
from .app import (
    EXIT_CLEAN,
    EXIT_NOTHING,
    EXIT_PROBLEMS,
    ReadingProgress,
    cache_folder,
    config_option,
    fail,
    handle_errors,
    main,
    one_line,
    parse_as_of,
    parse_month,
    returns_options,
    run_options,
)
from .streams import SHOWN_AS, check_streams, emit, emit_text, report_stream

if TYPE_CHECKING:
    from ..api import CompiledMonth
    from ..periods import Month
    from ..result import RunResult


def check_outputs(
    out: Path | None, json_path: Path | None, config: Path, returns_dir: Path
) -> None:
    """Refuse an output that would overwrite an input, the other output, a database or
    what is not a file (see `scorecard.destinations`)."""
    inputs = Path(returns_dir).resolve()
    for option, path in (("--out", out), ("--json", json_path)):
        check_destination(option, path)
        if path is None or is_stdout(path):
            continue
        target = path.resolve()
        if target == config.resolve() or target.is_relative_to(inputs):
            raise click.BadParameter(
                f"{path} is an input (the catalogue or inside the returns folder); "
                "write the output elsewhere",
                param_hint=option,
            )
    same = json_path is not None and out is not None and json_path.resolve() == out.resolve()
    if same and not is_stdout(out):
        raise click.BadParameter("--json and --out name the same file", param_hint="--json")
    check_streams([("--out", out), ("--json", json_path)], binary=("--out",))


@main.command(name="compile")
@config_option
@returns_options
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Master workbook to write (default: out/scorecard-YYYY-MM.xlsx).",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the results as JSON to this file.",
)
@run_options
@click.option(
    "--as-of",
    "as_of",
    callback=parse_as_of,
    help="Rebuild the pack from what the ledger knew at this time, YYYY-MM-DDTHH:MM "
    "(local time), instead of reading the returns.",
)
@handle_errors
def compile_command(
    config: Path,
    returns_dir: Path,
    month: str | None,
    out: Path | None,
    json_path: Path | None,
    strict: bool,
    quiet: bool,
    cache_dir: Path | None,
    no_cache: bool,
    ledger: Path | None,
    no_ledger: bool,
    accept_revisions: bool,
    as_of: Any,
) -> int:
    """Compile the master workbook for a month from the catalogue and the returns.

    Exit status: 0 written and clean; 1 written, with problems listed; 2 nothing written.
    """
    report_month = parse_month(month)
    check_outputs(out, json_path, config, returns_dir)  # before any work
    cache = cache_folder(cache_dir, no_cache)
    books = (ledger, no_ledger, accept_revisions, as_of)
    outputs = (("--out", out), ("--json", json_path))
    month_compiled = compiled(config, returns_dir, report_month, quiet, cache, books, outputs)
    run = month_compiled.run
    place = (out, json_path, config, returns_dir)
    done = delivered(
        month_compiled, place, ".xlsx", strict, lambda run, to: write_master(run, to, json_path)
    )
    if done is None:
        return EXIT_NOTHING
    written, problems = done
    if not quiet:
        err = report_stream(out, json_path)  # standard output carries the data
        counts = run.counts()
        summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
        wrote = f"wrote {shown(written)}" + (f" and {shown(json_path)}" if json_path else "")
        click.echo(one_line(wrote), err=err)
        click.echo(f"{run.month.label}: {len(run.results)} indicators: {summary}", err=err)
        for item in run.chase:
            click.echo(one_line(f"to chase: {item.describe()}"), err=err)
        echo_changes(run, err=err)
        click.echo(
            f"{len(problems)} problem(s) found{found_detail(problems, len(run.chase))}", err=err
        )
    return EXIT_PROBLEMS if problems or run.chase else EXIT_CLEAN


def shown(path: Path | None) -> str:
    """An output's path as the report names it."""
    return SHOWN_AS if is_stdout(path) else str(path)


def delivered(
    month: CompiledMonth,
    place: tuple[Path | None, Path | None, Path, Path],
    suffix: str,
    strict: bool,
    write: Callable[[RunResult, Path], Path],
) -> tuple[Path, list[Any]] | None:
    """The month's output written (to `out`, else out/scorecard-YYYY-MM`suffix`) and
    recorded in the ledger (`CompiledMonth.deliver`), with the problems printed; None
    where --strict refuses."""
    out, json_path, config, returns_dir = place
    run = month.run
    with month:
        if out is None:
            out = Path("out") / f"scorecard-{run.month}{suffix}"
            check_outputs(out, json_path, config, returns_dir)
        problems = echo_problems(run)
        if strict and problems:
            fail(f"--strict: {len(problems)} problem(s) in the returns; nothing written")
            return None

        def written_as(run: RunResult, to: Path) -> Path:
            written = write(run, to)  # the ledger records standard output as "-"
            return Path(SHOWN_AS) if is_stdout(written) else written

        done = month.deliver(out, written_as)
        problems += echo_problems_of(done.problems)
    return (out if is_stdout(out) else done.path), problems


def write_master(run: Any, out: Path, json_path: Path | None) -> Path:
    """The master written, and the JSON with it (both or neither); either may be
    standard output (``-``)."""
    from ..workbook import write_workbook

    def master(to: Path) -> Path:
        return write_workbook(run, to)

    if json_path is None:
        return emit(out, master, ".xlsx")
    from ..jsonout import dumps
    from ..output import atomic_output

    data = dumps(run).encode("utf-8", "backslashreplace")
    if is_stdout(json_path):  # printed once the master is written
        written = emit(out, master, ".xlsx")
        emit_text(data)
        return written
    # Both or neither: the JSON is moved into place only once the master is written.
    with atomic_output(json_path) as tmp:
        tmp.write_bytes(data)
        return emit(out, master, ".xlsx")


def compiled(
    config: Path,
    returns_dir: Path,
    month: Month | None,
    quiet: bool,
    cache: Path | None,
    books: tuple[Path | None, bool, bool, datetime | None],
    outputs: tuple[tuple[str, Path | None], ...] = (),
) -> CompiledMonth:
    """The month compiled by the library (`scorecard.api.compile_month`), with a
    progress bar. `books`: --ledger, --no-ledger, --accept-revisions, --as-of; `outputs`
    (option, path) are refused where they name the ledger."""
    from ..api import CompileOptions, compile_month

    ledger, no_ledger, accept, as_of = books
    if as_of is not None and no_ledger:
        raise click.BadParameter("a pack is rebuilt from the ledger", param_hint="--as-of")
    with ReadingProgress(enabled=not quiet and as_of is None) as progress:
        return compile_month(
            CompileOptions(
                config=config,
                returns=returns_dir,
                month=month,
                cache=cache,
                ledger=ledger,
                record=not no_ledger,
                accept_revisions=accept,
                as_of=as_of,
                progress=progress,
                outputs=outputs,
            )
        )


def echo_problems_of(problems: list[Any]) -> list[Any]:
    for problem in problems:
        click.echo(one_line(problem.format(level=True)), err=True)
    return problems


def echo_changes(run: Any, *, err: bool = False) -> None:
    """What changed since the last pack, counted (the master's Summary lists them)."""
    changes = run.changes
    if changes is None or not (changes.restated or changes.statuses):
        return
    click.echo(
        f"since the {changes.pack_month.label} pack: {len(changes.restated)} figure(s) "
        f"restated, {len(changes.statuses)} status(es) changed",
        err=err,
    )
    for change in changes.statuses:
        click.echo(one_line(f"  {change.label}: {change.describe()}"), err=err)


def echo_problems(run: Any) -> list[Any]:
    """The run's problems (not its notes) on stderr, a line each with its level."""
    from ..errors import Level

    problems = [p for p in run.problems if p.level != Level.INFO]
    for problem in problems:
        click.echo(one_line(problem.format(level=True)), err=True)
    return problems


def found_detail(problems: list[Any], chase: int) -> str:
    """After "N problem(s) found": the levels, the owners to chase, and why the exit
    status is 1 when it is: `` (1 error(s), 2 warning(s); 3 owner(s) to chase; exit
    status 1: problems to check, returns to chase)``."""
    if not problems and not chase:
        return ""
    levels = [str(p.level) for p in problems]
    parts = []
    if problems:
        parts.append(f"{levels.count('error')} error(s), {levels.count('warning')} warning(s)")
    if chase:
        parts.append(f"{chase} owner(s) to chase")
    why = [w for w, n in (("problems to check", len(problems)), ("returns to chase", chase)) if n]
    return f" ({'; '.join(parts)}; exit status 1: {', '.join(why)})"


@main.command(name="pack")
@config_option
@returns_options
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Board pack to write, as PDF (default: out/scorecard-YYYY-MM.pdf).",
)
@click.option("--with-data", is_flag=True, help="Add the Data sheet to the pack.")
@click.option("--with-issues", is_flag=True, help="Add the Issues sheet to the pack.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=300,
    show_default=True,
    help="Seconds LibreOffice may take to write the PDF.",
)
@run_options
@handle_errors
def pack_command(
    config: Path,
    returns_dir: Path,
    month: str | None,
    out: Path | None,
    with_data: bool,
    with_issues: bool,
    timeout: float,
    strict: bool,
    quiet: bool,
    cache_dir: Path | None,
    no_cache: bool,
    ledger: Path | None,
    no_ledger: bool,
    accept_revisions: bool,
) -> int:
    """Write the board pack: the Summary and each objective sheet as one PDF, through
    LibreOffice headless.

    Exit status: 0 written and clean; 1 written, with problems listed; 2 nothing written
    (LibreOffice missing or failing included).
    """
    from ..pack import find_office, write_pack

    report_month = parse_month(month)
    check_outputs(out, None, config, returns_dir)
    find_office()  # before any work: without LibreOffice there is no pack
    books = (ledger, no_ledger, accept_revisions, None)
    cache = cache_folder(cache_dir, no_cache)
    outputs = (("--out", out),)
    month_compiled = compiled(config, returns_dir, report_month, quiet, cache, books, outputs)
    run = month_compiled.run

    def write(run: RunResult, to: Path) -> Path:
        def pdf(target: Path) -> Path:
            return write_pack(
                run, target, with_data=with_data, with_issues=with_issues, timeout=timeout
            )

        return emit(to, pdf, ".pdf")

    place = (out, None, config, returns_dir)
    done = delivered(month_compiled, place, ".pdf", strict, write)
    if done is None:
        return EXIT_NOTHING
    written, problems = done
    if not quiet:
        err = report_stream(out)
        click.echo(one_line(f"wrote {shown(written)}"), err=err)
        click.echo(
            f"{len(problems)} problem(s) found{found_detail(problems, len(run.chase))}", err=err
        )
    return EXIT_PROBLEMS if problems or run.chase else EXIT_CLEAN
