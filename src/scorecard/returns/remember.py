"""Taking returns, and whole merged folders, from a `scorecard.cache.ReturnCache`.

A file whose bytes, path, month folder and catalogue layout are those of a return read
before is taken from the cache instead of being read: the same `ReturnRecord`, problems
and all. On deadline day only the report month's folder changes: what every earlier
folder adds to the merge (figures, problems, files, each owner's latest return) is the
same as in the last run, and is kept whole under a key of every file in those folders,
so a re-run merges only the report month's returns. What is kept is `serial`'s to say.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..cache import ReturnCache, file_sha256
from ..catalogue import Catalogue
from ..xlsx import DEFAULT_LIMITS
from .book import read_again
from .folders import FolderScan
from .record import Job, MergeState, Pending, Remembered, ReturnRecord, ReturnsRead
from .serial import DAMAGED, MERGED_KIND, MergedFolders, merged_from, plain_merged, return_from


def find_in_cache(cache: ReturnCache, item: Pending, identities: dict[Path, str]) -> Pending:
    """A file still to read, or, if the cache holds its return, where it is. Each file's
    key is noted in `identities`."""
    if not isinstance(item, Job):
        return item
    try:
        if item.path.stat().st_size > DEFAULT_LIMITS.max_file_bytes:
            return item  # refused unread by the reader: not worth hashing
        key = cache.key(file_sha256(item.path), item.display, item.folder)
    except OSError:
        return item  # the reader says what is wrong with it
    identities[item.path] = key
    return Remembered(cache, key, item) if cache.holds(key) else item


def recall(
    catalogue: Catalogue,
    item: Remembered,
    *,
    workers: int | None,
    timeout: float | None,
    memory: int | None,
) -> ReturnRecord:
    """The return the cache holds; if the entry cannot be used, the file read now."""
    data = item.cache.load(item.key)
    if data is not None:
        try:
            ret = return_from(item.job.path, data)
        except DAMAGED:
            pass  # damaged: read the file
        else:
            item.cache.used(item.key)
            return ret
    return read_again(
        catalogue, item.job, item.cache, workers=workers, timeout=timeout, memory=memory
    )


# --- what the folders before the report month add up to ----------------------------------


def prefix_keys(
    cache: ReturnCache, folders: list[FolderScan], identities: dict[Path, str]
) -> list[str]:
    """A key of everything in the first n of these folders, for each n from 1 on; it
    stops before the first folder with a file that could not be hashed.

    The key of the folders before one report month is the key of a beginning of those
    of the next, so next month's first compile finds this month's merge and merges only
    the folders since (a running digest, copied at each folder's end)."""
    digest = hashlib.sha256(MERGED_KIND.encode())
    keys: list[str] = []
    for scan in folders:
        parts = [str(scan.month), *(problem.format() for problem in scan.problems)]
        for item in scan.items:
            if isinstance(item, ReturnRecord):  # refused before reading: its problems say it
                parts.append(item.display)
                parts.extend(problem.format() for problem in item.problems)
                continue
            path = item.job.path if isinstance(item, Remembered) else item.path
            identity = identities.get(path)
            if identity is None:
                return keys
            parts.append(identity)
        for part in parts:
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        keys.append(cache.key(digest.copy().hexdigest(), "", scan.month))
    return keys


def save_prefix(
    cache: ReturnCache, key: str, result: ReturnsRead, before: int, state: MergeState
) -> None:
    """Keep what the folders merged so far added: the problems after the first `before`
    (those of the returns folder itself), and everything else `result` and `state` hold."""
    merged = MergedFolders(
        result.problems[before:],
        result.files,
        result.figures_used,
        result.figures_rejected,
        result.commentary,
        result.sign_offs,
        result.adjusted,
        result.outline,
        state,
    )
    cache.store(key, plain_merged(merged))


def load_prefix(
    cache: ReturnCache, key: str, root: Path, result: ReturnsRead, state: MergeState
) -> bool:
    """Restore what the earlier folders added, as `save_prefix` kept it; False if the
    cache has no usable entry (and nothing is changed)."""
    data = cache.load(key)
    if data is None:
        return False
    try:
        merged = merged_from(data, root)
    except DAMAGED:
        return False  # damaged: the folders are merged again
    state.entries.update(merged.state.entries)
    state.latest.update(merged.state.latest)
    state.refused.update(merged.state.refused)
    result.problems.extend(merged.problems)
    result.files.extend(merged.files)
    result.commentary.update(merged.commentary)
    result.sign_offs.update(merged.sign_offs)
    result.adjusted.update(merged.adjusted)
    result.outline.extend(merged.outline)
    result.figures_used += merged.figures_used
    result.figures_rejected += merged.figures_rejected
    cache.used(key)
    return True
