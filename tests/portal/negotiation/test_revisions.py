"""Document revisions: locked items refused, the deadline reviewed every time, everyone told."""

from datetime import timedelta

import pytest

from sanely.documents.letters.document_revision import KIND as DOCUMENT_REVISION
from sanely.portal.competition.models import Letter
from sanely.portal.core.clock import now
from sanely.portal.core.errors import Conflict, RuleRefused, ValidationFailed
from sanely.portal.negotiation.models import DocumentRevision
from sanely.portal.negotiation.services import document_revision_record
from sanely.portal.tenders.services import submission_round_open

pytestmark = pytest.mark.django_db


def revise(lead, n, **fields):
    return document_revision_record(
        actor=lead,
        procurement_id=n.procurement.pk,
        title=fields.pop("title", "Specification v2"),
        summary=fields.pop("summary", "Section 3 now asks for a 2-hour booking window."),
        now=fields.pop("now", now()),
        **fields,
    )


def revised_round(lead, n):
    return submission_round_open(
        actor=lead,
        procurement_id=n.procurement.pk,
        kind="tender",
        number=2,
        deadline=now() + timedelta(days=10),
        justification="Revised tenders after meetings.",
        now=now(),
    )


@pytest.mark.parametrize("regime", ["neg", "pcr"])
def test_a_revision_needs_the_deadline_reviewed_every_time(request, lead, regime):
    n = request.getfixturevalue(regime)
    with pytest.raises(RuleRefused) as refused:
        revise(lead, n)
    expected = {"neg": "PA23-31", "pcr": "PCR15-31-17"}[regime]
    assert expected == refused.value.rule
    assert "justification" in refused.value.detail
    revise(lead, n, justification="Ten days remain; the change is one paragraph.")
    with pytest.raises(RuleRefused):  # the earlier justification does not answer this one
        revise(lead, n, title="Specification v3")
    assert 1 == DocumentRevision.objects.count()


def test_a_revision_with_a_justification_is_sent_to_every_remaining_tenderer(neg, lead):
    revision = revise(lead, neg, justification="Ten days remain; the change is small.")
    sent = Letter.objects.filter(kind=DOCUMENT_REVISION).order_by("recipient__name")
    assert ["Heron Transit CIC", "Kestrel Mobility Ltd", "Osprey Robotics Ltd"] == [
        letter.recipient.name for letter in sent
    ]
    assert "2-hour booking window" in sent[0].body
    assert "Ten days remain" in sent[0].body
    assert 3 == revision.recipients.count()
    assert ["other"] == revision.affects


def test_extending_the_open_rounds_deadline_in_the_same_step_answers_the_review(pcr, lead):
    round_two = revised_round(lead, pcr)
    later = round_two.deadline + timedelta(days=7)
    revision = revise(lead, pcr, new_deadline=later, extension_reason="Time to re-cost.")
    round_two.refresh_from_db()
    assert (later, later) == (round_two.deadline, revision.extension.new_deadline)
    assert "Time to re-cost." == revision.extension.reason
    assert revision.justification.startswith("The deadline of tenders, round 2 was extended")
    assert "extended to" in Letter.objects.filter(kind=DOCUMENT_REVISION).first().body


@pytest.mark.parametrize("justification", ["", "Ten days remain."])
def test_no_deadline_to_extend_when_no_round_is_open(pcr, lead, justification):
    with pytest.raises(ValidationFailed) as refused:
        revise(lead, pcr, new_deadline=now() + timedelta(days=5), justification=justification)
    assert ["new_deadline"] == list(refused.value.detail)
    assert 0 == DocumentRevision.objects.count()


def test_an_earlier_deadline_is_refused_and_nothing_is_stored(pcr, lead):
    round_two = revised_round(lead, pcr)
    with pytest.raises(Conflict):
        revise(lead, pcr, new_deadline=round_two.deadline - timedelta(days=1))
    assert (0, 0) == (DocumentRevision.objects.count(), round_two.extensions.count())
    assert not Letter.objects.filter(kind=DOCUMENT_REVISION).exists()


@pytest.mark.parametrize("locked", ["minimum_requirements", "award_criteria"])
def test_under_the_regulations_revising_locked_items_is_refused(pcr, lead, locked):
    with pytest.raises(RuleRefused) as refused:
        revise(lead, pcr, affects=[locked], justification="Enough time.")
    assert "PCR15-31-14" == refused.value.rule
    assert 0 == DocumentRevision.objects.count()


def test_bad_fields_are_named(neg, lead):
    with pytest.raises(ValidationFailed) as refused:
        revise(lead, neg, title="", summary="", affects=["prices"])
    assert {"title", "summary", "affects"} == set(refused.value.detail)
