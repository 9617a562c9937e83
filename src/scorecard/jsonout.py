"""RunResult -> JSON: the same results as the master workbook, as data.

The output is strict JSON whatever the inputs hold: a non-finite number (an infinite
ratio when performance is zero against a lower-is-better target, a NaN) becomes null,
and text that cannot be encoded as UTF-8 is escaped rather than dropped.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from .model import ChaseItem
from .output import atomic_output
from .periods import FinancialYear
from .result import Changes, IndicatorResult, RunResult
from .spc import SpcResult, rule_reason


def run_to_json(run: RunResult) -> dict[str, Any]:
    """The run as plain data: inputs and their fingerprints, problems, and every indicator."""
    catalogue = run.catalogue
    data = {
        "month": str(run.month),
        "month_label": run.month.long,
        "financial_year": str(run.year),
        "organisation": catalogue.organisation.name,
        "catalogue": {"path": catalogue.path, "sha256": catalogue.fingerprint},
        "files": [
            {
                "path": f.path,
                "owner": f.owner,
                "month": str(f.month) if f.month else None,
                "sha256": f.sha256,
                "figures_read": f.figures_read,
                "figures_rejected": f.figures_rejected,
            }
            for f in run.files
        ],
        "ok": run.ok,
        "problems": [p.as_dict() for p in run.problems],
        "chase": chase_to_json(run.chase),
        "sign_offs": [
            {
                "owner": s.owner,
                "owner_name": s.owner_name,
                "file": s.file,
                "month": str(s.month) if s.month else None,
                "name": s.name,
                "role": s.role,
                "date": s.date,
            }
            for s in run.sign_offs
        ],
        "commentary_missing": [r.indicator.key for r in run.missing_commentary()],
        "counts": {str(status): n for status, n in run.counts().items()},
        "indicators": [_indicator(r, run.year) for r in run.results],
    }
    if run.changes is not None:  # the ledger found a pack for an earlier month
        data["changes"] = changes_to_json(run.changes)
    return {key: _finite(value) for key, value in data.items()}


def changes_to_json(changes: Changes) -> dict[str, Any]:
    """What changed since the last pack: restated figures, and the statuses they changed."""
    return {
        "pack_month": str(changes.pack_month),
        "compiled_at": changes.compiled_at,
        "restated": [
            {
                "key": r.key,
                "measure": r.measure,
                "month": str(r.month),
                "old": r.old,
                "new": r.new,
                "source": r.where,
                "comment": r.comment,
            }
            for r in changes.restated
        ],
        "statuses": [
            {
                "key": c.key,
                "old": c.old,
                "new": c.new,
                "revised": [str(m) for m in c.revised],
                "said": c.describe(),
            }
            for c in changes.statuses
        ],
    }


def chase_to_json(chase: list[ChaseItem]) -> list[dict[str, Any]]:
    """The chase list as data, in one shape for `compile --json` and `validate --json`."""
    return [
        {
            "owner": c.owner,
            "owner_name": c.owner_name,
            "months": [str(m) for m in c.months],
            "return": c.state,  # the report month's: missing, refused or received
            "text": c.describe(),
        }
        for c in chase
    ]


def _indicator(result: IndicatorResult, year: FinancialYear) -> dict[str, Any]:
    indicator, reading, assessment = result.indicator, result.reading, result.assessment
    short, long = result.direction, result.direction_long
    return {
        "key": indicator.key,
        "label": indicator.label,
        "title": indicator.title,
        "objective": indicator.objective,
        "owner": indicator.owner,
        "target": result.target,
        "value": reading.text,
        "numeric_value": reading.value if reading.available else None,
        # Against the period before, where the value compares with one (a change target):
        # the difference and the change in per cent, as numbers, not only in the text.
        "numeric_previous": reading.previous if reading.available else None,
        "numeric_change": reading.change if reading.available else None,
        "numeric_change_pct": reading.change_pct if reading.available else None,
        "numeric_target": assessment.target_value,
        "ratio": assessment.ratio,
        "status": str(assessment.status),
        "explanation": assessment.explanation,
        "period": reading.period,
        "sources": [str(s) for s in reading.sources],
        "direction": short,  # kept for compatibility: the short-term direction
        "direction_short": short,  # on the period before
        "direction_long": long,  # on the same period last year
        "trend": [{"month": str(m), "value": v} for m, v in reading.trend],
        "commentary": _commentary(result),
        "commentary_required": result.commentary_required,
        "spc": _spc(result.spc),
    }


def _spc(chart: SpcResult | None) -> dict[str, Any] | None:
    """The XmR chart as data: the series, each segment's limits, each point's rule hits,
    the variation and the assurance (or why there is none)."""
    if chart is None:
        return None
    options = chart.options
    return {
        "state": str(chart.state),
        "reason": chart.reason,
        "series": chart.series,
        "variation": str(chart.variation) if chart.variation else None,
        "assurance": str(chart.assurance) if chart.assurance else None,
        "assurance_reason": chart.assurance_reason,
        "target": chart.target,
        "target_basis": chart.target_basis,
        "profile": chart.profile,
        "chart": chart.kind,
        "note": chart.note,
        "settings": {
            "profile": options.profile,
            "chart": options.chart,
            "run_length": options.run_length,
            "shift_points": options.shift_points,
            "trend_points": options.trend_points,
            "two_in_three": options.two_in_three,
            "assurance_ties": options.assurance_ties,
            "screen_outliers": options.screen_outliers,
            "screen_mean": options.screen_mean,
            "minimum_points": options.minimum_points,
            "baseline_points": options.baseline_points,
            "rebase": [str(m) for m in options.rebase],
        },
        "segments": [
            {
                "first": str(s.first),
                "last": str(s.last),
                "points": s.points,
                "mean": s.limits.mean,
                "mean_moving_range": s.limits.mean_range,
                "lower_limit": s.limits.lower,
                "upper_limit": s.limits.upper,
            }
            for s in chart.segments
        ],
        "points": [
            {
                "month": str(p.month),
                "value": p.value,
                "mean": p.mean,
                "lower_limit": p.lower,
                "upper_limit": p.upper,
                "rule": str(p.rule),
                "reason": rule_reason(p.rule, options),
                "hits": [str(h) for h in p.hits],
                "type": str(p.type),
                "moving_range_screened": p.screened,
            }
            for p in chart.points
        ],
        "gaps": [str(m) for m in chart.gaps],
    }


def _commentary(result: IndicatorResult) -> dict[str, Any] | None:
    """The owner's words for the month, whole, with who gave them and where."""
    commentary = result.commentary
    if commentary is None:
        return None
    source = commentary.source
    return {
        "text": commentary.text,
        "month": str(commentary.month),
        "owner": commentary.owner,
        "given_by": commentary.given_by,
        "role": commentary.role,
        "file": source.file,
        "sheet": source.sheet,
        "cell": source.cell,
    }


def _finite(value: Any) -> Any:
    """`value` with every NaN or infinite float replaced by None, at any depth."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def dumps(run: RunResult) -> str:
    """The run as strict JSON text (no NaN or Infinity), indented, ending in a newline."""
    return json.dumps(run_to_json(run), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_json(run: RunResult, path: Path) -> Path:
    """Write the run's JSON to `path` atomically; return `path`."""
    path = Path(path)
    # A lone surrogate (from a damaged string) is written as its \\udXXX escape: still JSON.
    data = dumps(run).encode("utf-8", "backslashreplace")
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)
    return path
