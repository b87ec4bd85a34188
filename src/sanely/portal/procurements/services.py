"""
Writes for procurements: starting one, changing its design, and every lifecycle action.

Every lifecycle action goes through the engine of the rulebook the procurement is pinned to:
`check` refuses it with the rule and citation, WARN rules need a recorded justification, and
only then does the state move and the dated fact the action creates get stored.
"""

import secrets
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any, cast

from django.db import transaction

from sanely.documents.wording import sentence
from sanely.portal.accounts.models import Membership, OrganisationKind
from sanely.portal.accounts.selectors import Actor, access_organisation
from sanely.portal.audit.services import audit_record
from sanely.portal.core.errors import (
    Conflict,
    JustificationRequired,
    NotFound,
    PermissionDenied,
    RuleRefused,
    validation_failed_from,
)
from sanely.procedure import (
    CIRCUMSTANCES,
    Effects,
    Facts,
    ProcedureError,
    Round,
    Rulebook,
    RuleWarning,
    action_facts,
    decide,
    design_change_refusal,
    missing_requirements,
    next_due,
    next_state,
    rulebook_for,
)

from . import events, signals
from .actions import Action
from .design import PhasesSection, as_published, parse_sections, section
from .engine import UK, facts_of, rulebook_of, uk_date
from .models import Procurement
from .selectors import WRITE_ROLES, access_procurement


def _for_change(actor: Actor, procurement_id: int) -> tuple[Procurement, Membership]:
    """The procurement the actor may change, locked until the transaction ends."""
    procurement, membership = access_procurement(
        actor=actor, procurement_id=procurement_id, write=True
    )
    return Procurement.objects.select_for_update().get(pk=procurement.pk), membership


def require_justification(warnings: Sequence[RuleWarning], justification: str) -> None:
    """Refuse an action until a justification is given for the WARN rules it raises."""
    if warnings and not justification.strip():
        raise JustificationRequired(
            "Record a justification first: "
            + " ".join(f"{sentence(w.message)} ({w.citation})" for w in warnings),
            rule=warnings[0].rule,
            citation=warnings[0].citation,
            detail={
                "justification": [f"{w.citation}: {sentence(w.justification)}" for w in warnings]
            },
        )


def _next_check_at(rulebook: Rulebook, procurement: Procurement, now: datetime) -> datetime | None:
    due = next_due(rulebook, facts_of(procurement), now)
    return datetime.combine(due.date, time(0), tzinfo=UK) if due else None


@transaction.atomic
def procurement_create(
    *,
    actor: Actor,
    organisation_id: int,
    title: str,
    commenced_on: date | None = None,
    reference: str = "",
    now: datetime,
) -> Procurement:
    """
    A new procurement in drafting, pinned to the rulebook of the authority's nation on the
    commencement date (today, UK time, unless given).
    """
    organisation, _ = access_organisation(actor=actor, organisation_id=organisation_id)
    if organisation.kind != OrganisationKind.AUTHORITY:
        raise NotFound("No such organisation.")
    if not any(m.role in WRITE_ROLES for m in actor.in_organisation(organisation_id)):
        raise PermissionDenied("Only a commissioner or procurement lead can start a procurement.")
    problems: dict[str, list[str]] = {}
    if not title.strip():
        problems["title"] = ["Enter a title."]
    if not organisation.nation:
        problems["organisation_id"] = [
            "The authority has no nation, so no regime applies: a procurement lead sets it."
        ]
    if problems:
        raise validation_failed_from(problems)
    commenced_on = commenced_on or uk_date(now)
    try:
        rulebook = rulebook_for(organisation.nation, commenced_on)
    except ProcedureError as error:
        raise validation_failed_from({"commenced_on": [sentence(str(error))]}) from None
    procurement = Procurement.objects.create(
        organisation=organisation,
        reference=reference or f"IP-{commenced_on:%Y}-{secrets.token_hex(3).upper()}",
        title=title.strip(),
        nation=organisation.nation,
        commenced_on=commenced_on,
        rulebook_id=rulebook.id,
        rulebook_effective_from=rulebook.effective_from,
        rulebook_hash=rulebook.content_hash,
        state=rulebook.initial_state,
        created_by=actor.user,
        created_at=now,
        updated_at=now,
    )
    audit_record(
        action=events.PROCUREMENT_CREATED,
        subject=procurement,
        now=now,
        actor=actor.user,
        organisation=organisation,
        payload={
            "reference": procurement.reference,
            "title": procurement.title,
            "rulebook": [rulebook.id, str(rulebook.effective_from), rulebook.content_hash],
        },
    )
    return procurement


