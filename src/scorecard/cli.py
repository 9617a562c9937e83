"""The command line: options -> one library call -> printed report -> exit status.

Exit status: 0 clean; 1 done, with problems listed (errors or warnings; info notes such
as a number typed as text do not count); 2 nothing done (bad options, an unreadable or
invalid catalogue, an unwritable output, `--strict` with a problem). Heavy libraries are
imported inside the commands, so `scorecard --help` stays instant. Every message is one
line; a traceback is shown only with `--debug`.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__

# Defaults, from the current folder: a working folder made by `scorecard init`, or the
# repository with its samples. The first that exists is used.
DEFAULT_CONFIG = "config/indicators.yaml"
DEFAULT_RETURNS = ("returns", "samples/returns")
DEFAULT_TEMPLATES = ("templates", "workbook_templates")

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_NOTHING = 0, 1, 2


# Control codes, line separators, bidirectional overrides and lone surrogates (from a
# damaged string): shown escaped, so a cell's text can neither break a message over
# lines, nor drive or reorder the terminal, nor fail to print.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return {"\t": " ", "\n": "\\n", "\r": "\\r"}.get(char, f"\\u{ord(char):04x}")


def one_line(text: str) -> str:
    """Text from a return or the catalogue, safe to print: one line, no control codes."""
    return _CONTROL.sub(_escape, text)


def _fail(message: str) -> None:
    click.echo(f"scorecard: {one_line(message)}", err=True)


def handle_errors(command: Callable[..., int]) -> Callable[..., None]:
    """Turn ScorecardError into a one-line message and an exit status; keep tracebacks
    for --debug."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        from .errors import CatalogueError, ScorecardError

        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            status = command(*args, **kwargs)
        except CatalogueError as exc:
            if debug:
                traceback.print_exc()
            for problem in exc.problems:
                click.echo(one_line(problem.format()), err=True)
            _fail(f"{len(exc.problems)} catalogue error(s); nothing written")
            status = EXIT_NOTHING
        except ScorecardError as exc:
            if debug:
                traceback.print_exc()
            _fail(str(exc))
            status = EXIT_NOTHING
        except click.ClickException:
            raise
        except KeyboardInterrupt:
            _fail("interrupted; nothing written")
            status = 130
        except Exception as exc:
            if debug:
                traceback.print_exc()
            _fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)")
            status = EXIT_NOTHING
        sys.exit(status)

    return wrapper


def _month(value: str | None) -> Any:
    if value is None:
        return None
    from .periods import Month

    try:
        return Month.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from None


class ReadingProgress:
    """A progress bar on stderr while returns are read: only on a terminal, only when
    there are more than a few, never with --quiet."""

    MIN_FILES = 6

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.bar: Any = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < self.MIN_FILES:
            return
        if self.bar is None:
            self.bar = click.progressbar(
                length=total, label="Reading returns", file=sys.stderr, show_pos=True
            )
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def __enter__(self) -> ReadingProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


class MissingDefault(click.ClickException):
    """A default path that is not there: one line saying how to start, exit 2."""

    exit_code = EXIT_NOTHING

    def show(self, file: Any = None) -> None:
        _fail(self.message)


def _how_to_start(option: str) -> str:
    return (
        f"make a working folder with `scorecard init FOLDER` and run scorecard in it, or "
        f"give {option} PATH"
    )


