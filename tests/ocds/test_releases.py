"""Builders: tags, ids, dates and the shapes of the innovation-partnership mapping."""

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from ocds.partnership import CANCELLED, CONFIG, PROCUREMENT, START, at, doc, gbp, lifecycle
from sanely.ocds import AuditHead, PackageRefused, build_package, build_release
from sanely.ocds import facts as f
from sanely.ocds._extensions import EXTENSIONS


def built_all() -> list:
    return [build_release(CONFIG.ocid_prefix, PROCUREMENT, fact) for fact in lifecycle()]


def test_each_fact_gets_its_release_tag() -> None:
    tags = [built.release["tag"] for built in built_all()]
    expected_order = [
        ["planning"],
        ["tender"],
        ["tenderAmendment"],
        ["tenderUpdate"],
        *[
            ["award"],
            ["contract"],
            ["implementation"],
            ["implementationUpdate"],
            ["implementationUpdate"],
            ["implementationUpdate"],
            ["implementationUpdate"],
        ]
        * 2,
        ["contractTermination"],
        ["contractAmendment"],
        ["contractUpdate", "implementationUpdate"],
    ]
    assert expected_order == tags
    cancelled = build_release(CONFIG.ocid_prefix, PROCUREMENT, CANCELLED).release
    assert ["tenderCancellation"] == cancelled["tag"]
    assert "cancelled" == cancelled["tender"]["status"]
    assert "UK12" == cancelled["tender"]["documents"][0]["noticeType"]
    assert "No suitable tenders" == cancelled["tender"]["documents"][0]["description"]


def test_one_ocid_stable_unique_ids_and_utc_dates() -> None:
    first, second = built_all(), built_all()
    assert [b.release for b in first] == [b.release for b in second]
    ids = [b.release["id"] for b in first]
    assert len(ids) == len(set(ids))
    assert {"ocds-s4n3ly-ip-2026-001"} == {b.release["ocid"] for b in first}
    assert "ocds-s4n3ly-ip-2026-001-planning" == ids[0]
    assert "2026-01-05T09:00:00+00:00" == first[0].release["date"]


def test_dates_are_converted_to_utc_so_they_sort_as_text() -> None:
    from datetime import timedelta, timezone

    bst = timezone(timedelta(hours=1))
    update = f.TenderUpdate(
        id="u",
        date=datetime(2026, 6, 1, 10, 0, tzinfo=bst),
        documents=(doc("d", "clarifications", 1),),
    )
    assert (
        "2026-06-01T09:00:00+00:00"
        == build_release("ocds-s4n3ly", PROCUREMENT, update).release["date"]
    )


def _contract_part(index: int) -> dict:
    return built_all()[index].release["contracts"][0]


def test_partner_milestones_verdicts_gates_and_payments() -> None:
    releases = [b.release for b in built_all()]
    schedule = releases[6]["contracts"][0]["implementation"]["milestones"]
    assert [
        ("phase-1", "delivery"),
        ("target-1.1", "assessment"),
        ("gate-1", "approval"),
        ("instalment-1", "payment"),
        ("purchase", "delivery"),
    ] == [(m["id"], m["type"]) for m in schedule]
    assert {"scheduled"} == {m["status"] for m in schedule}
    assert schedule[3]["description"].endswith("Value: 40000 GBP.")
    verdict = releases[7]["contracts"][0]["implementation"]["milestones"][0]
    assert ("met", releases[7]["date"]) == (verdict["status"], verdict["dateMet"])
    assert "verdict-alpha" == verdict["documents"][0]["id"]
    gate = releases[8]["contracts"][0]["implementation"]["milestones"][0]
    assert gate["description"].startswith("Decision: continue.")
    payment = releases[9]["contracts"][0]["implementation"]
    assert {"id": "instalment-1"} == payment["transactions"][0]["relatedImplementationMilestone"]
    assert "met" == payment["milestones"][0]["status"]
    assert {"buyer", "payer"} == set(releases[9]["parties"][0]["roles"])
    assert ["payee"] == releases[9]["parties"][1]["roles"]


def test_partial_verdicts_have_no_date_met() -> None:
    verdict = next(fact for fact in lifecycle() if isinstance(fact, f.TargetVerdict))
    partial = dataclasses.replace(verdict, status="partiallyMet")
    milestone = build_release("ocds-s4n3ly", PROCUREMENT, partial).release["contracts"][0][
        "implementation"
    ]["milestones"][0]
    assert "partiallyMet" == milestone["status"]
    assert "dateMet" not in milestone


