"""
Reads for the selection, and the one place that decides who may see or do what in it:

* every person of the procurement's authority reads the marks, the proposed shortlist and the
  decision (auditors and finance officers included);
* evaluators, procurement leads and commissioners mark candidates;
* only commissioners and procurement leads decide the shortlist;
* anyone else, candidates included, is told the procurement does not exist. Candidates learn
  their outcome from the letter they are sent.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Any

from django.db.models import QuerySet

from sanely.documents.wording import number, plural, sentence
from sanely.portal.accounts.models import Membership, Organisation, Role
from sanely.portal.accounts.selectors import Actor
from sanely.portal.core.errors import Conflict, NotFound, PermissionDenied
from sanely.portal.procurements.design import SelectionCriterion as PublishedCriterion
from sanely.portal.procurements.design import section
from sanely.portal.procurements.engine import UK, rulebook_of
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.selectors import WRITE_ROLES, access_procurement
from sanely.portal.tenders.models import RoundKind, SubmissionRound
from sanely.portal.tenders.selectors import candidates, sealed_requests
from sanely.procedure import (
    CandidateResult,
    Ranked,
    Rulebook,
    ScoringError,
    SelectionCriterion,
    Shortlist,
    assess_candidate,
    rank,
    shortlist,
)
from sanely.procedure import events as lifecycle

from .models import SelectionMark, ShortlistDecision

MARK_ROLES = frozenset({Role.COMMISSIONER, Role.PROCUREMENT_LEAD, Role.EVALUATOR})
DEFAULT_MINIMUM = 3  # PCR 2015 reg. 65(2): at least three candidates, where enough qualify


class Act(StrEnum):
    READ = "read"
    MARK = "mark"
    DECIDE = "decide"


_REFUSED = {
    Act.MARK: (
        "Only the authority's evaluators, procurement leads and commissioners mark candidates."
    ),
    Act.DECIDE: "Only a commissioner or procurement lead of the authority decides the shortlist.",
}


def access_selection(
    *, actor: Actor, procurement_id: int, act: Act = Act.READ
) -> tuple[Procurement, Membership]:
    """The procurement and the membership through which the actor reads, marks or decides."""
    procurement, _ = access_procurement(actor=actor, procurement_id=procurement_id)
    memberships = _acting(actor, procurement, act)
    if not memberships:
        raise PermissionDenied(_REFUSED[act])
    return procurement, memberships[0]


def _acting(actor: Actor, procurement: Procurement, act: Act) -> list[Membership]:
    """The actor's memberships of the procurement's authority that allow the act."""
    memberships = actor.in_organisation(procurement.organisation_id)
    if act == Act.READ:
        return list(memberships)
    roles = MARK_ROLES if act == Act.MARK else WRITE_ROLES
    return [m for m in memberships if m.role in roles]


def may(actor: Actor, procurement: Procurement, act: Act) -> bool:
    """Whether the actor may mark or decide in this procurement (to offer the forms)."""
    return bool(_acting(actor, procurement, act))


def access_candidate(*, procurement: Procurement, organisation_id: int) -> Organisation:
    """A supplier that requested to participate in the procurement; anyone else is missing."""
    for candidate in candidates(procurement):
        if candidate.pk == organisation_id:
            return candidate
    raise NotFound(
        "No such candidate: only suppliers that submitted a request to participate are marked."
    )


def rtp_round(procurement: Procurement) -> SubmissionRound | None:
    return SubmissionRound.objects.filter(procurement=procurement, kind=RoundKind.RTP).first()


def selection_states(procurement: Procurement) -> tuple[str, ...]:
    """The rulebook's states in which candidates are selected: those it invites to tender from."""
    event = rulebook_of(procurement).event(lifecycle.INVITE_TO_TENDER)
    return event.sources if event is not None else ()


