"""`sanely ocds compile` and `sanely ocds validate` from the command line."""

import json
from pathlib import Path

import pytest

from ocds.partnership import CONFIG, PROCUREMENT, SCHEMA_DIR, at, lifecycle
from sanely import cli
from sanely.ocds import build_package, build_release

SCHEMA = SCHEMA_DIR / "standard-1.1.5" / "release-schema.json"


def _feed(tmp_path: Path) -> Path:
    releases = [
        {
            "ocid": "ocds-b",
            "id": "b1",
            "date": "2026-01-02",
            "tag": ["tender"],
            "tender": {"id": "t", "title": "B"},
        },
        {
            "ocid": "ocds-a",
            "id": "a1",
            "date": "2026-01-01",
            "tag": ["planning"],
            "planning": {"rationale": "R"},
        },
        {
            "ocid": "ocds-a",
            "id": "a2",
            "date": "2026-01-03",
            "tag": ["tender"],
            "tender": {"id": "t", "title": "A"},
        },
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"releases": releases[:2]}) + "\n" + json.dumps(releases[2]) + "\n")
    return path


def test_compile_writes_compiled_releases_in_ocid_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    assert 0 == cli.main(
        ["ocds", "compile", str(_feed(tmp_path)), "--schema", str(SCHEMA), "-o", str(out)]
    )
    compiled = [json.loads(line) for line in out.read_text().splitlines()]
    assert ["ocds-a", "ocds-b"] == [c["ocid"] for c in compiled]
    assert {"rationale": "R"} == compiled[0]["planning"]
    assert "ocds-a-2026-01-03" == compiled[0]["id"]
    assert "2 contracting process(es) compiled" in capsys.readouterr().err


def test_compile_to_stdout_versioned(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert 0 == cli.main(
        ["ocds", "compile", str(_feed(tmp_path)), "--schema", str(SCHEMA), "--versioned"]
    )
    lines = capsysbinary.readouterr().out.splitlines()
    assert "a1" == json.loads(lines[0])["planning"]["rationale"][0]["releaseID"]


def test_compile_a_record_package(tmp_path: Path) -> None:
    out = tmp_path / "records.json"
    args = [
        "--package",
        "--uri",
        "https://x.example/r",
        "--publisher-name",
        "Me",
        "--published-date",
        "2026-12-05T00:00:00Z",
    ]
    assert 0 == cli.main(
        [
            "ocds",
            "compile",
            str(_feed(tmp_path)),
            "--schema",
            str(SCHEMA),
            "-o",
            str(out),
            *args,
            "--versioned",
        ]
    )
    package = json.loads(out.read_text())
    assert {
        "uri": "https://x.example/r",
        "version": "1.1",
        "publishedDate": "2026-12-05T00:00:00Z",
        "publisher": {"name": "Me"},
    } == {k: v for k, v in package.items() if k != "records"}
    assert ["ocds-a", "ocds-b"] == [r["ocid"] for r in package["records"]]
    assert ["a1", "a2"] == [r["id"] for r in package["records"][0]["releases"]]
    assert {"compiledRelease", "versionedRelease"} <= set(package["records"][0])


def test_compile_refusals_exit_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"releases": []}\n{oops\n')
    assert 1 == cli.main(
        ["ocds", "compile", str(bad), "--schema", str(SCHEMA), "-o", str(tmp_path / "o")]
    )
    assert "bad.jsonl line 2: not JSON" in capsys.readouterr().err
    assert 2 == cli.main(["ocds", "compile", str(bad), "--schema", str(SCHEMA), "--package"])
    assert "--package needs --uri" in capsys.readouterr().err
    assert 1 == cli.main(["ocds", "compile", str(bad), "--schema", str(tmp_path / "none.json")])
    assert "cannot read the release schema" in capsys.readouterr().err


def test_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    planning = build_release(CONFIG.ocid_prefix, PROCUREMENT, lifecycle()[0])
    package = build_package(CONFIG, [planning], uri="https://x.example/p", published=at(1))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(package))
    assert 0 == cli.main(["ocds", "validate", str(good), "--schema-dir", str(SCHEMA_DIR)])
    assert "good.json: valid" in capsys.readouterr().out
    package["releases"][0]["date"] = "soon"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(package))
    assert 1 == cli.main(["ocds", "validate", str(bad), "--schema-dir", str(SCHEMA_DIR)])
    assert "release 0 (ocds-s4n3ly-ip-2026-001-planning) at /date" in capsys.readouterr().err
