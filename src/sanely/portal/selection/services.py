"""
Writes for the selection: recording an assessor's marks of one candidate, and deciding the
shortlist, which moves every candidate's standing, applies the rulebook's `invite_to_tender`
and sends each candidate its invitation or regret letter, all at once or not at all.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from sanely.documents.wording import number
from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.competition.models import Standing
from sanely.portal.competition.services import letter_send, participant_set
from sanely.portal.core.errors import Conflict, validation_failed_from
from sanely.portal.procurements.actions import Action
from sanely.portal.procurements.design import SelectionCriterion as PublishedCriterion
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.services import procurement_act
from sanely.procedure import Shortlist
from sanely.procedure import events as lifecycle

from . import events, letters
from .models import SelectionMark, ShortlistDecision
from .selectors import (
    Act,
    Board,
    access_candidate,
    access_selection,
    criteria,
    ensure_selecting,
    selection_board,
)

# The published criteria by name.
Published = dict[str, PublishedCriterion]


@dataclass(frozen=True)
class MarkEntry:
    """One mark as an assessor gives it: `passed` for pass/fail, `score` for scored."""

    criterion: str
    passed: bool | None = None
    score: Decimal | None = None
    reason: str = ""


def _entry_problems(
    entry: MarkEntry, published: Published, scale_max: int, candidate: Organisation
) -> dict[str, str]:
    """What is wrong with one mark, by field."""
    if not published:
        return {"criterion": "The design publishes no selection criteria: add them first."}
    criterion = published.get(entry.criterion)
    if criterion is None:
        names = ", ".join(published)
        return {
            "criterion": f"{entry.criterion!r} is not a published selection criterion: use one"
            f" of {names}."
        }
    problems: dict[str, str] = {}
    if not entry.reason.strip():
        problems["reason"] = f"Give the reason for {candidate.name}'s mark on {criterion.name}."
    if criterion.assessment == "pass_fail":
        if entry.passed is None:
            problems["passed"] = f"Say whether {candidate.name} passes {criterion.name}."
        if entry.score is not None:
            problems["score"] = f"{criterion.name} is pass or fail: leave the score empty."
        return problems
    if entry.passed is not None:
        problems["passed"] = f"{criterion.name} is scored: give a score, not pass or fail."
    if entry.score is None:
        problems["score"] = f"Score {criterion.name} from 0 to {scale_max}."
    elif not entry.score.is_finite() or not 0 <= entry.score <= scale_max:
        problems["score"] = (
            f"Score {criterion.name} from 0 to {scale_max}; {number(entry.score)} is outside"
            " the published scale."
        )
    elif entry.score.as_tuple().exponent < -2:  # type: ignore[operator]
        problems["score"] = f"Give the score for {criterion.name} with at most 2 decimals."
    return problems


def _checked(
    entries: list[MarkEntry], published: Published, scale_max: int, candidate: Organisation
) -> None:
    problems: dict[str, list[str]] = {}
    if not entries:
        problems["marks"] = ["Give at least one mark."]
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        for name, message in _entry_problems(entry, published, scale_max, candidate).items():
            problems[f"marks.{index}.{name}"] = [message]
        if entry.criterion in seen:
            problems[f"marks.{index}.criterion"] = [f"{entry.criterion} is marked twice."]
        seen.add(entry.criterion)
    if problems:
        raise validation_failed_from(problems)


def _values(mark: SelectionMark | None) -> dict[str, Any] | None:
    if mark is None:
        return None
    score = None if mark.score is None else number(mark.score)
    return {"passed": mark.passed, "score": score, "reason": mark.reason}


@transaction.atomic
def selection_marks_record(
    *,
    actor: Actor,
    procurement_id: int,
    candidate_id: int,
    marks: list[MarkEntry],
    now: datetime,
) -> list[SelectionMark]:
    """
    An assessor records (or changes) a candidate's marks against published criteria, each with
    its reason. Allowed once the requests to participate are opened and while the procurement
    is in selection, until the shortlist is decided. Every change is audited, old and new.
    """
    procurement, membership = access_selection(
        actor=actor, procurement_id=procurement_id, act=Act.MARK
    )
    procurement = Procurement.objects.select_for_update().get(pk=procurement.pk)
    ensure_selecting(procurement)
    candidate = access_candidate(procurement=procurement, organisation_id=candidate_id)
    published, scale_max = criteria(procurement)
    _checked(marks, {c.name: c for c in published}, scale_max, candidate)
    return [_store(actor, membership.organisation, procurement, candidate, e, now) for e in marks]


def _store(
    actor: Actor,
    authority: Organisation,
    procurement: Procurement,
    candidate: Organisation,
    entry: MarkEntry,
    now: datetime,
) -> SelectionMark:
    mark = SelectionMark.objects.filter(
        procurement=procurement, candidate=candidate, criterion=entry.criterion
    ).first()
    before = _values(mark)
    if mark is None:
        mark = SelectionMark(
            procurement=procurement, candidate=candidate, criterion=entry.criterion
        )
    mark.passed, mark.score, mark.reason = entry.passed, entry.score, entry.reason.strip()
    after = _values(mark)
    if before == after:
        return mark  # unchanged: nothing to record
    mark.assessor, mark.recorded_at = actor.user, now
    mark.save()
    audit_record(
        action=events.MARK_RECORDED,
        subject=mark,
        now=now,
        actor=actor.user,
        organisation=authority,
        payload={
            "candidate": candidate.pk,
            "criterion": entry.criterion,
            "old": before,
            "new": after,
        },
    )
    return mark


@transaction.atomic
def shortlist_decide(
    *, actor: Actor, procurement_id: int, justification: str = "", now: datetime
) -> ShortlistDecision:
    """
    A commissioner or procurement lead decides the proposed shortlist once every candidate has
    every mark: the engine's `invite_to_tender` rules decide whether it stands (their refusal,
    or their request for a justification, reaches the caller unchanged); then every candidate's
    standing moves and each is sent its invitation or regret letter. A refusal stores nothing.
    """
    procurement, membership = access_selection(
        actor=actor, procurement_id=procurement_id, act=Act.DECIDE
    )
    procurement = Procurement.objects.select_for_update().get(pk=procurement.pk)
    ensure_selecting(procurement)
    board = selection_board(procurement=procurement)
    proposed = _decidable(board)
    procurement_act(
        actor=actor,
        procurement_id=procurement.pk,
        event=lifecycle.INVITE_TO_TENDER,
        action=Action(
            qualified=tuple(r.candidate for r in board.results.values() if r.qualifies),
            invited=tuple(proposed.invited),
            justification=justification,
            evidence=board.reason,
        ),
        now=now,
    )
    decision = ShortlistDecision.objects.create(
        procurement=procurement,
        decided_by=actor.user,
        decided_at=now,
        reason=board.reason,
        justification=justification.strip(),
        invited=[int(key) for key in proposed.invited],
        not_invited={
            str(c.pk): board.outcome(c)["reason"]
            for c in board.candidates
            if str(c.pk) not in proposed.invited
        },
    )
    audit_record(
        action=events.SHORTLIST_DECIDED,
        subject=decision,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={
            "invited": decision.invited,
            "not_invited": decision.not_invited,
            "reason": decision.reason,
            "justification": decision.justification,
        },
    )
    _tell_candidates(actor, board, now)
    return decision


def _decidable(board: Board) -> Shortlist:
    """The proposed shortlist, or why it cannot be decided yet."""
    if not board.candidates:
        raise Conflict("Nobody submitted a request to participate: there is no shortlist.")
    if board.problem:
        raise Conflict(board.problem)
    if board.missing or board.proposed is None:
        raise Conflict(
            f"{board.missing_sentence} Record them before deciding the shortlist.",
            detail={"marks": [str(m) for m in board.missing]},
        )
    return board.proposed


def _tell_candidates(actor: Actor, board: Board, now: datetime) -> None:
    """Each candidate's standing, and its invitation or regret letter with the reasons."""
    for candidate in board.candidates:
        facts = letters.shortlisted(board, candidate)
        participant_set(
            actor=actor,
            procurement=board.procurement,
            organisation=candidate,
            standing=Standing.INVITED if facts.invited else Standing.NOT_SELECTED,
            reason=letters.standing_reason(facts),
            now=now,
        )
        document = letters.letter(facts)
        letter_send(
            actor=actor,
            procurement=board.procurement,
            recipient=candidate,
            document=document,
            now=now,
        )
