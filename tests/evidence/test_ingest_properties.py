"""
Properties of reading evidence data (CSV, XLSX, JSON Lines): what is written is read back
whole in every format, and whatever a file holds, reading it gives a table, a `DataError`
that names the file, or a `SpecError` that names the key of the spec the file does not fit;
never another exception.
"""

import json
import math
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanely.evidence import DataError, SpecError, Table, parse_spec, read_table

SPEC = parse_spec(
    {
        "columns": {"value": "minutes"},
        "design": {"kind": "threshold"},
        "metric": {"statistic": "mean"},
    }
)
# DuckDB opens for each example: a few dozen examples each keep the suite quick.
examples = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
values = st.lists(
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 4)),
    min_size=1,
    max_size=30,
)


@contextmanager
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def write(where: Path, numbers: list[float], kind: str) -> Path:
    path = where / f"data.{kind}"
    if kind == "csv":
        path.write_text("minutes\n" + "".join(f"{n!r}\n" for n in numbers))
    elif kind == "jsonl":
        path.write_text("".join(json.dumps({"minutes": n}) + "\n" for n in numbers))
    else:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["minutes"])
        for n in numbers:
            sheet.append([n])
        book.save(path)
    return path


def _read(path: Path) -> Table | DataError | SpecError:
    """The table, or the documented refusal; any other exception fails the test."""
    try:
        return read_table(path, SPEC)
    except (DataError, SpecError) as refused:
        return refused


@examples
@given(values, st.sampled_from(["csv", "jsonl", "xlsx"]))
def test_values_written_in_any_format_are_read_back_whole(numbers, kind):
    with folder() as where:
        table = read_table(write(where, numbers, kind), SPEC)
    assert len(numbers) == table.report.rows_used
    assert table.summary is not None
    assert len(numbers) == table.summary.count.sum()
    assert math.isclose(sum(numbers), table.value.sum(), rel_tol=1e-9, abs_tol=1e-6)


@examples
@given(st.text(max_size=200), st.sampled_from(["csv", "jsonl"]))
def test_any_text_gives_a_table_or_an_error_naming_the_file_or_the_key(text, kind):
    with folder() as where:
        path = where / f"data.{kind}"
        path.write_text(text)
        read = _read(path)
    if isinstance(read, SpecError):
        assert "columns.value" == read.key, str(read)
    elif isinstance(read, DataError):
        assert f"data.{kind}" in str(read), str(read)
    else:
        assert read.report.rows_used >= 1


@examples
@given(st.binary(max_size=400))
def test_any_bytes_named_as_a_workbook_give_a_data_error_naming_the_file(data):
    with folder() as where:
        path = where / "data.xlsx"
        path.write_bytes(b"PK\x03\x04" + data)  # a zip's signature, then anything
        read = _read(path)
    assert isinstance(read, DataError), "not a workbook"
    assert "data.xlsx" in str(read), str(read)
