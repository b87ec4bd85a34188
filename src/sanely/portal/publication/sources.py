"""
Where each lifecycle fact of a procurement is read from, as `sanely.ocds` facts.

A `Source` finds every fact of one kind that has happened in a procurement, reading the rows of
the apps below (never writing them): the need and the tender notice from the design as
published, the revisions of the procurement documents, the award notice's partners, the partner
contracts, each partner's agreed plan, and the termination of a procurement never awarded.

Which notice a rulebook event publishes is the rulebook's to say (its `[[notices]]`);
`NOTICE_RELEASES` says which kind of release each of those notices is, by the rule that requires
it. A fact's id is stable (the same fact always gets the same id), so finding the facts again
finds nothing new. The partnership's own facts after award
(verdicts, gates, payments, assessments, changes, endings) are read in `after_award`; `catalogue`
lists every source.
"""

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from typing import Any, TypedDict

from sanely.ocds import facts as f
from sanely.portal.accounts.models import Organisation
from sanely.portal.audit.models import AuditEvent
from sanely.portal.award.models import Contract
from sanely.portal.award.selectors import follows_assessment_summaries, standstill
from sanely.portal.evaluation.models import EvaluationOutcome
from sanely.portal.negotiation.models import DocumentRevision
from sanely.portal.partnerships.models import ContractChange, Partnership, Phase, PlanVersion
from sanely.portal.procurements.design import section
from sanely.portal.procurements.engine import UK, requests_close, rulebook_of
from sanely.portal.procurements.events import (
    PROCUREMENT_ACTION_PREFIX,
    PROCUREMENT_CREATED,
    PROCUREMENT_DESIGN_CHANGED,
)
from sanely.portal.procurements.models import Procurement
from sanely.portal.tenders.models import RoundKind, SubmissionVersion
from sanely.procedure import Rulebook

from .engagement import engagement_notice

# The portal keeps every amount in pounds sterling.
CURRENCY = "GBP"
# A rulebook's regime (its `regime = …`) as `sanely.ocds` names it, and its procedure as the
# open data words it: as Find a Tender does under the Act, as the EU profile maps the others.
REGIMES: dict[str, tuple[Any, str]] = {
    "Procurement Act 2023": ("PA2023", "Competitive flexible procedure"),
    "PCR 2015": ("PCR2015", "Innovation partnership"),
    "PCSR 2015": ("PCSR2015", "Innovation partnership"),
    "Directive 2014/24/EU": ("EU2014/24", "Innovation partnership"),
}

TENDER, AWARD, CONTRACT, CANCELLATION = "tender", "award", "contract", "cancellation"
PERFORMANCE, CHANGE, TERMINATION = "performance", "change", "termination"
# Which release each rulebook notice becomes, by the rule that requires the notice. A notice
# named in NOT_OPEN_DATA is not published here, for the reason given; a test checks that every
# notice of every rulebook is in one or the other.
NOTICE_RELEASES: dict[str, str] = {
    "PA23-21": TENDER,
    "PCR15-31-1": TENDER,
    "PCSR15-32-7": TENDER,
    "DIR-31-1": TENDER,
    "PA23-50-3": AWARD,
    "PCR15-50-1": AWARD,
    "PCSR-CAN": AWARD,
    "DIR-50-1": AWARD,
    "PA23-53": CONTRACT,
    "PA23-55": CANCELLATION,
    "PA23-80": TERMINATION,
}
NOT_OPEN_DATA: dict[str, str] = {
    "PCR15-106": "a copy of the contract notice on Contracts Finder, not a release of its own",
    "PCR15-86-1": "letters to each candidate and tenderer, which are not public",
}
# What each kind of notice document is, in OCDS (documentType) and in words.
DOCUMENT_TYPES = {
    TENDER: ("tenderNotice", "Contract notice"),
    AWARD: ("awardNotice", "Contract award notice"),
    CONTRACT: ("contractNotice", "Contract details notice"),
    CANCELLATION: ("tenderCancellationNotice", "Notice that the procurement was terminated"),
    PERFORMANCE: ("implementationNotice", "Contract performance notice"),
    CHANGE: ("contractNotice", "Contract modification notice"),
    TERMINATION: ("contractTerminationNotice", "Notice that the contract ended"),
}
# The Procurement Act's own names, where the rulebook's notice carries a UK number.
UK_NOTICE_TITLES = {
    "UK4": "Tender notice",
    "UK6": "Contract award notice",
    "UK7": "Contract details notice",
    "UK9": "Contract performance notice",
    "UK10": "Contract change notice",
    "UK11": "Contract termination notice",
    "UK12": "Procurement termination notice",
}
CANCELLED_WITHOUT_REASON = "The procurement was terminated before any contract was awarded."


