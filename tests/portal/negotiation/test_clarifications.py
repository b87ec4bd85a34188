"""Clarifications: the question stays with its asker; the answer goes to all, or justified to one."""

import hashlib

import pytest

from sanely.documents.letters.clarification import KIND as CLARIFICATION
from sanely.portal.accounts.models import Role
from sanely.portal.competition.models import Letter, Standing
from sanely.portal.competition.services import participant_set
from sanely.portal.core.clock import now
from sanely.portal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from sanely.portal.negotiation.models import Clarification
from sanely.portal.negotiation.selectors import access_clarification, supplier_clarifications
from sanely.portal.negotiation.services import clarification_answer, question_ask

pytestmark = pytest.mark.django_db

QUESTION = "Kestrel's minibuses are Euro 6: may we use them in the Purbeck area?"


def ask(n, question=QUESTION, who=None):
    who = who or n.kestrel
    return question_ask(
        actor=who.actor(Role.SUPPLIER_MEMBER),
        procurement_id=n.procurement.pk,
        organisation_id=who.organisation.pk,
        question=question,
        now=now(),
    )


def answer(lead, clarification, **fields):
    return clarification_answer(actor=lead, clarification_id=clarification.pk, now=now(), **fields)


def letters(kind=CLARIFICATION):
    return Letter.objects.filter(kind=kind).order_by("recipient__name")


def test_an_answer_to_all_goes_to_every_remaining_tenderer_with_the_reworded_question(neg, lead):
    asked = ask(neg)
    answered = answer(
        lead,
        asked,
        audience="all",
        answer="Yes, any Euro 6 vehicle may be used.",
        published_question="May Euro 6 vehicles be used in the Purbeck area?",
    )
    assert QUESTION == answered.question  # the original is kept apart
    assert ["Heron Transit CIC", "Kestrel Mobility Ltd", "Osprey Robotics Ltd"] == [
        letter.recipient.name for letter in letters()
    ]
    body = letters().first().body
    assert "May Euro 6 vehicles be used in the Purbeck area?" in body
    assert "Kestrel" not in body
    seen = supplier_clarifications(
        procurement=neg.procurement, organisation=neg.osprey.organisation
    )
    assert ["May Euro 6 vehicles be used in the Purbeck area?"] == [c.question for c in seen]
    own = supplier_clarifications(
        procurement=neg.procurement, organisation=neg.kestrel.organisation
    )
    assert [QUESTION] == [c.question for c in own]


def test_without_rewording_the_question_is_published_as_asked(neg, lead):
    answered = answer(lead, ask(neg, "Is the depot heated?"), audience="all", answer="Yes.")
    assert "Is the depot heated?" == answered.published_question


def test_a_tenderer_specific_answer_needs_a_justification_and_goes_to_the_asker_only(neg, lead):
    asked = ask(neg)
    with pytest.raises(ValidationFailed) as refused:
        answer(lead, asked, audience="tenderer", answer="Yes for your fleet.")
    assert ["justification"] == list(refused.value.detail)
    answer(
        lead,
        asked,
        audience="tenderer",
        answer="Yes for your fleet.",
        justification="It concerns Kestrel's own fleet as tendered.",
    )
    assert ["Kestrel Mobility Ltd"] == [letter.recipient.name for letter in letters()]
    assert [] == supplier_clarifications(
        procurement=neg.procurement, organisation=neg.osprey.organisation
    )


def test_other_tenderers_never_see_an_unanswered_question(neg):
    asked = ask(neg)
    osprey = neg.osprey.actor(Role.SUPPLIER_ADMIN)
    with pytest.raises(NotFound):
        access_clarification(actor=osprey, clarification_id=asked.pk)
    assert [] == supplier_clarifications(
        procurement=neg.procurement, organisation=neg.osprey.organisation
    )


def test_an_answer_is_refused_twice_and_with_bad_fields(neg, lead):
    asked = ask(neg)
    with pytest.raises(ValidationFailed) as refused:
        answer(lead, asked, audience="some", answer=" ")
    assert {"audience", "answer"} == set(refused.value.detail)
    answer(lead, asked, audience="all", answer="Yes.")
    with pytest.raises(Conflict, match="already been answered"):
        answer(lead, asked, audience="all", answer="Still yes.")
    assert 3 == letters().count()


def test_only_a_tenderer_still_in_asks(wessex, neg):
    with pytest.raises(ValidationFailed):
        ask(neg, "  ")
    participant_set(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement=neg.procurement,
        organisation=neg.osprey.organisation,
        standing=Standing.REDUCED,
        reason="Ranked last.",
        now=now(),
    )
    with pytest.raises(PermissionDenied, match="no longer tendering"):
        ask(neg, who=neg.osprey)
    with pytest.raises(NotFound):  # never in the competition
        ask(neg, who=neg.outsiders[0])
    assert 0 == Clarification.objects.count()


def test_only_commissioners_and_leads_answer(wessex, mercia, neg):
    asked = ask(neg)
    with pytest.raises(PermissionDenied):
        answer(wessex.actor(Role.EVALUATOR), asked, audience="all", answer="Yes.")
    for outsider in (mercia.actor(Role.PROCUREMENT_LEAD), neg.kestrel.actor(Role.SUPPLIER_ADMIN)):
        with pytest.raises(NotFound):
            answer(outsider, asked, audience="all", answer="Yes.")
    assert not Clarification.objects.get().answered


def test_the_asker_keeps_a_signed_receipt_of_its_question_that_verifies_offline(neg):
    from sanely import vault
    from sanely.portal.tenders.keys import signing_key

    asked = ask(neg)
    receipt = vault.receipt_verify(asked.receipt, signing_key().public_pem)
    file = receipt.files[0]
    assert (f"question-{asked.pk}", asked.asked_at, len(QUESTION.encode())) == (
        receipt.submission_id,
        receipt.received_at,
        file.size,
    )
    assert hashlib.sha256(QUESTION.encode()).hexdigest() == file.sha256
    page = neg.kestrel.client(Role.SUPPLIER_MEMBER)
    downloaded = page.get(f"/negotiation/clarifications/{asked.pk}/receipt")
    assert (200, asked.receipt.encode()) == (downloaded.status_code, downloaded.content)
    other = neg.osprey.client(Role.SUPPLIER_ADMIN).get(
        f"/negotiation/clarifications/{asked.pk}/receipt"
    )
    assert 404 == other.status_code


def test_an_abandoned_procurement_takes_no_more_questions(neg, wessex):
    from portal.tenders.test_closed_procurement import abandon

    abandon(wessex, neg.procurement)
    with pytest.raises(Conflict, match=r"is closed .*accepts nothing more from suppliers"):
        ask(neg)
    assert not Clarification.objects.exists()
