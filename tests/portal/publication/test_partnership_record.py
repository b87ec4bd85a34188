"""
The whole partnership read back from its open data. The demo's partnerships are published through
the review (rural buses at the gate after their pilot; household-waste routes through a change,
two partners ended at a gate and the purchase): every package and record validates against the
official schema with exactly its declared extensions (shared/ocds), and the phases, targets with
their verdicts, gate decisions, instalments paid, changes and terminations are read back from the
compiled records and the public pages. A KPI assessment becomes a UK9 notice.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from ocds.partnership import SCHEMA_DIR
from portal.publication.world import published, review_all, run

from sanely import ocds
from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.award.models import Contract
from sanely.portal.core.clock import now
from sanely.portal.demo.load import demo_load
from sanely.portal.partnerships.models import ContractChange, ContractEnd, PerformanceAssessment
from sanely.portal.procurements.models import Procurement
from sanely.portal.publication import events
from sanely.portal.publication.catalogue import SOURCE_OF
from sanely.portal.publication.models import Fact, FactStatus, Record
from sanely.portal.publication.selectors import bulk_packages, record_packages
from sanely.portal.publication.services import context_of, fact_review

pytestmark = pytest.mark.django_db

BUSES, WASTE = "WCC-IP-2025-006", "WCC-IP-2025-007"
AFTER_AWARD = {"verdict", "gate", "payment", "change", "termination", "purchase"}


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _contracts(reference):
    """Each partner's contract in the compiled record, by the partner's first word."""
    compiled = Record.objects.get(procurement__reference=reference).compiled
    names = {a["id"]: a["suppliers"][0]["name"].split()[0] for a in compiled["awards"]}
    return {names[c["awardID"]]: c for c in compiled["contracts"]}


def _milestones(contract, code):
    return {m["id"]: m for m in contract["implementation"]["milestones"] if m.get("code") == code}


def test_the_demo_partnerships_are_readable_whole_from_their_records():
    demo_load(now=now())
    facts = Fact.objects.filter(procurement__reference__in=(BUSES, WASTE))
    assert AFTER_AWARD <= set(facts.values_list("kind", flat=True))
    assert {FactStatus.PUBLISHED} == set(facts.values_list("status", flat=True))
    _every_package_validates()
    _the_buses_record()
    _the_waste_routes_record()
    _the_public_pages()


def _every_package_validates():
    packages = list(bulk_packages())
    assert len(packages) >= 2
    for package in packages:
        ocds.validate_package(package, SCHEMA_DIR)
    for package in record_packages():
        ocds.validate_record_package(package, SCHEMA_DIR)


def _the_buses_record():
    contracts = _contracts(BUSES)
    assert {"Kestrel", "Fenland", "Blackmoor"} == set(contracts)
    for contract in contracts.values():
        assert {"phase-service-design", "phase-pilot"} <= set(_milestones(contract, "phase"))
        assert _milestones(contract, "purchase")
    blackmoor = _milestones(contracts["Blackmoor"], "target")
    assert "notMet" == blackmoor["target-pilot-trips"]["status"]
    assert "met" == blackmoor["target-pilot-wait"]["status"]
    assert "notMet" == blackmoor["target-pilot-cost"]["status"]
    # Inconclusive is no verdict: the target stays as scheduled.
    assert "scheduled" == blackmoor["target-pilot-satisfaction"]["status"]
    assert "records of pilot data" in blackmoor["target-pilot-trips"]["description"]
    assert blackmoor["target-pilot-trips"]["documents"][0]["documentType"] == (
        "physicalProgressReport"
    )
    for contract in contracts.values():
        gate = _milestones(contract, "gate")["gate-phase-service-design"]
        assert ("met", "approval") == (gate["status"], gate["type"])
        assert gate["description"].startswith("Decision: continue.")
        # The gate after the pilot is open, not decided.
        assert "scheduled" == _milestones(contract, "gate")["gate-phase-pilot"]["status"]
        paid = contract["implementation"]["transactions"]
        instalments = _milestones(contract, "instalment")
        assert paid
        for transaction in paid:
            assert transaction["value"]["currency"] == "GBP"
            instalment = instalments[transaction["id"].split("-", 2)[2]]
            assert "met" == instalment["status"]
            # The shared schemas have no transaction_milestones extension: the link is left out.
            assert "relatedImplementationMilestone" not in transaction


def _the_waste_routes_record():
    contracts = _contracts(WASTE)
    kept = next(c for c in contracts.values() if c["status"] == "active")
    ended = [c for c in contracts.values() if c["status"] == "terminated"]
    assert 2 == len(ended)
    for contract in ended:
        (reason,) = contract["terminationRationaleClassifications"]
        assert ("sanely-contract-end", "reducedAtGate") == (reason["scheme"], reason["id"])
        assert "UK11" == contract["documents"][-1]["noticeType"]
    (change,) = kept["amendments"]
    assert change["rationaleClassifications"][0]["description"].startswith("Procurement Act 2023")
    # The value after the change counts as the contract does: every phase and the purchase.
    before = Fact.objects.get(procurement__reference=WASTE, key="contract-1").release
    moved = ContractChange.objects.get(contract__procurement__reference=WASTE).value_change
    assert Decimal(str(change["value"]["amount"])) == (
        Decimal(str(before["contracts"][0]["value"]["amount"])) + moved
    )
    assert "met" == _milestones(kept, "purchase")["purchase"]["status"]
    contract = Contract.objects.get(procurement__reference=WASTE, rank=1)
    assert Decimal(str(kept["value"]["amount"])) > contract.max_cost
    # The notices' typed content is recorded with their facts, as sanely.documents builds it.
    uk11 = Fact.objects.get(procurement__reference=WASTE, key="termination-2").notice
    assert ("contract_termination_notice", "gate") == (uk11["kind"], uk11["facts"]["ending"])
    assert uk11["facts"]["citation"].startswith("Procurement Act 2023 s.80(1)")
    uk10 = Fact.objects.get(procurement__reference=WASTE, key="change-1-1").notice
    assert "contract_change_notice" == uk10["kind"]
    assert Decimal(uk10["facts"]["value"]["after"]) == Decimal(str(change["value"]["amount"]))


def _the_public_pages():
    browser = Client()
    buses = text(browser.get(f"/open/ocds-s4n3ly-{BUSES}/"))
    for words in (
        "Phases",
        "Intermediate targets and their verdicts",
        "Not met",
        "Gate decisions",
        "Decision: continue to the next phase.",
        "Spend against the instalments:",
        "paid so far of a contract value of",
        "Value: £",
        "the estimate with its 95% confidence interval; the target is at most 12 pounds",
    ):
        assert words in buses, words
    waste = text(browser.get(f"/open/ocds-s4n3ly-{WASTE}/"))
    assert "has ended: At a gate review: reduce the number of partners" in waste
    assert "Decision: end this partner’s contract." in waste
    assert "Decision: proceed to the purchase." in waste
    assert "proceedToPurchase" not in waste
    assert "Changes to the contract with Brightwater Analytics" in waste
    assert "Contract termination notice (UK11)" in waste
    # The notice shows what the release cannot carry without the contract_completion schema.
    notice = text(browser.get(f"/open/ocds-s4n3ly-{WASTE}/notices/termination-2"))
    for words in ("Contract termination notice (UK11)", "Date ended", "Paid under the contract"):
        assert words in notice, words
    report = text(browser.get(f"/open/ocds-s4n3ly-{BUSES}/notices/verdict-1-target-pilot-trips"))
    assert "Verdict on" in report
    assert "Not met" in report


def test_a_verdicts_figures_come_from_reviewed_facts_and_small_counts_are_suppressed(settings):
    demo_load(now=now())
    found = AuditEvent.objects.filter(action=events.FACT_FOUND, payload__kind="verdict")
    assert found
    assert {"awaiting_review"} == {e.payload["status"] for e in found}
    buses = Procurement.objects.get(reference=BUSES)
    exact = SOURCE_OF["verdict"].find(context_of(buses))
    assert exact
    assert all(re.search(r"Based on \d[\d,]* records", v.fact.milestone.description) for v in exact)
    assert all(v.figures for v in exact)
    settings.PUBLIC_COUNT_THRESHOLD = 10**9
    small = SOURCE_OF["verdict"].find(context_of(buses))
    assert len(small) == len(exact)
    assert all(
        "Based on fewer than 1000000000 records" in v.fact.milestone.description for v in small
    )
    # Nor are the figures kept for the chart.
    assert [] == [v.figures for v in small if v.figures]


def _assess(wessex, contract):
    """A year's assessment of every KPI of the contract, approaching target."""
    return PerformanceAssessment.objects.create(
        contract=contract,
        period_start=(now() - timedelta(days=365)).date(),
        period_end=now().date(),
        ratings=dict.fromkeys(contract.kpis, "approaching_target"),
        rating="approaching_target",
        assessed_on=now().date(),
        assessed_by=wessex.actor(Role.PROCUREMENT_LEAD).user,
        assessed_at=now(),
    )