@transaction.atomic
def procurement_design_update(
    *, actor: Actor, procurement_id: int, sections: dict[str, Any], now: datetime
) -> Procurement:
    """
    Replace the given design sections. Every problem of every section is reported at once and
    nothing is stored unless all are valid; sections fixed at publication are refused after it.
    """
    procurement, membership = _for_change(actor, procurement_id)
    parsed = parse_sections(sections)
    if "phases" in parsed:
        parsed["phases"] = cast(PhasesSection, parsed["phases"]).with_keys()
    rulebook = rulebook_of(procurement)
    state = rulebook.state(procurement.state)
    if state is None or state.terminal:
        raise Conflict(f"The procurement is {procurement.state}; its design can no longer change.")
    stored = {name: value.model_dump(mode="json") for name, value in parsed.items()}
    changed = sorted(
        name for name, value in stored.items() if procurement.design.get(name) != value
    )
    if problems := _circumstance_problems(rulebook, parsed.get("timeline")):
        raise validation_failed_from(problems)
    _refuse_fixed_changes(rulebook, procurement, {name: stored[name] for name in changed})
    procurement.design = {**procurement.design, **stored}
    procurement.updated_at = now
    procurement.next_check_at = _next_check_at(rulebook, procurement, now)
    procurement.save()
    audit_record(
        action=events.PROCUREMENT_DESIGN_CHANGED,
        subject=procurement,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={"sections": {name: stored[name] for name in changed}},
    )
    return procurement


def _circumstance_problems(rulebook: Rulebook, timeline: Any) -> dict[str, list[str]]:
    """Circumstances claimed that no table of minimum periods of the regime depends on."""
    claimed = set(timeline.circumstances) if timeline is not None else set()
    strays = sorted(claimed - rulebook.circumstances)
    if not strays:
        return {}
    named = "; ".join(CIRCUMSTANCES[name] for name in strays)
    return {
        "timeline.circumstances": [
            f"{rulebook.regime} sets no minimum period that depends on these: {named}. Leave"
            " them out."
        ]
    }


def _refuse_fixed_changes(
    rulebook: Rulebook, procurement: Procurement, changed: dict[str, Any]
) -> None:
    """
    Refuse a change, after publication, to what the notice and documents fixed: each changed
    field of a locked section is named with the rule that fixed it and the lawful route.
    """
    problems: dict[str, list[str]] = {}
    refusals = []
    for name, new in changed.items():
        refusal = design_change_refusal(rulebook, Facts(state=procurement.state), name)
        if refusal is None:
            continue
        before = as_published(name, section(procurement.design, name).model_dump(mode="json"))
        after = as_published(name, new)
        fields = [field for field in after if after[field] != before.get(field)]
        for field in fields:
            problems[f"{name}.{field}"] = [
                f"Fixed when the notice was published ({refusal.citation}): {refusal.fix}."
            ]
        if fields:
            refusals.append(refusal)
    if refusals:
        first = refusals[0]
        raise RuleRefused(
            f"{sentence(first.message)} To change them: {sentence(first.fix)}",
            rule=first.rule,
            citation=first.citation,
            detail=problems,
        )


