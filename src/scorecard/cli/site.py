"""The command that writes the board view on the web: `scorecard site`."""

from __future__ import annotations

from pathlib import Path

import click

from .app import (
    EXIT_CLEAN,
    EXIT_NOTHING,
    EXIT_PROBLEMS,
    cache_folder,
    config_option,
    handle_errors,
    main,
    one_line,
    parse_month,
    returns_options,
    run_options,
)
from .build import check_outputs, compiled, delivered, found_detail
from .streams import no_stream


@main.command(name="site")
@config_option
@returns_options
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the pages to (default: out/scorecard-YYYY-MM-site); a folder "
    "that is neither empty nor a site scorecard wrote is refused.",
)
@run_options
@handle_errors
def site_command(
    config: Path,
    returns_dir: Path,
    month: str | None,
    out: Path | None,
    strict: bool,
    quiet: bool,
    cache_dir: Path | None,
    no_cache: bool,
    ledger: Path | None,
    no_ledger: bool,
    accept_revisions: bool,
) -> int:
    """Write the month's board view as static web pages: index.html with the board
    summary, a page per objective and per indicator, and the results as CSV. The pages
    open from a shared drive (file://) or any web host, load nothing from the network
    and run no script.

    Exit status: 0 written and clean; 1 written, with problems listed; 2 nothing written.
    """
    from ..site import write_site

    report_month = parse_month(month)
    no_stream("--out", out, "a site, a folder of pages")
    check_outputs(out, None, config, returns_dir)
    books = (ledger, no_ledger, accept_revisions, None)
    cache = cache_folder(cache_dir, no_cache)
    month_compiled = compiled(config, returns_dir, report_month, quiet, cache, books)
    run = month_compiled.run
    place = (out, None, config, returns_dir)
    done = delivered(month_compiled, place, "-site", strict, write_site)
    if done is None:
        return EXIT_NOTHING
    written, problems = done
    if not quiet:
        click.echo(one_line(f"wrote {written / 'index.html'}"))
        click.echo(f"{len(problems)} problem(s) found{found_detail(problems, len(run.chase))}")
    return EXIT_PROBLEMS if problems or run.chase else EXIT_CLEAN
