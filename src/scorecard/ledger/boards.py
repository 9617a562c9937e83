"""Which pack of a month went to the board, and which were drafts.

A month is compiled many times: drafts as returns arrive, the one the board reads, and
sometimes again later. The board's pack of a month is the last one compiled from the
returns before the month was settled: before it was locked (`scorecard lock`), else
before the first pack of a later month (the team has moved on). A month not settled yet
has its latest pack, which becomes the board's unless another follows. A pack compiled
after its month was settled is "late" (a re-run for a question, not what the board
read); a pack rebuilt with ``--as-of`` is "rebuilt". Pure: packs and locks in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .records import Pack, shown_time
from .times import shown_times

BOARD, DRAFT, LATEST, LATE, REBUILT = "board", "draft", "latest", "late", "rebuilt"

ROLE_WORDS = {
    BOARD: "the board's",
    DRAFT: "draft",
    LATEST: "latest, not settled yet",
    LATE: "after the board's",
    REBUILT: "rebuilt",
}


@dataclass(frozen=True)
class Settled:
    """When a month was settled, and why: locked, or a later month compiled."""

    at: str
    why: str


def settled(packs: list[Pack], locks: dict[str, str]) -> dict[str, Settled]:
    """When each month with packs was settled (months not settled are left out)."""
    compiled = sorted((p.compiled_at, p.month) for p in packs if p.as_of is None)
    out: dict[str, Settled] = {}
    for month in {m for _, m in compiled}:
        first = next(at for at, m in compiled if m == month)
        later = next((at for at, m in compiled if m > month and at > first), None)
        if month in locks:
            out[month] = Settled(locks[month], "locked")
        elif later is not None:
            out[month] = Settled(later, "a later month compiled")
    return out


def roles(packs: list[Pack], locks: dict[str, str]) -> dict[int, str]:
    """Each pack's role by its id: board, draft, latest, late or rebuilt."""
    when = settled(packs, locks)
    out: dict[int, str] = {}
    by_month: dict[str, list[Pack]] = {}
    for pack in sorted(packs, key=lambda p: (p.compiled_at, p.id)):
        if pack.as_of is not None:
            out[pack.id] = REBUILT
        else:
            by_month.setdefault(pack.month, []).append(pack)
    for month, compiled in by_month.items():
        cut = when.get(month)
        before = [p for p in compiled if cut is None or p.compiled_at <= cut.at]
        for pack in compiled:
            out[pack.id] = DRAFT if pack in before else LATE
        if before:
            out[before[-1].id] = LATEST if cut is None else BOARD
    return out


def listing(packs: list[Pack], locks: dict[str, str]) -> list[dict[str, Any]]:
    """The packs as `scorecard packs` lists them: each with its `role`, and its time as
    printed (`shown`: typed back to ``--as-of``, it names this pack)."""
    from dataclasses import asdict

    role = roles(packs, locks)
    shown = shown_times(p.compiled_at for p in packs)
    return [{**asdict(p), "role": role[p.id], "shown": shown[p.compiled_at]} for p in packs]


def describe(item: dict[str, Any]) -> str:
    """One line of `scorecard packs`: which month, when, its role, from how many
    returns, written where."""
    rebuilt = f", rebuilt as of {shown_time(item['as_of'])}" if item["as_of"] else ""
    return (
        f"pack {item['id']}: {item['month']} compiled {item['shown']}{rebuilt} "
        f"[{ROLE_WORDS[item['role']]}] from {len(item['inputs'])} return(s), catalogue "
        f"{item['fingerprint'][:12]}: {item['master']}"
    )
