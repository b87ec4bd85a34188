"""sanely.evidence: assess pilot outcome data against an Innovation Partnership's targets.

Pure Python (numpy, scipy; DuckDB for data larger than memory). The portal calls
`assess(path_or_table, spec)` and stores `Assessment.to_json()`; analysts run
`sanely evidence assess DATA --spec SPEC.toml [--json]`. See docs/evidence.md.
"""

from ._assess import Assessment, assess, assess_phase, prepare
from ._charts import Chart, comparison_chart, time_series_chart
from ._errors import AnalysisError, ChartError, DataError, EvidenceError, Issue, SpecError
from ._inference import holm, newcombe, wilson
from ._ingest import read_table
from ._planning import Plan, plan
from ._sample import Sample, period_order
from ._spec import (
    Columns,
    DataPolicy,
    Design,
    Inference,
    Metric,
    Spec,
    Target,
    load_spec,
    parse_spec,
)
from ._table import Factor, IngestReport, Table, table_from_arrays
from ._verdict import Verdict, judge

__all__ = [
    "AnalysisError",
    "Assessment",
    "Chart",
    "ChartError",
    "Columns",
    "DataError",
    "DataPolicy",
    "Design",
    "EvidenceError",
    "Factor",
    "Inference",
    "IngestReport",
    "Issue",
    "Metric",
    "Plan",
    "Sample",
    "Spec",
    "SpecError",
    "Table",
    "Target",
    "Verdict",
    "assess",
    "assess_phase",
    "comparison_chart",
    "holm",
    "judge",
    "load_spec",
    "newcombe",
    "parse_spec",
    "period_order",
    "plan",
    "prepare",
    "read_table",
    "table_from_arrays",
    "time_series_chart",
    "wilson",
]
