"""
The Procurement Act's payment notices and the copy of a large contract, built from the
partnerships' paid claims and the award's contracts, and the one write they need: the finance
director's approval of a payments compliance notice. The texts are in docs/after-award-law.md.

* **the payments compliance notice** (s.69; Procurement Regulations 2024 reg 38): for each
  reporting period in which a payment was made or a sum became payable, published before the end
  of the 30 days beginning with the period's last day. Periods end on 31 March and 30 September;
  the first begins the day s.69 came into force (s.69(3)(a)): 1 January 2026, or 1 April 2026
  for procurements the Welsh Ministers regulate (SI 2025/1316 reg 2). Its content (reg 38(2)):
  (a) the contracting authority information (reg 13), (b) the period's first and last days,
  (c) the average days taken to pay and the percentages paid in days 1-30, 31-60 and from day
  61 (day 1 is the day after the invoice was received), (d) the percentage of the sums that
  became payable in the period not paid in it, and (e) the statement of the director or similar
  officer responsible for the authority's finances that they approve the notice, with their
  name and job title. sanely computes (b)-(d), reads (a) from the organisation's details and
  asks for (e) and the notice's enquiry contact (reg 13(f)). Not for a transferred Northern
  Ireland authority (s.69(6)(a)).
* **information about payments over £30,000** (s.70): every such payment, published before the
  end of the 30 days beginning with the last day of the quarter it was made in; in force from 1
  April 2026, not yet for procurements the Welsh Ministers regulate (SI 2025/1316 reg 2(2)(b)),
  never for a transferred Northern Ireland authority (s.70(4)(d)). Its content is regulation
  38A, inserted by the Procurement (Amendment) Regulations 2026, whose text could not be read
  here: the contract, the supplier, the day and the amount are shown.
* **a copy of a contract over £5m** (s.53(3)): before the end of the 90 days beginning with the
  day it was entered into; not for a devolved Welsh or transferred Northern Ireland authority
  (s.53(4)).

The figures cover only the contracts sanely manages: s.69 is about all the authority's public
contracts, so the page presents them as this service's part of the authority's notice.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from sanely.portal.accounts.models import Membership, Nation, Organisation, OrganisationKind, Role
from sanely.portal.accounts.selectors import Actor, access_organisation
from sanely.portal.audit.services import audit_record
from sanely.portal.award.models import Contract
from sanely.portal.core.errors import Conflict, NotFound, PermissionDenied, validation_failed_from
from sanely.portal.core.text import validate_single_line
from sanely.portal.partnerships.models import Claim
from sanely.portal.procurements.engine import UK, rulebook_of, uk_date

from . import events
from .models import PaymentsApproval
from .sources import contract_value

ACT = "Procurement Act 2023"
SIGNIFICANT = Decimal(30_000)  # s.70(1): more than £30,000
LARGE_CONTRACT = Decimal(5_000_000)  # s.53(3): more than £5 million
CONTRACT_COPY_DAYS = 90  # s.53(3)(b)
NOTICE_DAYS = 30  # s.69(1), s.70(2)
# SI 2025/1316 reg 2: s.69 from 1 January 2026 (1 April 2026 where the Welsh Ministers regulate
# the procurement); s.70 from 1 April 2026, not yet where they do.
PAYMENTS_COMPLIANCE_FROM = date(2026, 1, 1)
PAYMENTS_COMPLIANCE_FROM_WALES = date(2026, 4, 1)
SIGNIFICANT_PAYMENTS_FROM = date(2026, 4, 1)
TEXT_LIMIT = 200
# Who records the finance director's approval: the authority's finance and procurement leads.
APPROVAL_RECORDERS = frozenset({Role.FINANCE_OFFICER, Role.PROCUREMENT_LEAD})


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def due_on(self) -> date:
        """The last day of the 30 beginning with the period's last day."""
        return self.last + timedelta(days=NOTICE_DAYS - 1)

    def holds(self, day: date | None) -> bool:
        return day is not None and self.first <= day <= self.last


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def payments_compliance_from(organisation: Organisation) -> date:
    """The day s.69 came into force for the organisation's procurements."""
    if organisation.nation == Nation.WALES:
        return PAYMENTS_COMPLIANCE_FROM_WALES
    return PAYMENTS_COMPLIANCE_FROM


