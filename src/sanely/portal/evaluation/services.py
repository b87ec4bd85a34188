"""
Writes for the evaluation: conflict declarations, independent scores and their submission,
moderation to consensus, prices, decisions on abnormally low tenders, the moderator's
strengths and tie choice, and the sign-off that freezes the results into `EvaluationOutcome`.

Every write is audited; every refusal names the field or the missing step.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.errors import Conflict, NotFound, ValidationFailed, validation_failed_from
from sanely.portal.procurements.models import Procurement
from sanely.portal.tenders.models import Standing, SubmissionVersion
from sanely.portal.tenders.selectors import is_tendering
from sanely.portal.tenders.services import letter_send, participant_set

from . import events
from .models import (
    AbnormallyLowDecision,
    ConflictDeclaration,
    Consensus,
    ConsensusRevision,
    EvaluationOutcome,
    LowTenderDecision,
    Score,
    ScoreSubmission,
    Strengths,
    TenderPrice,
    TieChoice,
)
from .ranking import ranking_of, sign_off_missing
from .selectors import (
    ABNORMALLY_LOW_LAW,
    Act,
    Place,
    access_evaluation,
    conflict_declared,
    evaluation_state,
    final_round,
    final_round_opened,
    low_flags,
    moderation_ready,
    require_clean_declaration,
    scale_max,
    score_places,
    scoring_evaluators,
    signed_off,
    submitted,
    tenderers_to_declare,
)

LONGEST_TEXT = 10000


def number_text(value: Decimal) -> str:
    """A score as people write it: 7, 7.5 (never 7.00)."""
    text = f"{value.normalize():f}"
    return text


def _parse_score(raw: object, place: Place, top: int, field: str) -> Decimal:
    """A score on the published scale, or a refusal naming the place and the scale."""
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise validation_failed_from(
            {field: [f"Score {place.name} with a number from 0 to {top}."]}
        ) from None
    if not value.is_finite() or value < 0 or value > top:
        shown = number_text(value) if value.is_finite() else str(raw)
        raise validation_failed_from(
            {
                field: [
                    f"Score {place.name} from 0 to {top}; {shown} is outside the published scale."
                ]
            }
        )
    if value != value.quantize(Decimal("0.01")):
        raise validation_failed_from(
            {field: [f"Score {place.name} to at most two decimal places."]}
        )
    return value


def _text(raw: str, field: str, message: str) -> str:
    text = raw.strip()
    if not text:
        raise validation_failed_from({field: [message]})
    if len(text) > LONGEST_TEXT:
        raise validation_failed_from({field: [f"Keep it within {LONGEST_TEXT:,} characters."]})
    return text


def _tenderer(procurement: Procurement, tenderer_id: int) -> Organisation:
    """A tenderer still in this competition; anything else is not found."""
    found = Organisation.objects.filter(pk=tenderer_id).first()
    if found is None or not is_tendering(procurement, found):
        raise NotFound("No such tenderer still in this competition.")
    return found


def _place(procurement: Procurement, criterion: str, sub_criterion: str) -> Place:
    places = score_places(procurement)
    wanted = Place(criterion.strip(), sub_criterion.strip())
    found = next((p for p in places if p == wanted), None)
    if found is None:
        names = "; ".join(p.label for p in places)
        raise validation_failed_from(
            {"criterion": [f"Choose one of the published criteria scored on the scale: {names}."]}
        )
    return found


def _not_signed_off(procurement: Procurement) -> None:
    if signed_off(procurement):
        raise Conflict("The evaluation is signed off: its results can no longer change.")


def _locked(procurement: Procurement) -> Procurement:
    """Serialise the evaluation's writes on one procurement."""
    return Procurement.objects.select_for_update().get(pk=procurement.pk)


# Declarations


