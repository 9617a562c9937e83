"""The command group, and what every command shares: its options, the defaults found
from the current folder, one-line messages and the exit status."""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .. import __version__

# Defaults, from the current folder: a working folder made by `scorecard init`, or the
# repository with its samples. The first that exists is used.
DEFAULT_CONFIG = "config/indicators.yaml"
DEFAULT_RETURNS = ("returns", "samples/returns")
DEFAULT_TEMPLATES = ("templates", "workbook_templates")

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_NOTHING = 0, 1, 2
# What a shell reports for a tool ended by a closed pipe (128 + SIGPIPE), as `yes | head`.
EXIT_PIPE_CLOSED = 141


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


def fail(message: str) -> None:
    click.echo(f"scorecard: {one_line(message)}", err=True)


def handle_errors(command: Callable[..., int]) -> Callable[..., None]:
    """Turn ScorecardError into a one-line message and an exit status; keep tracebacks
    for --debug."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        from ..errors import CatalogueError, ScorecardError

        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            status = command(*args, **kwargs)
            sys.stdout.flush()  # a closed pipe is met here, not at exit
        except BrokenPipeError:
            status = pipe_closed()
        except CatalogueError as exc:
            if debug:
                traceback.print_exc()
            for problem in exc.problems:
                click.echo(one_line(problem.format()), err=True)
            fail(f"{len(exc.problems)} catalogue error(s); nothing written")
            status = EXIT_NOTHING
        except ScorecardError as exc:
            if debug:
                traceback.print_exc()
            fail(str(exc))
            status = EXIT_NOTHING
        except click.ClickException:
            raise
        except KeyboardInterrupt:
            fail("interrupted; nothing written")
            status = 130
        except Exception as exc:
            if debug:
                traceback.print_exc()
            fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)")
            status = EXIT_NOTHING
        sys.exit(status)

    return wrapper


def pipe_closed() -> int:
    """The reader of standard output went away (`scorecard history | head -1`): end
    quietly, as Unix tools do, without a message or a complaint when Python exits."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # what is still buffered goes nowhere
    os.close(devnull)
    return EXIT_PIPE_CLOSED


def parse_month(value: str | None) -> Any:
    if value is None:
        return None
    from ..periods import Month

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
        fail(self.message)


def _how_to_start(option: str) -> str:
    return (
        f"make a working folder with `scorecard init FOLDER` and run scorecard in it, or "
        f"give {option} PATH"
    )


