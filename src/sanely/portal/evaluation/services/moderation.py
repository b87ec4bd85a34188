"""Moderation: the agreed score per criterion, with a reason for every change."""

from datetime import datetime

from django.db import transaction

from sanely.documents.wording import number
from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.competition.selectors import require_clean_declaration
from sanely.portal.core.errors import Conflict
from sanely.portal.procurements.models import Procurement

from .. import events
from ..models import Consensus, ConsensusRevision, Strengths
from ..selectors import Act, access_evaluation, moderation_ready, scale_max, scoring_evaluators
from .checks import locked_procurement, place_of, require_not_signed_off, required_text, tenderer_of
from .scores import parse_score


def moderator_of(actor: Actor, procurement_id: int, what: str) -> tuple[Procurement, Organisation]:
    procurement, membership = access_evaluation(
        actor=actor, procurement_id=procurement_id, act=Act.MODERATE
    )
    procurement = locked_procurement(procurement)
    require_not_signed_off(procurement)
    require_clean_declaration(procurement, actor.user, what)
    return procurement, membership.organisation


@transaction.atomic
def consensus_record(
    *,
    actor: Actor,
    procurement_id: int,
    tenderer_id: int,
    criterion: str,
    sub_criterion: str = "",
    score: object,
    reason: str,
    now: datetime,
) -> Consensus:
    """
    The moderator records the consensus score of one tenderer against one criterion or
    sub-criterion, once every evaluator has submitted theirs, with the reason; a change needs
    its own reason, and every recording is kept.
    """
    procurement, authority = moderator_of(actor, procurement_id, "moderate")
    tenderer = tenderer_of(procurement, tenderer_id)
    place = place_of(procurement, criterion, sub_criterion)
    value = parse_score(score, place, scale_max(procurement), "score")
    reason = required_text(reason, "reason", f"Give the reason for the consensus on {place.name}.")
    if not scoring_evaluators(procurement):
        raise Conflict("No evaluator has declared and scored yet: moderation follows their scores.")
    waiting = moderation_ready(procurement, tenderer)
    if waiting:
        raise Conflict(
            f"Moderation of {tenderer.name} starts once every evaluator has submitted; still"
            " waiting for " + ", ".join(u.full_name for u in waiting) + "."
        )
    existing = Consensus.objects.filter(
        procurement=procurement,
        tenderer=tenderer,
        criterion=place.criterion,
        sub_criterion=place.sub_criterion,
    ).first()
    previous = existing.score if existing else None
    consensus, _ = Consensus.objects.update_or_create(
        procurement=procurement,
        tenderer=tenderer,
        criterion=place.criterion,
        sub_criterion=place.sub_criterion,
        defaults={"score": value, "reason": reason, "recorded_by": actor.user, "recorded_at": now},
    )
    ConsensusRevision.objects.create(
        consensus=consensus,
        previous_score=previous,
        score=value,
        reason=reason,
        recorded_by=actor.user,
        recorded_at=now,
    )
    audit_record(
        action=events.CONSENSUS_RECORDED,
        subject=consensus,
        now=now,
        actor=actor.user,
        organisation=authority,
        payload={
            "tenderer": tenderer.pk,
            "criterion": place.label,
            "from": number(previous) if previous is not None else None,
            "to": number(value),
            "reason": reason,
        },
    )
    return consensus


@transaction.atomic
def strengths_record(
    *, actor: Actor, procurement_id: int, tenderer_id: int, text: str, now: datetime
) -> Strengths:
    """The moderator writes the characteristics and relative advantages of one tender."""
    procurement, authority = moderator_of(actor, procurement_id, "moderate")
    tenderer = tenderer_of(procurement, tenderer_id)
    text = required_text(
        text, "text", f"Write the characteristics and relative advantages of {tenderer.name}."
    )
    strengths, _ = Strengths.objects.update_or_create(
        procurement=procurement,
        tenderer=tenderer,
        defaults={"text": text, "recorded_by": actor.user, "recorded_at": now},
    )
    audit_record(
        action=events.STRENGTHS_RECORDED,
        subject=strengths,
        now=now,
        actor=actor.user,
        organisation=authority,
        payload={"tenderer": tenderer.pk, "text": text},
    )
    return strengths
