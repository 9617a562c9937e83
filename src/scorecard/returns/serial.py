"""The one serialiser of what the reader remembers: returns and merges as JSON-able data.

`scorecard.cache` keeps two kinds of entry, both made and read here with the same
encodings of problems, commentary, files and figures:

- a return (`plain_return` / `return_from`): what one workbook held, as reading it gave;
- merged folders (`plain_merged` / `merged_from`): what every folder before the report
  month added to the merge, so a re-run merges only the report month's returns.

Figures go column by column, one list per row of the return: months as numbers, then
values, cells, n/a reasons, problems, and each entry's origin as an index into the
entry's table of origins, so that loading builds each row's entries at C speed. Loading
checks that the columns hold only what the reader itself makes and raises one of
`DAMAGED` if they do not: a damaged entry is a miss, never an error.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import Level, Problem
from ..model import ReturnFile, Source
from ..periods import Month
from .record import (
    Comment,
    CommentKey,
    Entries,
    FolderOutline,
    MergeState,
    Origin,
    Pair,
    ReturnRecord,
    make_entries,
)

# What loading a damaged or foreign entry raises.
DAMAGED = (KeyError, TypeError, ValueError, AttributeError, IndexError)
MERGED_KIND = "merged-folders"  # a merged-folders entry's "kind"

_ENTRY_VALUE_TYPES = frozenset((int, float, str, type(None)))
_ENTRY_TEXT_TYPES = frozenset((str, type(None)))
_INT_TYPE = frozenset((int,))
_STR_TYPE = frozenset((str,))


class MergedFolders(NamedTuple):
    """What the folders before the report month added to the merge."""

    problems: list[Problem]  # the folders' own, after the returns folder's strays
    files: list[ReturnFile]
    figures_used: int
    figures_rejected: int
    commentary: dict[CommentKey, Comment]
    sign_offs: dict[str, dict[str, str]]
    adjusted: set[tuple[Pair, int]]
    outline: list[FolderOutline]
    state: MergeState  # figures of the merge, and each owner's latest returns (bare)


# --- the shared encodings -----------------------------------------------------------------


def plain_problems(problems: list[Problem]) -> list[list[Any]]:
    return [
        [
            p.code,
            p.message,
            str(p.level),
            p.file,
            p.line,
            p.sheet,
            p.cell,
            p.key,
            p.month,
            p.comment,
        ]
        for p in problems
    ]


def problems_from(items: list[list[Any]]) -> list[Problem]:
    return [_problem(item) for item in items]


def _problem(item: list[Any]) -> Problem:
    code, message, level, file, line, sheet, cell, key, month, comment = item
    return Problem(code, message, Level(level), file, line, sheet, cell, key, month, comment)


def plain_commentary(commentary: dict[CommentKey, Comment]) -> list[list[Any]]:
    return [
        [key, month, text, source.file, source.sheet, source.cell]
        for (key, month), (text, source) in commentary.items()
    ]


def commentary_from(items: list[list[Any]]) -> dict[CommentKey, Comment]:
    return {
        (key, int(month)): Comment(text, Source(file, sheet, cell))
        for key, month, text, file, sheet, cell in items
    }


def plain_files(files: list[ReturnFile]) -> list[list[Any]]:
    return [
        [f.path, f.owner, str(f.month), f.sha256, f.figures_read, f.figures_rejected, f.usable]
        for f in files
    ]


def files_from(items: list[list[Any]]) -> list[ReturnFile]:
    return [
        ReturnFile(path, owner, Month.parse(month), sha, int(read), int(rejected), bool(usable))
        for path, owner, month, sha, read, rejected, usable in items
    ]


def plain_figures(figures: dict[Pair, Entries], origins: dict[Origin, int]) -> list[list[Any]]:
    """Each row's entries as columns; each origin met is numbered in `origins`."""
    rows = []
    for (key, measure), series in figures.items():
        entries = list(series.values())
        rows.append(
            [
                key,
                measure,
                list(series),
                [e.value for e in entries],
                [e.cell for e in entries],
                [e.not_available for e in entries],
                [e.problem for e in entries],
                [origins.setdefault(e.origin, len(origins)) for e in entries],
            ]
        )
    return rows


def figures_from(rows: list[list[Any]], origins: list[Origin]) -> dict[Pair, Entries]:
    """The entries `plain_figures` gave, with their origins from the table `origins`."""
    figures: dict[Pair, Entries] = {}
    for key, measure, indexes, values, cells, nas, problems, where in rows:
        _check_columns(key, measure, indexes, values, cells, nas, problems, where)
        entries = make_entries(
            zip(values, cells, nas, problems, map(origins.__getitem__, where), strict=True)
        )
        figures[(key, measure)] = dict(zip(indexes, entries, strict=True))
    return figures


def plain_origins(origins: dict[Origin, int]) -> list[list[str]]:
    return [list(origin) for origin in origins]


def origins_from(items: list[list[str]]) -> list[Origin]:
    return [Origin(file, sheet) for file, sheet in items]


