"""Reading a data file against the spec's data dictionary: one path for every size.

`read_table` runs named steps: open the file as a DuckDB source (`open_source`), check
its header (`check_header`), scan it once into counts and sums per group and kind of row
(`scan_groups`), decide what each group of rows is — used, blank, filtered out, missing or
not a number (`fates`) — and count the dirt (`tally`); when something must be corrected,
find the first problems by row and column (`locate_problems`); else return the groups as a
summary `Table` (`summary_table`) or, for statistics that need every row, the rows
(`row_table`).
"""

import re
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ._errors import DataError, Issue, SpecError
from ._scan import (
    BAD_BOTH,
    BAD_EXPOSURE,
    BAD_VALUE,
    BLANK,
    FIRST_NUMBER,
    MEMORY_LIMIT,
    MISSING_EXPOSURE,
    MISSING_VALUE,
    Checks,
    Source,
    bad_number,
    missing_number,
    numbers_among,
)
from ._sources import open_source
from ._spec import Spec
from ._table import Factor, IngestReport, Summary, Table

MAX_ISSUES = 100
# Medians, percentiles and row bootstraps hold every row in memory; above this they are
# refused (every other statistic is computed from per-group sums, whatever the file's size).
ROWS_IN_MEMORY = 2_000_000
# What becomes of a row (or a group of rows): the order is the order of the checks.
USED, SKIPPED, FILTERED, MISSING, NOT_A_NUMBER = range(5)
_BATCH = 65536


