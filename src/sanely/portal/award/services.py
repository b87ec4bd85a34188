"""
Writes for the award: the decision notices (and the lifecycle step that starts the
standstill), and one contract per partner once the standstill has ended.

Both go through `procurement_act`, so the pinned rulebook decides: a step in the wrong state,
a contract before the standstill ends, or a purchase without performance levels and maximum
cost is refused with the rule and its citation, and nothing is stored.
"""

from datetime import datetime
from typing import Any

from django.db import transaction

from sanely.documents import Document
from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.competition.models import Letter, Standing
from sanely.portal.competition.selectors import participants
from sanely.portal.competition.services import letter_send, participant_set
from sanely.portal.core.errors import Conflict
from sanely.portal.evaluation.models import EvaluationOutcome
from sanely.portal.procurements.actions import Action
from sanely.portal.procurements.design import PurchaseSection, section
from sanely.portal.procurements.engine import rulebook_of, uk_date
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.services import procurement_act

from . import events, signals
from .models import Contract
from .notices import Record, candidate_notice, tenderer_notice
from .selectors import (
    CONCLUDE_EVENTS,
    NOTIFY_EVENTS,
    access_award,
    contracts_of,
    event_of,
    follows_assessment_summaries,
    other_candidates,
    outcomes_of,
    standstill,
)


def _locked(actor: Actor, procurement_id: int) -> Procurement:
    procurement, _ = access_award(actor=actor, procurement_id=procurement_id, write=True)
    return (
        Procurement.objects.select_for_update()
        .select_related("organisation")
        .get(pk=procurement.pk)
    )


def _signed_off(procurement: Procurement) -> list[EvaluationOutcome]:
    outcomes = outcomes_of(procurement)
    if not outcomes:
        raise Conflict(
            "There is no signed-off evaluation for this procurement: the evaluation must be"
            " signed off before the decision notices are sent."
        )
    if not any(o.recommended for o in outcomes):
        raise Conflict(
            "The signed-off evaluation recommends no tenderer as a partner, so there is no"
            " decision to notify."
        )
    return outcomes


def _notify_action(summaries: bool, justification: str, now: datetime) -> Action:
    # Every notice is sent in this same transaction, so nobody is left without one.
    if summaries:
        return Action(justification=justification, summaries_sent_on=uk_date(now))
    return Action(justification=justification)


def _move_standings(
    actor: Actor, procurement: Procurement, outcomes: list[EvaluationOutcome], now: datetime
) -> None:
    rejected = set(
        participants(procurement)
        .filter(standing=Standing.REJECTED)
        .values_list("organisation_id", flat=True)
    )
    for outcome in outcomes:
        if outcome.recommended:
            standing = Standing.PARTNER
            reason = f"Ranked {outcome.rank} with {outcome.total} points; awarded a partnership."
        elif outcome.tenderer_id in rejected:
            continue  # a rejected tender stays rejected, with the reason it was given
        else:
            standing = Standing.UNSUCCESSFUL
            reason = f"Ranked {outcome.rank} of {len(outcomes)} with {outcome.total} points."
        participant_set(
            actor=actor,
            procurement=procurement,
            organisation=outcome.tenderer,
            standing=standing,
            reason=reason,
            now=now,
        )


def _send(
    actor: Actor,
    procurement: Procurement,
    document: Document,
    recipient: Organisation,
    now: datetime,
) -> Letter:
    return letter_send(
        actor=actor, procurement=procurement, recipient=recipient, document=document, now=now
    )


