"""
After publication, every design section the notice or documents fixed is refused with the rule
that fixed it and the lawful route, through the API and the page, in every regime; what the
authority keeps for its own planning, and the sections no rule fixes, still change.
"""

from datetime import date
from decimal import Decimal
from typing import Any, get_args

import pytest
from cast import AUTHORITY_ROLES, make_org

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.core.errors import RuleRefused, ValidationFailed
from sanely.portal.procurements import events as procurements_events
from sanely.portal.procurements.design import SECTIONS, Circumstance
from sanely.portal.procurements.engine import rulebook_of
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.services import procurement_design_update
from sanely.procedure import CIRCUMSTANCES, rulebook_for

pytestmark = pytest.mark.django_db

# (regime, the authority's nation, commencement)
REGIMES = {
    "pcr-2015-reg31": ("england", date(2024, 10, 1)),
    "pa-2023-cfp-ip": ("england", date(2026, 10, 1)),
    "pcsr-2015-reg32": ("scotland", date(2026, 10, 1)),
    "eu-2014-24-art31": ("eu", date(2026, 10, 1)),
}


def _change(section: str, design: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """A change to what the notice states of `section`, and the field it changes."""
    value = dict(design[section])
    if section == "phases":
        phase = dict(value["items"][0], max_value="250000.00")
        return {**value, "items": [phase]}, "items"
    changes = {
        "need": ("need_statement", "Residents also need evening journeys."),
        "minimum_requirements": ("items", ["Wheelchair accessible vehicles", "Electric only"]),
        "partners": ("min_candidates", 4),
        "gates": ("termination_conditions", "Any target missed by more than 10%."),
        "ipr": ("terms", "The authority owns the results."),
        "confidentiality": ("terms", "Tenders stay confidential for five years."),
        "selection": ("scale_max", 10),
        "award": ("social_value_minimum", "5"),
        "purchase": ("max_cost", "500000"),
        "conflicts": ("assessment_summary", "No conflicts; reviewed again in December."),
        "timeline": ("procedure_description", "Three rounds, then final tenders."),
    }
    field, new = changes[section]
    return {**value, field: new}, field


@pytest.fixture
def published(db, lawful_design):
    """A procurement of `regime` published under it, with the lawful design saved."""

    def make(regime: str) -> Procurement:
        nation, commenced_on = REGIMES[regime]
        authority = make_org(
            f"{regime} authority",
            "authority",
            AUTHORITY_ROLES,
            slug=regime.split("-")[0],
            nation=nation,
        )
        rulebook = rulebook_for(nation, commenced_on)
        assert regime == rulebook.id
        design = lawful_design(commenced_on)
        procurement = Procurement.objects.create(
            organisation=authority.organisation,
            reference=f"IP-LOCK-{regime.split('-')[0].upper()}",
            title="Rural transport",
            nation=nation,
            commenced_on=commenced_on,
            rulebook_id=rulebook.id,
            rulebook_effective_from=rulebook.effective_from,
            rulebook_hash=rulebook.content_hash,
            state=rulebook.initial_state,
            created_by=authority.user(Role.PROCUREMENT_LEAD),
            created_at=authority.organisation.created_at,
            updated_at=authority.organisation.created_at,
        )
        update(authority, procurement, design)
        published_in = rulebook.event(rulebook.design_event).target
        Procurement.objects.filter(pk=procurement.pk).update(
            state=published_in, published_at=authority.organisation.created_at
        )
        procurement.refresh_from_db()
        procurement.authority = authority
        return procurement

    return make


def update(authority, procurement: Procurement, sections: dict[str, Any]) -> Procurement:
    from sanely.portal.core.clock import now

    return procurement_design_update(
        actor=authority.actor(Role.PROCUREMENT_LEAD),
        procurement_id=procurement.pk,
        sections=sections,
        now=now(),
    )


CASES = [(regime, section) for regime in REGIMES for section in SECTIONS]


@pytest.mark.parametrize(("regime", "section"), CASES, ids=[f"{r}:{s}" for r, s in CASES])
def test_a_section_is_fixed_at_publication_exactly_where_the_rulebook_locks_it(
    published, regime, section
):
    procurement = published(regime)
    rulebook = rulebook_of(procurement)
    lock = next((lock for lock in rulebook.design_locks if lock.section == section), None)
    before = procurement.design[section]
    changed, field = _change(section, procurement.design)

    if lock is None:
        update(procurement.authority, procurement, {section: changed})
        procurement.refresh_from_db()
        assert procurement.design[section] != before
        return
    with pytest.raises(RuleRefused) as refused:
        update(procurement.authority, procurement, {section: changed})
    rule = rulebook.rule(lock.rule)
    assert (lock.rule, rule.citation) == (refused.value.rule, refused.value.citation)
    assert [f"{section}.{field}"] == list(refused.value.detail)
    assert [f"Fixed when the notice was published ({rule.citation}): {lock.route}."] == (
        refused.value.detail[f"{section}.{field}"]
    )
    assert f"To change them: {lock.route[:1].upper()}{lock.route[1:]}" in refused.value.message
    procurement.refresh_from_db()
    assert before == procurement.design[section]


def test_every_section_the_notice_or_documents_fix_is_locked_in_the_uk_regimes():
    fixed = {
        "need",
        "minimum_requirements",
        "partners",
        "phases",
        "gates",
        "ipr",
        "selection",
        "award",
        "purchase",
    }
    for regime in ("pcr-2015-reg31", "pa-2023-cfp-ip", "pcsr-2015-reg32"):
        nation, commenced_on = REGIMES[regime]
        assert fixed == {lock.section for lock in rulebook_for(nation, commenced_on).design_locks}


def test_the_api_refuses_a_fixed_change_with_the_field_rule_and_route(published):
    procurement = published("pa-2023-cfp-ip")
    client = procurement.authority.token_client(Role.PROCUREMENT_LEAD)
    changed, _ = _change("partners", procurement.design)
    response = client.patch(
        f"/api/v1/procurements/{procurement.pk}",
        {"partners": changed},
        content_type="application/json",
    )
    body = response.json()
    assert (409, "rule_refused", "PA23-31/design", "Procurement Act 2023 s.31(1)-(6)") == (
        response.status_code,
        body["code"],
        body["rule"],
        body["citation"],
    )
    assert ["partners.min_candidates"] == list(body["detail"])
    assert body["message"].startswith(
        "The partner model and the numbers of suppliers to invite were fixed when the call"
    )
    changes = AuditEvent.objects.filter(action=procurements_events.PROCUREMENT_DESIGN_CHANGED)
    assert 1 == changes.count()  # the design saved before publication, nothing since


def test_the_page_refuses_a_fixed_change_and_shows_the_rule_beside_the_field(published):
    procurement = published("pcr-2015-reg31")
    client = procurement.authority.client(Role.PROCUREMENT_LEAD)
    url = f"/procurements/{procurement.pk}/design/purchase"
    page = client.get(url)
    assert "The performance levels and maximum cost of the purchase were fixed" in page.text
    assert "(PCR 2015 reg. 31(9)). To change them: before award, revise" in page.text
    assert "Only what you keep for your own planning can still change here." in page.text
    answers = {
        "estimated_value": "400000",
        "max_cost": "500000",
        "performance_levels": "95% of trips on time",
        "kpis": "On-time trips",
    }
    refused = client.post(url, answers)
    assert 409 == refused.status_code
    assert "(PCR 2015 reg. 31(9); rule PCR15-31-9)" in refused.text
    assert 'href="#max_cost"' in refused.text
    kept = client.post(url, answers | {"max_cost": "450000"})
    assert 302 == kept.status_code  # only the key performance indicators changed
    needless = client.get(f"/procurements/{procurement.pk}/design/minimum_requirements")
    assert "Save and continue" not in needless.text
    assert "abandon and procure again" in needless.text


def test_what_the_authority_keeps_for_planning_still_changes_after_publication(published):
    procurement = published("pcr-2015-reg31")
    purchase = dict(procurement.design["purchase"], kpis=["On-time trips", "Complaints"])
    phases = procurement.design["phases"]
    target = dict(phases["items"][0]["targets"][0], expected_sd=4.5, observations_per_month=80.0)
    planned = {"items": [dict(phases["items"][0], targets=[target])]}

    update(procurement.authority, procurement, {"purchase": purchase, "phases": planned})

    procurement.refresh_from_db()
    assert ["On-time trips", "Complaints"] == procurement.design["purchase"]["kpis"]
    assert 4.5 == procurement.design["phases"]["items"][0]["targets"][0]["expected_sd"]
    sending_again = {"phases": procurement.design["phases"]}
    update(procurement.authority, procurement, sending_again)  # unchanged: never refused
    assert Decimal(procurement.design["purchase"]["max_cost"]) == Decimal("450000")


@pytest.mark.parametrize("regime", ["pcr-2015-reg31", "pcsr-2015-reg32", "eu-2014-24-art31"])
def test_the_act_s_circumstances_are_refused_where_no_table_depends_on_them(published, regime):
    procurement = published(regime)
    timeline = dict(procurement.design["timeline"], circumstances=["preselected_only"])
    with pytest.raises(ValidationFailed) as refused:
        update(procurement.authority, procurement, {"timeline": timeline})
    assert ["timeline.circumstances"] == list(refused.value.detail)
    assert (
        "sets no minimum period that depends on these: tenders may be submitted only"
        in (refused.value.detail["timeline.circumstances"][0])
    )


def test_under_the_act_the_timeline_records_the_circumstances_and_the_page_offers_them(
    published,
):
    procurement = published("pa-2023-cfp-ip")
    timeline = dict(procurement.design["timeline"], circumstances=["preselected_only"])
    update(procurement.authority, procurement, {"timeline": timeline})
    procurement.refresh_from_db()
    assert ["preselected_only"] == procurement.design["timeline"]["circumstances"]
    page = procurement.authority.client(Role.PROCUREMENT_LEAD).get(
        f"/procurements/{procurement.pk}/design/timeline"
    )
    assert "Tenders may be submitted only by pre-selected suppliers" in page.text
    pcr = published("pcr-2015-reg31")
    other = pcr.authority.client(Role.PROCUREMENT_LEAD).get(
        f"/procurements/{pcr.pk}/design/timeline"
    )
    assert "pre-selected suppliers" not in other.text


def test_the_timeline_offers_exactly_the_circumstances_of_the_engine():
    assert set(get_args(Circumstance)) == set(CIRCUMSTANCES)
