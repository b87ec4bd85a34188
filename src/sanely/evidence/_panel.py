"""A unit-by-period panel of the metric: what synthetic control and staggered adoption work on.

Also `PanelOutcome`, what those designs hand back to the assessment: the estimate with its
interval, the series a chart draws, and the words that say what was compared and why.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ._errors import AnalysisError, SpecError
from ._sample import exposure_of, period_order, required
from ._spec import Spec
from ._table import Codes, Floats, Table, number_of
from ._toolbox import Result


@dataclass(frozen=True)
class Panel:
    """The metric of each unit in each period (NaN where a unit has no rows in a period).

    `periods` are in time order; `rows` counts the file rows behind each value;
    `unit_codes` and `period_codes` are their codes in the table's unit and period columns.
    """

    values: Floats
    rows: Floats
    units: tuple[str, ...]
    periods: tuple[str, ...]
    unit_codes: Codes
    period_codes: Codes


@dataclass(frozen=True)
class PanelOutcome:
    """What a panel design found, ready for the assessment to judge and explain.

    `series` holds what the chart and the result page show (e.g. the gap by period);
    `fit_problem`, when set, says why the design cannot support a verdict (it is then
    inconclusive). `compared`, `why` and `stronger` are the plain-English parts of the
    explanation: what was compared with what, why this method, what would make it stronger.
    """

    result: Result
    n_table: dict[str, dict[str, int]]
    compared: str
    why: str
    stronger: str
    series: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    fit_problem: str | None = None


def panel_of(table: Table, spec: Spec) -> Panel:
    """Σvalue / Σexposure (or the mean, or the total) per unit and period, periods in order.

    Medians and percentiles are refused by the spec for panel designs.
    """
    unit, period = required(table, "unit"), required(table, "period")
    count = np.ones(len(table.value)) if table.summary is None else table.summary.count
    shape = (len(unit.labels), len(period.labels))
    key = unit.codes * shape[1] + period.codes
    rows = np.bincount(key, count, minlength=shape[0] * shape[1]).reshape(shape)
    sums = np.bincount(key, table.value, minlength=rows.size).reshape(shape)
    statistic = spec.metric.statistic
    if statistic == "total":
        divisor = np.ones(shape)
    elif statistic in ("rate", "ratio"):
        divisor = np.bincount(key, exposure_of(table), minlength=rows.size).reshape(shape)
        if ((rows > 0) & (divisor <= 0)).any():
            raise AnalysisError(
                f"The exposure ({spec.columns.exposure!r}) adds up to zero or less for some "
                "unit and period; a rate or ratio needs a positive total exposure: check "
                "columns.exposure."
            )
    else:
        divisor = rows
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(rows > 0, sums / np.where(rows > 0, divisor, 1), np.nan)
    units_seen = np.flatnonzero(rows.sum(axis=1) > 0)
    periods_seen = np.flatnonzero(rows.sum(axis=0) > 0)
    labels = tuple(period.labels[i] for i in periods_seen)
    order = periods_seen[period_order(labels)]
    return Panel(
        values=values[units_seen][:, order],
        rows=rows[units_seen][:, order],
        units=tuple(unit.labels[i] for i in units_seen),
        periods=tuple(period.labels[i] for i in order),
        unit_codes=units_seen,
        period_codes=order,
    )


def panel_means(table: Table, panel: Panel, column: str) -> Floats:
    """The mean of a numeric column (a predictor) per unit and period of the panel, over the
    rows that have a value; NaN where none has."""
    unit, period = required(table, "unit"), required(table, "period")
    shape = (len(unit.labels), len(period.labels))
    key = unit.codes * shape[1] + period.codes
    if table.summary is None:
        values = number_of(table.numbers, column)
        present = ~np.isnan(values)
        sums, counts = np.where(present, values, 0.0), present.astype(np.float64)
    else:
        sums, counts = table.summary.products[(column,)], table.summary.present[column]
    totals = np.bincount(key, sums, minlength=shape[0] * shape[1]).reshape(shape)
    found = np.bincount(key, counts, minlength=totals.size).reshape(shape)
    cells = np.ix_(panel.unit_codes, panel.period_codes)
    with np.errstate(invalid="ignore", divide="ignore"):
        means: Floats = np.where(found[cells] > 0, totals[cells] / found[cells], np.nan)
    return means


def split_periods(periods: tuple[str, ...], spec: Spec) -> int:
    """How many of the ordered `periods` come before the change (design.change_at, or the
    before and after lists, which must then cover every period in the data in order)."""
    design = spec.design
    if design.change_at is not None:
        if design.change_at not in periods:
            raise SpecError(
                f"design.change_at = {design.change_at!r} is not a period of the data "
                f"(periods run from {periods[0]!r} to {periods[-1]!r}); give the first period "
                "of the pilot as written in the file."
            )
        return periods.index(design.change_at)
    listed = set(design.before) | set(design.after)
    unknown = [p for p in (*design.before, *design.after) if p not in periods]
    if unknown:
        raise SpecError(
            f"design.before/after lists {unknown[0]!r}, which is not a period of the data; "
            "list periods as written in the file, or give design.change_at instead."
        )
    pre = len(design.before)
    if set(periods[:pre]) != set(design.before) or set(periods[pre:]) - listed:
        raise SpecError(
            "design.before must list the first periods of the data and design.after all the "
            "later ones; give design.change_at (the first period of the pilot) instead."
        )
    return pre


def panel_explanation(outcome: PanelOutcome) -> str:
    """The sentences after the verdict: why not judged (if so), what was compared, the
    method and why, and what would make the result stronger."""
    blocked = (
        f"The verdict is inconclusive because {outcome.fit_problem}. "
        if outcome.fit_problem
        else ""
    )
    return (
        f"{blocked}This compares {outcome.compared}, by {outcome.why}. "
        f"The result would be stronger with {outcome.stronger}."
    )


def counts_by_period(rows: Floats, periods: tuple[str, ...]) -> dict[str, int]:
    """Rows per period, for the assessment's `n`."""
    return {p: int(c) for p, c in zip(periods, rows.sum(axis=0), strict=True) if c}