@transaction.atomic
def declaration_record(
    *,
    actor: Actor,
    procurement_id: int,
    conflict: bool,
    details: str = "",
    scores: bool = True,
    now: datetime,
) -> ConflictDeclaration:
    """
    Declare, before seeing any tender, whether one has a conflict of interest with any of the
    procurement's tenderers (named in the declaration). A declared conflict removes access to
    the tenders and to scoring, and stands: a later declaration cannot take it back.
    `scores` says whether the person scores tenders or only moderates or signs off.
    """
    procurement, membership = access_evaluation(
        actor=actor, procurement_id=procurement_id, act=Act.ASSESS
    )
    _locked(procurement)
    _not_signed_off(procurement)
    named = tenderers_to_declare(procurement)
    if not named:
        raise Conflict("Nobody has tendered yet: declare once tenderers have been invited.")
    if conflict:
        details = _text(details, "details", "Say what the conflict is, and with which tenderer.")
    elif conflict_declared(procurement, actor.user):
        raise Conflict(
            "You declared a conflict of interest in this procurement; it stands, so you cannot"
            " declare that you have none."
        )
    declaration = ConflictDeclaration.objects.create(
        procurement=procurement,
        evaluator=actor.user,
        tenderers=[{"id": t.pk, "name": t.name} for t in named],
        conflict=conflict,
        details=details.strip(),
        scores=scores and not conflict,
        declared_at=now,
    )
    audit_record(
        action=events.CONFLICT_DECLARED,
        subject=declaration,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={
            "conflict": conflict,
            "details": declaration.details,
            "scores": declaration.scores,
            "tenderers": [t.name for t in named],
        },
    )
    return declaration


# Independent scores


def _may_score(procurement: Procurement, actor: Actor, tenderer: Organisation) -> None:
    if not final_round_opened(procurement):
        raise Conflict(
            "Tenders are scored once the final tenders have been opened: open the final tender"
            " round first."
        )
    require_clean_declaration(procurement, actor.user, "score tenders")
    if actor.user.pk not in {u.pk for u in scoring_evaluators(procurement)}:
        raise Conflict(
            "Your declaration says you do not score tenders: declare again, saying you do."
        )
    if submitted(procurement, actor.user, tenderer):
        raise Conflict(
            f"You have submitted your scores of {tenderer.name}; they can no longer change."
        )


@dataclass(frozen=True)
class ScoreEntry:
    """One score to record; `key` suffixes the field names its problems are reported under."""

    criterion: str
    sub_criterion: str
    score: object
    justification: str
    key: str = ""


def _entry_checked(
    procurement: Procurement, entry: ScoreEntry, problems: dict[str, list[str]]
) -> tuple[Place, Decimal] | None:
    """The entry's place and score, or None with its problems added."""
    score_field, text_field = f"score{entry.key}", f"justification{entry.key}"
    try:
        place = _place(procurement, entry.criterion, entry.sub_criterion)
        value = _parse_score(entry.score, place, scale_max(procurement), score_field)
    except ValidationFailed as error:
        problems.update({score_field if k == "score" else k: v for k, v in error.detail.items()})
        return None
    text = entry.justification.strip()
    if not text:
        problems[text_field] = [f"Justify the score of {place.name} in writing."]
    elif len(text) > LONGEST_TEXT:
        problems[text_field] = [f"Keep it within {LONGEST_TEXT:,} characters."]
    return (place, value) if not problems else None


@transaction.atomic
def scores_record(
    *,
    actor: Actor,
    procurement_id: int,
    tenderer_id: int,
    entries: list[ScoreEntry],
    now: datetime,
) -> list[Score]:
    """
    An evaluator scores one tenderer against criteria or sub-criteria on the published scale,
    each with a written justification; scoring again changes a score until submitted. Every
    problem of every entry is reported at once, and nothing is stored while there is one.
    """
    procurement, membership = access_evaluation(
        actor=actor, procurement_id=procurement_id, act=Act.ASSESS
    )
    _locked(procurement)
    _not_signed_off(procurement)
    tenderer = _tenderer(procurement, tenderer_id)
    problems: dict[str, list[str]] = {}
    checked = [_entry_checked(procurement, entry, problems) for entry in entries]
    if problems:
        raise validation_failed_from(problems)
    _may_score(procurement, actor, tenderer)
    return [
        _score_store(procurement, membership.organisation, actor, tenderer, place, value,
                     entry.justification.strip(), now)
        for entry, (place, value) in zip(entries, filter(None, checked), strict=True)
    ]  # fmt: skip


