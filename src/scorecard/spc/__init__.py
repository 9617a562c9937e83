"""Statistical process control beside the RAG status: NHS "Making Data Count" XmR charts.

`xmr` is the arithmetic (limits, special-cause rules, assurance) as NHSRplotthedots does
it; `chart` analyses one monthly series into the `SpcResult` the writers show; `series`
takes each month's own figure from the returns and states the target in its terms.
"""

from .chart import (
    SpcOptions,
    SpcPoint,
    SpcResult,
    SpcSegment,
    SpcState,
    Variation,
    analyse,
    direction_of,
    rule_reason,
)
from .indicator import indicator_spc
from .xmr import AssuranceType, Limits, PointType, Rule

__all__ = [
    "AssuranceType",
    "Limits",
    "PointType",
    "Rule",
    "SpcOptions",
    "SpcPoint",
    "SpcResult",
    "SpcSegment",
    "SpcState",
    "Variation",
    "analyse",
    "direction_of",
    "indicator_spc",
    "rule_reason",
]