def test_kpis_amendments_terminations_and_purchase() -> None:
    releases = [b.release for b in built_all()]
    contract = releases[5]["contracts"][0]
    assert "kpi-1" == contract["agreedMetrics"][0]["id"]
    assert "<= 12" == contract["agreedMetrics"][0]["observations"][0]["measure"]
    observation = releases[10]["contracts"][0]["implementation"]["metrics"][0]["observations"][0]
    assert {"id": "slightlyBelow", "description": "Approaching target"} == observation[
        "measureClassification"
    ]
    termination = releases[-3]["contracts"][0]
    assert "terminated" == termination["status"]
    assert "reducedAtGate" == termination["terminationRationaleClassifications"][0]["id"]
    assert {"amount": 80000, "currency": "GBP"} == termination["implementation"]["finalValue"]
    amendment = releases[-2]["contracts"][0]
    assert 650000 == amendment["value"]["amount"] == amendment["amendments"][0]["value"]["amount"]
    assert "para-1" == amendment["amendments"][0]["rationaleClassifications"][0]["id"]
    purchase = releases[-1]["contracts"][0]
    assert 650000 == purchase["value"]["amount"]
    assert "met" == purchase["implementation"]["milestones"][0]["status"]


def test_award_carries_bid_statistics_only() -> None:
    award_release = built_all()[4].release
    assert [("bids-all", 5), ("smeFinalStageBids-1", 2)] == [
        (s["id"], s["value"]) for s in award_release["bids"]["statistics"]
    ]
    assert "1" == award_release["bids"]["statistics"][1]["relatedLot"]
    assert ["1"] == award_release["awards"][0]["relatedLots"]
    assert set(award_release["bids"]) == {"statistics"}


def test_optional_parts_are_left_out_when_absent() -> None:
    bare = [
        f.Planning(id="p", date=START, rationale="Need", no_engagement_rationale="Urgent"),
        f.Tender(
            id="t",
            date=START,
            title="T",
            description="D",
            value=gbp(1),
            procedure_details="CFP",
            main_category="goods",
            tender_period=f.Period(start=START),
            lots=(f.Lot(id="1", title="L", description="D", value=gbp(1)),),
            submission_terms=f.SubmissionTerms(electronic_submission="allowed", variants="allowed"),
        ),
        f.TenderAmendment(id="a", date=START, rationale="R", description="D"),
        f.Award(
            id="w",
            date=START,
            award_id="a1",
            partner=PROCUREMENT.buyer,
            title="A",
            value=gbp(1),
            contract_period=f.Period(start=START),
        ),
        f.Contract(
            id="c",
            date=START,
            contract_id="c1",
            award_id="a1",
            partner=PROCUREMENT.buyer,
            title="C",
            value=gbp(1),
            period=f.Period(start=START),
            date_signed=START,
            no_kpis_rationale="Under £5m",
            kpis=(f.Kpi(id="k", title="K", description="D", target="95", unit="per cent"),),
        ),
        f.ContractAmendment(
            id="m",
            date=START,
            contract_id="c1",
            award_id="a1",
            rationale="R",
            description="D",
            classifications=(),
            value_after=gbp(2),
        ),
        f.ContractTermination(
            id="x",
            date=START,
            contract_id="c1",
            award_id="a1",
            end_date=START,
            final_value=gbp(1),
            reasons=(f.Classification(scheme="s", id="i"),),
            details="Done",
        ),
    ]
    bare += [
        dataclasses.replace(bare[1], id="t2", submission_terms=None, main_category=None),
        dataclasses.replace(bare[4], id="c2", kpis=()),
    ]
    releases = [build_release("ocds-s4n3ly", PROCUREMENT, fact) for fact in bare]
    assert "submissionTerms" not in releases[7].release["tender"]
    assert "goods" == releases[1].release["tender"]["mainProcurementCategory"]
    assert "mainProcurementCategory" not in releases[7].release["tender"]
    assert "agreedMetrics" not in releases[8].release["contracts"][0]
    assert "budget" not in releases[0].release["planning"]
    assert "Urgent" == releases[0].release["planning"]["noEngagementNoticeRationale"]
    assert {"lots", "submissionTerms"} == releases[1].extensions
    assert "bidValidityPeriod" not in releases[1].release["tender"]["submissionTerms"]
    assert "documents" not in releases[2].release["tender"]
    assert {"id", "title", "status", "date", "value", "suppliers", "contractPeriod"} == set(
        releases[3].release["awards"][0]
    )
    assert "Under £5m" == releases[4].release["contracts"][0]["noAgreedMetricsRationale"]
    assert {"name": "per cent"} == releases[4].release["contracts"][0]["agreedMetrics"][0][
        "observations"
    ][0]["unit"]
    assert "rationaleClassifications" not in releases[5].release["contracts"][0]["amendments"][0]
    assert {"scheme": "s", "id": "i"} == releases[6].release["contracts"][0][
        "terminationRationaleClassifications"
    ][0]