def score_record(
    *,
    actor: Actor,
    procurement_id: int,
    tenderer_id: int,
    criterion: str,
    sub_criterion: str = "",
    score: object,
    justification: str,
    now: datetime,
) -> Score:
    """One score, as `scores_record` records it."""
    entry = ScoreEntry(criterion, sub_criterion, score, justification)
    return scores_record(
        actor=actor, procurement_id=procurement_id, tenderer_id=tenderer_id, entries=[entry],
        now=now,
    )[0]  # fmt: skip


def _score_store(
    procurement: Procurement,
    authority: Organisation,
    actor: Actor,
    tenderer: Organisation,
    place: Place,
    value: Decimal,
    justification: str,
    now: datetime,
) -> Score:
    previous = Score.objects.filter(
        procurement=procurement, evaluator=actor.user, tenderer=tenderer,
        criterion=place.criterion, sub_criterion=place.sub_criterion,
    ).first()  # fmt: skip
    recorded, _ = Score.objects.update_or_create(
        procurement=procurement, evaluator=actor.user, tenderer=tenderer,
        criterion=place.criterion, sub_criterion=place.sub_criterion,
        defaults={"score": value, "justification": justification, "recorded_at": now},
    )  # fmt: skip
    audit_record(
        action=events.SCORE_RECORDED,
        subject=recorded,
        now=now,
        actor=actor.user,
        organisation=authority,
        payload={
            "tenderer": tenderer.pk,
            "criterion": place.label,
            "from": number_text(previous.score) if previous else None,
            "to": number_text(value),
        },
    )
    return recorded


@transaction.atomic
def scores_submit(
    *, actor: Actor, procurement_id: int, tenderer_id: int, now: datetime
) -> ScoreSubmission:
    """
    An evaluator submits their scores of one tenderer: every criterion and sub-criterion must
    be scored. From now on they cannot change, and the evaluator sees the other evaluators'
    submitted scores of that tenderer.
    """
    procurement, membership = access_evaluation(
        actor=actor, procurement_id=procurement_id, act=Act.ASSESS
    )
    _locked(procurement)
    _not_signed_off(procurement)
    tenderer = _tenderer(procurement, tenderer_id)
    _may_score(procurement, actor, tenderer)
    scored = set(
        Score.objects.filter(
            procurement=procurement, evaluator=actor.user, tenderer=tenderer
        ).values_list("criterion", "sub_criterion")
    )
    missing = [p.label for p in score_places(procurement) if p.key not in scored]
    if missing:
        raise Conflict(
            f"Score every criterion of {tenderer.name} before submitting; not yet scored: "
            + "; ".join(missing)
            + ".",
            detail={"missing": missing},
        )
    submission = ScoreSubmission.objects.create(
        procurement=procurement, evaluator=actor.user, tenderer=tenderer, submitted_at=now
    )
    audit_record(
        action=events.SCORES_SUBMITTED,
        subject=submission,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={"tenderer": tenderer.pk, "scores": len(scored)},
    )
    return submission


# Moderation


def _moderator(actor: Actor, procurement_id: int, what: str) -> tuple[Procurement, Organisation]:
    procurement, membership = access_evaluation(
        actor=actor, procurement_id=procurement_id, act=Act.MODERATE
    )
    procurement = _locked(procurement)
    _not_signed_off(procurement)
    require_clean_declaration(procurement, actor.user, what)
    return procurement, membership.organisation


