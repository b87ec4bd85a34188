"""
The demo's competitions: one negotiating its second tender round, one in moderation, one in
standstill, each played through the services at past moments; loading twice adds nothing.
"""

import pytest

from sanely.documents.letters.award_decision import KIND as AWARD_DECISION
from sanely.portal.competition.models import Letter, Participant, Standing
from sanely.portal.core.clock import now
from sanely.portal.demo.load import demo_load
from sanely.portal.evaluation.models import Consensus, EvaluationOutcome, ScoreSubmission
from sanely.portal.negotiation.models import Meeting, Reduction
from sanely.portal.procurements.models import Procurement
from sanely.portal.tenders.models import SubmissionRound

pytestmark = pytest.mark.django_db


def _standings(reference):
    return sorted(
        Participant.objects.filter(procurement__reference=reference).values_list(
            "standing", flat=True
        )
    )


def _rounds(reference):
    return [
        (r.kind, r.number, r.final, r.is_open)
        for r in SubmissionRound.objects.filter(procurement__reference=reference)
    ]


def test_the_demo_competitions_are_played_once():
    at = now()
    demo_load(now=at)
    counts = (Letter.objects.count(), Meeting.objects.count(), Consensus.objects.count())
    demo_load(now=at)
    assert counts == (Letter.objects.count(), Meeting.objects.count(), Consensus.objects.count())
    _negotiating_round_two(at)
    _in_moderation()
    _in_standstill()


def _negotiating_round_two(at):
    reference = "WCC-IP-2024-003"
    assert "tendering" == Procurement.objects.get(reference=reference).state
    assert ["invited"] * 4 + ["not_selected"] == _standings(reference)
    assert [("rtp", 1, False, True), ("tender", 1, False, True), ("tender", 2, False, False)] == (
        _rounds(reference)
    )
    second = SubmissionRound.objects.get(procurement__reference=reference, number=2, kind="tender")
    assert at < second.deadline
    assert 4 == Meeting.objects.filter(procurement__reference=reference).count()


def _in_moderation():
    reference = "WCC-IP-2024-004"
    assert "evaluation" == Procurement.objects.get(reference=reference).state
    assert [("rtp", 1, False, True)] + [("tender", n, n == 3, True) for n in (1, 2, 3)] == (
        _rounds(reference)
    )
    assert 1 == Reduction.objects.filter(procurement__reference=reference).count()
    assert ["invited"] * 3 + ["not_selected", "reduced"] == _standings(reference)
    assert 2 * 3 == ScoreSubmission.objects.filter(procurement__reference=reference).count()
    assert Consensus.objects.filter(procurement__reference=reference).exists()
    assert not EvaluationOutcome.objects.filter(procurement__reference=reference).exists()


def _in_standstill():
    reference = "WCC-IP-2025-005"
    procurement = Procurement.objects.get(reference=reference)
    assert ("pa-2023-cfp-ip", "standstill") == (procurement.rulebook_id, procurement.state)
    assert [
        Standing.NOT_SELECTED,
        Standing.PARTNER,
        Standing.PARTNER,
        Standing.REDUCED,
        Standing.UNSUCCESSFUL,
    ] == _standings(reference)
    notices = Letter.objects.filter(procurement=procurement, kind=AWARD_DECISION)
    assert 5 == notices.count()
