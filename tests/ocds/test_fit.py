"""Fitting releases to the extension schemas at hand: fields of an absent extension left out."""

import json
from pathlib import Path

from ocds.partnership import CONFIG, PROCUREMENT, SCHEMA_DIR, at, lifecycle
from ocds.test_validate import MISSING
from sanely.ocds import (
    Built,
    available_extensions,
    build_package,
    build_release,
    extension_url,
    fit,
    validate_package,
)
from sanely.ocds import facts as f


def _built() -> list[Built]:
    return [build_release(CONFIG.ocid_prefix, PROCUREMENT, fact) for fact in lifecycle()]


def _package(built: list[Built]) -> dict:
    return build_package(CONFIG, built, uri="https://council.example/ocds", published=at(600))


def _of(kind: type) -> Built:
    facts = lifecycle()
    return build_release(
        CONFIG.ocid_prefix, PROCUREMENT, next(x for x in facts if isinstance(x, kind))
    )


def test_the_available_extensions_are_exactly_the_folders_present() -> None:
    available = available_extensions(SCHEMA_DIR)
    assert "uk" in available
    assert "lots" in available
    assert available.isdisjoint(MISSING)


def test_every_release_of_the_lifecycle_fitted_to_the_shared_schemas_validates() -> None:
    fitted = [fit(b, available_extensions(SCHEMA_DIR)).built for b in _built()]
    validate_package(_package(fitted), SCHEMA_DIR)
    declared = _package(fitted)["extensions"]
    assert not [name for name in MISSING if extension_url(name) in declared]


def test_a_contracts_kpis_are_left_out_and_returned_when_metrics_is_absent() -> None:
    contract = _of(f.Contract)
    fitted = fit(contract, {"uk"})
    assert "agreedMetrics" not in fitted.built.release["contracts"][0]
    assert "metrics" not in fitted.built.extensions
    assert [m["title"] for m in fitted.omitted["contracts.agreedMetrics"][0]] == [
        m["title"] for m in contract.release["contracts"][0]["agreedMetrics"]
    ]
    # The built release itself is untouched.
    assert "agreedMetrics" in contract.release["contracts"][0]


def test_a_payment_keeps_its_transaction_without_the_milestone_link() -> None:
    paid = fit(_of(f.InstalmentPaid), {"uk", "milestone_documents"})
    transaction = paid.built.release["contracts"][0]["implementation"]["transactions"][0]
    assert "relatedImplementationMilestone" not in transaction
    assert transaction["value"]["currency"] == "GBP"
    assert list(paid.omitted) == [
        "contracts.implementation.transactions.relatedImplementationMilestone"
    ]
    assert paid.built.extensions == frozenset()


def test_an_assessment_emptied_of_its_metrics_keeps_no_empty_implementation() -> None:
    assessment = _of(f.KpiAssessment)
    release = dict(assessment.release)
    contract = dict(release["contracts"][0])
    contract["implementation"] = {"metrics": contract["implementation"]["metrics"]}
    release["contracts"] = [contract]
    fitted = fit(Built(release, assessment.extensions), {"uk"})
    assert fitted.built.release["contracts"][0] == {
        "id": contract["id"],
        "awardID": contract["awardID"],
    }
    assert fitted.omitted["contracts.implementation.metrics"][0][0]["observations"]


def test_a_termination_keeps_its_status_and_reasons_without_completion_fields() -> None:
    ended = fit(_of(f.ContractTermination), {"uk"}).built.release["contracts"][0]
    assert ended["status"] == "terminated"
    assert ended["terminationRationaleClassifications"]
    assert "implementation" not in ended


def test_an_extension_present_in_the_folder_is_kept_and_declared(tmp_path: Path) -> None:
    """A minimal stand-in for the metrics extension proves the switch (not its real schema)."""
    schemas = tmp_path / "ocds"
    (schemas / "extensions").mkdir(parents=True)
    (schemas / "standard-1.1.5").symlink_to(SCHEMA_DIR / "standard-1.1.5")
    for folder in (SCHEMA_DIR / "extensions").iterdir():
        (schemas / "extensions" / folder.name).symlink_to(folder)
    stand_in = schemas / "extensions" / "ocds_metrics_extension"
    stand_in.mkdir()
    (stand_in / "release-schema.json").write_text(
        json.dumps(
            {"definitions": {"Contract": {"properties": {"agreedMetrics": {"type": "array"}}}}}
        )
    )
    available = available_extensions(schemas)
    assert "metrics" in available
    fitted = fit(_of(f.Contract), available)
    assert fitted.omitted == {}
    assert fitted.built.release["contracts"][0]["agreedMetrics"]
    package = _package([fitted.built])
    assert extension_url("metrics") in package["extensions"]
    validate_package(package, schemas)


def test_an_extension_without_fields_of_its_own_is_only_undeclared() -> None:
    tender = _built()[1]
    fitted = fit(tender, set())
    assert fitted.built.extensions == frozenset()
    assert fitted.omitted == {}
    assert fitted.built.release == tender.release
