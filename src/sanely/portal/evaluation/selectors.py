"""
Reads for the evaluation, and the one place that decides who may see or do what in it:

* every person of the procurement's authority reads the evaluation page; what scores it shows
  depends on who they are (below);
* evaluators, procurement leads and commissioners declare their interests, and only with a
  declaration of no conflict read tenders, score them or moderate;
* an evaluator sees their own scores, and other evaluators' submitted scores of a tenderer
  only once they have submitted theirs; a moderator who does not score sees submitted scores
  only; everyone else sees scores once the evaluation is signed off;
* commissioners and procurement leads moderate, record prices, decide on abnormally low
  tenders and sign off;
* anyone else, tenderers included, is told the procurement does not exist.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.db.models import Prefetch, QuerySet

from sanely.portal.accounts.models import Membership, Organisation, Role, User
from sanely.portal.accounts.selectors import Actor
from sanely.portal.competition.selectors import (
    declaration_list,
    may_read_tenders,
    require_clean_declaration,
    tenderers,
    tenderers_to_declare,
)
from sanely.portal.core.errors import Conflict, NotFound, PermissionDenied
from sanely.portal.procurements.design import section
from sanely.portal.procurements.engine import rulebook_of
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.selectors import WRITE_ROLES, access_procurement
from sanely.portal.tenders.models import RoundKind, SubmissionRound, SubmissionVersion
from sanely.procedure import ScoringError, abnormally_low
from sanely.procedure import events as lifecycle

from .models import (
    AbnormallyLowDecision,
    Consensus,
    ConsensusRevision,
    EvaluationOutcome,
    Score,
    ScoreSubmission,
    Strengths,
    TenderPrice,
    TieChoice,
)

ASSESSOR_ROLES = frozenset({Role.EVALUATOR, Role.COMMISSIONER, Role.PROCUREMENT_LEAD})
ABNORMALLY_LOW_LAW = "PCR 2015 reg. 69; Procurement Act 2023 s.34"


class Act(StrEnum):
    READ = "read"
    ASSESS = "assess"  # declare, score
    MODERATE = "moderate"  # consensus, prices, abnormally low tenders, sign-off


_REFUSED = {
    Act.ASSESS: "Only the authority's evaluators, procurement leads and commissioners evaluate.",
    Act.MODERATE: (
        "Only a commissioner or procurement lead of the authority moderates, records prices"
        " and signs off the evaluation."
    ),
}


def access_evaluation(
    *, actor: Actor, procurement_id: int, act: Act = Act.READ
) -> tuple[Procurement, Membership]:
    """The procurement and the membership through which the actor reads, assesses or moderates."""
    procurement, _ = access_procurement(actor=actor, procurement_id=procurement_id)
    memberships = actor.in_organisation(procurement.organisation_id)
    allowed = {Act.READ: None, Act.ASSESS: ASSESSOR_ROLES, Act.MODERATE: WRITE_ROLES}[act]
    if allowed is not None:
        memberships = [m for m in memberships if m.role in allowed]
        if not memberships:
            raise PermissionDenied(_REFUSED[act])
    return procurement, memberships[0]


def assesses(actor: Actor, procurement: Procurement) -> bool:
    """Whether access_evaluation lets the actor declare and score (Act.ASSESS)."""
    memberships = actor.in_organisation(procurement.organisation_id)
    return any(m.role in ASSESSOR_ROLES for m in memberships)


def moderates(actor: Actor, procurement: Procurement) -> bool:
    """Whether the actor is one of the authority's commissioners or procurement leads."""
    return any(m.role in WRITE_ROLES for m in actor.in_organisation(procurement.organisation_id))


@contextmanager
def arithmetic() -> Iterator[None]:
    """The scoring arithmetic refuses what it cannot compute: say so, never a server error."""
    try:
        yield
    except ScoringError as error:
        raise Conflict(f"The evaluation cannot be worked out: {error}") from None


# Declarations


def scoring_evaluators(procurement: Procurement) -> list[User]:
    """The people whose latest declaration is clean and says they score tenders."""
    declarations = list(declaration_list(procurement))
    latest = {d.evaluator_id: d for d in declarations}  # oldest first: the last one counts
    conflicted = {d.evaluator_id for d in declarations if d.conflict}
    return sorted(
        (
            d.evaluator
            for d in latest.values()
            if d.scores and not d.conflict and d.evaluator_id not in conflicted
        ),
        key=lambda user: (user.full_name, user.pk),
    )


# What is scored


@dataclass(frozen=True)
class Place:
    """
    One thing every tender is scored against: a criterion, or one of its sub-criteria.
    `name` is how messages call it: the sub-criterion alone when no other criterion has a
    sub-criterion of that name.
    """

    criterion: str
    sub_criterion: str = ""
    name: str = field(default="", compare=False)

    @property
    def label(self) -> str:
        return f"{self.criterion}: {self.sub_criterion}" if self.sub_criterion else self.criterion

    @property
    def key(self) -> tuple[str, str]:
        return self.criterion, self.sub_criterion


