"""Every return up to the report month, merged folder by folder: the latest figure wins
and a revision is noted; two returns for one owner in one folder are settled; then what
the report month still needs is listed (`chase`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import NamedTuple

from ..cache import ReturnCache
from ..catalogue import Catalogue
from ..errors import Level, Problem
from ..periods import Month, months_of
from .book import check_sign_off, read_files
from .chase import check_needed
from .folders import FolderScan, check_root, display_path, month_folders, scan_folder, stray_entries
from .problems import clip, make_problem
from .record import (
    ENTRY_SAYS,
    Entries,
    Entry,
    FolderOutline,
    Job,
    MergeState,
    Pair,
    Pending,
    Remembered,
    ReturnRecord,
    ReturnsRead,
)
from .remember import find_in_cache, load_prefix, prefix_keys, recall, save_prefix


def read_returns(
    catalogue: Catalogue,
    returns_dir: str | Path,
    month: Month,
    *,
    workers: int | None = None,
    timeout: float | None = None,
    memory: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: ReturnCache | None = None,
) -> ReturnsRead:
    """Read every return up to `month`, merge them (latest wins), and list what is missing.

    Workbooks are read in `workers` worker processes (default `READ_WORKERS`; 0 reads
    them in this process), each stopped after `timeout` seconds and limited to `memory`
    bytes more than it starts with (defaults `READ_TIMEOUT`, `READ_MEMORY`). With a
    `cache`, a return read before (same bytes, path, folder and catalogue layout) is
    taken from it instead of being read again, and each return read is stored in it.
    `ReturnsRead.files` names every return merged, those of earlier folders restored
    whole from the cache too, with what the ledger needs to find each again.
    """
    root = Path(returns_dir)
    check_root(root)
    result = ReturnsRead(month=month)
    result.problems.extend(stray_entries(root))
    # First look at every folder, then read every workbook at once (in workers), then
    # merge folder by folder, oldest first, so the order of problems never changes.
    folders = _look_at_folders(root, month, result)
    state = MergeState()
    before = len(result.problems)  # those after it are the folders' own
    # prefix: where to keep what the folders before `month` add up to, once merged
    folders, prefix = _use_cache(cache, folders, month, root, result, state)
    jobs = [item for scan in folders for item in scan.items if isinstance(item, Job)]
    done = read_files(
        catalogue,
        jobs,
        workers=workers,
        timeout=timeout,
        memory=memory,
        progress=progress,
        cache=cache,
    )
    remembered = partial(recall, catalogue, workers=workers, timeout=timeout, memory=memory)
    owners = {o.key for o in catalogue.owners}
    result.opening = before
    for scan in folders:
        if prefix is not None and scan.month >= month:
            save_prefix(prefix.cache, prefix.key, result, before, state)
            prefix = None
        returns = [_returned(item, done, remembered) for item in scan.items]
        merge_folder(scan.month, scan.problems, returns, result, state, owners)
    if prefix is not None:  # no folder for the report month itself
        save_prefix(prefix.cache, prefix.key, result, before, state)
    _settle(catalogue, month, state, result)
    return result


def merge_folder(
    folder: Month,
    problems: list[Problem],
    returns: list[ReturnRecord],
    result: ReturnsRead,
    state: MergeState,
    owners: set[str],
) -> None:
    """One month folder's returns over the merge so far, noted in `result.outline`."""
    result.problems.extend(problems)
    items: list[int | ReturnRecord] = []
    for ret in settle_duplicates(returns, result.adjusted):
        _take(ret, folder == result.month, result, state, owners)
        items.append(len(result.files) - 1 if ret.sha256 else ret)
    result.outline.append(FolderOutline(folder, problems, items))


def merge_again(
    catalogue: Catalogue,
    month: Month,
    opening: list[Problem],
    folders: list[tuple[Month, list[Problem], list[ReturnRecord]]],
) -> ReturnsRead:
    """The returns of each folder (as read, in their order) merged again for `month`,
    as `read_returns` merged them: what a pack was compiled from, rebuilt."""
    result = ReturnsRead(month=month, problems=list(opening), opening=len(opening))
    state = MergeState()
    owners = {o.key for o in catalogue.owners}
    for folder, problems, returns in folders:
        merge_folder(folder, problems, returns, result, state, owners)
    _settle(catalogue, month, state, result)
    return result


