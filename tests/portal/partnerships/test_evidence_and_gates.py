"""
Evidence against each partner's targets, judged by the analysis plan fixed at conclusion, and
the gates: verdicts recorded at the review, reasons required, the announced options enforced by
the engine, the purchase only on evidence and within the maximum cost.
"""

import pytest
from portal.partnerships.world import outcome_file, partnership_world

from sanely.portal.accounts.models import Role
from sanely.portal.audit.services import audit_verify
from sanely.portal.core.clock import now
from sanely.portal.core.errors import NotFound, PermissionDenied, RuleRefused, ValidationFailed
from sanely.portal.partnerships.models import (
    ContractEnd,
    Evidence,
    GateDecision,
    GateReview,
    Outcome,
)
from sanely.portal.partnerships.progress import plan_progress
from sanely.portal.partnerships.selectors import plan_of
from sanely.portal.partnerships.services import (
    GateChoice,
    acceptance_record,
    evidence_submit,
    gate_decide,
    gate_open,
)
from sanely.portal.pilots.models import OutcomeAssessment
from sanely.portal.procurements.models import Procurement

pytestmark = pytest.mark.django_db


def _verdicts(contract):
    return {
        t.target.key: (t.verdict, t.projection)
        for phase in plan_progress(contract, plan_of(contract).phases)
        for t in phase.targets
    }


def test_data_are_judged_by_the_plan_fixed_at_conclusion(wessex, deliver) -> None:
    w = partnership_world(wessex)
    contract = w.contract(w.record.kestrel)
    deliver(w, w.record.kestrel, "target-answered", 190, 10)
    delivered = Evidence.objects.get()
    assert delivered.assessment.spec == plan_of(contract).phases[0].targets.get().spec
    assert ("met", None) == _verdicts(contract)["target-answered"]
    assert ("awaiting data", None) == _verdicts(contract)["target-on-time"]
    assert audit_verify().intact


def test_a_target_with_parts_is_partly_met_when_only_some_are(wessex, deliver) -> None:
    w = partnership_world(wessex)
    contract = w.contract(w.record.osprey)
    deliver(w, w.record.osprey, "target-answered", 190, 10, part="Upper valley")
    deliver(w, w.record.osprey, "target-answered", 50, 50, part="Coast")
    assert "partly met" == _verdicts(contract)["target-answered"][0]


def test_an_undecided_target_is_projected_from_the_data_so_far(wessex, deliver) -> None:
    w = partnership_world(wessex)
    contract = w.contract(w.record.heron)
    for successes, failures, expected in ((15, 5, "at risk"), (19, 1, "on track")):
        deliver(w, w.record.heron, "target-answered", successes, failures)
        assert ("inconclusive", expected) == _verdicts(contract)["target-answered"]


def test_data_that_cannot_be_assessed_leave_the_earlier_verdict_standing(wessex, deliver) -> None:
    w = partnership_world(wessex)
    contract = w.contract(w.record.kestrel)
    deliver(w, w.record.kestrel, "target-answered", 190, 10)
    deliver(w, w.record.kestrel, "target-answered", 0, 0, name="empty.csv")
    assert "failed" == OutcomeAssessment.objects.get(data_name="empty.csv").status
    assert "met" == _verdicts(contract)["target-answered"][0]


def test_a_target_not_in_the_plan_is_refused_and_nothing_is_stored(wessex) -> None:
    w = partnership_world(wessex)
    kestrel = w.record.kestrel
    with pytest.raises(ValidationFailed) as refused:
        evidence_submit(
            actor=kestrel.actor(Role.SUPPLIER_ADMIN),
            contract_id=w.contract(kestrel).pk,
            target_key="target-nowhere",
            data=outcome_file(1, 1),
            now=now(),
        )
    assert {"target_key"} == set(refused.value.detail)
    assert 0 == Evidence.objects.count() == OutcomeAssessment.objects.count()


def test_a_partner_cannot_deliver_or_read_under_another_partners_contract(wessex) -> None:
    w = partnership_world(wessex)
    with pytest.raises(NotFound):
        evidence_submit(
            actor=w.record.kestrel.actor(Role.SUPPLIER_ADMIN),
            contract_id=w.contract(w.record.osprey).pk,
            target_key="target-answered",
            data=outcome_file(1, 1),
            now=now(),
        )
    with pytest.raises(PermissionDenied):
        evidence_submit(
            actor=wessex.actor(Role.AUDITOR),
            contract_id=w.contract(w.record.osprey).pk,
            target_key="target-answered",
            data=outcome_file(1, 1),
            now=now(),
        )
    assert 0 == Evidence.objects.count()


def test_a_gate_reduces_three_partners_to_two_on_the_recorded_verdicts(wessex, deliver) -> None:
    w = partnership_world(wessex)
    r = w.record
    for partner, successes in ((r.kestrel, 190), (r.osprey, 185), (r.heron, 100)):
        deliver(w, partner, "target-answered", successes, 200 - successes)
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    review = gate_open(
        actor=lead, procurement_id=w.procurement_id, phase_key="phase-design", now=now()
    )
    heron = str(w.contract(r.heron).pk)
    assert "not met" == review.record["partners"][heron]["targets"][0]["verdict"]
    gate_decide(
        actor=lead,
        review_id=review.pk,
        reasons="Heron's booking service answered half the requests in a day.",
        choices=[
            GateChoice(
                w.contract(r.kestrel).pk, Outcome.CONTINUE, "Target met.", ("instalment-effect",)
            ),
            GateChoice(w.contract(r.osprey).pk, Outcome.CONTINUE, "As the panel found."),
            GateChoice(w.contract(r.heron).pk, Outcome.END, "As the panel found."),
        ],
        now=now(),
    )
    assert "partnership" == Procurement.objects.get(pk=w.procurement_id).state
    assert [w.contract(r.heron)] == [e.contract for e in ContractEnd.objects.all()]
    assert 3 == GateDecision.objects.count()
    assert audit_verify().intact