def score_places(procurement: Procurement) -> list[Place]:
    """Every non-price criterion, split into its sub-criteria where it has any."""
    keys: list[tuple[str, str]] = []
    for criterion in section(procurement.design, "award").criteria:
        if criterion.kind != "price":
            subs = [s.name for s in criterion.sub_criteria] or [""]
            keys.extend((criterion.name, sub) for sub in subs)
    subs = [sub for _, sub in keys if sub]
    return [
        Place(c, sub, sub if sub and subs.count(sub) == 1 else Place(c, sub).label)
        for c, sub in keys
    ]


def scale_max(procurement: Procurement) -> int:
    return int(section(procurement.design, "award").scale_max)


def final_round(procurement: Procurement) -> SubmissionRound | None:
    return SubmissionRound.objects.filter(
        procurement=procurement, kind=RoundKind.TENDER, final=True
    ).first()


def final_round_opened(procurement: Procurement) -> bool:
    found = final_round(procurement)
    return found is not None and found.is_open


def final_tenders(procurement: Procurement, tenderer: Organisation) -> list[SubmissionVersion]:
    """The versions a tenderer submitted to the final round, newest first."""
    found = final_round(procurement)
    if found is None:
        return []
    return list(
        SubmissionVersion.objects.filter(round=found, organisation=tenderer).order_by("-version")
    )


def evaluation_state(procurement: Procurement) -> str:
    """The rulebook's state after tendering closes: PCR 2015 "evaluation", PA 2023 "assessment"."""
    rulebook = rulebook_of(procurement)
    return next(e.target for e in rulebook.events if e.id == lifecycle.CLOSE_TENDERING)


def signed_off(procurement: Procurement) -> bool:
    return EvaluationOutcome.objects.filter(procurement=procurement).exists()


# Scores, and who sees them


def submitted(procurement: Procurement, user: User, tenderer: Organisation) -> bool:
    return ScoreSubmission.objects.filter(
        procurement=procurement, evaluator=user, tenderer=tenderer
    ).exists()


def submitters(procurement: Procurement, tenderer: Organisation) -> set[int]:
    """The ids of the evaluators who submitted their scores of one tenderer."""
    return set(
        ScoreSubmission.objects.filter(procurement=procurement, tenderer=tenderer).values_list(
            "evaluator_id", flat=True
        )
    )


def submitters_by_tenderer(procurement: Procurement) -> dict[int, set[int]]:
    """`submitters` of every tenderer of the procurement (by tenderer id), in one query."""
    found: dict[int, set[int]] = {}
    rows = ScoreSubmission.objects.filter(procurement=procurement).values_list(
        "tenderer_id", "evaluator_id"
    )
    for tenderer_id, evaluator_id in rows:
        found.setdefault(tenderer_id, set()).add(evaluator_id)
    return found


def own_scores(procurement: Procurement, user: User, tenderer: Organisation) -> list[Score]:
    return list(
        Score.objects.filter(
            procurement=procurement, evaluator=user, tenderer=tenderer
        ).select_related("evaluator")
    )


def _counted(procurement: Procurement, tenderer: Organisation) -> QuerySet[Score]:
    """Submitted scores of evaluators still scoring (a declared conflict removes theirs)."""
    evaluators = {u.pk for u in scoring_evaluators(procurement)}
    return (
        Score.objects.filter(
            procurement=procurement,
            tenderer=tenderer,
            evaluator_id__in=submitters(procurement, tenderer) & evaluators,
        )
        .select_related("evaluator")
        .order_by("evaluator__full_name", "pk")
    )


def access_scores(*, actor: Actor, procurement: Procurement, tenderer: Organisation) -> list[Score]:
    """
    The scores of one tenderer the actor may see: their own always; others' submitted scores
    once they have submitted theirs (evaluators), at once for a moderator who does not score,
    and for everyone else once the evaluation is signed off. Unsubmitted scores are nobody
    else's business.
    """
    user = actor.user
    mine = own_scores(procurement, user, tenderer)
    scorer = user.pk in {u.pk for u in scoring_evaluators(procurement)}
    if scorer:
        sees_others = submitted(procurement, user, tenderer)
    elif moderates(actor, procurement):
        sees_others = may_read_tenders(user, procurement)
    else:
        sees_others = signed_off(procurement)
    others = [s for s in _counted(procurement, tenderer) if s.evaluator_id != user.pk]
    return mine + (others if sees_others else [])


# Moderation


@dataclass(frozen=True)
class SheetRow:
    """One criterion or sub-criterion of one tenderer: the scores side by side, the consensus."""

    place: Place
    scores: list[Score]
    consensus: Consensus | None

    @property
    def spread(self) -> Decimal | None:
        values = [s.score for s in self.scores]
        return max(values) - min(values) if values else None


