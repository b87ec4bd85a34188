"""Reading realistic, dirty files against the spec's data dictionary."""

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sanely.evidence import DataError, SpecError, Table, parse_spec, read_table

BASE: dict[str, Any] = {
    "columns": {"value": "minutes", "group": "arm"},
    "design": {"kind": "two_group", "treated": ["pilot"], "control": ["comparison"]},
    "metric": {"statistic": "mean"},
}


def with_data(**data: Any) -> Any:
    return parse_spec({**BASE, "data": data})


def rate_spec(**data: Any) -> Any:
    """Trips per hour by arm (a rate: value over exposure)."""
    columns = {"value": "trips", "exposure": "hours", "group": "arm"}
    return parse_spec({**BASE, "columns": columns, "metric": {"statistic": "rate"}, "data": data})


def by_group(table: Table, values: Any = None) -> dict[str, float]:
    """Sums of the value (or `values`) per group: the table holds per-group sums."""
    assert table.group is not None
    totals: dict[str, float] = {}
    for code, value in zip(
        table.group.codes, table.value if values is None else values, strict=True
    ):
        label = table.group.labels[code]
        totals[label] = totals.get(label, 0.0) + float(value)
    return totals


def test_byte_order_mark_and_thousands_separators_are_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes('\ufeffarm,minutes\npilot,"1,234.5"\ncomparison,£7\n'.encode())
    table = read_table(path, with_data())
    assert ({"pilot": 1234.5, "comparison": 7.0}, "UTF-8 with byte-order mark") == (
        by_group(table),
        table.report.encoding,
    )


def test_latin_1_file_is_read_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("arm;minutes;note\npilot;3;café\ncomparison;4;naïve\n".encode("cp1252"))
    table = read_table(path, with_data())
    assert ({"pilot": 3.0, "comparison": 4.0}, "Latin-1 (Windows-1252)") == (
        by_group(table),
        table.report.encoding,
    )


