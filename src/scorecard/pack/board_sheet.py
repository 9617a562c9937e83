"""The pack's first page: the board summary (`scorecard.board`), as an NHS board's
"integrated performance report" opens. The RED and AMBER rows with value, target and the
owner's first sentence; the statuses that moved since the last pack; every charted
indicator's SPC marks. Hashes, paths and the full sign-off list are not here: they stay
in the master's Summary, for the performance team.
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from ..board import NO_COMMENTARY, AttentionRow, BoardSummary, MarkRow, StatusMove
from ..result import RunResult
from ..workbook.texts import ReportTexts
from .columns import SPC_NOTE
from .report import legend_fragments
from .sheet import Cell, PackSheet
from .styles import PackStyles

BOARD_SHEET = "Board summary"
# Status, ID, indicator, value (or variation), target (or assurance), commentary (or why).
BOARD_WIDTHS = (11.0, 10.0, 46.0, 18.0, 14.0, 35.0)
MASTER_NOTE = (
    "Each objective's rows follow, then the SPC charts. Every figure's source, the returns "
    "read with their fingerprints and who signed each off are in the master workbook's "
    "Summary and Data sheets."
)


def write_board(
    sheet: Worksheet, run: RunResult, board: BoardSummary, texts: ReportTexts, styles: PackStyles
) -> None:
    """Fill `sheet` with the board summary of `run`."""
    grid = PackSheet(sheet, styles, BOARD_WIDTHS)
    grid.wide(0, 0, f"{texts.organisation}: {texts.title}, {texts.month_long}", "page_title")
    grid.wide(1, 0, f"Board summary. {texts.period}", "period")
    present = {status for status, _ in board.counts}
    grid.rich_line(2, 0, legend_fragments(styles, present, texts), "legend_row")
    grid.wide(3, 0, _glance(board, styles, len(run.results)), "text")
    row = _attention(grid, 5, board.attention)
    row = _moves(grid, row + 1, board)
    if board.marks:
        row = _marks(grid, row + 1, board.marks)
        grid.wide(row, 0, SPC_NOTE, "note")
        row += 1
    grid.wide(row, 0, MASTER_NOTE, "note")
    grid.finish()
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.set_print_scale(100)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.center_horizontally()
    sheet.set_footer(texts.footer)
    sheet.repeat_rows(0, 2)  # the title, period and legend on a second page too


def _glance(board: BoardSummary, styles: PackStyles, total: int) -> str:
    counts = ", ".join(f"{styles.looks[s].label} {n}" for s, n in board.counts)
    return f"{total} indicators: {counts}."


def _header(grid: PackSheet, row: int, headings: tuple[str, ...]) -> None:
    for col, heading in enumerate(headings):
        grid.text(row, col, heading, "header")


def _attention(grid: PackSheet, row: int, rows: tuple[AttentionRow, ...]) -> int:
    red = sum(1 for r in rows if r.status.value == "RED")
    said = (
        f"Red and amber: {red} red, {len(rows) - red} amber" if rows else "No row is red or amber"
    )
    grid.wide(row, 0, said, "section")
    row += 1
    if not rows:
        return row
    _header(grid, row, ("Status", "ID", "Indicator", "Value", "Target", "Owner's commentary"))
    row += 1
    for item in rows:
        words = item.commentary or (NO_COMMENTARY if item.commentary_missing else "")
        runs = (("title", item.title), ("notes", item.objective))
        cells = [
            Cell(0, "status", status=item.status),
            Cell(1, "id", item.label),
            Cell(2, "indicator", runs=runs),
            Cell(3, "centre", item.value),
            Cell(4, "centre", item.target),
            Cell(5, "cell", words),
        ]
        for one in cells:
            grid.put(row, one)
        row += 1
    return row


def _moves(grid: PackSheet, row: int, board: BoardSummary) -> int:
    if board.moves_since is None:
        grid.wide(row, 0, "Moved since the last pack", "section")
        grid.wide(row + 1, 0, "No earlier pack is in the ledger: nothing to compare with.", "text")
        return row + 2
    since = board.moves_since.label
    if not board.moves:
        grid.wide(row, 0, f"Moved since the {since} pack: no status has moved", "section")
        return row + 1
    grid.wide(row, 0, f"Moved since the {since} pack: {len(board.moves)}", "section")
    _header(grid, row + 1, ("Now", "ID", "Indicator", "Before", "", "Why"))
    row += 2
    for move in board.moves:
        _move_row(grid, row, move, since)
        row += 1
    return row


def _move_row(grid: PackSheet, row: int, move: StatusMove, since: str) -> None:
    looks = grid.styles.looks
    before = looks[move.then].label if move.then is not None else "not in the pack"
    why = move.why or f"{before} in the {since} pack, {looks[move.now].label} now"
    grid.put(row, Cell(0, "status", status=move.now))
    grid.put(row, Cell(1, "id", move.label))
    grid.put(row, Cell(2, "cell", move.title))
    grid.put(row, Cell(3, "centre", before, span=2))
    grid.put(row, Cell(5, "cell", why))


def _marks(grid: PackSheet, row: int, marks: tuple[MarkRow, ...]) -> int:
    grid.wide(row, 0, f"SPC marks: {len(marks)} charted indicators", "section")
    _header(grid, row + 1, ("Status", "ID", "Indicator", "Variation", "Assurance", "Chart"))
    row += 2
    for mark in marks:
        kind = " ".join(p for p in (mark.chart_kind, mark.profile) if p)
        cells = [
            Cell(0, "status", status=mark.status),
            Cell(1, "id", mark.label),
            Cell(2, "cell", mark.title),
            Cell(3, "mark", mark.variation_mark),
            Cell(4, "mark", mark.assurance_mark),
            Cell(5, "mark", kind or ("XmR" if mark.variation is not None else "")),
        ]
        for one in cells:
            grid.put(row, one)
        row += 1
    return row