def test_a_gate_decision_without_reasons_changes_nothing(wessex) -> None:
    w = partnership_world(wessex)
    r = w.record
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    review = gate_open(
        actor=lead, procurement_id=w.procurement_id, phase_key="phase-design", now=now()
    )
    with pytest.raises(ValidationFailed) as refused:
        gate_decide(
            actor=lead,
            review_id=review.pk,
            reasons=" ",
            choices=[
                GateChoice(w.contract(p).pk, Outcome.CONTINUE, "As the panel found.")
                for p in (r.kestrel, r.osprey, r.heron)
            ],
            now=now(),
        )
    assert "reasons" in refused.value.detail
    assert "gate_review" == Procurement.objects.get(pk=w.procurement_id).state
    assert 0 == GateDecision.objects.count()
    assert GateReview.objects.get().decided_at is None


def test_a_reduction_the_documents_did_not_announce_is_refused_with_its_rule(wessex) -> None:
    from portal.partnerships.world import PARTNERSHIP_DESIGN

    design = {
        **PARTNERSHIP_DESIGN,
        "gates": {"termination_announced": False, "reduction_announced": False},
    }
    w = partnership_world(wessex, design=design)
    r = w.record
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    review = gate_open(
        actor=lead, procurement_id=w.procurement_id, phase_key="phase-design", now=now()
    )
    with pytest.raises(RuleRefused) as refused:
        gate_decide(
            actor=lead,
            review_id=review.pk,
            reasons="Heron missed its target.",
            choices=[
                GateChoice(w.contract(r.kestrel).pk, Outcome.CONTINUE, "As the panel found."),
                GateChoice(w.contract(r.osprey).pk, Outcome.CONTINUE, "As the panel found."),
                GateChoice(w.contract(r.heron).pk, Outcome.END, "As the panel found."),
            ],
            now=now(),
        )
    assert "PA23-GATE-EXIT" == refused.value.rule
    assert 0 == ContractEnd.objects.count() == GateDecision.objects.count()


def _to_purchase_gate(w, lead):
    r = w.record
    review = gate_open(
        actor=lead, procurement_id=w.procurement_id, phase_key="phase-design", now=now()
    )
    gate_decide(
        actor=lead,
        review_id=review.pk,
        reasons="Kestrel and Osprey met the booking target; Heron did not.",
        choices=[
            GateChoice(w.contract(r.kestrel).pk, Outcome.CONTINUE, "As the panel found."),
            GateChoice(w.contract(r.osprey).pk, Outcome.END, "As the panel found."),
            GateChoice(w.contract(r.heron).pk, Outcome.END, "As the panel found."),
        ],
        now=now(),
    )
    return gate_open(
        actor=lead, procurement_id=w.procurement_id, phase_key="phase-pilot", now=now()
    )


@pytest.mark.parametrize(
    ("on_time", "price", "allowed"),
    [(195, "440000", True), (150, "440000", False), (195, "470000", False)],
)
def test_the_purchase_needs_each_level_met_by_evidence_and_a_price_within_the_maximum(
    wessex, deliver, on_time, price, allowed
) -> None:
    from decimal import Decimal

    w = partnership_world(wessex)
    kestrel = w.record.kestrel
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    review = _to_purchase_gate(w, lead)
    deliver(w, kestrel, "target-on-time", on_time, 200 - on_time)
    choice = GateChoice(
        w.contract(kestrel).pk,
        Outcome.PURCHASE,
        "The pilot met its target.",
        purchase_price=Decimal(price),
        purchase_evidence={"95% of trips on time": "target:target-on-time"},
    )
    decide = {
        "actor": lead,
        "review_id": review.pk,
        "reasons": "The pilot met its target.",
        "choices": [choice],
        "now": now(),
    }
    if allowed:
        gate_decide(**decide)
        assert "purchase" == Procurement.objects.get(pk=w.procurement_id).state
    else:
        with pytest.raises(RuleRefused) as refused:
            gate_decide(**decide)
        assert "PA23-S8-1/purchase" == refused.value.rule
        unmet = "95% of trips on time" in refused.value.message
        gap = "20,000 above the maximum cost of 450,000" in refused.value.message
        assert (unmet, gap) == (on_time < 195, price == "470000")
        assert "gate_review" == Procurement.objects.get(pk=w.procurement_id).state


def test_an_acceptance_names_a_deliverable_instalment_or_an_agreed_level(wessex) -> None:
    w = partnership_world(wessex)
    contract = w.contract(w.record.kestrel)
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    with pytest.raises(ValidationFailed) as refused:
        acceptance_record(
            actor=lead,
            contract_id=contract.pk,
            name="Booking data",
            passed=True,
            instalment_key="instalment-data",
            now=now(),
        )
    assert "instalment_key" in refused.value.detail
    acceptance_record(
        actor=lead,
        contract_id=contract.pk,
        name="Service design document v2",
        passed=True,
        instalment_key="instalment-design",
        now=now(),
    )
    progress = plan_progress(contract, plan_of(contract).phases)[0]
    claimable = {i.instalment.key: i.claimable for i in progress.instalments}
    assert {
        "instalment-design": True,
        "instalment-data": False,
        "instalment-effect": False,
    } == claimable
