"""The assessment spec: what to measure, how to compare, and the target to judge against."""

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from ._errors import SpecError

DesignKind = Literal[
    "threshold", "before_after", "two_group", "did", "its", "synthetic_control", "staggered"
]
Comparison = Literal["never_treated", "not_yet_treated"]
Statistic = Literal["mean", "proportion", "total", "rate", "ratio", "median", "percentile"]
Comparator = Literal[">=", ">", "<=", "<"]
Standard = Literal["estimate", "ci_bound"]
Method = Literal["auto", "analytic", "bootstrap", "wild"]
WildWeights = Literal["auto", "rademacher", "webb"]
Errors = Literal["auto", "classical", "robust", "cluster", "hac"]
Interval = Literal["bca", "percentile"]
Aggregate = Literal["none", "unit_period"]
OnMissing = Literal["drop", "error"]
Duplicates = Literal["keep", "drop", "error"]
SpendingName = Literal["obrien_fleming", "pocock"]
WeightKind = Literal["analytic", "survey"]

DEFAULT_MISSING = ("", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "-", ".")
MOST_COLUMNS = 50
"""The most covariates, or predictor columns, a spec may name (each is read in every row)."""


@dataclass(frozen=True)
class Columns:
    """Names of the columns of the data used by the assessment (`[columns]`)."""

    value: str
    exposure: str | None = None
    unit: str | None = None
    period: str | None = None
    group: str | None = None
    covariates: tuple[str, ...] = ()
    weight: str | None = None


@dataclass(frozen=True)
class Design:
    """How the pilot is compared (`[design]`)."""

    kind: DesignKind
    treated: tuple[str, ...] = ()
    control: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    fixed_effects: bool = False
    season_length: int = 0
    change_at: str | None = None
    comparison: Comparison = "never_treated"
    never_treated: tuple[str, ...] = ("0",)


@dataclass(frozen=True)
class Metric:
    """The statistic computed in each group and period (`[metric]`)."""

    statistic: Statistic
    percentile: float = 50.0
    aggregate: Aggregate = "none"
    label: str = ""
    units: str = ""


@dataclass(frozen=True)
class Target:
    """The intermediate target and the evidence standard it is judged by (`[target]`)."""

    comparator: Comparator
    threshold: float
    confidence: float = 0.95
    standard: Standard = "ci_bound"


@dataclass(frozen=True)
class Inference:
    """How uncertainty is computed (`[inference]`)."""

    method: Method = "auto"
    errors: Errors = "auto"
    interval: Interval = "bca"
    replicates: int = 2000
    seed: int = 0
    confidence: float = 0.95
    lags: int | None = None
    wild_weights: WildWeights = "auto"
    weights: WeightKind | None = None


@dataclass(frozen=True)
class DataPolicy:
    """How the data file is read and cleaned (`[data]`)."""

    missing: tuple[str, ...] = DEFAULT_MISSING
    on_missing: OnMissing = "drop"
    duplicates: Duplicates = "keep"
    sheet: str | None = None
    where: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Sequential:
    """One look of a group-sequential plan for the target across gates (`[sequential]`)."""

    looks: int
    look: int
    spending: SpendingName = "obrien_fleming"
    futility: bool = False
    futility_spending: SpendingName = "obrien_fleming"
    power: float = 0.8
    fractions: tuple[float, ...] = ()


@dataclass(frozen=True)
class Predictor:
    """One predictor of a synthetic control (`[predictors]`): a column's mean per unit over
    some periods before the change (`periods` empty: every period before it)."""

    column: str
    periods: tuple[str, ...] = ()


@dataclass(frozen=True)
class Spec:
    """A complete assessment spec, as read from SPEC.toml or built by the portal."""

    columns: Columns
    design: Design
    metric: Metric
    target: Target | None = None
    inference: Inference = Inference()
    data: DataPolicy = DataPolicy()
    sequential: Sequential | None = None
    predictors: tuple[Predictor, ...] = ()

    @property
    def adjusted(self) -> bool:
        """Whether the estimate is a regression with covariates or weights (`_adjusted`)."""
        return bool(self.columns.covariates or self.columns.weight)


