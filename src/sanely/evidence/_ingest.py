"""Reading CSV, XLSX, Parquet and JSON Lines against the spec's data dictionary."""

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._errors import DataError, Issue, SpecError
from ._large import LARGE_ROWS, parquet_rows, read_summary
from ._spec import Spec
from ._table import Factor, IngestReport, Table

MAX_ISSUES = 100
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"0", "false", "no", "n", "f"}


@dataclass(frozen=True)
class _Raw:
    """A file as text: the header, and each data row with its row number in the file."""

    header: tuple[str, ...]
    rows: list[tuple[int, tuple[str, ...]]]
    source: str
    encoding: str = ""
    blank_lines: int = 0


class _Issues:
    """Collects data problems: the first MAX_ISSUES in full, and counts of every kind."""

    def __init__(self) -> None:
        self.first: list[Issue] = []
        self.counts: dict[str, int] = {}

    def add(self, row: int, column: str, kind: str, message: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if len(self.first) < MAX_ISSUES:
            self.first.append(Issue(row, column, kind, message))

    def raise_if_any(self, path: Path) -> None:
        if self.counts:
            raise DataError(
                f"{path.name}: some values do not match the data dictionary; correct them "
                "in the file (or declare them in data.missing) and run again.",
                tuple(self.first),
                self.counts,
            )


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (with or without byte-order mark), UTF-16, else Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise DataError(
                f"{path.name} starts like a UTF-16 file but is not valid UTF-16; save it "
                "again as UTF-8 (CSV UTF-8 in spreadsheet programs)."
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 with byte-order mark"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        # Windows-1252 is what spreadsheet exports labelled Latin-1 nearly always are.
        try:
            return data.decode("cp1252"), "Latin-1 (Windows-1252)"
        except UnicodeDecodeError:
            return data.decode("latin-1"), "Latin-1 (ISO 8859-1)"


def _read_csv(path: Path) -> _Raw:
    text, encoding = _decode(path.read_bytes(), path)
    sample = text[:65536]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, tuple[str, ...]]] = []
    blank = 0
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                blank += 1
            elif header is None:
                header = tuple(cell.strip() for cell in record)
            else:
                rows.append((reader.line_num, tuple(record)))
    except csv.Error as error:
        raise DataError(
            f"{path.name}: row {reader.line_num} cannot be read as CSV ({error}); "
            "check its quotes and line ends."
        ) from None
    if header is None:
        raise DataError(f"{path.name} is empty: it has no header row.")
    return _Raw(header, rows, "CSV", encoding, blank)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):  # openpyxl reads every date cell as a datetime
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    return str(value)


def _read_xlsx(path: Path, sheet: str | None) -> _Raw:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise DataError(f"{path.name} is not a readable XLSX workbook ({error}).") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise SpecError(
                f"data.sheet = {sheet!r} is not a sheet of {path.name}; "
                f"its sheets are: {', '.join(book.sheetnames)}."
            )
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        header: tuple[str, ...] | None = None
        rows: list[tuple[int, tuple[str, ...]]] = []
        blank = 0
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = tuple(_cell_text(value) for value in values)
            if not any(cell.strip() for cell in cells):
                blank += 1
            elif header is None:
                header = tuple(cell.strip() for cell in cells)
            else:
                rows.append((number, cells))
    finally:
        book.close()
    if header is None:
        raise DataError(f"{path.name} is empty: its sheet has no header row.")
    return _Raw(header, rows, "XLSX", "", blank)


def _json_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _cell_text(value)


def _read_jsonl(path: Path) -> _Raw:
    text, encoding = _decode(path.read_bytes(), path)
    header: dict[str, None] = {}
    records: list[tuple[int, dict[str, object]]] = []
    blank = 0
    issues = _Issues()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            blank += 1
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            issues.add(number, "", "invalid JSON", f"not a JSON object ({error.msg})")
            continue
        if not isinstance(record, dict):
            issues.add(number, "", "invalid JSON", "each line must be one JSON object")
            continue
        header.update(dict.fromkeys(record))
        records.append((number, record))
    issues.raise_if_any(path)
    names = tuple(header)
    rows = [(n, tuple(_json_text(r.get(name)) for name in names)) for n, r in records]
    return _Raw(names, rows, "JSON Lines", encoding, blank)


