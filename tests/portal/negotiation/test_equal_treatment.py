"""The equal-treatment check: information given to some remaining tenderers and not others."""

from datetime import timedelta

import pytest

from sanely.portal.competition.models import Standing
from sanely.portal.competition.services import participant_set
from sanely.portal.core.clock import now
from sanely.portal.negotiation.selectors import equal_treatment_check
from sanely.portal.negotiation.services import (
    clarification_answer,
    document_revision_record,
    meeting_record,
    question_ask,
)

pytestmark = pytest.mark.django_db

DEPOT = "The depot at Dorchester is available from June."


def meet(lead, n, org, info):
    return meeting_record(
        actor=lead,
        procurement_id=n.procurement.pk,
        round_id=n.round.pk,
        organisation_id=org.organisation.pk,
        held_at=now() - timedelta(hours=1),
        attendees=["A. Lead, Wessex, lead"],
        minutes=f"Confidential to {org.organisation.name}.",
        information_given=info,
        proposed_changes=["other"],
        now=now(),
    )


def test_information_given_to_one_tenderer_is_flagged_with_who_lacks_it(neg, lead):
    meet(lead, neg, neg.kestrel, [DEPOT])
    check = equal_treatment_check(procurement=neg.procurement)
    assert not check.clean
    [flagged] = check.flagged
    assert (DEPOT, ["Kestrel Mobility Ltd"]) == (flagged.text, flagged.recipient_names)
    assert ["Heron Transit CIC", "Osprey Robotics Ltd"] == flagged.missing_names


def test_the_same_information_given_to_everyone_is_clean(neg, lead):
    for tenderer, spelling in zip(
        neg.tenderers, [DEPOT, DEPOT.upper(), f"  {DEPOT} "], strict=True
    ):
        meet(lead, neg, tenderer, [spelling])
    check = equal_treatment_check(procurement=neg.procurement)
    assert check.clean
    assert [["Heron Transit CIC", "Kestrel Mobility Ltd", "Osprey Robotics Ltd"]] == [
        i.recipient_names for i in check.items
    ]
    assert 3 == len(check.items[0].sources)


def test_minutes_are_never_listed_and_answers_and_revisions_to_all_are_clean(neg, lead):
    meet(lead, neg, neg.kestrel, [])
    asked = question_ask(
        actor=neg.kestrel.actor("supplier_admin"),
        procurement_id=neg.procurement.pk,
        organisation_id=neg.kestrel.organisation.pk,
        question="Heated depot?",
        now=now(),
    )
    clarification_answer(
        actor=lead, clarification_id=asked.pk, audience="all", answer="Yes.", now=now()
    )
    document_revision_record(
        actor=lead,
        procurement_id=neg.procurement.pk,
        title="Spec v2",
        summary="New map.",
        justification="Enough time.",
        now=now(),
    )
    check = equal_treatment_check(procurement=neg.procurement)
    assert (True, ["Clarification answer", "Document revision"]) == (
        check.clean,
        [i.sources[0] for i in check.items],
    )
    assert all("Confidential" not in i.text for i in check.items)


def test_a_tenderer_specific_answer_is_listed_as_justified_for_review(neg, lead):
    asked = question_ask(
        actor=neg.kestrel.actor("supplier_admin"),
        procurement_id=neg.procurement.pk,
        organisation_id=neg.kestrel.organisation.pk,
        question="Is our fleet compliant?",
        now=now(),
    )
    clarification_answer(
        actor=lead,
        clarification_id=asked.pk,
        audience="tenderer",
        answer="Yes.",
        justification="About Kestrel's own tendered fleet.",
        now=now(),
    )
    check = equal_treatment_check(procurement=neg.procurement)
    [item] = check.items
    assert (True, "justified", "About Kestrel's own tendered fleet.") == (
        check.clean,
        item.status,
        item.justification,
    )


def test_information_only_tenderers_who_left_received_is_not_flagged(wessex, neg, lead):
    meet(lead, neg, neg.osprey, [DEPOT])
    participant_set(
        actor=lead,
        procurement=neg.procurement,
        organisation=neg.osprey.organisation,
        standing=Standing.REDUCED,
        reason="Ranked last.",
        now=now(),
    )
    check = equal_treatment_check(procurement=neg.procurement)
    assert check.clean
    assert ["Heron Transit CIC", "Kestrel Mobility Ltd"] == [o.name for o in check.remaining]


def test_answering_a_clarification_to_all_with_the_same_fact_clears_the_flag(neg, lead):
    meet(lead, neg, neg.kestrel, [DEPOT])
    asked = question_ask(
        actor=neg.osprey.actor("supplier_admin"),
        procurement_id=neg.procurement.pk,
        organisation_id=neg.osprey.organisation.pk,
        question="When is the depot free?",
        now=now(),
    )
    clarification_answer(
        actor=lead, clarification_id=asked.pk, audience="all", answer=DEPOT, now=now()
    )
    check = equal_treatment_check(procurement=neg.procurement)
    assert check.clean
    [item] = check.items
    assert ["Meeting with Kestrel Mobility Ltd", "Clarification answer"] == [
        source.split(",")[0] for source in item.sources
    ]
