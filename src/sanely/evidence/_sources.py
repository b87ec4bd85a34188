"""Opening a data file for DuckDB: CSV, Parquet, XLSX or JSON Lines as a `Source`.

CSV and Parquet are scanned by DuckDB straight from the file, streaming. A CSV file's
encoding is found first (files that are not UTF-8 are converted to a temporary UTF-8 copy)
and its dialect and header are read from its first 64 KB, so that DuckDB reads every row
as text with no guessing. XLSX sheets are read by calamine (Rust, nothing downloaded) after
the workbook's uncompressed size and row count are checked, so that a small file cannot
expand into gigabytes; JSON Lines are read line by line. Both become Arrow tables of text.
"""

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import tempfile
import zipfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

from ._errors import DataError, Issue, SpecError
from ._scan import Source, quote

SAMPLE_BYTES = 65536
MAX_LINE_BYTES = 2_000_000  # DuckDB's default max_line_size
_CHUNK = 1 << 22
# XLSX limits, checked before a sheet is parsed: Excel's own row limit, the size of the
# workbook's XML once uncompressed (a 1,048,576-row sheet of a few columns is under 256 MB),
# and the rectangle a sheet's cells span: calamine holds that whole rectangle in memory, so two
# cells at A1 and XFD1048576 (a file of 1.5 KB) would ask for 512 GB. 16,777,216 cells is more
# than 256 MB of XML can hold (at least 16 bytes a cell), so no real table is refused by it.
MAX_SHEET_ROWS = 1_048_576
MAX_WORKBOOK_BYTES = 256 * 1024 * 1024
MAX_SHEET_CELLS = 1 << 24
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REF = re.compile(rb'<row r="([0-9]{1,7})"')
_REF_BYTES = 24  # the longest reference tag, so one cut by a chunk's end is read whole next time


def open_source(path: Path, sheet: str | None, connection: Any, stack: ExitStack) -> Source:
    """Open DATA by its suffix; raises `DataError` for unknown, absent or unreadable files."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise DataError(f"{path} does not exist or is not a file.")
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            source = _csv(path, stack)
        elif suffix in (".xlsx", ".xlsm"):
            source = _xlsx(path, sheet)
        elif suffix in (".jsonl", ".ndjson"):
            source = _jsonl(path, connection, stack)
        elif suffix in (".parquet", ".pq"):
            source = _parquet(path, connection)
        else:
            raise DataError(
                f"{path.name}: unknown file type {suffix!r}; use .csv, .xlsx, .parquet or .jsonl."
            )
    except OSError as error:
        raise DataError(f"Cannot read {path.name}: {error.strerror or error}.") from None
    return replace(source, name=path.name)


def _positional(width: int) -> tuple[str, ...]:
    return tuple(f"c{index}" for index in range(width))


# --- CSV ----------------------------------------------------------------------------------


def _encoding(path: Path) -> tuple[str, str]:
    """Codec and name of a file's encoding: UTF-8 (with or without byte-order mark),
    UTF-16 (by its byte-order mark), else Windows-1252 or ISO 8859-1."""
    with path.open("rb") as file:
        head = file.read(3)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "utf-16", "UTF-16"
        decoder = codecs.getincrementaldecoder("utf-8")()
        file.seek(0)
        try:
            while chunk := file.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252", "Latin-1 (Windows-1252)"
    if head == b"\xef\xbb\xbf":
        return "utf-8", "UTF-8 with byte-order mark"
    return "utf-8", "UTF-8"


def _transcode(path: Path, codec: str, folder: Path) -> Path:
    """A UTF-8 copy of a file in another encoding, converted a chunk at a time."""
    target = folder / "data.csv"
    decoder = codecs.getincrementaldecoder(codec)()
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
        while chunk := source.read(_CHUNK):
            out.write(decoder.decode(chunk))
        out.write(decoder.decode(b"", final=True))
    return target


def _utf8_copy(path: Path, stack: ExitStack) -> tuple[Path, str]:
    """The file itself when it is UTF-8, else a UTF-8 copy; and the encoding's name."""
    codec, label = _encoding(path)
    if codec == "utf-8":
        return path, label
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
    try:
        return _transcode(path, codec, folder), label
    except UnicodeDecodeError:
        if codec == "utf-16":
            raise DataError(
                f"{path.name} starts like a UTF-16 file but is not valid UTF-16; save it "
                "again as UTF-8 (CSV UTF-8 in spreadsheet programs)."
            ) from None
        # Bytes that Windows-1252 leaves undefined: ISO 8859-1 reads every byte.
        return _transcode(path, "latin-1", folder), "Latin-1 (ISO 8859-1)"