_NEEDS: dict[str, tuple[str, ...]] = {
    "threshold": (),
    "before_after": ("period",),
    "two_group": ("group",),
    "did": ("group", "period"),
    "its": ("period",),
    "synthetic_control": ("unit", "period"),
    "staggered": ("unit", "period", "group"),
}


def _table(raw: Mapping[str, Any], name: str, known: tuple[str, ...]) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, Mapping):
        raise SpecError(f"[{name}] must be a table of keys, not {value!r}.")
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise SpecError(
            f"{name}.{unknown[0]} is not a known key; the keys of [{name}] are: {', '.join(known)}."
        )
    return dict(value)


def _text(table: Mapping[str, Any], section: str, key: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise SpecError(f"{section}.{key} must be a non-empty text, not {value!r}.")
    return value


def _choice(table: Mapping[str, Any], section: str, key: str, options: Any, default: str) -> Any:
    value = table.get(key, default)
    allowed = get_args(options)
    if value not in allowed:
        listed = " | ".join(str(option) for option in allowed)
        raise SpecError(f"{section}.{key} = {value!r} is not one of: {listed}.")
    return value


def _texts(table: Mapping[str, Any], section: str, key: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise SpecError(f'{section}.{key} must be a list of values as text, e.g. ["2025-Q1"].')
    return tuple(str(v) for v in value)


def _period(table: Mapping[str, Any], section: str, key: str) -> str | None:
    value = table.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(table, section, key)


def _number(table: Mapping[str, Any], section: str, key: str, default: float | None) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SpecError(f"{section}.{key} must be a number, not {value!r}.")
    return float(value)


def _integer(table: Mapping[str, Any], section: str, key: str, default: int, least: int) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise SpecError(f"{section}.{key} must be a whole number of at least {least}.")
    return value


def _confidence(table: Mapping[str, Any], section: str, default: float) -> float:
    value = _number(table, section, "confidence", default)
    if not 0.5 <= value < 1:
        raise SpecError(f"{section}.confidence must be between 0.5 and 1, e.g. 0.95.")
    return value


def _columns(raw: Mapping[str, Any]) -> Columns:
    keys = ("value", "exposure", "unit", "period", "group", "covariates", "weight")
    table = _table(raw, "columns", keys)
    value = _text(table, "columns", "value")
    if value is None:
        raise SpecError("columns.value is required: name the measured column of the data.")
    columns = Columns(
        value=value,
        exposure=_text(table, "columns", "exposure"),
        unit=_text(table, "columns", "unit"),
        period=_text(table, "columns", "period"),
        group=_text(table, "columns", "group"),
        covariates=_texts(table, "columns", "covariates"),
        weight=_text(table, "columns", "weight"),
    )
    if len(columns.covariates) > MOST_COLUMNS:
        raise SpecError(f"columns.covariates may name at most {MOST_COLUMNS} columns.")
    named = [columns.value, columns.exposure, columns.unit, columns.period, columns.group]
    extra = [("weight", columns.weight)] if columns.weight else []
    for key, name in extra + [("covariates", c) for c in columns.covariates]:
        if not name.strip():
            raise SpecError(f"columns.{key} must name columns of the data, not an empty text.")
        if name in named:
            raise SpecError(
                f"columns.{key} names {name!r}, which the spec already uses for another "
                "purpose; each column plays one part."
            )
        named.append(name)
    return columns


def _design(raw: Mapping[str, Any], columns: Columns) -> Design:
    keys = ("kind", "treated", "control", "before", "after", "fixed_effects", "season_length")
    table = _table(raw, "design", (*keys, "change_at", "comparison", "never_treated"))
    if "kind" not in table:
        raise SpecError(
            "design.kind is required: threshold | before_after | two_group | did | its | "
            "synthetic_control | staggered."
        )
    kind = _choice(table, "design", "kind", DesignKind, "threshold")
    for needed in _NEEDS[kind]:
        if getattr(columns, needed) is None:
            raise SpecError(
                f"design.kind = {kind!r} needs columns.{needed}: add it to [columns], "
                f"naming the column that holds the {needed}.",
                key=f"columns.{needed}",
            )
    fixed_effects = table.get("fixed_effects", False)
    if not isinstance(fixed_effects, bool):
        raise SpecError("design.fixed_effects must be true or false.")
    design = Design(
        kind=kind,
        treated=_texts(table, "design", "treated"),
        control=_texts(table, "design", "control"),
        before=_texts(table, "design", "before"),
        after=_texts(table, "design", "after"),
        fixed_effects=fixed_effects,
        season_length=_integer(table, "design", "season_length", 0, 0),
        change_at=_period(table, "design", "change_at"),
        comparison=_choice(table, "design", "comparison", Comparison, "never_treated"),
        never_treated=_texts(table, "design", "never_treated") or ("0",),
    )
    _check_panel_design(design, table)
    comparative = kind == "its" and bool(design.treated or design.control)
    if comparative and columns.group is None:
        raise SpecError(
            "design.treated and design.control make kind = 'its' comparative: add "
            "columns.group, naming the column that tells the pilot series from the comparison.",
            key="columns.group",
        )
    if kind in ("two_group", "did") or comparative:
        for key in ("treated", "control"):
            if not getattr(design, key):
                raise SpecError(f"design.{key} must list the values of {columns.group!r} for it.")
        if set(design.treated) & set(design.control):
            raise SpecError("design.treated and design.control share a value; make them disjoint.")
    if kind == "its" and design.change_at is not None:
        if design.before or design.after:
            raise SpecError(
                "design.change_at gives the first period of the pilot: leave out design.before "
                "and design.after (every period of the data is used)."
            )
    elif kind in ("before_after", "did", "its"):
        for key in ("before", "after"):
            if not getattr(design, key):
                raise SpecError(f"design.{key} must list the values of {columns.period!r} for it.")
        if set(design.before) & set(design.after):
            raise SpecError("design.before and design.after share a value; make them disjoint.")
    if fixed_effects and (kind != "did" or columns.unit is None):
        raise SpecError("design.fixed_effects applies to kind = 'did' with columns.unit declared.")
    if design.season_length == 1 or (design.season_length and kind != "its"):
        raise SpecError("design.season_length applies to kind = 'its' and must be at least 2.")
    return design


def _check_panel_design(design: Design, table: Mapping[str, Any]) -> None:
    """Keys of synthetic_control and staggered (docs/evidence.md), and only theirs."""
    kind = design.kind
    if kind == "synthetic_control":
        if len(design.treated) != 1:
            raise SpecError(
                "design.treated must name exactly one unit (a value of columns.unit) for "
                "kind = 'synthetic_control'; with several pilot units use 'did' or 'staggered'."
            )
        if design.treated[0] in design.control:
            raise SpecError("design.control (the donors) must not list the pilot unit.")
        if (design.change_at is not None) == bool(design.before or design.after):
            raise SpecError(
                "kind = 'synthetic_control' needs the change: give design.change_at (the first "
                "period of the pilot), or design.before and design.after, not both."
            )
    elif design.change_at is not None and kind != "its":
        raise SpecError("design.change_at applies to kind = 'synthetic_control' or 'its'.")
    own = {"comparison", "never_treated"} & set(table)
    if kind == "staggered":
        used = {"treated", "control", "before", "after"} & set(table)
        if used:
            raise SpecError(
                f"design.{sorted(used)[0]} does not apply to kind = 'staggered': columns.group "
                "gives each unit's first period of the pilot; leave it out."
            )
    elif own:
        raise SpecError(f"design.{sorted(own)[0]} applies to kind = 'staggered'.")


def _metric(raw: Mapping[str, Any], columns: Columns) -> Metric:
    table = _table(raw, "metric", ("statistic", "percentile", "aggregate", "label", "units"))
    statistic = _choice(table, "metric", "statistic", Statistic, "mean")
    if statistic in ("rate", "ratio") and columns.exposure is None:
        raise SpecError(
            f"metric.statistic = {statistic!r} needs columns.exposure (the denominator).",
            key="columns.exposure",
        )
    percentile = _number(table, "metric", "percentile", 50.0)
    if not 0 < percentile < 100:
        raise SpecError("metric.percentile must be between 0 and 100, e.g. 90.")
    aggregate = _choice(table, "metric", "aggregate", Aggregate, "none")
    if aggregate == "unit_period" and (columns.unit is None or columns.period is None):
        raise SpecError("metric.aggregate = 'unit_period' needs columns.unit and columns.period.")
    return Metric(
        statistic=statistic,
        percentile=50.0 if statistic == "median" else percentile,
        aggregate=aggregate,
        label=_text(table, "metric", "label") or "",
        units=_text(table, "metric", "units") or "",
    )


def _target(raw: Mapping[str, Any]) -> Target | None:
    if "target" not in raw:
        return None
    table = _table(raw, "target", ("comparator", "threshold", "confidence", "standard"))
    if "comparator" not in table or "threshold" not in table:
        raise SpecError(
            "A target needs target.comparator (>=, >, <=, <) and target.threshold (a number); "
            "give both in [target].",
            key="target.threshold" if "comparator" in table else "target.comparator",
        )
    return Target(
        comparator=_choice(table, "target", "comparator", Comparator, ">="),
        threshold=_number(table, "target", "threshold", None),
        confidence=_confidence(table, "target", 0.95),
        standard=_choice(table, "target", "standard", Standard, "ci_bound"),
    )


def _inference(raw: Mapping[str, Any], columns: Columns, target: Target | None) -> Inference:
    keys = ("method", "errors", "interval", "replicates", "seed", "confidence", "lags")
    table = _table(raw, "inference", (*keys, "wild_weights", "weights"))
    errors = _choice(table, "inference", "errors", Errors, "auto")
    if errors == "cluster" and columns.unit is None:
        raise SpecError(
            "inference.errors = 'cluster' needs columns.unit (the clusters).", key="columns.unit"
        )
    method = _choice(table, "inference", "method", Method, "auto")
    if method == "wild" and (columns.unit is None or errors not in ("auto", "cluster")):
        raise SpecError(
            "inference.method = 'wild' resamples clusters: it needs columns.unit and "
            "inference.errors = 'cluster' (or left out).",
            key="columns.unit" if columns.unit is None else "inference.errors",
        )
    default_confidence = target.confidence if target else 0.95
    confidence = _confidence(table, "inference", default_confidence)
    if target and "confidence" in table and confidence != target.confidence:
        raise SpecError("inference.confidence and target.confidence differ; give only one.")
    return Inference(
        method=method,
        errors=errors,
        interval=_choice(table, "inference", "interval", Interval, "bca"),
        replicates=_integer(table, "inference", "replicates", 2000, 100),
        seed=_integer(table, "inference", "seed", 0, 0),
        confidence=confidence,
        lags=_integer(table, "inference", "lags", 0, 0) if "lags" in table else None,
        wild_weights=_choice(table, "inference", "wild_weights", WildWeights, "auto"),
        weights=_weight_kind(table, columns),
    )


def _weight_kind(table: Mapping[str, Any], columns: Columns) -> WeightKind | None:
    """What the weights of columns.weight mean: they change the errors, so they are stated."""
    if "weights" not in table and columns.weight is None:
        return None
    if columns.weight is None:
        raise SpecError(
            "inference.weights says what the weights of columns.weight mean: add "
            "columns.weight, naming the column of weights, or leave inference.weights out.",
            key="columns.weight",
        )
    if "weights" not in table:
        raise SpecError(
            "columns.weight needs inference.weights: 'survey' when each row stands for that "
            "many people or things of the population, or 'analytic' when a row with weight 2 "
            "is as precise as two rows (e.g. an average over its weight's people).",
            key="inference.weights",
        )
    kind: WeightKind = _choice(table, "inference", "weights", WeightKind, "survey")
    return kind


def _data(raw: Mapping[str, Any]) -> DataPolicy:
    table = _table(raw, "data", ("missing", "on_missing", "duplicates", "sheet", "where"))
    where = table.get("where", {})
    if not isinstance(where, Mapping):
        raise SpecError('data.where must be a table such as { ky = ["1"] }.')
    return DataPolicy(
        missing=_texts(table, "data", "missing") if "missing" in table else DEFAULT_MISSING,
        on_missing=_choice(table, "data", "on_missing", OnMissing, "drop"),
        duplicates=_choice(table, "data", "duplicates", Duplicates, "keep"),
        sheet=_text(table, "data", "sheet"),
        where={column: _texts(where, "data.where", column) for column in where},
    )


def _sequential(raw: Mapping[str, Any], target: Target | None) -> Sequential | None:
    if "sequential" not in raw:
        return None
    keys = ("looks", "look", "spending", "futility", "futility_spending", "power", "fractions")
    table = _table(raw, "sequential", keys)
    if target is None or target.standard != "ci_bound":
        raise SpecError(
            "[sequential] judges a target at each look: it needs [target] with "
            "standard = 'ci_bound' (the plan's boundaries replace the single interval).",
            key="target.comparator" if target is None else "target.standard",
        )
    looks = _integer(table, "sequential", "looks", 0, 2)
    look = _integer(table, "sequential", "look", 0, 1)
    if look > looks:
        raise SpecError(f"sequential.look must be between 1 and sequential.looks ({looks}).")
    futility = table.get("futility", False)
    if not isinstance(futility, bool):
        raise SpecError("sequential.futility must be true or false.")
    power = _number(table, "sequential", "power", 0.8)
    if not 0.5 <= power < 1:
        raise SpecError("sequential.power must be between 0.5 and 1, e.g. 0.8.")
    fractions = table.get("fractions", [])
    if not isinstance(fractions, list) or not all(
        isinstance(f, int | float) and not isinstance(f, bool) for f in fractions
    ):
        raise SpecError("sequential.fractions must be a list of numbers, e.g. [0.3, 0.6, 1].")
    steps = [b - a for a, b in zip([0.0, *fractions], fractions, strict=False)]
    if fractions and (len(fractions) != looks or min(steps) <= 0 or fractions[-1] != 1):
        raise SpecError(
            "sequential.fractions must give one increasing information fraction per look, "
            "ending at 1, e.g. [0.3, 0.6, 1]."
        )
    spending = _choice(table, "sequential", "spending", SpendingName, "obrien_fleming")
    return Sequential(
        looks=looks,
        look=look,
        spending=spending,
        futility=futility,
        futility_spending=_choice(table, "sequential", "futility_spending", SpendingName, spending),
        power=power,
        fractions=tuple(float(f) for f in fractions),
    )


def _predictors(raw: Mapping[str, Any], columns: Columns, design: Design) -> tuple[Predictor, ...]:
    """The `[predictors]` of a synthetic control: column = "before", a list of periods, or a
    list of such lists (several predictors from one column)."""
    if "predictors" not in raw:
        return ()
    table = raw["predictors"]
    if not isinstance(table, Mapping) or not table:
        raise SpecError(
            '[predictors] must be a table of columns, e.g. income = "before" or '
            'sales = [["1975"], ["1988"]].'
        )
    if design.kind != "synthetic_control":
        raise SpecError("[predictors] applies to design.kind = 'synthetic_control'.")
    if len(table) > MOST_COLUMNS:
        raise SpecError(f"[predictors] may name at most {MOST_COLUMNS} columns.")
    keys = (columns.unit, columns.period, columns.group, columns.exposure)
    found: list[Predictor] = []
    for column, value in table.items():
        if column in keys:
            raise SpecError(
                f"predictors.{column} names a key column of the spec; predictors are measured "
                "columns, such as income or the outcome itself."
            )
        several = isinstance(value, list) and bool(value) and isinstance(value[0], list)
        windows = value if several else [value]
        for window in windows:
            if window == "before":
                found.append(Predictor(column))
                continue
            if not isinstance(window, list) or not window:
                raise SpecError(
                    f'predictors.{column} must be "before" (every period before the change), '
                    'a list of periods such as ["1980", "1985"], or a list of such lists.'
                )
            found.append(Predictor(column, _texts({column: window}, "predictors", column)))
    return tuple(found)


def parse_spec(raw: Mapping[str, Any]) -> Spec:
    """Validate a spec given as nested mappings (as read from TOML) and return a `Spec`.

    Every key is documented in docs/evidence.md. Raises `SpecError` naming the key to change.
    """
    tables = {"columns", "design", "metric", "target", "inference", "data", "sequential"}
    unknown = sorted(set(raw) - tables - {"predictors"})
    if unknown:
        raise SpecError(
            f"[{unknown[0]}] is not a known table; use columns, design, metric, target, "
            "inference, data, sequential and predictors."
        )
    columns = _columns(raw)
    design = _design(raw, columns)
    metric = _metric(raw, columns)
    target = _target(raw)
    spec = Spec(
        columns=columns,
        design=design,
        metric=metric,
        target=target,
        inference=_inference(raw, columns, target),
        data=_data(raw),
        sequential=_sequential(raw, target),
        predictors=_predictors(raw, columns, design),
    )
    _check_adjusted(spec)
    if spec.inference.method == "wild" and (
        design.kind not in ("two_group", "did") or metric.statistic in ("median", "percentile")
    ):
        raise SpecError(
            "inference.method = 'wild' applies to design.kind = 'two_group' or 'did' (with or "
            "without fixed effects) and to means, proportions, totals, rates and ratios."
        )
    _check_panel_inference(spec)
    if spec.sequential and design.kind in ("synthetic_control", "staggered"):
        raise SpecError(
            "[sequential] applies to the threshold, before_after, two_group, did and its "
            "designs; remove it for synthetic_control and staggered."
        )
    if (spec.inference.errors == "hac" or spec.inference.lags is not None) and design.kind != "its":
        raise SpecError("inference.errors = 'hac' and inference.lags apply to design.kind = 'its'.")
    if (
        metric.statistic in ("median", "percentile")
        and spec.inference.method != "bootstrap"
        and design.kind != "threshold"
    ):
        raise SpecError(
            f"metric.statistic = {metric.statistic!r} has an analytic interval only for "
            "design.kind = 'threshold'; set inference.method = 'bootstrap'."
        )
    return spec


_WEIGHTED_DESIGNS = ("threshold", "before_after", "two_group", "did")


def _check_adjusted(spec: Spec) -> None:
    """Covariates and weights: the designs, statistics and errors they apply to."""
    columns, design = spec.columns, spec.design
    if not spec.adjusted:
        return
    if columns.covariates and (design.kind not in ("two_group", "did") or design.fixed_effects):
        fix = (
            "; for a synthetic control, list them in [predictors]"
            if design.kind == "synthetic_control"
            else ""
        )
        raise SpecError(
            "columns.covariates adjusts design.kind = 'two_group' or 'did' (without "
            f"fixed effects) for baseline differences{fix}."
        )
    paired = design.kind == "before_after" and columns.unit is not None
    if columns.weight and (design.kind not in _WEIGHTED_DESIGNS or design.fixed_effects or paired):
        raise SpecError(
            "columns.weight applies to design.kind = 'threshold', 'two_group', 'did' (without "
            "fixed effects) and 'before_after' without columns.unit (unpaired)."
        )
    if spec.metric.statistic not in ("mean", "proportion") or spec.metric.aggregate != "none":
        raise SpecError(
            "columns.covariates and columns.weight apply to metric.statistic = 'mean' or "
            "'proportion' of the rows (metric.aggregate = 'none')."
        )
    if spec.inference.method == "bootstrap":
        raise SpecError(
            "columns.covariates and columns.weight are analysed by regression: set "
            "inference.method = 'analytic' or 'wild' (or leave it out).",
            key="inference.method",
        )
    if spec.inference.weights == "survey" and spec.inference.errors == "classical":
        raise SpecError(
            "Survey weights say how many people a row stands for, not how precise it is, so "
            "classical errors would be wrong: set inference.errors = 'robust' or 'cluster'."
        )


def _check_panel_inference(spec: Spec) -> None:
    """Synthetic control and staggered adoption bring their own inference (docs/evidence.md)."""
    kind, inference = spec.design.kind, spec.inference
    if kind not in ("synthetic_control", "staggered"):
        return
    methods = ("auto", "analytic", "bootstrap") if kind == "staggered" else ("auto", "analytic")
    if inference.errors != "auto" or inference.method not in methods:
        raise SpecError(
            f"kind = {kind!r} computes its own errors (placebo fits for synthetic control, "
            "influence functions for staggered adoption, which also takes inference.method = "
            "'bootstrap'); leave out inference.errors and inference.method."
        )
    if spec.metric.statistic in ("median", "percentile"):
        raise SpecError(
            f"kind = {kind!r} compares means, proportions, totals, rates or ratios per unit "
            "and period; change metric.statistic."
        )


def load_spec(path: str | Path) -> Spec:
    """Read and validate a SPEC.toml file (see `parse_spec`)."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise SpecError(f"Cannot read the spec {str(path)!r}: {error.strerror}.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SpecError(f"The spec {str(path)!r} is not valid TOML: {error}.") from None
    return parse_spec(raw)