@dataclass(frozen=True)
class Action:
    """A lifecycle action applied to the procurement: its event, moment and recorded facts."""

    event: str
    at: datetime
    to_state: str
    evidence: str


@dataclass(frozen=True)
class Context:
    """What every source reads about one procurement, read once per run."""

    procurement: Procurement
    rulebook: Rulebook
    actions: tuple[Action, ...]
    ocid_prefix: str
    public_url: str

    @classmethod
    def of(cls, procurement: Procurement, *, ocid_prefix: str, public_url: str) -> "Context":
        events = AuditEvent.objects.filter(
            subject_type="procurements.procurement",
            subject_id=str(procurement.pk),
            action__startswith=PROCUREMENT_ACTION_PREFIX,
        ).exclude(action__in=(PROCUREMENT_CREATED, PROCUREMENT_DESIGN_CHANGED))
        actions = tuple(
            Action(
                event=event.action.removeprefix(PROCUREMENT_ACTION_PREFIX),
                at=event.at,
                to_state=event.payload.get("to", ""),
                evidence=event.payload.get("evidence", ""),
            )
            for event in events
        )
        return cls(procurement, rulebook_of(procurement), actions, ocid_prefix, public_url)

    @property
    def ocds_procurement(self) -> f.Procurement:
        return f.Procurement(
            id=self.procurement.reference,
            buyer=self.party(self.procurement.organisation),
            regime=REGIMES[self.rulebook.regime][0],
        )

    @property
    def ocid(self) -> str:
        return f"{self.ocid_prefix}-{self.procurement.reference}"

    def party(self, organisation: Organisation) -> f.Organisation:
        """An organisation as OCDS names it: its registered identifier, else one of ours."""
        scheme, identifier = organisation.identifier_scheme, organisation.identifier
        ident = f"{scheme}-{identifier}" if scheme and identifier else None
        return f.Organisation(
            id=ident or f"{self.ocid_prefix}-party-{organisation.pk}", name=organisation.name
        )

    def notice(self, kind: str) -> tuple[str, str] | None:
        """The event and words of the rulebook's notice that is a release of `kind`, if any."""
        return next(
            (
                (notice.event, notice.notice)
                for notice in self.rulebook.notices
                if NOTICE_RELEASES.get(notice.rule) == kind
            ),
            None,
        )

    def happened(self, event: str) -> datetime | None:
        """When the lifecycle event was first applied, if it was."""
        return next((action.at for action in self.actions if action.event == event), None)

    def notice_type(self, kind: str) -> str | None:
        """The Procurement Act notice (UK1…UK17) the rulebook's notice of `kind` is, if any."""
        spec = self.notice(kind)
        found = re.search(r"\bUK\d{1,2}\b", spec[1]) if spec is not None else None
        return found.group(0) if found else None

    def page_url(self, fact_id: str) -> str:
        """The public page of a fact's release: its notice, or its report."""
        return f"{self.public_url}/open/{self.ocid}/notices/{fact_id}"

    def document(
        self, kind: str, fact_id: str, published: datetime, notice_type: str | None = None
    ) -> f.Document:
        """
        The readable notice of a release, on the public notice page; `notice_type` names the
        Act's notice when the rulebook's notices do not (those the contract's duties start).
        """
        notice_type = notice_type or self.notice_type(kind)
        document_type, title = DOCUMENT_TYPES[kind]
        if notice_type is not None:
            title = f"{UK_NOTICE_TITLES.get(notice_type, title)} ({notice_type})"
        return f.Document(
            id=f"notice-{fact_id}",
            document_type=document_type,
            title=title,
            url=self.page_url(fact_id),
            published=published,
            notice_type=notice_type,
        )


def money(amount: Decimal) -> f.Money:
    return f.Money(amount=amount, currency=CURRENCY)