@transaction.atomic
def consensus_record(
    *,
    actor: Actor,
    procurement_id: int,
    tenderer_id: int,
    criterion: str,
    sub_criterion: str = "",
    score: object,
    reason: str,
    now: datetime,
) -> Consensus:
    """
    The moderator records the consensus score of one tenderer against one criterion or
    sub-criterion, once every evaluator has submitted theirs, with the reason; a change needs
    its own reason, and every recording is kept.
    """
    procurement, authority = _moderator(actor, procurement_id, "moderate")
    tenderer = _tenderer(procurement, tenderer_id)
    place = _place(procurement, criterion, sub_criterion)
    value = _parse_score(score, place, scale_max(procurement), "score")
    reason = _text(reason, "reason", f"Give the reason for the consensus on {place.name}.")
    if not scoring_evaluators(procurement):
        raise Conflict("No evaluator has declared and scored yet: moderation follows their scores.")
    waiting = moderation_ready(procurement, tenderer)
    if waiting:
        raise Conflict(
            f"Moderation of {tenderer.name} starts once every evaluator has submitted; still"
            " waiting for " + ", ".join(u.full_name for u in waiting) + "."
        )
    existing = Consensus.objects.filter(
        procurement=procurement, tenderer=tenderer, criterion=place.criterion,
        sub_criterion=place.sub_criterion,
    ).first()  # fmt: skip
    previous = existing.score if existing else None
    consensus, _ = Consensus.objects.update_or_create(
        procurement=procurement, tenderer=tenderer, criterion=place.criterion,
        sub_criterion=place.sub_criterion,
        defaults={"score": value, "reason": reason, "recorded_by": actor.user, "recorded_at": now},
    )  # fmt: skip
    ConsensusRevision.objects.create(
        consensus=consensus, previous_score=previous, score=value, reason=reason,
        recorded_by=actor.user, recorded_at=now,
    )  # fmt: skip
    audit_record(
        action=events.CONSENSUS_RECORDED,
        subject=consensus,
        now=now,
        actor=actor.user,
        organisation=authority,
        payload={
            "tenderer": tenderer.pk,
            "criterion": place.label,
            "from": number_text(previous) if previous is not None else None,
            "to": number_text(value),
            "reason": reason,
        },
    )
    return consensus


@transaction.atomic
def strengths_record(
    *, actor: Actor, procurement_id: int, tenderer_id: int, text: str, now: datetime
) -> Strengths:
    """The moderator writes the characteristics and relative advantages of one tender."""
    procurement, authority = _moderator(actor, procurement_id, "moderate")
    tenderer = _tenderer(procurement, tenderer_id)
    text = _text(
        text, "text", f"Write the characteristics and relative advantages of {tenderer.name}."
    )
    strengths, _ = Strengths.objects.update_or_create(
        procurement=procurement, tenderer=tenderer,
        defaults={"text": text, "recorded_by": actor.user, "recorded_at": now},
    )  # fmt: skip
    audit_record(
        action=events.STRENGTHS_RECORDED, subject=strengths, now=now, actor=actor.user,
        organisation=authority, payload={"tenderer": tenderer.pk, "text": text},
    )  # fmt: skip
    return strengths


# Prices and abnormally low tenders


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
    procurement, authority = _moderator(actor, procurement_id, "record prices")
    tenderer = _tenderer(procurement, tenderer_id)
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
        procurement=procurement, tenderer=tenderer,
        defaults={"price": value, "version": version, "recorded_by": actor.user,
                  "recorded_at": now},
    )  # fmt: skip
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
    letter_send(
        actor=actor,
        procurement=procurement,
        recipient=decision.tenderer,
        kind="tender_rejected",
        subject="Your tender is rejected as abnormally low",
        body=(
            f"{procurement.organisation.name} asked {decision.tenderer.name} to explain the price"
            f" of its tender for {procurement.reference} {procurement.title},"
            f" £{decision.price:,}, which appeared abnormally low: {decision.flag}\n\n"
            "Having assessed the explanation, the authority rejects the tender"
            f" ({ABNORMALLY_LOW_LAW}). The reasons:\n\n{decision.explanation}"
        ),
        content={
            "price": str(decision.price),
            "flag": decision.flag,
            "reasons": decision.explanation,
            "law": ABNORMALLY_LOW_LAW,
        },
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
    procurement, authority = _moderator(actor, procurement_id, "decide on abnormally low tenders")
    tenderer = _tenderer(procurement, tenderer_id)
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
        procurement=procurement, tenderer=tenderer, price=flag.price, flag=flag.reason,
        decision=decision, explanation=explanation.strip(), decided_by=actor.user,
        decided_at=now,
    )  # fmt: skip
    audit_record(
        action=events.ABNORMALLY_LOW_DECIDED,
        subject=made,
        now=now,
        actor=actor.user,
        organisation=authority,
        payload={"tenderer": tenderer.pk, "price": str(flag.price), "decision": decision,
                 "explanation": made.explanation, "law": ABNORMALLY_LOW_LAW},
    )  # fmt: skip
    if decision == LowTenderDecision.REJECTED:
        participant_set(
            actor=actor, procurement=procurement, organisation=tenderer,
            standing=Standing.REJECTED,
            reason=f"Tender rejected as abnormally low ({ABNORMALLY_LOW_LAW}): {made.explanation}",
            now=now,
        )  # fmt: skip
        _rejection_letter(actor, procurement, made, now)
    return made