def selection_blocker(
    procurement: Procurement, decision: ShortlistDecision | None = None
) -> str | None:
    """
    Why candidates cannot be marked (or the shortlist decided) now; None when they can.
    `decision` saves reading it again when the caller already has it.
    """
    decision = decision or decision_of(procurement)
    if decision is not None:
        decided = decision.decided_at.astimezone(UK)
        return f"The shortlist was decided on {decided:%-d %B %Y}; the marks can no longer change."
    states = selection_states(procurement)
    if procurement.state not in states:
        rulebook = rulebook_of(procurement)
        wanted = " or ".join(_state_label(rulebook, s) for s in states)
        closing = rulebook.event(lifecycle.CLOSE_REQUESTS)
        early = closing is not None and procurement.state in closing.sources
        return (
            f"Candidates are selected while the procurement is at “{wanted}”; it is at"
            f" “{_state_label(rulebook, procurement.state)}”."
            + (" Close the requests to participate first." if early else "")
        )
    found = rtp_round(procurement)
    if found is None or not found.is_open:
        return (
            "The requests to participate have not been opened: after their deadline two people"
            " of the authority open the round, then candidates can be marked."
        )
    return None


def _state_label(rulebook: Rulebook, state_id: str) -> str:
    state = rulebook.state(state_id)
    return str(state.label) if state is not None else state_id


def ensure_selecting(procurement: Procurement) -> None:
    blocker = selection_blocker(procurement)
    if blocker is not None:
        raise Conflict(blocker)


def criteria(procurement: Procurement) -> tuple[list[PublishedCriterion], int]:
    """The published selection criteria, in order, and the top of the scoring scale."""
    selection = section(procurement.design, "selection")
    return list(selection.criteria), int(selection.scale_max)


def mark_list(*, procurement: Procurement) -> QuerySet[SelectionMark]:
    return SelectionMark.objects.filter(procurement=procurement).select_related(
        "candidate", "assessor"
    )


def decision_of(procurement: Procurement) -> ShortlistDecision | None:
    return (
        ShortlistDecision.objects.filter(procurement=procurement)
        .select_related("decided_by")
        .first()
    )


@dataclass(frozen=True)
class Missing:
    candidate: Organisation
    criterion: str

    def __str__(self) -> str:
        return f"{self.candidate.name} on {self.criterion}"


@dataclass(frozen=True)
class Board:
    """
    Everything the selection page and API show: the marks of each candidate on each criterion,
    the marks still missing and, once none is, each candidate's result and the proposed shortlist.
    """

    procurement: Procurement
    criteria: list[PublishedCriterion]
    scale_max: int
    candidates: list[Organisation]
    marks: dict[tuple[int, str], SelectionMark]
    missing: list[Missing]
    results: dict[int, CandidateResult]
    proposed: Shortlist | None
    minimum: int
    maximum: int | None
    decision: ShortlistDecision | None
    blocker: str | None
    problem: str | None  # why no shortlist can be proposed from complete marks
    sealed: int | None  # how many requests to participate are still sealed (who is not shown)

    def mark(self, candidate: Organisation, criterion: str) -> SelectionMark | None:
        return self.marks.get((candidate.pk, criterion))

    def shown(self, mark: SelectionMark) -> str:
        """A mark as the grid shows it: Met, Not met, or 4.5 of 5."""
        if mark.passed is not None:
            return "Met" if mark.passed else "Not met"
        return f"{number(mark.score or Decimal(0))} of {self.scale_max}"

    @property
    def missing_sentence(self) -> str:
        if not self.missing:
            return ""
        count = len(self.missing)
        listed = ", ".join(str(m) for m in self.missing)
        return f"{plural(count, 'mark')} missing: {listed}."

    @cached_property
    def ranking(self) -> dict[str, Ranked]:
        """The qualifying candidates' places by total (the scoring's `rank`), by key."""
        qualifying = {r.candidate: r.total for r in self.results.values() if r.qualifies}
        return {r.tenderer: r for r in rank(qualifying)}

    @property
    def sealed_sentence(self) -> str:
        """How many requests wait sealed: the only thing said of them before the opening."""
        if not self.sealed:
            return ""
        return (
            f"{plural(self.sealed, 'supplier')} sent a request to participate. Who they are is"
            " sealed until the requests are opened."
        )

    @property
    def reason(self) -> str:
        return self.proposed.reason if self.proposed else ""

    def outcome(self, candidate: Organisation) -> dict[str, Any]:
        """One candidate's result and proposed outcome; None values while a mark is missing."""
        key = str(candidate.pk)
        result = self.results.get(candidate.pk)
        place = self.ranking.get(key)
        invited = None if self.proposed is None else key in self.proposed.invited
        why = self.proposed.not_invited.get(key, "") if self.proposed else ""
        return {
            "id": candidate.pk,
            "name": candidate.name,
            "qualified": result.qualifies if result else None,
            "total": result.total if result else None,
            "rank": place.rank if place else None,
            "invited": invited,
            "reason": sentence(why) if why else "",
        }

    def failed(self, candidate: Organisation) -> list[str]:
        """The criteria a candidate failed, each judged alone by the scoring."""
        return [
            c.name
            for c in self.criteria
            if not assess_candidate(
                str(candidate.pk),
                [_scoring_criterion(c)],
                _scoring_marks(candidate, [c], self.marks),
                scale_max=self.scale_max,
            ).qualifies
        ]


