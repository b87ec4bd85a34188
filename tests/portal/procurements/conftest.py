import json
from datetime import date, timedelta

import pytest

from sanely.portal.accounts.models import Role
from sanely.portal.core.clock import now
from sanely.portal.procurements.engine import uk_date
from sanely.procedure import deadline_for


def _lawful_design(notice_on: date, deadline_days: int | None = None) -> dict:
    """
    A design every rulebook accepts, with the notice on `notice_on`; the requests deadline is
    `deadline_days` after it, or by default the earliest that PCR 2015 (the longest period,
    rolled off non-working days) allows.
    """
    deadline = (
        notice_on + timedelta(days=deadline_days)
        if deadline_days is not None
        else deadline_for("requests-to-participate", "pcr-2015-reg31", notice_on).date
    )
    return {
        "need": {
            "need_statement": "Rural residents cannot reach appointments without a car.",
            "market_unavailability": "No demand-responsive service works at this density.",
            "outcomes": ["Shorter journeys to appointments"],
        },
        "minimum_requirements": {"items": ["Wheelchair accessible vehicles"]},
        "partners": {"partner_model": "multiple", "max_partners": 3, "min_candidates": 3},
        "phases": {
            "items": [
                {
                    "name": "Prototype",
                    "purpose": "Build and test the booking service",
                    "duration_months": 6,
                    "max_value": "200000.00",
                    "targets": [
                        {
                            "metric": "Median wait in minutes",
                            "comparator": "<=",
                            "threshold": "20",
                            "evidence_standard": "ci_bound",
                        }
                    ],
                    "instalments": [{"description": "On prototype acceptance", "amount": "150000"}],
                }
            ]
        },
        "gates": {
            "termination_announced": True,
            "termination_conditions": "Targets missed at a gate.",
            "reduction_announced": False,
        },
        "ipr": {"model": "partner_owns_with_licence", "terms": "Perpetual free licence."},
        "confidentiality": {"terms": "Tenders are confidential."},
        "selection": {
            "criteria": [
                {"name": "R&D track record", "tag": "rd_capacity"},
                {"name": "Delivered innovations", "tag": "innovation_implementation"},
            ]
        },
        "award": {
            "model": "price_quality",
            "criteria": [
                {"name": "Quality", "kind": "quality", "weight": "60"},
                {"name": "Price", "kind": "price", "weight": "30"},
                {"name": "Social value", "kind": "social_value", "weight": "10"},
            ],
        },
        "purchase": {
            "estimated_value": "400000",
            "max_cost": "450000",
            "performance_levels": ["95% of trips on time"],
            "kpis": ["On-time trips", "Cost per trip", "Satisfaction"],
        },
        "conflicts": {"assessment_complete": True, "assessment_summary": "No conflicts."},
        "timeline": {
            "notice_on": notice_on.isoformat(),
            "requests_deadline": deadline.isoformat(),
            "procedure_description": "Two rounds, then final tenders; three phases with gates.",
        },
    }


def _api(client, method, url, body=None):
    return getattr(client, method)(
        url, json.dumps(body) if body is not None else None, content_type="application/json"
    )


@pytest.fixture
def lawful_design():
    return _lawful_design


@pytest.fixture
def api():
    return _api


@pytest.fixture
def today():
    return uk_date(now())


@pytest.fixture
def lead(wessex):
    return wessex.token_client(Role.PROCUREMENT_LEAD)


@pytest.fixture
def make_procurement(lead, wessex, today):
    """A procurement of Wessex through the API, with a lawful design saved."""

    def make(commenced_on=None, deadline_days=None, **changes):
        body = {"organisation_id": wessex.organisation.pk, "title": "Rural transport"}
        if commenced_on:
            body["commenced_on"] = commenced_on.isoformat()
        created = _api(lead, "post", "/api/v1/procurements", body)
        assert 201 == created.status_code, created.content
        design = _lawful_design(today, deadline_days) | changes
        pid = created.json()["id"]
        saved = _api(lead, "patch", f"/api/v1/procurements/{pid}", design)
        assert 200 == saved.status_code, saved.content
        return pid

    return make