def _blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _csv(path: Path, stack: ExitStack) -> Source:
    readable, encoding = _utf8_copy(path, stack)
    with readable.open("rb") as file:
        sample = file.read(SAMPLE_BYTES).decode("utf-8-sig", errors="ignore")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t|")
    except csv.Error:
        dialect = csv.excel
    blank, records = 0, 0
    header: list[str] | None = None
    for record in csv.reader(io.StringIO(sample, newline=""), dialect):
        records += 1
        if record and not _blank(record):
            header = record
            break
        blank += 1 if record else 0  # DuckDB, like us, skips empty lines without a count
    if header is None:
        raise DataError(f"{path.name} is empty: it has no header row.")
    columns = _positional(len(header))
    quote_char = dialect.quotechar or '"'
    escape = dialect.escapechar or quote_char  # a quote is escaped by doubling it
    options = {
        "header": "false",
        "auto_detect": "false",
        "skip": str(records),
        "delim": _sql_text(dialect.delimiter),
        "quote": _sql_text(quote_char),
        "escape": _sql_text(escape),
        "null_padding": "true",
        "strict_mode": "false",
        "columns": "{" + ", ".join(f"{_sql_text(c)}: 'VARCHAR'" for c in columns) + "}",
    }
    listed = ", ".join(f"{key}={value}" for key, value in options.items())

    def rows_of(positions: Sequence[int]) -> list[int]:
        return _csv_rows(readable, dialect, records, positions)

    return Source(
        label="CSV",
        scan=f"read_csv($path, {listed})",
        serial_scan=f"read_csv($path, {listed}, parallel=false)",
        names=tuple(cell.strip() for cell in header),
        columns=columns,
        types=("VARCHAR",) * len(columns),
        ordinal="row_number() OVER ()",
        rows_of=rows_of,
        params={"path": str(readable)},
        encoding=encoding,
        blank_rows=blank,
        may_have_blank_rows=True,
    )


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _csv_rows(
    path: Path, dialect: type[csv.Dialect] | csv.Dialect, skip: int, positions: Sequence[int]
) -> list[int]:
    """Lines where the rows at DuckDB's positions (1 = first after the header) end.

    DuckDB skips empty lines; Python's csv reader yields them as []: skip those too.
    """
    # Any cell of a line DuckDB read (at most 2 MB) must be readable here too.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_BYTES))
    wanted = set(positions)
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.reader(file, dialect)
        # DuckDB's rows, numbered from 1, with the line each ends on; read up to the last wanted.
        lines = (
            reader.line_num
            for index, record in enumerate(reader, start=1)
            if index > skip and record
        )
        hits = ((p, line) for p, line in enumerate(lines, start=1) if p in wanted)
        found = dict(itertools.islice(hits, len(wanted)))
    return [found[p] for p in positions]


# --- Parquet --------------------------------------------------------------------------------


def _parquet(path: Path, connection: Any) -> Source:
    import duckdb

    params: dict[str, object] = {"path": str(path)}
    try:
        described = connection.execute(
            "DESCRIBE SELECT * FROM read_parquet($path)", params
        ).fetchall()
    except duckdb.Error as error:
        reason = str(error).splitlines()[0]
        raise DataError(f"{path.name} is not a readable Parquet file ({reason}).") from None
    names = tuple(str(row[0]) for row in described)
    return Source(
        label="Parquet",
        scan="read_parquet($path, file_row_number=true)",
        names=names,
        columns=tuple(quote(name) for name in names),
        types=tuple(str(row[1]) for row in described),
        ordinal="file_row_number",
        rows_of=lambda positions: [p + 2 for p in positions],  # the header is row 1
        params=params,
    )


# --- Arrow tables of text: XLSX and JSON Lines ----------------------------------------------


