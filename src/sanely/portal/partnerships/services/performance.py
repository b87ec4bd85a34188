"""
Performance after the purchase (and during the partnership where the contract sets KPIs): each
period's observation of a KPI or of a social value commitment the partner made in its tender,
and the assessment against the KPIs (PA 2023 s.71), rated per KPI from those observations and
judged by the engine, which dates the next one (at least every 12 months; also on termination).
"""

from datetime import date, datetime

from django.db import transaction

from sanely import procedure
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.award.models import Contract
from sanely.portal.core.errors import validation_failed_from
from sanely.portal.procurements.engine import uk_date
from sanely.procedure import contract_events

from .. import events
from ..law import decide
from ..models import MeasureKind, Observation, PerformanceAssessment, Rating
from ..selectors import May, access_contract

# The overall rating is the worst of the KPIs' ratings: a contract is only as good as its
# weakest agreed measure ("other" sits apart and counts as unrated).
_WORST_FIRST = (
    Rating.INADEQUATE,
    Rating.REQUIRES_IMPROVEMENT,
    Rating.APPROACHING_TARGET,
    Rating.GOOD,
    Rating.OTHER,
)


def _period_problems(start: date, end: date, today: date) -> dict[str, list[str]]:
    if end < start:
        return {"period_end": ["The period ends before it starts: swap the dates."]}
    if end > today:
        return {"period_end": ["Record a period that has ended."]}
    return {}


@transaction.atomic
def observation_record(
    *,
    actor: Actor,
    contract_id: int,
    kind: str,
    measure: str,
    period_start: date,
    period_end: date,
    observed: str,
    met: bool,
    now: datetime,
    note: str = "",
) -> Observation:
    """One period's observation of a KPI (one the contract sets) or a social value commitment."""
    contract = access_contract(actor=actor, contract_id=contract_id, may=May.MANAGE)
    errors = _period_problems(period_start, period_end, uk_date(now))
    if kind not in MeasureKind.values:
        errors["kind"] = ["Say whether it is a KPI or a social value commitment."]
    elif kind == MeasureKind.KPI and measure not in contract.kpis:
        errors["measure"] = ["Choose one of the KPIs the contract sets."]
    elif not measure.strip() or len(measure) > 500:
        errors["measure"] = ["Name the social value commitment, in at most 500 characters."]
    if not observed.strip() or len(observed) > 500:
        errors["observed"] = ["Say what was observed, in at most 500 characters."]
    if errors:
        raise validation_failed_from(errors)
    found = Observation.objects.create(
        contract=contract,
        kind=kind,
        measure=measure.strip(),
        period_start=period_start,
        period_end=period_end,
        observed=observed.strip(),
        met=met,
        note=note.strip(),
        recorded_by=actor.user,
        recorded_at=now,
    )
    audit_record(
        action=events.OBSERVATION_RECORDED,
        subject=found,
        now=now,
        actor=actor.user,
        organisation=contract.procurement.organisation,
        payload={
            "contract": contract.pk,
            "kind": kind,
            "measure": found.measure,
            "period": [str(period_start), str(period_end)],
            "observed": found.observed,
            "met": met,
        },
    )
    return found


def _ratings_problems(contract: Contract, ratings: dict[str, str]) -> dict[str, list[str]]:
    if set(ratings) != set(contract.kpis) or not ratings:
        return {"ratings": ["Rate every KPI the contract sets, and only those."]}
    if not set(ratings.values()) <= set(Rating.values):
        return {
            "ratings": [
                "Rate each KPI good, approaching target, requires improvement, inadequate or other."
            ]
        }
    return {}


@transaction.atomic
def assessment_record(
    *,
    actor: Actor,
    contract_id: int,
    period_start: date,
    period_end: date,
    ratings: dict[str, str],
    now: datetime,
) -> PerformanceAssessment:
    """
    Assess the contract's performance over the period, KPI by KPI, from the observations
    tracked; the engine judges it and dates the notice the regime requires.
    """
    contract = access_contract(actor=actor, contract_id=contract_id, may=May.MANAGE)
    today = uk_date(now)
    errors = _period_problems(period_start, period_end, today) | _ratings_problems(
        contract, ratings
    )
    unobserved = [
        kpi
        for kpi in ratings
        if not Observation.objects.filter(
            contract=contract,
            kind=MeasureKind.KPI,
            measure=kpi,
            period_start__gte=period_start,
            period_end__lte=period_end,
        ).exists()
    ]
    if unobserved and not errors:
        errors["ratings"] = [
            f"Record an observation in the period first for: {', '.join(unobserved)}."
        ]
    if errors:
        raise validation_failed_from(errors)
    overall = next(r for r in _WORST_FIRST if r in ratings.values())
    decision = decide(
        contract,
        contract_events.ASSESS_PERFORMANCE,
        procedure.Assessment(assessed_on=today, rating=overall),
        now,
    )
    following = next((d for d in decision.dues if d.due_on is not None), None)
    assessed = PerformanceAssessment.objects.create(
        contract=contract,
        period_start=period_start,
        period_end=period_end,
        ratings=ratings,
        rating=overall,
        assessed_on=today,
        next_due_on=following.due_on if following else None,
        next_rule=f"{following.what} ({following.citation})" if following else "",
        assessed_by=actor.user,
        assessed_at=now,
    )
    audit_record(
        action=events.PERFORMANCE_ASSESSED,
        subject=assessed,
        now=now,
        actor=actor.user,
        organisation=contract.procurement.organisation,
        payload={"contract": contract.pk, "ratings": ratings, "rating": overall},
    )
    return assessed
