"""The in-memory table an assessment works on: numeric columns and coded key columns."""

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ._errors import SpecError

Floats = npt.NDArray[np.float64]
Codes = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Factor:
    """A key column (unit, period or group) as integer codes into its labels (text as in file)."""

    codes: Codes
    labels: tuple[str, ...]

    @classmethod
    def from_values(cls, values: npt.ArrayLike) -> "Factor":
        """Code any array of keys; labels are the values as text, in sorted order.

        Integers within a range not much wider than the array (unit numbers, years) are
        coded by counting, in linear time; other keys by sorting (np.unique).
        """
        array = np.asarray(values).ravel()
        if array.dtype.kind in "iu" and len(array):
            low = int(array.min())
            span = int(array.max()) - low + 1
            if span <= 2 * len(array) + 1024:
                shifted = array - low if low else array
                present = np.bincount(shifted, minlength=span) > 0
                labels = tuple(str(v) for v in (np.flatnonzero(present) + low).tolist())
                if present.all():  # the values 0..k-1 (after the shift) are their own codes
                    return cls(shifted.astype(np.intp, copy=False), labels)
                rank = np.cumsum(present) - 1
                return cls(rank[shifted].astype(np.intp, copy=False), labels)
        uniques, codes = np.unique(array, return_inverse=True)
        return cls(codes.astype(np.intp).ravel(), tuple(_as_text(v) for v in uniques.tolist()))

    def select(self, keep: npt.NDArray[np.bool_]) -> "Factor":
        """The factor restricted to the rows where `keep` is true (labels unchanged)."""
        return Factor(self.codes[keep], self.labels)

    def codes_of(self, values: tuple[str, ...], key: str, column: str) -> tuple[int, ...]:
        """Codes of spec values; a value that never occurs is a `SpecError` naming `key`."""
        lookup = {label: code for code, label in enumerate(self.labels)}
        missing = [value for value in values if value not in lookup]
        if missing:
            seen = ", ".join(repr(label) for label in self.labels[:12])
            more = " ..." if len(self.labels) > 12 else ""
            raise SpecError(
                f"{key} lists {missing[0]!r}, which never occurs in column {column!r} "
                f"(values seen: {seen}{more}); change {key} to values as written in the file."
            )
        return tuple(lookup[value] for value in values)


def _as_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class IngestReport:
    """What reading the data did: counts of rows kept and of each kind of dirt handled."""

    source: str = "arrays"
    encoding: str = ""
    rows_read: int = 0
    rows_used: int = 0
    blank_lines: int = 0
    duplicate_rows: int = 0
    duplicates_dropped: int = 0
    filtered_out: int = 0
    missing_dropped: Mapping[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


Products = Mapping[tuple[str, ...], Floats]


@dataclass(frozen=True)
class Summary:
    """Marks a table whose rows stand for groups of file rows (data larger than memory).

    Then `Table.value` and `Table.exposure` hold each group's sums; here are its row count
    and centred second moments Σ(y-ȳ)², Σ(y-ȳ)(x-x̄), Σ(x-x̄)². `products` holds the sums of
    products of columns that a regression with covariates or weights needs, keyed by the
    columns' names in sorted order (see `product_sums`); `present` counts the rows with a
    value in each optional column (a synthetic control's predictors).
    """

    count: Floats
    qyy: Floats
    qxy: Floats
    qxx: Floats
    products: Products = field(default_factory=dict)
    present: Mapping[str, Floats] = field(default_factory=dict)

    def select(self, keep: npt.NDArray[np.bool_]) -> "Summary":
        """The groups where `keep` is true."""
        return Summary(
            self.count[keep],
            self.qyy[keep],
            self.qxy[keep],
            self.qxx[keep],
            {key: sums[keep] for key, sums in self.products.items()},
            {key: counts[keep] for key, counts in self.present.items()},
        )


@dataclass(frozen=True)
class Table:
    """Rows ready for analysis: the measured value, optional exposure, and coded keys."""

    value: Floats
    exposure: Floats | None = None
    unit: Factor | None = None
    period: Factor | None = None
    group: Factor | None = None
    report: IngestReport = IngestReport()
    summary: Summary | None = None
    numbers: Mapping[str, Floats] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.value)
        columns = {name: getattr(self, name) for name in ("exposure", "unit", "period", "group")}
        for name, column in {**columns, **self.numbers}.items():
            length = None if column is None else len(getattr(column, "codes", column))
            if length not in (None, n):
                raise SpecError(f"column {name} has {length} rows but value has {n}.")

    def select(self, keep: npt.NDArray[np.bool_]) -> "Table":
        """The table restricted to the rows where `keep` is true."""
        return Table(
            value=self.value[keep],
            exposure=None if self.exposure is None else self.exposure[keep],
            unit=None if self.unit is None else self.unit.select(keep),
            period=None if self.period is None else self.period.select(keep),
            group=None if self.group is None else self.group.select(keep),
            report=self.report,
            summary=None if self.summary is None else self.summary.select(keep),
            numbers={name: values[keep] for name, values in self.numbers.items()},
        )


def number_of(numbers: Mapping[str, Floats], name: str) -> Floats:
    """The numeric column `name` (a covariate, weight or predictor), row by row."""
    if name not in numbers:
        raise SpecError(f"The spec names the column {name!r}, but the table has none.")
    return numbers[name]


def product_sums(
    value: Floats,
    numbers: Mapping[str, Floats],
    summary: Summary | None,
    factors: tuple[str, ...],
    value_name: str,
) -> Floats:
    """Per row (or group of rows): the sum of the product of the named columns over its rows.

    `value_name` names the measured column (`value`); the others are `numbers`. A summary
    table holds these sums as the file was read (`Summary.products`); without factors they
    are the row counts.
    """
    if summary is not None:
        return summary.products[tuple(sorted(factors))] if factors else summary.count
    product = np.ones(len(value))
    for name in factors:
        product = product * (value if name == value_name else number_of(numbers, name))
    return product


def table_from_arrays(
    value: npt.ArrayLike,
    exposure: npt.ArrayLike | None = None,
    unit: npt.ArrayLike | None = None,
    period: npt.ArrayLike | None = None,
    group: npt.ArrayLike | None = None,
    numbers: Mapping[str, npt.ArrayLike] | None = None,
) -> Table:
    """Build a `Table` from in-memory columns (numbers for value and exposure; any keys).

    Key values are matched against the spec as text (integers as digits, e.g. 1981).
    `numbers` holds the covariates, the weight and a synthetic control's predictors by
    column name (NaN where a predictor has no value).
    """
    return Table(
        value=np.asarray(value, dtype=np.float64),
        exposure=None if exposure is None else np.asarray(exposure, dtype=np.float64),
        unit=None if unit is None else Factor.from_values(unit),
        period=None if period is None else Factor.from_values(period),
        group=None if group is None else Factor.from_values(group),
        numbers={k: np.asarray(v, dtype=np.float64) for k, v in (numbers or {}).items()},
    )