def _read_parquet(path: Path, needed: list[str]) -> _Raw:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise DataError(f"{path.name} is not a readable Parquet file ({error}).") from None
    header = tuple(schema.names)
    present = [name for name in dict.fromkeys(needed) if name in header]
    table = pq.read_table(path, columns=present)
    columns: list[list[str]] = []
    for name in present:
        column = table.column(name)
        if pa.types.is_floating(column.type):
            values = [_cell_text(v) for v in column.to_pylist()]
        else:
            values = [_cell_text(v) for v in pc.cast(column, pa.string()).to_pylist()]
        columns.append(values)
    rows = [(i + 2, cells) for i, cells in enumerate(zip(*columns, strict=True))]
    return _Raw(tuple(present), rows, "Parquet")


def read_raw(path: Path, spec: Spec, needed: list[str]) -> _Raw:
    """Read a file of any supported format as text rows (chosen by the file's suffix)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise DataError(f"{path} does not exist or is not a file.")
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            return _read_csv(path)
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(path, spec.data.sheet)
        if suffix in (".jsonl", ".ndjson"):
            return _read_jsonl(path)
        if suffix in (".parquet", ".pq"):
            return _read_parquet(path, needed)
    except OSError as error:
        raise DataError(f"Cannot read {path.name}: {error.strerror or error}.") from None
    raise DataError(
        f"{path.name}: unknown file type {suffix!r}; use .csv, .xlsx, .parquet or .jsonl."
    )


def parse_number(text: str) -> float | None:
    """A number as written in a spreadsheet export, or None: allows '1,234.5', '£3', ' 7 '."""
    cleaned = text.strip().lstrip("£$€").replace("\u2212", "-").replace(" ", "")
    if _THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if np.isfinite(number) else None


def _parse_flag(text: str) -> float | None:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return 1.0
    if lowered in _FALSE:
        return 0.0
    number = parse_number(text)
    return number if number in (0.0, 1.0) else None


def needed_columns(spec: Spec) -> list[str]:
    """The columns the spec reads: its declared columns, then those used by data.where."""
    declared = [getattr(spec.columns, key) for key in ("value", "exposure", "unit", "period")]
    declared.append(spec.columns.group)
    return [name for name in declared if name is not None] + list(spec.data.where)


def _check_header(raw: _Raw, spec: Spec, path: Path) -> dict[str, int]:
    positions: dict[str, int] = {}
    for position, name in enumerate(raw.header):
        positions.setdefault(name, position)
    keys = [
        (f"columns.{key}", getattr(spec.columns, key)) for key in spec.columns.__dataclass_fields__
    ]
    keys += [(f"data.where.{name}", name) for name in spec.data.where]
    for key, name in keys:
        if name is not None and name not in positions:
            listed = ", ".join(repr(column) for column in raw.header[:30])
            raise SpecError(
                f"{key} names {name!r}, which is not a column of {path.name} "
                f"(its columns are: {listed}); change {key} to one of them."
            )
    return positions


def _rows(
    raw: _Raw, spec: Spec, positions: dict[str, int]
) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Data rows padded to the header's width and kept by data.where."""
    width = len(raw.header)
    where = [(positions[name], set(values)) for name, values in spec.data.where.items()]
    for number, cells in raw.rows:
        padded = cells + ("",) * (width - len(cells))
        if all(padded[position].strip() in values for position, values in where):
            yield number, padded


def _large_rows(path: Path) -> int:
    """Rows of a Parquet file; 0 when its footer is unreadable (the reader then says why)."""
    import pyarrow as pa

    try:
        return parquet_rows(path)
    except (pa.ArrowInvalid, OSError):
        return 0


