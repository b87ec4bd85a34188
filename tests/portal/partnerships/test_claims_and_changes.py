"""
Claims, payments and lawful changes, judged by the contract engine through the rulebook:
a claim only when its condition is met or a gate approved it, and within its phase's remaining
maximum; the payment dated by PA 2023 s.68; a change on its ground within its limits, making a
new plan version, and a refused change leaving everything as it was.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from portal.partnerships.world import partnership_world

from sanely.portal.accounts.models import Role
from sanely.portal.audit.services import audit_verify
from sanely.portal.core.clock import now
from sanely.portal.core.errors import PermissionDenied, RuleRefused, ValidationFailed
from sanely.portal.partnerships.models import Claim, ClaimStatus, ContractChange, PlanVersion
from sanely.portal.partnerships.selectors import plan_of
from sanely.portal.partnerships.services import (
    PhaseChange,
    acceptance_record,
    claim_answer,
    claim_approve,
    claim_pay,
    claim_query,
    claim_reject,
    claim_submit,
    contract_change,
)
from sanely.portal.procurements.engine import uk_date

pytestmark = pytest.mark.django_db


def _claim(w, partner, instalment_key, amount):
    return claim_submit(
        actor=partner.actor(Role.SUPPLIER_ADMIN),
        contract_id=w.contract(partner).pk,
        instalment_key=instalment_key,
        amount=Decimal(amount),
        invoice_reference="INV-0042",
        now=now(),
    )


def test_a_claim_before_its_condition_is_met_is_refused_and_nothing_is_stored(wessex) -> None:
    w = partnership_world(wessex)
    with pytest.raises(RuleRefused) as refused:
        _claim(w, w.record.kestrel, "instalment-effect", "20000")
    assert "PA23-S8-1/claim" == refused.value.rule
    assert "Sch 8" in refused.value.citation
    assert 0 == Claim.objects.count()


def test_a_claim_runs_from_submission_to_payment_dated_by_the_act(wessex, deliver) -> None:
    w = partnership_world(wessex)
    kestrel = w.record.kestrel
    deliver(w, kestrel, "target-answered", 190, 10)
    claim = _claim(w, kestrel, "instalment-data", "10000")
    received = uk_date(now())
    # s.68(2): 30 days beginning with the day the invoice is received.
    assert received + timedelta(days=29) == claim.payment_due_on
    finance = wessex.actor(Role.FINANCE_OFFICER)
    claim_query(actor=finance, claim_id=claim.pk, query="Send the booking log too.", now=now())
    claim_answer(
        actor=kestrel.actor(Role.SUPPLIER_ADMIN),
        claim_id=claim.pk,
        answer="Attached to the data delivery.",
        now=now(),
    )
    claim_approve(actor=finance, claim_id=claim.pk, now=now())
    paid = claim_pay(
        actor=finance, claim_id=claim.pk, paid_on=received, payment_reference="BACS-9", now=now()
    )
    assert ClaimStatus.PAID == paid.status
    assert audit_verify().intact


def test_a_claim_above_what_remains_of_the_phase_is_refused(wessex, deliver) -> None:
    w = partnership_world(wessex)
    kestrel = w.record.kestrel
    deliver(w, kestrel, "target-answered", 190, 10)
    acceptance_record(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        contract_id=w.contract(kestrel).pk,
        name="Service design v2",
        passed=True,
        instalment_key="instalment-design",
        now=now(),
    )
    _claim(w, kestrel, "instalment-design", "30000")
    _claim(w, kestrel, "instalment-data", "10000")
    with pytest.raises(RuleRefused) as refused:
        _claim(w, kestrel, "instalment-effect", "20000.01")
    assert "only 20,000 remains" in refused.value.message
    assert 2 == Claim.objects.count()


def test_a_gate_approval_makes_an_unmet_instalment_claimable(wessex) -> None:
    from sanely.portal.partnerships.services import GateChoice, gate_decide, gate_open

    w = partnership_world(wessex)
    r = w.record
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    review = gate_open(
        actor=lead, procurement_id=w.procurement_id, phase_key="phase-design", now=now()
    )
    gate_decide(
        actor=lead,
        review_id=review.pk,
        reasons="The booking data arrived late through no fault of the partners.",
        choices=[
            GateChoice(
                w.contract(r.kestrel).pk, "continue", "Paid for the data.", ("instalment-data",)
            ),
            GateChoice(w.contract(r.osprey).pk, "continue", "Continue."),
            GateChoice(w.contract(r.heron).pk, "continue", "Continue."),
        ],
        now=now(),
    )
    assert ClaimStatus.SUBMITTED == _claim(w, r.kestrel, "instalment-data", "10000").status
    with pytest.raises(RuleRefused):
        _claim(w, r.osprey, "instalment-data", "10000")


def test_a_refused_claim_no_longer_counts_and_only_finance_decides(wessex, deliver) -> None:
    w = partnership_world(wessex)
    kestrel = w.record.kestrel
    deliver(w, kestrel, "target-answered", 190, 10)
    claim = _claim(w, kestrel, "instalment-data", "10000")
    with pytest.raises(PermissionDenied):
        claim_approve(actor=wessex.actor(Role.AUDITOR), claim_id=claim.pk, now=now())
    with pytest.raises(ValidationFailed):
        claim_reject(
            actor=wessex.actor(Role.FINANCE_OFFICER), claim_id=claim.pk, reasons="", now=now()
        )
    claim_reject(
        actor=wessex.actor(Role.FINANCE_OFFICER),
        claim_id=claim.pk,
        reasons="The invoice names another contract.",
        now=now(),
    )
    assert ClaimStatus.SUBMITTED == _claim(w, kestrel, "instalment-data", "10000").status


def _change(w, partner, ground, pilot_max, **options):
    return contract_change(
        actor=w.record.procurement.organisation and options.pop("actor"),
        contract_id=w.contract(partner).pk,
        ground=ground,
        reason=options.pop("reason", "More villages join the pilot."),
        changes=[PhaseChange("phase-pilot", max_value=Decimal(pilot_max))],
        now=now(),
        **options,
    )


def test_a_lawful_change_makes_a_new_version_and_keeps_the_old(wessex) -> None:
    w = partnership_world(wessex)
    kestrel = w.record.kestrel
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    # Contract value as awarded: 60,000 + 200,000; 10% of it is 26,000 (s.74(4)(a)).
    changed = _change(w, kestrel, "below_threshold", "226000", actor=lead)
    assert Decimal("26000") == changed.value_change
    assert Decimal("286000") == changed.value_after
    plan = plan_of(w.contract(kestrel))
    assert [1, 2] == [v.number for v in plan.versions]
    assert Decimal("226000") == plan.phases[1].max_value
    # Within 10% of the value and the term unchanged: no change notice is needed (s.75(2)).
    assert not any("change notice" in n["what"].lower() for n in changed.notices)
    assert audit_verify().intact


def test_a_change_over_its_per_change_cap_is_refused_and_changes_nothing(wessex) -> None:
    w = partnership_world(wessex)
    kestrel = w.record.kestrel
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    with pytest.raises(RuleRefused) as refused:
        _change(w, kestrel, "below_threshold", "226001", actor=lead)
    assert "PA23-74-4" == refused.value.rule
    assert "more than 10%" in refused.value.message
    assert 1 == PlanVersion.objects.filter(contract=w.contract(kestrel)).count()
    assert 0 == ContractChange.objects.count()


def test_below_threshold_changes_stop_when_their_total_reaches_the_threshold(wessex) -> None:
    w = partnership_world(wessex)
    kestrel = w.record.kestrel
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    pilot, value = Decimal(200000), Decimal(260000)
    separately = "Each change follows a separate council decision to add villages."

    def raise_by_a_tenth() -> Decimal:
        step = (value / 10).quantize(Decimal("1"), rounding="ROUND_DOWN")
        _change(
            w, kestrel, "below_threshold", str(pilot + step), actor=lead, justification=separately
        )
        return step

    # Each change is 10% of the value before it: six of them add up to less than 207,720.
    for _ in range(6):
        step = raise_by_a_tenth()
        pilot, value = pilot + step, value + step
    with pytest.raises(RuleRefused) as refused:
        step = raise_by_a_tenth()
    assert "PA23-74-4" == refused.value.rule
    assert "threshold amount of 207,720" in refused.value.message
    step = (value / 10).quantize(Decimal("1"), rounding="ROUND_DOWN")
    added = sum(c.value_change for c in ContractChange.objects.all())
    assert added < Decimal(207720) <= added + step


def test_an_additional_change_above_half_the_value_is_refused(wessex) -> None:
    w = partnership_world(wessex)
    kestrel = w.record.kestrel
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    # Sch 8 para 8: no more than 50% of the value before the change, 130,000 of 260,000.
    with pytest.raises(RuleRefused) as refused:
        _change(w, kestrel, "additional", "330001", actor=lead, justification="Why not.")
    assert refused.value.rule.startswith("PA23-S8-8")
    extend = {
        "actor": lead,
        "justification": "Only the pilot partner can extend the service it built to more villages.",
    }
    with pytest.raises(RuleRefused) as refused:
        _change(w, kestrel, "additional", "330000", **extend)
    assert "PA23-75" == refused.value.rule
    allowed = _change(
        w, kestrel, "additional", "330000", change_notice_published_on=uk_date(now()), **extend
    )
    assert Decimal("390000") == allowed.value_after


def test_each_decision_is_written_to_the_partner(wessex, deliver) -> None:
    from sanely.portal.competition.models import Letter
    from sanely.portal.partnerships.services import GateChoice, gate_decide, gate_open

    w = partnership_world(wessex)
    r = w.record
    deliver(w, r.kestrel, "target-answered", 190, 10)
    claim = _claim(w, r.kestrel, "instalment-data", "10000")
    finance = wessex.actor(Role.FINANCE_OFFICER)
    claim_approve(actor=finance, claim_id=claim.pk, now=now())
    approved = Letter.objects.get(kind="claim_approved")
    assert r.kestrel.organisation == approved.recipient
    assert "Booking data delivered" in approved.body
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    review = gate_open(
        actor=lead, procurement_id=w.procurement_id, phase_key="phase-design", now=now()
    )
    gate_decide(
        actor=lead,
        review_id=review.pk,
        reasons="Heron's bookings were answered too slowly.",
        choices=[
            GateChoice(w.contract(r.kestrel).pk, "continue", "Your target was met."),
            GateChoice(w.contract(r.osprey).pk, "continue", "Continue."),
            GateChoice(w.contract(r.heron).pk, "end", "No booking data were delivered."),
        ],
        now=now(),
    )
    letters = {x.recipient: x for x in Letter.objects.filter(kind="gate_decision")}
    assert {r.kestrel.organisation, r.osprey.organisation, r.heron.organisation} == set(letters)
    heron = letters[r.heron.organisation].body
    assert "No booking data were delivered." in heron
    assert "Your target was met." not in heron
    assert "Kestrel" not in heron


def test_ending_a_contract_on_an_implied_ground_waits_for_representations(wessex) -> None:
    from sanely.portal.competition.models import Letter
    from sanely.portal.partnerships.models import ContractEnd
    from sanely.portal.partnerships.services import contract_terminate, termination_notify

    w = partnership_world(wessex)
    heron = w.contract(w.record.heron)
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    with pytest.raises(ValidationFailed):
        contract_terminate(actor=lead, contract_id=heron.pk, now=now())
    termination_notify(
        actor=lead,
        contract_id=heron.pk,
        route="implied_term",
        ground="supplier_excluded",
        reasons="Heron was added to the debarment list on 1 December 2026.",
        representations_by=uk_date(now()) + timedelta(days=14),
        now=now(),
    )
    assert (
        "Heron was added to the debarment list"
        in Letter.objects.get(kind="intention_to_terminate").body
    )
    # s.78(7): the time given for representations must run out before the contract ends.
    with pytest.raises(RuleRefused) as refused:
        contract_terminate(actor=lead, contract_id=heron.pk, now=now())
    assert "PA23-78" == refused.value.rule
    ended = contract_terminate(actor=lead, contract_id=heron.pk, now=now() + timedelta(days=15))
    # s.80: the contract termination notice within 30 days of the end.
    assert (
        ended.ended_on + timedelta(days=29)
        <= ended.notice_due_on
        <= ended.ended_on + timedelta(days=30)
    )
    assert 1 == ContractEnd.objects.count()