def selection_board(*, procurement: Procurement) -> Board:
    published, scale_max = criteria(procurement)
    people = candidates(procurement)
    kinds = {k.name: k for k in published}
    marks = {
        (m.candidate_id, m.criterion): m
        for m in mark_list(procurement=procurement)
        if m.criterion in kinds and _fits(m, kinds[m.criterion], scale_max)
    }
    missing = [Missing(c, k.name) for c in people for k in published if (c.pk, k.name) not in marks]
    partners = section(procurement.design, "partners")
    # Without a published minimum, three (PCR 2015 reg. 65(2)), or the published maximum if lower.
    maximum = partners.max_candidates
    minimum = partners.min_candidates or min(DEFAULT_MINIMUM, maximum or DEFAULT_MINIMUM)
    results: dict[int, CandidateResult] = {}
    proposed, problem = None, None
    names = {str(c.pk): c.name for c in people}
    if people and not missing:
        try:
            scoring = [_scoring_criterion(k) for k in published]
            results = {
                c.pk: assess_candidate(
                    str(c.pk), scoring, _scoring_marks(c, published, marks), scale_max=scale_max
                )
                for c in people
            }
            proposed = shortlist(
                list(results.values()), minimum=minimum, maximum=maximum, names=names
            )
        except ScoringError as error:  # a design the scoring cannot apply: say what to fix
            results, problem = (
                {},
                f"The selection criteria cannot be applied: {error.naming(names)}",
            )
    decision = decision_of(procurement)
    return Board(
        procurement,
        published,
        scale_max,
        people,
        marks,
        missing,
        results,
        proposed,
        minimum,
        maximum,
        decision,
        selection_blocker(procurement, decision),
        problem,
        sealed_requests(procurement),
    )


def _scoring_criterion(criterion: PublishedCriterion) -> SelectionCriterion:
    return SelectionCriterion(
        criterion.name,
        criterion.assessment,
        weight=Decimal(criterion.weight),
        minimum_score=Decimal(criterion.minimum_score),
    )


def _fits(mark: SelectionMark, criterion: PublishedCriterion, scale_max: int) -> bool:
    """Whether a mark still fits its criterion as published (a design changed since is missed)."""
    if criterion.assessment == "pass_fail":
        return mark.passed is not None
    return mark.score is not None and 0 <= mark.score <= scale_max


def _value(mark: SelectionMark) -> bool | Decimal:
    # The model's constraint: a verdict or a score, never neither.
    return mark.passed if mark.passed is not None else Decimal(mark.score or 0)


def _scoring_marks(
    candidate: Organisation,
    published: list[PublishedCriterion],
    marks: dict[tuple[int, str], SelectionMark],
) -> dict[str, bool | Decimal]:
    return {k.name: _value(marks[(candidate.pk, k.name)]) for k in published}