def reporting_period(day: date, commenced: date = PAYMENTS_COMPLIANCE_FROM) -> Period | None:
    """
    The reporting period that holds `day` (s.69(3)): six months ending 31 March or 30
    September, the first beginning on the day s.69 came into force. None before that day.
    """
    if day < commenced:
        return None
    if 4 <= day.month <= 9:
        period = Period(date(day.year, 4, 1), date(day.year, 9, 30))
    else:
        year = day.year if day.month >= 10 else day.year - 1
        period = Period(date(year, 10, 1), date(year + 1, 3, 31))
    return Period(max(period.first, commenced), period.last)


def quarter(day: date) -> Period:
    """The quarter that holds `day`: three months ending 31 March, 30 June, 30 September or
    31 December (s.70(5))."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    return Period(date(day.year, first_month, 1), _month_end(day.year, first_month + 2))


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class AuthorityInformation:
    """The contracting authority information of reg 13 that a notice of one authority carries:
    (a) its name, (c) a contact postal address and email address, (d) its unique identifier.
    The enquiry contact of reg 13(f) is asked for with the approval."""

    name: str
    postal_address: str
    email: str
    identifier: str

    @property
    def missing(self) -> tuple[str, ...]:
        """What reg 13 asks for that the organisation's details do not hold yet."""
        wanted = (
            ("a contact postal address", self.postal_address),
            ("a contact email address", self.email),
            ("its unique identifier", self.identifier),
        )
        return tuple(what for what, value in wanted if not value.strip())


def authority_information(organisation: Organisation) -> AuthorityInformation:
    address = ", ".join(
        part.strip() for part in (organisation.address, organisation.postcode) if part.strip()
    )
    identifier = (
        f"{organisation.identifier_scheme}-{organisation.identifier}"
        if organisation.identifier_scheme and organisation.identifier
        else organisation.identifier
    )
    return AuthorityInformation(
        name=organisation.name,
        postal_address=address,
        email=organisation.contact_email,
        identifier=identifier,
    )


@dataclass(frozen=True)
class PaymentsCompliance:
    """What reg 38(2)(a)-(d) asks of a payments compliance notice, for this service's
    contracts; (e), the approval, is recorded by the authority (`payments_approval`)."""

    authority: AuthorityInformation
    period: Period
    payments: int
    average_days: Decimal | None
    within_30: Decimal | None
    within_31_to_60: Decimal | None
    from_61: Decimal | None
    became_payable: int
    not_paid_in_period: Decimal | None

    def figures(self) -> dict[str, str]:
        """The figures an approval approves, as text, to tell later whether they changed."""
        values = {
            "first": self.period.first,
            "last": self.period.last,
            "payments": self.payments,
            "average_days": self.average_days,
            "within_30": self.within_30,
            "within_31_to_60": self.within_31_to_60,
            "from_61": self.from_61,
            "became_payable": self.became_payable,
            "not_paid_in_period": self.not_paid_in_period,
        }
        return {name: "" if value is None else str(value) for name, value in values.items()}


def _act_claims(organisation: Organisation) -> list[Claim]:
    """The claims under the organisation's contracts awarded under the Act."""
    claims = Claim.objects.filter(contract__procurement__organisation=organisation).select_related(
        "contract__procurement", "contract__partner"
    )
    return [c for c in claims if rulebook_of(c.contract.procurement).regime == ACT]


def payments_compliance(organisation: Organisation, period: Period) -> PaymentsCompliance:
    claims = _act_claims(organisation)
    paid = [c for c in claims if c.paid_on is not None and period.holds(c.paid_on)]
    days = [(c.paid_on - c.invoice_received_on).days for c in paid if c.paid_on is not None]
    payable = [c for c in claims if period.holds(c.payment_due_on)]
    unpaid = [c for c in payable if c.paid_on is None or c.paid_on > period.last]
    return PaymentsCompliance(
        authority=authority_information(organisation),
        period=period,
        payments=len(paid),
        average_days=(Decimal(sum(days)) / len(days)).quantize(Decimal("0.1")) if days else None,
        within_30=_percent(sum(d <= 30 for d in days), len(days)),
        within_31_to_60=_percent(sum(30 < d <= 60 for d in days), len(days)),
        from_61=_percent(sum(d > 60 for d in days), len(days)),
        became_payable=len(payable),
        not_paid_in_period=_percent(len(unpaid), len(payable)),
    )