@dataclass(frozen=True)
class Sheet:
    """The moderation sheet of one tenderer."""

    tenderer: Organisation
    rows: list[SheetRow]
    waiting_for: list[User]  # evaluators who have not submitted yet
    strengths: Strengths | None

    @property
    def ready(self) -> bool:
        return not self.waiting_for


def moderation_ready(procurement: Procurement, tenderer: Organisation) -> list[User]:
    """The scoring evaluators who have not submitted their scores of this tenderer yet."""
    done = submitters(procurement, tenderer)
    return [u for u in scoring_evaluators(procurement) if u.pk not in done]


def moderation_sheet(procurement: Procurement, tenderer: Organisation) -> Sheet:
    """What the moderator works from: only submitted scores, and only once all are in."""
    waiting = moderation_ready(procurement, tenderer)
    scores = [] if waiting else list(_counted(procurement, tenderer))
    consensus = {
        (c.criterion, c.sub_criterion): c
        for c in Consensus.objects.filter(
            procurement=procurement, tenderer=tenderer
        ).prefetch_related(
            Prefetch("revisions", ConsensusRevision.objects.select_related("recorded_by"))
        )
    }
    rows = [
        SheetRow(
            place,
            [s for s in scores if (s.criterion, s.sub_criterion) == place.key],
            consensus.get(place.key),
        )
        for place in score_places(procurement)
    ]
    strengths = Strengths.objects.filter(procurement=procurement, tenderer=tenderer).first()
    return Sheet(tenderer, rows, waiting, strengths)


def consensus_of(procurement: Procurement) -> dict[tuple[int, str, str], Consensus]:
    return {
        (c.tenderer_id, c.criterion, c.sub_criterion): c
        for c in Consensus.objects.filter(procurement=procurement)
    }


# Prices and abnormally low tenders


def prices_of(procurement: Procurement) -> dict[int, TenderPrice]:
    """The recorded price of each tenderer still in, by organisation id."""
    ids = [t.pk for t in tenderers(procurement)]
    return {
        p.tenderer_id: p
        for p in TenderPrice.objects.filter(
            procurement=procurement, tenderer_id__in=ids
        ).select_related("tenderer", "version", "recorded_by")
    }


@dataclass(frozen=True)
class LowFlag:
    """A tender whose price is abnormally low, and the decision on it (None: undecided)."""

    tenderer: Organisation
    price: Decimal
    reason: str
    decision: AbnormallyLowDecision | None = field(default=None)


def low_flags(procurement: Procurement) -> list[LowFlag]:
    """
    The tenders still in whose price the published threshold flags as abnormally low, each
    with the decision taken on that price, if any.
    """
    prices = prices_of(procurement)
    percent = section(procurement.design, "award").abnormally_low_percent
    if not prices or percent >= 100:  # no price is more than 100 % below another
        return []
    with arithmetic():
        flagged = abnormally_low({str(k): p.price for k, p in prices.items()}, percent=percent)
    # The latest decision on each price; a decision counts only for the price it was taken on.
    decisions = {
        (d.tenderer_id, d.price): d
        for d in AbnormallyLowDecision.objects.filter(
            procurement=procurement, tenderer_id__in=[int(k) for k in flagged]
        ).select_related("decided_by")
    }
    flags = []
    for key, reason in sorted(flagged.items()):
        price = prices[int(key)]
        decision = decisions.get((price.tenderer_id, price.price))
        flags.append(LowFlag(price.tenderer, price.price, str(reason), decision))
    return flags


def low_decision_list(procurement: Procurement) -> QuerySet[AbnormallyLowDecision]:
    return AbnormallyLowDecision.objects.filter(procurement=procurement).select_related(
        "tenderer", "decided_by"
    )


def tie_choice_of(procurement: Procurement) -> TieChoice | None:
    return TieChoice.objects.filter(procurement=procurement).first()


def outcome_list(procurement: Procurement) -> QuerySet[EvaluationOutcome]:
    return EvaluationOutcome.objects.filter(procurement=procurement).select_related(
        "tenderer", "signed_off_by"
    )


def access_tenderer(*, procurement: Procurement, tenderer_id: int) -> Organisation:
    """A supplier that tendered in this procurement; any other organisation is missing."""
    for organisation in tenderers_to_declare(procurement):
        if organisation.pk == tenderer_id:
            return organisation
    raise NotFound("No such tenderer in this procurement.")


def access_moderation(*, actor: Actor, procurement_id: int) -> Procurement:
    """A procurement the actor moderates: a commissioner or lead who declared no conflict."""
    procurement, _ = access_evaluation(actor=actor, procurement_id=procurement_id, act=Act.MODERATE)
    require_clean_declaration(procurement, actor.user, "moderate")
    return procurement


def access_results(*, actor: Actor, procurement_id: int) -> Procurement:
    """The ranking: for moderators with a clean declaration, for the authority once signed off."""
    procurement, _ = access_evaluation(actor=actor, procurement_id=procurement_id)
    if signed_off(procurement):
        return procurement
    return access_moderation(actor=actor, procurement_id=procurement_id)