def test_a_partnership_row_saved_outside_a_lifecycle_action_queues_the_worker_after_commit(
    wessex, django_capture_on_commit_callbacks
):
    p = published(wessex)
    contract = Contract.objects.get(procurement_id=p.procurement_id, rank=1)
    with django_capture_on_commit_callbacks(execute=True):
        _assess(wessex, contract)
    found = Fact.objects.filter(procurement_id=p.procurement_id, kind="assessment")
    assert len(contract.kpis) == found.count()
    assert {FactStatus.AWAITING_REVIEW} == set(found.values_list("status", flat=True))


def test_a_kpi_assessment_is_a_uk9_notice_with_its_ratings_on_the_page(wessex):
    p = published(wessex)
    contract = Contract.objects.get(procurement_id=p.procurement_id, rank=1)
    assert contract.kpis
    _assess(wessex, contract)
    run(p.procurement_id)
    review_all(wessex, p.procurement_id)
    fact = Fact.objects.get(
        procurement_id=p.procurement_id, kind="assessment", key__endswith="kpi-1"
    )
    implementation = fact.published.body["contracts"][0]["implementation"]
    assert "UK9" == implementation["documents"][0]["noticeType"]
    # No metrics schema at hand: the rating is left out of the release, kept for the notice.
    assert "metrics" not in implementation
    recorded = fact.notice
    assert "contract_performance_notice" == recorded["kind"]
    assert {"approaching target"} == {kpi["rating"] for kpi in recorded["facts"]["kpis"]}
    notice = text(Client().get(f"/open/{p.ocid}/notices/{fact.key}"))
    assert "Contract performance notice (UK9)" in notice
    assert "Rating Approaching target" in notice
    assert f"Key performance indicator {contract.kpis[0]}" in notice


