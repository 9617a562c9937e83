"""A team's own start: `scorecard init DIR` makes a working folder that compiles at once.

The folder holds what the commands look for by default, run from inside it:

    config/indicators.yaml   a commented catalogue to edit (two owners, four indicators)
    templates/               the return workbooks for the year, one per owner
    returns/YYYY-MM/         the latest complete month's folder, for the leads' returns
    out/                     where the master is written

The catalogue's targets are for the financial year of the latest complete month, so a
compile there writes a master at once: every row waiting for its owner's return, and a
chase list to send.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path
from string import Template

from ..catalogue import Catalogue, load_catalogue
from ..errors import OutputError
from ..output import atomic_output, folder_problem
from ..periods import FinancialYear, Month
from ..templates import write_templates

CATALOGUE_PATH = Path("config") / "indicators.yaml"
TEMPLATES_DIR = "templates"
RETURNS_DIR = "returns"
OUT_DIR = "out"


@dataclass(frozen=True)
class WorkingFolder:
    """What `make_working_folder` made."""

    root: Path
    catalogue: Path
    templates: list[Path]
    month_folder: Path
    out: Path
    year: FinancialYear
    month: Month


def starter_catalogue(name: str, year: FinancialYear) -> str:
    """The commented starter catalogue's text, for an organisation and a year."""
    text = files(__package__).joinpath("indicators.yaml").read_text(encoding="utf-8")
    return Template(text).substitute(
        name=_yaml_quoted(name), short_name=_yaml_quoted(short_name(name)), year=str(year)
    )


def short_name(name: str) -> str:
    """Initials for a short name: "Example Borough Council" -> "EBC"."""
    words = [w for w in re.split(r"[\s\-]+", name) if w[:1].isalnum()]
    initials = "".join(w[0].upper() for w in words if w.lower() not in {"of", "and", "the"})
    return initials[:8] or name[:8]


def make_working_folder(
    root: Path, name: str | None = None, today: date | None = None
) -> WorkingFolder:
    """Make `root` a working folder for an organisation (see the module's docstring).

    Never overwrites: a folder that already holds a catalogue is refused (`OutputError`)
    before anything is written.
    """
    catalogue_path = root / CATALOGUE_PATH
    if catalogue_path.exists():
        raise OutputError(
            f"{catalogue_path} already exists: nothing written; `scorecard init` makes a "
            "new working folder, so name a folder without a catalogue"
        )
    day = today or date.today()
    month = Month(day.year, day.month) - 1  # the latest complete month
    year = FinancialYear.containing(month, 4)
    organisation = name or _name_from(root)
    with atomic_output(catalogue_path) as tmp:
        tmp.write_text(starter_catalogue(organisation, year), encoding="utf-8")
    catalogue: Catalogue = load_catalogue(catalogue_path)
    templates = write_templates(catalogue, year, root / TEMPLATES_DIR)
    month_folder = root / RETURNS_DIR / str(month)
    out = root / OUT_DIR
    for folder in (month_folder, out):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot make {folder}: {folder_problem(folder, exc)}") from None
    return WorkingFolder(root, catalogue_path, templates, month_folder, out, year, month)


def _name_from(root: Path) -> str:
    """An organisation's name from its folder's: "example-council" -> "Example Council"."""
    words = re.split(r"[\s_\-]+", root.resolve().name)
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "Our Organisation"


def _yaml_quoted(text: str) -> str:
    """Text safe inside the catalogue's double quotes (a name with a quote in it)."""
    return " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"')
