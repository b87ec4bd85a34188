"""
The Procurement Act's payment notices and the copy of a large contract, built from the
partnerships' paid claims and the award's contracts (read only):

* **the payments compliance notice** (s.69; Procurement Regulations 2024 reg 38): for each
  six-month reporting period ending 31 March or 30 September in which a payment was made or a
  sum became payable, published within 30 days beginning with the period's last day: the
  period's first and last days, the average days taken to pay (day 1 is the day after the
  invoice was received), the percentage paid within days 1-30, 31-60 and from day 61, the
  percentage of sums that became payable in the period and were not paid in it, and the approval
  of the authority's finance director (name and job title). Not for a transferred Northern
  Ireland authority (s.69(6)(a)).
* **information about payments over £30,000** (s.70): every such payment, published within 30
  days beginning with the last day of the quarter it was made in. Its content is specified by
  regulations (the Procurement (Amendment) Regulations 2026) whose text could not be read here:
  the contract, the supplier, the day and the amount are shown, and the list is to be checked.
  Not for a transferred Northern Ireland authority (s.70(4)), nor yet for procurements the Welsh
  Ministers regulate (not commenced for them).
* **a copy of a contract over £5m** (s.53(3)): within 90 days beginning with the day it was
  entered into; not for a devolved Welsh or transferred Northern Ireland authority (s.53(4)).

The figures cover only the contracts sanely manages: s.69 is about all the authority's public
contracts, so the page presents them as this service's part of the authority's notice.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sanely.portal.accounts.models import Nation, Organisation
from sanely.portal.award.models import Contract
from sanely.portal.partnerships.models import Claim
from sanely.portal.procurements.engine import UK, rulebook_of

from .sources import contract_value

ACT = "Procurement Act 2023"
SIGNIFICANT = Decimal(30_000)  # s.70(1): more than £30,000
LARGE_CONTRACT = Decimal(5_000_000)  # s.53(3): more than £5 million
CONTRACT_COPY_DAYS = 90  # s.53(3)
NOTICE_DAYS = 30  # s.69(1), s.70(2)


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


def reporting_period(day: date) -> Period:
    """The six months ending 31 March or 30 September that hold `day` (s.69(3)(b))."""
    if 4 <= day.month <= 9:
        return Period(date(day.year, 4, 1), date(day.year, 9, 30))
    year = day.year if day.month >= 10 else day.year - 1
    return Period(date(year, 10, 1), date(year + 1, 3, 31))


def quarter(day: date) -> Period:
    """The calendar quarter that holds `day`."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    return Period(date(day.year, first_month, 1), _month_end(day.year, first_month + 2))


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PaymentsCompliance:
    """What reg 38(2) asks of a payments compliance notice, for this service's contracts."""

    authority: str
    period: Period
    payments: int
    average_days: Decimal | None
    within_30: Decimal | None
    within_31_to_60: Decimal | None
    from_61: Decimal | None
    became_payable: int
    not_paid_in_period: Decimal | None


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
        authority=organisation.name,
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
class SignificantPayment:
    procurement: str
    supplier: str
    paid_on: date
    amount: Decimal


def significant_payments(organisation: Organisation, period: Period) -> list[SignificantPayment]:
    """Payments over £30,000 made in the quarter (s.70), oldest first."""
    return sorted(
        (
            SignificantPayment(
                procurement=c.contract.procurement.title,
                supplier=c.contract.partner.name,
                paid_on=c.paid_on,
                amount=c.amount,
            )
            for c in _act_claims(organisation)
            if c.paid_on is not None and period.holds(c.paid_on) and c.amount > SIGNIFICANT
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
        return Duties(f"{ni} (s.69(6)(a)).", f"{ni} (s.70(4)).", f"{ni} (s.53(4)).")
    if organisation.nation == Nation.WALES:
        return Duties(
            "",
            "Not yet in force for procurements the Welsh Ministers regulate.",
            "Not for a devolved Welsh authority (s.53(4)).",
        )
    return Duties("", "", "")