def test_more_facts_with_documents_and_statuses() -> None:
    schedule = next(fact for fact in lifecycle() if isinstance(fact, f.ImplementationSchedule))
    with_docs = dataclasses.replace(schedule, documents=(doc("plan", "contractSchedule", 90),))
    built = build_release("ocds-s4n3ly", PROCUREMENT, with_docs).release
    assert "plan" == built["contracts"][0]["implementation"]["documents"][0]["id"]
    purchase = next(fact for fact in lifecycle() if isinstance(fact, f.PurchaseStarted))
    with_docs2 = dataclasses.replace(purchase, documents=(doc("buy", "contractSchedule", 410),))
    built = build_release("ocds-s4n3ly", PROCUREMENT, with_docs2).release
    assert "buy" == built["contracts"][0]["implementation"]["documents"][0]["id"]
    assessment = next(fact for fact in lifecycle() if isinstance(fact, f.KpiAssessment))
    plain = dataclasses.replace(assessment, notes="Close to target", documents=())
    implementation = build_release("ocds-s4n3ly", PROCUREMENT, plain).release["contracts"][0][
        "implementation"
    ]
    assert "documents" not in implementation
    assert "Close to target" == implementation["metrics"][0]["observations"][0]["notes"]


def test_package_declares_exactly_the_extensions_used_and_the_audit_head() -> None:
    built = built_all()
    head = AuditHead(sequence=42, hash="a" * 64, recorded_at=at(500))
    package = build_package(
        CONFIG, built, uri="https://council.example/ocds/p1", published=at(500), audit_head=head
    )
    expected = sorted(set().union(*(b.extensions for b in built)))
    assert [EXTENSIONS[name].url for name in expected] == package["extensions"]
    assert {"name": "Example Borough Council", "scheme": "GB-LAC", "uid": "E09000099"} == package[
        "publisher"
    ]
    assert package["license"].startswith("https://www.nationalarchives.gov.uk/")
    assert {
        "sequence": 42,
        "hash": "a" * 64,
        "hashAlgorithm": "sha-256",
        "recordedAt": "2027-05-20T09:00:00+00:00",
    } == package["auditChainHead"]
    only_planning = build_package(CONFIG, built[:1], uri="https://x.example/p", published=at(1))
    assert [
        "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/"
        "92dbc99f44d07a9a5dd30ced8c92b63bc707d0fd/extension.json"
    ] == only_planning["extensions"]
    assert "auditChainHead" not in only_planning
    assert "publicationPolicy" not in only_planning


def test_package_refuses_duplicates_and_emptiness() -> None:
    built = built_all()
    with pytest.raises(PackageRefused, match="repeated: ocds-s4n3ly-ip-2026-001-planning"):
        build_package(CONFIG, [built[0], built[0]], uri="https://x.example/p", published=at(1))
    with pytest.raises(PackageRefused, match="at least one release"):
        build_package(CONFIG, [], uri="https://x.example/p", published=at(1))


def test_publication_policy_is_carried() -> None:
    config = dataclasses.replace(CONFIG, publication_policy="https://council.example/policy")
    package = build_package(config, built_all()[:1], uri="https://x.example/p", published=at(1))
    assert "https://council.example/policy" == package["publicationPolicy"]


def test_decimal_amounts_keep_pennies() -> None:
    money = f.Money(amount=Decimal("1234.50"), currency="GBP")
    planning = f.Planning(
        id="p", date=datetime(2026, 1, 1, tzinfo=UTC), rationale="R", budget=money
    )
    assert (
        1234.5
        == build_release("ocds-s4n3ly", PROCUREMENT, planning).release["planning"]["budget"][
            "amount"
        ]["amount"]
    )