def connect() -> Any:
    """A DuckDB connection with a bounded memory and no extension downloads."""
    import duckdb

    connection = duckdb.connect(
        config={
            "memory_limit": MEMORY_LIMIT,
            "threads": 2,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
    )
    connection.execute("SET enable_progress_bar = false")
    return connection


def run(connection: Any, source: Source, query: str) -> Any:
    """Execute a query over the source (its rows are fetched by the caller)."""
    for name, table in source.arrow.items():
        connection.register(name, table)
    return connection.execute(query.replace("{scan}", source.scan), source.params)


def _unreadable(source: Source, message: str) -> DataError:
    """DuckDB's reason for refusing a file, with the row it names."""
    lines = [line.strip() for line in message.splitlines()]
    reason = next((line for line in lines[1:] if line and not line.startswith("Original")), "")
    row = re.search(r"Line: (\d+)", lines[0])
    where = f"row {row[1]}" if row else "it"
    return DataError(
        f"{source.name}: {where} cannot be read as {source.label} ({reason or lines[0]}); "
        "check its quotes and line ends."
    )


def check_header(source: Source, spec: Spec, name: str) -> None:
    """Every column the spec names must be in the file; else a `SpecError` listing them."""
    columns = spec.columns
    keys = [
        (f"columns.{key}", getattr(columns, key))
        for key in ("value", "exposure", "unit", "period", "group", "weight")
    ]
    keys += [("columns.covariates", column) for column in columns.covariates]
    keys += [(f"predictors.{p.column}", p.column) for p in spec.predictors]
    keys += [(f"data.where.{column}", column) for column in spec.data.where]
    for key, column in keys:
        if column is not None and column not in source.names:
            listed = ", ".join(repr(c) for c in source.names[:30])
            raise SpecError(
                f"{key} names {column!r}, which is not a column of {name} "
                f"(its columns are: {listed}); change {key} to one of them."
            )


def numeric_tokens(connection: Any, spec: Spec) -> bool:
    """Whether a declared missing token (data.missing) reads as a number, e.g. -99."""
    tokens = list(spec.data.missing)
    found = connection.execute(numbers_among("tokens"), {"tokens": tokens}).fetchall()
    return bool(found[0][0])


def scan_groups(
    connection: Any, source: Source, checks: Checks, moments: bool
) -> tuple[dict[str, Any], Source]:
    """The file in one pass: counts and sums per key cells and kind of row; and the source
    as it could be read. DuckDB's complaints about the file become `DataError`s. A CSV file
    with short rows among quoted cells that hold line breaks is read again without DuckDB's
    parallel reader, which cannot pad such rows."""
    import duckdb

    query = checks.grouped_query(moments)
    try:
        groups = run(connection, source, query).fetchnumpy()
    except duckdb.Error as error:
        if not (source.serial_scan and "parallel=false" in str(error)):
            raise _unreadable(source, str(error)) from None
        source = replace(source, scan=source.serial_scan, serial_scan="")
        groups = run(connection, source, query).fetchnumpy()
    # Sums of groups without a usable row are NULL: zero, as bincount would give.
    return {name: np.ma.filled(column, 0.0) for name, column in groups.items()}, source


@dataclass(frozen=True)
class Fates:
    """What becomes of each row or group: a fate (USED...) and the column to blame."""

    fate: npt.NDArray[np.int8]
    column: npt.NDArray[np.object_]


def fates(kind: npt.NDArray[Any], texts: Sequence[npt.NDArray[Any]], checks: Checks) -> Fates:
    """Decide rows' (or groups') fates from their kind and key texts, as the checks run:
    blank rows are skipped; data.where filters; then a missing value, exposure or key (in
    that order) is missing; then text that is not a number; else the row is used."""
    spec = checks.spec
    named = list(dict.fromkeys(checks.keys + list(spec.data.where)))
    kept = np.ones(len(kind), dtype=bool)
    for column, values in spec.data.where.items():
        kept &= np.isin(texts[named.index(column)], list(values))
    blame = np.full(len(kind), "", dtype=object)
    missing = (kind == MISSING_VALUE) | (kind == MISSING_EXPOSURE)
    blame[kind == MISSING_VALUE] = spec.columns.value
    blame[kind == MISSING_EXPOSURE] = checks.exposure
    bad = (kind >= BAD_VALUE) & (kind < FIRST_NUMBER)
    blame[bad & (kind != BAD_EXPOSURE)] = spec.columns.value
    blame[kind == BAD_EXPOSURE] = checks.exposure
    for index, name in enumerate(checks.numbers):
        blame[kind == missing_number(index)] = name
        blame[kind == bad_number(index)] = name
        missing |= kind == missing_number(index)
        bad |= kind == bad_number(index)
    tokens = list(spec.data.missing)
    for index, key in enumerate(checks.keys):
        absent = ~missing & np.isin(texts[index], tokens)
        blame[absent] = key
        missing |= absent
    fate = np.select(
        [kind == BLANK, ~kept, missing, bad], [SKIPPED, FILTERED, MISSING, NOT_A_NUMBER], USED
    ).astype(np.int8)
    return Fates(fate, blame)


@dataclass(frozen=True)
class Tally:
    """The dirt in a file, counted: the report's figures and the problems to correct."""

    report: IngestReport
    problems: dict[str, int] = field(default_factory=dict)
    repeats: int = 0


def tally(groups: dict[str, Any], source: Source, checks: Checks) -> Tally:
    """Count rows read, used, blank, filtered out, repeated, missing by column, and the
    problems the spec makes errors of (repeats, missing values, text that is not a number)."""
    spec = checks.spec
    verdict = fates(groups["kind"], _texts(groups, checks), checks)
    rows, distinct = groups["rows"], groups["n"]
    counted = (verdict.fate != SKIPPED) & (verdict.fate != FILTERED)
    repeats = int((rows - distinct)[counted].sum())
    missing: dict[str, int] = {}
    is_missing = verdict.fate == MISSING
    for column in dict.fromkeys(verdict.column[is_missing]):
        missing[str(column)] = int(distinct[is_missing & (verdict.column == column)].sum())
    bad = verdict.fate == NOT_A_NUMBER
    problems: dict[str, int] = {}
    if repeats and spec.data.duplicates == "error":
        problems["duplicated row"] = repeats
    elif int(distinct[bad].sum()):
        problems["not a number"] = int(
            distinct[bad].sum() + distinct[groups["kind"] == BAD_BOTH].sum()
        )
    if not problems and missing and spec.data.on_missing == "error":
        problems["missing value"] = sum(missing.values())
    report = IngestReport(
        source=source.label,
        encoding=source.encoding,
        rows_read=int(rows[verdict.fate != SKIPPED].sum()),
        rows_used=int(distinct[verdict.fate == USED].sum()),
        blank_lines=source.blank_rows + int(rows[verdict.fate == SKIPPED].sum()),
        duplicate_rows=repeats,
        duplicates_dropped=repeats if spec.data.duplicates == "drop" else 0,
        filtered_out=int(rows[verdict.fate == FILTERED].sum()),
        missing_dropped=missing,
    )
    return Tally(report, problems, repeats)


def _texts(columns: dict[str, Any], checks: Checks) -> list[npt.NDArray[Any]]:
    named = dict.fromkeys(checks.keys + list(checks.spec.data.where))
    return [np.asarray(columns[f"k{index}"], dtype=object) for index in range(len(named))]


def _row_batches(
    connection: Any, source: Source, checks: Checks, repeats: bool
) -> Iterator[dict[str, Any]]:
    """The row query's result a batch at a time, as numpy columns."""
    result = run(connection, source, checks.row_query(repeats))
    names = [column[0] for column in result.description]
    while batch := result.fetchmany(_BATCH):
        columns = list(zip(*batch, strict=True))
        yield {
            name: np.array(values, dtype=object)
            for name, values in zip(names, columns, strict=True)
        }


def locate_problems(
    connection: Any, source: Source, checks: Checks, found: Tally, name: str
) -> DataError:
    """The first MAX_ISSUES problems by row and column, with the counts of every kind."""
    issues: list[tuple[int, str, str, str]] = []
    repeats = "duplicated row" in found.problems
    for batch in _row_batches(connection, source, checks, repeats):
        kind = batch["kind"].astype(np.int8)
        verdict = fates(kind, _texts(batch, checks), checks)
        counted = (verdict.fate != SKIPPED) & (verdict.fate != FILTERED)
        for index in np.flatnonzero(counted):
            issues += _issues_of(batch, int(index), int(kind[index]), verdict, checks, repeats)
        if len(issues) >= MAX_ISSUES:
            break
    issues = issues[:MAX_ISSUES]
    rows = source.rows_of([position for position, *_ in issues])
    located = tuple(Issue(row, *rest) for row, (_, *rest) in zip(rows, issues, strict=True))
    what = (
        "some rows repeat earlier rows exactly (data.duplicates = 'error'); remove them"
        if repeats
        else "some values do not match the data dictionary; correct them"
    )
    return DataError(
        f"{name}: {what} in the file (or declare them in data.missing) and run again.",
        located,
        found.problems,
    )


def _issues_of(
    batch: dict[str, Any], index: int, kind: int, verdict: Fates, checks: Checks, repeats: bool
) -> list[tuple[int, str, str, str]]:
    """The problems of one row: (position, column, kind, message)."""
    spec = checks.spec
    position = int(batch["position"][index])
    if repeats:
        if batch["repeated"][index]:
            return [(position, "", "duplicated row", "repeats an earlier row exactly")]
        return []
    fate = verdict.fate[index]
    if fate == MISSING and spec.data.on_missing == "error":
        return [
            (position, str(verdict.column[index]), "missing value", "is missing (data.on_missing)")
        ]
    if fate != NOT_A_NUMBER:
        return []
    flag = spec.metric.statistic == "proportion"
    found = []
    if kind in (BAD_VALUE, BAD_BOTH):
        wanted = "0 or 1 (or yes/no, true/false)" if flag else "a number"
        found.append(
            (
                position,
                spec.columns.value,
                "not a number",
                f"{batch['vcell'][index] or ''!r} is not {wanted}",
            )
        )
    if kind in (BAD_EXPOSURE, BAD_BOTH):
        found.append(
            (
                position,
                str(checks.exposure),
                "not a number",
                f"{batch['ecell'][index] or ''!r} is not a number",
            )
        )
    if kind >= FIRST_NUMBER:
        number = (kind - FIRST_NUMBER) // 2
        name = checks.numbers[number]
        wanted = "a weight (a number of at least 0)" if name == spec.columns.weight else "a number"
        cell = batch[f"xcell{number}"][index] or ""
        found.append((position, name, "not a number", f"{cell!r} is not {wanted}"))
    return found


def needs_rows(spec: Spec) -> bool:
    """Whether the analysis needs every row: medians, percentiles, a row bootstrap, and
    robust (not clustered) errors of a regression with covariates or weights."""
    from ._toolbox import error_kind

    statistic = spec.metric.statistic
    row_bootstrap = spec.inference.method == "bootstrap" and spec.columns.unit is None
    adjusted_rows = spec.adjusted and error_kind(spec) == "robust"
    return statistic in ("median", "percentile") or row_bootstrap or adjusted_rows


def summary_table(groups: dict[str, Any], checks: Checks, report: IngestReport) -> Table:
    """The used groups as a summary `Table`: sums, counts and second moments per group."""
    verdict = fates(groups["kind"], _texts(groups, checks), checks)
    used = verdict.fate == USED
    count = groups["n"][used].astype(np.float64)

    def column(name: str) -> npt.NDArray[np.float64]:
        return (
            np.asarray(groups[name], dtype=np.float64)[used]
            if name in groups
            else np.zeros(len(count))
        )

    products = {key: column(alias) for alias, (key, _) in checks.products().items()}
    present = {
        name: column(f"__present{index}")
        for index, name in enumerate(checks.numbers)
        if index >= checks.required
    }
    summary = Summary(count, column("qyy"), column("qxy"), column("qxx"), products, present)
    exposure = column("sx") if checks.exposure else None
    return _keyed_table(groups, checks, used, column("sy"), exposure, report, summary)


def _keyed_table(
    columns: dict[str, Any],
    checks: Checks,
    used: npt.NDArray[np.bool_],
    value: npt.NDArray[np.float64],
    exposure: npt.NDArray[np.float64] | None,
    report: IngestReport,
    summary: Summary | None = None,
) -> Table:
    """A `Table` of the used rows or groups, its keys coded from their text."""
    texts = _texts(columns, checks)

    def factor(name: str | None) -> Factor | None:
        if name is None:
            return None
        return Factor.from_values(texts[checks.keys.index(name)][used].astype(str))

    declared = checks.spec.columns
    numbers = (
        {}
        if summary is not None
        else {name: _floats(columns[f"x{i}"][used]) for i, name in enumerate(checks.numbers)}
    )
    return Table(
        value=value,
        exposure=exposure,
        unit=factor(declared.unit),
        period=factor(declared.period),
        group=factor(declared.group),
        report=report,
        summary=summary,
        numbers=numbers,
    )


def _floats(values: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    """Numbers fetched as Python objects, None (a predictor without a value) as NaN."""
    return np.where(values == None, np.nan, values).astype(np.float64)  # noqa: E711


def row_table(
    connection: Any, source: Source, checks: Checks, report: IngestReport, name: str
) -> Table:
    """Every used row (each once when data.duplicates = 'drop'), for statistics of rows."""
    if report.rows_used > ROWS_IN_MEMORY:
        raise SpecError(
            f"{name} has {report.rows_used:,} usable rows; medians, percentiles and bootstraps "
            f"without columns.unit hold every row in memory, up to {ROWS_IN_MEMORY:,}. Use a mean, "
            "proportion, total, rate or ratio, or declare columns.unit."
        )
    drop = checks.spec.data.duplicates == "drop"
    parts: list[dict[str, Any]] = []
    for batch in _row_batches(connection, source, checks, drop):
        verdict = fates(batch["kind"].astype(np.int8), _texts(batch, checks), checks)
        used = verdict.fate == USED
        if drop:
            used &= ~batch["repeated"].astype(bool)
        parts.append({key: values[used] for key, values in batch.items()})
    rows = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    every = np.ones(len(rows["v"]), dtype=bool)
    exposure = rows["e"].astype(np.float64) if checks.exposure else None
    return _keyed_table(rows, checks, every, rows["v"].astype(np.float64), exposure, report)


def read_table(path: str | Path, spec: Spec) -> Table:
    """Read DATA and check it against the spec's data dictionary, returning a `Table`.

    CSV, XLSX, Parquet and JSON Lines files are read by DuckDB in one streaming pass,
    whatever their size. Handles byte-order marks, Latin-1 files, thousands separators,
    blank lines, duplicated rows (data.duplicates), missing values (data.missing,
    data.on_missing) and data.where. The table holds per-group sums (`Table.summary`), or
    every row for medians, percentiles and row bootstraps. Raises `DataError` listing the
    first 100 problems by row and column, with counts by kind.
    """
    path = Path(path)
    with ExitStack() as stack:
        connection = stack.enter_context(connect())
        source = open_source(path, spec.data.sheet, connection, stack)
        check_header(source, spec, path.name)
        checks = Checks(source, spec, numeric_tokens(connection, spec))
        groups, source = scan_groups(connection, source, checks, _needs_moments(spec))
        found = tally(groups, source, checks)
        if found.problems:
            raise locate_problems(connection, source, checks, found, path.name)
        if not found.report.rows_used:
            raise DataError(f"{path.name} has no usable rows after filtering and missing values.")
        if needs_rows(spec):
            return row_table(connection, source, checks, found.report, path.name)
        return summary_table(groups, checks, found.report)


def _needs_moments(spec: Spec) -> bool:
    """Whether the errors need within-group second moments, not only sums."""
    from ._toolbox import error_kind

    return spec.inference.method != "bootstrap" and error_kind(spec) != "cluster"
