"""Questions from tenderers, and answers to all or to the asker."""

from datetime import datetime

from django.db import transaction

from sanely.documents.letters import clarification as answer_letter
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.competition.selectors import is_tendering, tenderers
from sanely.portal.competition.services import letter_send
from sanely.portal.core.errors import Conflict, PermissionDenied, validation_failed_from
from sanely.portal.procurements.selectors import ensure_not_closed
from sanely.portal.tenders.services import text_receipt

from .. import events
from ..models import Audience, Clarification
from ..selectors import access_clarification, access_tenderer
from .steps import LONG_TEXT


@transaction.atomic
def question_ask(
    *, actor: Actor, procurement_id: int, organisation_id: int, question: str, now: datetime
) -> Clarification:
    """A tenderer asks a clarification question; nobody but the authority and it sees it."""
    procurement, organisation = access_tenderer(
        actor=actor, procurement_id=procurement_id, organisation_id=organisation_id
    )
    ensure_not_closed(procurement)
    if not is_tendering(procurement, organisation):
        raise PermissionDenied(
            f"{organisation.name} is no longer tendering in this procurement, so it cannot ask"
            " clarification questions."
        )
    if not question.strip() or len(question) > LONG_TEXT:
        raise validation_failed_from(
            {"question": [f"Write your question, in at most {LONG_TEXT} characters."]}
        )
    clarification = Clarification.objects.create(
        procurement=procurement,
        organisation=organisation,
        question=question.strip(),
        asked_by=actor.user,
        asked_at=now,
    )
    clarification.receipt = text_receipt(
        procurement=procurement,
        organisation=organisation,
        ref=f"question-{clarification.pk}",
        file_name="clarification-question.txt",
        text=clarification.question,
        received_at=now,
    )
    clarification.save(update_fields=["receipt"])
    audit_record(
        action=events.QUESTION_ASKED,
        subject=clarification,
        now=now,
        actor=actor.user,
        organisation=organisation,
        authority=procurement.organisation,
        payload={"procurement": procurement.reference},
    )
    return clarification


def _answer_problems(
    audience: str, answer: str, justification: str, published_question: str
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if audience not in Audience.values:
        problems["audience"] = [
            "Choose 'all' (every remaining tenderer) or 'tenderer' (only the one who asked)."
        ]
    if not answer.strip():
        problems["answer"] = ["Write the answer."]
    if audience == Audience.TENDERER and not justification.strip():
        problems["justification"] = [
            "Say why this answer goes only to the tenderer who asked (for example, it concerns"
            " its own tender alone); otherwise answer every remaining tenderer."
        ]
    if audience == Audience.ALL and len(published_question) > LONG_TEXT:
        problems["published_question"] = [f"Keep it under {LONG_TEXT} characters."]
    return problems


@transaction.atomic
def clarification_answer(
    *,
    actor: Actor,
    clarification_id: int,
    audience: str,
    answer: str,
    published_question: str = "",
    justification: str = "",
    now: datetime,
) -> Clarification:
    """
    A commissioner or procurement lead answers a question: to every remaining tenderer with the
    question as published (the original if not reworded), or only to the asker with a
    justification. Each recipient gets a letter.
    """
    clarification = access_clarification(actor=actor, clarification_id=clarification_id, write=True)
    clarification = Clarification.objects.select_for_update().get(pk=clarification.pk)
    if clarification.answered:
        raise Conflict("This question has already been answered.")
    if problems := _answer_problems(audience, answer, justification, published_question):
        raise validation_failed_from(problems)
    procurement = clarification.procurement
    if audience == Audience.ALL:
        recipients = tenderers(procurement)
        if not recipients:
            raise Conflict("No tenderer is still in the competition to send the answer to.")
        clarification.published_question = published_question.strip() or clarification.question
        clarification.justification = ""
        shown = clarification.published_question
    else:
        recipients, shown = [clarification.organisation], clarification.question
        clarification.justification = justification.strip()
    clarification.audience, clarification.answer = audience, answer.strip()
    clarification.answered_by, clarification.answered_at = actor.user, now
    clarification.save()
    clarification.recipients.set(recipients)
    document = answer_letter.build(
        answer_letter.Answer(clarification.pk, audience, shown, clarification.answer)
    )
    for recipient in recipients:
        letter_send(
            actor=actor, procurement=procurement, recipient=recipient, document=document, now=now
        )
    audit_record(
        action=events.CLARIFICATION_ANSWERED,
        subject=clarification,
        now=now,
        actor=actor.user,
        organisation=procurement.organisation,
        payload={
            "audience": audience,
            "recipients": [o.pk for o in recipients],
            "reworded": clarification.published_question not in ("", clarification.question),
            "justification": clarification.justification,
        },
    )
    return clarification
