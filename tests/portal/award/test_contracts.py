"""Contracts: refused before the standstill ends, then exactly one per partner, once."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from competition import PCR_COMMENCED_ON
from portal.award.record import AWARD_DESIGN, SENT_AT, evaluated

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.award import events as award_events
from sanely.portal.award.models import Contract
from sanely.portal.award.selectors import access_contract, partner_contract_list
from sanely.portal.award.services import award_notify, contracts_conclude
from sanely.portal.core.errors import Conflict, NotFound, RuleRefused

pytestmark = pytest.mark.django_db

PCR_LAST_DAY_NOON = datetime(2027, 3, 30, 12, 0, tzinfo=UTC)
PCR_AFTER = datetime(2027, 3, 31, 9, 0, tzinfo=UTC)
PA_LAST_DAY_NOON = datetime(2027, 4, 1, 12, 0, tzinfo=UTC)
PA_AFTER = datetime(2027, 4, 2, 9, 0, tzinfo=UTC)


def notified(wessex, evaluated):
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    award_notify(actor=lead, procurement_id=evaluated.procurement.pk, now=SENT_AT)
    return evaluated


def conclude(wessex, evaluated, at):
    return contracts_conclude(
        actor=wessex.actor(Role.COMMISSIONER), procurement_id=evaluated.procurement.pk, now=at
    )


@pytest.mark.parametrize(
    ("regime", "last_day", "rule", "state"),
    [
        ("pcr", PCR_LAST_DAY_NOON, "PCR15-87-1", "standstill"),
        ("pa", PA_LAST_DAY_NOON, "PA23-51", "standstill"),
    ],
)
def test_a_contract_on_the_standstills_last_day_is_refused_and_nothing_stored(
    request, wessex, regime, last_day, rule, state
):
    record = notified(wessex, request.getfixturevalue(regime))
    with pytest.raises(RuleRefused) as refused:
        conclude(wessex, record, last_day)
    assert rule == refused.value.rule
    assert 0 == Contract.objects.count()
    record.procurement.refresh_from_db()
    assert (state, None) == (record.procurement.state, record.procurement.contract_concluded_on)


@pytest.mark.parametrize(("regime", "after"), [("pcr", PCR_AFTER), ("pa", PA_AFTER)])
def test_after_the_standstill_each_partner_gets_one_contract(request, wessex, regime, after):
    record = notified(wessex, request.getfixturevalue(regime))
    contracts = conclude(wessex, record, after)
    assert ["Kestrel Mobility Ltd", "Osprey Robotics Ltd"] == [c.partner.name for c in contracts]
    record.procurement.refresh_from_db()
    assert ("partnership", 2, after.date()) == (
        record.procurement.state,
        record.procurement.active_partners,
        record.procurement.contract_concluded_on,
    )


def test_a_contract_holds_the_purchase_the_phases_and_the_partners_tender(wessex, pcr):
    notified(wessex, pcr)
    conclude(wessex, pcr, PCR_AFTER)
    contract = Contract.objects.get(partner=pcr.osprey.organisation)
    assert (["95% of trips on time"], ["On-time trips"], Decimal("450000.00")) == (
        contract.performance_levels,
        contract.kpis,
        contract.max_cost,
    )
    assert (Decimal("360000.00"), 2, Decimal("81.50")) == (
        contract.tendered_price,
        contract.rank,
        contract.total,
    )
    assert [
        {
            "name": "Prototype",
            "duration_months": 6,
            "max_value": "120000",
            "instalments": [
                {"description": "Prototype accepted", "amount": "80000"},
                {"description": "Pilot report", "amount": "40000"},
            ],
        }
    ] == contract.phases
    assert (PCR_AFTER, wessex.user(Role.COMMISSIONER)) == (
        contract.concluded_at,
        contract.concluded_by,
    )


def test_contracts_cannot_be_concluded_twice(wessex, pcr):
    notified(wessex, pcr)
    conclude(wessex, pcr, PCR_AFTER)
    with pytest.raises(Conflict, match="already concluded"):
        conclude(wessex, pcr, PCR_AFTER)
    assert 2 == Contract.objects.count()


def test_no_contract_before_the_decision_is_notified(wessex, pcr):
    with pytest.raises(Conflict, match="send the decision notices first"):
        conclude(wessex, pcr, PCR_AFTER)
    assert 0 == Contract.objects.count()


@pytest.mark.parametrize(
    ("purchase", "missing"),
    [
        ({"max_cost": "450000"}, "No performance levels are agreed"),
        ({"performance_levels": ["95% of trips on time"]}, "No maximum cost is agreed"),
    ],
)
def test_a_purchase_without_performance_levels_or_maximum_cost_is_refused(
    wessex, purchase, missing
):
    design = {**AWARD_DESIGN, "purchase": purchase}
    record = notified(
        wessex, evaluated(wessex, commenced_on=PCR_COMMENCED_ON, reference="IP-X", design=design)
    )
    with pytest.raises(RuleRefused, match=missing) as refused:
        conclude(wessex, record, PCR_AFTER)
    assert ("PCR15-31-9", "PCR 2015 reg. 31(9)") == (refused.value.rule, refused.value.citation)
    assert 0 == Contract.objects.count()


def test_a_partner_reads_its_own_contract_and_nobody_elses(wessex, mercia, pcr):
    notified(wessex, pcr)
    conclude(wessex, pcr, PCR_AFTER)
    kestrels = Contract.objects.get(partner=pcr.kestrel.organisation)
    ospreys = Contract.objects.get(partner=pcr.osprey.organisation)
    kestrel = pcr.kestrel.actor(Role.SUPPLIER_MEMBER)
    assert kestrels == access_contract(actor=kestrel, contract_id=kestrels.pk)
    assert [kestrels] == list(
        partner_contract_list(actor=kestrel, organisation_id=pcr.kestrel.organisation.pk)
    )
    for actor in (kestrel, pcr.heron.actor(Role.SUPPLIER_ADMIN), mercia.actor(Role.AUDITOR)):
        with pytest.raises(NotFound):
            access_contract(actor=actor, contract_id=ospreys.pk)
    with pytest.raises(NotFound):
        partner_contract_list(actor=kestrel, organisation_id=pcr.osprey.organisation.pk)
    assert ospreys == access_contract(actor=wessex.actor(Role.AUDITOR), contract_id=ospreys.pk)


def test_a_partner_finds_its_contract_from_the_opportunity_page(wessex, pcr):
    notified(wessex, pcr)
    conclude(wessex, pcr, PCR_AFTER)
    kestrels = Contract.objects.get(partner=pcr.kestrel.organisation)
    page = pcr.kestrel.client(Role.SUPPLIER_MEMBER).get(f"/opportunities/{pcr.procurement.pk}/")
    assert f'href="/award/contracts/{kestrels.pk}">Your partner contract</a>' in page.text
    others = pcr.heron.client(Role.SUPPLIER_ADMIN).get(f"/opportunities/{pcr.procurement.pk}/")
    assert "Your partner contract" not in others.text


def test_each_contract_is_audited_for_the_authority_with_its_partner(wessex, pcr):
    notified(wessex, pcr)
    contracts = conclude(wessex, pcr, PCR_AFTER)
    events = AuditEvent.objects.filter(action=award_events.CONTRACT_CONCLUDED).order_by("sequence")
    assert [(str(c.pk), wessex.organisation.pk, c.partner_id, "450000") for c in contracts] == [
        (e.subject_id, e.organisation_id, e.payload["partner"], e.payload["max_cost"])
        for e in events
    ]
