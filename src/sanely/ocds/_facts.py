"""
The typed facts a partnership's life produces, as the portal records them.

Each fact is a frozen dataclass checked when it is built: a value without a currency, a
date without a time zone, an empty required text or a code outside its list is refused
there, naming the field, so no invalid release can be made from it later. Fields that must
never be published (sealed tender content, scores, confidential terms, internal notes) live
beside the public ones; `_allowlist` decides which fields reach a release.
"""

import dataclasses
import re
import types
import typing
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal, get_args, get_origin

from sanely.ocds._errors import FactRefused

_CURRENCY = re.compile(r"^[A-Z]{3}$")
# Ids become parts of ocids and release ids: keep them to URL-safe characters.
_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class _Checked:
    """Checks every field against its annotation when the dataclass is built."""

    def __post_init__(self) -> None:
        name = type(self).__name__
        for field_name, hint in _hints(type(self)).items():
            _check_value(
                name, field_name, hint, getattr(self, field_name), _required(self, field_name)
            )
        self._check()

    def _check(self) -> None:
        """Rules beyond the annotations; subclasses override."""

    def _refuse(self, field: str, problem: str) -> typing.NoReturn:
        raise FactRefused(type(self).__name__, field, problem)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _required(fact: object, field_name: str) -> bool:
    field = next(f for f in dataclasses.fields(fact) if f.name == field_name)  # type: ignore[arg-type]
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


def _check_value(fact: str, field: str, hint: Any, value: object, required: bool) -> None:
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return
        hint = next(arg for arg in get_args(hint) if arg is not type(None))
        origin = get_origin(hint)
    if origin is Literal:
        if value not in get_args(hint):
            choices = ", ".join(repr(choice) for choice in get_args(hint))
            raise FactRefused(fact, field, f"{value!r} is not one of {choices}")
    elif origin is tuple:
        if not isinstance(value, tuple):
            raise FactRefused(fact, field, f"expected a tuple, got {type(value).__name__}")
        for index, item in enumerate(value):
            _check_value(fact, f"{field}[{index}]", get_args(hint)[0], item, required=True)
    elif not isinstance(value, hint):
        missing = "is missing" if value is None else f"expected {hint.__name__}, got {value!r}"
        raise FactRefused(fact, field, missing)
    elif isinstance(value, datetime) and value.utcoffset() is None:
        raise FactRefused(fact, field, "a date must carry its time zone (e.g. UTC)")
    elif isinstance(value, str) and required and not value.strip():
        raise FactRefused(fact, field, "is required and must not be blank")
    elif isinstance(value, Decimal) and not value.is_finite():
        raise FactRefused(fact, field, f"{value} is not a finite number")


def _check_identifier(fact: "_Checked", identifier: str) -> None:
    if not _IDENTIFIER.fullmatch(identifier):
        fact._refuse("id", f"{identifier!r}: use letters, digits, '.', '_' and '-' only")


@dataclass(frozen=True, kw_only=True)
class Money(_Checked):
    """An amount with its ISO 4217 currency; a value without a currency is refused."""

    amount: Decimal
    currency: str

    def _check(self) -> None:
        if self.amount < 0:
            self._refuse("amount", f"{self.amount} is negative")
        if not _CURRENCY.match(self.currency):
            self._refuse("currency", f"{self.currency!r} is not an ISO 4217 code such as 'GBP'")


@dataclass(frozen=True, kw_only=True)
class Period(_Checked):
    """From `start` to `end`, both time-zone aware; `end` may be open."""

    start: datetime
    end: datetime | None = None

    def _check(self) -> None:
        if self.end is not None and self.end < self.start:
            self._refuse("end", f"{self.end.isoformat()} is before start {self.start.isoformat()}")


@dataclass(frozen=True, kw_only=True)
class Organisation(_Checked):
    """A buyer or partner; `id` is `<scheme>-<identifier>`, e.g. 'GB-PPON-ABCD-1234-EFGH'."""

    id: str
    name: str
    internal_reference: str = ""


