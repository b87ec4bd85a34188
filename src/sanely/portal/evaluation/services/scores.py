"""Each evaluator's independent scores, hidden from the others until submitted."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from sanely.documents.wording import number
from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.competition.selectors import declaration_refusal, is_tendering
from sanely.portal.core.errors import Conflict, ValidationFailed, validation_failed_from
from sanely.portal.procurements.models import Procurement

from .. import events
from ..models import Score, ScoreSubmission
from ..selectors import (
    Act,
    Place,
    access_evaluation,
    final_round_opened,
    scale_max,
    score_places,
    scoring_evaluators,
    signed_off,
    submitted,
)
from .checks import LONGEST_TEXT, locked_procurement, place_of, require_not_signed_off, tenderer_of


def parse_score(raw: object, place: Place, top: int, field: str) -> Decimal:
    """A score on the published scale, or a refusal naming the place and the scale."""
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise validation_failed_from(
            {field: [f"Score {place.name} with a number from 0 to {top}."]}
        ) from None
    if not value.is_finite() or value < 0 or value > top:
        shown = number(value) if value.is_finite() else str(raw)
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


def scoring_refusal(procurement: Procurement, actor: Actor, tenderer: Organisation) -> str | None:
    """Why the actor may not score the tenderer now, or None: the score page asks it too."""
    if signed_off(procurement):
        return "The evaluation is signed off: its results can no longer change."
    if not is_tendering(procurement, tenderer):
        return f"{tenderer.name} is no longer in the competition, so its tender is not scored."
    if not final_round_opened(procurement):
        return (
            "Tenders are scored once the final tenders have been opened: open the final tender"
            " round first."
        )
    why = declaration_refusal(procurement, actor.user, "score tenders")
    if why is not None:
        return why
    if actor.user.pk not in {u.pk for u in scoring_evaluators(procurement)}:
        return "Your declaration says you do not score tenders: declare again, saying you do."
    if submitted(procurement, actor.user, tenderer):
        return f"You have submitted your scores of {tenderer.name}; they can no longer change."
    return None


def _may_score(procurement: Procurement, actor: Actor, tenderer: Organisation) -> None:
    why = scoring_refusal(procurement, actor, tenderer)
    if why is not None:
        raise Conflict(why)


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
        place = place_of(procurement, entry.criterion, entry.sub_criterion)
        value = parse_score(entry.score, place, scale_max(procurement), score_field)
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
    locked_procurement(procurement)
    require_not_signed_off(procurement)
    tenderer = tenderer_of(procurement, tenderer_id)
    problems: dict[str, list[str]] = {}
    checked = [_entry_checked(procurement, entry, problems) for entry in entries]
    if problems:
        raise validation_failed_from(problems)
    _may_score(procurement, actor, tenderer)
    return [
        _score_store(
            procurement,
            membership.organisation,
            actor,
            tenderer,
            place,
            value,
            entry.justification.strip(),
            now,
        )
        for entry, (place, value) in zip(entries, filter(None, checked), strict=True)
    ]


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
        actor=actor,
        procurement_id=procurement_id,
        tenderer_id=tenderer_id,
        entries=[entry],
        now=now,
    )[0]


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
        procurement=procurement,
        evaluator=actor.user,
        tenderer=tenderer,
        criterion=place.criterion,
        sub_criterion=place.sub_criterion,
    ).first()
    recorded, _ = Score.objects.update_or_create(
        procurement=procurement,
        evaluator=actor.user,
        tenderer=tenderer,
        criterion=place.criterion,
        sub_criterion=place.sub_criterion,
        defaults={"score": value, "justification": justification, "recorded_at": now},
    )
    audit_record(
        action=events.SCORE_RECORDED,
        subject=recorded,
        now=now,
        actor=actor.user,
        organisation=authority,
        payload={
            "tenderer": tenderer.pk,
            "criterion": place.label,
            "from": number(previous.score) if previous else None,
            "to": number(value),
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
    locked_procurement(procurement)
    require_not_signed_off(procurement)
    tenderer = tenderer_of(procurement, tenderer_id)
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
