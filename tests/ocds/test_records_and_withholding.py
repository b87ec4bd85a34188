"""Withholding fields before publication; records and record packages; the UK6/UK4 fields."""

import copy
import dataclasses

import pytest

from ocds.partnership import CONFIG, KPI, PROCUREMENT, SCHEMA_DIR, at, lifecycle
from ocds.test_validate import MISSING
from sanely.ocds import (
    PackageRefused,
    ReleaseInvalid,
    WithholdingRefused,
    build_package,
    build_record,
    build_record_package,
    build_release,
    merge_rules,
    validate_package,
    validate_record_package,
    withhold,
)
from sanely.ocds import facts as f
from sanely.ocds._extensions import EXTENSIONS
from sanely.ocds._merge import compiled_release


def _checkable() -> list:
    """The lifecycle's releases whose extensions are all in the schema directory."""
    built = [build_release(CONFIG.ocid_prefix, PROCUREMENT, fact) for fact in lifecycle()]
    return [b for b in built if not b.extensions & set(MISSING)]


def _award():
    return next(b for b in _checkable() if b.release["tag"] == ["award"])


def test_withholding_removes_the_field_everywhere_and_leaves_the_original() -> None:
    award = _award()
    kept = withhold(award.release, ["awards.value", "bids"])
    assert "value" in award.release["awards"][0]
    assert "value" not in kept["awards"][0]
    assert "bids" not in kept
    validate_package(
        build_package(
            CONFIG,
            [dataclasses.replace(award, release=kept)],
            uri="https://x.example/p",
            published=at(100),
        ),
        SCHEMA_DIR,
    )


def test_withholding_crosses_every_item_of_an_array() -> None:
    release = {"id": "r", "contracts": [{"value": 1}, {"title": "t"}, {"value": 2}, "odd"]}
    assert {"id": "r", "contracts": [{}, {"title": "t"}, {}, "odd"]} == withhold(
        release, ["contracts.value"]
    )


@pytest.mark.parametrize("path", ["awards.amount", "nothing", "ocid.deeper", "awards.value.x.y"])
def test_a_path_that_names_nothing_is_refused(path: str) -> None:
    with pytest.raises(WithholdingRefused, match=f"nothing at '{path}'"):
        withhold(_award().release, [path])


def test_withholding_a_required_field_fails_validation() -> None:
    award = _award()
    package = build_package(
        CONFIG,
        [dataclasses.replace(award, release=withhold(award.release, ["date"]))],
        uri="https://x.example/p",
        published=at(100),
    )
    with pytest.raises(ReleaseInvalid, match='"date" is a required property'):
        validate_package(package, SCHEMA_DIR)


def _record_package(built: list) -> dict:
    extensions = frozenset().union(*(b.extensions for b in built))
    rules = merge_rules(SCHEMA_DIR, [EXTENSIONS[name].url for name in sorted(extensions)])
    ocid = built[0].release["ocid"]
    record = build_record(ocid, [b.release for b in reversed(built)], rules)
    return build_record_package(
        CONFIG, [record], extensions=extensions, uri="https://x.example/r", published=at(600)
    )


def test_a_record_holds_its_releases_in_date_order_compiled_and_versioned() -> None:
    built = _checkable()
    package = _record_package(built)
    record = package["records"][0]
    # Given newest first: sorted by date, releases of the same date keep the order given.
    given = list(reversed(built))
    assert [b.release["id"] for b in sorted(given, key=lambda b: b.release["date"])] == [
        r["id"] for r in record["releases"]
    ]
    rules = merge_rules(SCHEMA_DIR, package["extensions"])
    assert compiled_release(record["ocid"], record["releases"], rules) == record["compiledRelease"]
    assert ["planning"] == record["versionedRelease"]["planning"]["rationale"][0]["releaseTag"]
    validate_record_package(package, SCHEMA_DIR)


def test_record_packages_report_every_problem() -> None:
    package = _record_package(_checkable())
    broken = copy.deepcopy(package)
    broken["records"][0]["compiledRelease"]["date"] = "yesterday"
    broken["records"][0]["versionedRelease"]["tender"] = "x"
    broken["records"].append(copy.deepcopy(broken["records"][0]))
    broken["records"][1].pop("versionedRelease")
    with pytest.raises(ReleaseInvalid) as refused:
        validate_record_package(broken, SCHEMA_DIR)
    problems = refused.value.problems
    assert (
        'package at /records/0/compiledRelease/date: "yesterday" is not a "date-time"' in problems
    )
    assert 'record 0 versionedRelease at /tender: "x" is not of type "object"' in problems
    assert "package at /records: two records have the same ocid" in problems


def test_record_packages_that_are_not_lists_of_records_are_reported() -> None:
    package = _record_package(_checkable())
    for records in ("none", ["not a record"]):
        with pytest.raises(ReleaseInvalid, match="package at /records"):
            validate_record_package({**package, "records": records}, SCHEMA_DIR)


def test_record_packages_refuse_emptiness_and_repeated_ocids() -> None:
    record = _record_package(_checkable())["records"][0]
    with pytest.raises(PackageRefused, match="at least one record"):
        build_record_package(
            CONFIG, [], extensions=frozenset(), uri="https://x.example", published=at(1)
        )
    with pytest.raises(PackageRefused, match="record ocids must be unique"):
        build_record_package(
            CONFIG,
            [record, record],
            extensions=frozenset(),
            uri="https://x.example",
            published=at(1),
        )


def test_the_uk_extension_fields_of_the_tender_and_award_notices() -> None:
    tender = next(fact for fact in lifecycle() if isinstance(fact, f.Tender))
    tender = dataclasses.replace(tender, expression_of_interest_deadline=at(30))
    award = next(fact for fact in lifecycle() if isinstance(fact, f.Award))
    award = dataclasses.replace(
        award, standstill=None, assessment_summaries_sent=at(59), main_category="services"
    )
    built = [build_release(CONFIG.ocid_prefix, PROCUREMENT, fact) for fact in (tender, award)]
    assert "2026-02-04T09:00:00+00:00" == built[0].release["tender"]["expressionOfInterestDeadline"]
    released = built[1].release["awards"][0]
    assert "standstillPeriod" not in released
    assert ("2026-03-05T09:00:00+00:00", "services") == (
        released["assessmentSummariesDateSent"],
        released["mainProcurementCategory"],
    )
    assert all("uk" in b.extensions for b in built)
    validate_package(
        build_package(CONFIG, built, uri="https://x.example/p", published=at(100)), SCHEMA_DIR
    )


def test_a_kpi_without_a_target_or_description_has_no_observation() -> None:
    contract = next(fact for fact in lifecycle() if isinstance(fact, f.Contract))
    bare = f.Kpi(id="kpi-2", title="On-time trips")
    built = build_release(
        CONFIG.ocid_prefix, PROCUREMENT, dataclasses.replace(contract, kpis=(KPI, bare))
    )
    metrics = built.release["contracts"][0]["agreedMetrics"]
    assert [{"id": "kpi-2", "title": "On-time trips"}] == metrics[1:]
    assert "observations" in metrics[0]
