"""The demo's evaluation: two evaluators score a little apart, the lead moderates and signs off."""

import pytest
from portal.evaluation.world import close_tendering, competition, ready

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.competition.models import ConflictDeclaration
from sanely.portal.core.clock import now
from sanely.portal.demo import evaluation as demo
from sanely.portal.evaluation.models import EvaluationOutcome, Score, TieChoice

pytestmark = pytest.mark.django_db


def test_the_demo_declares_scores_moderates_and_signs_off_once(wessex):
    c = competition(wessex, count=4)
    evaluators = [c.actor(Role.EVALUATOR), c.lead]
    at = now()
    demo.declare_and_score(c.procurement, evaluators=evaluators, now=at)
    scores = Score.objects.filter(tenderer=c.tenderers[0]).order_by("evaluator_id", "pk")
    by_evaluator = [
        list(scores.filter(evaluator=a.user).values_list("score", flat=True)) for a in evaluators
    ]
    assert by_evaluator[0] != by_evaluator[1]  # they differ a little
    assert max(abs(a - b) for a, b in zip(*by_evaluator, strict=True)) <= 1
    demo.moderate(c.procurement, moderator=c.lead, now=at)
    close_tendering(c)
    demo.sign_off(c.procurement, lead=c.lead, now=at)
    events = AuditEvent.objects.count()
    demo.declare_and_score(c.procurement, evaluators=evaluators, now=at)
    demo.moderate(c.procurement, moderator=c.lead, now=at)
    demo.sign_off(c.procurement, lead=c.lead, now=at)
    assert events == AuditEvent.objects.count()
    assert 2 == ConflictDeclaration.objects.count()
    outcomes = list(EvaluationOutcome.objects.order_by("rank"))
    assert [1, 2, 3, 4] == [o.rank for o in outcomes]
    assert [True, True, False, False] == [o.recommended for o in outcomes]
    assert all(o.strengths and o.price for o in outcomes)


def test_at_a_tie_the_demo_chooses_with_a_reason_before_signing_off(c):
    ready(
        c,
        {t.pk: s for t, s in zip(c.tenderers, [[8, 7, 6], [7, 7, 9], [8, 7, 6]], strict=True)},
        {t.pk: p for t, p in zip(c.tenderers, ("400000", "360000", "400000"), strict=True)},
    )
    kestrel, _, heron = c.tenderers
    close_tendering(c)
    demo.sign_off(c.procurement, lead=c.lead, now=now())
    choice = TieChoice.objects.get(procurement=c.procurement)
    assert (sorted([kestrel.pk, heron.pk]), [heron.pk]) == (sorted(choice.tied), choice.chosen)
    recommended = EvaluationOutcome.objects.filter(procurement=c.procurement, recommended=True)
    assert heron.pk in {o.tenderer_id for o in recommended}
    assert kestrel.pk not in {o.tenderer_id for o in recommended}
