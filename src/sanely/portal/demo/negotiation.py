"""
The demo's negotiation, through the negotiation services only: a meeting with each remaining
tenderer about its opened tender, one clarification answered to all, one revision of the
documents with the deadline review recorded; and a staged reduction scored against the
published award criteria.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from sanely.portal.accounts.models import Organisation, Role, User
from sanely.portal.accounts.selectors import Actor
from sanely.portal.competition.selectors import tenderers
from sanely.portal.demo.stories import story_of
from sanely.portal.negotiation.models import Reduction
from sanely.portal.negotiation.selectors import opened_tender_rounds
from sanely.portal.negotiation.services import (
    TenderScore,
    clarification_answer,
    document_revision_record,
    meeting_record,
    question_ask,
    tenders_reduce,
)
from sanely.portal.procurements.design import section
from sanely.portal.procurements.models import Procurement
from sanely.portal.tenders.models import SubmissionRound


def _supplier_actor(organisation: Organisation) -> Actor:
    person = User.objects.filter(
        memberships__organisation=organisation,
        memberships__role__in=[Role.SUPPLIER_ADMIN, Role.SUPPLIER_MEMBER],
    ).earliest("pk")
    return Actor.for_session(person)


def negotiate_round(
    procurement: Procurement, *, round: SubmissionRound, lead: Actor, now: datetime
) -> None:
    """Meet each remaining tenderer, answer one question to all, revise the documents once."""
    story = story_of(procurement)
    still_in = tenderers(procurement)
    for hours, tenderer in enumerate(still_in, start=1):
        meeting_record(
            actor=lead,
            procurement_id=procurement.pk,
            round_id=round.pk,
            organisation_id=tenderer.pk,
            held_at=now - timedelta(hours=len(still_in) + 2 - hours),
            attendees=[
                f"{lead.user.full_name}, {procurement.organisation.name}, procurement lead",
                f"{_supplier_actor(tenderer).user.full_name}, {tenderer.name}, bid manager",
            ],
            minutes=story.minutes.format(tenderer=tenderer.name, round=round.label.lower()),
            information_given=[story.shared_fact],
            proposed_changes=["other"],
            now=now,
        )
    asker = still_in[0]
    question = question_ask(
        actor=_supplier_actor(asker),
        procurement_id=procurement.pk,
        organisation_id=asker.pk,
        question=story.question.format(asker=asker.name),
        now=now - timedelta(hours=1),
    )
    clarification_answer(
        actor=lead,
        clarification_id=question.pk,
        audience="all",
        published_question=story.published_question,
        answer=story.answer,
        now=now,
    )
    document_revision_record(
        actor=lead,
        procurement_id=procurement.pk,
        title=f"Specification revised after {round.label.lower()}",
        summary=story.revision,
        affects=["other"],
        justification=story.revision_reason,
        now=now,
    )


def _demo_scores(procurement: Procurement) -> dict[int, TenderScore]:
    """
    Plausible scores, a little lower for each later tenderer, and prices a little higher: these
    tenders come before the final ones, so they are priced a little above the final prices.
    """
    award = section(procurement.design, "award")
    final_price = story_of(procurement).prices[0]
    scores = {}
    for place, tenderer in enumerate(tenderers(procurement)):
        mark = max(Decimal(award.scale_max) * (Decimal("0.9") - Decimal("0.1") * place), Decimal(0))
        scores[tenderer.pk] = TenderScore(
            scores={
                c.name: {s.name: mark.quantize(Decimal("0.1")) for s in c.sub_criteria}
                or {"": mark.quantize(Decimal("0.1"))}
                for c in award.criteria
                if c.kind != "price"
            },
            price=(final_price * (Decimal("1.06") + Decimal("0.03") * place)).quantize(Decimal(1)),
        )
    return scores


def reduce(procurement: Procurement, *, lead: Actor, keep: int, now: datetime) -> Reduction:
    """A staged reduction after the latest opened tender round, keeping the best `keep`."""
    latest = opened_tender_rounds(procurement).last()
    return tenders_reduce(
        actor=lead,
        procurement_id=procurement.pk,
        round_id=latest.pk if latest else 0,
        scores=_demo_scores(procurement),
        keep=keep,
        justification="The tender notice announced a staged reduction after round 2.",
        now=now,
    )