def default_config(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    if value is not None:
        return value
    path = Path(DEFAULT_CONFIG)
    if not path.exists():
        raise MissingDefault(
            f"{DEFAULT_CONFIG}: no catalogue in the current folder ({Path.cwd()}); "
            + _how_to_start("--config")
        )
    return path


def default_returns(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    if value is not None:
        return value
    found = next((Path(p) for p in DEFAULT_RETURNS if Path(p).is_dir()), None)
    if found is None:
        raise MissingDefault(
            f"no returns folder in the current folder ({Path.cwd()}: no "
            f"{' or '.join(p + '/' for p in DEFAULT_RETURNS)}); " + _how_to_start("--returns")
        )
    return found


def default_templates(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    if value is not None:
        return value
    return next(
        (Path(p) for p in DEFAULT_TEMPLATES if Path(p).is_dir()), Path(DEFAULT_TEMPLATES[0])
    )


_NO_PARAM: Any = None  # the callbacks below, called for an option given another way

config_option = click.option(
    "--config",
    "config",
    callback=default_config,
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


def returns_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--returns DIR, found from the current folder when not given."""
    return click.option(
        "--returns",
        "returns_dir",
        callback=default_returns,
        show_default=f"{' or '.join(DEFAULT_RETURNS)}, the first there is",
        type=click.Path(file_okay=False, path_type=Path),
        help=help_text,
    )


def returns_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--returns DIR and --month, for the commands that compile a month."""
    command = click.option(
        "--month", help="Report month, YYYY-MM (default: the latest with returns)."
    )(command)
    return returns_option("Folder of returns, laid out as <YYYY-MM>/<owner>.xlsx.")(command)


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


def cache_folder(cache_dir: Path | None, no_cache: bool) -> Path | None:
    """The cache folder the options name: none with --no-cache, else the user's."""
    if no_cache:
        return None
    if cache_dir is not None:
        return cache_dir
    from ..cache import default_cache_dir

    return default_cache_dir()


# --- the ledger (scorecard.ledger): options, and the commands that read it -------------


def no_stdout_ledger(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Any:
    if value is not None and str(value) == "-":
        raise click.BadParameter(
            "the ledger is a database file, not a stream: name a file", param_hint="--ledger"
        )
    return value


ledger_option = click.option(
    "--ledger",
    "ledger",
    callback=no_stdout_ledger,
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="SCORECARD_LEDGER",
    help="The ledger recording every return read and pack written (default: the "
    "catalogue's ledger.path, else scorecard-ledger.sqlite beside the returns folder; "
    "env SCORECARD_LEDGER).",
)


def ledger_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--ledger PATH and --no-ledger."""
    command = click.option(
        "--no-ledger",
        is_flag=True,
        help="Record nothing in the ledger (locked months' figures are still read from it, "
        "read-only).",
    )(command)
    return ledger_option(command)


def ledger_place(command: Callable[..., Any]) -> Callable[..., Any]:
    """--ledger, else --config and --returns: where the ledger a command reads is. With
    --ledger (or SCORECARD_LEDGER) neither the catalogue nor the returns are needed."""
    command = ledger_option(command)
    command = click.option(
        "--returns",
        "returns_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="The returns folder the ledger sits beside, where --ledger is not given "
        f"(default: {' or '.join(DEFAULT_RETURNS)}, the first there is).",
    )(command)
    return click.option(
        "--config",
        "config",
        type=click.Path(dir_okay=False, path_type=Path),
        help="The catalogue naming the ledger's place, where --ledger is not given "
        f"(default: {DEFAULT_CONFIG}).",
    )(command)


accept_option = click.option(
    "--accept-revisions",
    is_flag=True,
    help="Take a return's change to a locked month's figure (default: the locked one stands).",
)


def run_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """What every command that compiles a month and writes it takes: --strict, --quiet,
    the cache's options, the ledger's and --accept-revisions."""
    for option in (
        accept_option,
        ledger_options,
        cache_options,
        click.option("--quiet", "-q", is_flag=True, help="Print only problems."),
        click.option("--strict", is_flag=True, help="Write nothing if any return has a problem."),
    ):
        command = option(command)
    return command


def parse_as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    from ..ledger.times import parse_time

    try:
        return parse_time(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a time: use YYYY-MM-DD HH:MM[:SS] (local time), or a time "
            "`scorecard packs` printed (2008-08-05 10:00:03 UTC)",
            param_hint="--as-of",
        ) from None


def find_ledger(config: Path | None, returns_dir: Path | None, ledger: Path | None) -> Path:
    """The ledger the options name: --ledger, else the catalogue's place for it (the
    catalogue and the returns folder found from the current folder when not given)."""
    if ledger is not None:
        return ledger
    from ..catalogue import load_catalogue
    from ..revisions import ledger_path

    try:
        config = default_config(click.get_current_context(), _NO_PARAM, config)
        returns_dir = default_returns(click.get_current_context(), _NO_PARAM, returns_dir)
    except MissingDefault as exc:
        raise MissingDefault(f"{exc.message}, or name the ledger with --ledger PATH") from None
    return ledger_path(load_catalogue(config), returns_dir)


def open_ledger(
    config: Path | None, returns_dir: Path | None, ledger: Path | None, *, write: bool = False
) -> Any:
    """The ledger the options name, which must exist (these commands never create one);
    opened to read only, unless `write` (`scorecard.api.open_ledger`)."""
    from ..api import open_ledger as opened

    return opened(find_ledger(config, returns_dir, ledger), write=write)


def echo_json(data: Any) -> None:
    # A lone surrogate becomes its \\udXXX escape: still JSON, and printable.
    text = json.dumps(data, indent=2, ensure_ascii=False)
    click.echo(text.encode("utf-8", "backslashreplace").decode("utf-8"))