def _text_table(
    label: str, header: Sequence[str], rows: list[tuple[int, tuple[str, ...]]], **extra: Any
) -> Source:
    """A Source over rows of text, each with its row number in the file."""
    import pyarrow as pa

    columns = _positional(len(header))
    width = len(header)
    padded = [cells[:width] + ("",) * (width - len(cells)) for _, cells in rows]
    arrays = {"__row": pa.array([number for number, _ in rows], pa.int64())}
    for index, name in enumerate(columns):
        arrays[name] = pa.array([cells[index] for cells in padded], pa.string())
    return Source(
        label=label,
        scan="data_rows",
        names=tuple(header),
        columns=columns,
        types=("VARCHAR",) * width,
        ordinal="__row",
        rows_of=list,
        arrow={"data_rows": pa.table(arrays)},
        **extra,
    )


def _cell_text(value: object) -> str:
    """A spreadsheet cell as text (calamine gives '' for an empty cell)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    return str(value)


class _Span:
    """The rows and columns a sheet's cells reach, from the references in its XML."""

    def __init__(self) -> None:
        self.rows: tuple[int, int] | None = None
        self.columns: tuple[int, int] | None = None

    def cover(self, xml: bytes) -> None:
        for match in _ROW_REF.finditer(xml):
            self.rows = _widened(self.rows, int(match[1]))
        for match in _CELL_REF.finditer(xml):
            self.rows = _widened(self.rows, int(match[2]))
            self.columns = _widened(self.columns, _column_number(match[1]))

    @property
    def last_row(self) -> int:
        return self.rows[1] if self.rows else 0

    @property
    def cells(self) -> int:
        """How many cells the rectangle holds: what calamine would allocate."""
        height = self.rows[1] - self.rows[0] + 1 if self.rows else 1
        width = self.columns[1] - self.columns[0] + 1 if self.columns else 1
        return height * width


def _widened(bounds: tuple[int, int] | None, value: int) -> tuple[int, int]:
    return (value, value) if bounds is None else (min(bounds[0], value), max(bounds[1], value))


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def check_workbook(path: Path) -> None:
    """Refuse a workbook that would expand beyond MAX_WORKBOOK_BYTES, MAX_SHEET_ROWS or
    MAX_SHEET_CELLS.

    Reads the compressed parts through, counting bytes and rows and following the cells'
    references as they are inflated (the sizes a zip file declares may lie), and stops at the
    first limit passed.
    """
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise DataError(f"{path.name} is not a readable XLSX workbook (not a zip file).") from None
    total = 0
    with archive:
        for member in archive.infolist():
            rows, tail, reference_tail, span = 0, b"", b"", _Span()
            try:
                with archive.open(member) as part:
                    while chunk := part.read(_CHUNK):
                        total += len(chunk)
                        # The previous chunk's last bytes: a row tag cut in two counts once.
                        window, tail = tail + chunk, chunk[-4:]
                        rows += window.count(b"<row ") + window.count(b"<row>")
                        span.cover(reference_tail + chunk)
                        reference_tail = chunk[-_REF_BYTES:]
                        if (
                            total > MAX_WORKBOOK_BYTES
                            or max(rows, span.last_row) > MAX_SHEET_ROWS
                            or span.cells > MAX_SHEET_CELLS
                        ):
                            raise _too_large(path, total, max(rows, span.last_row), span.cells)
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                raise DataError(f"{path.name} is not a readable XLSX workbook ({error}).") from None


def _too_large(path: Path, size: int, rows: int, cells: int) -> DataError:
    if rows > MAX_SHEET_ROWS:
        what = f"more than {MAX_SHEET_ROWS:,} rows in a sheet"
    elif cells > MAX_SHEET_CELLS:
        what = (
            f"cells that span {cells:,} places of a sheet, more than the {MAX_SHEET_CELLS:,}"
            " allowed (delete stray cells far from the table)"
        )
    else:
        what = f"more than {MAX_WORKBOOK_BYTES // 2**20} MB once uncompressed"
    return DataError(
        f"{path.name} holds {what} (it was refused before reading: a workbook this large, "
        "or a compressed 'zip bomb', would exhaust memory); save the data as CSV or Parquet."
    )


