"""sanely.evidence: assess pilot outcome data against an Innovation Partnership's targets.

Pure Python (numpy, scipy; DuckDB reads every data file). The portal calls
`assess(path_or_table, spec)` and stores `Assessment.to_json()`; analysts run
`sanely evidence assess DATA --spec SPEC.toml [--json]`. See docs/evidence.md.

Names are imported from their modules on first use (PEP 562), so that the command starts,
and prints its help, without waiting for numpy, scipy and DuckDB to load.
"""

import importlib
from typing import TYPE_CHECKING

# Each public name by the module that defines it.
_HOMES = {
    "_assess": ("Assessment", "assess", "assess_phase", "prepare"),
    "_charts": ("Chart", "comparison_chart", "time_series_chart"),
    "_errors": ("AnalysisError", "ChartError", "DataError", "EvidenceError", "Issue", "SpecError"),
    "_inference": ("holm", "newcombe", "wilson"),
    "_ingest": ("read_table",),
    "_panel_charts": ("design_chart", "event_time_chart", "gap_chart"),
    "_planning": ("Plan", "plan"),
    "_progress_charts": ("planned_paid_chart", "verdict_chart"),
    "_sample": ("Sample", "describe_rows", "period_order"),
    "_spec": (
        "Columns",
        "DataPolicy",
        "Design",
        "Inference",
        "Metric",
        "Spec",
        "Target",
        "load_spec",
        "parse_spec",
    ),
    "_table": ("Factor", "IngestReport", "Table", "table_from_arrays"),
    "_verdict": ("Verdict", "judge"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}
__all__ = sorted(_HOME_OF)


def __getattr__(name: str) -> object:
    if name not in _HOME_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOME_OF[name]}", __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # the same names, for type checkers
    from ._assess import Assessment as Assessment
    from ._assess import assess as assess
    from ._assess import assess_phase as assess_phase
    from ._assess import prepare as prepare
    from ._charts import Chart as Chart
    from ._charts import comparison_chart as comparison_chart
    from ._charts import time_series_chart as time_series_chart
    from ._errors import AnalysisError as AnalysisError
    from ._errors import ChartError as ChartError
    from ._errors import DataError as DataError
    from ._errors import EvidenceError as EvidenceError
    from ._errors import Issue as Issue
    from ._errors import SpecError as SpecError
    from ._inference import holm as holm
    from ._inference import newcombe as newcombe
    from ._inference import wilson as wilson
    from ._ingest import read_table as read_table
    from ._panel_charts import design_chart as design_chart
    from ._panel_charts import event_time_chart as event_time_chart
    from ._panel_charts import gap_chart as gap_chart
    from ._planning import Plan as Plan
    from ._planning import plan as plan
    from ._progress_charts import planned_paid_chart as planned_paid_chart
    from ._progress_charts import verdict_chart as verdict_chart
    from ._sample import Sample as Sample
    from ._sample import describe_rows as describe_rows
    from ._sample import period_order as period_order
    from ._spec import Columns as Columns
    from ._spec import DataPolicy as DataPolicy
    from ._spec import Design as Design
    from ._spec import Inference as Inference
    from ._spec import Metric as Metric
    from ._spec import Spec as Spec
    from ._spec import Target as Target
    from ._spec import load_spec as load_spec
    from ._spec import parse_spec as parse_spec
    from ._table import Factor as Factor
    from ._table import IngestReport as IngestReport
    from ._table import Table as Table
    from ._table import table_from_arrays as table_from_arrays
    from ._verdict import Verdict as Verdict
    from ._verdict import judge as judge