def months_after(moment: datetime, months: int) -> datetime:
    """The same day `months` later (the month's last day when it has fewer days)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )


def _estimated_value(design: dict[str, Any]) -> Decimal:
    """All phases at their maximum and the purchase at its maximum cost (else its estimate)."""
    phases = sum((p.max_value for p in section(design, "phases").items), Decimal(0))
    purchase = section(design, "purchase")
    return phases + (purchase.max_cost or purchase.estimated_value or Decimal(0))


def _months(design: dict[str, Any]) -> int:
    return sum(p.duration_months for p in section(design, "phases").items)


# Planning and tender


def _planning(c: Context) -> list[f.Fact]:
    published = c.procurement.published_at
    need = section(c.procurement.design, "need")
    if published is None or not need.need_statement.strip():
        return []
    timeline = section(c.procurement.design, "timeline")
    # Only a regime with numbered UK notices has a preliminary market engagement notice (UK2)
    # whose absence is explained.
    explains = c.notice_type(TENDER) is not None and timeline.pme_done
    no_notice = explains and not timeline.pme_notice_published and timeline.pme_reasons.strip()
    return [
        f.Planning(
            id="planning",
            date=published,
            rationale=need.need_statement,
            no_engagement_rationale=timeline.pme_reasons if no_notice else "",
        )
    ]


def _award_criteria(design: dict[str, Any]) -> tuple[f.AwardCriterion, ...]:
    # Social value is a quality criterion in OCDS' awardCriterionType codelist.
    kinds: dict[str, Any] = {"price": "price", "quality": "quality", "social_value": "quality"}
    return tuple(
        f.AwardCriterion(type=kinds[c.kind], name=c.name, weight_percent=c.weight)
        for c in section(design, "award").criteria
    )


def _selection_criteria(design: dict[str, Any]) -> tuple[f.SelectionCriterion, ...]:
    selection = section(design, "selection")
    kinds: dict[str, Any] = {"rd_capacity": "technical", "innovation_implementation": "technical"}
    return tuple(
        f.SelectionCriterion(
            type=kinds.get(c.tag, "suitability"),
            minimum=f"{c.name}: at least {c.minimum_score} of {selection.scale_max}"
            if c.assessment == "scored"
            else f"{c.name}: pass or fail",
        )
        for c in selection.criteria
    )


def _description(design: dict[str, Any]) -> str:
    need = section(design, "need")
    outcomes = "; ".join(need.outcomes)
    return need.need_statement + (f"\n\nOutcomes sought: {outcomes}." if outcomes else "")


def _tender(c: Context) -> list[f.Fact]:
    published = c.procurement.published_at
    design = c.procurement.design
    if published is None or not section(design, "need").need_statement.strip():
        return []
    value = money(_estimated_value(design))
    lot = f.Lot(
        id="1",
        title=c.procurement.title,
        description=_description(design),
        value=value,
        award_criteria=_award_criteria(design),
        selection_criteria=_selection_criteria(design),
    )
    return [
        f.Tender(
            id="tender",
            date=published,
            title=c.procurement.title,
            description=_description(design),
            value=value,
            procedure_details=REGIMES[c.rulebook.regime][1],
            tender_period=f.Period(start=published),
            expression_of_interest_deadline=requests_close(
                section(design, "timeline").requests_deadline
            ),
            lots=(lot,),
            documents=(c.document(TENDER, "tender", published),),
        )
    ]


def _revisions(c: Context) -> list[f.Fact]:
    revisions = DocumentRevision.objects.filter(procurement=c.procurement).order_by(
        "recorded_at", "pk"
    )
    return [
        f.TenderAmendment(
            id=f"revision-{number}",
            date=revision.recorded_at,
            rationale=revision.title,
            description=revision.summary,
        )
        for number, revision in enumerate(revisions, 1)
    ]


# Award and contract


def _bid_statistics(c: Context, outcomes: list[EvaluationOutcome]) -> tuple[f.BidStatistic, ...]:
    """Counts only, never a bid; requests are counted only from a round already opened."""
    requests = (
        SubmissionVersion.objects.filter(
            round__procurement=c.procurement,
            round__kind=RoundKind.RTP,
            round__opened_at__isnull=False,
        )
        .values("organisation")
        .distinct()
        .count()
    )
    counts: list[tuple[Any, int]] = [("bids", len(outcomes))]
    if requests:
        counts.append(("requests", requests))
    if c.notice_type(AWARD) is not None:
        # The Act's contract award notice counts the final stage (UK extension's codes).
        counts += [
            ("finalStageBids", len(outcomes)),
            ("smeFinalStageBids", sum(o.tenderer.is_sme for o in outcomes)),
            ("vcseFinalStageBids", sum(o.tenderer.is_vcse for o in outcomes)),
        ]
    else:
        counts.append(("smeBids", sum(o.tenderer.is_sme for o in outcomes)))
    return tuple(f.BidStatistic(measure=measure, value=value) for measure, value in counts)


def _awards(c: Context) -> list[f.Fact]:
    spec = c.notice(AWARD)
    announced = c.happened(spec[0]) if spec is not None else None
    if spec is None or announced is None:
        return []
    outcomes = list(
        EvaluationOutcome.objects.filter(procurement=c.procurement).select_related("tenderer")
    )
    design = c.procurement.design
    period = standstill(c.procurement)
    starts = period.ends_at if period is not None else announced
    summaries = c.procurement.decision_notices_sent_on
    statistics = _bid_statistics(c, outcomes)
    return [
        f.Award(
            id=f"award-{outcome.rank}",
            date=announced,
            award_id=f"award-{outcome.rank}",
            partner=c.party(outcome.tenderer),
            title=f"Innovation partnership with {outcome.tenderer.name}",
            value=money(_estimated_value(design)),
            contract_period=f.Period(start=starts, end=months_after(starts, _months(design))),
            lot_ids=("1",),
            standstill=f.Period(
                start=datetime.combine(period.started_on, time(0), tzinfo=UK), end=period.ends_at
            )
            if period is not None
            else None,
            assessment_summaries_sent=datetime.combine(summaries, time(0), tzinfo=UK)
            if summaries is not None and follows_assessment_summaries(c.rulebook, spec[0])
            else None,
            bid_statistics=statistics,
            documents=(c.document(AWARD, f"award-{outcome.rank}", announced),),
        )
        for outcome in outcomes
        if outcome.recommended
    ]


class ContractIds(TypedDict):
    contract_id: str
    award_id: str


def contract_ids(contract: Contract) -> ContractIds:
    """Which partner's award and contract a fact is about: by the partner's rank."""
    return {"contract_id": f"contract-{contract.rank}", "award_id": f"award-{contract.rank}"}


def value_after(change: ContractChange) -> Decimal:
    """
    A partner contract's value after a change, as its contract release counts it: every phase
    of the plan version the change made at its maximum, and the purchase at its maximum cost.
    """
    phases = Phase.objects.filter(version=change.version)
    return sum((p.max_value for p in phases), Decimal(0)) + change.contract.max_cost


def contract_value(contract: Contract) -> Decimal:
    return sum((Decimal(p["max_value"]) for p in contract.phases), Decimal(0)) + contract.max_cost


def _contracts(c: Context) -> list[f.Fact]:
    contracts = Contract.objects.filter(procurement=c.procurement).select_related("partner")
    return [
        f.Contract(
            id=f"contract-{contract.rank}",
            date=contract.concluded_at,
            **contract_ids(contract),
            partner=c.party(contract.partner),
            title=f"Innovation partnership contract with {contract.partner.name}",
            value=money(contract_value(contract)),
            period=f.Period(
                start=contract.concluded_at,
                end=months_after(
                    contract.concluded_at, sum(p["duration_months"] for p in contract.phases)
                ),
            ),
            date_signed=contract.concluded_at,
            kpis=tuple(
                f.Kpi(id=f"kpi-{number}", title=title)
                for number, title in enumerate(contract.kpis, 1)
            ),
            documents=(c.document(CONTRACT, f"contract-{contract.rank}", contract.concluded_at),)
            if c.notice(CONTRACT) is not None
            else (),
        )
        for contract in contracts
    ]


# The partnership's plan


def _phase_milestones(phase: Phase, start: datetime) -> tuple[list[f.ScheduledMilestone], datetime]:
    """A phase's milestones, all due when it ends, and that end."""
    ends = months_after(start, phase.duration_months)

    def due(
        key: str, kind: Any, title: str, description: str, value: Decimal | None = None
    ) -> f.ScheduledMilestone:
        return f.ScheduledMilestone(
            id=key,
            kind=kind,
            title=title,
            description=description,
            due_date=ends,
            value=money(value) if value is not None else None,
        )

    milestones = [due(phase.key, "phase", phase.name, phase.purpose or phase.name)]
    milestones += [
        due(target.key, "target", target.metric, f"An intermediate target of {phase.name}.")
        for target in phase.targets.all()
    ]
    milestones.append(
        due(
            f"gate-{phase.key}",
            "gate",
            f"Gate review after {phase.name}",
            "The decision to continue, reduce the partners, end the partnership or buy.",
        )
    )
    milestones += [
        due(i.key, "instalment", i.description, f"An instalment of {phase.name}.", i.amount)
        for i in phase.instalments.all()
    ]
    return milestones, ends


