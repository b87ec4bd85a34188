"""The staged reduction of tenders, scored with the published award criteria."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from sanely.documents.letters import staged_reduction as reduction_letter
from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.competition.models import Standing
from sanely.portal.competition.selectors import tenderers
from sanely.portal.competition.services import letter_send, participant_set
from sanely.portal.core.errors import Conflict, validation_failed_from
from sanely.portal.evaluation.ranking import price_quality
from sanely.portal.procurements.models import Procurement
from sanely.portal.tenders.models import SubmissionRound
from sanely.procedure import Breakdown, ScoringError, rank, staged_reduction
from sanely.procedure import events as lifecycle

from .. import events
from ..models import Reduction
from ..selectors import access_negotiation, opened_tender_rounds
from .steps import engine_step


@dataclass(frozen=True)
class TenderScore:
    """
    One tenderer's marks on the published award criteria and its price: `scores` maps each
    quality or social-value criterion to its sub-criteria's scores ("" for a criterion
    without sub-criteria), on the published scale.
    """

    scores: Mapping[str, Mapping[str, Decimal]]
    price: Decimal | None = None


def _scores_problems(
    remaining: list[Organisation], scores: Mapping[int, TenderScore], keep: int
) -> dict[str, list[str]]:
    names = {o.pk: o.name for o in remaining}
    problems: dict[str, list[str]] = {}
    missing = [names[pk] for pk in names if pk not in scores]
    strangers = [str(pk) for pk in scores if pk not in names]
    if missing:
        problems["scores"] = [f"Score every remaining tenderer; missing: {', '.join(missing)}."]
    if strangers:
        problems.setdefault("scores", []).append(
            f"Organisations {', '.join(strangers)} are not tenderers still in the competition."
        )
    if not 1 <= keep < len(remaining):
        problems["keep"] = [
            f"Keep from 1 to {len(remaining) - 1} of the {len(remaining)} remaining tenderers."
        ]
    return problems


def _reduction_round(procurement: Procurement, round_id: int) -> SubmissionRound:
    found = opened_tender_rounds(procurement).filter(pk=round_id, final=False).first()
    if found is None:
        raise validation_failed_from(
            {"round_id": ["Choose an opened tender round before the final one."]}
        )
    return found


def _computed(
    procurement: Procurement, remaining: list[Organisation], scores: Mapping[int, TenderScore]
) -> dict[str, Breakdown]:
    """The best price-quality ratio, by `sanely.procedure`; its refusals name the tenderer."""
    try:
        return price_quality(
            procurement,
            {str(pk): s.scores for pk, s in scores.items()},
            {str(pk): s.price for pk, s in scores.items() if s.price is not None},
        )
    except ScoringError as error:
        names = {str(organisation.pk): organisation.name for organisation in remaining}
        raise validation_failed_from({"scores": [error.naming(names)]}) from None


def _ranking(
    remaining: list[Organisation], computed: dict[str, Breakdown], kept: tuple[str, ...]
) -> list[dict[str, Any]]:
    names = {str(o.pk): o.name for o in remaining}
    return [
        {
            "organisation": int(r.tenderer),
            "name": names[r.tenderer],
            "total": str(r.total),
            "rank": r.rank,
            "tied": r.tied,
            "kept": r.tenderer in kept,
            "points": [
                {"criterion": p.criterion, "points": str(p.points), "explanation": p.explanation}
                for p in computed[r.tenderer].points
            ],
        }
        for r in rank({key: b.total for key, b in computed.items()})
    ]


def _stored_scores(scores: Mapping[int, TenderScore]) -> dict[str, Any]:
    return {
        str(pk): {
            "scores": {c: {s: str(v) for s, v in subs.items()} for c, subs in s.scores.items()},
            "price": None if s.price is None else str(s.price),
        }
        for pk, s in scores.items()
    }


@transaction.atomic
def tenders_reduce(
    *,
    actor: Actor,
    procurement_id: int,
    round_id: int,
    scores: Mapping[int, TenderScore],
    keep: int,
    justification: str = "",
    now: datetime,
) -> Reduction:
    """
    A commissioner or procurement lead reduces the tenderers at a stage of the negotiation, by
    scoring each remaining tenderer's tender of `round_id` against the published award
    criteria: the `keep` best stay (all tied at the boundary with them), the others are told
    why and leave the competition. Only where the reduction was announced.
    """
    procurement, membership = access_negotiation(
        actor=actor, procurement_id=procurement_id, write=True
    )
    engine_step(
        actor=actor,
        procurement=procurement,
        event=lifecycle.REDUCE_TENDERS,
        justification=justification,
        evidence="Staged reduction by the award criteria",
        now=now,
    )
    submission_round = _reduction_round(procurement, round_id)
    remaining = tenderers(procurement)
    if len(remaining) < 2:
        still = ", ".join(o.name for o in remaining) or "No tenderer"
        raise Conflict(f"{still} alone is still in the competition: there is no one to reduce.")
    if problems := _scores_problems(remaining, scores, keep):
        raise validation_failed_from(problems)
    computed = _computed(procurement, remaining, scores)
    kept, removed = staged_reduction(rank({k: b.total for k, b in computed.items()}), keep=keep)
    reasons = {
        key: f"Staged reduction after {submission_round.label.lower()}: {reason}."
        for key, reason in removed.items()
    }
    for organisation in remaining:
        if str(organisation.pk) in reasons:
            _leave(actor, procurement, organisation, reasons[str(organisation.pk)], now)
    reduction = Reduction.objects.create(
        procurement=procurement,
        round=submission_round,
        keep=keep,
        scores=_stored_scores(scores),
        ranking=_ranking(remaining, computed, kept),
        kept=[int(k) for k in kept],
        reasons=reasons,
        justification=justification.strip(),
        decided_by=actor.user,
        decided_at=now,
    )
    audit_record(
        action=events.TENDERS_REDUCED,
        subject=reduction,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={
            "round": submission_round.ref,
            "keep": keep,
            "kept": reduction.kept,
            "reasons": reasons,
        },
    )
    return reduction


def _leave(
    actor: Actor, procurement: Procurement, organisation: Organisation, reason: str, now: datetime
) -> None:
    """A tenderer left out at a stage: its standing, and the letter that tells it why."""
    participant_set(
        actor=actor,
        procurement=procurement,
        organisation=organisation,
        standing=Standing.REDUCED,
        reason=reason,
        now=now,
    )
    document = reduction_letter.build(reduction_letter.Reduced(reason))
    letter_send(
        actor=actor, procurement=procurement, recipient=organisation, document=document, now=now
    )