def _stored_value(value: Any) -> Any:
    """
    A fact as the procurement row keeps it. A round is kept as it was opened; whether it is
    closed depends on the time, so the tenders app says so each time it opens a round.
    """
    if isinstance(value, tuple) and all(isinstance(r, Round) for r in value):
        return [
            {
                "number": r.number,
                "final": r.final,
                "invited_on": r.invited_on and r.invited_on.isoformat(),
                "deadline": r.deadline and r.deadline.isoformat(),
            }
            for r in value
        ]
    if isinstance(value, frozenset):
        return sorted(value)
    return value


def store_facts(procurement: Procurement, facts: Mapping[str, Any]) -> None:
    """Write the facts an event stores (its rulebook's `sets` and `after`) onto the row."""
    for name, value in facts.items():
        setattr(procurement, name, _stored_value(value))


def _requirement_problems(effects: Effects, action: Action, facts: Facts) -> dict[str, list[str]]:
    """Each action field the event requires and is missing, worded for the person acting."""
    return {
        name: [f"Enter the number of {name}" + (f" who remain: {need}." if need else ".")]
        for name, need in missing_requirements(effects, action.values(), facts).items()
    }


@transaction.atomic
def procurement_act(
    *,
    actor: Actor,
    procurement_id: int,
    event: str,
    action: Action,
    now: datetime,
    ask_every_time: bool = False,
) -> Procurement:
    """
    Apply one lifecycle event: refused with the rule and citation when the engine refuses it,
    or when a WARN rule has no justification; otherwise the state moves, the facts the event
    creates are stored, and the audit event names every rule applied. With `ask_every_time`,
    a WARN rule asks again even if an earlier step recorded a justification for it (a
    judgement made afresh for each round or revision).
    """
    procurement, membership = _for_change(actor, procurement_id)
    rulebook = rulebook_of(procurement)
    if rulebook.event(event) is None:
        known = ", ".join(e.id for e in rulebook.events)
        raise validation_failed_from(
            {"event": [f"{rulebook.title} has no action {event!r}: use one of {known}."]}
        )
    effects = rulebook.event(event).effects  # type: ignore[union-attr]  # checked above
    given: dict[str, Any] = action.known_facts()
    if ask_every_time:
        given["justifications"] = {}
    stored_facts = facts_of(procurement, **given)
    problems = _requirement_problems(effects, action, stored_facts)
    if problems:
        raise validation_failed_from(problems)
    created = action_facts(effects, action=action.values(), facts=stored_facts, today=uk_date(now))
    facts = facts_of(procurement, **{**given, **created.checked})
    decision = decide(rulebook, facts, event, now)
    if decision.refusal is not None:
        raise RuleRefused(
            f"{sentence(decision.refusal.message)} To fix: {decision.refusal.fix}.",
            rule=decision.refusal.rule,
            citation=decision.refusal.citation,
        )
    warnings = decision.warnings
    justification = action.justification.strip()
    require_justification(warnings, justification)
    previous = procurement.state
    procurement.state = next_state(rulebook, event)
    store_facts(procurement, created.stored)
    procurement.justifications = {
        **procurement.justifications,
        **{w.rule: justification for w in warnings},
    }
    if event == rulebook.design_event:
        procurement.published_at = now
    procurement.updated_at = now
    procurement.next_check_at = _next_check_at(rulebook, procurement, now)
    procurement.save()
    audit_record(
        action=events.PROCUREMENT_ACTION_PREFIX + event,
        subject=procurement,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={
            "from": previous,
            "to": procurement.state,
            "rulebook": procurement.rulebook_id,
            "rules": [r.id for r in rulebook.rules if any(c.event == event for c in r.checks)],
            "justified": {w.rule: justification for w in warnings},
            "evidence": action.evidence,
            "facts": action.as_recorded(),
        },
    )
    signals.procurement_acted.send(
        sender=Procurement, procurement=procurement, event=event, actor=actor, now=now
    )
    return procurement