def plan_milestones(partnership: Partnership, version: PlanVersion) -> list[f.ScheduledMilestone]:
    """Every milestone of one version of a partner's plan, the purchase last."""
    start, milestones = partnership.began_at, []
    phases = Phase.objects.filter(version=version).prefetch_related("targets", "instalments")
    for phase in phases:
        due, start = _phase_milestones(phase, start)
        milestones += due
    milestones.append(
        f.ScheduledMilestone(
            id="purchase",
            kind="purchase",
            title="Purchase of the developed solution",
            description="The option to buy what the partnership developed.",
            due_date=start,
        )
    )
    return milestones


def _schedules(c: Context) -> list[f.Fact]:
    partnership = Partnership.objects.filter(procurement=c.procurement).first()
    if partnership is None:
        return []
    versions = PlanVersion.objects.filter(partnership=partnership, number=1).select_related(
        "contract"
    )
    return [
        f.ImplementationSchedule(
            id=f"schedule-{version.contract.rank}",
            date=partnership.began_at,
            **contract_ids(version.contract),
            milestones=tuple(plan_milestones(partnership, version)),
        )
        for version in versions
    ]


# Termination before award


def _cancellation(c: Context) -> list[f.Fact]:
    """The action that ended a published procurement before any contract was concluded."""
    if (
        c.procurement.published_at is None
        or Contract.objects.filter(procurement=c.procurement).exists()
    ):
        return []
    ended = next(
        (
            action
            for action in c.actions
            if action.at >= c.procurement.published_at
            and (state := c.rulebook.state(action.to_state)) is not None
            and state.terminal
        ),
        None,
    )
    if ended is None:
        return []
    reason = ended.evidence.strip() or CANCELLED_WITHOUT_REASON
    return [
        f.TenderCancellation(
            id="cancellation",
            date=ended.at,
            reason=reason,
            notice=c.document(CANCELLATION, "cancellation", ended.at),
        )
    ]


