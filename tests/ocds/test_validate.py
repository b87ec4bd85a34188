"""Packages validate against the official schema patched with exactly their extensions."""

import json
from pathlib import Path

import pytest

from ocds.partnership import CANCELLED, CONFIG, PROCUREMENT, SCHEMA_DIR, at, lifecycle
from sanely.ocds import (
    ReleaseInvalid,
    SchemaUnavailable,
    build_package,
    build_release,
    validate_package,
)
from sanely.ocds._extensions import EXTENSIONS
from sanely.ocds._validate import PackageValidator, merge_patch

MISSING = sorted(
    name
    for name, extension in EXTENSIONS.items()
    if not (SCHEMA_DIR / "extensions" / extension.directory / "release-schema.json").exists()
)
AVAILABLE = [e.url for name, e in EXTENSIONS.items() if name not in MISSING]


def packages() -> list[dict]:
    """One package per fact, as the portal publishes them, then the whole lifecycle."""
    facts = [*lifecycle(), CANCELLED]
    built = [build_release(CONFIG.ocid_prefix, PROCUREMENT, fact) for fact in facts]
    single = [
        build_package(CONFIG, [b], uri=f"https://council.example/ocds/{i}", published=at(500))
        for i, b in enumerate(built)
    ]
    whole = build_package(
        CONFIG, built[:-1], uri="https://council.example/ocds/all", published=at(500)
    )
    return [*single, whole]


def _declares_missing(package: dict) -> list[str]:
    return [name for name in MISSING if EXTENSIONS[name].url in package["extensions"]]


def test_packages_whose_extensions_are_all_present_validate() -> None:
    checked = 0
    for package in packages():
        if not _declares_missing(package):
            validate_package(package, SCHEMA_DIR)
            checked += 1
    assert checked >= 10


def test_packages_validate_against_every_extension_present() -> None:
    """Fields of extensions missing from the schema directory go unchecked here (see docs)."""
    for package in packages():
        validator = PackageValidator(
            SCHEMA_DIR, [url for url in package["extensions"] if url in AVAILABLE]
        )
        assert [] == validator.problems(package)


def test_a_declared_extension_missing_on_disk_is_refused_by_name() -> None:
    if not MISSING:
        pytest.skip("every extension sanely declares is in the schema directory")
    package = next(p for p in packages() if _declares_missing(p))
    with pytest.raises(
        SchemaUnavailable, match=EXTENSIONS[_declares_missing(package)[0]].directory
    ):
        validate_package(package, SCHEMA_DIR)


def test_unknown_extension_urls_and_missing_directories_are_refused() -> None:
    package = packages()[0]
    package["extensions"] = ["https://example.com/extension.json"]
    with pytest.raises(SchemaUnavailable, match="not one sanely knows"):
        validate_package(package, SCHEMA_DIR)
    with pytest.raises(SchemaUnavailable, match="point the schema directory"):
        validate_package(packages()[0], Path("/nonexistent"))


def test_errors_name_the_release_and_json_path() -> None:
    package = packages()[-1]
    package["releases"][1]["tender"]["value"]["currency"] = "XXXX"
    package["releases"][3]["date"] = "yesterday"
    del package["publisher"]
    package["extensions"] = [url for url in package["extensions"] if url in AVAILABLE]
    with pytest.raises(ReleaseInvalid) as caught:
        validate_package(package, SCHEMA_DIR)
    text = str(caught.value)
    assert "package at /: " in text
    assert "publisher" in text
    assert "release 1 (ocds-s4n3ly-ip-2026-001-uk4) at /tender/value/currency" in text
    assert "release 3 (ocds-s4n3ly-ip-2026-001-clarifications-1) at /date" in text


def test_many_errors_are_summarised() -> None:
    package = packages()[-1]
    package["extensions"] = [u for u in package["extensions"] if u in AVAILABLE]
    for release in package["releases"]:
        release["date"] = "bad"
    package["releases"].append("not a release")
    with pytest.raises(ReleaseInvalid, match=r"and \d+ more") as caught:
        validate_package(package, SCHEMA_DIR)
    assert 'release 21 at /: "not a release" is not of type "object"' == caught.value.problems[-1]


def test_merge_patch_follows_rfc_7386() -> None:
    assert {"a": {"b": 2}, "c": [1]} == merge_patch(
        {"a": {"b": 1, "x": 0}, "c": 1}, {"a": {"b": 2, "x": None}, "c": [1]}
    )
    assert {"a": 1} == merge_patch("scalar", {"a": 1})


def test_the_selection_criteria_null_type_slip_is_tolerated() -> None:
    patch = json.loads(
        (SCHEMA_DIR / "extensions/ocds_selectionCriteria_extension/release-schema.json").read_text()
    )
    assert None in patch["definitions"]["SelectionCriterion"]["properties"]["minimum"]["type"]
    validator = PackageValidator(SCHEMA_DIR, [EXTENSIONS["selectionCriteria"].url])
    bad = packages()[1]
    bad["releases"][0]["tender"]["selectionCriteria"]["criteria"][0]["minimum"] = 3
    assert any("minimum" in problem for problem in validator.problems(bad))


def test_repeated_releases_are_reported() -> None:
    package = packages()[-1]
    package["extensions"] = [url for url in package["extensions"] if url in AVAILABLE]
    validator = PackageValidator(SCHEMA_DIR, package["extensions"])
    package["releases"].append(dict(package["releases"][0]))
    assert ["package at /releases: release 21 repeats release 0"] == validator.problems(package)
    package["releases"][21]["tag"] = ["planningUpdate"]  # same id, different release: allowed
    del package["releases"][5]["id"]
    assert ["release 5 (no id) at /: "] == [p[:24] for p in validator.problems(package)]
    package["releases"] = "none"
    assert ['package at /releases: "none" is not of type "array"'] == validator.problems(package)