def _settle(catalogue: Catalogue, month: Month, state: MergeState, result: ReturnsRead) -> None:
    """The merged entries as figures, and what the report month still needs."""
    for pair, series in state.entries.items():
        months = months_of(list(series))
        result.figures[pair] = dict(zip(months, map(Entry.figure, series.values()), strict=True))
    check_needed(catalogue, month, state, result)


def _returned(
    item: Pending, done: Iterator[ReturnRecord], remembered: Callable[[Remembered], ReturnRecord]
) -> ReturnRecord:
    """The return refused unread, read now (the next one `done`), or taken from the cache."""
    if isinstance(item, ReturnRecord):
        return item
    return next(done) if isinstance(item, Job) else remembered(item)


class _Prefix(NamedTuple):
    cache: ReturnCache
    key: str


def _look_at_folders(root: Path, month: Month, result: ReturnsRead) -> list[FolderScan]:
    """Every month folder up to `month`; a later one is a problem, and ignored."""
    folders: list[FolderScan] = []
    for folder_month, folder in month_folders(root):
        if folder_month > month:
            result.problems.append(
                make_problem(
                    "future-folder",
                    f"folder {folder.name} is after the report month {month.label}: ignored",
                    file=display_path(folder, root),
                )
            )
            continue
        folders.append(scan_folder(root, folder, folder_month))
    return folders


def _use_cache(
    cache: ReturnCache | None,
    folders: list[FolderScan],
    month: Month,
    root: Path,
    result: ReturnsRead,
    state: MergeState,
) -> tuple[list[FolderScan], _Prefix | None]:
    """The folders still to merge, each remembered file marked as such.

    The folders before `month` are restored whole if the cache holds their merge as
    they are now; else the longest beginning of them the cache holds (last month's
    earlier folders, on the first compile of a new month), and the key to keep them
    all under once merged is returned."""
    if cache is None:
        return folders, None
    identities: dict[Path, str] = {}
    folders = [
        FolderScan(
            scan.month, scan.problems, [find_in_cache(cache, i, identities) for i in scan.items]
        )
        for scan in folders
    ]
    earlier = [scan for scan in folders if scan.month < month]
    keys = prefix_keys(cache, earlier, identities)
    # None where a file could not be hashed: nothing to keep them all under
    whole = _Prefix(cache, keys[-1]) if keys and len(keys) == len(earlier) else None
    for count in range(len(keys), 0, -1):
        if load_prefix(cache, keys[count - 1], root, result, state):
            return folders[count:], None if count == len(earlier) else whole
    return folders, whole


def _take(
    ret: ReturnRecord,
    report_month: bool,
    result: ReturnsRead,
    state: MergeState,
    owners: set[str],
) -> None:
    """One return into the merge, or noted as refused."""
    if report_month and ret.usable and ret.owner is not None:
        check_sign_off(ret)
    if ret.sha256:  # opened as a workbook
        result.files.append(ret.as_file())
    result.figures_used += ret.used
    result.figures_rejected += ret.rejected
    result.problems.extend(ret.problems)
    if ret.usable and ret.owner is not None:
        merge_return(ret, state.entries, result)
        state.latest[ret.owner] = ret
        if ret.sign_off:
            result.sign_offs[ret.display] = ret.sign_off
    elif not any(p.code == "duplicate-return" for p in ret.problems):
        for owner in {ret.owner or "", ret.path.stem} & owners:
            state.refused[owner] = ret


# --- two returns for one owner in one folder ----------------------------------------------