@dataclass(frozen=True, kw_only=True)
class Document(_Checked):
    """A published document; `notice_type` is the Procurement Act notice (UK1…UK17), if any."""

    id: str
    document_type: str
    title: str
    url: str
    published: datetime
    notice_type: str | None = None
    storage_key: str = ""

    def _check(self) -> None:
        if not self.url.startswith(("https://", "http://")):
            self._refuse("url", f"{self.url!r} is not an absolute http(s) address")
        if self.notice_type is not None and not re.fullmatch(r"UK([1-9]|1[0-7])", self.notice_type):
            self._refuse("notice_type", f"{self.notice_type!r} is not UK1…UK17")


@dataclass(frozen=True, kw_only=True)
class Classification(_Checked):
    """A code from a scheme, e.g. a termination or amendment rationale."""

    scheme: str
    id: str
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class Procurement(_Checked):
    """The contracting process every fact belongs to: one ocid for the whole partnership."""

    id: str
    buyer: Organisation
    regime: Literal["PA2023", "PCR2015", "PCSR2015", "EU2014/24"]
    internal_notes: str = ""

    def _check(self) -> None:
        _check_identifier(self, self.id)


@dataclass(frozen=True, kw_only=True)
class _Event(_Checked):
    """Common to every fact: its stable id (unique in its procurement) and when it happened."""

    id: str
    date: datetime

    def _check(self) -> None:
        _check_identifier(self, self.id)


# Planning and tender


@dataclass(frozen=True, kw_only=True)
class Planning(_Event):
    """
    The need and budget before the tender; the UK2 notice if market engagement happened, with
    the procurement's `title` and the notice's words (`notice_text`) as its documents describe.
    """

    rationale: str
    budget: Money | None = None
    budget_description: str = ""
    documents: tuple[Document, ...] = ()
    title: str = ""
    notice_text: str = ""
    no_engagement_rationale: str = ""
    internal_notes: str = ""


@dataclass(frozen=True, kw_only=True)
class AwardCriterion(_Checked):
    """One award criterion and its weight in per cent."""

    type: Literal["price", "cost", "quality"]
    name: str
    weight_percent: Decimal


@dataclass(frozen=True, kw_only=True)
class SelectionCriterion(_Checked):
    """One selection criterion and the minimum a candidate must show."""

    type: Literal["technical", "financial", "suitability"]
    minimum: str


@dataclass(frozen=True, kw_only=True)
class SubmissionTerms(_Checked):
    """How, when and where tenders are submitted."""

    electronic_submission: Literal["required", "allowed", "notAllowed"]
    variants: Literal["required", "allowed", "notAllowed"]
    languages: tuple[str, ...] = ("en",)
    bid_validity: Period | None = None


@dataclass(frozen=True, kw_only=True)
class Lot(_Checked):
    """A lot of the tender with its own value and criteria."""

    id: str
    title: str
    description: str
    value: Money
    award_criteria: tuple[AwardCriterion, ...] = ()
    selection_criteria: tuple[SelectionCriterion, ...] = ()


ProcedureCategory = Literal["goods", "services", "works"]


@dataclass(frozen=True, kw_only=True)
class Tender(_Event):
    """The tender notice (UK4 under the Procurement Act)."""

    title: str
    description: str
    value: Money
    procedure_details: str
    tender_period: Period
    lots: tuple[Lot, ...]
    # Requests to participate close here (a selective procedure's first deadline; UK ext).
    expression_of_interest_deadline: datetime | None = None
    main_category: ProcedureCategory | None = None
    selection_criteria: tuple[SelectionCriterion, ...] = ()
    submission_terms: SubmissionTerms | None = None
    documents: tuple[Document, ...] = ()
    internal_notes: str = ""

    def _check(self) -> None:
        super()._check()
        if not self.lots:
            self._refuse("lots", "give at least one lot (a tender not divided into lots has one)")


