"""A tenderer's consent to share one named item with one recipient for one purpose."""

import re
from datetime import datetime

from django.db import transaction

from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.errors import Conflict, validation_failed_from

from .. import events
from ..models import Consent
from ..selectors import access_consent, access_tenderer

# Consent names one item: these say "everything" in other words.
BLANKET = re.compile(
    r"^(?:(?:all|any|every|each)(?:\s+(?:of|our|my|the|your|its|their))*"
    r"(?:\s+(?:confidential|commercial|commercially|sensitive|proprietary|tender))*"
    r"(?:\s+(?:information|info|documents?|data|material|materials|items?|things?|details?"
    r"|content|tenders?|submissions?))?|everything|anything|whatever|the\s+(?:whole|entire|full)"
    r"\s+(?:tender|submission)|(?:our|my|the)\s+(?:whole\s+|entire\s+)?(?:tender|submission))$"
)


OPEN_RECIPIENTS = re.compile(
    r"^(?:any\s*one|every\s*one|any\s*body|every\s*body|all|the\s+public|public|all\s+tenderers"
    r"|other\s+tenderers|any\s+tenderer|whoever(?:\s.*)?)$"
)


SPECIFIC_ITEM = (
    "name one specific item instead, e.g. 'the unit price table in section 4 of our tender of"
    " 3 March'"
)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text).casefold().split())


def _consent_problems(item: str, recipient: str, purpose: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not item.strip():
        problems["item"] = [f"Say which confidential item may be disclosed: {SPECIFIC_ITEM}."]
    elif BLANKET.match(_words(item)) or len(item.strip()) < 10:
        problems["item"] = [
            f"{item.strip()!r} is blanket or too vague: consent is given item by item, never for"
            f" everything at once; {SPECIFIC_ITEM}."
        ]
    if not recipient.strip():
        problems["recipient"] = ["Name who may receive the item (a person or organisation)."]
    elif OPEN_RECIPIENTS.match(_words(recipient)) or len(recipient) > 200:
        problems["recipient"] = [
            f"{recipient.strip()!r} is not a named recipient: name one person or organisation,"
            " e.g. 'Osprey Robotics Ltd' or 'the authority's technical adviser, J. Smith'."
        ]
    if not purpose.strip():
        problems["purpose"] = [
            "Say for what purpose, e.g. 'to agree a shared interface specification'."
        ]
    return problems


@transaction.atomic
def consent_give(
    *,
    actor: Actor,
    procurement_id: int,
    organisation_id: int,
    item: str,
    recipient: str,
    purpose: str,
    now: datetime,
) -> Consent:
    """
    A tenderer's admin consents to the disclosure of one specific confidential item of its own
    to a named recipient for a stated purpose. Blanket consent is refused.
    """
    procurement, organisation = access_tenderer(
        actor=actor, procurement_id=procurement_id, organisation_id=organisation_id, admin=True
    )
    if problems := _consent_problems(item, recipient, purpose):
        raise validation_failed_from(problems)
    consent = Consent.objects.create(
        procurement=procurement,
        organisation=organisation,
        item=item.strip(),
        recipient=recipient.strip(),
        purpose=purpose.strip(),
        given_by=actor.user,
        given_at=now,
    )
    audit_record(
        action=events.CONSENT_GIVEN,
        subject=consent,
        now=now,
        actor=actor.user,
        organisation=organisation,
        authority=procurement.organisation,
        payload={"item": consent.item, "recipient": consent.recipient, "purpose": consent.purpose},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Actor, consent_id: int, now: datetime) -> Consent:
    """The tenderer's admin withdraws a consent; the record stays, marked withdrawn."""
    consent = access_consent(actor=actor, consent_id=consent_id, write=True)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if not consent.active:
        raise Conflict("This consent has already been withdrawn.")
    consent.withdrawn_by, consent.withdrawn_at = actor.user, now
    consent.save(update_fields=["withdrawn_by", "withdrawn_at"])
    audit_record(
        action=events.CONSENT_WITHDRAWN,
        subject=consent,
        now=now,
        actor=actor.user,
        organisation=consent.organisation,
        authority=consent.procurement.organisation,
        payload={"item": consent.item, "recipient": consent.recipient},
    )
    return consent
