"""Prices from the final tenders, and decisions on abnormally low tenders."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from sanely.documents.letters import tender_rejected
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.competition.models import Standing
from sanely.portal.competition.services import letter_send, participant_set
from sanely.portal.core.errors import Conflict, validation_failed_from
from sanely.portal.procurements.models import Procurement
from sanely.portal.tenders.models import SubmissionVersion

from .. import events
from ..models import AbnormallyLowDecision, LowTenderDecision, TenderPrice
from ..selectors import ABNORMALLY_LOW_LAW, final_round, low_flags
from .checks import tenderer_of
from .moderation import moderator_of


@transaction.atomic
def price_record(
    *,
    actor: Actor,
    procurement_id: int,
    tenderer_id: int,
    price: object,
    version_id: int,
    now: datetime,
) -> TenderPrice:
    """
    Record a tenderer's tendered price as read from its final tender, citing the version it
    was read from. Recording again corrects it (old → new is audited).
    """
    procurement, authority = moderator_of(actor, procurement_id, "record prices")
    tenderer = tenderer_of(procurement, tenderer_id)
    problems: dict[str, list[str]] = {}
    try:
        value = Decimal(str(price).strip())
        if not value.is_finite() or value <= 0 or value >= Decimal("1e14"):
            raise InvalidOperation
        value = value.quantize(Decimal("0.01"))
    except InvalidOperation:
        problems["price"] = [f"Give {tenderer.name}'s tendered price in pounds, e.g. 412345.67."]
    round_ = final_round(procurement)
    version = SubmissionVersion.objects.filter(
        pk=version_id, round=round_, organisation=tenderer
    ).first()
    if round_ is None or not round_.is_open:
        raise Conflict("Prices are read from the final tenders: open the final tender round first.")
    if version is None:
        problems["version_id"] = [
            f"Cite one of {tenderer.name}'s final tender versions the price was read from."
        ]
    if problems or version is None:
        raise validation_failed_from(problems)
    existing = TenderPrice.objects.filter(procurement=procurement, tenderer=tenderer).first()
    recorded, _ = TenderPrice.objects.update_or_create(
        procurement=procurement,
        tenderer=tenderer,
        defaults={
            "price": value,
            "version": version,
            "recorded_by": actor.user,
            "recorded_at": now,
        },
    )
    audit_record(
        action=events.PRICE_RECORDED,
        subject=recorded,
        now=now,
        actor=actor.user,
        organisation=authority,
        payload={
            "tenderer": tenderer.pk,
            "from": str(existing.price) if existing else None,
            "to": str(value),
            "version": version.submission_id,
        },
    )
    return recorded


def _rejection_letter(
    actor: Actor, procurement: Procurement, decision: AbnormallyLowDecision, now: datetime
) -> None:
    rejection = tender_rejected.Rejection(
        authority=procurement.organisation.name,
        tenderer=decision.tenderer.name,
        reference=procurement.reference,
        title=procurement.title,
        price=decision.price,
        flag=decision.flag,
        reasons=decision.explanation,
        law=ABNORMALLY_LOW_LAW,
    )
    letter_send(
        actor=actor,
        procurement=procurement,
        recipient=decision.tenderer,
        document=tender_rejected.build(rejection),
        now=now,
    )


@transaction.atomic
def abnormally_low_decide(
    *,
    actor: Actor,
    procurement_id: int,
    tenderer_id: int,
    decision: str,
    explanation: str,
    now: datetime,
) -> AbnormallyLowDecision:
    """
    Decide on a tender flagged as abnormally low (PCR 2015 reg. 69, PA 2023 s.34): accepted
    with the explanation the tenderer gave, or rejected with the reasons. A rejected tenderer
    leaves the competition (standing "rejected") and is sent a letter saying why.
    """
    procurement, authority = moderator_of(actor, procurement_id, "decide on abnormally low tenders")
    tenderer = tenderer_of(procurement, tenderer_id)
    problems: dict[str, list[str]] = {}
    if decision not in LowTenderDecision.values:
        problems["decision"] = ["Choose accepted or rejected."]
    what = (
        "Give the reasons for rejecting the tender."
        if decision == LowTenderDecision.REJECTED
        else "Record the explanation the tenderer gave for its price."
    )
    if not explanation.strip():
        problems["explanation"] = [what]
    if problems:
        raise validation_failed_from(problems)
    flag = next((f for f in low_flags(procurement) if f.tenderer.pk == tenderer.pk), None)
    if flag is None:
        raise Conflict(
            f"{tenderer.name}'s price is not flagged as abnormally low ({ABNORMALLY_LOW_LAW}):"
            " there is nothing to decide."
        )
    made = AbnormallyLowDecision.objects.create(
        procurement=procurement,
        tenderer=tenderer,
        price=flag.price,
        flag=flag.reason,
        decision=decision,
        explanation=explanation.strip(),
        decided_by=actor.user,
        decided_at=now,
    )
    audit_record(
        action=events.ABNORMALLY_LOW_DECIDED,
        subject=made,
        now=now,
        actor=actor.user,
        organisation=authority,
        payload={
            "tenderer": tenderer.pk,
            "price": str(flag.price),
            "decision": decision,
            "explanation": made.explanation,
            "law": ABNORMALLY_LOW_LAW,
        },
    )
    if decision == LowTenderDecision.REJECTED:
        participant_set(
            actor=actor,
            procurement=procurement,
            organisation=tenderer,
            standing=Standing.REJECTED,
            reason=f"Tender rejected as abnormally low ({ABNORMALLY_LOW_LAW}): {made.explanation}",
            now=now,
        )
        _rejection_letter(actor, procurement, made, now)
    return made
