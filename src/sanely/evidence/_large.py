"""Data larger than memory: DuckDB reduces a Parquet file to per-group sums in one scan."""

from pathlib import Path
from typing import Any

import numpy as np

from ._errors import DataError, SpecError
from ._spec import Spec
from ._table import Factor, IngestReport, Summary, Table
from ._toolbox import error_kind

# Parquet files with more rows than this are summarised by DuckDB instead of loaded.
LARGE_ROWS = 2_000_000
# DuckDB's own budget; the process as a whole stays well under 512 MB.
_MEMORY_LIMIT = "256MB"


def parquet_rows(path: Path) -> int:
    """Rows in a Parquet file, from its footer (no data is read)."""
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _labels(values: Any) -> tuple[Factor, np.ndarray]:
    """A factor of key values as text, and the mask of groups whose key is present."""
    array = np.ma.getdata(values)
    present = ~np.ma.getmaskarray(values)
    texts = np.array(
        [str(int(v)) if isinstance(v, float) and v.is_integer() else str(v) for v in array],
        dtype=object,
    )
    return Factor.from_values(np.where(present, texts, "")), present


def read_summary(path: Path, spec: Spec, rows: int) -> Table:
    """Summarise a large Parquet file by unit, period and group with one DuckDB GROUP BY.

    Each group gives count, Σy, Σx and centred second moments (DuckDB's var_pop and
    covar_pop, which are numerically stable); rows with a missing value or exposure are
    counted and left out, and rows are kept by data.where. Memory stays bounded by DuckDB's
    memory_limit whatever the file's size.
    """
    import duckdb

    columns = spec.columns
    connection = duckdb.connect(config={"memory_limit": _MEMORY_LIMIT, "threads": 2})
    connection.execute("SET enable_progress_bar = false")
    try:
        source = "read_parquet($path)"
        params: dict[str, object] = {"path": str(path)}
        schema = connection.execute("DESCRIBE SELECT * FROM read_parquet($path)", params).fetchall()
        types = {row[0]: str(row[1]) for row in schema}
        for key, name in [
            (f"columns.{k}", getattr(columns, k)) for k in columns.__dataclass_fields__
        ]:
            if name is not None and name not in types:
                raise SpecError(
                    f"{key} names {name!r}, which is not a column of {path.name}; "
                    f"its columns are: {', '.join(map(repr, types))}."
                )
        y = _quote(columns.value)
        exposure = columns.exposure if spec.metric.statistic in ("rate", "ratio") else None
        for name in filter(None, (columns.value, exposure)):
            if not any(t in types[name] for t in ("INT", "FLOAT", "DOUBLE", "DECIMAL")):
                raise DataError(
                    f"{path.name}: column {name!r} has type {types[name]}; in a file of more "
                    f"than {LARGE_ROWS:,} rows it must be stored as numbers."
                )
        x = _quote(exposure) if exposure else "1.0"
        valid = f"{y} IS NOT NULL" + (f" AND {x} IS NOT NULL" if exposure else "")
        keys = [_quote(name) for name in (columns.unit, columns.period, columns.group) if name]
        filters = []
        for index, (name, values) in enumerate(spec.data.where.items()):
            filters.append(f"list_contains($where{index}, CAST({_quote(name)} AS VARCHAR))")
            params[f"where{index}"] = list(values)
        # Only what the estimator needs: a leaner GROUP BY is a faster scan.
        where_valid = f" FILTER (WHERE {valid})" if exposure else ""
        aggregates = ["count(*) AS rows", f"count({y}){where_valid} AS n"]
        aggregates.append(f"sum({y}){where_valid} AS sy")
        if exposure:
            aggregates.append(f"sum({x}){where_valid} AS sx")
        if spec.inference.method != "bootstrap" and error_kind(spec) != "cluster":
            aggregates += [
                f"var_pop({y}){where_valid} AS vyy",
                f"covar_pop({y}, {x}){where_valid} AS vxy",
                f"var_pop({x}){where_valid} AS vxx",
            ]
        if spec.metric.statistic == "proportion":
            aggregates.append(f"count(*) FILTER (WHERE {valid} AND {y} NOT IN (0, 1)) AS bad")
        # Identifiers are quoted by _quote and values are bound parameters.
        query = (
            f"SELECT {', '.join([*keys, *aggregates])} FROM {source}"  # noqa: S608
            + (f" WHERE {' AND '.join(filters)}" if filters else "")
            + (f" GROUP BY {', '.join(keys)}" if keys else "")
        )
        groups = connection.execute(query, params).fetchnumpy()
    finally:
        connection.close()
    return _table(groups, spec, path, rows)


def _table(groups: dict[str, Any], spec: Spec, path: Path, total: int) -> Table:
    columns = spec.columns
    if int(np.sum(groups.get("bad", 0))):
        raise DataError(
            f"{path.name}: {int(np.sum(groups['bad']))} values of {columns.value!r} are not "
            "0 or 1, as a proportion needs."
        )
    n = np.ma.filled(groups["n"], 0).astype(np.float64)
    keep = n > 0
    factors: dict[str, Factor] = {}
    missing = {columns.value: int(np.sum(groups["rows"]) - n.sum())}
    for name in ("unit", "period", "group"):
        column = getattr(columns, name)
        if column is not None:
            factors[name], present = _labels(groups[column])
            missing[column] = int(n[keep & ~present].sum())
            keep &= present
    if spec.data.on_missing == "error" and any(missing.values()):
        raise DataError(
            f"{path.name}: values are missing ({missing}) and data.on_missing = 'error'."
        )
    report = IngestReport(
        source="Parquet (summarised by DuckDB)",
        rows_read=total,
        rows_used=int(n[keep].sum()),
        missing_dropped={k: v for k, v in missing.items() if v},
        notes=(f"Duplicated rows are not checked in files of over {LARGE_ROWS:,} rows.",),
    )
    if not keep.any():
        raise DataError(f"{path.name} has no usable rows after filtering and missing values.")

    def filled(name: str) -> np.ndarray:
        """A summed column for the kept groups; zeros for moments that were not needed."""
        return np.ma.filled(groups.get(name, n), 0.0).astype(np.float64)[keep] * (name in groups)

    def factor(name: str) -> Factor | None:
        return factors[name].select(keep) if name in factors else None

    count = n[keep]
    return Table(
        value=filled("sy"),
        exposure=filled("sx") if spec.metric.statistic in ("rate", "ratio") else None,
        unit=factor("unit"),
        period=factor("period"),
        group=factor("group"),
        report=report,
        summary=Summary(count, filled("vyy") * count, filled("vxy") * count, filled("vxx") * count),
    )