@transaction.atomic
def award_notify(
    *, actor: Actor, procurement_id: int, justification: str = "", now: datetime
) -> list[Letter]:
    """
    Send the decision notice (PA 2023: the assessment summary) to every tenderer with an
    evaluated tender and every other candidate, apply the rulebook's step that starts the
    standstill, and move recommended tenderers to partners and the others to unsuccessful.
    """
    procurement = _locked(actor, procurement_id)
    outcomes = _signed_off(procurement)
    rulebook = rulebook_of(procurement)
    event, _ = event_of(rulebook, NOTIFY_EVENTS)
    summaries = follows_assessment_summaries(rulebook, event)
    procurement = procurement_act(
        actor=actor,
        procurement_id=procurement.pk,
        event=event,
        action=_notify_action(summaries, justification, now),
        now=now,
    )
    period = standstill(procurement)
    if period is None:  # the rulebook's step did not record the date the standstill counts from
        raise Conflict(f"{rulebook.title} starts no standstill at {event}.")
    record = Record(procurement, rulebook.title, summaries, outcomes, period, actor.user)
    letters = [
        _send(actor, procurement, tenderer_notice(record, o), o.tenderer, now) for o in outcomes
    ]
    letters += [
        _send(actor, procurement, candidate_notice(record, p), p.organisation, now)
        for p in other_candidates(procurement, {o.tenderer_id for o in outcomes})
    ]
    _move_standings(actor, procurement, outcomes, now)
    audit_record(
        action=events.DECISION_NOTICES_SENT,
        subject=procurement,
        now=now,
        actor=actor.user,
        organisation=procurement.organisation,
        payload={
            "event": event,
            "recipients": [letter.recipient_id for letter in letters],
            "partners": [o.tenderer_id for o in outcomes if o.recommended],
            "standstill_ends_at": period.ends_at.isoformat(),
        },
    )
    return letters


def _phases(procurement: Procurement) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "duration_months": p.duration_months,
            "max_value": str(p.max_value),
            "instalments": [
                {"description": i.description, "amount": str(i.amount)} for i in p.instalments
            ],
        }
        for p in section(procurement.design, "phases").items
    ]


def _partners(procurement: Procurement) -> list[EvaluationOutcome]:
    partner_ids = set(
        participants(procurement)
        .filter(standing=Standing.PARTNER)
        .values_list("organisation_id", flat=True)
    )
    partners = [o for o in outcomes_of(procurement) if o.tenderer_id in partner_ids]
    if not partners:
        raise Conflict(
            "No tenderer is a partner yet: send the decision notices first; the recommended"
            " tenderers become partners then."
        )
    return partners


@transaction.atomic
def contracts_conclude(*, actor: Actor, procurement_id: int, now: datetime) -> list[Contract]:
    """
    Conclude exactly one contract with each partner, holding the purchase's performance levels
    and maximum cost and the phases from the design and the partner's tendered price and rank.
    Refused by the rulebook before the standstill ends, and once concluded.
    """
    procurement = _locked(actor, procurement_id)
    if contracts_of(procurement).exists():
        raise Conflict("The partner contracts of this procurement are already concluded.")
    partners = _partners(procurement)
    event, _ = event_of(rulebook_of(procurement), CONCLUDE_EVENTS)
    # The rulebook refuses a purchase without performance levels and a maximum cost
    # (guard `performance_and_max_cost_set`), before anything is stored.
    procurement = procurement_act(
        actor=actor,
        procurement_id=procurement.pk,
        event=event,
        action=Action(partners=len(partners)),
        now=now,
    )
    purchase: PurchaseSection = section(procurement.design, "purchase")
    max_cost = purchase.max_cost
    if max_cost is None:  # only a rulebook without that guard lets this through
        raise Conflict("The design sets no maximum cost for the purchase: complete it first.")
    contracts = []
    for outcome in partners:
        contract = Contract.objects.create(
            procurement=procurement,
            partner=outcome.tenderer,
            performance_levels=list(purchase.performance_levels),
            kpis=list(purchase.kpis),
            max_cost=max_cost,
            phases=_phases(procurement),
            tendered_price=outcome.price,
            rank=outcome.rank,
            total=outcome.total,
            concluded_at=now,
            concluded_by=actor.user,
        )
        audit_record(
            action=events.CONTRACT_CONCLUDED,
            subject=contract,
            now=now,
            actor=actor.user,
            organisation=procurement.organisation,
            payload={
                "partner": outcome.tenderer_id,
                "max_cost": str(contract.max_cost),
                "tendered_price": None if outcome.price is None else str(outcome.price),
                "rank": outcome.rank,
            },
        )
        contracts.append(contract)
    signals.contracts_concluded.send(
        sender=Contract, procurement=procurement, contracts=contracts, actor=actor, now=now
    )
    return contracts
