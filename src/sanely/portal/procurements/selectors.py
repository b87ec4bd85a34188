"""
Reads for procurements, and the one place that decides who may see or change one.

Every authority role of the owning organisation reads a procurement; commissioners and
procurement leads change it. Anyone else is told it does not exist.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from sanely.documents.wording import uk_date as day_written
from sanely.portal.accounts.models import Membership, OrganisationKind, Role
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.models import AuditEvent
from sanely.portal.core.errors import Conflict, NotFound, PermissionDenied, validation_failed_from
from sanely.procedure import (
    CalendarRangeError,
    CircumstanceError,
    DeadlineError,
    Evaluation,
    Facts,
    Problem,
    ProcedureError,
    Refusal,
    Rulebook,
    RulebookError,
    UnknownRegionError,
    deadline_for,
    design_change_refusal,
    evaluate,
    load_pinned,
    validate_design,
)

from . import events
from .design import SECTIONS, section
from .engine import UK, facts_of, requests_close, rulebook_of, uk_date
from .models import Procurement

WRITE_ROLES = frozenset({Role.COMMISSIONER, Role.PROCUREMENT_LEAD})


def _authority_memberships(actor: Actor) -> list[Membership]:
    return [m for m in actor.memberships if m.organisation.kind == OrganisationKind.AUTHORITY]


def writable_authorities(actor: Actor) -> list[tuple[int, str]]:
    """The authorities in which the actor may start and change procurements."""
    return sorted(
        {
            (m.organisation_id, m.organisation.name)
            for m in _authority_memberships(actor)
            if m.role in WRITE_ROLES
        }
    )


def procurements_readable(actor: Actor) -> bool:
    return bool(_authority_memberships(actor))


def procurement_list_for(*, actor: Actor) -> QuerySet[Procurement]:
    readable = {m.organisation_id for m in _authority_memberships(actor)}
    return Procurement.objects.filter(organisation_id__in=readable).select_related("organisation")


def access_procurement(
    *, actor: Actor, procurement_id: int, write: bool = False
) -> tuple[Procurement, Membership]:
    """The procurement and the membership through which the actor reads or changes it."""
    procurement = procurement_list_for(actor=actor).filter(pk=procurement_id).first()
    if procurement is None:
        raise NotFound("No such procurement.")
    memberships = actor.in_organisation(procurement.organisation_id)
    if write:
        memberships = [m for m in memberships if m.role in WRITE_ROLES]
        if not memberships:
            raise PermissionDenied(
                "Only a commissioner or procurement lead of the authority can change this."
            )
    return procurement, memberships[0]


def may_change(actor: Actor, procurement: Procurement) -> bool:
    """Whether access_procurement(write=True) lets the actor change the procurement."""
    return any(m.role in WRITE_ROLES for m in actor.in_organisation(procurement.organisation_id))


@dataclass(frozen=True)
class NextDeadline:
    """The next statutory date: `passes_at` is the moment it is missed (UK time)."""

    passes_at: datetime
    what: str
    rule: str
    citation: str
    overdue: bool


@dataclass(frozen=True)
class WhatNext:
    """What happens next in one procurement, and the design's problems while drafting."""

    state_label: str
    evaluation: Evaluation
    deadline: NextDeadline | None
    design_problems: list[Problem]
    event_labels: dict[str, str]


def closed_refusal(procurement: Procurement) -> str | None:
    """
    Why a procurement in a final state of its rules (abandoned, ended, completed) takes nothing
    more from suppliers, or None: pages ask it before they offer a supplier anything to send.
    """
    state = rulebook_of(procurement).state(procurement.state)
    if state is not None and state.terminal:
        return (
            f"{procurement.reference} is closed ({state.label}): it accepts nothing more from"
            " suppliers, and nothing sent now would be considered."
        )
    return None


def not_closed(procurements: QuerySet[Procurement]) -> QuerySet[Procurement]:
    """`procurements` without those in a final state of their own rules (terminated, ended)."""
    closed = Q(pk__in=[])
    pinned = procurements.values_list("rulebook_id", "rulebook_effective_from", "rulebook_hash")
    for rulebook_id, effective_from, content_hash in pinned.distinct():
        rulebook = load_pinned(rulebook_id, effective_from, content_hash)
        final = [state.id for state in rulebook.states if state.terminal]
        closed |= Q(
            rulebook_id=rulebook_id, rulebook_effective_from=effective_from, state__in=final
        )
    return procurements.exclude(closed)


@dataclass(frozen=True)
class Closure:
    """How a procurement in a final state got there, as its public page tells it."""

    state_label: str
    on: str  # the day, as people write it
    reasons: list[str]  # as the authority recorded them, with the evidence it named


