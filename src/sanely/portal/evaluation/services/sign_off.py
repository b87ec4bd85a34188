"""The tie at the partner boundary, and the sign-off that freezes the outcome."""

from datetime import datetime

from django.db import transaction

from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.errors import Conflict, validation_failed_from
from sanely.portal.procurements.engine import rulebook_of
from sanely.portal.procurements.models import Procurement

from .. import events
from ..models import EvaluationOutcome, TieChoice
from ..ranking import ranking_of, sign_off_missing
from ..selectors import evaluation_state, scoring_evaluators
from .moderation import moderator_of


@transaction.atomic
def tie_choose(
    *, actor: Actor, procurement_id: int, chosen: list[int], reason: str, now: datetime
) -> TieChoice:
    """At a tie on the partner boundary, the moderator chooses who is recommended, and why."""
    procurement, authority = moderator_of(actor, procurement_id, "moderate")
    ranking = ranking_of(procurement)
    tie = ranking.tie if ranking else None
    if tie is None:
        raise Conflict("There is no tie at the partner boundary to choose on.")
    tied_ids = [t.pk for t in tie.tied]
    problems: dict[str, list[str]] = {}
    if len(set(chosen)) != tie.places or not set(chosen) <= set(tied_ids):
        names = ", ".join(t.name for t in tie.tied)
        problems["chosen"] = [f"Choose {tie.places} of the tied tenderers: {names}."]
    if not reason.strip():
        problems["reason"] = ["Give the reason for the choice; the tenderers will read it."]
    if problems:
        raise validation_failed_from(problems)
    choice, _ = TieChoice.objects.update_or_create(
        procurement=procurement,
        defaults={
            "tied": tied_ids,
            "chosen": sorted(set(chosen)),
            "reason": reason.strip(),
            "recorded_by": actor.user,
            "recorded_at": now,
        },
    )
    audit_record(
        action=events.TIE_CHOSEN,
        subject=choice,
        now=now,
        actor=actor.user,
        organisation=authority,
        payload={"tied": tied_ids, "chosen": choice.chosen, "reason": choice.reason},
    )
    return choice


@transaction.atomic
def _label(procurement: Procurement, state_id: str) -> str:
    """A state as the procurement's rules name it."""
    state = rulebook_of(procurement).state(state_id)
    return state.label if state is not None else state_id.replace("_", " ")


def evaluation_sign_off(
    *, actor: Actor, procurement_id: int, now: datetime
) -> list[EvaluationOutcome]:
    """
    A commissioner or procurement lead signs the evaluation off, in the rulebook's evaluation
    state: the ranking is frozen into one `EvaluationOutcome` per tenderer still in. Refused
    while anything is missing, with every missing item listed.
    """
    procurement, authority = moderator_of(actor, procurement_id, "sign off the evaluation")
    state = evaluation_state(procurement)
    if procurement.state != state:
        raise Conflict(
            f"The evaluation is signed off once tendering has closed, at the stage"
            f" “{_label(procurement, state)}”; this procurement is at the stage"
            f" “{_label(procurement, procurement.state)}”: close tendering first."
        )
    missing = sign_off_missing(procurement)
    ranking = ranking_of(procurement)
    if missing or ranking is None:
        raise Conflict(
            "The evaluation cannot be signed off yet: " + " ".join(missing),
            detail={"missing": missing},
        )
    outcomes = [
        EvaluationOutcome.objects.create(
            procurement=procurement,
            tenderer=line.tenderer,
            breakdown=line.breakdown,
            price=line.price,
            total=line.total,
            rank=line.rank,
            recommended=line.recommended,
            strengths=line.strengths,
            signed_off_by=actor.user,
            signed_off_at=now,
        )
        for line in ranking.lines
    ]
    audit_record(
        action=events.SIGNED_OFF,
        subject=procurement,
        now=now,
        actor=actor.user,
        organisation=authority,
        payload={
            "ranking": [
                {
                    "tenderer": o.tenderer_id,
                    "rank": o.rank,
                    "total": str(o.total),
                    "recommended": o.recommended,
                }
                for o in outcomes
            ],
            "evaluators": [u.pk for u in scoring_evaluators(procurement)],
        },
    )
    return outcomes
