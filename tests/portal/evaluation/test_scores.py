"""Independent scores: on the published scale, justified, hidden until submitted."""

import pytest
from portal.evaluation.world import competition, declare_all, score, submit

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.core.clock import now
from sanely.portal.core.errors import Conflict, ValidationFailed
from sanely.portal.evaluation import events as evaluation_events
from sanely.portal.evaluation.models import Score
from sanely.portal.evaluation.selectors import access_scores
from sanely.portal.evaluation.services import declaration_record, score_record

pytestmark = pytest.mark.django_db


def _one(c, value, justification="Well evidenced.", role=Role.EVALUATOR):
    return score_record(
        actor=c.actor(role),
        procurement_id=c.procurement.pk,
        tenderer_id=c.tenderers[0].pk,
        criterion="Quality",
        sub_criterion="Service design",
        score=value,
        justification=justification,
        now=now(),
    )


def _seen(c, role, tenderer):
    shown = access_scores(actor=c.actor(role), procurement=c.procurement, tenderer=tenderer)
    return sorted((s.evaluator.email.split("@")[0], s.criterion, s.sub_criterion) for s in shown)


def test_a_score_outside_the_scale_is_refused_clearly(c):
    declare_all(c)
    with pytest.raises(ValidationFailed) as refused:
        _one(c, 12)
    assert {
        "score": ["Score Service design from 0 to 10; 12 is outside the published scale."]
    } == refused.value.detail
    with pytest.raises(ValidationFailed):
        _one(c, -1)
    assert 0 == Score.objects.count()


def test_a_score_needs_a_written_justification(c):
    declare_all(c)
    with pytest.raises(ValidationFailed) as refused:
        _one(c, 7, justification=" ")
    assert ["Justify the score of Service design in writing."] == refused.value.detail[
        "justification"
    ]


def test_a_criterion_that_is_not_published_or_is_price_is_refused(c):
    declare_all(c)
    with pytest.raises(ValidationFailed) as refused:
        score_record(
            actor=c.actor(Role.EVALUATOR),
            procurement_id=c.procurement.pk,
            tenderer_id=c.tenderers[0].pk,
            criterion="Price",
            score=5,
            justification="x",
            now=now(),
        )
    assert ["criterion"] == list(refused.value.detail)


def test_no_score_before_the_final_round_is_opened(wessex):
    closed = competition(wessex, opened=False)
    declare_all(closed)
    with pytest.raises(Conflict, match="open the final tender round first"):
        _one(closed, 7)


def test_no_score_without_a_declaration(c):
    with pytest.raises(Conflict, match="Declare your interests"):
        _one(c, 7)


def test_a_score_changes_until_submitted_then_is_fixed(c):
    declare_all(c)
    kestrel = c.tenderers[0]
    _one(c, 6)
    _one(c, 7)
    assert [7] == [int(s.score) for s in Score.objects.all()]
    change = AuditEvent.objects.filter(action=evaluation_events.SCORE_RECORDED).last()
    assert ("6", "7") == (change.payload["from"], change.payload["to"])
    with pytest.raises(Conflict, match="not yet scored: Quality: Delivery plan; Social value"):
        submit(c, Role.EVALUATOR, kestrel)
    score(c, Role.EVALUATOR, kestrel, [7, 6, 5])
    submit(c, Role.EVALUATOR, kestrel)
    with pytest.raises(Conflict, match="can no longer change"):
        _one(c, 9)


def test_scores_are_hidden_from_other_evaluators_until_both_have_submitted(c):
    declare_all(c)
    kestrel = c.tenderers[0]
    score(c, Role.EVALUATOR, kestrel, [7, 6, 5])
    score(c, Role.COMMISSIONER, kestrel, [8, 6, 4])
    own = [
        ("evaluator", "Quality", "Delivery plan"),
        ("evaluator", "Quality", "Service design"),
        ("evaluator", "Social value", ""),
    ]
    assert own == _seen(c, Role.EVALUATOR, kestrel)
    # The moderator sees submitted scores only: none yet.
    assert [] == _seen(c, Role.PROCUREMENT_LEAD, kestrel)
    submit(c, Role.EVALUATOR, kestrel)
    # The commissioner has not submitted: still blind to the evaluator's submitted scores.
    assert 3 == len(_seen(c, Role.COMMISSIONER, kestrel))
    assert own == _seen(c, Role.EVALUATOR, kestrel)  # and the evaluator to the unsubmitted
    assert own == _seen(c, Role.PROCUREMENT_LEAD, kestrel)
    submit(c, Role.COMMISSIONER, kestrel)
    assert 6 == len(_seen(c, Role.EVALUATOR, kestrel)) == len(_seen(c, Role.COMMISSIONER, kestrel))
    assert [] == _seen(c, Role.AUDITOR, kestrel)  # until the sign-off


def test_a_scorer_who_later_declares_a_conflict_drops_out_of_the_scores_counted(c):
    declare_all(c)
    kestrel = c.tenderers[0]
    for role in (Role.EVALUATOR, Role.COMMISSIONER):
        score(c, role, kestrel, [7, 6, 5])
        submit(c, role, kestrel)
    declaration_record(
        actor=c.actor(Role.COMMISSIONER),
        procurement_id=c.procurement.pk,
        conflict=True,
        details="Learned today that my partner works for Kestrel.",
        now=now(),
    )
    assert {"evaluator"} == {who for who, _, _ in _seen(c, Role.PROCUREMENT_LEAD, kestrel)}


def test_a_sub_criterion_named_in_two_criteria_is_called_by_both_names(wessex):
    from competition import DESIGN

    from sanely.portal.evaluation.selectors import score_places

    award = {
        **DESIGN["award"],
        "criteria": [
            {
                "name": "Quality",
                "kind": "quality",
                "weight": "60",
                "sub_criteria": [
                    {"name": "Approach", "weight": "50"},
                    {"name": "Team", "weight": "50"},
                ],
            },
            {"name": "Price", "kind": "price", "weight": "30"},
            {
                "name": "Social value",
                "kind": "social_value",
                "weight": "10",
                "sub_criteria": [{"name": "Approach", "weight": "100"}],
            },
        ],
    }
    twice = competition(wessex, design={**DESIGN, "award": award}, reference="IP-2026-EVAL3")
    assert ["Quality: Approach", "Team", "Social value: Approach"] == [
        p.name for p in score_places(twice.procurement)
    ]


def test_several_scores_are_stored_together_or_not_at_all(c):
    from sanely.portal.evaluation.services import ScoreEntry, scores_record

    declare_all(c)
    entries = [
        ScoreEntry("Quality", "Service design", 7, "Good.", key="_0"),
        ScoreEntry("Quality", "Delivery plan", "seven", "Fine.", key="_1"),
        ScoreEntry("Social value", "", 5, "", key="_2"),
    ]
    with pytest.raises(ValidationFailed) as refused:
        scores_record(
            actor=c.actor(Role.EVALUATOR),
            procurement_id=c.procurement.pk,
            tenderer_id=c.tenderers[0].pk,
            entries=entries,
            now=now(),
        )
    assert {
        "score_1": ["Score Delivery plan with a number from 0 to 10."],
        "justification_2": ["Justify the score of Social value in writing."],
    } == refused.value.detail
    assert 0 == Score.objects.count()