@dataclass(frozen=True, kw_only=True)
class TenderAmendment(_Event):
    """A formal change to the tender, e.g. a longer tender period."""

    rationale: str
    description: str
    tender_period: Period | None = None
    documents: tuple[Document, ...] = ()
    internal_notes: str = ""


@dataclass(frozen=True, kw_only=True)
class TenderUpdate(_Event):
    """New tender information that is not a formal amendment, e.g. clarification answers."""

    documents: tuple[Document, ...]
    internal_notes: str = ""

    def _check(self) -> None:
        super()._check()
        if not self.documents:
            self._refuse("documents", "an update publishes at least one document")


@dataclass(frozen=True, kw_only=True)
class TenderCancellation(_Event):
    """The procurement ended without award (UK12 procurement termination notice)."""

    reason: str
    notice: Document
    internal_notes: str = ""


# Award and contract


@dataclass(frozen=True, kw_only=True)
class BidStatistic(_Checked):
    """A count about the bids, never a bid: `measure` from the bid statistics codelists."""

    measure: Literal[
        "requests",
        "bids",
        "validBids",
        "bidders",
        "qualifiedBidders",
        "disqualifiedBidders",
        "electronicBids",
        "smeBids",
        "finalStageBids",
        "smeFinalStageBids",
        "vcseFinalStageBids",
    ]
    value: int
    lot_id: str | None = None

    def _check(self) -> None:
        if self.value < 0:
            self._refuse("value", f"{self.value} is negative")


@dataclass(frozen=True, kw_only=True)
class TendererScore(_Checked):
    """A tenderer's evaluated score: kept for the record, never published."""

    tenderer: str
    score: Decimal


@dataclass(frozen=True, kw_only=True)
class Award(_Event):
    """The decision to award one partner (UK6 contract award notice)."""

    award_id: str
    partner: Organisation
    title: str
    value: Money
    contract_period: Period
    lot_ids: tuple[str, ...] = ()
    standstill: Period | None = None
    # When the assessment summaries went to the tenderers (PA 2023 s.50; UK ext).
    assessment_summaries_sent: datetime | None = None
    main_category: ProcedureCategory | None = None
    bid_statistics: tuple[BidStatistic, ...] = ()
    documents: tuple[Document, ...] = ()
    scores: tuple[TendererScore, ...] = ()
    sealed_tender_content: str = ""
    confidential_material: str = ""


@dataclass(frozen=True, kw_only=True)
class Kpi(_Checked):
    """A key performance indicator agreed in the contract, with its target when one is set."""

    id: str
    title: str
    description: str = ""
    target: str = ""
    unit: str = ""


@dataclass(frozen=True, kw_only=True)
class Contract(_Event):
    """A partner's contract as entered into (UK7 contract details notice, with the KPIs)."""

    contract_id: str
    award_id: str
    partner: Organisation
    title: str
    value: Money
    period: Period
    date_signed: datetime
    kpis: tuple[Kpi, ...] = ()
    no_kpis_rationale: str = ""
    documents: tuple[Document, ...] = ()
    confidential_terms: str = ""


MilestoneKind = Literal["phase", "target", "gate", "instalment", "purchase"]


@dataclass(frozen=True, kw_only=True)
class ScheduledMilestone(_Checked):
    """A milestone of the contract as planned: a phase, target, gate, instalment or purchase."""

    id: str
    kind: MilestoneKind
    title: str
    description: str
    due_date: datetime
    value: Money | None = None


@dataclass(frozen=True, kw_only=True)
class ImplementationSchedule(_Event):
    """A partner's contract schedule, published when implementation starts."""

    contract_id: str
    award_id: str
    milestones: tuple[ScheduledMilestone, ...]
    documents: tuple[Document, ...] = ()

    def _check(self) -> None:
        super()._check()
        if not self.milestones:
            self._refuse("milestones", "a schedule needs at least one milestone")


MilestoneVerdict = Literal["met", "notMet", "partiallyMet"]


