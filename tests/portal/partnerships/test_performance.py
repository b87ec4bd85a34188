"""
KPIs and social value tracked per period, and the performance assessment (PA 2023 s.71) rated
from them, with the next assessment dated by the engine for a contract over £5 million.
"""

import copy
from datetime import date, timedelta

import pytest
from portal.partnerships.world import PARTNERSHIP_DESIGN, partnership_world

from sanely.portal.accounts.models import Role
from sanely.portal.core.clock import now
from sanely.portal.core.errors import ValidationFailed
from sanely.portal.partnerships.models import Observation, PerformanceAssessment
from sanely.portal.partnerships.services import assessment_record, observation_record
from sanely.portal.procurements.engine import uk_date

pytestmark = pytest.mark.django_db
KPI = "On-time trips"  # the KPI the test design's purchase section sets


def _large_design():
    design = copy.deepcopy(PARTNERSHIP_DESIGN)
    for phase in design["phases"]["items"]:
        phase["max_value"] = "3000000"
    # Over £5 million the Act asks for at least three KPIs (s.52(1)).
    design["purchase"]["kpis"] = [KPI, "Passenger satisfaction", "Cost per passenger trip"]
    return design


def _observe(w, partner, lead, kind, measure, met, days_ago=40):
    today = uk_date(now())
    return observation_record(
        actor=lead,
        contract_id=w.contract(partner).pk,
        kind=kind,
        measure=measure,
        period_start=today - timedelta(days=days_ago),
        period_end=today - timedelta(days=days_ago - 30),
        observed="93% of 1,240 trips on time" if met else "71% of 1,180 trips on time",
        met=met,
        now=now(),
    )


def test_observations_name_a_kpi_of_the_contract_or_a_social_value_commitment(wessex) -> None:
    w = partnership_world(wessex)
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    with pytest.raises(ValidationFailed) as refused:
        _observe(w, w.record.kestrel, lead, "kpi", "Trips by horse", True)
    assert "measure" in refused.value.detail
    _observe(w, w.record.kestrel, lead, "kpi", KPI, True)
    _observe(w, w.record.kestrel, lead, "social_value", "Two local apprentice drivers", True)
    assert 2 == Observation.objects.count()


def test_an_assessment_rates_every_kpi_from_observations_and_dates_its_notice(wessex) -> None:
    w = partnership_world(wessex, design=_large_design())
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    kestrel = w.record.kestrel
    today = uk_date(now())
    period = {"period_start": today - timedelta(days=60), "period_end": today}
    ratings = {KPI: "requires_improvement", "Passenger satisfaction": "good"}
    ratings["Cost per passenger trip"] = "good"
    for partial, problem in (({KPI: "good"}, "Rate every KPI"), (ratings, "Record an observation")):
        with pytest.raises(ValidationFailed) as refused:
            assessment_record(
                actor=lead, contract_id=w.contract(kestrel).pk, ratings=partial, now=now(), **period
            )
        assert refused.value.detail["ratings"][0].startswith(problem)
    _observe(w, kestrel, lead, "kpi", KPI, False)
    _observe(w, kestrel, lead, "kpi", "Passenger satisfaction", True)
    _observe(w, kestrel, lead, "kpi", "Cost per passenger trip", True)
    assessed = assessment_record(
        actor=lead,
        contract_id=w.contract(kestrel).pk,
        ratings={
            KPI: "requires_improvement",
            "Passenger satisfaction": "good",
            "Cost per passenger trip": "good",
        },
        now=now(),
        **period,
    )
    assert "requires_improvement" == assessed.rating
    # s.71(1): the next assessment at least every 12 months (a day early, never late).
    assert date(today.year + 1, today.month, today.day) - timedelta(days=1) == assessed.next_due_on
    assert "UK9" in assessed.next_rule
    assert 1 == PerformanceAssessment.objects.count()


def test_a_period_that_has_not_ended_is_refused(wessex) -> None:
    w = partnership_world(wessex)
    today = uk_date(now())
    with pytest.raises(ValidationFailed) as refused:
        observation_record(
            actor=wessex.actor(Role.PROCUREMENT_LEAD),
            contract_id=w.contract(w.record.kestrel).pk,
            kind="kpi",
            measure=KPI,
            period_start=today,
            period_end=today + timedelta(days=30),
            observed="Not yet",
            met=True,
            now=now(),
        )
    assert "period_end" in refused.value.detail
    assert 0 == Observation.objects.count()