def _check_columns(
    key: Any,
    measure: Any,
    indexes: list[Any],
    values: list[Any],
    cells: list[Any],
    nas: list[Any],
    problems: list[Any],
    where: list[Any],
) -> None:
    """Raise ValueError unless these columns hold only what the reader itself makes."""
    columns = (indexes, values, cells, nas, problems, where)
    if (
        len(set(map(len, columns))) != 1
        or not set(map(type, indexes)) <= _INT_TYPE
        or not set(map(type, values)) <= _ENTRY_VALUE_TYPES
        or not set(map(type, cells)) <= _STR_TYPE
        or not set(map(type, nas)) <= _ENTRY_TEXT_TYPES
        or not set(map(type, problems)) <= _ENTRY_TEXT_TYPES
        or not set(map(type, where)) <= _INT_TYPE
        or not (key.__class__ is str and measure.__class__ is str)
    ):
        raise ValueError("not entries the reader makes")


def plain_outline(outline: list[FolderOutline]) -> list[list[Any]]:
    """Each folder as merged: its month, problems, and returns (an index into the
    files merged, or a return refused unread, whole)."""
    return [
        [
            str(folder.month),
            plain_problems(folder.problems),
            [item if isinstance(item, int) else plain_return(item) for item in folder.items],
        ]
        for folder in outline
    ]


def outline_from(
    items: list[list[Any]], back: Callable[[dict[str, Any]], ReturnRecord]
) -> list[FolderOutline]:
    """The outline `plain_outline` gave, each whole return made again by `back`."""
    return [
        FolderOutline(
            Month.parse(month),
            problems_from(problems),
            [item if isinstance(item, int) else back(item) for item in returns],
        )
        for month, problems, returns in items
    ]


# --- a return -----------------------------------------------------------------------------


def plain_return(ret: ReturnRecord, *, figures: bool = True) -> dict[str, Any]:
    """What the return held, as JSON-able data; without its figures if not `figures`."""
    origins: dict[Origin, int] = {}
    rows = plain_figures(ret.figures, origins) if figures else []
    return {
        "display": ret.display,
        "folder": str(ret.folder),
        "sha256": ret.sha256,
        "owner": ret.owner,
        "sheet": ret.sheet,
        "usable": ret.usable,
        "origins": plain_origins(origins),
        "figures": rows,
        "rows": [[key, measure, row] for (key, measure), row in ret.rows.items()],
        "month_cols": [[str(m), col] for m, col in ret.month_cols.items()],
        "used": ret.used,
        "rejected": ret.rejected,
        "commentary": plain_commentary(ret.commentary),
        "sign_off": ret.sign_off,
        "problems": plain_problems(ret.problems),
    }


def return_from(path: Path, data: dict[str, Any]) -> ReturnRecord:
    """The return `plain_return` gave; raises one of `DAMAGED` if it is damaged."""
    month = Month.parse  # each month's one object
    ret = ReturnRecord(path, data["display"], month(data["folder"]))
    ret.sha256, ret.owner, ret.sheet = data["sha256"], data["owner"], data["sheet"]
    ret.usable, ret.used, ret.rejected = data["usable"], data["used"], data["rejected"]
    ret.figures = figures_from(data["figures"], origins_from(data["origins"]))
    ret.rows = {(key, measure): row for key, measure, row in data["rows"]}
    ret.month_cols = {month(m): col for m, col in data["month_cols"]}
    ret.commentary = commentary_from(data["commentary"])
    ret.sign_off = dict(data["sign_off"])
    ret.problems = problems_from(data["problems"])
    return ret


# --- merged folders -----------------------------------------------------------------------


def plain_merged(merged: MergedFolders) -> dict[str, Any]:
    """What the earlier folders added, as JSON-able data. Each owner's latest returns
    are kept without their figures: the merge's figures hold what counts of them."""
    origins: dict[Origin, int] = {}
    figures = plain_figures(merged.state.entries, origins)
    return {
        "kind": MERGED_KIND,
        "origins": plain_origins(origins),
        "figures": figures,
        "problems": plain_problems(merged.problems),
        "files": plain_files(merged.files),
        "figures_used": merged.figures_used,
        "figures_rejected": merged.figures_rejected,
        "commentary": plain_commentary(merged.commentary),
        "sign_offs": merged.sign_offs,
        "adjusted": [[key, measure, index] for (key, measure), index in merged.adjusted],
        "outline": plain_outline(merged.outline),
        "latest": {o: plain_return(r, figures=False) for o, r in merged.state.latest.items()},
        "refused": {o: plain_return(r, figures=False) for o, r in merged.state.refused.items()},
    }


def merged_from(data: dict[str, Any], root: Path) -> MergedFolders:
    """What `plain_merged` gave, the returns' paths found again under the returns folder
    `root`; raises one of `DAMAGED` if it is damaged."""
    if data.get("kind") != MERGED_KIND:
        raise ValueError("not a merged-folders entry")

    def back(plain: dict[str, Any]) -> ReturnRecord:
        display = plain["display"]
        path = Path(display) if Path(display).is_absolute() else root.parent / display
        return return_from(path, plain)

    state = MergeState(
        figures_from(data["figures"], origins_from(data["origins"])),
        {owner: back(plain) for owner, plain in data["latest"].items()},
        {owner: back(plain) for owner, plain in data["refused"].items()},
    )
    return MergedFolders(
        problems_from(data["problems"]),
        files_from(data["files"]),
        int(data["figures_used"]),
        int(data["figures_rejected"]),
        commentary_from(data["commentary"]),
        {str(k): dict(v) for k, v in data["sign_offs"].items()},
        {((str(key), str(measure)), int(index)) for key, measure, index in data["adjusted"]},
        outline_from(data["outline"], back),
        state,
    )