def settle_duplicates(
    returns: list[ReturnRecord], adjusted: set[tuple[Pair, int]] | None = None
) -> list[ReturnRecord]:
    """One return per owner per folder: the one named after the owner, else the first.
    Where two disagree, the figures marked as such are noted in `adjusted`."""
    by_owner: dict[str, list[ReturnRecord]] = {}
    for ret in returns:
        if ret.usable and ret.owner is not None:
            by_owner.setdefault(ret.owner, []).append(ret)
    for owner, group in by_owner.items():
        if len(group) < 2:
            continue
        keep = next((r for r in group if r.path.stem == owner), group[0])
        for other in group:
            if other is keep:
                continue
            same = other.sha256 == keep.sha256
            other.add(
                "duplicate-return",
                f"a second return for {owner} in {other.folder.label}"
                f"{' (an identical copy)' if same else ''}: {keep.path.name} is used and this "
                "file is ignored; remove one of them",
                level=Level.WARNING if same else Level.ERROR,
            )
            if not same:
                _mark_conflicts(keep, other, set() if adjusted is None else adjusted)
            other.usable = False
            other.rejected += other.used
            other.used = 0
    return returns


def _mark_conflicts(
    keep: ReturnRecord, other: ReturnRecord, adjusted: set[tuple[Pair, int]]
) -> None:
    """Where two returns for one owner and month disagree, neither figure is trusted."""
    for pair, series in other.figures.items():
        kept_series = keep.figures.setdefault(pair, {})
        for index, entry in series.items():
            month = Month.from_index(index)
            kept = kept_series.get(index)
            if kept is not None and kept.describe() == entry.describe():
                continue
            if kept is not None and not kept.problem:
                keep.used -= 1
                keep.rejected += 1
            kept_text = kept.describe() if kept is not None else "nothing"
            where = kept if kept is not None else entry
            adjusted.add((pair, index))
            kept_series[index] = Entry(
                None,
                where.cell,
                None,
                f"{pair[1]}: two returns disagree for {month.label}: {kept_text} in "
                f"{keep.path.name}, {entry.describe()} in {other.path.name}",
                where.origin,
            )


# --- a return over those before it --------------------------------------------------------


def merge_return(ret: ReturnRecord, merged: dict[Pair, Entries], result: ReturnsRead) -> None:
    """A return's entries over those before it: the latest wins, a change is noted."""
    for pair, series in ret.figures.items():
        before = merged.get(pair)
        if before is None:
            merged[pair] = dict(series)
            continue
        # The usual case: the months both hold say the same again (and a month is new).
        common = before.keys() & series.keys()
        if list(map(ENTRY_SAYS, map(before.__getitem__, common))) == list(
            map(ENTRY_SAYS, map(series.__getitem__, common))
        ):
            before.update(series)
            continue
        olds = list(map(before.get, series))
        for old, (index, entry) in zip(olds, series.items(), strict=True):
            if old is not None and _revised(old, entry):
                _note_revision(ret, pair, Month.from_index(index), old, entry, result)
        before.update(series)  # the latest wins
    result.commentary.update(ret.commentary)


def _revised(old: Entry, entry: Entry) -> bool:
    """The later entry says something else, and one of the two is not rejected."""
    # Equal entries describe alike; only a difference is worth wording.
    return (
        (
            old.value != entry.value
            or old.not_available != entry.not_available
            or old.problem != entry.problem
        )
        and (old.problem is None or entry.problem is None)
        and old.describe() != entry.describe()
    )


def _note_revision(
    ret: ReturnRecord, pair: Pair, month: Month, old: Entry, entry: Entry, result: ReturnsRead
) -> None:
    """A revision, with the lead's words on it: the revised month's comment where the
    revising return changed it, else the comment for the return's own month."""
    key = pair[0]
    comment = ret.commentary.get((key, month.index))
    before = result.commentary.get((key, month.index))
    if comment is None or (before is not None and comment.text == before.text):
        comment = ret.commentary.get((key, ret.folder.index))
    words = f': "{clip(comment.text, 200)}"' if comment else ""
    problem = make_problem(
        "revised",
        f"{pair[1]}: {month.label} revised from {old.describe()} "
        f"({old.where()}) to {entry.describe()}{words}",
        file=ret.display,
        sheet=ret.sheet,
        cell=entry.cell,
        key=pair[0],
        month=month.label,
    )
    if comment is not None:
        problem = replace(problem, comment=comment.text)
    result.problems.append(problem)
