"""
Writes for negotiation: meetings, clarifications, document revisions, consents to disclose
and staged reduction.

Each step of the procedure goes through the engine of the procurement's rulebook
(`procurement_act`): negotiating in the final-tender round and touching the minimum
requirements or award criteria are refused there. A WARN rule is asked afresh at every step,
so a justification recorded for an earlier meeting or revision never answers a later one.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.errors import (
    Conflict,
    PermissionDenied,
    RuleRefused,
    validation_failed_from,
)
from sanely.portal.evaluation.ranking import price_quality
from sanely.portal.procurements.design import ActionIn, section
from sanely.portal.procurements.engine import facts_of, rulebook_of
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.services import (
    procurement_act,
    require_justification,
    sentence,
)
from sanely.portal.tenders.models import Standing, SubmissionRound
from sanely.portal.tenders.selectors import is_tendering, tenderers
from sanely.portal.tenders.services import (
    letter_send,
    participant_set,
    submission_round_extend,
    text_receipt,
    vault_time,
)
from sanely.procedure import (
    Breakdown,
    Rule,
    Rulebook,
    ScoringError,
    evaluate,
    rank,
    staged_reduction,
)

from . import events
from .models import Audience, Clarification, Consent, DocumentRevision, Meeting, Reduction
from .selectors import (
    access_clarification,
    access_consent,
    access_negotiation,
    access_tenderer,
    open_tender_round,
    opened_tender_rounds,
)

CHANGES = ("minimum_requirements", "award_criteria", "other")
LONG_TEXT = 10000


def _lines(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip()]


def engine_step(
    *,
    actor: Actor,
    procurement: Procurement,
    event: str,
    proposed_changes: Sequence[str] = (),
    justification: str,
    evidence: str,
    now: datetime,
) -> None:
    """
    Apply one lifecycle event through the engine. Its WARN rules need a justification every
    time, even when one was recorded for an earlier step of the same kind.
    """
    rulebook = rulebook_of(procurement)
    facts = facts_of(procurement, proposed_changes=frozenset(proposed_changes), justifications={})
    warnings = [w for w in evaluate(rulebook, facts, now).warnings if w.event == event]
    require_justification(warnings, justification)
    procurement_act(
        actor=actor,
        procurement_id=procurement.pk,
        event=event,
        action=ActionIn.model_validate(
            {
                "proposed_changes": list(proposed_changes),
                "justification": justification.strip(),
                "evidence": evidence[:5000],
            }
        ),
        now=now,
    )


def _changes_problems(changes: list[str]) -> list[str]:
    unknown = [c for c in changes if c not in CHANGES]
    if unknown:
        return [f"Name what would change with {', '.join(CHANGES)}; not {', '.join(unknown)}."]
    return []


def _attendee_problems(attendees: list[str]) -> list[str]:
    if not attendees:
        return ["List who attended, one per line, as 'name, organisation, role'."]
    odd = [a for a in attendees if len([p for p in a.split(",") if p.strip()]) < 3]
    if odd:
        return [f"Write {odd[0]!r} as 'name, organisation, role'."]
    return []


def _meeting_problems(
    procurement: Procurement,
    *,
    round_id: int,
    organisation_id: int,
    held_at: datetime,
    attendees: list[str],
    minutes: str,
    proposed_changes: list[str],
    now: datetime,
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not opened_tender_rounds(procurement).filter(pk=round_id).exists():
        problems["round_id"] = [
            "Choose a tender round of this procurement whose tenders have been opened."
        ]
    if organisation_id not in {o.pk for o in tenderers(procurement)}:
        problems["organisation_id"] = ["Choose a tenderer still in the competition."]
    if held_at.tzinfo is None or held_at > now:
        problems["held_at"] = ["Give when the meeting was held, with its time zone; not later."]
    if attendee_problems := _attendee_problems(attendees):
        problems["attendees"] = attendee_problems
    if not minutes.strip():
        problems["minutes"] = ["Write the minutes: what was discussed and agreed."]
    if changes_problems := _changes_problems(proposed_changes):
        problems["proposed_changes"] = changes_problems
    return problems


@transaction.atomic
def meeting_record(
    *,
    actor: Actor,
    procurement_id: int,
    round_id: int,
    organisation_id: int,
    held_at: datetime,
    attendees: list[str],
    minutes: str,
    information_given: list[str] | None = None,
    proposed_changes: list[str] | None = None,
    justification: str = "",
    now: datetime,
) -> Meeting:
    """
    A commissioner or procurement lead records a negotiation meeting with one tenderer about
    its opened tender: the engine's `negotiate` step, refused in the final-tender round and for
    any proposal touching the minimum requirements or award criteria.
    """
    procurement, membership = access_negotiation(
        actor=actor, procurement_id=procurement_id, write=True
    )
    attendees, information = _lines(attendees), _lines(information_given or [])
    changes = list(dict.fromkeys(proposed_changes or []))
    problems = _meeting_problems(
        procurement, round_id=round_id, organisation_id=organisation_id, held_at=held_at,
        attendees=attendees, minutes=minutes, proposed_changes=changes, now=now,
    )  # fmt: skip
    if problems:
        raise validation_failed_from(problems)
    engine_step(
        actor=actor, procurement=procurement, event="negotiate", proposed_changes=changes,
        justification=justification, evidence=f"Meeting with tenderer {organisation_id}", now=now,
    )  # fmt: skip
    meeting = Meeting.objects.create(
        procurement=procurement,
        round=SubmissionRound.objects.get(pk=round_id),
        organisation=Organisation.objects.get(pk=organisation_id),
        held_at=held_at,
        attendees=attendees,
        minutes=minutes.strip(),
        information_given=information,
        proposed_changes=changes,
        justification=justification.strip(),
        recorded_by=actor.user,
        recorded_at=now,
    )
    audit_record(
        action=events.MEETING_RECORDED,
        subject=meeting,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={
            "round": meeting.round.ref,
            "tenderer": organisation_id,
            "held_at": held_at.isoformat(),
            "attendees": attendees,
            "information_given": information,
            "proposed_changes": changes,
        },
    )
    return meeting


@transaction.atomic
def question_ask(
    *, actor: Actor, procurement_id: int, organisation_id: int, question: str, now: datetime
) -> Clarification:
    """A tenderer asks a clarification question; nobody but the authority and it sees it."""
    procurement, organisation = access_tenderer(
        actor=actor, procurement_id=procurement_id, organisation_id=organisation_id
    )
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
        procurement=procurement, organisation=organisation,
        ref=f"question-{clarification.pk}", file_name="clarification-question.txt",
        text=clarification.question, received_at=now,
    )  # fmt: skip
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


def _answer_letter(clarification: Clarification, question: str) -> tuple[str, str]:
    subject = "Answer to a clarification question"
    body = f"Question: {question}\n\nAnswer: {clarification.answer}\n\n" + (
        "This answer was sent to every tenderer still in the competition."
        if clarification.audience == Audience.ALL
        else "This answer concerns your tender alone and was sent only to you."
    )
    return subject, body


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
    subject, body = _answer_letter(clarification, shown)
    for recipient in recipients:
        letter_send(
            actor=actor, procurement=procurement, recipient=recipient, kind="clarification",
            subject=subject, body=body,
            content={"clarification": clarification.pk, "audience": audience}, now=now,
        )  # fmt: skip
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


def _revision_problems(
    title: str, summary: str, affects: list[str], new_deadline: datetime | None
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not title.strip() or len(title) > 200:
        problems["title"] = ["Give the revision a title of 1 to 200 characters."]
    if not summary.strip():
        problems["summary"] = ["Summarise what changed; every remaining tenderer reads it."]
    if changes_problems := _changes_problems(affects):
        problems["affects"] = changes_problems
    if new_deadline is not None and new_deadline.tzinfo is None:
        problems["new_deadline"] = ["Give the new deadline with its time zone."]
    return problems


def _extension_justification(
    submission_round: SubmissionRound, new_deadline: datetime, reason: str
) -> str:
    return (
        f"The deadline of {submission_round.label.lower()} was extended to"
        f" {vault_time(new_deadline)} in the same step. {reason}".strip()
    )


@transaction.atomic
def document_revision_record(
    *,
    actor: Actor,
    procurement_id: int,
    title: str,
    summary: str,
    affects: list[str] | None = None,
    justification: str = "",
    new_deadline: datetime | None = None,
    extension_reason: str = "",
    now: datetime,
) -> DocumentRevision:
    """
    A commissioner or procurement lead revises the procurement documents: the engine's
    `amend_documents` step, refused for the locked items. The deadline is reviewed every time:
    either a justification says why the remaining time is enough, or the open tender round's
    deadline is extended in the same step. Every remaining tenderer gets a letter.
    """
    procurement, membership = access_negotiation(
        actor=actor, procurement_id=procurement_id, write=True
    )
    changes = list(dict.fromkeys(affects or ["other"]))
    if problems := _revision_problems(title, summary, changes, new_deadline):
        raise validation_failed_from(problems)
    recipients = tenderers(procurement)
    if not recipients:
        raise Conflict("No tenderer is still in the competition to send the revision to.")
    submission_round = open_tender_round(procurement, now)
    if new_deadline is not None and submission_round is None:
        raise validation_failed_from(
            {
                "new_deadline": [
                    "No tender round is open for submissions now, so there is no deadline to"
                    " extend: leave the new deadline empty and record why the remaining time"
                    " is enough instead."
                ]
            }
        )
    reason = extension_reason.strip() or f"The procurement documents were revised: {title.strip()}."
    review = justification.strip()
    if new_deadline is not None and submission_round is not None:
        review = review or _extension_justification(submission_round, new_deadline, reason)
    engine_step(
        actor=actor, procurement=procurement, event="amend_documents", proposed_changes=changes,
        justification=review, evidence=title.strip(), now=now,
    )  # fmt: skip
    extension = None
    if new_deadline is not None and submission_round is not None:
        extension = submission_round_extend(
            actor=actor, round_id=submission_round.pk, new_deadline=new_deadline, reason=reason,
            now=now,
        )  # fmt: skip
    revision = DocumentRevision.objects.create(
        procurement=procurement, title=title.strip(), summary=summary.strip(), affects=changes,
        justification=review, extension=extension, recorded_by=actor.user, recorded_at=now,
    )  # fmt: skip
    revision.recipients.set(recipients)
    _revision_letters(actor, revision, recipients, now)
    audit_record(
        action=events.DOCUMENTS_REVISED,
        subject=revision,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={
            "title": revision.title,
            "affects": changes,
            "justification": review,
            "deadline_extended_to": extension.new_deadline.isoformat() if extension else None,
            "recipients": [o.pk for o in recipients],
        },
    )
    return revision


def _revision_letters(
    actor: Actor, revision: DocumentRevision, recipients: list[Organisation], now: datetime
) -> None:
    deadline = (
        f"The deadline is extended to {vault_time(revision.extension.new_deadline)}."
        if revision.extension
        else f"The deadline is unchanged: {revision.justification}"
    )
    body = f"The procurement documents have changed.\n\n{revision.summary}\n\n{deadline}"
    for recipient in recipients:
        letter_send(
            actor=actor, procurement=revision.procurement, recipient=recipient,
            kind="document_revision", subject=f"Documents revised: {revision.title}"[:200],
            body=body, content={"revision": revision.pk}, now=now,
        )  # fmt: skip


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
        procurement=procurement, organisation=organisation, item=item.strip(),
        recipient=recipient.strip(), purpose=purpose.strip(), given_by=actor.user, given_at=now,
    )  # fmt: skip
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


@dataclass(frozen=True)
class TenderScore:
    """
    One tenderer's marks on the published award criteria and its price: `scores` maps each
    quality or social-value criterion to its sub-criteria's scores ("" for a criterion
    without sub-criteria), on the published scale.
    """

    scores: Mapping[str, Mapping[str, Decimal]]
    price: Decimal | None = None


def _rounds_and_rules_rule(rulebook: Rulebook) -> Rule:
    """The rule that keeps rounds, down-selection and negotiation to what was announced."""
    return next(
        r
        for r in rulebook.rules
        if any(c.event == "negotiate" and c.guard == "round_not_final" for c in r.checks)
    )


def _reduction_allowed(
    actor: Actor, procurement: Procurement, justification: str, now: datetime
) -> None:
    """
    The engine decides where the rulebook has a `reduce_tenders` step. Where it has none (the
    Procurement Act 2023), a reduction is refused unless the procurement announced it.
    """
    rulebook = rulebook_of(procurement)
    if rulebook.event("reduce_tenders") is not None:
        engine_step(
            actor=actor, procurement=procurement, event="reduce_tenders",
            justification=justification, evidence="Staged reduction by the award criteria",
            now=now,
        )  # fmt: skip
        return
    if not section(procurement.design, "award").staged_reduction_announced:
        rule = _rounds_and_rules_rule(rulebook)
        raise RuleRefused(
            "The tender notice and documents did not announce a staged reduction, so the number"
            f" of tenderers cannot be reduced ({rule.citation}: {sentence(rule.summary)}) To"
            " fix: continue negotiating with every remaining tenderer.",
            rule=rule.id,
            citation=rule.citation,
        )
    negotiating = rulebook.event("negotiate")
    if negotiating is None or not rulebook.leaves(negotiating, procurement.state):
        raise Conflict(
            f"The procurement is {procurement.state}: tenders are reduced only while tendering."
        )


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
    _reduction_allowed(actor, procurement, justification, now)
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
        procurement=procurement, round=submission_round, keep=keep,
        scores=_stored_scores(scores), ranking=_ranking(remaining, computed, kept),
        kept=[int(k) for k in kept], reasons=reasons, justification=justification.strip(),
        decided_by=actor.user, decided_at=now,
    )  # fmt: skip
    audit_record(
        action=events.TENDERS_REDUCED,
        subject=reduction,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={"round": submission_round.ref, "keep": keep, "kept": reduction.kept,
                 "reasons": reasons},
    )  # fmt: skip
    return reduction


def _leave(
    actor: Actor, procurement: Procurement, organisation: Organisation, reason: str, now: datetime
) -> None:
    """A tenderer left out at a stage: its standing, and the letter that tells it why."""
    participant_set(
        actor=actor, procurement=procurement, organisation=organisation,
        standing=Standing.REDUCED, reason=reason, now=now,
    )  # fmt: skip
    letter_send(
        actor=actor, procurement=procurement, recipient=organisation, kind="staged_reduction",
        subject="You are not invited to continue negotiating",
        body=(
            f"The tenders were scored against the published award criteria, as the procurement"
            f" documents announced, and the number of tenderers reduced.\n\n{reason}\n\nThank"
            " you for taking part."
        ),
        content={"reason": reason}, now=now,
    )  # fmt: skip