def read_table(path: str | Path, spec: Spec) -> Table:
    """Read DATA and check it against the spec's data dictionary, returning a clean `Table`.

    Handles byte-order marks, Latin-1 files, thousands separators, blank lines, duplicated
    rows (data.duplicates) and missing values (data.missing, data.on_missing). Parquet files
    of over LARGE_ROWS rows are summarised by DuckDB (`read_summary`) instead. Raises
    `DataError` listing the first 100 problems by row and column, with counts by kind.
    """
    path = Path(path)
    if path.suffix.lower() in (".parquet", ".pq") and path.is_file():
        rows = _large_rows(path)
        if rows > LARGE_ROWS:
            return read_summary(path, spec, rows)
    raw = read_raw(path, spec, needed_columns(spec))
    positions = _check_header(raw, spec, path)
    kept = list(_rows(raw, spec, positions))
    filtered_out = len(raw.rows) - len(kept)

    seen: set[tuple[str, ...]] = set()
    duplicates = 0
    unique: list[tuple[int, tuple[str, ...]]] = []
    issues = _Issues()
    for number, cells in kept:
        if cells in seen:
            duplicates += 1
            if spec.data.duplicates == "error":
                issues.add(number, "", "duplicated row", "repeats an earlier row exactly")
            if spec.data.duplicates != "keep":
                continue
        seen.add(cells)
        unique.append((number, cells))
    issues.raise_if_any(path)

    missing = set(spec.data.missing)
    numeric = {spec.columns.value: spec.metric.statistic == "proportion"}
    if spec.columns.exposure is not None:
        numeric[spec.columns.exposure] = False
    keys = [name for name in (spec.columns.unit, spec.columns.period, spec.columns.group) if name]
    dropped = dict.fromkeys([*numeric, *keys], 0)
    parsed: dict[str, list[float]] = {name: [] for name in numeric}
    texts: dict[str, list[str]] = {name: [] for name in keys}
    for number, cells in unique:
        absent = [name for name in dropped if cells[positions[name]].strip() in missing]
        if absent:
            if spec.data.on_missing == "error":
                for name in absent:
                    issues.add(number, name, "missing value", "is missing (data.on_missing)")
            else:
                dropped[absent[0]] += 1
            continue
        values: dict[str, float] = {}
        for name, is_flag in numeric.items():
            text = cells[positions[name]]
            value = _parse_flag(text) if is_flag else parse_number(text)
            if value is None:
                wanted = "0 or 1 (or yes/no, true/false)" if is_flag else "a number"
                issues.add(number, name, "not a number", f"{text!r} is not {wanted}")
            else:
                values[name] = value
        if len(values) == len(numeric):
            for name, value in values.items():
                parsed[name].append(value)
            for name in keys:
                texts[name].append(cells[positions[name]].strip())
    issues.raise_if_any(path)

    report = IngestReport(
        source=raw.source,
        encoding=raw.encoding,
        rows_read=len(raw.rows),
        rows_used=len(parsed[spec.columns.value]),
        blank_lines=raw.blank_lines,
        duplicate_rows=duplicates,
        duplicates_dropped=duplicates if spec.data.duplicates == "drop" else 0,
        filtered_out=filtered_out,
        missing_dropped={name: count for name, count in dropped.items() if count},
    )
    if not report.rows_used:
        raise DataError(f"{path.name} has no usable rows after filtering and missing values.")

    def factor(name: str | None) -> Factor | None:
        return None if name is None else Factor.from_values(np.array(texts[name], dtype=object))

    return Table(
        value=np.array(parsed[spec.columns.value]),
        exposure=None if spec.columns.exposure is None else np.array(parsed[spec.columns.exposure]),
        unit=factor(spec.columns.unit),
        period=factor(spec.columns.period),
        group=factor(spec.columns.group),
        report=report,
    )