@dataclass(frozen=True)
class Approval:
    """The approval of reg 38(2)(e) as recorded, and whether it covers the current figures."""

    name: str
    job_title: str
    enquiry_contact: str
    recorded_on: date
    current: bool

    @property
    def statement(self) -> str:
        return (
            f"{self.name}, {self.job_title}, the officer responsible for the authority's"
            " finances, approves this payments compliance notice."
        )


def payments_approval(
    compliance: PaymentsCompliance, organisation: Organisation
) -> Approval | None:
    """The latest approval recorded for the notice's period, if any."""
    latest = (
        PaymentsApproval.objects.filter(
            organisation=organisation,
            period_first=compliance.period.first,
            period_last=compliance.period.last,
        )
        .order_by("-recorded_at", "-pk")
        .first()
    )
    if latest is None:
        return None
    return Approval(
        name=latest.approver_name,
        job_title=latest.approver_job_title,
        enquiry_contact=latest.enquiry_contact,
        recorded_on=uk_date(latest.recorded_at),
        current=latest.figures == compliance.figures(),
    )


def compliance_missing(compliance: PaymentsCompliance, approval: Approval | None) -> list[str]:
    """What reg 38(2) asks for that is not recorded yet, in words; empty when complete."""
    missing = [
        f"The authority's {what} (regulation 13): add it to your organisation's details."
        for what in compliance.authority.missing
    ]
    if approval is None:
        missing.append(
            "The approval of the officer responsible for the authority's finances, with their"
            " name and job title (regulation 38(2)(e))."
        )
    elif not approval.current:
        missing.append(
            f"A fresh approval: the figures have changed since {approval.name} approved them"
            " (regulation 38(2)(e))."
        )
    return missing


def _single_line(value: str, field: str, what: str, errors: dict[str, list[str]]) -> str:
    text = value.strip()
    try:
        validate_single_line(text)
    except ValidationError:
        errors[field] = [f"Give {what} on one line, without line breaks or control characters."]
        return text
    if not text:
        errors[field] = [f"Enter {what}."]
    elif len(text) > TEXT_LIMIT:
        errors[field] = [f"Give {what} in at most {TEXT_LIMIT} characters."]
    return text


def approval_recorder(*, actor: Actor, organisation_id: int) -> tuple[Organisation, Membership]:
    """The authority and the membership through which the actor may record an approval."""
    organisation, _ = access_organisation(actor=actor, organisation_id=organisation_id, write=True)
    if organisation.kind != OrganisationKind.AUTHORITY:
        raise NotFound("No such authority.")
    recorder = [m for m in actor.in_organisation(organisation_id) if m.role in APPROVAL_RECORDERS]
    if not recorder:
        raise PermissionDenied(
            "Only the authority's finance officers and procurement leads can record this approval."
        )
    return organisation, recorder[0]


def may_record_approval(membership: Membership) -> bool:
    return membership.role in APPROVAL_RECORDERS