def _default_config(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    if value is not None:
        return value
    path = Path(DEFAULT_CONFIG)
    if not path.exists():
        raise MissingDefault(
            f"{DEFAULT_CONFIG}: no catalogue in the current folder ({Path.cwd()}); "
            + _how_to_start("--config")
        )
    return path


def _default_returns(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    if value is not None:
        return value
    found = next((Path(p) for p in DEFAULT_RETURNS if Path(p).is_dir()), None)
    if found is None:
        raise MissingDefault(
            f"no returns folder in the current folder ({Path.cwd()}: no "
            f"{' or '.join(p + '/' for p in DEFAULT_RETURNS)}); " + _how_to_start("--returns")
        )
    return found


def _default_templates(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    if value is not None:
        return value
    return next(
        (Path(p) for p in DEFAULT_TEMPLATES if Path(p).is_dir()), Path(DEFAULT_TEMPLATES[0])
    )


config_option = click.option(
    "--config",
    "config",
    callback=_default_config,
    show_default=DEFAULT_CONFIG,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The indicator catalogue (YAML).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scorecard")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
def main(debug: bool) -> None:
    """Compile a monthly performance scorecard from departmental Excel returns.

    The catalogue (config/indicators.yaml) says what is measured, by whom, how each
    value is derived and against which target; the returns carry the monthly figures.
    """


def returns_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--returns DIR and --month, for the commands that compile a month."""
    command = click.option(
        "--month", help="Report month, YYYY-MM (default: the latest with returns)."
    )(command)
    return click.option(
        "--returns",
        "returns_dir",
        callback=_default_returns,
        show_default=f"{' or '.join(DEFAULT_RETURNS)}, the first there is",
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder of returns, laid out as <YYYY-MM>/<owner>.xlsx.",
    )(command)


def cache_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--cache DIR and --no-cache, for the commands that read returns."""
    command = click.option(
        "--no-cache", is_flag=True, help="Read every return afresh; remember nothing."
    )(command)
    return click.option(
        "--cache",
        "cache_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="SCORECARD_CACHE",
        help="Folder remembering returns already read, so a re-run reads only new or "
        "changed ones (default: the user's cache folder, ~/.cache/scorecard; env "
        "SCORECARD_CACHE).",
    )(command)


def _cache_folder(cache_dir: Path | None, no_cache: bool) -> Path | None:
    """The cache folder the options name: none with --no-cache, else the user's."""
    if no_cache:
        return None
    if cache_dir is not None:
        return cache_dir
    from .cache import default_cache_dir

    return default_cache_dir()


# --- the ledger (scorecard.ledger): options, and the commands that read it -------------


def ledger_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--ledger PATH and --no-ledger."""
    command = click.option(
        "--no-ledger", is_flag=True, help="Record nothing in the ledger, and read nothing."
    )(command)
    return click.option(
        "--ledger",
        "ledger",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="SCORECARD_LEDGER",
        help="The ledger recording every return read and pack written (default: the "
        "catalogue's ledger.path, else scorecard-ledger.sqlite beside the returns folder; "
        "env SCORECARD_LEDGER).",
    )(command)


def ledger_place(command: Callable[..., Any]) -> Callable[..., Any]:
    """--config, --returns and --ledger: where the ledger a command reads is."""
    command = click.option(
        "--ledger",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="SCORECARD_LEDGER",
        help="The ledger (default: the catalogue's ledger.path, else scorecard-ledger.sqlite "
        "beside the returns folder; env SCORECARD_LEDGER).",
    )(command)
    command = click.option(
        "--returns",
        "returns_dir",
        callback=_default_returns,
        show_default=f"{' or '.join(DEFAULT_RETURNS)}, the first there is",
        type=click.Path(file_okay=False, path_type=Path),
        help="The returns folder the ledger sits beside.",
    )(command)
    return config_option(command)


accept_option = click.option(
    "--accept-revisions",
    is_flag=True,
    help="Take a return's change to a locked month's figure (default: the locked one stands).",
)


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    from datetime import datetime

    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a time: use YYYY-MM-DDTHH:MM (local time) or a time "
            "`scorecard packs` printed",
            param_hint="--as-of",
        ) from None


def _open_ledger(config: Path, returns_dir: Path, ledger: Path | None) -> Any:
    """The ledger the options name, which must exist (read commands never create one)."""
    from .errors import InputError
    from .ledger import Ledger

    if ledger is None:
        from .catalogue import load_catalogue
        from .revisions import ledger_path

        ledger = ledger_path(load_catalogue(config), returns_dir)
    if not ledger.is_file():
        raise InputError(f"no ledger at {ledger}: compile first, or name it with --ledger")
    return Ledger(ledger)


@main.command()
@click.argument("key", required=False)
@click.option("--month", help="Only this month's figures, YYYY-MM.")
@click.option("--measure", help="Only this measure's figures.")
@ledger_place
@click.option("--json", "as_json", is_flag=True, help="Print the history as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the history as CSV.")
@handle_errors
def history(
    config: Path,
    key: str | None,
    month: str | None,
    measure: str | None,
    returns_dir: Path,
    ledger: Path | None,
    as_json: bool,
    as_csv: bool,
) -> int:
    """Every value a figure has had: when first seen, from which file and cell, signed
    off by whom, with the lead's comment (indicator KEY, or every one)."""
    from .ledger import history as find_history
    from .ledger import history_csv, history_json

    wanted = str(_month(month)) if month else None
    with _open_ledger(config, returns_dir, ledger) as opened:
        rows = find_history(opened, key, month=wanted, measure=measure)
    if as_json:
        _echo_json(history_json(rows))
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
def packs(config: Path, returns_dir: Path, ledger: Path | None, as_json: bool) -> int:
    """The packs compiled, when, and from which returns (their SHA-256)."""
    from dataclasses import asdict

    with _open_ledger(config, returns_dir, ledger) as opened:
        found = opened.packs()
    if as_json:
        _echo_json([asdict(pack) for pack in found])
        return EXIT_CLEAN
    for pack in found:
        click.echo(one_line(pack.describe()))
        for version in pack.inputs:
            click.echo(one_line(f"  {version.path} sha256 {version.sha256[:16]}"))
    click.echo(f"{len(found)} pack(s)")
    return EXIT_CLEAN


@main.command()
@click.argument("month")
@click.option("--note", default="", help="Why the month is locked (e.g. the board's date).")
@ledger_place
@handle_errors
def lock(config: Path, month: str, note: str, returns_dir: Path, ledger: Path | None) -> int:
    """Lock MONTH (YYYY-MM) once its pack has gone to the board: a later change to one of
    its figures is a warning, and the locked figure stands."""
    from .ledger import shown_time

    locked = str(_month(month))
    with _open_ledger(config, returns_dir, ledger) as opened:
        since = opened.lock(locked, note)
        pack = opened.last_pack(month=locked, at=since)
    stands = (
        f"the figures of its pack of {shown_time(pack.compiled_at)} stand"
        if pack is not None
        else "no pack for it yet: its figures stand as the ledger holds them now"
    )
    click.echo(f"{locked} locked since {shown_time(since)}: {stands}")
    return EXIT_CLEAN


@main.command()
@config_option
@click.option(
    "--returns",
    "returns_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also check the returns in this folder (laid out as <YYYY-MM>/<owner>.xlsx).",
)
@click.option("--month", help="The report month, YYYY-MM (default: the latest with returns).")
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Also write the result as JSON to this file, as compile does ('-': print only it).",
)
@cache_options
@handle_errors
def validate(
    config: Path,
    returns_dir: Path | None,
    month: str | None,
    json_path: Path | None,
    cache_dir: Path | None,
    no_cache: bool,
) -> int:
    """Check the catalogue and, with --returns, the returns for a month.

    Exit status: 0 clean, 1 problems in the returns, 2 catalogue errors.
    """
    from .catalogue import load_catalogue

    catalogue = load_catalogue(config)
    if returns_dir is None:
        _echo_catalogue_check(config, catalogue, json_path)
        return EXIT_CLEAN
    from .cache import ReturnCache
    from .errors import Level
    from .returns import latest_month, read_returns

    report_month = _month(month) or latest_month(returns_dir)
    cache = ReturnCache.for_catalogue(_cache_folder(cache_dir, no_cache), catalogue)
    read = read_returns(catalogue, returns_dir, report_month, cache=cache)
    if cache is not None:
        cache.prune()
    errors = [p for p in read.problems if p.level != Level.INFO]
    if json_path is not None:
        from .jsonout import chase_to_json

        _emit_json(
            {
                "month": str(report_month),
                "ok": not errors and not read.chase,
                "chase": chase_to_json(read.chase),
                "problems": [p.as_dict() for p in read.problems],
            },
            json_path,
        )
    if json_path is None or str(json_path) != "-":
        if read.chase:
            click.echo("Returns still to come:")
            for item in read.chase:
                click.echo(one_line(f"  {item.describe()}"))
        for problem in read.problems:
            click.echo(one_line(problem.format(level=True)))
        click.echo(
            f"{report_month.label}: {len(read.files)} return(s) read; "
            + counted(read.problems, len(read.chase))
        )
    return EXIT_PROBLEMS if errors or read.chase else EXIT_CLEAN


def counted(problems: list[Any], chase: int) -> str:
    """What the lines above say, counted by level, and why the exit status is what it is:
    ``2 error(s), 1 warning(s), 3 note(s) for information, 1 owner(s) to chase (exit
    status 1: problems to check, returns to chase)``."""
    levels = [str(p.level) for p in problems]
    errors, warnings, notes = (levels.count(name) for name in ("error", "warning", "info"))
    said = f"{errors + warnings} problem(s) ({errors} error(s), {warnings} warning(s))"
    if notes:
        said += f", {notes} note(s) for information"
    if chase:
        said += f", {chase} owner(s) to chase"
    why = [
        w for w, n in (("problems to check", errors + warnings), ("returns to chase", chase)) if n
    ]
    return said + (f" (exit status 1: {', '.join(why)})" if why else "")


def _echo_catalogue_check(config: Path, catalogue: Any, json_path: Path | None) -> None:
    if json_path is not None:
        summary = {
            "catalogue": str(config),
            "ok": True,
            "objectives": len(catalogue.objectives),
            "indicators": len(catalogue.indicators),
            "owners": len(catalogue.owners),
        }
        _emit_json(summary, json_path)
    if json_path is None or str(json_path) != "-":
        click.echo(f"{config}: ok: {catalogue.summary()}")


def _emit_json(data: Any, json_path: Path) -> None:
    """JSON printed ('-') or written to a file, atomically, as compile writes it."""
    if str(json_path) == "-":
        _echo_json(data)
        return
    from .output import atomic_output

    text = json.dumps(data, indent=2, ensure_ascii=False)
    with atomic_output(json_path) as tmp:
        tmp.write_bytes(text.encode("utf-8", "backslashreplace"))


def _echo_json(data: Any) -> None:
    # A lone surrogate becomes its \\udXXX escape: still JSON, and printable.
    text = json.dumps(data, indent=2, ensure_ascii=False)
    click.echo(text.encode("utf-8", "backslashreplace").decode("utf-8"))


@main.command()
@config_option
@click.option(
    "--year",
    help="Financial year, e.g. 2008/09 (default: the latest the catalogue has targets for).",
)
@click.option("--force", is_flag=True, help="Overwrite templates in the folder that differ.")
@click.option(
    "--month",
    help="Make them for this month's return, YYYY-MM: its due cells marked, the Due "
    "column naming their months (the year: the month's, unless --year says).",
)
@click.option(
    "--out",
    "out_dir",
    callback=_default_templates,
    show_default=f"{' or '.join(DEFAULT_TEMPLATES)}, the first there is",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write one return workbook per owner into.",
)
@handle_errors
def templates(config: Path, year: str | None, month: str | None, out_dir: Path, force: bool) -> int:
    """Write the return workbooks that business-area leads fill in, one per owner."""
    from .catalogue import load_catalogue
    from .templates import template_year, write_templates

    catalogue = load_catalogue(config)
    for_month = _month(month)
    try:
        fy = template_year(catalogue, year, for_month)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--year") from None
    if fy not in catalogue.target_years():
        click.echo(
            f"scorecard: warning: the catalogue has no targets for {fy}: its returns can be "
            "filled in, but no row will be assessed until the targets are added",
            err=True,
        )
    paths = write_templates(catalogue, fy, out_dir, force=force, month=for_month)
    for path in paths:
        click.echo(f"wrote {path}")
    click.echo(f"{len(paths)} template(s) for {fy}")
    return EXIT_CLEAN


def _check_outputs(
    out: Path | None, json_path: Path | None, config: Path, returns_dir: Path
) -> None:
    """Refuse an output that would overwrite an input or the other output."""
    inputs = Path(returns_dir).resolve()
    for option, path in (("--out", out), ("--json", json_path)):
        if path is None:
            continue
        target = path.resolve()
        if target == config.resolve() or target.is_relative_to(inputs):
            raise click.BadParameter(
                f"{path} is an input (the catalogue or inside the returns folder); "
                "write the output elsewhere",
                param_hint=option,
            )
    if json_path is not None and out is not None and json_path.resolve() == out.resolve():
        raise click.BadParameter("--json and --out name the same file", param_hint="--json")


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
@click.option("--strict", is_flag=True, help="Write nothing if any return has a problem.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@cache_options
@ledger_options
@accept_option
@click.option(
    "--as-of",
    "as_of",
    callback=_as_of,
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
    report_month = _month(month)
    _check_outputs(out, json_path, config, returns_dir)  # before any work
    cache = _cache_folder(cache_dir, no_cache)
    books = (ledger, no_ledger, accept_revisions, as_of)
    run, recorder = _compiled(config, returns_dir, report_month, quiet, cache, books)
    try:
        if out is None:
            out = Path("out") / f"scorecard-{run.month}.xlsx"
            _check_outputs(out, json_path, config, returns_dir)
        problems = _echo_problems(run)
        if strict and problems:
            _fail(f"--strict: {len(problems)} problem(s) in the returns; nothing written")
            return EXIT_NOTHING
        written = _write_master(run, out, json_path)
        problems += _echo_problems_of(recorder.record(run, written))
    finally:
        recorder.close()
    if not quiet:
        counts = run.counts()
        summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
        click.echo(one_line(f"wrote {written}" + (f" and {json_path}" if json_path else "")))
        click.echo(f"{run.month.label}: {len(run.results)} indicators: {summary}")
        for item in run.chase:
            click.echo(one_line(f"to chase: {item.describe()}"))
        _echo_changes(run)
        click.echo(f"{len(problems)} problem(s) found{found_detail(problems, len(run.chase))}")
    return EXIT_PROBLEMS if problems or run.chase else EXIT_CLEAN


def _write_master(run: Any, out: Path, json_path: Path | None) -> Path:
    """The master written, and the JSON with it (both or neither)."""
    from .workbook import write_workbook

    if json_path is None:
        return write_workbook(run, out)
    from .jsonout import dumps
    from .output import atomic_output

    # Both or neither: the JSON is moved into place only once the master is written.
    with atomic_output(json_path) as tmp:
        tmp.write_bytes(dumps(run).encode("utf-8", "backslashreplace"))
        return write_workbook(run, out)


def _compiled(
    config: Path,
    returns_dir: Path,
    month: Any,
    quiet: bool,
    cache: Path | None,
    books: tuple[Path | None, bool, bool, Any],
) -> tuple[Any, Any]:
    """The month compiled from the catalogue and the returns, with a progress bar, and
    the ledger's recorder. `books`: --ledger, --no-ledger, --accept-revisions, --as-of."""
    from .catalogue import load_catalogue
    from .revisions import compile_as_of, compile_recorded, ledger_path

    ledger, no_ledger, accept, as_of = books
    catalogue = load_catalogue(config)
    path = None if no_ledger else ledger_path(catalogue, returns_dir, ledger)
    if as_of is not None:
        if path is None:
            raise click.BadParameter("a pack is rebuilt from the ledger", param_hint="--as-of")
        return compile_as_of(catalogue, path, as_of, month)
    with ReadingProgress(enabled=not quiet) as progress:
        return compile_recorded(
            catalogue,
            returns_dir,
            month,
            ledger=path,
            accept_revisions=accept,
            progress=progress,
            cache_dir=cache,
        )


def _echo_problems_of(problems: list[Any]) -> list[Any]:
    for problem in problems:
        click.echo(one_line(problem.format(level=True)), err=True)
    return problems


def _echo_changes(run: Any) -> None:
    """What changed since the last pack, counted (the master's Summary lists them)."""
    changes = run.changes
    if changes is None or not (changes.restated or changes.statuses):
        return
    click.echo(
        f"since the {changes.pack_month.label} pack: {len(changes.restated)} figure(s) "
        f"restated, {len(changes.statuses)} status(es) changed"
    )
    for change in changes.statuses:
        click.echo(one_line(f"  {change.label}: {change.describe()}"))


def _echo_problems(run: Any) -> list[Any]:
    """The run's problems (not its notes) on stderr, a line each with its level."""
    from .errors import Level

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
@click.option("--strict", is_flag=True, help="Write nothing if any return has a problem.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@cache_options
@ledger_options
@accept_option
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
    from .pack import find_office, write_pack

    report_month = _month(month)
    _check_outputs(out, None, config, returns_dir)
    find_office()  # before any work: without LibreOffice there is no pack
    books = (ledger, no_ledger, accept_revisions, None)
    cache = _cache_folder(cache_dir, no_cache)
    run, recorder = _compiled(config, returns_dir, report_month, quiet, cache, books)
    try:
        if out is None:
            out = Path("out") / f"scorecard-{run.month}.pdf"
            _check_outputs(out, None, config, returns_dir)
        problems = _echo_problems(run)
        if strict and problems:
            _fail(f"--strict: {len(problems)} problem(s) in the returns; nothing written")
            return EXIT_NOTHING
        written = write_pack(
            run, out, with_data=with_data, with_issues=with_issues, timeout=timeout
        )
        problems += _echo_problems_of(recorder.record(run, written))
    finally:
        recorder.close()
    if not quiet:
        click.echo(one_line(f"wrote {written}"))
        click.echo(f"{len(problems)} problem(s) found{found_detail(problems, len(run.chase))}")
    return EXIT_PROBLEMS if problems or run.chase else EXIT_CLEAN


@main.command(name="init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="The organisation's name (default: made from the folder's).")
@handle_errors
def init_command(folder: Path, name: str | None) -> int:
    """Make FOLDER a working folder: a catalogue to edit, templates, returns/ and out/.

    Run scorecard inside it: `scorecard compile` there writes a master at once, every
    row waiting for its owner's return. Nothing already there is overwritten.
    """
    from .starter import make_working_folder

    made = make_working_folder(folder, name)
    lines = [
        (made.catalogue, "the catalogue: edit it to be your organisation's (scorecard validate)"),
        (made.root / "templates", f"the return workbooks for {made.year}: send them to the leads"),
        (made.month_folder, f"put the leads' returns for {made.month.label} here"),
        (made.out, "the master workbook is written here"),
    ]
    click.echo(one_line(f"made {made.root} for {made.year}:"))
    for path, what in lines:
        click.echo(one_line(f"  {path}  {what}"))
    click.echo(one_line(f"next: cd {made.root} && scorecard compile"))
    return EXIT_CLEAN
