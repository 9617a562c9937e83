"""What a run found: each indicator's row of the report, and the run as a whole.

The pipeline (`compile`) makes a `RunResult`; the writers (`workbook`, `jsonout`) take
one and show it. Neither writer needs the pipeline: both import this module instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalogue import Catalogue, Indicator
from .errors import Level, Problem
from .model import Assessment, ChaseItem, Commentary, Reading, ReturnFile, SignOff, Status
from .periods import FinancialYear, Month
from .spc import SpcResult


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's row of the report."""

    indicator: Indicator
    reading: Reading
    assessment: Assessment
    target: str
    direction: str | None  # better / same / worse against the period before
    direction_long: str | None = None  # ... against the same period last year
    commentary: Commentary | None = None  # the owner's words for the report month
    commentary_required: bool = False  # the catalogue asks for them at this status
    spc: SpcResult | None = None  # the XmR chart and its icons, where the catalogue asks

    @property
    def status(self) -> Status:
        return self.assessment.status


@dataclass(frozen=True)
class Restatement:
    """A figure the last pack used that a return has since changed."""

    key: str
    label: str  # the indicator as the report names it
    measure: str
    month: Month
    old: str
    new: str
    where: str  # the file and cell of the new figure
    comment: str = ""  # the lead's words on it


@dataclass(frozen=True)
class StatusChange:
    """An indicator whose status in the last pack differs now that its figures were
    restated: "RED in the June 2008 pack; AMBER now that June 2008 was revised"."""

    key: str
    label: str
    month: Month  # the last pack's month
    old: str  # the statuses as the organisation labels them
    new: str
    revised: tuple[Month, ...]
    old_status: str = ""  # the same as `Status` values ("RED"), for the board summary
    new_status: str = ""

    def describe(self) -> str:
        months = ", ".join(m.label for m in self.revised)
        pack = f"{self.old} in the {self.month.label} pack"
        verb = "was" if len(self.revised) == 1 else "were"
        return f"{pack}; {self.new} now that {months} {verb} revised"


@dataclass(frozen=True)
class Changes:
    """What changed since the last pack compiled for an earlier month."""

    pack_month: Month
    compiled_at: str  # when that pack was compiled, as the ledger says (UTC)
    restated: tuple[Restatement, ...] = ()
    statuses: tuple[StatusChange, ...] = ()
    # Each indicator's status in that pack, (key, `Status` value): what moved since.
    pack_statuses: tuple[tuple[str, str], ...] = ()


@dataclass
class RunResult:
    """Everything the master workbook and the JSON output show."""

    catalogue: Catalogue
    month: Month
    results: list[IndicatorResult]
    problems: list[Problem] = field(default_factory=list)
    chase: list[ChaseItem] = field(default_factory=list)
    files: list[ReturnFile] = field(default_factory=list)
    sign_offs: list[SignOff] = field(default_factory=list)  # the report month's returns
    # Since the last pack (the ledger's): figures restated, and statuses they changed.
    changes: Changes | None = None

    @property
    def year(self) -> FinancialYear:
        return self.catalogue.financial_year(self.month)

    @property
    def ok(self) -> bool:
        return not any(p.level == Level.ERROR for p in self.problems)

    def counts(self) -> dict[Status, int]:
        counts = {s: 0 for s in Status}
        for r in self.results:
            counts[r.status] += 1
        return counts

    def counts_by_objective(self) -> dict[str, dict[Status, int]]:
        table: dict[str, dict[Status, int]] = {
            o.key: {s: 0 for s in Status} for o in self.catalogue.objectives
        }
        for r in self.results:
            table[r.indicator.objective][r.status] += 1
        return table

    @property
    def has_spc(self) -> bool:
        """Whether any row has SPC: the master then shows Variation and Assurance."""
        return any(r.spc is not None for r in self.results)

    def missing_commentary(self) -> list[IndicatorResult]:
        """The rows whose status needs the owner's words, and which have none."""
        return [r for r in self.results if r.commentary_required and r.commentary is None]