def payments_approve(
    *,
    actor: Actor,
    organisation_id: int,
    period_first: date,
    approver_name: str,
    approver_job_title: str,
    enquiry_contact: str,
    confirmed: bool,
    now: datetime,
) -> PaymentsApproval:
    """
    Record the approval a payments compliance notice needs (reg 38(2)(e)): who approved it, their
    job title, that they are the officer responsible for the authority's finances, and the
    notice's enquiry contact (reg 13(f)), with the figures approved. The period must have ended.
    """
    with transaction.atomic():
        organisation, membership = approval_recorder(actor=actor, organisation_id=organisation_id)
        reason = duties(organisation).payments_compliance
        if reason:
            raise Conflict(reason)
        errors: dict[str, list[str]] = {}
        period = reporting_period(period_first, payments_compliance_from(organisation))
        if period is None or period.first != period_first:
            errors["period"] = ["Choose a reporting period from the payments page."]
        elif uk_date(now) <= period.last:
            errors["period"] = [
                f"The period ends on {period.last:%-d %B %Y}: approve its notice from the day"
                " after, when its figures are complete."
            ]
        name = _single_line(approver_name, "approver_name", "the approving officer's name", errors)
        title = _single_line(
            approver_job_title, "approver_job_title", "the approving officer's job title", errors
        )
        contact = _single_line(
            enquiry_contact, "enquiry_contact", "who to contact about the notice", errors
        )
        if not confirmed:
            errors["confirmed"] = [
                "Confirm that this officer is responsible for the authority's finances and"
                " approves the notice."
            ]
        if errors or period is None:
            raise validation_failed_from(errors)
        figures = payments_compliance(organisation, period).figures()
        approval = PaymentsApproval.objects.create(
            organisation=organisation,
            period_first=period.first,
            period_last=period.last,
            approver_name=name,
            approver_job_title=title,
            enquiry_contact=contact,
            figures=figures,
            recorded_by=actor.user,
            recorded_at=now,
        )
        audit_record(
            action=events.PAYMENTS_APPROVED,
            subject=approval,
            now=now,
            actor=actor.user,
            organisation=membership.organisation,
            payload={
                "period": [str(period.first), str(period.last)],
                "approver": name,
                "job_title": title,
                "figures": figures,
            },
        )
        return approval


@dataclass(frozen=True)
class SignificantPayment:
    procurement: str
    supplier: str
    paid_on: date
    amount: Decimal
    invoice_reference: str
    payment_reference: str


def significant_payments(organisation: Organisation, period: Period) -> list[SignificantPayment]:
    """Payments over £30,000 made in the quarter (s.70), oldest first; none before s.70 came
    into force."""
    return sorted(
        (
            SignificantPayment(
                procurement=c.contract.procurement.title,
                supplier=c.contract.partner.name,
                paid_on=c.paid_on,
                amount=c.amount,
                invoice_reference=c.invoice_reference,
                payment_reference=c.payment_reference,
            )
            for c in _act_claims(organisation)
            if c.paid_on is not None
            and c.paid_on >= SIGNIFICANT_PAYMENTS_FROM
            and period.holds(c.paid_on)
            and c.amount > SIGNIFICANT
        ),
        key=lambda p: (p.paid_on, p.procurement),
    )


@dataclass(frozen=True)
class ContractCopy:
    """A contract over £5m whose copy must be published (s.53(3))."""

    procurement: str
    supplier: str
    value: Decimal
    entered_on: date

    @property
    def due_on(self) -> date:
        return self.entered_on + timedelta(days=CONTRACT_COPY_DAYS - 1)


def contract_copies(organisation: Organisation) -> list[ContractCopy]:
    contracts = Contract.objects.filter(procurement__organisation=organisation).select_related(
        "procurement", "partner"
    )
    return [
        ContractCopy(
            procurement=c.procurement.title,
            supplier=c.partner.name,
            value=contract_value(c),
            entered_on=c.concluded_at.astimezone(UK).date(),
        )
        for c in contracts
        if rulebook_of(c.procurement).regime == ACT and contract_value(c) > LARGE_CONTRACT
    ]


@dataclass(frozen=True)
class Duties:
    """Which of these duties apply to an authority, by where it is, with the reason if not."""

    payments_compliance: str
    significant_payments: str
    contract_copies: str


def duties(organisation: Organisation) -> Duties:
    """An empty reason: the duty applies."""
    if organisation.nation == Nation.NORTHERN_IRELAND:
        ni = "Not for a transferred Northern Ireland authority"
        return Duties(f"{ni} (s.69(6)(a)).", f"{ni} (s.70(4)(d)).", f"{ni} (s.53(4)).")
    if organisation.nation == Nation.WALES:
        return Duties(
            "",
            "Not yet in force for procurements the Welsh Ministers regulate"
            " (SI 2025/1316 reg 2(2)(b)).",
            "Not for a devolved Welsh authority (s.53(4)).",
        )
    return Duties("", "", "")
