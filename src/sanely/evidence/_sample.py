"""From a table and a spec to a `Sample`: rows coded by design cell and by cluster."""

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ._errors import AnalysisError, DataError, SpecError
from ._spec import Spec
from ._table import Codes, Factor, Floats, IngestReport, Summary, Table, product_sums

_QUARTER = re.compile(r"(\d{4})-?Q([1-4])", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")


@dataclass(frozen=True)
class Sample:
    """Rows of one assessment: value y, exposure x, design cell and cluster of each row.

    `key` = cluster * n_cells + cell, and `counts` = bincount(key), are computed once so
    that every estimator needs only weighted bincounts over `key`. With a `summary`, each
    row stands for a group of file rows and y, x hold the group sums.
    """

    y: Floats
    x: Floats | None
    cell: Codes
    cell_labels: tuple[str, ...]
    weights: Floats
    cluster_labels: tuple[str, ...]
    key: Codes
    counts: Floats
    n_table: dict[str, dict[str, int]]
    summary: Summary | None = None
    report: IngestReport = field(default_factory=IngestReport)
    numbers: Mapping[str, Floats] = field(default_factory=dict)

    @property
    def n_cells(self) -> int:
        """Number of design cells."""
        return len(self.cell_labels)

    @property
    def n_clusters(self) -> int:
        """Number of clusters (units); 1 when no unit column is declared."""
        return len(self.cluster_labels)

    def products(self, factors: tuple[str, ...], value: str) -> Floats:
        """Per row or group: the sum of the product of the named columns (`product_sums`)."""
        return product_sums(self.y, self.numbers, self.summary, factors, value)


def _period_key(label: str) -> tuple[int, float] | None:
    """(0, number) or (1, day ordinal) for a period label; None when it is neither."""
    text = label.strip()
    try:
        return 0, float(text)
    except ValueError:
        pass
    try:
        if match := _QUARTER.fullmatch(text):
            return 1, dt.date(int(match[1]), 3 * int(match[2]) - 2, 1).toordinal()
        if match := _MONTH.fullmatch(text):
            return 1, dt.date(int(match[1]), int(match[2]), 1).toordinal()
        if match := _UK_DATE.fullmatch(text):
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
            return 1, dt.date(year, int(match[2]), int(match[1])).toordinal()
        return 1, dt.date.fromisoformat(text).toordinal()
    except ValueError:
        return None


def period_order(labels: tuple[str, ...]) -> list[int]:
    """Positions of period labels in time order: numbers, ISO or UK dates, months, quarters.

    UK dates are day first (31/01/2025). Raises `SpecError` when the labels mix numbers with
    dates or cannot be read as times.
    """
    keys = [_period_key(label) for label in labels]
    kinds = {k[0] for k in keys if k is not None}
    if None in keys or len(kinds) > 1:
        bad = next((lab for lab, k in zip(labels, keys, strict=True) if k is None), labels[0])
        raise SpecError(
            f"period {bad!r} cannot be put in time order with the others; write periods as "
            "numbers, dates (2025-01-31 or 31/01/2025), months (2025-01) or quarters (2025-Q1)."
        )
    return sorted(range(len(labels)), key=lambda i: keys[i] or (0, 0.0))


SHOWN_PERIODS = 6
"""Up to this many periods a group's rows are listed period by period; more are summarised."""


def describe_rows(n: Mapping[str, Mapping[str, int]]) -> tuple[tuple[str, str], ...]:
    """The rows used, per group in words: each period's count, or for a long series (a
    monthly one of 16 years has 192 periods) how many periods, from when to when, and how
    many rows each, e.g. ('front', '192 periods from 1969-01 to 1984-12, 1 row each')."""
    described = []
    for group, periods in n.items():
        if len(periods) <= SHOWN_PERIODS:
            words = ", ".join(f"{period}: {count:,}" for period, count in periods.items())
        else:
            labels = tuple(periods)
            try:
                ordered = [labels[i] for i in period_order(labels)]
            except SpecError:  # labels that are not times: as the file sorts them
                ordered = sorted(labels)
            counts = list(periods.values())
            least, most = min(counts), max(counts)
            each = (
                f"{least:,} row{'s' if least > 1 else ''}"
                if least == most
                else (f"{least:,} to {most:,} rows")
            )
            words = (
                f"{len(labels)} periods from {ordered[0]} to {ordered[-1]}, {each} each "
                f"({sum(counts):,} rows)"
            )
        described.append((group, words))
    return tuple(described)


def required(table: Table, name: str) -> Factor:
    """The table's key column `name`; a `SpecError` when the design needs it but it is absent."""
    factor: Factor | None = getattr(table, name)
    if factor is None:
        raise SpecError(f"The design needs columns.{name}, but the table has no {name} column.")
    return factor


def _lookup(factor: Factor, groups: Sequence[tuple[str, tuple[str, ...]]], column: str) -> Codes:
    """Per row: the index of the spec list its value belongs to, or -1."""
    table = np.full(len(factor.labels), -1, dtype=np.intp)
    for index, (key, values) in enumerate(groups):
        table[list(factor.codes_of(values, key, column))] = index
    if np.array_equal(table, np.arange(len(table))):  # each label is its own list, in order
        return factor.codes
    return table[factor.codes]


def exposure_of(table: Table) -> Floats:
    """The table's exposure column; a `SpecError` when a rate or ratio is asked without one."""
    if table.exposure is None:
        raise SpecError("A rate or ratio needs columns.exposure, but the table has none.")
    return table.exposure


def aggregate_unit_period(table: Table, spec: Spec) -> Table:
    """One row per unit, period (and group): the cell's statistic as the value.

    Moment statistics are Σvalue / Σexposure (or the mean, or the total); quantiles are
    computed within each cell. The result is analysed as a mean across cells.
    """
    factors = [required(table, "unit"), required(table, "period")]
    factors += [table.group] if table.group else []
    key = np.zeros(len(table.value), dtype=np.intp)
    for factor in factors:
        key = key * len(factor.labels) + factor.codes
    cells, inverse = np.unique(key, return_inverse=True)
    statistic = spec.metric.statistic
    if statistic in ("median", "percentile"):
        order = np.lexsort((table.value, inverse))
        starts = np.searchsorted(inverse[order], np.arange(len(cells)))
        bounds = [*starts[1:], len(order)]
        values = np.array(
            [
                np.percentile(table.value[order[a:b]], spec.metric.percentile)
                for a, b in zip(starts, bounds, strict=True)
            ]
        )
    else:
        sums = np.bincount(inverse, weights=table.value)
        counts = np.bincount(inverse, None if table.summary is None else table.summary.count)
        if statistic == "total":
            values = sums
        elif statistic in ("rate", "ratio"):
            totals = np.bincount(inverse, exposure_of(table))
            if (totals <= 0).any():
                raise AnalysisError(
                    f"The exposure ({spec.columns.exposure!r}) adds up to zero or less for some "
                    "unit and period; a rate or ratio needs a positive total exposure: check "
                    "columns.exposure."
                )
            values = sums / totals
        else:
            values = sums / counts
    first = np.zeros(len(cells), dtype=np.intp)
    first[inverse[::-1]] = np.arange(len(inverse))[::-1]

    def pick(factor: Factor | None) -> Factor | None:
        return None if factor is None else Factor(factor.codes[first], factor.labels)

    return Table(
        value=values,
        unit=pick(table.unit),
        period=pick(table.period),
        group=pick(table.group),
        report=table.report,
    )


def _n_table(table: Table) -> dict[str, dict[str, int]]:
    def labels(factor: Factor | None) -> tuple[Codes, tuple[str, ...]]:
        if factor is None:
            return np.zeros(len(table.value), dtype=np.intp), ("all",)
        return factor.codes, factor.labels

    group_codes, group_labels = labels(table.group)
    period_codes, period_labels = labels(table.period)
    # In place: a million-row temporary costs more in fresh pages than in arithmetic.
    combined = group_codes * len(period_labels)
    combined += period_codes
    counts = np.bincount(
        combined,
        None if table.summary is None else table.summary.count,
        minlength=len(group_labels) * len(period_labels),
    ).reshape(len(group_labels), len(period_labels))
    return {
        group: {period: int(c) for period, c in zip(period_labels, row, strict=True) if c}
        for group, row in zip(group_labels, counts, strict=True)
        if row.sum()
    }


def _check_flags(table: Table, spec: Spec) -> None:
    """A proportion's rows must be 0 or 1 (a file's flags are checked as it is read)."""
    if spec.metric.statistic == "proportion" and table.summary is None:
        flags = table.value
        if not np.all((flags == 0) | (flags == 1)):
            raise DataError(
                f"A proportion needs values of 0 or 1 in {spec.columns.value!r}; found "
                f"{float(flags[(flags != 0) & (flags != 1)][0])!r}."
            )


def _comparative(spec: Spec) -> bool:
    """A comparative interrupted time series: a pilot and a comparison series."""
    return spec.design.kind == "its" and bool(spec.design.treated)


def design_arms(table: Table, spec: Spec) -> Codes:
    """Per row: 0 comparison, 1 pilot, -1 outside the design (all 0 without arms)."""
    design = spec.design
    if design.kind not in ("two_group", "did") and not _comparative(spec):
        return np.zeros(len(table.value), dtype=np.intp)
    return _lookup(
        required(table, "group"),
        [("design.control", design.control), ("design.treated", design.treated)],
        str(spec.columns.group),
    )


def design_periods(table: Table, spec: Spec) -> tuple[Codes, tuple[str, ...]]:
    """Per row: 0 before and 1 after (or the period's place in time order for its and fixed
    effects), -1 outside the design; and the period labels in that order."""
    design = spec.design
    if design.kind not in ("before_after", "did", "its"):
        return np.zeros(len(table.value), dtype=np.intp), ()
    if not (design.kind == "its" or design.fixed_effects):
        groups = [("design.before", design.before), ("design.after", design.after)]
        return _lookup(required(table, "period"), groups, str(spec.columns.period)), ()
    # design.change_at (its) uses every period of the data.
    listed = design.before + design.after or required(table, "period").labels
    order = period_order(listed) if design.kind == "its" else list(range(len(listed)))
    labels = tuple(listed[i] for i in order)
    if design.kind == "its" and set(labels[: len(design.before)]) != set(design.before):
        raise SpecError("design.after must list periods that all come after design.before.")
    each = [("design.before/after", (label,)) for label in labels]
    return _lookup(required(table, "period"), each, str(spec.columns.period)), labels


def design_cells(
    spec: Spec, arm: Codes, post: Codes, period_labels: tuple[str, ...]
) -> tuple[Codes, tuple[str, ...]]:
    """Each row's design cell and the cells' labels."""
    kind = spec.design.kind
    arm_names = ("control", "treated")
    if kind == "threshold":
        return np.zeros(len(arm), dtype=np.intp), ("all",)
    if kind == "two_group":
        return arm, arm_names
    if kind == "before_after":
        return post, ("before", "after")
    if kind == "its" and not _comparative(spec):
        return post, period_labels
    periods = period_labels or ("before", "after")
    cell = arm * len(periods)
    cell += post
    return cell, tuple(f"{a}, {p}" for a in arm_names for p in periods)


def cluster_key(
    table: Table, cell: Codes, n_cells: int, spec: Spec
) -> tuple[Codes, tuple[str, ...]]:
    """cluster * n_cells + cell for each row, and the labels of the clusters (units) with
    rows in the design, numbered 0..G-1 in linear time (no sort); one cluster without units."""
    if spec.columns.unit is not None:
        required(table, "unit")
    if table.unit is None:
        return cell, ("all",)
    present = np.flatnonzero(np.bincount(table.unit.codes, minlength=len(table.unit.labels)))
    if len(present) == len(table.unit.labels):  # every unit has rows: codes are already dense
        key = table.unit.codes * n_cells
    else:
        dense = np.zeros(len(table.unit.labels), dtype=np.intp)
        dense[present] = np.arange(len(present))
        key = dense[table.unit.codes]
        key *= n_cells
    key += cell
    return key, tuple(table.unit.labels[i] for i in present)


def _check_cells(counts: Floats, labels: tuple[str, ...]) -> None:
    per_cell = counts.reshape(-1, len(labels)).sum(axis=0)
    if not per_cell.all():
        empty = labels[int(np.argmin(per_cell))]
        raise AnalysisError(
            f"There are no rows for {empty!r} in the design; check design.treated, "
            "design.control, design.before and design.after against the data."
        )


def _check_exposure(sample: Sample, spec: Spec) -> None:
    """Every ratio divides by an exposure total of a unit (or all units) in a cell."""
    if sample.x is None:
        return
    totals = np.bincount(sample.key, sample.x, minlength=len(sample.counts))
    bad = np.flatnonzero((sample.counts > 0) & (totals <= 0))
    if len(bad):
        cell, cluster = bad[0] % sample.n_cells, bad[0] // sample.n_cells
        where = f"{sample.cell_labels[cell]!r} of {sample.cluster_labels[cluster]!r}"
        raise AnalysisError(
            f"The exposure ({spec.columns.exposure!r}) adds up to zero or less for {where}; "
            "a rate or ratio needs a positive total exposure: check columns.exposure."
        )


_CONTRASTS = {
    "threshold": [1.0],
    "two_group": [-1.0, 1.0],
    "before_after": [-1.0, 1.0],
    "did": [1.0, -1.0, -1.0, 1.0],
}


def build_sample(table: Table, spec: Spec) -> Sample:
    """Select the rows the design uses and code each by design cell and cluster.

    Steps: check a proportion's flags; find each row's arm and period (`design_arms`,
    `design_periods`) and keep the rows inside the design; code design cells
    (`design_cells`) and clusters (`cluster_key`); count rows per cluster and cell; check
    that every cell has rows and every ratio a positive exposure. Raises `SpecError` for spec
    values that never occur and `AnalysisError` for design cells without data.
    """
    _check_flags(table, spec)
    exposure = exposure_of(table) if spec.metric.statistic in ("rate", "ratio") else None
    arm = design_arms(table, spec)
    post, period_labels = design_periods(table, spec)
    if min(arm.min(initial=0), post.min(initial=0)) < 0:  # rows outside the design
        keep = (arm >= 0) & (post >= 0)
        table, arm, post = table.select(keep), arm[keep], post[keep]
        exposure = None if exposure is None else exposure[keep]
    cell, labels = design_cells(spec, arm, post, period_labels)
    key, cluster_labels = cluster_key(table, cell, len(labels), spec)
    weights = None if table.summary is None else table.summary.count
    counts = np.bincount(key, weights, minlength=len(labels) * len(cluster_labels)).astype(float)
    _check_cells(counts, labels)
    sample = Sample(
        y=table.value,
        x=exposure,
        cell=cell,
        cell_labels=labels,
        weights=np.array(_CONTRASTS.get(spec.design.kind, []), dtype=np.float64),
        cluster_labels=cluster_labels,
        key=key,
        counts=counts,
        n_table=_n_table(table),
        summary=table.summary,
        report=table.report,
        numbers=table.numbers,
    )
    _check_exposure(sample, spec)
    return sample
