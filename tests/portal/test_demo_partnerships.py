"""
The demo's partnerships, played through the partnerships services at past moments: rural buses
at the gate after their pilot, where one partner misses its targets, and household-waste routes
that ran their course to the purchase. Loading twice adds nothing, the audit chain verifies and
each partnership's events are in time order.
"""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest

from sanely.portal.audit.models import AuditEvent
from sanely.portal.audit.services import audit_verify
from sanely.portal.award.models import Contract
from sanely.portal.core.clock import now
from sanely.portal.demo.load import demo_load
from sanely.portal.partnerships.models import (
    Claim,
    ContractChange,
    ContractEnd,
    Evidence,
    GateReview,
    Outcome,
)
from sanely.portal.partnerships.progress import plan_progress
from sanely.portal.partnerships.selectors import plan_of
from sanely.portal.pilots.models import AssessmentStatus, OutcomeAssessment
from sanely.portal.procurements.models import Procurement

pytestmark = pytest.mark.django_db

BUSES, WASTE = "WCC-IP-2025-006", "WCC-IP-2025-007"


def _counts():
    return tuple(
        model.objects.count()
        for model in (Evidence, OutcomeAssessment, Claim, GateReview, ContractChange, AuditEvent)
    )


def _contracts(reference):
    return {
        c.partner.name.split()[0]: c
        for c in Contract.objects.filter(procurement__reference=reference).select_related("partner")
    }


def _standing(contract, phase_key):
    """Each target of a phase: (verdict, projection); each instalment's claims' statuses."""
    phase = next(
        p for p in plan_progress(contract, plan_of(contract).phases) if p.phase.key == phase_key
    )
    targets = {t.target.key: (t.verdict, t.projection) for t in phase.targets}
    claims = {i.instalment.key: [c.status for c in i.claims] for i in phase.instalments}
    return targets, claims


def test_the_demo_partnerships_are_played_once_with_every_state_after_award():
    at = now()
    demo_load(now=at)
    counts = _counts()
    demo_load(now=at)
    assert counts == _counts()
    assert audit_verify().intact
    _buses_at_the_gate_after_the_pilot()
    _waste_routes_in_the_purchase()
    for reference in (BUSES, WASTE):
        _events_in_time_order(reference)


def _buses_at_the_gate_after_the_pilot():
    procurement = Procurement.objects.get(reference=BUSES)
    assert ("pa-2023-cfp-ip", "gate_review") == (procurement.rulebook_id, procurement.state)
    partners = _contracts(BUSES)
    assert {"Blackmoor", "Fenland", "Kestrel"} == set(partners)
    assert not ContractEnd.objects.filter(contract__procurement=procurement).exists()
    kestrel, _ = _standing(partners["Kestrel"], "phase-pilot")
    assert {("met", None)} == set(kestrel.values())
    fenland, _ = _standing(partners["Fenland"], "phase-pilot")
    assert ("inconclusive", "on track") == fenland["target-pilot-wait"]
    blackmoor, claims = _standing(partners["Blackmoor"], "phase-pilot")
    assert {
        "target-pilot-trips": ("not met", None),
        "target-pilot-wait": ("met", None),
        "target-pilot-cost": ("not met", None),
        "target-pilot-satisfaction": ("inconclusive", "at risk"),
    } == blackmoor
    assert {"queried"} == set(claims["instalment-pilot-data"])
    roll_out, _ = _standing(partners["Blackmoor"], "phase-roll-out")
    assert ("awaiting data", "unlikely to be decidable by its due date") == (
        roll_out["target-roll-out-work"]
    )
    first, pilot = GateReview.objects.filter(partnership__procurement=procurement)
    assert {Outcome.CONTINUE} == {d.outcome for d in first.decisions.all()}
    assert pilot.decided_at is None
    recorded = pilot.record["partners"][str(partners["Blackmoor"].pk)]["targets"]
    assert ["not met", "met", "not met", "inconclusive"] == [t["verdict"] for t in recorded]
    assert {str(partners["Kestrel"].pk), str(partners["Blackmoor"].pk)} == set(
        pilot.record["reports"]
    )
    statuses = Counter(
        Claim.objects.filter(contract__procurement=procurement).values_list("status", flat=True)
    )
    assert {"paid": 12, "approved": 1, "submitted": 1, "queried": 1} == statuses
    # The Stour Valley's waits were sent first with a wrong column: not assessed, the column named.
    failed = OutcomeAssessment.objects.get(procurement=procurement, status=AssessmentStatus.FAILED)
    assert "'minutes'" in failed.error_message


def _waste_routes_in_the_purchase():
    procurement = Procurement.objects.get(reference=WASTE)
    assert ("pa-2023-cfp-ip", "purchase") == (procurement.rulebook_id, procurement.state)
    partners = _contracts(WASTE)
    ended = ContractEnd.objects.filter(contract__procurement=procurement)
    assert {partners["Egdon"], partners["Melchester"]} == {e.contract for e in ended}
    for end in ended:
        assert end.how.startswith("At a gate review")
        # The termination notice (UK11) is due within 30 days of the end (PA 2023 s.80).
        assert "UK11" in end.notice_rule
        assert end.ended_on < end.notice_due_on <= end.ended_on + timedelta(days=30)
    reduced, bought = GateReview.objects.filter(partnership__procurement=procurement)
    assert {"continue": 1, "end": 2} == Counter(d.outcome for d in reduced.decisions.all())
    purchase = bought.decisions.get()
    assert (partners["Brightwater"], Outcome.PURCHASE) == (purchase.contract, purchase.outcome)
    assert purchase.purchase_price <= partners["Brightwater"].max_cost
    named = [e["evidence"] for e in purchase.purchase_evidence]
    assert ["target:target-pilot-miles", "target:target-pilot-missed"] == named[:2]
    assert named[2].startswith("acceptance:")
    claims = Claim.objects.filter(contract__procurement=procurement)
    assert {"paid": 10, "rejected": 1} == Counter(claims.values_list("status", flat=True))
    rejected = claims.get(status="rejected")
    assert (partners["Egdon"], Decimal("12000")) == (rejected.contract, rejected.amount)
    assert "£10,000" in rejected.reasons
    change = ContractChange.objects.get(contract__procurement=procurement)
    assert (partners["Brightwater"], "additional", 2) == (
        change.contract,
        change.ground,
        change.version.number,
    )
    assert change.change_notice_published_on < change.made_on
    assert ["Contract change notice (UK10)"] == [n["what"] for n in change.notices]
    plan = plan_of(partners["Brightwater"])
    assert [1, 2] == [v.number for v in plan.versions]
    assert (8, Decimal("190000")) == (plan.phases[1].duration_months, plan.phases[1].max_value)
    targets, _ = _standing(partners["Brightwater"], "phase-live-pilot")
    assert {("met", None)} == set(targets.values())


def _events_in_time_order(reference):
    """The partnership's own events (its gates, and whatever names one of its contracts)."""
    contracts = set(
        Contract.objects.filter(procurement__reference=reference).values_list("pk", flat=True)
    )
    reviews = {
        str(pk)
        for pk in GateReview.objects.filter(
            partnership__procurement__reference=reference
        ).values_list("pk", flat=True)
    }
    events = [
        e
        for e in AuditEvent.objects.filter(action__startswith="partnership.").order_by("sequence")
        if e.payload.get("contract") in contracts
        or (e.subject_type == "partnerships.gatereview" and e.subject_id in reviews)
    ]
    assert len(events) > 50
    moments = [e.at for e in events]
    assert sorted(moments) == moments
