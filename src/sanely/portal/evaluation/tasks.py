"""What the evaluation waits for from a person: a declaration, their scores, moderation."""

from datetime import datetime

from django.urls import reverse

from sanely.portal.accounts.selectors import Actor
from sanely.portal.competition.models import ConflictDeclaration, Participant
from sanely.portal.competition.selectors import TENDERED, may_read_tenders, tenderers
from sanely.portal.core.tasks import Task
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.selectors import not_closed, procurement_list_for

from .models import EvaluationOutcome
from .selectors import (
    ASSESSOR_ROLES,
    consensus_of,
    evaluation_state,
    final_round_opened,
    moderates,
    score_places,
    scoring_evaluators,
    submitters_by_tenderer,
)


def _assessing(actor: Actor) -> list[Procurement]:
    """The actor's procurements with tenderers, not yet signed off, where the actor assesses."""
    assessing = {m.organisation_id for m in actor.memberships if m.role in ASSESSOR_ROLES}
    found = (
        procurement_list_for(actor=actor)
        .filter(
            organisation_id__in=assessing,
            pk__in=Participant.objects.filter(standing__in=TENDERED).values("procurement_id"),
        )
        .exclude(pk__in=EvaluationOutcome.objects.values("procurement_id"))
    )
    return list(not_closed(found))


def _scoring_and_moderation(actor: Actor, procurement: Procurement) -> list[Task]:
    """Once tendering has closed: tenders the actor still scores, tenderers ready to moderate."""
    done = submitters_by_tenderer(procurement)
    scorers = {u.pk for u in scoring_evaluators(procurement)}
    tasks = []
    if actor.user.pk in scorers and final_round_opened(procurement):
        tasks += [
            Task(
                f"Score {t.name}'s tender for {procurement.title}",
                url=reverse("evaluation:score", args=[procurement.pk, t.pk]),
            )
            for t in tenderers(procurement)
            if actor.user.pk not in done.get(t.pk, set())
        ]
    if moderates(actor, procurement) and may_read_tenders(actor.user, procurement):
        places, agreed = len(score_places(procurement)), consensus_of(procurement)
        tasks += [
            Task(
                f"Moderate the scores of {t.name} for {procurement.title}: every evaluator's"
                " scores are in",
                url=reverse("evaluation:moderate", args=[procurement.pk, t.pk]),
            )
            for t in tenderers(procurement)
            if scorers <= done.get(t.pk, set())
            and sum(1 for key in agreed if key[0] == t.pk) < places
        ]
    return tasks


def evaluation_tasks(*, actor: Actor, now: datetime) -> list[Task]:
    """For the authority's assessors: declarations, scores due and tenderers to moderate."""
    procurements = _assessing(actor)
    declared = set(
        ConflictDeclaration.objects.filter(
            evaluator=actor.user, procurement__in=procurements
        ).values_list("procurement_id", flat=True)
    )
    tasks = [
        Task(
            f"Declare your interests in the tenderers of {p.title} before you read their tenders",
            url=reverse("evaluation:declare", args=[p.pk]),
        )
        for p in procurements
        if p.pk not in declared
    ]
    for procurement in procurements:
        if procurement.state == evaluation_state(procurement):
            tasks += _scoring_and_moderation(actor, procurement)
    return tasks
