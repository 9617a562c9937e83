"""The commands that check and make: validate, templates, init."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .app import (
    DEFAULT_TEMPLATES,
    EXIT_CLEAN,
    EXIT_PROBLEMS,
    cache_folder,
    cache_options,
    config_option,
    default_templates,
    echo_json,
    handle_errors,
    ledger_option,
    main,
    one_line,
    parse_month,
)
from .streams import no_stream


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
@ledger_option
@handle_errors
def validate(
    config: Path,
    returns_dir: Path | None,
    month: str | None,
    json_path: Path | None,
    cache_dir: Path | None,
    no_cache: bool,
    ledger: Path | None,
) -> int:
    """Check the catalogue and, with --returns, the returns for a month.

    With --returns, the month is compiled as `compile` does, writing nothing: the same
    problems, counts and exit status. Exit status: 0 clean, 1 problems (a rated row
    without the year's target included), 2 catalogue errors.
    """
    from ..catalogue import load_catalogue
    from ..destinations import check_destination

    check_destination("--json", json_path)  # before any work
    catalogue = load_catalogue(config)
    if returns_dir is None:
        return echo_catalogue_check(config, catalogue, json_path)
    from ..api import CompileOptions, compile_month
    from ..errors import Level

    # The compile itself, recording and writing nothing (the ledger's locked months are
    # still kept): the problems, counts and exit status compile gives.
    options = CompileOptions(
        config,
        returns_dir,
        parse_month(month),
        cache=cache_folder(cache_dir, no_cache),
        ledger=ledger,  # its locked months kept, as compile keeps them; nothing recorded
        record=False,
    )
    with compile_month(options) as compiled:
        run = compiled.run
    errors = [p for p in run.problems if p.level != Level.INFO]
    if json_path is not None:
        from ..jsonout import chase_to_json

        emit_json(
            {
                "month": str(run.month),
                "ok": not errors and not run.chase,
                "chase": chase_to_json(run.chase),
                "problems": [p.as_dict() for p in run.problems],
            },
            json_path,
        )
    if json_path is None or str(json_path) != "-":
        if run.chase:
            click.echo("Returns still to come:")
            for item in run.chase:
                click.echo(one_line(f"  {item.describe()}"))
        for problem in run.problems:
            click.echo(one_line(problem.format(level=True)))
        click.echo(
            f"{run.month.label}: {len(run.files)} return(s) read; "
            + counted(run.problems, len(run.chase))
        )
    return EXIT_PROBLEMS if errors or run.chase else EXIT_CLEAN


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


def echo_catalogue_check(config: Path, catalogue: Any, json_path: Path | None) -> int:
    """The catalogue's own check: its summary, and a warning for each rated row without
    a target for the latest year the catalogue has targets for and for each status whose
    colours fail WCAG AA contrast (exit status 1 if any)."""
    from ..catalogue import contrast_problems, missing_targets

    years = catalogue.target_years()
    warnings = missing_targets(catalogue, years[-1]) if years else []
    warnings += contrast_problems(catalogue)
    if json_path is not None:
        summary = {
            "catalogue": str(config),
            "ok": not warnings,
            "objectives": len(catalogue.objectives),
            "indicators": len(catalogue.indicators),
            "owners": len(catalogue.owners),
            "problems": [p.as_dict() for p in warnings],
        }
        emit_json(summary, json_path)
    if json_path is None or str(json_path) != "-":
        for problem in warnings:
            click.echo(one_line(problem.format(level=True)))
        said = f"{len(warnings)} warning(s)" if warnings else "ok"
        click.echo(f"{config}: {said}: {catalogue.summary()}")
    return EXIT_PROBLEMS if warnings else EXIT_CLEAN


def emit_json(data: Any, json_path: Path) -> None:
    """JSON printed ('-') or written to a file, atomically, as compile writes it."""
    if str(json_path) == "-":
        echo_json(data)
        return
    from ..output import atomic_output

    text = json.dumps(data, indent=2, ensure_ascii=False)
    with atomic_output(json_path) as tmp:
        tmp.write_bytes(text.encode("utf-8", "backslashreplace"))


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
    callback=default_templates,
    show_default=f"{' or '.join(DEFAULT_TEMPLATES)}, the first there is",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write one return workbook per owner into.",
)
@handle_errors
def templates(config: Path, year: str | None, month: str | None, out_dir: Path, force: bool) -> int:
    """Write the return workbooks that business-area leads fill in, one per owner."""
    from ..catalogue import load_catalogue
    from ..templates import template_year, write_templates

    no_stream("--out", out_dir, "templates, one workbook per owner")
    catalogue = load_catalogue(config)
    for_month = parse_month(month)
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


@main.command(name="init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="The organisation's name (default: made from the folder's).")
@handle_errors
def init_command(folder: Path, name: str | None) -> int:
    """Make FOLDER a working folder: a catalogue to edit, templates, returns/ and out/.

    Run scorecard inside it: `scorecard compile` there writes a master at once, every
    row waiting for its owner's return. Nothing already there is overwritten.
    """
    from ..starter import make_working_folder

    no_stream("FOLDER", folder, "a working folder")
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
