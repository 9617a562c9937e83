"""The pipeline's side of the ledger (`scorecard.ledger`): what a compile records,
locked months, the changes since the last pack, and a past pack rebuilt.

The ledger itself stores plain records and knows nothing of the pipeline; this package
feeds it from a compile (`compile_recorded`: the merge's result names every return
merged, and each new one's figures come from its cache entry) and rebuilds a
`ReturnsRead` from what it holds (`compile_as_of`).
``feed`` (returns and packs as records), ``knowledge`` (what the ledger knew, merged
again), ``locks``, ``changes`` and ``session`` (a compile with the ledger).
"""

from __future__ import annotations

from .session import (
    DEFAULT_NAME,
    Recorder,
    compile_as_of,
    compile_recorded,
    ledger_path,
)

__all__ = ["DEFAULT_NAME", "Recorder", "compile_as_of", "compile_recorded", "ledger_path"]