def test_bytes_outside_windows_1252_fall_back_to_iso_8859_1(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(b"arm,minutes,note\npilot,3,\x81\ncomparison,4,x\n")
    assert "Latin-1 (ISO 8859-1)" == read_table(path, with_data()).report.encoding


def test_utf_16_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes("arm,minutes\npilot,3\ncomparison,4\n".encode("utf-16"))
    assert {"pilot": 3.0, "comparison": 4.0} == by_group(read_table(path, with_data()))


def test_blank_rows_are_counted_empty_lines_skipped_and_repeats_kept_by_default(
    tmp_path: Path,
) -> None:
    path = tmp_path / "dirty.csv"
    path.write_text(
        "\n ,\narm,minutes\npilot,3\n\npilot,3\n,\n  ,  \ncomparison,4\n", encoding="utf-8"
    )
    report = read_table(path, with_data()).report
    # Rows of empty cells are counted (one before the header); empty lines are skipped.
    assert (3, 0, 3, 3) == (
        report.blank_lines,
        report.duplicate_rows,
        report.rows_read,
        report.rows_used,
    )


def test_duplicates_can_be_dropped_and_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("arm,minutes\npilot,3\npilot,3\ncomparison,4\npilot,3\n", encoding="utf-8")
    table = read_table(path, with_data(duplicates="drop"))
    assert ({"pilot": 3.0, "comparison": 4.0}, 2, 2, 4) == (
        by_group(table),
        table.report.duplicate_rows,
        table.report.duplicates_dropped,
        table.report.rows_read,
    )


def test_duplicates_can_be_errors_naming_the_row(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("arm,minutes\npilot,3\npilot,3\ncomparison,4\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table(path, with_data(duplicates="error"))
    assert "row 3, column '': repeats an earlier row exactly" in str(caught.value)


def test_missing_values_are_dropped_and_counted_by_column(tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"
    path.write_text("arm,minutes\npilot,NA\npilot,3\n,5\ncomparison,4\n", encoding="utf-8")
    table = read_table(path, with_data())
    assert ({"pilot": 3.0, "comparison": 4.0}, {"minutes": 1, "arm": 1}) == (
        by_group(table),
        dict(table.report.missing_dropped),
    )


def test_missing_values_can_be_errors_naming_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"
    path.write_text("arm,minutes\npilot,-99\npilot,3\ncomparison,4\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table(path, with_data(missing=["-99"], on_missing="error"))
    assert "row 2, column 'minutes': is missing" in str(caught.value)


def test_bad_numbers_list_the_first_hundred_with_counts_by_kind(tmp_path: Path) -> None:
    rows = "".join(f"pilot,{i}x\n" for i in range(150))
    path = tmp_path / "bad.csv"
    path.write_text("arm,minutes\n" + rows + "comparison,1\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table(path, with_data())
    error = caught.value
    assert (100, {"not a number": 150}, 2) == (len(error.issues), error.counts, error.issues[0].row)
    assert "150 problem(s) (not a number: 150); the first 100:" in str(error)
    assert "row 2, column 'minutes': '0x' is not a number" in str(error)


def test_proportions_accept_yes_no_and_reject_other_values(tmp_path: Path) -> None:
    path = tmp_path / "flags.csv"
    path.write_text("arm,ok\npilot,yes\npilot,No\ncomparison,TRUE\ncomparison,2\n", "utf-8")
    spec = parse_spec(
        {**BASE, "columns": {"value": "ok", "group": "arm"}, "metric": {"statistic": "proportion"}}
    )
    with pytest.raises(DataError) as caught:
        read_table(path, spec)
    assert "'2' is not 0 or 1 (or yes/no, true/false)" in str(caught.value)


def test_yes_no_flags_are_coded_one_and_zero(tmp_path: Path) -> None:
    path = tmp_path / "flags.csv"
    path.write_text("arm,ok\npilot,yes\npilot,No\ncomparison,f\ncomparison,1.0\n", "utf-8")
    spec = parse_spec(
        {**BASE, "columns": {"value": "ok", "group": "arm"}, "metric": {"statistic": "proportion"}}
    )
    table = read_table(path, spec)
    assert table.summary is not None
    assert ({"pilot": 1.0, "comparison": 1.0}, {"pilot": 2.0, "comparison": 2.0}) == (
        by_group(table),
        by_group(table, table.summary.count),
    )


def test_a_spec_naming_a_missing_column_lists_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("arm,waiting\npilot,3\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        read_table(path, with_data())
    assert (
        "columns.value names 'minutes', which is not a column of d.csv (its columns are: "
        "'arm', 'waiting'); change columns.value to one of them."
    ) == str(caught.value)


def test_rows_are_kept_by_data_where(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("arm,minutes,area\npilot,3,north\npilot,9,south\ncomparison,4,north\n", "utf-8")
    table = read_table(path, with_data(where={"area": ["north"]}))
    assert ({"pilot": 3.0, "comparison": 4.0}, 1) == (by_group(table), table.report.filtered_out)


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "is empty: it has no header row"), ("arm,minutes\n", "has no usable rows")],
)
def test_files_without_data_are_reported(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "empty.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        read_table(path, with_data())


def test_short_rows_are_padded_as_missing(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("arm,minutes\npilot\npilot,3\ncomparison,4\n", encoding="utf-8")
    assert {"minutes": 1} == read_table(path, with_data()).report.missing_dropped


def test_unknown_and_absent_files_are_data_errors(tmp_path: Path) -> None:
    (tmp_path / "d.ods").write_text("x", encoding="utf-8")
    with pytest.raises(DataError, match=r"unknown file type '.ods'"):
        read_table(tmp_path / "d.ods", with_data())
    with pytest.raises(DataError, match=r"does not exist"):
        read_table(tmp_path / "nope.csv", with_data())


def write_xlsx(path: Path, rows: list[list[Any]], sheet: str = "Sheet") -> Path:
    book = openpyxl.Workbook()
    worksheet = book.active
    assert worksheet is not None
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    book.save(path)
    return path


def test_xlsx_cells_become_text_as_displayed(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "d.xlsx",
        [
            [None, None, None],
            ["arm", "minutes", "when"],
            ["pilot", 3, dt.date(2025, 1, 31)],
            [],
            ["comparison", 4.5, dt.datetime.fromisoformat("2025-02-01T09:30")],
            [True, 1, None],
        ],
        sheet="Data",
    )
    spec = parse_spec(
        {
            **BASE,
            "columns": {"value": "minutes", "group": "arm", "period": "when"},
            "data": {"sheet": "Data"},
        }
    )
    table = read_table(path, spec)
    assert table.period is not None
    assert table.group is not None
    assert ({"pilot": 3.0, "comparison": 4.5}, ("2025-01-31", "2025-02-01T09:30:00"), 2) == (
        by_group(table),
        table.period.labels,
        table.report.blank_lines,
    )
    assert {"when": 1} == table.report.missing_dropped


def test_xlsx_true_false_and_a_missing_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", [["arm", "minutes"], [False, 1], ["pilot", 2]])
    table = read_table(path, with_data())
    assert table.group is not None
    assert ("FALSE", "pilot") == table.group.labels
    with pytest.raises(SpecError, match=r"data.sheet = 'Other' is not a sheet of d.xlsx"):
        read_table(path, with_data(sheet="Other"))


def test_empty_and_damaged_xlsx_are_data_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"its sheet has no header row"):
        read_table(write_xlsx(tmp_path / "e.xlsx", []), with_data())
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    with pytest.raises(DataError, match=r"not a readable XLSX workbook"):
        read_table(tmp_path / "bad.xlsx", with_data())


def test_json_lines_with_blank_lines_nulls_and_booleans(tmp_path: Path) -> None:
    lines = [
        {"arm": "pilot", "minutes": 3},
        {},
        {"arm": "comparison", "minutes": 4.5, "flag": True},
        {"arm": "comparison", "minutes": None},
    ]
    text = "\n".join(json.dumps(line) if line else "" for line in lines)
    path = tmp_path / "d.jsonl"
    path.write_text(text, encoding="utf-8")
    table = read_table(path, with_data(where={"flag": ["true", ""]}))
    assert ({"pilot": 3.0, "comparison": 4.5}, 1, {"minutes": 1}) == (
        by_group(table),
        table.report.blank_lines,
        dict(table.report.missing_dropped),
    )


def test_json_lines_that_are_not_objects_are_reported_by_row(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"arm": "pilot", "minutes": 1}\n[1, 2]\n{oops\n', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table(path, with_data())
    assert {2, 3} == {issue.row for issue in caught.value.issues}


def test_json_lines_problems_are_named_by_the_line_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    lines = [
        '{"arm": "pilot", "minutes": 3, "note": {"by": "driver"}}',
        "   ",
        '{"minutes": 4, "arm": "comparison", "late": true}',
        "",
        '{"arm": "comparison", "minutes": "four"}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table(path, with_data())
    assert [(5, "minutes", "'four' is not a number")] == [
        (issue.row, issue.column, issue.message) for issue in caught.value.issues
    ]
    path.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")
    table = read_table(path, with_data(where={"late": ["true", ""]}))
    assert ({"pilot": 3.0, "comparison": 4.0}, 2, "JSON Lines") == (
        by_group(table),
        table.report.blank_lines,
        table.report.source,
    )


def test_json_lines_in_windows_1252_and_without_objects(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_bytes(
        '{"arm": "pilot", "minutes": 3}\n{"arm": "comparison", "minutes": 2}\n{"arm": "café", "minutes": 1}'.encode(
            "cp1252"
        )
    )
    table = read_table(path, with_data())
    assert ("Latin-1 (Windows-1252)", {"pilot": 3.0, "comparison": 2.0, "café": 1.0}) == (
        table.report.encoding,
        by_group(table),
    )
    path.write_text("\n[]\n", encoding="utf-8")
    with pytest.raises(DataError, match="some lines are not JSON objects"):
        read_table(path, with_data())
    path.write_text("{}\n{}\n", encoding="utf-8")
    with pytest.raises(DataError, match="has no JSON objects with keys"):
        read_table(path, with_data())


def test_json_lines_are_streamed_not_held_in_memory(tmp_path: Path) -> None:
    """A million JSON lines (36 MB) are read in a process of about 170 MB (2.8 s); reading
    them into Python objects, as before, took 850 MB (11.8 s)."""
    import subprocess
    import sys

    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as file:
        for start in range(0, 1_000_000, 100_000):
            file.writelines(
                f'{{"arm": "{"pilot" if i % 2 else "comparison"}", "minutes": {i % 97}.5}}\n'
                for i in range(start, start + 100_000)
            )
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(BASE), encoding="utf-8")
    child = (
        "import json, sys\n"
        "from sanely.evidence import parse_spec, read_table\n"
        "table = read_table(sys.argv[1], parse_spec(json.load(open(sys.argv[2]))))\n"
        "peak = int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) / 1024\n"
        "print(table.report.rows_used, peak)\n"
    )
    done = subprocess.run(  # noqa: S603 - our interpreter, our code, our files
        [sys.executable, "-c", child, str(path), str(spec)],
        capture_output=True,
        text=True,
        check=True,
    )
    rows, peak = done.stdout.split()
    assert 1_000_000 == int(rows)
    assert float(peak) < 400


def test_parquet_columns_of_any_type_are_read(tmp_path: Path) -> None:
    path = tmp_path / "d.parquet"
    table = pa.table(
        {
            "arm": pa.array([1, 1, 0]),
            "minutes": pa.array([3.0, None, 4.0]),
            "extra": pa.array(["a", "b", "c"]),
        }
    )
    pq.write_table(table, path)
    spec = parse_spec({**BASE, "design": {**BASE["design"], "treated": ["1"], "control": ["0"]}})
    result = read_table(path, spec)
    assert ({"1": 3.0, "0": 4.0}, {"minutes": 1}) == (
        by_group(result),
        dict(result.report.missing_dropped),
    )


def test_damaged_parquet_is_a_data_error(tmp_path: Path) -> None:
    (tmp_path / "d.parquet").write_bytes(b"PAR1 nonsense")
    with pytest.raises(DataError, match=r"not a readable Parquet file"):
        read_table(tmp_path / "d.parquet", with_data())


def test_rates_read_the_exposure_column(tmp_path: Path) -> None:
    path = tmp_path / "trips.csv"
    path.write_text('arm,trips,hours\npilot,12,"1,000.5"\ncomparison,3,2\n', "utf-8")
    spec = rate_spec()
    table = read_table(path, spec)
    assert {"pilot": 1000.5, "comparison": 2.0} == by_group(table, table.exposure)


def test_a_csv_row_that_cannot_be_parsed_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text("arm,minutes\npilot,3\npilot," + "9" * 3_000_000 + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"huge.csv: row 3 cannot be read as CSV \(Maximum line"):
        read_table(path, with_data())


def test_problems_after_a_long_cell_are_located_by_row(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    long_note = "x" * 200_000  # longer than Python's csv module reads by default
    path.write_text(f"arm,minutes,note\npilot,3,{long_note}\n\ncomparison,4x,\n", "utf-8")
    with pytest.raises(DataError, match=r"row 4, column 'minutes': '4x' is not a number"):
        read_table(path, with_data())


def test_a_broken_utf_16_file_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes(b"\xff\xfea\x00,\x00b")
    with pytest.raises(DataError, match=r"starts like a UTF-16 file but is not valid UTF-16"):
        read_table(path, with_data())


def test_old_mac_line_ends_are_read(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b"arm,minutes\rpilot,3\rcomparison,4\r")
    assert {"pilot": 3.0, "comparison": 4.0} == by_group(read_table(path, with_data()))


def test_an_unreadable_file_is_a_data_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.csv"
    path.write_text("arm,minutes\n", encoding="utf-8")

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(DataError, match=r"Cannot read locked\.csv: Permission denied\."):
        read_table(path, with_data())


def refuse_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make calamine fail the test if it is asked to parse the workbook."""
    import python_calamine

    def parse(path: str) -> None:
        raise AssertionError(f"{path} was parsed")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", parse)


def test_a_zip_bomb_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 13: a 725 KB workbook held the worker for 7 minutes at 2.4 GB.
    path = tmp_path / "bomb.xlsx"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet,
    ):
        sheet.write(b'<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>')
        for _ in range(300):
            sheet.write(b" " * 2**20)
        sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    refuse_to_parse(monkeypatch)
    with pytest.raises(DataError, match=r"bomb.xlsx holds more than 256 MB once uncompressed"):
        read_table(path, with_data())
    assert path.stat().st_size < 1_000_000


def test_a_sheet_of_more_rows_than_excel_allows_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rows.xlsx"
    rows = b"".join(b'<row r="%d"/>' % number for number in range(1, 1_048_578))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + rows + b"</sheetData>")
    refuse_to_parse(monkeypatch)
    with pytest.raises(DataError, match=r"holds more than 1,048,576 rows in a sheet"):
        read_table(path, with_data())


def sheet_file(path: Path, xml: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + xml + b"</sheetData>")
    return path


def test_a_tiny_workbook_whose_cells_span_the_whole_sheet_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two cells, at A1 and XFD1048576: calamine would allocate the whole rectangle (512 GB) and
    # abort the worker; the uncompressed size and the row count are both tiny.
    cells = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"/></row>'
    path = sheet_file(tmp_path / "span.xlsx", cells)
    refuse_to_parse(monkeypatch)
    with pytest.raises(
        DataError,
        match=r"span.xlsx holds cells that span 17,179,869,184 places of a sheet, more than the"
        r" 16,777,216 allowed \(delete stray cells far from the table\)",
    ):
        read_table(path, with_data())
    assert path.stat().st_size < 1000


def test_a_reference_cut_by_a_read_is_still_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sanely.evidence import _sources

    far = b'<c r="XFD1048576"/>'
    # The far cell's tag is cut in two by the end of the first 4 MB read.
    xml = b'<c r="A1"/>' + b" " * (_sources._CHUNK - len(b"<sheetData>") - 11 - 8) + far
    path = sheet_file(tmp_path / "cut.xlsx", xml)
    refuse_to_parse(monkeypatch)
    with pytest.raises(DataError, match="cells that span 17,179,869,184 places"):
        read_table(path, with_data())


def test_a_row_beyond_excels_last_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sheet_file(tmp_path / "far.xlsx", b'<row r="1"/><row r="2000000"><c><v>1</v></c></row>')
    refuse_to_parse(monkeypatch)
    with pytest.raises(DataError, match=r"far.xlsx holds more than 1,048,576 rows in a sheet"):
        read_table(path, with_data())


def test_cells_without_references_or_a_narrow_span_pass_the_check(tmp_path: Path) -> None:
    from sanely.evidence._sources import check_workbook

    check_workbook(sheet_file(tmp_path / "plain.xlsx", b"<row><c><v>1</v></c></row>"))
    check_workbook(sheet_file(tmp_path / "column.xlsx", b'<row r="1"/><row r="1048576"/>'))
    check_workbook(sheet_file(tmp_path / "wide.xlsx", b'<c r="A7"/><c r="XFD7"/>'))


def test_a_damaged_part_or_a_zip_that_is_no_workbook_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "crc.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + b"x" * 100 + b"</sheetData>")
    damaged = path.read_bytes().replace(b"x" * 100, b"y" * 100)
    path.write_bytes(damaged)
    with pytest.raises(DataError, match=r"crc.xlsx is not a readable XLSX workbook \(Bad CRC"):
        read_table(path, with_data())
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    with pytest.raises(DataError, match=r"other.xlsx is not a readable XLSX workbook \("):
        read_table(other, with_data())


def test_short_rows_among_cells_with_line_breaks_are_read(tmp_path: Path) -> None:
    # DuckDB's parallel reader cannot pad short rows when quoted cells hold line breaks.
    path = tmp_path / "notes.csv"
    path.write_text(
        'arm,minutes,note\npilot\npilot,3,"two\nlines"\ncomparison,4,x\n', encoding="utf-8"
    )
    table = read_table(path, with_data())
    assert ({"pilot": 3.0, "comparison": 4.0}, {"minutes": 1}) == (
        by_group(table),
        dict(table.report.missing_dropped),
    )


def test_bad_exposures_are_named_by_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "trips.csv"
    path.write_text("arm,trips,hours\npilot,12,x\ncomparison,y,z\npilot,3,2\n", "utf-8")
    spec = rate_spec()
    with pytest.raises(DataError) as caught:
        read_table(path, spec)
    assert [
        (2, "hours", "'x' is not a number"),
        (3, "trips", "'y' is not a number"),
        (3, "hours", "'z' is not a number"),
    ] == [(i.row, i.column, i.message) for i in caught.value.issues]
    assert {"not a number": 3} == caught.value.counts


def test_parquet_true_false_keys_and_values_that_are_no_numbers(tmp_path: Path) -> None:
    path = tmp_path / "d.parquet"
    table = pa.table(
        {
            "arm": pa.array([True, True, False]),
            "minutes": pa.array([3.0, 5.0, 4.0]),
            "when": pa.array([dt.date(2025, 1, 1)] * 3),
        }
    )
    pq.write_table(table, path)
    spec = parse_spec(
        {**BASE, "design": {**BASE["design"], "treated": ["true"], "control": ["false"]}}
    )
    assert {"true": 8.0, "false": 4.0} == by_group(read_table(path, spec))
    dated = parse_spec({**BASE, "columns": {"value": "when", "group": "arm"}})
    with pytest.raises(DataError, match=r"row 2, column 'when': '2025-01-01' is not a number"):
        read_table(path, dated)


def test_an_unknown_name_is_an_attribute_error() -> None:
    import sanely.evidence

    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        _ = sanely.evidence.nothing  # type: ignore[attr-defined]


def test_a_missing_token_that_reads_as_a_number_is_missing_in_value_and_exposure(
    tmp_path: Path,
) -> None:
    path = tmp_path / "trips.csv"
    path.write_text("arm,trips,hours\npilot,12,-99\ncomparison,-99,2\npilot,3,2\n", "utf-8")
    spec = rate_spec(missing=["", "-99"])
    table = read_table(path, spec)
    assert ({"pilot": 3.0}, {"trips": 1, "hours": 1}) == (
        by_group(table),
        dict(table.report.missing_dropped),
    )
