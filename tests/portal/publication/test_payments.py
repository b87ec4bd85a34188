"""
The Act's payment notices built from paid claims: the payments compliance figures (s.69, reg
38), payments over £30,000 (s.70), contracts over £5m to publish (s.53(3)), and where each
duty does not apply.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from portal.partnerships.world import partnership_world

from sanely.portal.accounts.models import Nation, Role
from sanely.portal.award.models import Contract
from sanely.portal.core.clock import now
from sanely.portal.partnerships.models import Claim, ClaimStatus
from sanely.portal.publication.payments import (
    Period,
    contract_copies,
    duties,
    payments_compliance,
    quarter,
    reporting_period,
    significant_payments,
)


def test_reporting_periods_end_on_31_march_and_30_september_and_are_due_30_days_on():
    assert Period(date(2026, 4, 1), date(2026, 9, 30)) == reporting_period(date(2026, 7, 4))
    winter = reporting_period(date(2027, 2, 1))
    assert (
        Period(date(2026, 10, 1), date(2027, 3, 31))
        == winter
        == reporting_period(date(2026, 12, 31))
    )
    assert date(2027, 4, 29) == winter.due_on  # 30 days beginning with 31 March
    assert Period(date(2026, 4, 1), date(2026, 6, 30)) == quarter(date(2026, 5, 15))
    assert date(2026, 7, 29) == quarter(date(2026, 5, 15)).due_on  # as the guidance says
    assert Period(date(2026, 10, 1), date(2026, 12, 31)) == quarter(date(2026, 12, 31))


@pytest.mark.django_db
def test_the_compliance_figures_and_the_significant_payments_come_from_paid_claims(wessex):
    world = partnership_world(wessex)
    contract = Contract.objects.filter(procurement_id=world.procurement_id).first()
    user = wessex.user(Role.FINANCE_OFFICER)
    day = date(2026, 11, 2)
    for amount, taken, paid in (
        ("40000", 10, True),
        ("20000", 45, True),
        ("35000", 70, True),
        ("5000", 0, False),
    ):
        Claim.objects.create(
            contract=contract,
            phase_key="p",
            instalment_key="i",
            amount=Decimal(amount),
            status=ClaimStatus.PAID if paid else ClaimStatus.APPROVED,
            basis="Condition met.",
            invoice_reference="INV",
            invoice_received_on=day - timedelta(days=taken),
            submitted_by=user,
            submitted_at=now(),
            payment_due_on=day - timedelta(days=taken) + timedelta(days=29)
            if paid
            else date(2026, 12, 1),
            paid_on=day if paid else None,
        )
    figures = payments_compliance(wessex.organisation, reporting_period(day))
    assert 3 == figures.payments
    assert Decimal("41.7") == figures.average_days  # (10 + 45 + 70) / 3
    assert (Decimal("33.3"),) * 3 == (figures.within_30, figures.within_31_to_60, figures.from_61)
    # The 70-day invoice fell due in September, before the period: 3 fell due in it, 1 unpaid.
    assert 3 == figures.became_payable
    assert Decimal("33.3") == figures.not_paid_in_period
    big = significant_payments(wessex.organisation, quarter(day))
    assert [Decimal(40000), Decimal(35000)] == [p.amount for p in big]
    assert {contract.partner.name} == {p.supplier for p in big}
    assert [] == significant_payments(wessex.organisation, quarter(date(2026, 7, 1)))


@pytest.mark.django_db
def test_a_contract_over_5m_is_due_for_publication_within_90_days(wessex):
    world = partnership_world(wessex)
    assert [] == contract_copies(wessex.organisation)  # the demo-sized contracts are smaller
    contract = Contract.objects.filter(procurement_id=world.procurement_id).first()
    Contract.objects.filter(pk=contract.pk).update(max_cost=Decimal(6_000_000))
    [copy] = contract_copies(wessex.organisation)
    assert copy.due_on == copy.entered_on + timedelta(days=89)


@pytest.mark.django_db
def test_the_page_shows_the_notices_to_the_authority_and_nobody_else(wessex, mercia):
    page = wessex.client(Role.FINANCE_OFFICER).get(
        f"/publication/authorities/{wessex.organisation.pk}/payments", {"on": "2026-11-02"}
    )
    assert 200 == page.status_code
    assert "Payments compliance notice, 1 October 2026 to 31 March 2027" in page.text
    assert "Due by 29 April 2027" in page.text
    assert "Payments over £30,000, 1 October 2026 to 31 December 2026" in page.text
    other = mercia.client(Role.FINANCE_OFFICER).get(
        f"/publication/authorities/{wessex.organisation.pk}/payments"
    )
    assert 404 == other.status_code


@pytest.mark.django_db
def test_welsh_and_northern_irish_authorities_are_told_which_duties_do_not_apply(wessex):
    org = wessex.organisation
    org.nation = Nation.WALES
    welsh = duties(org)
    assert "" == welsh.payments_compliance
    assert "s.53(4)" in welsh.contract_copies
    assert "Welsh Ministers" in welsh.significant_payments
    org.nation = Nation.NORTHERN_IRELAND
    irish = duties(org)
    assert all(
        "Northern Ireland" in reason
        for reason in (irish.payments_compliance, irish.significant_payments, irish.contract_copies)
    )
    org.nation = Nation.ENGLAND
    assert ("", "", "") == tuple(duties(org).__dict__.values())