@dataclass(frozen=True)
class Found:
    """
    A fact with the typed content of the notice its release carries, where sanely builds it, and
    the figures behind a target's verdict, for its chart.
    """

    fact: f.Fact
    notice: dict[str, Any]
    figures: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    """
    One kind of fact: where it is found, whether the authority reviews it before it is published
    (it holds a partner's details, or words written for the tenderers), and which of its fields
    the authority may withhold, as (path in the release, what it is in words).
    """

    kind: str
    label: str
    reviewed: bool
    withholdable: tuple[tuple[str, str], ...]
    find: Callable[[Context], Sequence[f.Fact | Found]]


SOURCES: tuple[Source, ...] = (
    Source("engagement", "The preliminary market engagement notice", False, (), engagement_notice),
    Source("planning", "The need, before the tender", False, (), _planning),
    Source("tender", "The tender notice", False, (), _tender),
    Source("revision", "A change to the procurement documents", True, (), _revisions),
    Source(
        "award",
        "The award to a partner",
        True,
        (("awards.value", "The award’s value"), ("bids", "The counts of requests and tenders")),
        _awards,
    ),
    Source(
        "contract",
        "A partner’s contract",
        True,
        (
            ("contracts.value", "The contract’s value"),
            ("contracts.agreedMetrics", "The key performance indicators"),
        ),
        _contracts,
    ),
    Source("schedule", "A partner’s agreed plan", False, (), _schedules),
    Source("cancellation", "The termination of the procurement", True, (), _cancellation),
)