def test_what_is_withheld_is_not_put_back_on_the_notice_page(wessex):
    """A UK11's final value withheld stays withheld, though the release could not carry it."""
    p = published(wessex)
    contract = Contract.objects.get(procurement_id=p.procurement_id, rank=2)
    ContractEnd.objects.create(
        contract=contract,
        how="At a gate review: reduce the number of partners",
        reasons="The pilot targets were not met.",
        ended_on=now().date(),
        recorded_at=now(),
    )
    run(p.procurement_id)
    ended = Fact.objects.get(procurement_id=p.procurement_id, key="termination-2")
    assert FactStatus.AWAITING_REVIEW == ended.status
    assert "contract_termination_notice" == ended.notice["kind"]
    fact_review(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        fact_id=ended.pk,
        publish=True,
        withhold=["contracts.implementation.finalValue"],
        ground="pa-sensitive-commercial",
        explanation="The amount settles a dispute still open.",
        now=now(),
    )
    run(p.procurement_id)
    release = Fact.objects.get(pk=ended.pk).published
    assert "contracts.implementation.finalValue" not in release.omitted
    assert "contracts.implementation.endDate" in release.omitted
    notice = text(Client().get(f"/open/{p.ocid}/notices/termination-2"))
    assert "Date ended" in notice
    assert "The pilot targets were not met." in notice
    assert "Paid under the contract" not in notice
    assert "What was paid under the contract: withheld" in notice


def test_two_assessments_recorded_on_one_day_are_two_facts(wessex):
    p = published(wessex)
    contract = Contract.objects.get(procurement_id=p.procurement_id, rank=1)
    _assess(wessex, contract)
    _assess(wessex, contract)
    run(p.procurement_id)
    keys = set(
        Fact.objects.filter(procurement_id=p.procurement_id, kind="assessment").values_list(
            "key", flat=True
        )
    )
    assert {f"assessment-1-{n}-kpi-1" for n in (1, 2)} <= keys
    assert 2 * len(contract.kpis) == len(keys)
