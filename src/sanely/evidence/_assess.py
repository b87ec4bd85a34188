"""The assessment: from data and spec to an estimate, interval, verdict and explanation."""

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from ._adjusted import adjusted, adjustment_sentence
from ._bootstrap import bootstrap
from ._errors import SpecError
from ._estimate import contrast
from ._inference import holm
from ._ingest import needs_rows, read_table
from ._models import fixed_effects, its, paired, quantile_threshold
from ._panel import panel_explanation
from ._sample import Sample, aggregate_unit_period, build_sample
from ._spec import Spec, parse_spec
from ._table import IngestReport, Table
from ._toolbox import Result
from ._verdict import Verdict, describe_metric, explain, judge, strengthen
from ._wild import enough_clusters, few_clusters, wild


@dataclass(frozen=True)
class Assessment:
    """The result of assessing a target: what the portal stores and `--json` prints.

    For before_after and did the estimate is after minus before (pilot minus comparison for
    did); for two_group it is pilot minus comparison; for its it is the change in level.
    `n` counts rows per group and period. `std_error` is None for order-statistic intervals.
    """

    estimate: float
    std_error: float | None
    ci_low: float
    ci_high: float
    confidence: float
    p_value: float
    n: Mapping[str, Mapping[str, int]]
    method: str
    verdict: Verdict
    explanation: str
    p_value_holm: float | None = None
    details: Mapping[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    report: IngestReport = field(default_factory=IngestReport)
    series: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (dicts, lists, numbers, text and None)."""
        data = asdict(self)
        data["warnings"] = list(self.warnings)
        return data

    def to_json(self) -> str:
        """One JSON object: estimate, std_error, ci_low, ci_high, p_value, n, method,
        verdict, explanation, and the rest of `to_dict`."""
        return json.dumps(self.to_dict(), ensure_ascii=False, allow_nan=False)


_WHAT = {
    "threshold": "{metric}",
    "before_after": "change in {metric}, after minus before",
    "two_group": "difference in {metric}, pilot minus comparison",
    "did": "difference in differences of {metric} (after minus before, pilot minus comparison)",
    "its": "change in level of {metric} at the change",
    "synthetic_control": "mean gap in {metric} after the change, pilot unit minus its synthetic",
    "staggered": "average effect on {metric} of the units in the pilot, over their pilot periods",
}
# Loaded when used, as is the sequential plan: their scipy modules take a second to load.
_PANEL_DESIGNS = ("synthetic_control", "staggered")


def _analysed(spec: Spec) -> Spec:
    """The spec the estimators see: after aggregation per unit and period, means of cells."""
    if spec.metric.aggregate == "unit_period":
        return replace(spec, metric=replace(spec.metric, statistic="mean", aggregate="none"))
    return spec


def prepare(data: str | Path | Table, spec: Spec | Mapping[str, Any]) -> Sample:
    """Read (if a path) and code the data for the spec's design, ready for `assess`.

    Preparing once lets several analyses, or a benchmark, reuse the coded rows: the
    estimators then need only weighted bincounts over the prepared cluster-by-cell key.
    """
    spec = spec if isinstance(spec, Spec) else parse_spec(spec)
    table = data if isinstance(data, Table) else read_table(data, spec)
    if table.summary is not None and needs_rows(spec):
        raise SpecError(
            "This table holds sums of groups of rows, so medians, percentiles, bootstraps "
            "without columns.unit and robust errors with covariates or weights are "
            "unavailable; read the file with this spec, or declare columns.unit."
        )
    if spec.metric.aggregate == "unit_period":
        # Each unit-period cell's statistic becomes one value; the design compares their means.
        table = aggregate_unit_period(table, spec)
    return build_sample(table, _analysed(spec))


def _estimate(sample: Sample, spec: Spec) -> Result:
    design = spec.design
    is_paired = design.kind == "before_after" and spec.columns.unit is not None
    if spec.inference.method == "wild" or few_clusters(sample, spec):
        return wild(sample, spec)
    if spec.inference.method == "bootstrap":
        return bootstrap(sample, spec, is_paired)
    if spec.adjusted:
        return adjusted(sample, spec)
    if design.kind == "its":
        return its(sample, spec)
    if design.fixed_effects:
        return fixed_effects(sample, spec)
    if is_paired:
        return paired(sample, spec)
    if spec.metric.statistic in ("median", "percentile"):
        return quantile_threshold(sample, spec)
    return contrast(sample, spec)


def _warnings(report: IngestReport) -> tuple[str, ...]:
    notes = list(report.notes)
    if report.encoding.startswith("Latin-1"):
        notes.append(f"The file was not UTF-8; it was read as {report.encoding}.")
    if report.blank_lines:
        notes.append(f"{report.blank_lines} blank line(s) were skipped.")
    if report.duplicate_rows:
        action = "dropped" if report.duplicates_dropped else "kept (data.duplicates = 'keep')"
        notes.append(f"{report.duplicate_rows} row(s) repeat an earlier row exactly: {action}.")
    for column, count in report.missing_dropped.items():
        notes.append(f"{count} row(s) with a missing {column!r} were left out.")
    return tuple(notes)


def _assess_panel(data: str | Path | Table | Sample, spec: Spec) -> Assessment:
    """Synthetic control and staggered adoption: designs on a unit-by-period panel."""
    if isinstance(data, Sample):
        raise SpecError(f"kind = {spec.design.kind!r} reads a file or a Table, not a Sample.")
    table = data if isinstance(data, Table) else read_table(data, spec)
    if spec.design.kind == "staggered":
        from ._staggered import staggered as design
    else:
        from ._synthetic import synthetic_control as design
    outcome = design(table, spec)
    result, confidence = outcome.result, spec.inference.confidence
    verdict = judge(spec.target, result.estimate, result.ci_low, result.ci_high)
    if outcome.fit_problem and spec.target is not None:
        verdict = "inconclusive"
    what = _WHAT[spec.design.kind].format(metric=describe_metric(spec))
    sentence = explain(spec, result.estimate, result.ci_low, result.ci_high, confidence, verdict)
    return Assessment(
        estimate=result.estimate,
        std_error=result.std_error,
        ci_low=result.ci_low,
        ci_high=result.ci_high,
        confidence=confidence,
        p_value=result.p_value,
        n=outcome.n_table,
        method=f"{what[0].upper()}{what[1:]}; {result.method}.",
        verdict=verdict,
        explanation=f"{sentence} {panel_explanation(outcome)}",
        details=result.details,
        warnings=_warnings(table.report) + outcome.warnings,
        report=table.report,
        series=outcome.series,
    )


def _judged(spec: Spec, result: Result) -> tuple[Verdict, str, dict[str, float]]:
    """The verdict, its explanation and details: against the target's interval, or at the
    look of a group-sequential plan (the interval is then reported, the boundary judges)."""
    interval = (result.estimate, result.ci_low, result.ci_high, spec.inference.confidence)
    plan, target = spec.sequential, spec.target
    if plan is None or target is None:
        verdict = judge(target, result.estimate, result.ci_low, result.ci_high)
        sentences = [explain(spec, *interval, verdict), adjustment_sentence(spec), result.why]
        if verdict == "inconclusive" and target is not None:
            sentences.append(strengthen(spec, target, *interval[:3]))
        return verdict, " ".join(s for s in sentences if s), result.details
    replicates = result.details.get("replicates")
    bootstrapped = None if replicates is None else int(replicates)
    from ._sequential import judge_look

    look = judge_look(plan, target, result.estimate, result.p_value, bootstrapped)
    sentences = [explain(replace(spec, target=None), *interval, look.verdict)]
    sentences += [adjustment_sentence(spec), look.sentence]
    sentences.append(result.why)
    return look.verdict, " ".join(s for s in sentences if s), {**result.details, **look.details}


def assess(data: str | Path | Table | Sample, spec: Spec | Mapping[str, Any]) -> Assessment:
    """Assess a target from data: estimate, interval, p-value, verdict and explanation.

    `data` is a file path (CSV, XLSX, Parquet, JSON Lines; see `read_table`), a `Table`, or
    a `Sample` from `prepare` with the same spec;
    `spec` a `Spec` or the mapping of SPEC.toml. Formulas and references are given by each
    design's estimator (docs/evidence.md). Raises `SpecError`, `DataError` or `AnalysisError`
    with a message saying what to change; never reads the clock.
    """
    spec = spec if isinstance(spec, Spec) else parse_spec(spec)
    if spec.design.kind in _PANEL_DESIGNS:
        return _assess_panel(data, spec)
    sample = data if isinstance(data, Sample) else prepare(data, spec)
    result = _estimate(sample, _analysed(spec))
    if not result.why:
        result = replace(result, why=enough_clusters(sample, _analysed(spec)))
    verdict, explanation, details = _judged(spec, result)
    what = _WHAT[spec.design.kind].format(metric=describe_metric(spec))
    if spec.design.kind == "its" and spec.design.treated:
        what += ", pilot series minus comparison series"
    return Assessment(
        estimate=result.estimate,
        std_error=result.std_error if math.isfinite(result.std_error) else None,
        ci_low=result.ci_low,
        ci_high=result.ci_high,
        confidence=spec.inference.confidence,
        p_value=result.p_value,
        n=sample.n_table,
        method=f"{what[0].upper()}{what[1:]}; {result.method}.",
        verdict=verdict,
        explanation=explanation,
        details=details,
        warnings=_warnings(sample.report),
        report=sample.report,
    )


def assess_phase(
    data: str | Path | Table, specs: Sequence[Spec | Mapping[str, Any]]
) -> tuple[Assessment, ...]:
    """Assess several targets of one phase, adding Holm-adjusted p-values alongside.

    Holm (1979) controls the chance of any false 'effect' across the phase's targets; each
    `Assessment.p_value_holm` is its adjusted p-value, `p_value` stays unadjusted.
    """
    results = [assess(data, spec) for spec in specs]
    adjusted = holm([result.p_value for result in results])
    return tuple(replace(r, p_value_holm=p) for r, p in zip(results, adjusted, strict=True))
