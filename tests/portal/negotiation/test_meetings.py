"""Negotiation meetings: recorded through the engine, readable by the authority and the tenderer."""

from datetime import timedelta

import pytest
from portal.negotiation.world import opened_round

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.core.clock import now
from sanely.portal.core.errors import NotFound, PermissionDenied, RuleRefused, ValidationFailed
from sanely.portal.negotiation import events as negotiation_events
from sanely.portal.negotiation.models import Meeting
from sanely.portal.negotiation.selectors import access_meeting
from sanely.portal.negotiation.services import meeting_record
from sanely.portal.tenders.services import submission_round_open

pytestmark = pytest.mark.django_db

ATTENDEES = ["A. Lead, Wessex County Council, procurement lead", "K. Ward, Kestrel, director"]


def record(actor, n, **overrides):
    fields = {
        "procurement_id": n.procurement.pk,
        "round_id": n.round.pk,
        "organisation_id": n.kestrel.organisation.pk,
        "held_at": now() - timedelta(hours=2),
        "attendees": ATTENDEES,
        "minutes": "Discussed the booking app's offline mode.",
        "information_given": ["The depot at Dorchester is available from June."],
        "proposed_changes": ["other"],
        "now": now(),
    }
    return meeting_record(actor=actor, **{**fields, **overrides})


def test_a_lead_records_a_meeting_with_a_tenderer(neg, lead):
    meeting = record(lead, neg)
    assert (neg.kestrel.organisation, neg.round, ATTENDEES) == (
        meeting.organisation,
        meeting.round,
        meeting.attendees,
    )
    assert ["The depot at Dorchester is available from June."] == meeting.information_given
    actions = list(AuditEvent.objects.values_list("action", flat=True).order_by("-pk")[:2])
    assert [negotiation_events.MEETING_RECORDED, "procurement.negotiate"] == actions


def test_every_problem_is_named_at_once(neg, lead):
    with pytest.raises(ValidationFailed) as refused:
        record(
            lead,
            neg,
            round_id=0,
            organisation_id=neg.outsiders[0].organisation.pk,
            held_at=now() + timedelta(hours=1),
            attendees=["Just a name"],
            minutes=" ",
            proposed_changes=["price"],
        )
    assert {
        "round_id",
        "organisation_id",
        "held_at",
        "attendees",
        "minutes",
        "proposed_changes",
    } == set(refused.value.detail)
    assert ["Write 'Just a name' as 'name, organisation, role'."] == refused.value.detail[
        "attendees"
    ]
    assert 0 == Meeting.objects.count()


def test_a_round_not_yet_opened_cannot_be_negotiated(wessex, neg, lead):
    closed_later = submission_round_open(
        actor=lead,
        procurement_id=neg.procurement.pk,
        kind="tender",
        number=2,
        deadline=now() + timedelta(days=12),
        justification="Revised tenders",
        now=now(),
    )
    with pytest.raises(ValidationFailed) as refused:
        record(lead, neg, round_id=closed_later.pk)
    assert ["round_id"] == list(refused.value.detail)


@pytest.mark.parametrize("locked", ["minimum_requirements", "award_criteria"])
def test_under_the_regulations_the_locked_items_are_not_negotiated(pcr, lead, locked):
    with pytest.raises(RuleRefused) as refused:
        record(lead, pcr, proposed_changes=["other", locked])
    assert ("PCR15-31-14", "PCR 2015 reg. 31(14)") == (
        refused.value.rule,
        refused.value.citation,
    )
    assert locked.replace("_", " ") in refused.value.message.lower()
    assert 0 == Meeting.objects.count()


def test_under_the_regulations_the_final_tender_round_is_not_negotiated(wessex, pcr, lead):
    final = opened_round(wessex, pcr.procurement, number=2, final=True)
    with pytest.raises(RuleRefused) as refused:
        record(lead, pcr, round_id=final.pk, justification="We want to.")
    assert "PCR15-31-13" == refused.value.rule
    assert "final tenders are not negotiated" in refused.value.message


def test_under_the_act_negotiating_final_tenders_needs_a_justification_each_time(wessex, neg, lead):
    final = opened_round(
        wessex, neg.procurement, number=2, final=True, justification="Final tenders now."
    )
    with pytest.raises(RuleRefused) as refused:
        record(lead, neg, round_id=final.pk)
    assert ("PA23-20-4", "Procurement Act 2023 s.20(1)") == (
        refused.value.rule,
        refused.value.citation,
    )
    record(lead, neg, round_id=final.pk, justification="The notice reserved a clarification.")
    with pytest.raises(RuleRefused):  # the first justification does not answer the second
        record(lead, neg, round_id=final.pk)
    assert 1 == Meeting.objects.count()


def test_under_the_act_the_engine_has_no_lock_on_negotiating_award_criteria(neg, lead):
    """PA 2023 refines award criteria under s.24 and limits changes under s.31 instead."""
    meeting = record(lead, neg, proposed_changes=["award_criteria"])
    assert ["award_criteria"] == meeting.proposed_changes


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.AUDITOR, Role.FINANCE_OFFICER])
def test_only_commissioners_and_leads_record(wessex, neg, role):
    with pytest.raises(PermissionDenied):
        record(wessex.actor(role), neg)


def test_minutes_are_read_by_the_authority_and_their_tenderer_only(wessex, mercia, neg, lead):
    meeting = record(lead, neg)
    assert meeting == access_meeting(actor=wessex.actor(Role.AUDITOR), meeting_id=meeting.pk)
    own = neg.kestrel.actor(Role.SUPPLIER_MEMBER)
    assert meeting == access_meeting(actor=own, meeting_id=meeting.pk)
    for other in (neg.osprey.actor(Role.SUPPLIER_ADMIN), mercia.actor(Role.PROCUREMENT_LEAD)):
        with pytest.raises(NotFound):
            access_meeting(actor=other, meeting_id=meeting.pk)
