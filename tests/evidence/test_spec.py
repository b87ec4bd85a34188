"""Spec validation: every mistake names the key to change."""

from pathlib import Path
from typing import Any

import pytest

from sanely.evidence import SpecError, load_spec, parse_spec

GOOD: dict[str, Any] = {
    "columns": {
        "value": "waiting",
        "exposure": "hours",
        "unit": "village",
        "period": "quarter",
        "group": "arm",
    },
    "design": {
        "kind": "did",
        "treated": ["pilot"],
        "control": ["comparison"],
        "before": ["2025-Q1"],
        "after": ["2025-Q3"],
    },
    "metric": {"statistic": "mean"},
    "target": {"comparator": "<=", "threshold": -2.0, "confidence": 0.9, "standard": "ci_bound"},
    "inference": {"method": "bootstrap", "replicates": 500, "seed": 7},
}


def changed(**tables: dict[str, Any]) -> dict[str, Any]:
    spec = {name: dict(keys) for name, keys in GOOD.items()}
    for name, keys in tables.items():
        spec[name] = {**spec.get(name, {}), **keys}
    return spec


def without(table: str, key: str) -> dict[str, Any]:
    spec = changed()
    del spec[table][key]
    return spec


def test_a_complete_spec_is_read_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "spec.toml"
    path.write_text(
        '[columns]\nvalue = "waiting"\n[design]\nkind = "threshold"\n'
        '[metric]\nstatistic = "median"\n',
        encoding="utf-8",
    )
    spec = load_spec(path)
    assert (0.95, "auto", "auto", 50.0, None) == (
        spec.inference.confidence,
        spec.inference.method,
        spec.inference.errors,
        spec.metric.percentile,
        spec.target,
    )


def test_target_confidence_is_the_inference_confidence() -> None:
    spec = parse_spec(GOOD)
    assert (0.9, 500, 7) == (
        spec.inference.confidence,
        spec.inference.replicates,
        spec.inference.seed,
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({**GOOD, "extra": {}}, "[extra] is not a known table"),
        (changed(columns={"colour": "x"}), "columns.colour is not a known key"),
        ({**GOOD, "columns": "waiting"}, "[columns] must be a table"),
        (without("columns", "value"), "columns.value is required"),
        (changed(columns={"unit": ""}), "columns.unit must be a non-empty text"),
        (without("design", "kind"), "design.kind is required"),
        (changed(design={"kind": "rct"}), "design.kind = 'rct' is not one of"),
        (
            {**changed(), "columns": {"value": "waiting", "period": "quarter"}},
            "design.kind = 'did' needs columns.group",
        ),
        (changed(design={"treated": []}), "design.treated must list the values of 'arm'"),
        (changed(design={"control": ["pilot"]}), "design.treated and design.control share"),
        (changed(design={"after": "2025-Q1"}), "design.before and design.after share"),
        (changed(design={"before": []}), "design.before must list the values of 'quarter'"),
        (changed(design={"after": [1.5]}), "design.after must be a list of values as text"),
        (changed(design={"fixed_effects": "yes"}), "design.fixed_effects must be true or false"),
        (
            changed(design={"kind": "before_after", "fixed_effects": True}),
            "design.fixed_effects applies to kind = 'did'",
        ),
        (changed(design={"season_length": 12}), "design.season_length applies to kind = 'its'"),
        (
            changed(design={"kind": "its", "season_length": 1}),
            "design.season_length applies to kind = 'its' and must be at least 2",
        ),
        (changed(design={"season_length": -1}), "design.season_length must be a whole number"),
        (
            {
                **changed(),
                "columns": {"value": "w", "period": "q", "group": "g"},
                "metric": {"statistic": "rate"},
            },
            "metric.statistic = 'rate' needs columns.exposure",
        ),
        (changed(metric={"percentile": 100}), "metric.percentile must be between 0 and 100"),
        (changed(metric={"percentile": "high"}), "metric.percentile must be a number"),
        (
            {
                **changed(),
                "columns": {"value": "w", "period": "q", "group": "g"},
                "metric": {"aggregate": "unit_period"},
            },
            "metric.aggregate = 'unit_period' needs columns.unit and columns.period",
        ),
        (without("target", "threshold"), "A target needs target.comparator"),
        (changed(target={"comparator": "=="}), "target.comparator = '==' is not one of"),
        (changed(target={"threshold": True}), "target.threshold must be a number"),
        (changed(target={"confidence": 1.0}), "target.confidence must be between 0.5 and 1"),
        (changed(inference={"confidence": 0.8}), "inference.confidence and target.confidence"),
        (changed(inference={"replicates": 10}), "inference.replicates must be a whole number"),
        (
            {
                **changed(),
                "columns": {"value": "w", "period": "q", "group": "g"},
                "inference": {"errors": "cluster"},
            },
            "inference.errors = 'cluster' needs columns.unit",
        ),
        (changed(data={"where": ["x"]}), "data.where must be a table"),
        (changed(inference={"errors": "hac"}), "apply to design.kind = 'its'"),
        (changed(inference={"lags": 2}), "apply to design.kind = 'its'"),
        (changed(data={"on_missing": "zero"}), "data.on_missing = 'zero' is not one of"),
        (
            changed(metric={"statistic": "median"}, inference={"method": "analytic"}),
            "has an analytic interval only for design.kind = 'threshold'",
        ),
    ],
)
def test_mistakes_name_the_key_to_change(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(raw)
    assert message in str(caught.value)


def test_unreadable_and_invalid_spec_files_are_spec_errors(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"Cannot read the spec"):
        load_spec(tmp_path / "absent.toml")
    (tmp_path / "bad.toml").write_text("[columns\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"is not valid TOML"):
        load_spec(tmp_path / "bad.toml")


def test_data_policy_values_are_read() -> None:
    spec = parse_spec(
        changed(data={"missing": ["-99"], "duplicates": "drop", "sheet": "S", "where": {"a": "1"}})
    )
    assert (("-99",), "drop", "S", {"a": ("1",)}) == (
        spec.data.missing,
        spec.data.duplicates,
        spec.data.sheet,
        dict(spec.data.where),
    )


def test_a_spec_error_names_the_key_to_change() -> None:
    needs = changed(design={"kind": "did"}, columns={"period": None})
    del needs["columns"]["period"]
    with pytest.raises(SpecError) as caught:
        parse_spec(needs)
    assert "columns.period" == caught.value.key  # not design.kind, named first
    assert "sequential.look" == SpecError("sequential.look must be at most looks").key
    assert "" == SpecError("The spec is not valid TOML.").key