def _xlsx(path: Path, sheet: str | None) -> Source:
    check_workbook(path)
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises several kinds for a damaged file
        raise DataError(f"{path.name} is not a readable XLSX workbook ({error}).") from None
    if sheet is not None and sheet not in book.sheet_names:
        raise SpecError(
            f"data.sheet = {sheet!r} is not a sheet of {path.name}; "
            f"its sheets are: {', '.join(book.sheet_names)}."
        )
    worksheet = book.get_sheet_by_name(sheet or book.sheet_names[0])
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, tuple[str, ...]]] = []
    blank = 0
    for number, values in enumerate(worksheet.iter_rows(), start=1):
        cells = tuple(_cell_text(value) for value in values)
        if _blank(cells):
            blank += 1
        elif header is None:
            header = tuple(cell.strip() for cell in cells)
        else:
            rows.append((number, cells))
    if header is None:
        raise DataError(f"{path.name} is empty: its sheet has no header row.")
    return _text_table("XLSX", header, rows, blank_rows=blank)


# DuckDB's reader of JSON Lines: one JSON value per line; blank lines are skipped, and a line
# that is not JSON becomes NULL instead of stopping the scan. The queries on it are fixed text
# (the file's path is a parameter).
_JSON_VALUES = "read_json_objects($path, format='newline_delimited', ignore_errors=true)"
_NUMBERED = f"SELECT row_number() OVER () AS position, json FROM {_JSON_VALUES}"  # noqa: S608


def _jsonl(path: Path, connection: Any, stack: ExitStack) -> Source:
    """JSON Lines, streamed by DuckDB: a first pass finds the lines that are not JSON objects
    and the keys (the columns, in order of first appearance); every cell is then read as
    text, as a CSV file's are."""
    readable, encoding = _utf8_copy(path, stack)
    params: dict[str, object] = {"path": str(readable)}
    records, bad = connection.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {_NOT_AN_OBJECT}) FROM ({_NUMBERED})",  # noqa: S608
        params,
    ).fetchall()[0]
    if bad:
        raise _not_objects(path.name, readable, connection, params, int(bad))
    keys = connection.execute(
        "SELECT key FROM (SELECT position, unnest(json_keys(json)) AS key, "  # noqa: S608
        f"unnest(range(len(json_keys(json)))) AS place FROM ({_NUMBERED})) "
        "GROUP BY key ORDER BY min(position), arg_min(place, position)",
        params,
    ).fetchall()
    names = tuple(str(key) for (key,) in keys)
    if not names:
        raise DataError(f"{path.name} has no JSON objects with keys: it has no columns.")
    columns = "{" + ", ".join(f"{_sql_text(name)}: 'VARCHAR'" for name in names) + "}"
    return Source(
        label="JSON Lines",
        scan=f"read_json($path, format='newline_delimited', columns={columns})",
        names=names,
        columns=tuple(quote(name) for name in names),
        types=("VARCHAR",) * len(names),
        ordinal="row_number() OVER ()",
        rows_of=lambda positions: _json_lines(readable, positions),
        params=params,
        encoding=encoding,
        blank_rows=_lines(readable) - int(records),
    )


_NOT_AN_OBJECT = "json IS NULL OR json_type(json) <> 'OBJECT'"


def _not_objects(
    name: str, readable: Path, connection: Any, params: dict[str, object], count: int
) -> DataError:
    """The first lines that are not JSON objects, by line, with their count."""
    found = connection.execute(
        f"SELECT position, json IS NULL FROM ({_NUMBERED}) WHERE {_NOT_AN_OBJECT} "  # noqa: S608
        "ORDER BY position LIMIT 100",
        params,
    ).fetchall()
    lines = _json_lines(readable, [int(position) for position, _ in found])
    issues = tuple(
        Issue(line, "", "invalid JSON", "not valid JSON" if invalid else "not a JSON object")
        for line, (_, invalid) in zip(lines, found, strict=True)
    )
    return DataError(
        f"{name}: some lines are not JSON objects (one object per line, e.g. "
        '{"arm": "pilot", "minutes": 3}); correct them and run again.',
        issues,
        {"invalid JSON": count},
    )


def _lines(path: Path) -> int:
    """How many lines a file has (the last may lack its line end), counted a chunk at a time."""
    count, last = 0, b"\n"
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def _json_lines(path: Path, positions: Sequence[int]) -> list[int]:
    """The file's line numbers of DuckDB's records at `positions` (1 = the first line that is
    not blank), reading only as far as the last one."""
    wanted = set(positions)
    with path.open("rb") as file:
        records = (number for number, line in enumerate(file, start=1) if line.strip())
        hits = ((p, number) for p, number in enumerate(records, start=1) if p in wanted)
        found = dict(itertools.islice(hits, len(wanted)))
    return [found[p] for p in positions]