# The tie at the partner boundary, and the sign-off


@transaction.atomic
def tie_choose(
    *, actor: Actor, procurement_id: int, chosen: list[int], reason: str, now: datetime
) -> TieChoice:
    """At a tie on the partner boundary, the moderator chooses who is recommended, and why."""
    procurement, authority = _moderator(actor, procurement_id, "moderate")
    ranking = ranking_of(procurement)
    tie = ranking.tie if ranking else None
    if tie is None:
        raise Conflict("There is no tie at the partner boundary to choose on.")
    tied_ids = [t.pk for t in tie.tied]
    problems: dict[str, list[str]] = {}
    if len(set(chosen)) != tie.places or not set(chosen) <= set(tied_ids):
        names = ", ".join(t.name for t in tie.tied)
        problems["chosen"] = [f"Choose {tie.places} of the tied tenderers: {names}."]
    if not reason.strip():
        problems["reason"] = ["Give the reason for the choice; the tenderers will read it."]
    if problems:
        raise validation_failed_from(problems)
    choice, _ = TieChoice.objects.update_or_create(
        procurement=procurement,
        defaults={"tied": tied_ids, "chosen": sorted(set(chosen)), "reason": reason.strip(),
                  "recorded_by": actor.user, "recorded_at": now},
    )  # fmt: skip
    audit_record(
        action=events.TIE_CHOSEN, subject=choice, now=now, actor=actor.user,
        organisation=authority,
        payload={"tied": tied_ids, "chosen": choice.chosen, "reason": choice.reason},
    )  # fmt: skip
    return choice


@transaction.atomic
def evaluation_sign_off(
    *, actor: Actor, procurement_id: int, now: datetime
) -> list[EvaluationOutcome]:
    """
    A commissioner or procurement lead signs the evaluation off, in the rulebook's evaluation
    state: the ranking is frozen into one `EvaluationOutcome` per tenderer still in. Refused
    while anything is missing, with every missing item listed.
    """
    procurement, authority = _moderator(actor, procurement_id, "sign off the evaluation")
    state = evaluation_state(procurement)
    if procurement.state != state:
        raise Conflict(
            f"The evaluation is signed off in the state {state!r}, after tendering is closed"
            f" (the procurement is in {procurement.state!r}): close tendering first."
        )
    missing = sign_off_missing(procurement)
    ranking = ranking_of(procurement)
    if missing or ranking is None:
        raise Conflict(
            "The evaluation cannot be signed off yet: " + " ".join(missing),
            detail={"missing": missing},
        )
    outcomes = [
        EvaluationOutcome.objects.create(
            procurement=procurement,
            tenderer=line.tenderer,
            breakdown=line.breakdown,
            price=line.price,
            total=line.total,
            rank=line.rank,
            recommended=line.recommended,
            strengths=line.strengths,
            signed_off_by=actor.user,
            signed_off_at=now,
        )
        for line in ranking.lines
    ]
    audit_record(
        action=events.SIGNED_OFF,
        subject=procurement,
        now=now,
        actor=actor.user,
        organisation=authority,
        payload={
            "ranking": [
                {"tenderer": o.tenderer_id, "rank": o.rank, "total": str(o.total),
                 "recommended": o.recommended}
                for o in outcomes
            ],
            "evaluators": [u.pk for u in scoring_evaluators(procurement)],
        },
    )  # fmt: skip
    return outcomes
