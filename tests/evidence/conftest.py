"""Helpers for the evidence tests: write specs and data files, run the command."""

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from sanely.evidence.cli import main


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return repr(value)


def to_toml(spec: dict[str, dict[str, Any]]) -> str:
    """A spec mapping as SPEC.toml text."""
    lines = []
    for table, keys in spec.items():
        lines.append(f"[{table}]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in keys.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def run_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    """Run `sanely evidence assess DATA --spec SPEC [--json]`; returns (status, out, err)."""

    def run(data: Path, spec: dict[str, Any], *extra: str) -> tuple[int, str, str]:
        spec_path = tmp_path / "spec.toml"
        spec_path.write_text(to_toml(spec), encoding="utf-8")
        status = main(["assess", str(data), "--spec", str(spec_path), *extra])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


@pytest.fixture
def assess_json(run_command: Callable[..., tuple[int, str, str]]) -> Callable[..., dict[str, Any]]:
    """Run the command with --json and return the parsed object (asserting success)."""

    def run(data: Path, spec: dict[str, Any]) -> dict[str, Any]:
        status, out, err = run_command(data, spec, "--json")
        assert (status, err) == (0, "")
        result: dict[str, Any] = json.loads(out)
        return result

    return run


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    """Write a small CSV file and return its path."""
    lines = [",".join(header)] + [",".join(str(cell) for cell in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