@dataclass(frozen=True, kw_only=True)
class TargetVerdict(_Event):
    """The verdict on a phase or intermediate target, with the evidence report."""

    contract_id: str
    award_id: str
    milestone: ScheduledMilestone
    status: MilestoneVerdict
    report: Document
    assessor_notes: str = ""
    pilot_data_location: str = ""

    def _check(self) -> None:
        super()._check()
        if self.milestone.kind not in ("phase", "target"):
            self._refuse(
                "milestone", f"a verdict is on a phase or target, not a {self.milestone.kind}"
            )


GateOutcome = Literal["continue", "reduce", "terminate", "proceedToPurchase"]


@dataclass(frozen=True, kw_only=True)
class GateDecision(_Event):
    """A gate decision for one partner, with its published reasons."""

    contract_id: str
    award_id: str
    milestone: ScheduledMilestone
    outcome: GateOutcome
    reasons: str
    reasons_document: Document
    deliberation_notes: str = ""

    def _check(self) -> None:
        super()._check()
        if self.milestone.kind != "gate":
            self._refuse("milestone", f"a gate decision is on a gate, not a {self.milestone.kind}")


@dataclass(frozen=True, kw_only=True)
class InstalmentPaid(_Event):
    """An instalment paid to a partner: the payment milestone met and its transaction."""

    contract_id: str
    award_id: str
    milestone: ScheduledMilestone
    transaction_id: str
    value: Money
    payer: Organisation
    payee: Organisation
    invoice_reference: str = ""
    bank_account: str = ""

    def _check(self) -> None:
        super()._check()
        if self.milestone.kind != "instalment":
            self._refuse(
                "milestone", f"a payment is for an instalment, not a {self.milestone.kind}"
            )


KpiRating = Literal["met", "slightlyBelow", "below", "significantlyBelow", "other"]


@dataclass(frozen=True, kw_only=True)
class KpiAssessment(_Event):
    """The yearly assessment of one KPI (UK9 contract performance notice)."""

    contract_id: str
    award_id: str
    kpi: Kpi
    observation_id: str
    period: Period
    rating: KpiRating
    measure: str
    notes: str = ""
    documents: tuple[Document, ...] = ()
    assessor_notes: str = ""


@dataclass(frozen=True, kw_only=True)
class PurchaseStarted(_Event):
    """The partnership moved to buying the developed solution from this partner."""

    contract_id: str
    award_id: str
    milestone: ScheduledMilestone
    contract_value: Money
    documents: tuple[Document, ...] = ()

    def _check(self) -> None:
        super()._check()
        if self.milestone.kind != "purchase":
            self._refuse(
                "milestone",
                f"the purchase milestone has kind 'purchase', not {self.milestone.kind!r}",
            )


@dataclass(frozen=True, kw_only=True)
class ContractAmendment(_Event):
    """A signed change to a partner's contract (UK10 contract change notice)."""

    contract_id: str
    award_id: str
    rationale: str
    description: str
    classifications: tuple[Classification, ...]
    value_after: Money
    period_after: Period | None = None
    documents: tuple[Document, ...] = ()
    negotiation_notes: str = ""


@dataclass(frozen=True, kw_only=True)
class ContractTermination(_Event):
    """A partner's contract ended: completed, reduced at a gate or terminated (UK11)."""

    contract_id: str
    award_id: str
    end_date: datetime
    final_value: Money
    reasons: tuple[Classification, ...]
    details: str
    documents: tuple[Document, ...] = ()
    legal_advice: str = ""

    def _check(self) -> None:
        super()._check()
        if not self.reasons:
            self._refuse("reasons", "say why the contract ended (at least one classification)")


Fact = (
    Planning
    | Tender
    | TenderAmendment
    | TenderUpdate
    | TenderCancellation
    | Award
    | Contract
    | ImplementationSchedule
    | TargetVerdict
    | GateDecision
    | InstalmentPaid
    | KpiAssessment
    | PurchaseStarted
    | ContractAmendment
    | ContractTermination
)