def closure(procurement: Procurement) -> Closure | None:
    """Why and when the procurement closed, from the action that closed it; None while open."""
    state = rulebook_of(procurement).state(procurement.state)
    if state is None or not state.terminal:
        return None
    closing = (
        AuditEvent.objects.filter(
            subject_type=Procurement._meta.label_lower,
            subject_id=str(procurement.pk),
            action__startswith=events.PROCUREMENT_ACTION_PREFIX,
            payload__to=procurement.state,
        )
        .order_by("-pk")
        .first()
    )
    if closing is None:  # closed outside the lifecycle (data made directly): no reason known
        return Closure(state.label, day_written(uk_date(procurement.updated_at)), [])
    payload = closing.payload
    given = payload.get("facts", {}).get("justification", "")
    reasons = [r for r in dict.fromkeys([given, *payload.get("justified", {}).values()]) if r]
    if payload.get("evidence"):
        reasons.append(f"Evidence: {payload['evidence']}")
    return Closure(state.label, day_written(uk_date(closing.at)), reasons)


def ensure_not_closed(procurement: Procurement) -> None:
    """
    Refuse what a supplier sends to a closed procurement: a state that closed closes
    submissions, uploads, questions and interest.
    """
    why = closed_refusal(procurement)
    if why is not None:
        raise Conflict(why)


def published_state(rulebook: Rulebook) -> str:
    """The state the notice's publication leads to: requests to participate are open in it."""
    return next(e.target for e in rulebook.events if e.id == rulebook.design_event)


def _next_deadline(
    rulebook: Rulebook, procurement: Procurement, evaluation: Evaluation, now: datetime
) -> NextDeadline | None:
    closes = requests_close(section(procurement.design, "timeline").requests_deadline)
    if closes is not None and procurement.state == published_state(rulebook):
        rule = rulebook.periods["requests_to_participate"].rule
        what = "Requests to participate close"
        return NextDeadline(closes, what, rule, rulebook.rule(rule).citation, closes <= now)
    due = evaluation.next_due
    if due is None:
        return None
    # A duty due on a day is met until that day ends where the authority is.
    passes_at = datetime.combine(due.date + timedelta(days=1), time(0), tzinfo=UK)
    return NextDeadline(passes_at, due.what, due.rule, due.citation, due.overdue)


def fixed_sections(*, procurement: Procurement) -> dict[str, Refusal]:
    """
    The design sections the notice or documents fixed, each with the refusal an edit meets:
    the rule and citation that fixed it and the lawful route to change it.
    """
    rulebook, facts = rulebook_of(procurement), Facts(state=procurement.state)
    refusals = {name: design_change_refusal(rulebook, facts, name) for name in SECTIONS}
    return {name: refusal for name, refusal in refusals.items() if refusal is not None}


def what_next(*, procurement: Procurement, now: datetime) -> WhatNext:
    rulebook = rulebook_of(procurement)
    facts = facts_of(procurement)
    evaluation = evaluate(rulebook, facts, now)
    drafting = procurement.state == rulebook.initial_state
    state = rulebook.state(procurement.state)
    return WhatNext(
        state_label=state.label if state else procurement.state,
        evaluation=evaluation,
        deadline=_next_deadline(rulebook, procurement, evaluation, now),
        design_problems=validate_design(rulebook, facts, now) if drafting else [],
        event_labels={e.id: e.label for e in rulebook.events},
    )


# Which question of the calculator a refusal of the engine is about.
_ERROR_FIELDS: tuple[tuple[type[ProcedureError], str], ...] = (
    (CircumstanceError, "circumstances"),
    (UnknownRegionError, "nation"),
    (CalendarRangeError, "from"),
    (RulebookError, "regime"),
    (DeadlineError, "kind"),
)


def deadline_answer(
    *, kind: str, regime: str, start: date, nation: str | None, circumstances: Sequence[str] = ()
) -> dict[str, Any]:
    """
    The calculator's answer; a question it cannot answer names the field to change.
    `circumstances` choose the row of a statutory table (PA 2023 s.54), named in the answer.
    """
    try:
        deadline = deadline_for(kind, regime, start, nation or None, circumstances)
    except ProcedureError as error:
        field = next((name for kind_, name in _ERROR_FIELDS if isinstance(error, kind_)), "kind")
        message = str(error)
        raise validation_failed_from({field: [message[:1].upper() + message[1:] + "."]}) from None
    return {
        "kind": kind,
        "regime": regime,
        "start": start,
        "nation": nation,
        "circumstances": sorted(circumstances),
        **deadline.__dict__,
    }
