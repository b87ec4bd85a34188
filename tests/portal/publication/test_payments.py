"""
The Act's payment notices built from paid claims: the payments compliance figures (s.69, reg
38), payments over £30,000 (s.70), contracts over £5m to publish (s.53(3)), and where each
duty does not apply.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from portal.partnerships.world import partnership_world

from sanely.portal.accounts.models import Nation, Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.award.models import Contract
from sanely.portal.core.clock import now
from sanely.portal.core.errors import Conflict, PermissionDenied, ValidationFailed
from sanely.portal.partnerships.models import Claim, ClaimStatus
from sanely.portal.publication import events
from sanely.portal.publication.models import PaymentsApproval
from sanely.portal.publication.payments import (
    PAYMENTS_COMPLIANCE_FROM_WALES,
    Period,
    compliance_missing,
    contract_copies,
    duties,
    payments_approval,
    payments_approve,
    payments_compliance,
    quarter,
    reporting_period,
    significant_payments,
)

SUMMER = Period(date(2026, 4, 1), date(2026, 9, 30))
AFTER_SUMMER = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def test_reporting_periods_end_on_31_march_and_30_september_and_are_due_30_days_on():
    assert Period(date(2026, 4, 1), date(2026, 9, 30)) == reporting_period(date(2026, 7, 4))
    winter = reporting_period(date(2027, 2, 1))
    assert (
        Period(date(2026, 10, 1), date(2027, 3, 31))
        == winter
        == reporting_period(date(2026, 12, 31))
    )
    assert date(2027, 4, 29) == winter.due_on  # 30 days beginning with 31 March
    # s.69(3)(a): the first period begins the day s.69 came into force (SI 2025/1316 reg 2).
    assert reporting_period(date(2025, 12, 31)) is None
    assert Period(date(2026, 1, 1), date(2026, 3, 31)) == reporting_period(date(2026, 2, 1))
    assert date(2026, 4, 29) == reporting_period(date(2026, 1, 1)).due_on
    assert reporting_period(date(2026, 3, 31), PAYMENTS_COMPLIANCE_FROM_WALES) is None
    assert SUMMER == reporting_period(date(2026, 4, 1), PAYMENTS_COMPLIANCE_FROM_WALES)
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


def _paid_claim(contract, user, *, amount, received, paid_on, due_on):
    return Claim.objects.create(
        contract=contract,
        phase_key="p",
        instalment_key="i",
        amount=Decimal(amount),
        status=ClaimStatus.PAID if paid_on else ClaimStatus.APPROVED,
        basis="Condition met.",
        invoice_reference="INV-7",
        invoice_received_on=received,
        submitted_by=user,
        submitted_at=now(),
        payment_due_on=due_on,
        paid_on=paid_on,
        payment_reference="BACS-7" if paid_on else "",
    )


def _details(organisation):
    organisation.address = "County Hall, Winchester"
    organisation.postcode = "SO23 8UJ"
    organisation.contact_email = "procurement@wessex.example"
    organisation.identifier_scheme, organisation.identifier = "GB-LAE", "WSX"
    organisation.save()


def _approve(wessex, role=Role.FINANCE_OFFICER, **fields):
    given = {
        "period_first": SUMMER.first,
        "approver_name": "Priya Shah",
        "approver_job_title": "Director of Finance",
        "enquiry_contact": "Procurement team",
        "confirmed": True,
    }
    return payments_approve(
        actor=wessex.actor(role),
        organisation_id=wessex.organisation.pk,
        now=AFTER_SUMMER,
        **{**given, **fields},
    )


@pytest.mark.django_db
def test_each_item_regulation_38_asks_for_is_listed_until_it_is_recorded(wessex):
    figures = payments_compliance(wessex.organisation, SUMMER)
    missing = compliance_missing(figures, payments_approval(figures, wessex.organisation))
    assert 4 == len(missing)
    for item in ("postal address", "email address", "unique identifier", "38(2)(e)"):
        assert any(item in line for line in missing), item
    _details(wessex.organisation)
    _approve(wessex)
    figures = payments_compliance(wessex.organisation, SUMMER)
    approval = payments_approval(figures, wessex.organisation)
    assert [] == compliance_missing(figures, approval)
    assert ("County Hall, Winchester, SO23 8UJ", "GB-LAE-WSX") == (
        figures.authority.postal_address,
        figures.authority.identifier,
    )
    assert "Priya Shah, Director of Finance" in approval.statement
    assert "approves this payments compliance notice" in approval.statement
    assert (date(2026, 10, 1), "Procurement team") == (
        approval.recorded_on,
        approval.enquiry_contact,
    )


@pytest.mark.django_db
def test_an_approval_goes_stale_when_the_figures_it_approved_change(wessex):
    world = partnership_world(wessex)
    contract = Contract.objects.filter(procurement_id=world.procurement_id).first()
    _details(wessex.organisation)
    _approve(wessex)
    _paid_claim(
        contract,
        wessex.user(Role.FINANCE_OFFICER),
        amount="40000",
        received=date(2026, 9, 1),
        paid_on=date(2026, 9, 20),
        due_on=date(2026, 9, 30),
    )
    figures = payments_compliance(wessex.organisation, SUMMER)
    approval = payments_approval(figures, wessex.organisation)
    assert not approval.current
    assert ["fresh approval"] == [m[2:16] for m in compliance_missing(figures, approval)]
    _approve(wessex, approver_name="Tom Reed")
    approval = payments_approval(figures, wessex.organisation)
    assert approval.current
    assert "Tom Reed" == approval.name


@pytest.mark.django_db
def test_the_approval_asks_for_each_field_and_stores_nothing_when_one_is_wrong(wessex):
    with pytest.raises(ValidationFailed) as refused:
        _approve(
            wessex, approver_name=" ", approver_job_title="", enquiry_contact="", confirmed=False
        )
    assert {"approver_name", "approver_job_title", "enquiry_contact", "confirmed"} == set(
        refused.value.detail
    )
    with pytest.raises(ValidationFailed) as refused:
        _approve(
            wessex,
            approver_job_title="Director\nof Finance",
            enquiry_contact="Team\x00",
            approver_name="P" * 201,
        )
    assert {"approver_job_title", "enquiry_contact", "approver_name"} == set(refused.value.detail)
    assert "at most 200 characters" in refused.value.detail["approver_name"][0]
    with pytest.raises(ValidationFailed) as early:
        payments_approve(
            actor=wessex.actor(Role.FINANCE_OFFICER),
            organisation_id=wessex.organisation.pk,
            period_first=SUMMER.first,
            approver_name="Priya Shah",
            approver_job_title="Director of Finance",
            enquiry_contact="Procurement team",
            confirmed=True,
            now=datetime(2026, 9, 30, 12, 0, tzinfo=UTC),
        )
    assert "30 September 2026" in early.value.detail["period"][0]
    with pytest.raises(ValidationFailed) as mid:
        _approve(wessex, period_first=date(2026, 5, 1))
    assert ["period"] == list(mid.value.detail)
    for role in (Role.AUDITOR, Role.EVALUATOR, Role.COMMISSIONER):
        with pytest.raises(PermissionDenied):
            _approve(wessex, role=role)
    assert not PaymentsApproval.objects.exists()
    assert not AuditEvent.objects.filter(action=events.PAYMENTS_APPROVED).exists()


@pytest.mark.django_db
def test_an_approval_is_audited_with_the_figures_it_approved(wessex):
    approval = _approve(wessex)
    event = AuditEvent.objects.get(action=events.PAYMENTS_APPROVED)
    assert approval.figures == event.payload["figures"]
    assert ("Priya Shah", "Director of Finance") == (
        event.payload["approver"],
        event.payload["job_title"],
    )


@pytest.mark.django_db
def test_a_northern_irish_authority_has_no_notice_to_approve(wessex):
    wessex.organisation.nation = Nation.NORTHERN_IRELAND
    wessex.organisation.save()
    with pytest.raises(Conflict, match=r"s\.69\(6\)\(a\)"):
        _approve(wessex)


@pytest.mark.django_db
def test_payments_before_section_70_came_into_force_are_not_listed(wessex):
    world = partnership_world(wessex)
    contract = Contract.objects.filter(procurement_id=world.procurement_id).first()
    user = wessex.user(Role.FINANCE_OFFICER)
    for paid in (date(2026, 3, 31), date(2026, 4, 1)):
        _paid_claim(contract, user, amount="50000", received=paid, paid_on=paid, due_on=paid)
    assert [] == significant_payments(wessex.organisation, quarter(date(2026, 3, 31)))
    [april] = significant_payments(wessex.organisation, quarter(date(2026, 4, 1)))
    assert ("INV-7", "BACS-7") == (april.invoice_reference, april.payment_reference)
    page = wessex.client(Role.FINANCE_OFFICER).get(
        f"/publication/authorities/{wessex.organisation.pk}/payments", {"on": "2026-02-01"}
    )
    assert "Payments compliance notice, 1 January 2026 to 31 March 2026" in page.text
    assert "Not in force before 1 April 2026 (section 70)" in page.text


@pytest.mark.django_db
def test_the_approval_page_records_the_officer_and_the_payments_page_shows_it(wessex):
    url = f"/publication/authorities/{wessex.organisation.pk}/payments"
    client = wessex.client(Role.FINANCE_OFFICER)
    before = client.get(url, {"on": "2026-05-01"})
    assert "Not recorded" in before.text
    assert "The notice cannot be published until it has" in before.text
    assert f"{url}/approve?period=2026-04-01" in before.text
    wrong = client.post(
        f"{url}/approve?period=2026-04-01",
        {"approver_name": "Priya Shah", "approver_job_title": "", "enquiry_contact": "Team"},
    )
    assert 400 == wrong.status_code
    assert "Enter the approving officer&#39;s job title." in wrong.text
    assert "Confirm that this officer is responsible" in wrong.text
    assert not PaymentsApproval.objects.exists()
    done = client.post(
        f"{url}/approve?period=2026-04-01",
        {
            "approver_name": "Priya Shah",
            "approver_job_title": "Director of Finance",
            "enquiry_contact": "Procurement team",
            "confirmed": "on",
        },
    )
    assert 302 == done.status_code
    assert done["Location"].endswith("/payments?on=2026-04-01")
    after = client.get(url, {"on": "2026-05-01"})
    assert "Priya Shah, Director of Finance, the officer responsible" in after.text
    auditor = wessex.client(Role.AUDITOR)
    assert f"{url}/approve" not in auditor.get(url, {"on": "2026-05-01"}).text
    assert 403 == auditor.get(f"{url}/approve?period=2026-04-01").status_code
    commissioner = wessex.client(Role.COMMISSIONER)
    assert f"{url}/approve" not in commissioner.get(url, {"on": "2026-05-01"}).text
    assert 403 == commissioner.get(f"{url}/approve?period=2026-04-01").status_code
    assert 404 == client.get(f"{url}/approve?period=2025-06-01").status_code  # before s.69
